import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemFrom } from '@/lib/instance/errors';
import { createFederatedShareUrl, interpretCreateFederatedShare } from '@/lib/sharer/create-federated-share';
import type { Problem } from '@/lib/problem';

/** A recorded Nextcloud 31.0.2 answer (test/fixtures/captures/nextcloud-31.0.2/createfed-*.http): status and body. */
function recorded(name: string): { status: number; body: string } {
  const raw = readFileSync(
    path.resolve(import.meta.dirname, `../../fixtures/captures/nextcloud-31.0.2/createfed-${name}.http`),
    'utf8',
  );
  const split = raw.search(/\r?\n\r?\n/);
  return { status: Number(raw.split(' ')[1]), body: raw.slice(split).trim() };
}

const names = { sharer: 'https://alice.example', instance: 'bob@bob.example', passwordGiven: false };

/** What the user would be told (as a problem, worded by the UI), with the sharer as the server that answered. */
const outcome = (status: number, body: string, passwordGiven = false): Problem | 'ok' => {
  try {
    interpretCreateFederatedShare({ status, body }, { ...names, passwordGiven });
    return 'ok';
  } catch (error) {
    return problemFrom(error, 'sharer', names.sharer);
  }
};

describe('createFederatedShare', () => {
  it('lives under index.php of the sharer’s install', () => {
    expect(createFederatedShareUrl('https://nc.example', '/nextcloud')).toBe(
      'https://nc.example/nextcloud/index.php/apps/federatedfilesharing/createFederatedShare',
    );
  });

  // What a real Nextcloud 31.0.2 answered, one recording per case (test/fixtures/captures/nextcloud-31.0.2).
  it.each<[string, boolean, Problem | 'ok']>([
    ['ok', false, 'ok'],
    ['bad-cloudid', false, { code: 'sharer-refused-cloud-id', server: 'https://alice.example' }],
    ['bad-token', false, { code: 'link-gone', server: 'https://alice.example' }],
    ['filedrop', false, { code: 'link-is-file-drop' }],
    ['no-pw', false, { code: 'password-needed' }],
    ['wrong-pw', true, { code: 'password-wrong' }],
    [
      'unreachable',
      false,
      { code: 'sharer-cannot-reach-instance', server: 'https://alice.example', instance: 'bob@bob.example' },
    ],
    [
      'unknown-user',
      false,
      { code: 'sharer-cannot-reach-instance', server: 'https://alice.example', instance: 'bob@bob.example' },
    ],
    [
      'no-scheme',
      false,
      { code: 'sharer-cannot-reach-instance', server: 'https://alice.example', instance: 'bob@bob.example' },
    ],
  ])('recorded createfed-%s (password typed: %s) → %o', (name, passwordGiven, expected) => {
    const { status, body } = recorded(name);
    expect(outcome(status, body, passwordGiven)).toEqual(expected);
  });

  // The same kinds of bodies written out, plus the companion's own wording and answers no recording has.
  it.each<[number, string, Problem | 'ok']>([
    [200, '{"remoteUrl":"bob.example"}', 'ok'],
    [
      400,
      '{"message":"This server doesn\'t support outgoing federated shares"}',
      { code: 'sharer-cannot-federate', server: 'https://alice.example' },
    ],
    [
      400,
      '{"message":"Invalid Federated Cloud ID"}',
      { code: 'sharer-refused-cloud-id', server: 'https://alice.example' },
    ],
    [
      400,
      '{"message":"The requested share does not exist anymore"}',
      { code: 'link-gone', server: 'https://alice.example' },
    ],
    [400, '{"message":"Share not found"}', { code: 'link-gone', server: 'https://alice.example' }],
    [400, '{"message":"No permission to access the share"}', { code: 'password-needed' }],
    [400, '{"message":"Mounting file drop not supported"}', { code: 'link-is-file-drop' }],
    [
      400,
      '{"message":"Sharing Cap Folder failed, could not find nick@http:\\/\\/127.0.0.1:8199, maybe the server is currently unreachable or uses a self-signed certificate."}',
      { code: 'sharer-cannot-reach-instance', server: 'https://alice.example', instance: 'bob@bob.example' },
    ],
    [400, 'garbage', { code: 'sharer-rejected', server: 'https://alice.example', status: 400 }],
    [429, '', { code: 'sharer-throttled', server: 'https://alice.example', status: 429 }],
    [404, '<html>Not found</html>', { code: 'sharer-cannot-federate', server: 'https://alice.example' }],
    [500, '', { code: 'sharer-server-error', server: 'https://alice.example', status: 500 }],
    [0, '', { code: 'sharer-unreachable', server: 'https://alice.example' }],
    [200, '<html>login</html>', { code: 'sharer-bad-response', server: 'https://alice.example', status: 200 }],
    [200, '{"remoteUrl":42}', { code: 'sharer-bad-response', server: 'https://alice.example', status: 200 }],
  ])('HTTP %i %s → %o', (status, body, expected) => {
    expect(outcome(status, body)).toEqual(expected);
  });

  it('calls a refused password wrong when one was typed', () => {
    expect(outcome(400, '{"message":"No permission to access the share"}', true)).toEqual({ code: 'password-wrong' });
  });
});
