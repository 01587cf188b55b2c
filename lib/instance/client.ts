import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { InstanceError, refusalForStatus } from './errors';
import { externalRefusal, readExternalAnswer } from './external-answer';
import { request, type HttpOptions } from './http';
import { unwrapOcs } from './ocs';
import { parseRemoteShares, type RemoteShare } from './remote-shares';

export interface Credentials {
  /** origin + base path of the user's instance. */
  baseUrl: string;
  loginName: string;
  /** A revocable app password; never the login password. */
  appPassword: string;
}

export interface PublicLinkMount {
  /** The sharer's base URL (origin + base path). */
  remote: string;
  token: string;
  owner: string;
  ownerDisplayName: string;
  name: string;
  password: string;
}

/** OCS `cloud/user`: the login's user id, and the display name (Nextcloud `display-name`, ownCloud `displayname`). */
const CurrentUser = v.object({
  id: v.pipe(v.string(), v.nonEmpty()),
  'display-name': v.optional(v.unknown()),
  displayname: v.optional(v.unknown()),
});

function basic(loginName: string, secret: string): string {
  const bytes = new TextEncoder().encode(`${loginName}:${secret}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * The user's own instance, spoken to with the app password only (Basic auth, no cookies). Each method is one
 * documented server call (docs/protocols.md#remote-shares, docs/protocols.md#external-mount,
 * docs/protocols.md#app-passwords); every failure is an InstanceError with a message the UI can show as it is.
 */
export class InstanceClient {
  constructor(
    private readonly credentials: Credentials,
    private readonly options: Pick<HttpOptions, 'fetchImpl' | 'timeoutMs'> = {},
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      Authorization: basic(this.credentials.loginName, this.credentials.appPassword),
      'OCS-APIRequest': 'true',
      Accept: 'application/json',
      ...extra,
    };
  }

  /**
   * An OCS call; `path` starts at /ocs/… . A read that meets a server error is tried once more: Nextcloud answers
   * `remote_shares` with a one-time 500 (OCS 996) while it drops a share that vanished on its source, and the call
   * right after succeeds (captured: vanish2-*). The server's own error text never reaches the user.
   */
  async ocs(method: string, path: string, form?: Record<string, string>): Promise<unknown> {
    const url = new URL(`${this.credentials.baseUrl}${path}`);
    url.searchParams.set('format', 'json');
    const send = () =>
      request(url.href, {
        ...this.options,
        method,
        headers: this.headers(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
    let response = await send();
    if (method === 'GET' && response.status >= 500) {
      await response.body?.cancel().catch(() => undefined);
      response = await send();
    }
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: a lost login (401) still says so; any other such answer cannot be read.
      if (response.status === 401) throw refusalForStatus(401);
      throw new InstanceError('bad-response', undefined, response.status);
    }
    if (response.status >= 500) throw refusalForStatus(response.status);
    return unwrapOcs(body);
  }

  async currentUser(): Promise<{ id: string; displayName: string }> {
    const data = readAnswer(CurrentUser, await this.ocs('GET', '/ocs/v2.php/cloud/user'));
    if (!data) throw new InstanceError('bad-response');
    const displayName = [data['display-name'], data.displayname].find(
      (v): v is string => typeof v === 'string' && v.length > 0,
    );
    return { id: data.id, displayName: displayName ?? data.id };
  }

  async remoteShares(): Promise<RemoteShare[]> {
    return parseRemoteShares(await this.ocs('GET', '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares'));
  }

  async pendingRemoteShares(): Promise<RemoteShare[]> {
    return parseRemoteShares(await this.ocs('GET', '/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending'));
  }

  async acceptRemoteShare(id: string): Promise<void> {
    await this.ocs('POST', `/ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/${encodeURIComponent(id)}`);
  }

  /**
   * Mounts a public link on the instance (`POST /index.php/apps/files_sharing/external`). Success is an
   * empty 200; errors are 200 too, with `{"status":"error","data":{"message":…}}` (captures external-add-*).
   */
  async mountPublicLink(mount: PublicLinkMount): Promise<void> {
    const response = await request(`${this.credentials.baseUrl}/index.php/apps/files_sharing/external`, {
      ...this.options,
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: new URLSearchParams({ ...mount }).toString(),
    });
    const text = await response.text().catch(() => '');
    if (!response.ok) throw refusalForStatus(response.status);
    const answer = readExternalAnswer(text);
    if (answer.status === 'empty' || answer.status === 'success') return;
    throw externalRefusal(answer.refusal, mount.remote);
  }

  /** Shares one of the user's items with a federated cloud id (OCS shareType 6); the server sends it over OCM. */
  async shareWithCloudId(path: string, cloudId: string): Promise<void> {
    await this.ocs('POST', '/ocs/v2.php/apps/files_sharing/api/v1/shares', {
      path,
      shareType: '6',
      shareWith: cloudId,
    });
  }

  /** Revokes the app password in use (`DELETE /ocs/v2.php/core/apppassword`), so a disconnect really ends access. */
  async revokeAppPassword(): Promise<void> {
    await this.ocs('DELETE', '/ocs/v2.php/core/apppassword');
  }

  /** Whether a path exists in the user's files (PROPFIND depth 0), to verify a mount. */
  async pathExists(path: string): Promise<boolean> {
    const encoded = path.split('/').filter(Boolean).map(encodeURIComponent).join('/');
    const user = encodeURIComponent(this.credentials.loginName);
    const response = await request(`${this.credentials.baseUrl}/remote.php/dav/files/${user}/${encoded}`, {
      ...this.options,
      method: 'PROPFIND',
      headers: this.headers({ Depth: '0', 'Content-Type': 'application/xml' }),
    });
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 207 || response.status === 200) return true;
    if (response.status === 404) return false;
    throw refusalForStatus(response.status);
  }
}
