import type { FolderListing } from '@/lib/share-out/files';
import type { CloudShare, ItemShares, LinkShare, NewLink } from '@/lib/share-out/links';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';

/** A connected cloud one can share from. */
export interface ShareOutAccount {
  id: string;
  displayName: string;
  cloudId: string;
  isDefault: boolean;
}

/**
 * Everything "Share from my cloud" does outside the view (network, storage, clipboard), so the components can be
 * tested with a fake. lib/share-out/api.ts is the real one.
 */
export interface ShareOutApi {
  /** The connected clouds (bridges excluded), the default one first. */
  accounts(): Promise<ShareOutAccount[]>;
  /** The same api, its file and share operations speaking to this account's cloud (the default one otherwise). */
  forAccount(id: string): ShareOutApi;
  policy(): Promise<LinkPolicy>;
  defaults(): Promise<ShareDefaults>;
  list(path: string): Promise<FolderListing>;
  shares(path: string): Promise<ItemShares>;
  createLink(path: string, link: NewLink): Promise<LinkShare>;
  revoke(id: string): Promise<void>;
  shareWithCloudId(path: string, cloudId: string): Promise<CloudShare>;
  copy(text: string): Promise<void>;
  openOptions(): void;
}
