import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { MAX_EXPIRY_DAYS } from '@/lib/share-out/settings';
import { ErrorNotice, useTask } from '../share-out/feedback';
import type { DefaultsApi, OptionsDefaults } from '@/lib/ui/options-api';

/** The defaults for new links and for adding shares. */
export function DefaultsForm({ api }: { api: DefaultsApi }) {
  const [defaults, setDefaults] = useState<OptionsDefaults>();
  const [saved, setSaved] = useState(false);
  const task = useTask();
  useEffect(() => void task.run(api.load).then((d) => d && setDefaults(d)), [api]);

  if (!defaults) return <ErrorNotice error={task.error} />;
  const change = (patch: Partial<OptionsDefaults>) => {
    setSaved(false);
    setDefaults({ ...defaults, ...patch });
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const stored = await task.run(() => api.save(defaults));
    if (stored) {
      setDefaults(stored);
      setSaved(true);
    }
  };

  return (
    <section aria-labelledby="defaults-heading">
      <h2 id="defaults-heading">{t('defaultsHeading')}</h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="default-expiry">{t('defaultsExpiryDays')}</label>
          <input
            id="default-expiry"
            type="number"
            min={0}
            max={MAX_EXPIRY_DAYS}
            step={1}
            value={defaults.expiryDays}
            aria-describedby="default-expiry-hint"
            onInput={(e) => change({ expiryDays: Number((e.target as HTMLInputElement).value) })}
          />
          <small id="default-expiry-hint" class="hint">
            {t('defaultsExpiryHint')}
          </small>
        </div>
        <label class="choice">
          <input
            type="checkbox"
            checked={defaults.passwordByDefault}
            onChange={(e) => change({ passwordByDefault: (e.target as HTMLInputElement).checked })}
          />{' '}
          {t('defaultsPassword')}
        </label>
        <label class="choice">
          <input
            type="checkbox"
            checked={defaults.confirmBeforeAdding}
            onChange={(e) => change({ confirmBeforeAdding: (e.target as HTMLInputElement).checked })}
          />{' '}
          {t('defaultsConfirm')}
        </label>
        <ErrorNotice error={task.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={task.busy}>
            {t('defaultsSave')}
          </button>
        </div>
        <p role="status" class="hint">
          {saved && t('defaultsSaved')}
        </p>
      </form>
    </section>
  );
}
