import { t } from '@/lib/i18n';
import type { PendingConfirmation } from '@/lib/messaging/protocol';
import { ShareSummary } from './ShareSummary';

interface Props {
  /** undefined while loading, null when there is nothing (or nothing valid) to confirm. */
  pending: PendingConfirmation | null | undefined;
  onOpenOptions: () => void;
  onClose: () => void;
}

/**
 * The confirmation the page cannot touch: an extension page in its own window. Until accounts can be
 * connected it shows what would be added and says plainly that nothing is sent.
 */
export function ConfirmView({ pending, onOpenOptions, onClose }: Props) {
  if (pending === undefined) return <main aria-busy="true">{t('popupChecking')}</main>;
  return (
    <main>
      <h1>{t('confirmTitle')}</h1>
      {pending ? (
        <>
          <ShareSummary origin={pending.origin} claims={pending.claims} />
          {pending.claims.isProtected && <p class="note">{t('protectedNote')}</p>}
          <p class="hint">{t('confirmClaimNote')}</p>
          <p class="notice" role="status">
            {t('confirmNoAccount')}
          </p>
        </>
      ) : (
        <p class="notice" role="alert">
          {t('confirmExpired')}
        </p>
      )}
      <div class="actions">
        <button type="button" onClick={onOpenOptions}>
          {t('confirmOpenOptions')}
        </button>
        <button type="button" class="primary" onClick={onClose} autoFocus>
          {t('close')}
        </button>
      </div>
    </main>
  );
}
