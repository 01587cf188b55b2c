import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'puppeteer-core';
import { ocs } from '../integration/helpers/http';
import type { TestNode } from '../integration/helpers/node';
import { appPasswordNames } from './support/app-passwords';
import { addInFirefox } from './support/firefox-flow';
import { ALICE, BOB, createLink as linkOf, readFile } from './support/nodes';
import { SHARER_HOST } from './support/hosts';
import { closeAll, launchFirefoxConnectedToBob, startAliceAndBob } from './support/setup';
import { startXDisplay, type XDisplay } from './support/xdisplay';

/**
 * The main flow in Firefox ESR with the release build, in the world's topology: bob's own instance on 127.0.0.1
 * (the host he grants when connecting), alice's server on another host (127.0.0.2) that the extension holds no
 * permission for. Firefox hides its extension pages and prompts from WebDriver BiDi, so those steps use the
 * keyboard, the mouse and the clipboard on a virtual display, as a person would; the web pages (share page,
 * Login Flow) are driven by puppeteer-core.
 */

let x: XDisplay;
let alice: TestNode;
let bob: TestNode;
let firefox: Browser;

async function bobsRemoteShares(): Promise<number> {
  const { body } = await ocs(`${bob.url}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
    auth: [BOB.name, BOB.password],
  });
  return (body.ocs.data as unknown[]).length;
}

const createLink = (path: string, extra: Record<string, string> = {}) => linkOf(alice, ALICE, path, extra);
const bobReads = (path: string) => readFile(bob, BOB, path);

beforeAll(async () => {
  x = await startXDisplay();
  [alice, bob] = await startAliceAndBob({ 'Holiday/photo.txt': 'sunny', 'Locked/key.txt': 'hidden' });
  firefox = await launchFirefoxConnectedToBob(x, bob);
});

afterAll(async () => {
  await closeAll(firefox, alice, bob);
  x?.close();
});

describe('in Firefox ESR (release build, real prompts, sharer on another host)', () => {
  it('adds alice’s link to bob’s companion instance', async () => {
    const link = await createLink('/Holiday');
    expect(new URL(link).hostname).toBe(SHARER_HOST);
    expect(await addInFirefox(x, firefox, link)).toContain('Added to your cloud as “/Holiday”.');
    expect(await bobReads('Holiday/photo.txt')).toBe('sunny');
  });

  it('says so when the share is already there, and mounts nothing twice', async () => {
    const before = await bobsRemoteShares();
    expect(await addInFirefox(x, firefox, await createLink('/Holiday'))).toContain(
      'This share is already in your cloud',
    );
    expect(await bobsRemoteShares()).toBe(before);
  });

  it('adds a password-protected link with the password typed into the confirmation', async () => {
    const link = await createLink('/Locked', { password: 'linkpass123' });
    expect(await addInFirefox(x, firefox, link, 'linkpass123')).toContain('Added to your cloud as “/Locked”.');
    expect(await bobReads('Locked/key.txt')).toBe('hidden');
  });

  it('named bob’s app password after the extension and Firefox (from the moz-extension origin Firefox sends)', async () => {
    expect(await appPasswordNames(bob.url, BOB)).toEqual(['Add to Cloud (Firefox)']);
  });
});
