import { InstanceError } from './errors';

/**
 * OCS envelope: `{"ocs":{"meta":{"status","statuscode","message"},"data":…}}`. v1 answers HTTP 200 with the
 * real code in `meta.statuscode` (100 = ok), v2 mirrors it in the HTTP status (200 = ok), so both are checked.
 */
export function unwrapOcs(body: unknown): unknown {
  const ocs = (body as { ocs?: { meta?: { statuscode?: unknown; message?: unknown }; data?: unknown } } | null)?.ocs;
  const code = ocs?.meta?.statuscode;
  if (!ocs || typeof code !== 'number') throw new InstanceError('bad-response', 'The server did not answer with an OCS response.');
  if (code === 100 || code === 200) return ocs.data;
  const message = typeof ocs.meta?.message === 'string' && ocs.meta.message ? ocs.meta.message : undefined;
  if (code === 997 || code === 401) throw new InstanceError('unauthorized', undefined, code);
  if (code === 403) throw new InstanceError('forbidden', message ?? undefined, code);
  if (code === 404) throw new InstanceError('not-found', message ?? undefined, code);
  throw new InstanceError('rejected', message ?? `The server refused the request (OCS ${code}).`, code);
}

