// Cloud IDs are `user@host[:port][/path]`, optionally with a scheme after the "@" (`alice@http://127.0.0.1:8101`).
// The user part may itself contain "@", so we split at the last "@" before the host part starts
// (docs/protocols.md#cloud-ids).

export interface CloudId {
  user: string;
  /** What follows the "@", as given (scheme kept if present). */
  remote: string;
}

export function parseCloudId(value: string): CloudId | undefined {
  const id = value
    .trim()
    .replace(/\\/g, '/')
    .replace(/\/index\.php.*$/, '')
    .replace(/\/+$/, '');
  const scheme = /@(https?:\/\/)/i.exec(id);
  let at: number;
  if (scheme) {
    at = scheme.index;
  } else {
    const firstSeparator = id.search(/[/:]/);
    const head = firstSeparator < 0 ? id : id.slice(0, firstSeparator);
    at = head.lastIndexOf('@');
  }
  if (at <= 0 || at === id.length - 1) return undefined;
  const user = id.slice(0, at);
  const remote = id.slice(at + 1);
  if (!/^(https?:\/\/)?[A-Za-z0-9.\-[\]]+(:\d+)?(\/[^\s?#]*)?$/i.test(remote)) return undefined;
  return { user, remote };
}

/** Base URL of a remote server: scheme kept when given, https otherwise. */
export function remoteBase(remote: string): string {
  const trimmed = remote
    .trim()
    .replace(/\/index\.php.*$/, '')
    .replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * Base URLs to try for a remote: as given when it has a scheme; otherwise https first, then http (ownCloud's
 * behaviour with sharing.federation.allowHttpFallback, which a loopback/LAN companion needs).
 */
export function candidateBases(remote: string): string[] {
  const trimmed = remote
    .trim()
    .replace(/\/index\.php.*$/, '')
    .replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? [trimmed] : [`https://${trimmed}`, `http://${trimmed}`];
}

/** Our own cloud id for a user: http stays visible, https is stripped (as Nextcloud/ownCloud display it). */
export function ownCloudId(uid: string, publicUrl: string): string {
  return `${uid}@${publicUrl.replace(/^https:\/\//, '')}`;
}

/** A path advertised by a peer, relative to its base (which may have a sub-path) unless already absolute. */
export function joinBase(base: string, pathOrUrl: string): string {
  if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl.replace(/\/?$/, '/');
  const basePath = new URL(base).pathname.replace(/\/+$/, '');
  const rel = basePath && pathOrUrl.startsWith(`${basePath}/`) ? pathOrUrl.slice(basePath.length) : pathOrUrl;
  return `${base.replace(/\/+$/, '')}${rel.startsWith('/') ? rel : `/${rel}`}`.replace(/\/?$/, '/');
}
