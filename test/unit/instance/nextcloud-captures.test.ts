import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstanceClient } from '@/lib/instance/client';
import { findShare } from '@/lib/mount/match';
import { fakeFetch } from '../support/fake-fetch';

/** The extension's client against answers recorded from a real Nextcloud 31.0.2 (test/fixtures/captures). */
const DIR = path.resolve(import.meta.dirname, '../../fixtures/captures/nextcloud-31.0.2');

/** A recorded raw answer as a fetch Response: status line, headers, blank line, body. */
function recorded(name: string): Response {
  const raw = readFileSync(path.join(DIR, `${name}.http`), 'utf8');
  const split = raw.search(/\r?\n\r?\n/);
  const [statusLine = '', ...headerLines] = raw.slice(0, split).split(/\r?\n/);
  const headers = new Headers();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0 && !/^(content-length|set-cookie)$/i.test(line.slice(0, colon)))
      headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return new Response(raw.slice(split).trim(), { status: Number(statusLine.split(' ')[1]), headers });
}

const client = (impl: typeof fetch) =>
  new InstanceClient(
    { baseUrl: 'http://127.0.0.1:8112', loginName: 'nick', appPassword: 'app-secret' },
    { fetchImpl: impl },
  );
const REMOTE_SHARES = 'GET /ocs/v2.php/apps/files_sharing/api/v1/remote_shares';

describe('against a real Nextcloud 31.0.2', () => {
  it('recognises a received OCM share listed under the sender’s display name or cloud id, not its uid', async () => {
    const { impl } = fakeFetch({
      'GET /ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending': () =>
        recorded('ocm-pending-after-create-json'),
    });
    const pending = await client(impl).pendingRemoteShares();
    const sender = { remote: 'http://127.0.0.1:8199/', token: '', owner: 'remoteuser' };
    // What the bridge's passed-on share looks like: its uid, display name and cloud id are all known.
    expect(
      findShare(pending, { ...sender, name: 'Direct OCM Folder', ownerDisplayName: 'Remote Display Name' })?.id,
    ).toBe('33');
    expect(findShare(pending, { ...sender, name: 'Form', ownerCloudId: 'remoteuser@http://127.0.0.1:8199' })?.id).toBe(
      '32',
    );
    // The uid alone matches neither: Nextcloud never lists the sender's uid here.
    expect(findShare(pending, { ...sender, name: 'Direct OCM Folder' })).toBeUndefined();
  });

  it('reads through the one-time 500 (OCS 996) after a share vanished on its source, and says nothing raw', async () => {
    const answers = ['vanish2-list-1-json', 'vanish2-list-2-json'];
    const { impl, requests } = fakeFetch({ [REMOTE_SHARES]: () => recorded(answers.shift() ?? 'vanish2-list-1-json') });
    expect(await client(impl).remoteShares()).toEqual([]);
    expect(requests).toHaveLength(2);
  });

  it('gives up after a second server error with our own words, not the server’s', async () => {
    const { impl, requests } = fakeFetch({ [REMOTE_SHARES]: () => recorded('vanish2-list-1-json') });
    const error = await client(impl)
      .remoteShares()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'server-error', status: 500 });
    expect((error as Error).message).not.toContain('Internal Server Error');
    expect(requests).toHaveLength(2);
  });

  it('does not send a state change twice after a server error', async () => {
    const { impl, requests } = fakeFetch({
      'POST /ocs/v2.php/apps/files_sharing/api/v1/remote_shares/pending/5': () => recorded('vanish2-list-1-json'),
    });
    await expect(client(impl).acceptRemoteShare('5')).rejects.toMatchObject({ code: 'server-error' });
    expect(requests).toHaveLength(1);
  });
});
