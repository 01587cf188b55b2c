/**
 * The database cannot be reached right now (PostgreSQL restarting, network gone). The route wrapper answers 503 with
 * Retry-After, and the store's pool connects again by itself once the database is back.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('database unavailable', { cause });
  }
}
