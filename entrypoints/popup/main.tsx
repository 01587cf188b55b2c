import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { PopupView, type AddRefusal } from '@/components/PopupView';
import { claimsFromShare } from '@/lib/confirm/claims';
import { listHistory, removeHistory, type HistoryEntry } from '@/lib/history/store';
import { forgetRetryLink, retryLink } from '@/lib/history/retry-links';
import { shareKey } from '@/lib/history/share-key';
import { inCloudEntry } from '@/lib/history/state';
import { openEntryInCloud } from '@/lib/background/share-state';
import { sendMessage } from '@/lib/messaging/protocol';
import { createShareOutApi } from '@/lib/share-out/api';
import type { SharePage } from '@/lib/share/types';
import '@/components/page.css';

const shareOut = createShareOutApi();

function Popup() {
  const [tabId, setTabId] = useState<number>();
  const [share, setShare] = useState<SharePage | null>();
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [addError, setAddError] = useState<AddRefusal>();
  const [inCloud, setInCloud] = useState<HistoryEntry>();
  // The tab's share, if the history has put it into the user's cloud (the same lookup as the page's button).
  useEffect(() => {
    if (!share) return setInCloud(undefined);
    void shareKey(share.origin, share.token).then((key) => setInCloud(inCloudEntry(history, key)));
  }, [share, history]);
  const [retryable, setRetryable] = useState<ReadonlySet<string>>(new Set());

  const loadHistory = async () => {
    const entries = await listHistory().catch(() => []);
    setHistory(entries);
    // Retry needs the link, which only this browser session keeps (retry-links.ts).
    const known = await Promise.all(entries.slice(0, 5).map(async (e) => ((await retryLink(e.id)) ? e.id : undefined)));
    setRetryable(new Set(known.filter((id): id is string => id !== undefined)));
  };

  const historyActions = {
    retryable,
    onOpen: (entry: HistoryEntry) => void openEntryInCloud(entry).then((opened) => opened && window.close()),
    // Retry opens the link again, so the page flow runs as the first time (its button, the confirmation).
    onRetry: (entry: HistoryEntry) =>
      void retryLink(entry.id).then(async (url) => {
        if (!url) return;
        await browser.tabs.create({ url });
        window.close();
      }),
    onRemove: (entry: HistoryEntry) =>
      void Promise.all([removeHistory(entry.id), forgetRetryLink(entry.id)]).then(loadHistory),
  };

  useEffect(() => {
    void loadHistory();
    void (async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) return setShare(null);
      setTabId(tab.id);
      // Pages without a share have no listener: the question then simply gets no answer.
      const answer = await sendMessage('popup:getPageShare', undefined, tab.id).catch(() => null);
      setShare(answer ?? null);
    })();
  }, []);

  const add = async () => {
    if (!share || tabId === undefined) return;
    const result = await sendMessage('popup:requestConfirmation', { tabId, claims: claimsFromShare(share) }).catch(
      () => undefined,
    );
    if (result?.opened) window.close();
    else setAddError(result?.error ?? 'failed');
  };

  return (
    <PopupView
      share={share}
      claims={share ? claimsFromShare(share) : undefined}
      history={history}
      onAdd={add}
      shareOut={shareOut}
      historyActions={historyActions}
      addError={addError}
      inCloud={inCloud}
    />
  );
}

render(<Popup />, document.getElementById('app')!);
