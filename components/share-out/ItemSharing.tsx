import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { LinkShare } from '@/lib/share-out/links';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';
import type { ShareOutAccount, ShareOutApi } from './api';
import { CloudIdShare } from './CloudIdShare';
import type { PickedItem } from './FileBrowser';
import { ItemIcon } from './ItemIcon';
import { useFocusOn } from './feedback';
import { LinkForm } from './LinkForm';
import { LinkList } from './LinkList';
import { LinkResult } from './LinkResult';

interface Props {
  api: ShareOutApi;
  account: ShareOutAccount;
  item: PickedItem;
  policy: LinkPolicy;
  defaults: ShareDefaults;
  onBack: () => void;
}

/** Everything about one chosen item: a new link (then how to pass it on), its existing shares, a cloud id share. */
export function ItemSharing({ api, account, item, policy, defaults, onBack }: Props) {
  const [created, setCreated] = useState<{ link: LinkShare; password: string }>();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const heading = useFocusOn<HTMLHeadingElement>(item.path);

  return (
    <div class="item-sharing">
      <div class="folder-bar">
        <h3 data-testid="chosen-item" tabIndex={-1} ref={heading}>
          <ItemIcon isFolder={item.isFolder} /> {item.name}
        </h3>
        <button type="button" onClick={onBack}>
          {t('shareOutBack')}
        </button>
      </div>
      {created ? (
        <>
          <LinkResult api={api} item={item} link={created.link} password={created.password} senderName={account.displayName} />
          <div class="actions">
            <button type="button" onClick={() => setCreated(undefined)}>
              {t('linkAnother')}
            </button>
          </div>
        </>
      ) : (
        <LinkForm
          api={api}
          item={item}
          policy={policy}
          defaults={defaults}
          onCreated={(link, password) => {
            setCreated({ link, password });
            changed();
          }}
        />
      )}
      <LinkList api={api} path={item.path} version={version} />
      <CloudIdShare api={api} path={item.path} onShared={changed} />
    </div>
  );
}
