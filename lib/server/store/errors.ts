/**
 * The database cannot be reached right now (PostgreSQL restarting, network gone). The route wrapper answers 503 with
 * Retry-After, and the store's pool connects again by itself once the database is back.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('database unavailable', { cause });
  }
}

/**
 * Another mounted external share of the same user already has this mount point (a unique index guards it, because two
 * requests, maybe on two nodes, can pick the same free name at once). The caller picks a free name again and retries.
 */
export class MountpointTakenError extends Error {
  constructor() {
    super('mount point taken');
  }
}

/**
 * The link already has the most shares made from it that the caller allows (createFederatedShare: anyone with the
 * link may ask for one, to any cloud that accepts it).
 */
export class DerivedSharesFullError extends Error {
  constructor() {
    super('too many shares made from this link');
  }
}

/**
 * The PostgreSQL connections would run with synchronous_commit = off (an `options` parameter in the --database URL,
 * a pooler that drops ours, or the like): a commit would be acknowledged before it is on disk, so the node refuses to
 * start rather than lose writes it reported done.
 */
export class SynchronousCommitOffError extends Error {
  constructor() {
    super(
      'synchronous_commit is off on the database connections (an options parameter in the --database URL?): ' +
        'acknowledged writes could be lost, so the node does not start',
    );
  }
}
