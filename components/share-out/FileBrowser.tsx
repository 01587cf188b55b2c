import { useEffect, useMemo, useState } from 'preact/hooks';
import { t } from '@/lib/i18n';
import type { FileItem } from '@/lib/share-out/files';
import type { Ownership } from '@/lib/share-out/received';
import type { ShareOutApi } from '@/lib/ui/share-out-api';
import { ErrorNotice, Progress, useFocusOn, useTask } from './feedback';
import { ItemIcon } from './ItemIcon';

/** A popup cannot show thousands of rows usefully: past this many, the filter narrows the list down. */
export const MAX_ROWS = 100;

const parentOf = (path: string) => path.replace(/\/[^/]*\/?$/, '') || '/';
const folderName = (path: string) => (path === '/' ? t('shareOutRoot') : path.split('/').filter(Boolean).at(-1)!);

export interface PickedItem {
  path: string;
  name: string;
  isFolder: boolean;
  /** Received or own, as the server listed it; absent = own. */
  ownership?: Ownership;
}

/** "Shared with you" for received items, "Shared" for the user's own shared ones: the row says before the click. */
function OwnershipBadge({ ownership }: { ownership?: Ownership }) {
  if (ownership?.received)
    return (
      <span class="badge" data-testid="received-badge">
        {t('shareOutReceivedBadge')}
      </span>
    );
  if (ownership?.sharedOut) return <span class="badge">{t('shareOutSharedBadge')}</span>;
  return null;
}

/** One folder of the user's files at a time, with a name filter; every row can be opened (folders) or chosen. */
export function FileBrowser({
  api,
  start = '/',
  onPick,
}: {
  api: Pick<ShareOutApi, 'list'>;
  start?: string;
  onPick: (item: PickedItem, folder: string) => void;
}) {
  const [folder, setFolder] = useState(start);
  const [items, setItems] = useState<FileItem[]>();
  const [self, setSelf] = useState<FileItem>();
  const [filter, setFilter] = useState('');
  const task = useTask();
  const heading = useFocusOn<HTMLHeadingElement>(folder);

  const load = (path: string) => {
    setItems(undefined);
    setSelf(undefined);
    void task
      .run(() => api.list(path))
      .then((listing) => {
        if (!listing) return;
        setItems(listing.items);
        setSelf(listing.folder);
      });
  };
  useEffect(() => load(folder), [folder]);

  const open = (path: string) => {
    setFilter('');
    setFolder(path);
  };
  const matches = useMemo(() => {
    const needle = filter.trim().toLocaleLowerCase();
    return (items ?? []).filter((item) => item.name.toLocaleLowerCase().includes(needle));
  }, [items, filter]);

  return (
    <div class="file-browser">
      <div class="folder-bar">
        <h3 id="folder-heading" data-testid="folder" tabIndex={-1} ref={heading}>
          {folderName(folder)}
        </h3>
        {folder !== '/' && (
          <>
            <button type="button" onClick={() => open(parentOf(folder))}>
              {t('shareOutUp')}
            </button>
            <button
              type="button"
              class="primary"
              onClick={() =>
                onPick(
                  { path: folder, name: folderName(folder), isFolder: true, ownership: self?.ownership },
                  parentOf(folder),
                )
              }
            >
              {t('shareOutShareThisFolder')}
            </button>
          </>
        )}
      </div>
      <div class="field">
        <label for="file-filter">{t('shareOutFilter')}</label>
        <input
          id="file-filter"
          type="search"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        />
      </div>
      {task.busy && <Progress label={t('shareOutLoadingFolder')} />}
      <ErrorNotice error={task.error} />
      {task.error !== undefined && (
        <div class="actions">
          <button type="button" onClick={() => load(folder)}>
            {t('tryAgain')}
          </button>
        </div>
      )}
      {items && items.length === 0 && <p class="hint">{t('shareOutEmptyFolder')}</p>}
      {items && items.length > 0 && matches.length === 0 && <p class="hint">{t('shareOutNoMatch', filter)}</p>}
      {matches.length > 0 && (
        <ul class="files" aria-labelledby="folder-heading">
          {matches.slice(0, MAX_ROWS).map((item) => (
            <li key={item.path} data-testid="file-row">
              <ItemIcon isFolder={item.isFolder} />
              {item.isFolder ? (
                <button
                  type="button"
                  class="link-like"
                  onClick={() => open(item.path)}
                  aria-label={t('shareOutOpenFolder', item.name)}
                >
                  {item.name}
                </button>
              ) : (
                <span class="file-name">{item.name}</span>
              )}
              <OwnershipBadge ownership={item.ownership} />
              <button
                type="button"
                onClick={() =>
                  onPick(
                    { path: item.path, name: item.name, isFolder: item.isFolder, ownership: item.ownership },
                    folder,
                  )
                }
                aria-label={t('shareOutShareItem', item.name)}
              >
                {t('shareOutShare')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {matches.length > MAX_ROWS && (
        <p class="hint" role="status">
          {t('shareOutMore', [String(MAX_ROWS), String(matches.length)])}
        </p>
      )}
    </div>
  );
}
