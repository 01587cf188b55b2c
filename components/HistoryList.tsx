import { t, type MessageKey } from '@/lib/i18n';
import type { HistoryEntry } from '@/lib/history/store';
import { problemText } from './problem-text';

const RESULT_LABEL: Record<HistoryEntry['result'], MessageKey> = {
  mounted: 'historyMounted',
  'already-mounted': 'historyAlready',
  'handed-off': 'historyHandedOff',
  failed: 'historyFailed',
};

/** The last adds: what, from where, when, and how it went. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">{t('historyHeading')}</h2>
      {entries.length === 0 ? (
        <p class="hint">{t('historyEmpty')}</p>
      ) : (
        <ul class="history">
          {entries.map((entry) => (
            <li key={entry.id} data-testid="history-entry" class={`history-${entry.result}`}>
              <strong>{entry.name ?? entry.sharerOrigin}</strong> <span class="badge">{t(RESULT_LABEL[entry.result])}</span>
              <div class="hint">
                {entry.sharerOrigin} → {entry.accountLabel} · <time dateTime={new Date(entry.at).toISOString()}>{new Date(entry.at).toLocaleString()}</time>
              </div>
              {/* Older entries kept an English sentence; newer ones a problem, worded in today's language. */}
              {(entry.problem || entry.message) && <div class="hint">{entry.problem ? problemText(entry.problem) : entry.message}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
