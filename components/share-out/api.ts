import type { FileItem } from '@/lib/share-out/files';
import type { CloudShare, ItemShares, LinkShare, NewLink } from '@/lib/share-out/links';
import type { LinkPolicy } from '@/lib/share-out/policy';
import type { ShareDefaults } from '@/lib/share-out/settings';

/** Who shares: the default connected account. */
export interface ShareOutAccount {
  displayName: string;
  cloudId: string;
}

/**
 * Everything "Share from my cloud" does outside the view (network, storage, clipboard), so the components can be
 * tested with a fake. lib/share-out/api.ts is the real one.
 */
export interface ShareOutApi {
  account(): Promise<ShareOutAccount | undefined>;
  policy(): Promise<LinkPolicy>;
  defaults(): Promise<ShareDefaults>;
  list(path: string): Promise<FileItem[]>;
  shares(path: string): Promise<ItemShares>;
  createLink(path: string, link: NewLink): Promise<LinkShare>;
  revoke(id: string): Promise<void>;
  shareWithCloudId(path: string, cloudId: string): Promise<CloudShare>;
  copy(text: string): Promise<void>;
  openOptions(): void;
}
