import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { PopupView } from '@/components/PopupView';
import { claimsFromShare } from '@/lib/confirm/claims';
import { listHistory, type HistoryEntry } from '@/lib/history/store';
import { sendMessage } from '@/lib/messaging/protocol';
import { createShareOutApi } from '@/lib/share-out/api';
import type { SharePage } from '@/lib/share/types';
import '@/components/page.css';

const shareOut = createShareOutApi();

function Popup() {
  const [tabId, setTabId] = useState<number>();
  const [share, setShare] = useState<SharePage | null>();
  const [history, setHistory] = useState<HistoryEntry[]>([]);

  useEffect(() => {
    void listHistory().then(setHistory, () => setHistory([]));
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
    const result = await sendMessage('popup:requestConfirmation', { tabId, claims: claimsFromShare(share) });
    if (result.opened) window.close();
  };

  return <PopupView share={share} claims={share ? claimsFromShare(share) : undefined} history={history} onAdd={add} shareOut={shareOut} />;
}

render(<Popup />, document.getElementById('app')!);
