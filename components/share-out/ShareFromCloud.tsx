import { useEffect, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';
import type { ShareOutAccount, ShareOutApi } from './api';
import { ErrorNotice, Progress, useTask } from './feedback';
import { FileBrowser, type PickedItem } from './FileBrowser';
import { ItemSharing } from './ItemSharing';

type Step = { at: 'closed' } | { at: 'browse'; folder: string } | { at: 'item'; item: PickedItem; folder: string; policy: LinkPolicy; defaults: ShareDefaults };

/** "Share from my cloud": the popup's part for pages without a share. Browse, choose, share. */
export function ShareFromCloud({ api }: { api: ShareOutApi }) {
  const [account, setAccount] = useState<ShareOutAccount | null>();
  const [step, setStep] = useState<Step>({ at: 'closed' });
  const task = useTask();
  useEffect(() => void api.account().then((found) => setAccount(found ?? null), () => setAccount(null)), [api]);

  const pick = async (item: PickedItem, folder: string) => {
    // The rules can change on the server at any time: read them for every item.
    const rules = await task.run(() => Promise.all([api.policy(), api.defaults()]));
    if (rules) setStep({ at: 'item', item, folder, policy: rules[0], defaults: rules[1] });
  };

  return (
    <section aria-labelledby="share-out-heading" class="share-out">
      <h2 id="share-out-heading">{t('shareOutHeading')}</h2>
      {account === null && (
        <>
          <p class="hint">{t('shareOutConnectFirst')}</p>
          <div class="actions">
            <button type="button" onClick={api.openOptions}>
              {t('confirmConnect')}
            </button>
          </div>
        </>
      )}
      {account && step.at === 'closed' && (
        <>
          <p class="hint">{t('shareOutIntro', account.cloudId)}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setStep({ at: 'browse', folder: '/' })}>
              {t('shareOutOpen')}
            </button>
          </div>
        </>
      )}
      {account && step.at === 'browse' && <FileBrowser api={api} start={step.folder} onPick={(item, folder) => void pick(item, folder)} />}
      {task.busy && <Progress label={t('shareOutReadingRules')} />}
      <ErrorNotice error={task.error} />
      {account && step.at === 'item' && (
        <ItemSharing api={api} account={account} item={step.item} policy={step.policy} defaults={step.defaults} onBack={() => setStep({ at: 'browse', folder: step.folder })} />
      )}
    </section>
  );
}
