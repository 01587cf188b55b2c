import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { AccountSummary, PendingConfirmation } from '@/lib/messaging/protocol';
import type { MountOutcome } from '@/lib/mount/request';
import { filesAppUrl } from '@/lib/history/state';
import { problemText } from './problem-text';
import { ShareSummary } from './ShareSummary';

interface Props {
  /** undefined while loading, null when there is nothing (or nothing valid) to confirm. */
  pending: PendingConfirmation | null | undefined;
  /** undefined while loading. */
  accounts: AccountSummary[] | undefined;
  onAdd: (accountId: string, password: string) => Promise<MountOutcome>;
  /**
   * The window shows the share with this account chosen: the background may check and prepare (read-only) what
   * adding will need, so that "Add" only has the mount left to do.
   */
  onPrepare?: (accountId: string) => void;
  /**
   * The user turned "confirm before adding" off in the settings: a share that needs no password is added to the
   * default account as soon as the window opens. The window still shows what is added, where, and the outcome.
   */
  addAtOnce?: boolean;
  onOpenOptions: () => void;
  onClose: () => void;
}

/**
 * The confirmation the page cannot touch: an extension page in its own window. It shows where the share comes
 * from (the origin from the browser; name and owner as the page claims), lets the user pick the target account
 * and type the share's password, and reports the outcome in words.
 */
export function ConfirmView({ pending, accounts, onAdd, onPrepare, addAtOnce = false, onOpenOptions, onClose }: Props) {
  const [accountId, setAccountId] = useState<string>();
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<MountOutcome>();
  // The first thing to do gets the focus: the password field of a protected share, else the main button, so
  // the whole confirmation works from the keyboard (autofocus is unreliable on elements rendered later).
  const firstAction = useRef<HTMLInputElement & HTMLButtonElement>(null);
  const passwordField = useRef<HTMLInputElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const ready = !!pending && accounts !== undefined;
  useEffect(() => {
    if (ready) firstAction.current?.focus();
  }, [ready]);
  // After a refused password the cursor goes back into the field, with the text selected to type it again; after
  // success, to Close, so Enter closes the window.
  useEffect(() => {
    if (
      outcome?.result === 'failed' &&
      (outcome.problem.code === 'password-wrong' || outcome.problem.code === 'password-needed')
    ) {
      passwordField.current?.focus();
      passwordField.current?.select();
    } else if (outcome && outcome.result !== 'failed') {
      closeButton.current?.focus();
    }
  }, [outcome]);
  const preparedFor = accountId ?? accounts?.[0]?.id;
  useEffect(() => {
    if (ready && preparedFor && onPrepare) onPrepare(preparedFor);
  }, [ready, preparedFor]);
  const add = async (accountId: string, linkPassword: string) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome(await onAdd(accountId, linkPassword));
    } catch {
      // The background did not answer: the MV3 worker was stopped mid-way. Its work is idempotent, so retrying is safe.
      setOutcome({ result: 'failed', problem: { code: 'interrupted' } });
    } finally {
      setBusy(false);
    }
  };
  // Runs once, when everything is known (the effect depends on `ready` only).
  const firstAccount = accounts?.[0];
  useEffect(() => {
    if (ready && addAtOnce && firstAccount && !pending?.claims.isProtected) void add(firstAccount.id, '');
  }, [ready]);

  // Render the form only once everything is known, so the right button gets the initial focus (Enter adds).
  if (pending === undefined || (pending && accounts === undefined))
    return <main aria-busy="true">{t('popupChecking')}</main>;
  if (pending === null) {
    return (
      <main>
        <h1>{t('confirmTitle')}</h1>
        <p class="notice" role="alert">
          {t('confirmExpired')}
        </p>
        <div class="actions">
          <button type="button" class="primary" onClick={onClose}>
            {t('close')}
          </button>
        </div>
      </main>
    );
  }

  const choices = accounts ?? [];
  const target = choices.find((a) => a.id === accountId) ?? choices[0];
  const done = outcome && outcome.result !== 'failed';

  const submit = (event: Event) => {
    event.preventDefault();
    if (target && !busy) void add(target.id, password);
  };

  return (
    <main onKeyDown={(e) => e.key === 'Escape' && !busy && onClose()}>
      <h1>{heading(outcome)}</h1>
      <ShareSummary origin={pending.origin} claims={pending.claims} />
      {/* A link from the context menu had no page: what is shown comes from the sharer's server. */}
      <p class="hint">{t(pending.via === 'direct' ? 'confirmServerNote' : 'confirmClaimNote')}</p>

      {!target ? (
        <>
          <p class="notice" role="status">
            {t('confirmConnectFirst')}
          </p>
          <div class="actions">
            <button type="button" onClick={onClose}>
              {t('cancel')}
            </button>
            <button type="button" class="primary" onClick={onOpenOptions} ref={firstAction}>
              {t('confirmConnect')}
            </button>
          </div>
        </>
      ) : (
        <form onSubmit={submit}>
          <label class="field">
            <span>{t('confirmAccount')}</span>
            <select
              value={target.id}
              disabled={busy || done}
              onChange={(e) => setAccountId((e.target as HTMLSelectElement).value)}
            >
              {choices.map((account) => (
                <option key={account.id} value={account.id}>
                  {account.label}
                </option>
              ))}
            </select>
          </label>
          {pending.claims.isProtected && (
            <div class="field">
              <label for="share-password">{t('confirmPassword')}</label>
              <input
                id="share-password"
                ref={(element) => {
                  firstAction.current = element as (HTMLInputElement & HTMLButtonElement) | null;
                  passwordField.current = element;
                }}
                type="password"
                autoComplete="off"
                value={password}
                disabled={busy || done}
                onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
                aria-describedby="password-hint"
              />
              <small id="password-hint" class="hint">
                {t('confirmPasswordHint')}
              </small>
            </div>
          )}
          <Outcome outcome={outcome} />
          <div class="actions">
            <button type="button" onClick={onClose} ref={closeButton}>
              {done ? t('close') : t('cancel')}
            </button>
            {/* A revoked app password cannot be fixed here: the way out is connecting the account again. */}
            {outcome?.result === 'failed' &&
              (outcome.problem.code === 'instance-unauthorized' || outcome.problem.code === 'bridge-unauthorized') && (
                <button type="button" onClick={onOpenOptions}>
                  {t('confirmReconnect')}
                </button>
              )}
            {done ? (
              outcome.result !== 'handed-off' && (
                <a
                  class="button primary"
                  href={filesAppUrl(
                    target.baseUrl,
                    'path' in outcome ? outcome.path : undefined,
                    pending.claims.isFolder ?? true,
                  )}
                  target="_blank"
                  rel="noreferrer"
                >
                  {t('confirmOpenInCloud')}
                </a>
              )
            ) : (
              <button
                type="submit"
                class="primary"
                disabled={busy}
                aria-busy={busy}
                ref={pending.claims.isProtected ? undefined : firstAction}
              >
                {busy ? t('confirmAdding') : t('confirmAdd')}
              </button>
            )}
          </div>
        </form>
      )}
    </main>
  );
}

/** The heading says what happened once it happened. */
function heading(outcome: MountOutcome | undefined): string {
  if (outcome?.result === 'mounted') return t('confirmTitleMounted');
  if (outcome?.result === 'already-mounted') return t('confirmTitleAlready');
  if (outcome?.result === 'handed-off') return t('confirmTitleHandedOff');
  return t('confirmTitle');
}

function Outcome({ outcome }: { outcome?: MountOutcome }) {
  if (!outcome) return null;
  switch (outcome.result) {
    case 'mounted':
      return (
        <p class="notice success" role="status" data-testid="outcome">
          {t('confirmMounted', outcome.path)}
        </p>
      );
    case 'already-mounted':
      return (
        <p class="notice" role="status" data-testid="outcome">
          {t('confirmAlreadyMounted', outcome.path)}
        </p>
      );
    case 'handed-off':
      return (
        <p class="notice" role="status" data-testid="outcome">
          {t('confirmHandedOff')}
        </p>
      );
    case 'failed':
      return (
        <p class="notice error" role="alert" data-testid="outcome">
          {t('confirmFailed')} {problemText(outcome.problem)}
        </p>
      );
  }
}
