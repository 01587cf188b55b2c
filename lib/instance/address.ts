import type { Problem } from '@/lib/problem';

/**
 * What the user types to name their own cloud: an instance URL in any of the shapes people paste, or a
 * federated cloud id `user@host[:port][/path]`. Parsing follows the servers' own rules (docs/protocols.md#cloud-ids):
 * the user part may contain `@`, the separator is the last `@` before the first `/` or `:`.
 */
export interface InstanceAddress {
  /** origin + basePath, no trailing slash: the root every server API hangs off. */
  baseUrl: string;
  origin: string;
  /** '' or a sub-path install such as '/nextcloud'. */
  basePath: string;
  /** The user part of a cloud id, when one was given. */
  user?: string;
  /** Plain http: allowed when typed explicitly (e.g. a loopback test server), and flagged for the UI. */
  insecure: boolean;
}

export type AddressResult = { ok: true; address: InstanceAddress } | { ok: false; problem: Problem };

/** Path segments where a pasted URL stops being the instance root (the app, WebDAV, a share, the login…). */
const SERVER_ROUTES =
  /\/(?:index\.php|apps|remote\.php|public\.php|ocs|s|login|settings|status\.php|ocm-provider|f)(?:[/?#]|$)/;

/** Splits `user@remote` like the servers do; undefined when the input is not a cloud id. */
export function splitCloudId(input: string): { user: string; remote: string } | undefined {
  const id = input.replace(/\\/g, '/');
  const firstSeparator = [id.indexOf('/'), id.indexOf(':')].filter((i) => i >= 0);
  const limit = firstSeparator.length ? Math.min(...firstSeparator) : id.length;
  const at = id.lastIndexOf('@', limit - 1);
  if (at <= 0 || at >= id.length - 1 || at >= limit) return undefined;
  return { user: id.slice(0, at), remote: id.slice(at + 1) };
}

export function parseInstanceAddress(raw: string): AddressResult {
  const input = raw.trim();
  if (!input) return { ok: false, problem: { code: 'address-empty' } };
  if (/\s/.test(input)) return { ok: false, problem: { code: 'address-spaces' } };

  const cloudId = splitCloudId(input);
  const remote = cloudId ? cloudId.remote : input.replace(/\\/g, '/');
  if (cloudId && !/^[^\s/:]+$/.test(cloudId.user.replace(/@/g, ''))) {
    return { ok: false, problem: { code: 'address-bad-user', user: cloudId.user } };
  }

  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote);
  if (!hasScheme && /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(remote)) {
    return { ok: false, problem: { code: 'address-scheme' } };
  }
  let url: URL;
  try {
    url = new URL(hasScheme ? remote : `https://${remote}`);
  } catch {
    return { ok: false, problem: { code: 'address-invalid', input } };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, problem: { code: 'address-scheme' } };
  if (url.username || url.password) {
    return { ok: false, problem: { code: 'address-credentials' } };
  }
  if (!url.hostname || url.hostname.endsWith('.') || !/^[a-z0-9.[\]:-]+$/i.test(url.hostname)) {
    return { ok: false, problem: { code: 'address-no-host', input } };
  }

  // Cut at the first server route: people paste the Files app, a share or a WebDAV URL as often as the root.
  let path = url.pathname;
  const route = SERVER_ROUTES.exec(path);
  if (route) path = path.slice(0, route.index);
  const basePath = path.replace(/\/+$/, '');

  return {
    ok: true,
    address: {
      baseUrl: `${url.origin}${basePath}`,
      origin: url.origin,
      basePath,
      ...(cloudId && { user: cloudId.user }),
      insecure: url.protocol === 'http:',
    },
  };
}

/**
 * The cloud id servers expect in `shareWith`: https is implied and left out, http is kept
 * (Nextcloud `CloudIdManager::getCloudId`).
 */
export function formatCloudId(user: string, baseUrl: string): string {
  return `${user}@${baseUrl.replace(/^https:\/\//, '')}`;
}

/**
 * The host permission for an instance. Without the port: Chrome ignores ports in match patterns anyway, and
 * Firefox grants a pattern with a port without letting requests to that port through.
 */
export const originPattern = (baseUrl: string) => {
  const url = new URL(baseUrl);
  return `${url.protocol}//${url.hostname}/*`;
};
