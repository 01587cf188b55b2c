import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, ocs } from '../integration/helpers/http';
import { startNode, type TestNode } from '../integration/helpers/node';
import { unpack } from '../unit/release/zips';
import { CHROMIUM } from './support/chromium';
import { FIREFOX } from './support/firefox';
import { addInFirefox, connectInFirefox, sleep, until } from './support/firefox-flow';
import { SHARER_HOST } from './support/hosts';
import { startXDisplay, type XDisplay } from './support/xdisplay';

/**
 * The store packages as a user gets them: each zip of `npm run zip` unpacked into a fresh folder, loaded into the
 * browser, and the main flow run once — connect bob's own instance (granting the host permission in the browser's
 * real prompt, since the release build holds none), add alice's link from her host. Headful on a virtual display:
 * a headless browser cannot show the permission prompt.
 */
const ALICE = { name: 'alice', password: 'alicepass123', displayName: 'Alice' };
const BOB = { name: 'bob', password: 'bobpass123', displayName: 'Bob' };

let x: XDisplay;
let alice: TestNode;
let bob: TestNode;
const temp = mkdtempSync(path.join(tmpdir(), 'add-to-cloud-zipped-'));

async function createLink(folder: string): Promise<string> {
  const { status, body } = await ocs(`${alice.url}/ocs/v2.php/apps/files_sharing/api/v1/shares`, 'POST', {
    auth: [ALICE.name, ALICE.password],
    form: { path: folder, shareType: '3', permissions: '1' },
  });
  expect(status).toBe(200);
  return (body.ocs.data as { url: string }).url;
}

async function bobReads(file: string): Promise<string | undefined> {
  const response = await call(`${bob.url}/remote.php/dav/files/bob/${file.split('/').map(encodeURIComponent).join('/')}`, 'GET', {
    auth: [BOB.name, BOB.password],
  });
  return response.status === 200 ? response.text() : undefined;
}

beforeAll(async () => {
  x = await startXDisplay();
  [alice, bob] = await Promise.all([
    startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: { 'For Firefox/a.txt': 'firefox', 'For Chromium/b.txt': 'chromium' } } }),
    startNode({ users: [BOB, { name: 'carol', password: 'carolpass123', displayName: 'Carol' }] }),
  ]);
});

afterAll(async () => {
  await Promise.all([alice?.stop(), bob?.stop()]);
  x?.close();
  rmSync(temp, { recursive: true, force: true });
});

describe('the Firefox zip, unpacked and installed in Firefox ESR', () => {
  it('connects bob’s instance through the real permission prompt and adds alice’s link', async () => {
    const dir = await unpack('firefox', path.join(temp, 'firefox'));
    const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false, env: x.env });
    try {
      await firefox.installExtension(dir);
      await connectInFirefox(x, firefox, `bob@${bob.url}`, BOB);
      expect(await addInFirefox(x, firefox, await createLink('/For Firefox'))).toContain('Added to your cloud as “/For Firefox”.');
      expect(await bobReads('For Firefox/a.txt')).toBe('firefox');
    } finally {
      await firefox.close();
    }
  }, 120_000);
});
