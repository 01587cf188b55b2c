import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ConfirmView } from '@/components/ConfirmView';
import { sendMessage, type PendingConfirmation } from '@/lib/messaging/protocol';
import '@/components/page.css';

/** The tab id is the only thing in this page's URL; the share itself is fetched from the background. */
function tabIdFromLocation(): number | undefined {
  const value = Number(new URLSearchParams(location.search).get('tab'));
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function Confirm() {
  const [pending, setPending] = useState<PendingConfirmation | null>();
  useEffect(() => {
    const tabId = tabIdFromLocation();
    if (tabId === undefined) return setPending(null);
    sendMessage('confirm:get', { tabId }).then(setPending, () => setPending(null));
  }, []);
  return (
    <ConfirmView
      pending={pending}
      onOpenOptions={() => void browser.runtime.openOptionsPage()}
      onClose={() => window.close()}
    />
  );
}

render(<Confirm />, document.getElementById('app')!);
