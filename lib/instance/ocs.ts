import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { InstanceError } from './errors';

const OcsAnswer = v.object({
  ocs: v.object({
    meta: v.object({ statuscode: v.number(), message: v.optional(v.unknown()) }),
    data: v.optional(v.unknown()),
  }),
});

/**
 * OCS envelope: `{"ocs":{"meta":{"status","statuscode","message"},"data":…}}`. v1 answers HTTP 200 with the
 * real code in `meta.statuscode` (100 = ok), v2 mirrors it in the HTTP status (200 = ok), so both are checked.
 */
export function unwrapOcs(body: unknown): unknown {
  const ocs = readAnswer(OcsAnswer, body)?.ocs;
  if (!ocs) throw new InstanceError('bad-response');
  const code = ocs.meta.statuscode;
  if (code === 100 || code === 200) return ocs.data;
  const message = typeof ocs.meta.message === 'string' && ocs.meta.message ? ocs.meta.message : undefined;
  if (code === 997 || code === 401) throw new InstanceError('unauthorized', undefined, code);
  if (code === 403) throw new InstanceError('forbidden', message ?? undefined, code);
  if (code === 404) throw new InstanceError('not-found', message ?? undefined, code);
  throw new InstanceError('rejected', message, code);
}
