import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';

/**
 * Whether an item of the user's files is their own or came from someone else, from the WebDAV properties both
 * ownCloud 10 and Nextcloud publish (Node::getDavPermissions, the Nextcloud FilesPlugin):
 * - `oc:permissions` letters: S = shared with the user (a received share and everything in it), M = mounted from
 *   elsewhere (external storage), R = may be shared on (reshare). The companion marks its mounts with S too.
 * - `nc:mount-type` (Nextcloud): "shared" for received shares (user and federated), "external" for external
 *   storage; "" (home) and "group" (group folders) are the user's own to share.
 * - `oc:share-types`: the kinds of shares the user made of the item (outgoing), e.g. 3 for a public link.
 * A public link can only be made by the owner of the data: the servers refuse it on a received item ("Wrong path"),
 * so the popup must know before it offers one.
 */
export interface Ownership {
  /** Shared with the user or mounted from elsewhere: no public link from here. */
  received: boolean;
  /** The server lets the user pass it on (to a cloud id); only meaningful when received. */
  canReshare: boolean;
  /** The user already shares it (link or otherwise). */
  sharedOut: boolean;
}

/** The props as the `webdav` package hands them over (namespace prefixes removed, numbers parsed). */
export type DavProps = Record<string, unknown>;

const letters = (value: unknown) => (typeof value === 'string' ? value : '');

const ShareTypes = v.object({ 'share-type': v.optional(v.unknown()) });

/**
 * `<oc:share-types><oc:share-type>3</oc:share-type>…` arrives as '', { 'share-type': 3 } or { 'share-type': [0, 3] }.
 */
function shareTypes(value: unknown): number[] {
  const inner = readAnswer(ShareTypes, value)?.['share-type'];
  const list = Array.isArray(inner) ? inner : inner === undefined ? [] : [inner];
  return list.map(Number).filter((n) => Number.isInteger(n));
}

export function ownershipOf(props: DavProps): Ownership {
  const permissions = letters(props.permissions);
  const mountType = letters(props['mount-type']);
  const received = /[SM]/.test(permissions) || mountType === 'shared' || mountType === 'external';
  return { received, canReshare: permissions.includes('R'), sharedOut: shareTypes(props['share-types']).length > 0 };
}

/** The PROPFIND body that asks for what ownershipOf needs besides the usual file facts. Unknown props answer 404. */
export const PROPFIND_BODY = `<?xml version="1.0" encoding="UTF-8"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns" xmlns:nc="http://nextcloud.org/ns">
  <d:prop>
    <d:getlastmodified/>
    <d:getcontentlength/>
    <d:getcontenttype/>
    <d:resourcetype/>
    <d:getetag/>
    <oc:permissions/>
    <oc:share-types/>
    <nc:mount-type/>
  </d:prop>
</d:propfind>`;
