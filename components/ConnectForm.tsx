import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { parseInstanceAddress } from '@/lib/instance/address';
import { problemFrom } from '@/lib/instance/errors';
import type { Problem } from '@/lib/problem';
import type { ConnectApi, ConnectStart } from '@/lib/ui/options-api';
import { problemText } from './problem-text';

type Step =
  | { at: 'address' }
  | { at: 'checking'; server?: string }
  | { at: 'allow'; server: string; product: string }
  | { at: 'login-flow'; insecure: boolean }
  | { at: 'app-password'; insecure: boolean; appPasswordPage: string }
  | { at: 'done'; label: string };

/** Connecting an instance: address → server check → Login Flow or app password → connected. */
export function ConnectForm({
  api,
  onConnected,
  autoFocus = false,
}: {
  api: ConnectApi;
  onConnected: () => void;
  autoFocus?: boolean;
}) {
  const [step, setStep] = useState<Step>({ at: 'address' });
  const [address, setAddress] = useState('');
  const [asBridge, setAsBridge] = useState(false);
  const [loginName, setLoginName] = useState('');
  const [appPassword, setAppPassword] = useState('');
  const [error, setError] = useState<Problem>();
  const addressInput = useRef<HTMLInputElement>(null);
  const allowButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (step.at === 'allow') allowButton.current?.focus();
  }, [step.at]);
  // The accounts load after the first render, so the autofocus attribute would come too late.
  useEffect(() => {
    if (autoFocus) addressInput.current?.focus();
  }, [autoFocus]);

  /** The address being connected, to name it in messages (what was typed, when it does not parse). */
  const tried = () => {
    const parsed = parseInstanceAddress(address);
    return parsed.ok ? parsed.address.baseUrl : address.trim();
  };
  const fail = (e: unknown, back: Step) => {
    setError(problemFrom(e, 'instance', tried()));
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
    const parsed = parseInstanceAddress(address);
    setStep({ at: 'checking', ...(parsed.ok && { server: parsed.address.baseUrl }) });
    proceed(api.start(address, asBridge));
  };

  const allow = () => {
    setError(undefined);
    // No await before allow(): the permission prompt must open within the click's user gesture.
    const granted = api.allow();
    setStep({ at: 'checking' });
    proceed(granted);
  };

  const proceed = (next: Promise<ConnectStart>) => {
    next.then(
      async (result) => {
        if (result.next === 'error') {
          setError(result.problem);
          return setStep({ at: 'address' });
        }
        if (result.next === 'allow') return setStep({ at: 'allow', server: result.server, product: result.product });
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
      },
      (e) => fail(e, { at: 'address' }),
    );
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
              <input
                type="checkbox"
                checked={asBridge}
                onChange={(e) => setAsBridge((e.target as HTMLInputElement).checked)}
              />{' '}
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
      {step.at === 'checking' && (
        <p aria-busy="true">{step.server ? t('optionsTrying', step.server) : t('optionsChecking')}</p>
      )}
      {step.at === 'allow' && (
        <div class="notice" role="status">
          <p>{t('optionsFound', [step.product, step.server])}</p>
          <p>{t('optionsAllowIntro')}</p>
          <div class="actions">
            <button type="button" onClick={() => setStep({ at: 'address' })}>
              {t('cancel')}
            </button>
            <button type="button" class="primary" ref={allowButton} onClick={allow}>
              {t('optionsAllow')}
            </button>
          </div>
        </div>
      )}
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
            <input
              id="login-name"
              type="text"
              autoComplete="username"
              value={loginName}
              required
              onInput={(e) => setLoginName((e.target as HTMLInputElement).value)}
            />
          </div>
          <div class="field">
            <label for="app-password">{t('optionsAppPassword')}</label>
            <input
              id="app-password"
              type="password"
              autoComplete="off"
              value={appPassword}
              required
              onInput={(e) => setAppPassword((e.target as HTMLInputElement).value)}
            />
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
          {t('optionsError')} {problemText(error)}
        </p>
      )}
    </section>
  );
}
