import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';
import type { ShareOutAccount, ShareOutApi } from '@/lib/ui/share-out-api';
import { ErrorNotice, Progress, useTask } from './feedback';
import { FileBrowser, type PickedItem } from './FileBrowser';
import { ItemSharing } from './ItemSharing';

type Step =
  | { at: 'closed' }
  | { at: 'browse'; folder: string }
  | { at: 'item'; item: PickedItem; folder: string; policy: LinkPolicy; defaults: ShareDefaults };

/** Which connected cloud to share from; shown only when there is more than one. */
function AccountPicker({
  accounts,
  chosen,
  onChoose,
}: {
  accounts: ShareOutAccount[];
  chosen: string;
  onChoose: (id: string) => void;
}) {
  if (accounts.length < 2) return null;
  return (
    <div class="option-row">
      <label for="share-out-account">{t('shareOutAccount')}</label>
      <select id="share-out-account" value={chosen} onChange={(e) => onChoose((e.target as HTMLSelectElement).value)}>
        {accounts.map((account) => (
          <option key={account.id} value={account.id}>
            {t('shareOutAccountOption', [account.displayName, account.cloudId])}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Share from my cloud": the popup's part for pages without a share. Choose the cloud, browse, choose, share. */
export function ShareFromCloud({ api, onOpenChange }: { api: ShareOutApi; onOpenChange?: (open: boolean) => void }) {
  const [accounts, setAccounts] = useState<ShareOutAccount[]>();
  const [chosenId, setChosenId] = useState<string>();
  const [step, setStep] = useState<Step>({ at: 'closed' });
  const task = useTask();
  useEffect(
    () =>
      void api.accounts().then(
        (found) => {
          setAccounts(found);
          setChosenId((current) => current ?? found[0]?.id);
        },
        () => setAccounts([]),
      ),
    [api],
  );
  // The popup makes room while files are open (it must fit 600 px without scrolling).
  const isOpen = step.at !== 'closed';
  useEffect(() => onOpenChange?.(isOpen), [isOpen]);
  const account = accounts?.find((a) => a.id === chosenId);
  // Every file and share operation below speaks to the chosen account's cloud.
  const cloud = useMemo(() => (chosenId ? api.forAccount(chosenId) : api), [api, chosenId]);

  const choose = (id: string) => {
    setChosenId(id);
    task.clear();
    // Another cloud has other files: start over at its top, unless nothing was open yet.
    setStep((current) => (current.at === 'closed' ? current : { at: 'browse', folder: '/' }));
  };

  const pick = async (item: PickedItem, folder: string) => {
    // The rules can change on the server at any time: read them for every item.
    const rules = await task.run(() => Promise.all([cloud.policy(), cloud.defaults()]));
    if (rules) setStep({ at: 'item', item, folder, policy: rules[0], defaults: rules[1] });
  };

  return (
    <section aria-labelledby="share-out-heading" class="share-out">
      <h2 id="share-out-heading">{t('shareOutHeading')}</h2>
      {accounts?.length === 0 && (
        <>
          <p class="hint">{t('shareOutConnectFirst')}</p>
          <div class="actions">
            <button type="button" onClick={api.openOptions}>
              {t('confirmConnect')}
            </button>
          </div>
        </>
      )}
      {accounts && account && <AccountPicker accounts={accounts} chosen={account.id} onChoose={choose} />}
      {account && step.at === 'closed' && (
        <>
          <p class="hint">{t('shareOutIntro', t('shareOutAccountOption', [account.displayName, account.cloudId]))}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setStep({ at: 'browse', folder: '/' })}>
              {t('shareOutOpen')}
            </button>
          </div>
        </>
      )}
      {account && step.at === 'browse' && (
        <FileBrowser
          key={account.id}
          api={cloud}
          start={step.folder}
          onPick={(item, folder) => void pick(item, folder)}
        />
      )}
      {task.busy && <Progress label={t('shareOutReadingRules')} />}
      <ErrorNotice error={task.error} />
      {account && step.at === 'item' && (
        <ItemSharing
          key={account.id}
          api={cloud}
          account={account}
          item={step.item}
          policy={step.policy}
          defaults={step.defaults}
          onBack={() => setStep({ at: 'browse', folder: step.folder })}
        />
      )}
    </section>
  );
}
