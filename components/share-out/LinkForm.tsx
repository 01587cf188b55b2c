import { useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import type { LinkShare, NewLink } from '@/lib/share-out/links';
import { generatePassword } from '@/lib/share-out/password';
import {
  checkLinkRequest,
  type LinkPermissions,
  type LinkPolicy,
  type LinkRequestProblem,
} from '@/lib/share-out/policy';
import { expiryAfter, type ShareDefaults } from '@/lib/share-out/settings';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import type { PickedItem } from './FileBrowser';
import { ErrorNotice, Progress, useTask } from './feedback';

const PERMISSION_LABEL: Record<LinkPermissions, MessageKey> = {
  view: 'linkPermView',
  'view-upload': 'linkPermViewUpload',
  'upload-only': 'linkPermUploadOnly',
};

const PROBLEM_TEXT: Record<LinkRequestProblem, MessageKey> = {
  disabled: 'linkProblemDisabled',
  'upload-file': 'linkProblemUploadFile',
  'upload-off': 'linkProblemUploadOff',
  password: 'linkProblemPassword',
  'date-invalid': 'linkProblemDateInvalid',
  'date-past': 'linkProblemDatePast',
  'date-too-far': 'linkProblemDateTooFar',
  'date-required': 'linkProblemDateRequired',
};

/** A policy problem in words; only "too far" has a number to name (the server's maximum of days). */
const problemText = (problem: LinkRequestProblem, policy: LinkPolicy) =>
  t(PROBLEM_TEXT[problem], problem === 'date-too-far' ? String(policy.expiry.maxDays) : undefined);

/** The expiry the form starts with: the user's default, kept inside the server's maximum; forced on when enforced. */
function initialExpiry(policy: LinkPolicy, defaults: ShareDefaults, today: Date): string {
  const max = policy.expiry.maxDays;
  const wanted = defaults.expiryDays || (policy.expiry.enforced ? (policy.expiry.defaultDays ?? 7) : 0);
  return expiryAfter(max ? Math.min(wanted, max) : wanted, today);
}

interface Props {
  api: Pick<ShareOutApi, 'createLink'>;
  item: PickedItem;
  policy: LinkPolicy;
  defaults: ShareDefaults;
  onCreated: (link: LinkShare, password: string) => void;
  today?: Date;
}

/**
 * A new public link: permissions, password (generated, editable), expiry and label, checked against the policy first.
 */
export function LinkForm({ api, item, policy, defaults, onCreated, today = new Date() }: Props) {
  const [permissions, setPermissions] = useState<LinkPermissions>('view');
  const [usePassword, setUsePassword] = useState(defaults.passwordByDefault);
  const [password, setPassword] = useState(() => generatePassword());
  const [expireDate, setExpireDate] = useState(() => initialExpiry(policy, defaults, today));
  const [useExpiry, setUseExpiry] = useState(!!expireDate || policy.expiry.enforced);
  const [label, setLabel] = useState('');
  // After the first try, the problems are those of the current input, re-checked on every change.
  const [tried, setTried] = useState(false);
  const task = useTask();

  const passwordRequired = policy.passwordRequired[permissions];
  const choices: LinkPermissions[] =
    item.isFolder && policy.uploadAllowed ? ['view', 'view-upload', 'upload-only'] : ['view'];
  const max = policy.expiry.maxDays ? expiryAfter(policy.expiry.maxDays, today) : undefined;

  /** Every change makes the last answer stale: a server refusal of the old input must not stay on screen. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      task.clear();
      set(value);
    };

  const toggleExpiry = (on: boolean) => {
    task.clear();
    setUseExpiry(on);
    // Ticking the box should offer a date, not an empty field.
    if (on && !expireDate) setExpireDate(expiryAfter(Math.min(7, policy.expiry.maxDays ?? 7), today));
  };

  const link: NewLink = {
    isFolder: item.isFolder,
    permissions,
    password: usePassword || passwordRequired ? password.trim() : '',
    expireDate: useExpiry || policy.expiry.enforced ? expireDate : '',
    label: label.trim(),
  };
  const problems = tried ? checkLinkRequest(policy, link, today) : [];

  const submit = async (event: Event) => {
    event.preventDefault();
    setTried(true);
    if (checkLinkRequest(policy, link, today).length) return;
    const created = await task.run(() => api.createLink(item.path, link));
    if (created) onCreated(created, link.password);
  };

  return (
    // noValidate: one validation, ours, whose words name the rule; the browser's own (min/max on the date) would stop
    // the submit silently and leave an old message standing.
    <form onSubmit={submit} aria-labelledby="new-link-heading" noValidate>
      <h3 id="new-link-heading">{t('linkNewHeading')}</h3>
      {!policy.enabled && <p class="notice">{t('linkProblemDisabled')}</p>}
      <fieldset>
        <legend>{t('linkPermissions')}</legend>
        {choices.map((choice) => (
          <label key={choice} class="choice">
            <input
              type="radio"
              name="permissions"
              value={choice}
              checked={permissions === choice}
              onChange={() => edit(setPermissions)(choice)}
            />{' '}
            {t(PERMISSION_LABEL[choice])}
          </label>
        ))}
      </fieldset>
      <label class="choice">
        <input
          type="checkbox"
          checked={usePassword || passwordRequired}
          disabled={passwordRequired}
          onChange={(e) => edit(setUsePassword)((e.target as HTMLInputElement).checked)}
        />{' '}
        {t('linkUsePassword')}
      </label>
      {passwordRequired && <p class="hint">{t('linkPasswordRequired')}</p>}
      {(usePassword || passwordRequired) && (
        // The checkbox above names the field; one line less keeps the popup within 600 px.
        <div class="inline compact">
          <input
            id="link-password"
            type="text"
            aria-label={t('linkPassword')}
            autoComplete="off"
            spellcheck={false}
            value={password}
            onInput={(e) => edit(setPassword)((e.target as HTMLInputElement).value)}
          />
          <button type="button" onClick={() => edit(setPassword)(generatePassword())}>
            {t('linkGenerate')}
          </button>
        </div>
      )}
      <div class="option-row">
        <label class="choice">
          <input
            type="checkbox"
            checked={useExpiry || policy.expiry.enforced}
            disabled={policy.expiry.enforced}
            onChange={(e) => toggleExpiry((e.target as HTMLInputElement).checked)}
          />{' '}
          {t('linkUseExpiry')}
        </label>
        {(useExpiry || policy.expiry.enforced) && (
          <input
            id="link-expiry"
            type="date"
            aria-label={t('linkExpiry')}
            value={expireDate}
            min={expiryAfter(1, today)}
            max={max}
            onInput={(e) => edit(setExpireDate)((e.target as HTMLInputElement).value)}
          />
        )}
      </div>
      {policy.expiry.maxDays && <p class="hint">{t('linkExpiryMax', String(policy.expiry.maxDays))}</p>}
      <div class="option-row">
        <label for="link-label">{t('linkLabel')}</label>
        <input
          id="link-label"
          type="text"
          maxLength={255}
          value={label}
          onInput={(e) => edit(setLabel)((e.target as HTMLInputElement).value)}
        />
      </div>
      {problems.length > 0 && (
        <div class="notice error" role="alert">
          <p>{t('linkProblemsIntro')}</p>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problemText(problem, policy)}</li>
            ))}
          </ul>
        </div>
      )}
      {task.busy && <Progress label={t('linkCreating')} />}
      <ErrorNotice error={task.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={task.busy}>
          {t('linkCreate')}
        </button>
      </div>
    </form>
  );
}
