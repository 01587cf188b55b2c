import { createPrivateKey, createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { chmod, link, open, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ServerConfig } from '../config';
import type { SigningKey } from './signature';
import { PEER_KEY_MIN_REFRESH_MS, PEER_KEY_TTL_MS, PEER_NO_KEY_TTL_MS, PEER_UNREACHABLE_TTL_MS } from '../timeouts';

// The node's own OCM signing key, and what we know of other servers' keys.
//
// Own key: RSA 2048 like Nextcloud's (OCMSignatoryManager), made on the first start and kept in DIR/ocm-signing-key.pem
// (PKCS#8, mode 0600). It must survive restarts and be backed up with the database: a Nextcloud that has stored our key
// refuses requests signed with a different one until its admin removes the old entry.
//
// Peers' keys: the `publicKey` of their /ocm-provider/, cached per host with a TTL in a bounded map. A key once seen is
// kept (and still enforced) while its server cannot be reached, like Nextcloud keeps the keys it stored: pinned in the
// database, so a node that restarted, or another node of a cluster that never asked that server, enforces it too.

export const KEY_FILE = 'ocm-signing-key.pem';

export interface LocalKey extends SigningKey {
  publicKeyPem: string;
}

/** Our keyId: Nextcloud's form, `https://` even for an http node, with the node's sub-path if it has one. */
export function localKeyId(publicUrl: string): string {
  return `https://${publicUrl.replace(/^https?:\/\//i, '').replace(/\/+$/, '')}/ocm#signature`;
}

const generateRsa = promisify(generateKeyPair);
const loading = new Map<string, Promise<KeyObject>>();

/** The node's key pair (loaded once per data directory, created on first use). */
export async function localSigningKey(config: Pick<ServerConfig, 'dataDir' | 'publicUrl'>): Promise<LocalKey> {
  const file = path.join(config.dataDir, KEY_FILE);
  let pending = loading.get(file);
  if (!pending) {
    pending = loadOrCreate(file);
    loading.set(file, pending);
    pending.catch(() => loading.delete(file));
  }
  const privateKey = await pending;
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { keyId: localKeyId(config.publicUrl), privateKey, publicKeyPem };
}

async function loadOrCreate(file: string): Promise<KeyObject> {
  const existing = await readKey(file);
  if (existing) return existing;
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    // link() never overwrites: if another process made a key meanwhile, both use that one.
    await link(tmp, file);
    const dir = await open(path.dirname(file), 'r');
    await dir.sync().finally(() => dir.close());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp);
  }
  const key = await readKey(file);
  if (!key) throw new Error(`${file} could not be created`);
  return key;
}

async function readKey(file: string): Promise<KeyObject | undefined> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // A key restored from a backup may have lost its mode: nobody else may read it.
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  try {
    return createPrivateKey(pem);
  } catch {
    throw new Error(
      `${file} is not a PEM private key; move it away to make a new one ` +
        '(peers that stored the old key will refuse the new one)',
    );
  }
}

export interface PeerKey {
  keyId: string;
  publicKeyPem: string;
}

interface PeerKeyCacheOptions {
  /** Peers this node's memory holds (a cache: a peer dropped is asked again, or read from its pin). */
  maxEntries: number;
  /**
   * Pins the store keeps. Pins of peers we share with are never dropped for others (store/peer-relations.ts); this
   * bounds what strangers (any server that makes us look it up) can add. A pin is about 0.5 kB (an RSA-2048 key in
   * PEM), so 10,000 are ~5 MB, and the busiest real federations reach a few thousand servers.
   */
  maxPins: number;
  /** How long an advertised key is used before the peer is asked again. */
  keyTtlMs: number;
  /** How long "this peer advertises no key" holds (an ownCloud 10 upgraded to Nextcloud starts signing). */
  noKeyTtlMs: number;
  /** How long to wait before asking an unreachable peer again. */
  unreachableTtlMs: number;
  /** A signature that fails with the cached key refetches it (key rotation), at most this often per peer. */
  minRefreshMs: number;
}

const DEFAULTS: PeerKeyCacheOptions = {
  maxEntries: 1000,
  maxPins: 10_000,
  keyTtlMs: PEER_KEY_TTL_MS,
  noKeyTtlMs: PEER_NO_KEY_TTL_MS,
  unreachableTtlMs: PEER_UNREACHABLE_TTL_MS,
  minRefreshMs: PEER_KEY_MIN_REFRESH_MS,
};

interface Entry {
  key: PeerKey | undefined;
  checkedAt: number;
  reachable: boolean;
  /** Why the last lookup failed, while the peer is unreachable. */
  failure?: unknown;
}

/**
 * The peer could not be asked (unreachable, timeout, no valid discovery document) and no key of it is known: whether
 * it signs is unknown, so its unsigned requests can be neither accepted nor refused for good.
 */
export class PeerKeyUnavailableError extends Error {
  constructor(
    readonly identity: string,
    /** Why the lookup failed (what the lookup rejected with). */
    cause: unknown,
  ) {
    super(`the key of ${identity} cannot be looked up`, { cause });
  }
}

/** Asks a peer for its key: resolves undefined when it answers without one, rejects when it cannot be asked. */
type KeyLookup = (identity: string) => Promise<PeerKey | undefined>;

/** Where keys are pinned beyond this cache (the store); a failed write only costs another node asking the peer. */
export interface PeerKeyPins {
  getPeerKey(identity: string): Promise<PeerKey | undefined>;
  savePeerKey(identity: string, key: PeerKey | undefined, seenAt: number, max: number): Promise<void>;
}

/**
 * Public keys of other servers by identity (host:port). Lookups go through `lookup` (OCM discovery); concurrent
 * lookups of one peer share one request, and every discovery the node makes anyway tells the cache too (`learn`).
 */
export class PeerKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<PeerKey | undefined>>();
  private readonly options: PeerKeyCacheOptions;

  constructor(
    options: Partial<PeerKeyCacheOptions> = {},
    private readonly now: () => number = Date.now,
    private readonly pins?: PeerKeyPins,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /**
   * The key the peer advertises, or undefined when its discovery answered without one. Rejects with
   * PeerKeyUnavailableError when it cannot be asked and no key of it is known: a failed lookup never counts as "no
   * key" (a signing server that is down, or named by an address that fails, would otherwise pass unsigned requests).
   */
  async get(identity: string, lookup: KeyLookup): Promise<PeerKey | undefined> {
    const entry = this.entries.get(identity);
    if (entry && this.now() - entry.checkedAt < this.ttl(entry)) return answer(identity, entry);
    return this.fetch(identity, lookup);
  }

  /** Asks the peer again after its signature failed with the cached key, unless it was asked very recently. */
  async refresh(identity: string, lookup: KeyLookup): Promise<PeerKey | undefined> {
    const entry = this.entries.get(identity);
    if (entry && this.now() - entry.checkedAt < this.options.minRefreshMs) return answer(identity, entry);
    return this.fetch(identity, lookup);
  }

  /** What a successful discovery of the peer showed (made for another reason, e.g. sending it a share). */
  learn(identity: string, key: PeerKey | undefined): void {
    this.pin(identity, key);
    this.remember(identity, { key, checkedAt: this.now(), reachable: true });
  }

  get size(): number {
    return this.entries.size;
  }

  private ttl(entry: Entry): number {
    if (!entry.reachable) return this.options.unreachableTtlMs;
    return entry.key ? this.options.keyTtlMs : this.options.noKeyTtlMs;
  }

  private fetch(identity: string, lookup: KeyLookup): Promise<PeerKey | undefined> {
    const running = this.inflight.get(identity);
    if (running) return running;
    const asked = lookup(identity)
      .then(
        (key) => {
          this.pin(identity, key, true);
          return this.remember(identity, { key, checkedAt: this.now(), reachable: true });
        },
        // Unreachable: keep a key we already know (its unsigned requests stay refused). Without one the peer stays
        // unknown until asked again after unreachableTtlMs (so a flood of requests does not make a flood of lookups).
        async (failure: unknown) => {
          const known = this.entries.get(identity)?.key ?? (await this.pinned(identity));
          const entry = { key: known, checkedAt: this.now(), reachable: false, failure };
          this.remember(identity, entry);
          return answer(identity, entry);
        },
      )
      .finally(() => this.inflight.delete(identity));
    this.inflight.set(identity, asked);
    return asked;
  }

  /**
   * Pins what the reachable peer advertises, when it differs from what this cache knew. A key a lookup (at most one
   * per TTL) found is written even when unchanged: that keeps its pin among the newest, so the store's limit drops
   * pins of peers nobody hears from rather than of those in use, and restores a pin the store dropped meanwhile.
   */
  private pin(identity: string, key: PeerKey | undefined, lookedUp = false): void {
    const known = this.entries.get(identity);
    const unchanged =
      known?.reachable && known.key?.keyId === key?.keyId && known.key?.publicKeyPem === key?.publicKeyPem;
    if (unchanged && !(lookedUp && key)) return;
    void this.pins?.savePeerKey(identity, key, this.now(), this.options.maxPins).catch(() => {});
  }

  /** The pinned key; a database that cannot answer fails the request (503) rather than let an unsigned one through. */
  private async pinned(identity: string): Promise<PeerKey | undefined> {
    return this.pins?.getPeerKey(identity);
  }

  private remember(identity: string, entry: Entry): PeerKey | undefined {
    this.entries.delete(identity); // re-inserted at the end: the map's order is the eviction order
    this.entries.set(identity, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
    return entry.key;
  }
}

/** What an entry says about the peer's key; an unreachable peer without a known key has no answer. */
function answer(identity: string, entry: Entry): PeerKey | undefined {
  if (!entry.reachable && !entry.key) throw new PeerKeyUnavailableError(identity, entry.failure);
  return entry.key;
}

const peerKeyCaches = new WeakMap<object, PeerKeyCache>();

/** The cache of one node (an App); nodes running in one process (the demo) keep separate caches. */
export function peerKeys(node: { store: PeerKeyPins }): PeerKeyCache {
  let cache = peerKeyCaches.get(node);
  if (!cache) {
    cache = new PeerKeyCache({}, Date.now, node.store);
    peerKeyCaches.set(node, cache);
  }
  return cache;
}
