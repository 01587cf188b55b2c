import type { App } from '../context';
import { str, type Params } from '../http/body';
import { remoteBase } from './cloud-id';
import { RemoteError } from './fetch';
import { INVALID_NAME, freeMountpoint, validMountName } from './mount';
import { probeRemote } from './probe';
import { remotePropfind } from './remote-dav';

// Mounting a public link of another server into a user's tree, the way ownCloud's `external` does: check the name,
// probe the remote, authenticate on its public WebDAV with token:password, then store the mount. Shared by the
// `external` endpoint (JSON answers) and the web UI's "add share" form (redirects).

export type MountResult = { ok: true; mountpoint: string } | { ok: false; message: string };

const fail = (message: string): MountResult => ({ ok: false, message });
const WRONG_PASSWORD = 'Could not authenticate to federated share, password might be wrong';

export async function mountPublicLink(app: App, uid: string, form: Params): Promise<MountResult> {
  if (!app.config.federationIncoming) return fail('Server to server sharing is not enabled on this server');
  const remote = str(form, 'remote') ?? '';
  const token = str(form, 'token') ?? '';
  const name = (str(form, 'name') ?? '').replace(/^\/+/, '').trim();
  const password = str(form, 'password') ?? '';
  const owner = str(form, 'ownerDisplayName') || str(form, 'owner') || '';
  if (!validMountName(name)) return fail(INVALID_NAME);
  if (!remote || !/^[A-Za-z0-9]{1,64}$/.test(token)) return fail(WRONG_PASSWORD);
  if (remoteBase(remote) === app.config.publicUrl) return fail('Not allowed to create a federated share with the same user server');
  let davUrl: string;
  let itemType: 'file' | 'folder';
  try {
    davUrl = (await probeRemote(app, remote)).davUrl;
    const { status, entries } = await remotePropfind(app.outbound, { davUrl, user: token, password }, [], 0);
    if (status === 401 || status === 403 || status === 404) return fail(WRONG_PASSWORD);
    if (status !== 207 || !entries[0]) return fail('Storage not valid');
    itemType = entries[0].isDir ? 'folder' : 'file';
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    app.log.warn({ event: 'mount_failed', uid, remote, reason: error.message }, 'mount failed');
    if (error.kind === 'refused' || error.kind === 'loop') return fail(error.message);
    return fail(error.kind === 'bad-response' ? 'Storage not valid' : 'Remote is unreachable');
  }
  const mountpoint = await freeMountpoint(app, uid, name);
  app.store.addRemoteShare({
    uid, kind: 'link', remote, remoteId: '-1', shareToken: token, password, name, owner, mountpoint, accepted: true, itemType, davUrl,
  });
  app.log.info({ event: 'link_mounted', uid, remote, mountpoint }, 'public link mounted');
  return { ok: true, mountpoint };
}
