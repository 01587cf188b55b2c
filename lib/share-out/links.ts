import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import type { InstanceClient } from '@/lib/instance/client';
import { InstanceError } from '@/lib/instance/errors';
import type { ServerKind } from '@/lib/share/types';
import { linkPermissionBits, type LinkRequest } from './policy';

/**
 * The OCS share API for one item of the user's own files (docs/protocols.md#ocs-share-api): create a public link, list
 * and revoke the item's shares, share with a federated cloud id. Both ownCloud 10 and Nextcloud answer in the
 * same shape, with ids as strings (ownCloud) or numbers (Nextcloud).
 */
const SHARES = '/ocs/v2.php/apps/files_sharing/api/v1/shares';

export interface LinkShare {
  id: string;
  url: string;
  permissions: number;
  /** YYYY-MM-DD or '' for none. */
  expireDate: string;
  label: string;
  hasPassword: boolean;
}

export interface CloudShare {
  id: string;
  shareWith: string;
}

export interface ItemShares {
  links: LinkShare[];
  cloud: CloudShare[];
}

export interface NewLink extends LinkRequest {
  label: string;
}

const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';

function parseLink(r: Record<string, unknown>): LinkShare {
  return {
    id: text(r.id),
    url: text(r.url),
    permissions: Number(r.permissions) || 0,
    // ownCloud sends "2026-12-01 00:00:00", Nextcloud the same; only the day matters.
    expireDate: text(r.expiration).slice(0, 10),
    label: text(r.label) || text(r.name),
    // ownCloud marks a protected link in share_with (a hash or "***redacted***"), Nextcloud in password.
    hasPassword: !!(text(r.share_with) || text(r.password)),
  };
}

/** An OCS share record: anything with an id (string on ownCloud, number on Nextcloud); parseLink reads the rest. */
const ShareRecord = v.looseObject({ id: v.union([v.pipe(v.string(), v.nonEmpty()), v.number()]) });
const Capabilities = v.object({ capabilities: v.optional(v.unknown()) });

/** One record (a create answers one) or a list of them; entries without an id are skipped. */
function records(data: unknown): Record<string, unknown>[] {
  const list: unknown[] = Array.isArray(data) ? data : [data];
  return list.flatMap((r) => readAnswer(ShareRecord, r) ?? []);
}

/** `kind`: the server generation, which decides the permission bits that match the chosen label. */
export async function createLink(
  client: InstanceClient,
  path: string,
  link: NewLink,
  kind: ServerKind,
): Promise<LinkShare> {
  const form: Record<string, string> = {
    path,
    shareType: '3',
    permissions: String(linkPermissionBits(link.permissions, kind)),
  };
  if (link.password) form.password = link.password;
  if (link.expireDate) form.expireDate = link.expireDate;
  // ownCloud calls it name, Nextcloud label: send both, each ignores the other.
  if (link.label) Object.assign(form, { name: link.label, label: link.label });
  const [created] = records(await client.ocs('POST', SHARES, form));
  if (!created || !text(created.url)) throw new InstanceError('bad-response');
  return parseLink(created);
}

export async function listShares(client: InstanceClient, path: string): Promise<ItemShares> {
  const query = new URLSearchParams({ path, reshares: 'true' });
  const all = records(await client.ocs('GET', `${SHARES}?${query}`));
  return {
    links: all.filter((r) => Number(r.share_type) === 3).map(parseLink),
    cloud: all
      .filter((r) => Number(r.share_type) === 6)
      .map((r) => ({ id: text(r.id), shareWith: text(r.share_with) })),
  };
}

export async function revokeShare(client: InstanceClient, id: string): Promise<void> {
  await client.ocs('DELETE', `${SHARES}/${encodeURIComponent(id)}`);
}

/** A federated user share (shareType 6); the server finds the receiver through OCM discovery. */
export async function shareWithCloudId(client: InstanceClient, path: string, cloudId: string): Promise<CloudShare> {
  const [created] = records(
    await client.ocs('POST', SHARES, { path, shareType: '6', shareWith: cloudId, permissions: '1' }),
  );
  if (!created) throw new InstanceError('bad-response');
  return { id: text(created.id), shareWith: text(created.share_with) || cloudId };
}

/** user@host, where the user part may itself hold an @ (e-mail logins): at least one @ with text on both sides. */
export function isCloudId(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && at < value.length - 1 && !/\s/.test(value);
}

/** `capabilities` of GET /ocs/v2.php/cloud/capabilities, for parseLinkPolicy and the diagnostics. */
export async function fetchCapabilities(client: InstanceClient): Promise<unknown> {
  return readAnswer(Capabilities, await client.ocs('GET', '/ocs/v2.php/cloud/capabilities'))?.capabilities ?? {};
}
