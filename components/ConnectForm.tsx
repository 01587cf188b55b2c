import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';

/** What the options page's connect logic tells the form after the address was checked. */
export type ConnectStart =
  | { next: 'login-flow'; insecure: boolean }
  | { next: 'app-password'; insecure: boolean; appPasswordPage: string; suggestedLogin: string }
  | { next: 'error'; message: string };

export interface ConnectApi {
  /**
   * Parses the input, asks for the host permission (in the click's gesture) and probes the server. `asBridge`:
   * connect an Add to Cloud server as the bridge for pairs that cannot federate directly, not as the user's cloud.
   */
  start(input: string, asBridge: boolean): Promise<ConnectStart>;
  /** Login Flow v2: opens the server's login tab and resolves once access was granted. */
  loginFlow(): Promise<string>;
  /** ownCloud 10: checks and saves a pasted app password. */
  appPassword(loginName: string, appPassword: string): Promise<string>;
}

type Step =
  | { at: 'address' }
  | { at: 'checking' }
  | { at: 'login-flow'; insecure: boolean }
  | { at: 'app-password'; insecure: boolean; appPasswordPage: string }
  | { at: 'done'; label: string };

/** Connecting an instance: address → server check → Login Flow or app password → connected. */
export function ConnectForm({ api, onConnected, autoFocus = false }: { api: ConnectApi; onConnected: () => void; autoFocus?: boolean }) {
  const [step, setStep] = useState<Step>({ at: 'address' });
  const [address, setAddress] = useState('');
  const [asBridge, setAsBridge] = useState(false);
  const [loginName, setLoginName] = useState('');
  const [appPassword, setAppPassword] = useState('');
  const [error, setError] = useState<string>();
  const addressInput = useRef<HTMLInputElement>(null);
  // The accounts load after the first render, so the autofocus attribute would come too late.
  useEffect(() => {
    if (autoFocus) addressInput.current?.focus();
  }, [autoFocus]);

  const fail = (e: unknown, back: Step) => {
    setError(e instanceof Error ? e.message : String(e));
    setStep(back);
  };
  const connected = (label: string) => {
    setStep({ at: 'done', label });
    // Done with this address: the field is ready for another cloud, not prefilled with the last one.
    setAddress('');
    setAsBridge(false);
    setAppPassword('');
    onConnected();
  };

  const submitAddress = (event: Event) => {
    event.preventDefault();
    setError(undefined);
    // No await before start(): the permission prompt must open within the click's user gesture.
    const started = api.start(address, asBridge);
    setStep({ at: 'checking' });
    started.then(async (result) => {
      if (result.next === 'error') return fail(new Error(result.message), { at: 'address' });
      if (result.next === 'app-password') {
        setLoginName(result.suggestedLogin);
        return setStep({ at: 'app-password', insecure: result.insecure, appPasswordPage: result.appPasswordPage });
      }
      setStep({ at: 'login-flow', insecure: result.insecure });
      try {
        connected(await api.loginFlow());
      } catch (e) {
        fail(e, { at: 'address' });
      }
    }, (e) => fail(e, { at: 'address' }));
  };

  const submitAppPassword = async (event: Event) => {
    event.preventDefault();
    if (step.at !== 'app-password') return;
    setError(undefined);
    const current = step;
    setStep({ at: 'checking' });
    try {
      connected(await api.appPassword(loginName.trim(), appPassword.trim()));
    } catch (e) {
      fail(e, current);
    }
  };

  return (
    <section aria-labelledby="connect-heading">
      <h2 id="connect-heading">{t('optionsConnectHeading')}</h2>
      {(step.at === 'address' || step.at === 'done') && (
        <form onSubmit={submitAddress}>
          <div class="field">
            <label for="instance-address">{t('optionsAddressLabel')}</label>
            <input
              id="instance-address"
              type="text"
              ref={addressInput}
              inputMode="url"
              autoComplete="url"
              spellcheck={false}
              value={address}
              onInput={(e) => setAddress((e.target as HTMLInputElement).value)}
              aria-describedby="instance-address-hint"
              required
            />
            <small id="instance-address-hint" class="hint">
              {t('optionsAddressHint')}
            </small>
          </div>
          {/* Few need a bridge: it waits under Advanced, opened already when it was chosen. */}
          <details class="advanced" open={asBridge}>
            <summary>{t('optionsAdvanced')}</summary>
            <p class="hint">{t('optionsBridgeExplained')}</p>
            <label class="check">
              <input type="checkbox" checked={asBridge} onChange={(e) => setAsBridge((e.target as HTMLInputElement).checked)} />{' '}
              {t('optionsAsBridge')}
            </label>
          </details>
          <div class="actions">
            <button type="submit" class="primary">
              {t('optionsConnect')}
            </button>
          </div>
        </form>
      )}
      {step.at === 'checking' && <p aria-busy="true">{t('optionsChecking')}</p>}
      {(step.at === 'login-flow' || step.at === 'app-password') && step.insecure && (
        <p class="notice" role="note">
          {t('optionsInsecure')}
        </p>
      )}
      {step.at === 'login-flow' && (
        <p class="notice" role="status" aria-busy="true">
          {t('optionsLoginFlowWaiting')}
        </p>
      )}
      {step.at === 'app-password' && (
        <form onSubmit={submitAppPassword}>
          <p>
            {t('optionsAppPasswordIntro')}{' '}
            <a href={step.appPasswordPage} target="_blank" rel="noreferrer">
              {t('optionsAppPasswordLink')}
            </a>
          </p>
          <div class="field">
            <label for="login-name">{t('optionsLoginName')}</label>
            <input id="login-name" type="text" autoComplete="username" value={loginName} required onInput={(e) => setLoginName((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="app-password">{t('optionsAppPassword')}</label>
            <input id="app-password" type="password" autoComplete="off" value={appPassword} required onInput={(e) => setAppPassword((e.target as HTMLInputElement).value)} />
          </div>
          <div class="actions">
            <button type="submit" class="primary">
              {t('optionsSave')}
            </button>
          </div>
        </form>
      )}
      {step.at === 'done' && (
        <p class="notice success" role="status">
          {t('optionsConnected', step.label)}
        </p>
      )}
      {error && (
        <p class="notice error" role="alert">
          {t('optionsError')} {error}
        </p>
      )}
    </section>
  );
}
