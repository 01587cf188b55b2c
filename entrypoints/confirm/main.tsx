import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ConfirmView } from '@/components/ConfirmView';
import { sendMessage, type AccountSummary, type PendingConfirmation } from '@/lib/messaging/protocol';
import { loadAddSettings } from '@/lib/settings/adding';
import '@/components/page.css';

/** The tab id is the only thing in this page's URL; the share itself is fetched from the background. */
function tabIdFromLocation(): number | undefined {
  const value = Number(new URLSearchParams(location.search).get('tab'));
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

function Confirm() {
  const tabId = tabIdFromLocation();
  const [pending, setPending] = useState<PendingConfirmation | null>();
  const [accounts, setAccounts] = useState<AccountSummary[]>();
  const [addAtOnce, setAddAtOnce] = useState(false);
  useEffect(() => {
    if (tabId === undefined) return setPending(null);
    // Accounts and the "confirm before adding" setting arrive together, so the choice is made once.
    void Promise.all([sendMessage('confirm:accounts'), loadAddSettings()]).then(
      ([list, settings]) => {
        setAddAtOnce(!settings.confirmBeforeAdding);
        setAccounts(list);
      },
      () => setAccounts([]),
    );
    sendMessage('confirm:get', { tabId }).then(setPending, () => setPending(null));
  }, [tabId]);
  return (
    <ConfirmView
      pending={pending}
      accounts={accounts}
      addAtOnce={addAtOnce}
      onAdd={(accountId, password) => sendMessage('confirm:add', { tabId: tabId!, accountId, password })}
      onPrepare={(accountId) =>
        void sendMessage('confirm:prepare', { tabId: tabId!, accountId }).catch(() => undefined)
      }
      onOpenOptions={() => void browser.runtime.openOptionsPage()}
      onClose={() => window.close()}
    />
  );
}

render(<Confirm />, document.getElementById('app')!);
