import type { Ref } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { LinkShare } from '@/lib/share-out/links';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';
import type { ShareOutAccount, ShareOutApi } from '@/lib/ui/share-out-api';
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

function ItemHeading({
  item,
  heading,
  onBack,
}: {
  item: PickedItem;
  heading: Ref<HTMLHeadingElement>;
  onBack: () => void;
}) {
  return (
    <div class="folder-bar">
      <h3 data-testid="chosen-item" tabIndex={-1} ref={heading}>
        <ItemIcon isFolder={item.isFolder} /> {item.name}
      </h3>
      <button type="button" onClick={onBack}>
        {t('shareOutBack')}
      </button>
    </div>
  );
}

/**
 * A received item (shared with the user, or mounted from elsewhere): only its owner can make a public link, and the
 * server would refuse one with a bare "Wrong path". Say so, and offer what works: passing it on to a cloud id where
 * the owner allowed resharing.
 */
function ReceivedItem({ api, item, onShared }: { api: ShareOutApi; item: PickedItem; onShared: () => void }) {
  const canReshare = !!item.ownership?.canReshare;
  return (
    <>
      <div class="notice" role="note" data-testid="received-note">
        <p>{t(item.isFolder ? 'receivedFolderNoLink' : 'receivedFileNoLink')}</p>
        <p>{t(canReshare ? 'receivedCanReshare' : 'receivedNoReshare')}</p>
      </div>
      {canReshare && <CloudIdShare api={api} path={item.path} onShared={onShared} />}
    </>
  );
}

/** Everything about one chosen item: a new link (then how to pass it on), its existing shares, a cloud id share. */
export function ItemSharing({ api, account, item, policy, defaults, onBack }: Props) {
  const [created, setCreated] = useState<{ link: LinkShare; password: string }>();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  const heading = useFocusOn<HTMLHeadingElement>(item.path);

  if (item.ownership?.received) {
    return (
      <div class="item-sharing">
        <ItemHeading item={item} heading={heading} onBack={onBack} />
        <ReceivedItem api={api} item={item} onShared={changed} />
      </div>
    );
  }

  return (
    <div class="item-sharing">
      <ItemHeading item={item} heading={heading} onBack={onBack} />
      {created ? (
        <>
          <LinkResult
            api={api}
            item={item}
            link={created.link}
            password={created.password}
            senderName={account.displayName}
          />
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
      {/* Folded, so the popup fits Chrome's 600 px without scrolling. */}
      <details class="more" data-testid="existing-shares">
        <summary>{t('linksExisting')}</summary>
        <LinkList api={api} path={item.path} version={version} />
      </details>
      <details class="more" data-testid="cloud-share">
        <summary>{t('cloudShareHeading')}</summary>
        <CloudIdShare api={api} path={item.path} onShared={changed} />
      </details>
    </div>
  );
}
