import type { App } from '../context';
import { str, type Params } from '../http/body';
import { remoteBase } from './cloud-id';
import { RemoteError } from './fetch';
import { INVALID_NAME, mountAtFreeMountpoint, validMountName } from './external-mounts';
import { ocisLinkState, openOcisLink } from './ocis-link';
import { probeRemote } from './probe';
import { remotePropfind } from './remote-dav';

// Mounting a public link of another server into a user's tree, the way ownCloud's `external` does: check the name,
// probe the remote, authenticate on its public WebDAV with token:password, then store the mount. Shared by the
// `external` endpoint (JSON answers) and the web UI's "add share" form (redirects).

type ExternalLinkResult = { ok: true; mountpoint: string } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });
const WRONG_PASSWORD = 'Could not authenticate to federated share, password might be wrong';
/** Only oCIS/OpenCloud tell a deleted link from a wrong password (404 vs 401); ownCloud 10 answers 401 to both. */
const LINK_GONE = 'The public link does not exist (any more)';

export async function mountExternalLink(app: App, uid: string, form: Params): Promise<ExternalLinkResult> {
  if (!app.config.federationIncoming) return fail('Server to server sharing is not enabled on this server');
  const remote = str(form, 'remote') ?? '';
  const token = str(form, 'token') ?? '';
  const name = (str(form, 'name') ?? '').replace(/^\/+/, '').trim();
  const password = str(form, 'password') ?? '';
  const owner = str(form, 'ownerDisplayName') || str(form, 'owner') || '';
  if (!validMountName(name)) return fail(INVALID_NAME);
  if (!remote || !/^[A-Za-z0-9]{1,64}$/.test(token)) return fail(WRONG_PASSWORD);
  if (remoteBase(remote) === app.config.publicUrl)
    return fail('Not allowed to create a federated share with the same user server');
  let davUrl: string;
  let itemType: 'file' | 'folder';
  let storedPassword = password;
  try {
    const probed = await probeRemote(app, remote);
    if (probed.family === 'ocis') {
      const opened = await mountOcisLink(app, probed.base, token, password);
      if (!opened.ok) return opened;
      ({ davUrl, itemType, password: storedPassword } = opened);
    } else {
      davUrl = probed.davUrl;
      const { status, entries } = await remotePropfind(app.outbound, { davUrl, user: token, password }, [], 0);
      if (status === 401 || status === 403 || status === 404) return fail(WRONG_PASSWORD);
      if (status !== 207 || !entries[0]) return fail('Storage not valid');
      itemType = entries[0].isDir ? 'folder' : 'file';
    }
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    app.log.warn({ event: 'mount_failed', uid, remote, reason: error.message }, 'mount failed');
    if (error.kind === 'refused' || error.kind === 'loop') return fail(error.message);
    return fail(error.kind === 'bad-response' ? 'Storage not valid' : 'Remote is unreachable');
  }
  const { mountpoint } = await mountAtFreeMountpoint(app, uid, name, (free) =>
    app.store.addExternalShare({
      uid,
      kind: 'link',
      remote,
      remoteId: '-1',
      shareToken: token,
      password: storedPassword,
      name,
      owner,
      mountpoint: free,
      accepted: true,
      itemType,
      davUrl,
    }),
  );
  app.log.info({ event: 'link_mounted', uid, remote, mountpoint }, 'public link mounted');
  return { ok: true, mountpoint };
}

/**
 * An Infinite Scale / OpenCloud link: tokeninfo (and an anonymous PROPFIND where tokeninfo cannot tell) says whether
 * it exists and wants a password, then the link is opened with it. A file link is mounted as its one file.
 */
type OcisMount =
  { ok: true; davUrl: string; itemType: 'file' | 'folder'; password: string } | { ok: false; message: string };

async function mountOcisLink(app: App, base: string, token: string, password: string): Promise<OcisMount> {
  const state = await ocisLinkState(app.outbound, base, token);
  if (state === 'missing') return fail(LINK_GONE);
  if (state === 'internal')
    return fail('This link is only for users logged in to its server; it cannot be mounted elsewhere');
  if (state === 'protected' && !password) return fail(WRONG_PASSWORD);
  // An open link ignores a password given anyway, as ownCloud 10 does; reads then send an empty one (recorded: 207).
  const linkPassword = state === 'open' ? '' : password;
  const opened = await openOcisLink(app.outbound, base, token, linkPassword);
  if (opened.ok) return { ...opened, password: linkPassword };
  if (opened.status === 404) return fail(LINK_GONE);
  if (opened.status === 401 || opened.status === 403) return fail(WRONG_PASSWORD);
  return fail('Storage not valid');
}
