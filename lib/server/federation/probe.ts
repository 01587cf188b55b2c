import type { App } from '../context';
import { RemoteError, remoteJson } from './fetch';
import { candidateBases, joinBase } from './cloud-id';
import { webdavPath } from './ocm-client';

// Finding out whether something is an ownCloud-compatible server and where its public WebDAV lives, the way an
// ownCloud receiver does: status.php, then ocs-provider (FEDERATED_SHARING webdav), falling back to /public.php/webdav/.

export interface ProbedRemote {
  base: string;
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

async function probeBase(app: App, base: string): Promise<ProbedRemote> {
  const status = await remoteJson(`${base}/status.php`, app.config.remoteTimeoutMs);
  if (status.status !== 200 || !isStatus(status.body)) throw new RemoteError('bad-response', 'Remote is not an ownCloud-compatible server');
  let webdav: string | undefined;
  try {
    const provider = await remoteJson(`${base}/ocs-provider/`, app.config.remoteTimeoutMs);
    const endpoint = (provider.body as { services?: { FEDERATED_SHARING?: { endpoints?: { webdav?: unknown } } } } | undefined)
      ?.services?.FEDERATED_SHARING?.endpoints?.webdav;
    if (typeof endpoint === 'string' && endpoint.startsWith('/')) webdav = endpoint;
  } catch {
    // ocs-provider is optional; the default endpoint works for ownCloud, Nextcloud and us
  }
  // ownCloud 10 reads the OCM discovery next, before its first PROPFIND (captures s2s-via-8111-to-alice/001-004); we
  // do the same and use its WebDAV path when ocs-provider named none.
  try {
    const ocm = await remoteJson(`${base}/ocm-provider/`, app.config.remoteTimeoutMs);
    const path = typeof ocm.body === 'object' && ocm.body !== null ? webdavPath(ocm.body as Record<string, unknown>) : undefined;
    if (webdav === undefined && path?.startsWith('/')) webdav = path;
  } catch {
    // optional as well
  }
  return { base, davUrl: joinBase(base, webdav ?? '/public.php/webdav/') };
}

/** testremote: "https", "http" or false, probing https first like ownCloud. */
export async function remoteProtocol(app: App, remote: string): Promise<'https' | 'http' | false> {
  const hostPart = remote.trim().replace(/^https?:\/\//i, '').replace(/\/+$/, '');
  if (!/^[A-Za-z0-9.\-[\]]+(:\d+)?(\/[A-Za-z0-9._~\-/]*)?$/.test(hostPart)) return false;
  for (const scheme of ['https', 'http'] as const) {
    try {
      const { status, body } = await remoteJson(`${scheme}://${hostPart}/status.php`, Math.min(3000, app.config.remoteTimeoutMs));
      if (status === 200 && isStatus(body)) return scheme;
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
    }
  }
  return false;
}
