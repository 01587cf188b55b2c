import { t, type MessageKey } from '@/lib/i18n';
import type { HistoryEntry } from '@/lib/history/store';
import { formatMoment } from './dates';
import { problemText } from './problem-text';

const RESULT_LABEL: Record<HistoryEntry['result'], MessageKey> = {
  mounted: 'historyMounted',
  'already-mounted': 'historyAlready',
  'handed-off': 'historyHandedOff',
  failed: 'historyFailed',
};

/** What the list can do with an entry; each is offered only where it makes sense. */
export interface HistoryActions {
  /** Opens the user's cloud at the added folder (mounted entries). */
  onOpen?: (entry: HistoryEntry) => void;
  /** Opens the share link again so the normal flow runs (entries whose link this browser session still knows). */
  onRetry?: (entry: HistoryEntry) => void;
  onRemove?: (entry: HistoryEntry) => void;
  /** Ids of the entries that can be retried. */
  retryable?: ReadonlySet<string>;
}

const inCloud = (entry: HistoryEntry) => entry.result === 'mounted' || entry.result === 'already-mounted';

/**
 * The last adds: what, from where, when, and how it went. A failure is marked by an icon and words, not colour alone.
 */
export function HistoryList({
  entries,
  onOpen,
  onRetry,
  onRemove,
  retryable,
}: { entries: HistoryEntry[] } & HistoryActions) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('historyHeading')}</h2>
      {entries.length === 0 ? (
        <p class="hint">{t('historyEmpty')}</p>
      ) : (
        <ul class="history">
          {entries.map((entry) => {
            const name = entry.name ?? entry.sharerOrigin;
            // Older entries kept an English sentence; newer ones a problem, worded in today's language.
            const detail = entry.problem ? problemText(entry.problem) : entry.message;
            return (
              <li key={entry.id} data-testid="history-entry" class={`history-${entry.result}`}>
                {/* Name, outcome and actions share one line. */}
                <div class="history-head">
                  <strong>{name}</strong>
                  <span class="badge" data-testid="history-result">
                    {entry.result === 'failed' && (
                      <span aria-hidden="true" class="history-failed-icon">
                        ⚠{' '}
                      </span>
                    )}
                    {t(RESULT_LABEL[entry.result])}
                  </span>
                  <span class="history-actions">
                    {onOpen && inCloud(entry) && (
                      <button
                        type="button"
                        class="link-like"
                        aria-label={`${t('historyOpen')}: ${name}`}
                        onClick={() => onOpen(entry)}
                      >
                        {t('historyOpen')}
                      </button>
                    )}
                    {onRetry && !inCloud(entry) && retryable?.has(entry.id) && (
                      <button
                        type="button"
                        class="link-like"
                        aria-label={`${t('historyRetry')}: ${name}`}
                        onClick={() => onRetry(entry)}
                      >
                        {t('historyRetry')}
                      </button>
                    )}
                    {onRemove && (
                      <button
                        type="button"
                        class="link-like"
                        aria-label={`${t('historyRemove')}: ${name}`}
                        onClick={() => onRemove(entry)}
                      >
                        {t('historyRemove')}
                      </button>
                    )}
                  </span>
                </div>
                {/* One line each (the full text on hover): five entries must fit Chrome's 600 px popup. */}
                <div class="hint history-line" title={`${entry.sharerOrigin} → ${entry.accountLabel}`}>
                  {entry.sharerOrigin} → {entry.accountLabel} ·{' '}
                  <time dateTime={new Date(entry.at).toISOString()}>{formatMoment(entry.at)}</time>
                </div>
                {detail && (
                  <div class="hint history-line" title={detail}>
                    {detail}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
