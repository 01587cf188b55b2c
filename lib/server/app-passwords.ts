import { randomBytes } from 'node:crypto';
import type { App } from './context';
import { sha256 } from './secrets';

// App passwords are made in two places: the OCS getapppassword call (ocs/core/app-passwords.ts) and the grant step of
// Login Flow v2 (web/login-flow.ts).

/** Creates an app password for uid: its secret (only its hash is stored) and its id. */
export async function createAppPassword(app: App, uid: string, name: string): Promise<{ secret: string; id: number }> {
  const secret = randomBytes(36).toString('base64url');
  const id = await app.store.addAppPassword(uid, name.slice(0, 200) || 'client', sha256(secret));
  return { secret, id };
}
