import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import { isCloudId } from '@/lib/share-out/links';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { ErrorNotice, Progress, useTask } from './feedback';

/** Share the item straight into someone's own cloud (federated user share), by their cloud id. */
export function CloudIdShare({
  api,
  path,
  onShared,
}: {
  api: Pick<ShareOutApi, 'shareWithCloudId'>;
  path: string;
  onShared: () => void;
}) {
  const [cloudId, setCloudId] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [sharedWith, setSharedWith] = useState<string>();
  const task = useTask();

  const submit = async (event: Event) => {
    event.preventDefault();
    const value = cloudId.trim();
    setSharedWith(undefined);
    setInvalid(!isCloudId(value));
    if (!isCloudId(value)) return;
    const share = await task.run(() => api.shareWithCloudId(path, value));
    if (!share) return;
    setSharedWith(share.shareWith);
    setCloudId('');
    onShared();
  };

  return (
    <form onSubmit={submit} aria-labelledby="cloud-share-heading">
      <h3 id="cloud-share-heading">{t('cloudShareHeading')}</h3>
      <div class="field">
        <label for="cloud-id">{t('cloudShareLabel')}</label>
        <div class="inline">
          <input
            id="cloud-id"
            type="text"
            inputMode="email"
            spellcheck={false}
            value={cloudId}
            aria-invalid={invalid}
            aria-describedby="cloud-id-hint"
            onInput={(e) => setCloudId((e.target as HTMLInputElement).value)}
          />
          <button type="submit" disabled={task.busy}>
            {t('cloudShareSubmit')}
          </button>
        </div>
        <small id="cloud-id-hint" class="hint">
          {t('cloudShareHint')}
        </small>
      </div>
      {invalid && (
        <p class="notice error" role="alert">
          {t('cloudShareInvalid')}
        </p>
      )}
      {task.busy && <Progress label={t('cloudShareSending')} />}
      <ErrorNotice error={task.error} />
      {sharedWith && (
        <p class="notice success" role="status">
          {t('cloudShareDone', sharedWith)}
        </p>
      )}
    </form>
  );
}
