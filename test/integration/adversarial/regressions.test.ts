import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, basic, send, startTarget, type Target } from './harness';

// Bugs the adversarial families found, pinned down as plain examples so they stay fixed.

let target: Target;
beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => target?.node.stop());

const auth = { Authorization: basic(ALICE.name, ALICE.password), 'OCS-APIRequest': 'true' };

describe('found by the adversarial suite', () => {
  it('answers a GET racing a DELETE of the same file with the whole file or 404, never a cut connection', async () => {
    // Found by webdav.test.ts (seed -264501853): the file was looked up, then deleted, then opened after the 200
    // headers were written, so the node could only drop the connection.
    const content = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 40; i++) {
      const file = `/remote.php/webdav/race-${i}.txt`;
      expect((await send(target, { method: 'PUT', path: file, headers: auth, body: content })).status).toBe(201);
      const [get] = await Promise.all([
        send(target, { method: 'GET', path: file, headers: auth }),
        send(target, { method: 'DELETE', path: file, headers: auth }),
      ]);
      if (get.status === 200) expect(get.body.toString()).toBe(content);
      else expect(get.status).toBe(404);
    }
  });
});
