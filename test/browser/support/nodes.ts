import { expect } from 'vitest';
import { call, ocs } from '../../integration/helpers/http';
import type { TestNode } from '../../integration/helpers/node';

/** What the browser tests ask of the companion nodes directly, through their APIs (not through the extension). */
export interface NodeUser {
  name: string;
  password: string;
}

/** The sharer (on the sharers' host) and the user of the extension (on the instance host), in most browser tests. */
export const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
export const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };

/** A public link to `path` of `user` on `node` (read-only unless `extra` says otherwise); answers its URL. */
export async function createLink(
  node: TestNode,
  user: NodeUser,
  path: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const { status, body } = await ocs(`${node.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: [user.name, user.password],
    form: { path, shareType: '3', permissions: '1', ...extra },
  });
  expect(status).toBe(200);
  return (body.ocs.data as { url: string }).url;
}

/** The content of a file in `user`'s files on `node`, or undefined when it cannot be read. */
export async function readFile(node: TestNode, user: NodeUser, path: string): Promise<string | undefined> {
  const response = await call(
    `${node.url}/remote.php/dav/files/${user.name}/${path.split('/').map(encodeURIComponent).join('/')}`,
    'GET',
    {
      auth: [user.name, user.password],
    },
  );
  return response.status === 200 ? response.text() : undefined;
}
