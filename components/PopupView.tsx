import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { MessageKey } from '@/lib/i18n';
import type { PageClaims, PendingRefusal } from '@/lib/messaging/protocol';
import type { SharePage } from '@/lib/share/types';
import type { HistoryEntry } from '@/lib/history/store';
import { HistoryList, type HistoryActions } from './HistoryList';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { ShareFromCloud } from './share-out/ShareFromCloud';
import { BLOCKED_LABEL, ShareSummary } from './ShareSummary';

interface Props {
  /** undefined while asking the page, null when the page shows no share. */
  share: SharePage | null | undefined;
  claims?: PageClaims;
  history?: HistoryEntry[];
  onAdd: () => void;
  /** "Share from my cloud", offered away from share pages. */
  shareOut?: ShareOutApi;
  /** Why the confirmation did not open (the popup stays open and says so): the background's code, or `failed`. */
  addError?: AddRefusal;
  /** Open, retry and remove for the history entries. */
  historyActions?: HistoryActions;
  /** The history's entry that put this tab's share into the user's cloud: the popup offers Open instead of Add. */
  inCloud?: HistoryEntry;
}

/** The background's refusal, or `failed` when it did not answer at all. */
export type AddRefusal = PendingRefusal | 'failed';

const REFUSAL_TEXT: Record<AddRefusal, MessageKey> = {
  'not-a-tab': 'popupRefusedNotATab',
  'not-a-share': 'popupRefusedNotAShare',
  'not-allowed': 'popupRefusedNotAllowed',
  failed: 'buttonFailed',
};

/** The toolbar popup: what is on the current page and, on a share, the way to add it. */
export function PopupView({ share, claims, history = [], onAdd, shareOut, historyActions, addError, inCloud }: Props) {
  // While the user browses their files to share, the history steps aside: the popup must fit without scrolling.
  const [sharingOut, setSharingOut] = useState(false);
  return (
    <main>
      <h1>{t('popupTitle')}</h1>
      {share === undefined && <p aria-busy="true">{t('popupChecking')}</p>}
      {share === null && !sharingOut && <p data-testid="status">{t('popupNoShare')}</p>}
      {share && claims && (
        <>
          <p data-testid="status">{t('popupShareOn', share.origin)}</p>
          <ShareSummary origin={share.origin} claims={claims} />
          {share.federationBlockedReason ? (
            <p class="notice" role="status">
              {t(BLOCKED_LABEL[share.federationBlockedReason])}
            </p>
          ) : share.needsServerConfirmation ? (
            <p class="notice" role="status">
              {t('popupAwaitingServer')}
            </p>
          ) : (
            <>
              {addError && (
                <p class="notice error" role="alert">
                  {t(REFUSAL_TEXT[addError])}
                </p>
              )}
              <div class="actions">
                {inCloud && historyActions?.onOpen ? (
                  <button type="button" class="primary" onClick={() => historyActions.onOpen?.(inCloud)} autoFocus>
                    {t('buttonInCloud')}
                  </button>
                ) : (
                  <button type="button" class="primary" onClick={onAdd} autoFocus>
                    {t('addToYourCloud')}
                  </button>
                )}
              </div>
            </>
          )}
        </>
      )}
      {share === null && shareOut && <ShareFromCloud api={shareOut} onOpenChange={setSharingOut} />}
      {!sharingOut && <HistoryList entries={history.slice(0, 5)} {...historyActions} />}
    </main>
  );
}
