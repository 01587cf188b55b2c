import type { App } from '../context';
import { RemoteError, remoteJson, requireSameOrigin } from './fetch';
import { candidateBases, joinBase } from './cloud-id';
import { webdavPath } from './ocm-client';
import { isOcisStatus, publicFilesRoot } from './ocis-link';

// Finding out whether something is an ownCloud-compatible server and where its public WebDAV lives, the way an
// ownCloud receiver does: status.php, then ocs-provider (FEDERATED_SHARING webdav), falling back to
// /public.php/webdav/. Infinite Scale and OpenCloud (status.php names them) serve links elsewhere: see ocis-link.ts.

interface ProbedRemote {
  base: string;
  /**
   * 'ocis' for Infinite Scale / OpenCloud: davUrl is then the folder of all links (`…/public-files/`), token in the
   * path.
   */
  family: 'owncloud' | 'ocis';
  davUrl: string;
}

function isStatus(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { installed?: unknown }).installed === true;
}

export async function probeRemote(app: App, remote: string): Promise<ProbedRemote> {
  let failure: RemoteError | undefined;
  for (const base of candidateBases(remote)) {
    try {
      return await probeBase(app, base);
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      failure = error;
    }
  }
  throw failure ?? new RemoteError('unreachable', 'Remote is unreachable');
}

/** Refusals and loops end a probe; an optional endpoint that fails otherwise is just skipped. */
function mustStop(error: unknown): boolean {
  return !(error instanceof RemoteError) || error.kind === 'refused' || error.kind === 'loop';
}

async function probeBase(app: App, base: string): Promise<ProbedRemote> {
  const status = await remoteJson(app.outbound, `${base}/status.php`);
  if (status.status !== 200 || !isStatus(status.body))
    throw new RemoteError('bad-response', 'Remote is not an ownCloud-compatible server');
  // They have no ocs-provider and no ocm-provider (404), and one fixed public WebDAV on their own origin.
  if (isOcisStatus(status.body)) return { base, family: 'ocis', davUrl: publicFilesRoot(base) };
  let webdav: string | undefined;
  try {
    const provider = await remoteJson(app.outbound, `${base}/ocs-provider/`);
    const endpoint = (
      provider.body as { services?: { FEDERATED_SHARING?: { endpoints?: { webdav?: unknown } } } } | undefined
    )?.services?.FEDERATED_SHARING?.endpoints?.webdav;
    if (typeof endpoint === 'string' && endpoint.startsWith('/')) webdav = endpoint;
  } catch (error) {
    // ocs-provider is optional (the default endpoint works for ownCloud, Nextcloud and us), but a refusal stops here
    if (mustStop(error)) throw error;
  }
  // ownCloud 10 reads the OCM discovery next, before its first PROPFIND (captures s2s-via-8111-to-alice/001-004); we
  // do the same and use its WebDAV path when ocs-provider named none.
  try {
    const ocm = await remoteJson(app.outbound, `${base}/ocm-provider/`);
    const path =
      typeof ocm.body === 'object' && ocm.body !== null ? webdavPath(ocm.body as Record<string, unknown>) : undefined;
    if (webdav === undefined && path?.startsWith('/')) webdav = path;
  } catch (error) {
    if (mustStop(error)) throw error; // optional as well
  }
  return {
    base,
    family: 'owncloud',
    davUrl: requireSameOrigin(base, joinBase(base, webdav ?? '/public.php/webdav/'), 'WebDAV'),
  };
}

/** testremote: "https", "http" or false, probing https first like ownCloud. */
export async function remoteProtocol(app: App, remote: string): Promise<'https' | 'http' | false> {
  const hostPart = remote
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.\-[\]]+(:\d+)?(\/[A-Za-z0-9._~\-/]*)?$/.test(hostPart)) return false;
  for (const scheme of ['https', 'http'] as const) {
    try {
      const { status, body } = await remoteJson(app.outbound, `${scheme}://${hostPart}/status.php`);
      if (status === 200 && isStatus(body)) return scheme;
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
    }
  }
  return false;
}
