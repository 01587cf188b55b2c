import type { Ctx } from '../context';
import { readParams, str, type Params } from './body';
import { HttpError } from './errors';
import { requestTokenMatches, type Session } from './session';
import { checkCredentials } from './auth';

export const params = (ctx: Ctx): Promise<Params> => readParams(ctx.req, ctx.query, ctx.app.config.maxBodyBytes);

/** Browser form posts must carry the session's request token (header `requesttoken` or form field). */
export function checkCsrf(ctx: Ctx, session: Session | undefined, form: Params): boolean {
  const supplied = String(ctx.req.headers.requesttoken ?? '') || str(form, 'requesttoken');
  return requestTokenMatches(session, supplied);
}

type LoginResult = { ok: true; uid: string } | { ok: false; message: string; status: number };

/** The username/password form used by the web UI and the Login Flow page. */
export async function tryFormLogin(ctx: Ctx, form: Params): Promise<LoginResult> {
  const user = str(form, 'user') ?? '';
  const password = str(form, 'password') ?? '';
  try {
    return { ok: true, uid: (await checkCredentials(ctx, user, password)).uid };
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) return { ok: false, message: error.message, status: 429 };
    if (error instanceof HttpError) return { ok: false, message: 'Wrong username or password.', status: 200 };
    throw error;
  }
}
