import type { Params } from '../http/body';
import { HttpError } from '../http/errors';
import { parseCloudId, remoteBase, type CloudId } from './cloud-id';
import { INVALID_NAME, validMountName } from './external-mounts';

// What other servers post to us without logging in — OCM /shares and /notifications, legacy OCS /cloud/shares — is
// checked here before anything is stored: every field we read must be a string (numbers and booleans are taken as
// their text, as PHP peers may send them) of bounded length, every nested part an object. Anything else is a 400 with
// a message naming the field, in the endpoint family's usual body ({message} for OCM, the OCS envelope for legacy).
// The messages of the cases ownCloud 10 answers (missing parameters, bad protocol, bad name) are ownCloud's.

/** OCM bodies are small (a real share is < 2 KB); larger ones are refused with 413 before they are parsed. */
export const OCM_BODY_LIMIT = 64 * 1024;

export const MAX_LENGTH = {
  /** Mount names (also checked as ≤ 255 bytes by validMountName), display names, user ids. */
  name: 255,
  /** providerId / remoteId. */
  id: 255,
  /** Cloud ids and server URLs. */
  url: 2048,
  sharedSecret: 256,
  /** shareType, resourceType, notificationType, protocol name. */
  word: 64,
  /** Free text we do not store (description, notification message). */
  text: 4096,
} as const;

type Fields = Record<string, unknown>;

/** A scalar field as text, undefined when absent; a 400 when it is an object or array, or longer than `max`. */
function textField(source: Fields, key: string, max: number, label = key): string | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  const text =
    typeof value === 'string'
      ? value
      : (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean'
        ? String(value)
        : undefined;
  if (text === undefined || text.length > max) {
    throw new HttpError(400, `Invalid parameter ${label}: expected a string of at most ${max} characters`);
  }
  return text;
}

function objectField(source: Fields, key: string, label = key): Fields | undefined {
  const value = source[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw new HttpError(400, `Invalid parameter ${label}: expected an object`);
  return value as Fields;
}

/** Reads the listed fields, bounded; then refuses with ownCloud's message if a required one is absent or empty. */
function readFields<L extends Record<string, number>>(
  source: Fields,
  limits: L,
  required: readonly (keyof L)[],
  missing: string,
): Record<keyof L, string | undefined> {
  const out = {} as Record<keyof L, string | undefined>;
  for (const [key, max] of Object.entries(limits)) out[key as keyof L] = textField(source, key, max);
  if (required.some((key) => !out[key])) throw new HttpError(400, missing);
  return out;
}

function cloudIdField(value: string, label: string): CloudId {
  const id = parseCloudId(value);
  if (!id || id.user.length > MAX_LENGTH.name)
    throw new HttpError(400, `Invalid parameter ${label}: expected a federated cloud id`);
  return id;
}

/** The host (with port) of a remote server, for rate limiting per sending server. */
function serverKey(remote: string): string {
  try {
    return new URL(remoteBase(remote)).host.toLowerCase();
  } catch {
    return remote.toLowerCase();
  }
}

export interface IncomingShare {
  /** The recipient's user id on this node (may not exist: the route answers the same either way). */
  recipient: string;
  remote: string;
  remoteId: string;
  secret: string;
  name: string;
  owner: string;
  /** Host of the server the share claims to come from (its signature is checked against it), for the rate limit. */
  sender: string;
}

const OCM_REQUIRED = ['shareWith', 'name', 'providerId', 'owner', 'shareType', 'resourceType'] as const;
const OCM_FIELDS = {
  shareWith: MAX_LENGTH.url,
  name: MAX_LENGTH.name,
  providerId: MAX_LENGTH.id,
  owner: MAX_LENGTH.url,
  ownerDisplayName: MAX_LENGTH.name,
  sender: MAX_LENGTH.url,
  senderDisplayName: MAX_LENGTH.name,
  shareType: MAX_LENGTH.word,
  resourceType: MAX_LENGTH.word,
  description: MAX_LENGTH.text,
  expiration: MAX_LENGTH.word,
};

/** POST /ocm/shares (OCM 1.0 / 1.1 as ownCloud 10 and Nextcloud send it). Errors as ownCloud 10 answers them. */
export function parseOcmShare(body: Params): IncomingShare {
  const fields = readFields(
    body,
    OCM_FIELDS,
    OCM_REQUIRED,
    `Required parameters are missing: ${OCM_REQUIRED.join(',')}`,
  );
  const protocol = objectField(body, 'protocol') ?? {};
  const protocolName = textField(protocol, 'name', MAX_LENGTH.word, 'protocol.name') ?? '';
  if (protocolName !== 'webdav' && protocolName !== 'multi')
    throw new HttpError(501, `Protocol ${protocolName} is not supported`);
  if (fields.shareType !== 'user') throw new HttpError(501, `Share type ${fields.shareType ?? ''} is not supported`);
  const options = objectField(protocol, 'options', 'protocol.options') ?? {};
  const webdav = objectField(protocol, 'webdav', 'protocol.webdav') ?? {};
  const secret =
    textField(options, 'sharedSecret', MAX_LENGTH.sharedSecret, 'protocol.options.sharedSecret') ??
    textField(webdav, 'sharedSecret', MAX_LENGTH.sharedSecret, 'protocol.webdav.sharedSecret');
  if (!secret) throw new HttpError(400, 'Required parameters are missing: sharedSecret');
  const name = fields.name ?? '';
  if (!validMountName(name)) throw new HttpError(400, INVALID_NAME);
  const recipient = cloudIdField(fields.shareWith ?? '', 'shareWith');
  const owner = cloudIdField(fields.owner ?? '', 'owner');
  if (fields.sender) cloudIdField(fields.sender, 'sender');
  return {
    recipient: recipient.user,
    remote: remoteBase(owner.remote),
    remoteId: fields.providerId ?? '',
    secret,
    name: name.trim(),
    owner: owner.user,
    // The owner's server, not the `sender` field: the owner is what the signature check binds the request to, while
    // `sender` is free text, and counting on it would let anyone use up another server's budget (a 429 for its shares).
    sender: serverKey(owner.remote),
  };
}

interface IncomingNotification {
  type: string;
  providerId: string;
  secret: string;
}

const NOTIFICATION_FIELDS = {
  notificationType: MAX_LENGTH.word,
  providerId: MAX_LENGTH.id,
  resourceType: MAX_LENGTH.word,
};

/** POST /ocm/notifications. */
export function parseOcmNotification(body: Params): IncomingNotification {
  const missing = 'server can not add federated share, missing parameter';
  const fields = readFields(body, NOTIFICATION_FIELDS, ['notificationType', 'providerId'], missing);
  const notification = objectField(body, 'notification') ?? {};
  textField(notification, 'message', MAX_LENGTH.text, 'notification.message');
  const secret = textField(notification, 'sharedSecret', MAX_LENGTH.sharedSecret, 'notification.sharedSecret');
  if (!secret) throw new HttpError(400, missing);
  return { type: fields.notificationType ?? '', providerId: fields.providerId ?? '', secret };
}

const LEGACY_REQUIRED = ['remote', 'token', 'name', 'owner', 'remoteId', 'shareWith'] as const;
const LEGACY_FIELDS = {
  remote: MAX_LENGTH.url,
  token: MAX_LENGTH.sharedSecret,
  name: MAX_LENGTH.name,
  owner: MAX_LENGTH.name,
  remoteId: MAX_LENGTH.id,
  shareWith: MAX_LENGTH.url,
  ownerFederatedId: MAX_LENGTH.url,
  sharedBy: MAX_LENGTH.name,
  sharedByFederatedId: MAX_LENGTH.url,
  permissions: MAX_LENGTH.word,
};

/** POST /ocs/v{1,2}.php/cloud/shares (ownCloud's pre-OCM protocol). */
export function parseLegacyShare(form: Params): IncomingShare {
  const fields = readFields(
    form,
    LEGACY_FIELDS,
    LEGACY_REQUIRED,
    `Required parameters are missing: ${LEGACY_REQUIRED.join(',')}`,
  );
  const name = (fields.name ?? '').replace(/^\/+/, '');
  if (!validMountName(name)) throw new HttpError(400, INVALID_NAME);
  const remote = fields.remote ?? '';
  if (!parseCloudId(`x@${remote}`)) throw new HttpError(400, 'Invalid parameter remote: expected a server address');
  const shareWith = fields.shareWith ?? '';
  const recipient = parseCloudId(shareWith)?.user ?? shareWith;
  return {
    recipient,
    remote: remoteBase(remote),
    remoteId: fields.remoteId ?? '',
    secret: fields.token ?? '',
    name,
    owner: fields.owner ?? '',
    sender: serverKey(remote),
  };
}

/** The token of a legacy accept/decline/unshare call. */
export function legacyActionToken(form: Params): string {
  return textField(form, 'token', MAX_LENGTH.sharedSecret) ?? '';
}
