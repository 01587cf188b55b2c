import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/lib/i18n';
import { formatDay } from '../dates';
import type { ItemShares } from '@/lib/share-out/links';
import { linkKind, type LinkKind } from '@/lib/share-out/policy';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { ErrorNotice, Progress, useTask } from './feedback';

/** What visitors of a link may do, so a file drop is never mistaken for a view link. */
const KIND_LABEL: Record<LinkKind, MessageKey> = {
  view: 'linkKindView',
  'view-upload': 'linkKindViewUpload',
  'upload-only': 'linkKindUploadOnly',
  edit: 'linkKindEdit',
};

/** The item's existing public links and cloud shares, each revocable. `version` changes when a share was added. */
export function LinkList({
  api,
  path,
  version,
}: {
  api: Pick<ShareOutApi, 'shares' | 'revoke'>;
  path: string;
  version: number;
}) {
  const [shares, setShares] = useState<ItemShares>();
  const [revoked, setRevoked] = useState(false);
  const task = useTask();
  const load = () => void task.run(() => api.shares(path)).then((found) => found && setShares(found));
  useEffect(load, [path, version]);

  const revoke = async (id: string) => {
    setRevoked(false);
    if ((await task.run(() => api.revoke(id).then(() => true))) === true) {
      setRevoked(true);
      load();
    }
  };

  const total = shares ? shares.links.length + shares.cloud.length : 0;
  return (
    <section aria-labelledby="existing-heading">
      <h3 id="existing-heading">{t('linksExisting')}</h3>
      {task.busy && <Progress label={t('linksLoading')} />}
      <ErrorNotice error={task.error} />
      {shares && total === 0 && <p class="hint">{t('linksNone')}</p>}
      {shares && total > 0 && (
        <ul class="accounts">
          {shares.links.map((link) => (
            <li key={link.id} data-testid="existing-link">
              <div>
                <strong>{link.label || t('linkUnnamed')}</strong>
                <div class="hint url">{link.url}</div>
                <div class="hint" data-testid="link-facts">
                  {[
                    t(KIND_LABEL[linkKind(link.permissions)]),
                    link.hasPassword && t('linkHasPassword'),
                    link.expireDate ? t('linkExpiresOn', formatDay(link.expireDate)) : t('linkNoExpiry'),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </div>
              </div>
              <button
                type="button"
                onClick={() => void revoke(link.id)}
                aria-label={t('linkRevokeNamed', link.label || link.url)}
                disabled={task.busy}
              >
                {t('linkRevoke')}
              </button>
            </li>
          ))}
          {shares.cloud.map((share) => (
            <li key={share.id} data-testid="existing-cloud-share">
              <div>
                <strong>{share.shareWith}</strong>
                <div class="hint">{t('cloudShareKind')}</div>
              </div>
              <button
                type="button"
                onClick={() => void revoke(share.id)}
                aria-label={t('linkRevokeNamed', share.shareWith)}
                disabled={task.busy}
              >
                {t('linkRevoke')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" class="hint">
        {revoked && t('linkRevoked')}
      </p>
    </section>
  );
}
