import * as v from 'valibot';
import { readAnswer } from '@/lib/answer';
import { InstanceError } from './errors';

/**
 * The `external` endpoint's answer (`POST /index.php/apps/files_sharing/external`; ownCloud 10, the companion):
 * an empty body or `{"status": "success"}`, or `{"status": "error", "data": {"message": …, "error": …}}`, all with
 * HTTP 200 (captures external-add-*). Both ways of mounting with it (app password: lib/instance/client.ts; browser
 * session: lib/mount/owncloud-session.ts) read its body here, and each decides what an unexpected status means.
 */
const ExternalAnswer = v.object({ status: v.optional(v.unknown()), data: v.optional(v.unknown()) });
const ExternalRefusal = v.object({ message: v.optional(v.unknown()), error: v.optional(v.unknown()) });

export type ExternalRefusal = v.InferOutput<typeof ExternalRefusal>;

export interface ExternalAnswerReading {
  /** `empty`: no body; `success` / `error`: the status the body names; `other`: JSON of another shape or status. */
  status: 'empty' | 'success' | 'error' | 'other';
  /** The body's `data` when it has the refusal's shape (a `data` of another shape reads as none). */
  refusal?: ExternalRefusal;
}

/** Reads the endpoint's body; a body that is not JSON at all is a `bad-response`. */
export function readExternalAnswer(text: string): ExternalAnswerReading {
  const trimmed = text.trim();
  if (!trimmed) return { status: 'empty' };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new InstanceError('bad-response');
  }
  const body = readAnswer(ExternalAnswer, json);
  const status = body?.status === 'success' || body?.status === 'error' ? body.status : 'other';
  return { status, refusal: readAnswer(ExternalRefusal, body?.data) };
}

/**
 * What `external` refusals mean (captures external-add-*): ownCloud and the companion answer 200 with an English
 * message, which is matched here so the user reads our words, never the server's.
 */
export function externalRefusal(data: ExternalRefusal | undefined, sharer: string): InstanceError {
  const message = typeof data?.message === 'string' ? data.message : '';
  // "Token expired. Please reload page.": this server mounts links only from a logged-in browser session.
  if (data?.error === 'token_expired') return new InstanceError('rejected', message);
  // "The public link does not exist (any more)": the companion, for an Infinite Scale / OpenCloud link (their
  // WebDAV tells a deleted link from a wrong password, ownCloud 10's does not).
  if (/does not exist/i.test(message))
    return new InstanceError('rejected', message, undefined, { problem: { code: 'link-gone', server: sharer } });
  // "Could not authenticate to federated share, password might be wrong" (also for a token that no longer exists).
  if (/password/i.test(message))
    return new InstanceError('rejected', message, undefined, { problem: { code: 'password-wrong' } });
  // "Remote is unreachable", "Storage not valid": the instance could not read the sharer.
  if (/unreachable|not valid/i.test(message)) {
    return new InstanceError('rejected', message, undefined, {
      problem: { code: 'instance-cannot-reach-sharer', server: sharer },
    });
  }
  return new InstanceError('rejected', message || undefined);
}
