import puppeteer, { type Browser } from 'puppeteer-core';
import { startNode, type TestNode } from '../../integration/helpers/node';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from './chromium';
import { FIREFOX, FIREFOX_EXTENSION_DIR } from './firefox';
import { connectInFirefox } from './firefox-flow';
import { connectAccount } from './flows';
import { SHARER_HOST } from './hosts';
import { ALICE, BOB } from './nodes';
import type { XDisplay } from './xdisplay';

/**
 * The set-up most add tests share, in the world's topology (hosts.ts): alice's companion on the sharers' host with
 * her files, bob's own companion on the instance host, and a browser connected to bob's cloud: Chromium with the e2e
 * build, or Firefox ESR with the release build on a virtual display.
 */

/** alice's node and bob's, started together, with their files (path -> content; a path ending in "/" is a folder). */
export function startAliceAndBob(
  aliceFiles: Record<string, string>,
  bobFiles: Record<string, string> = {},
): Promise<[alice: TestNode, bob: TestNode]> {
  return Promise.all([
    startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: aliceFiles } }),
    startNode({ users: [BOB], files: { bob: bobFiles } }),
  ]);
}

/** Chromium with the e2e build (in the browser language `lang`), bob's cloud connected through Login Flow v2. */
export async function launchConnectedToBob(bob: TestNode, lang: 'en' | 'de' = 'en'): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension(E2E_EXTENSION_DIR, lang === 'en' ? {} : { lang });
  await connectAccount(browser, `bob@${bob.url}`, { user: BOB.name, password: BOB.password }, undefined, lang);
  return browser;
}

/** Firefox ESR (headful on `x`) with the release build installed, bob's cloud connected through its real prompts. */
export async function launchFirefoxConnectedToBob(x: XDisplay, bob: TestNode): Promise<Browser> {
  const firefox = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: false, env: x.env });
  await firefox.installExtension(FIREFOX_EXTENSION_DIR);
  await connectInFirefox(x, firefox, `bob@${bob.url}`, BOB);
  return firefox;
}

/** For afterAll: closes the browser, then stops the nodes (any of them may be missing when the set-up failed). */
export async function closeAll(
  browser: { close(): Promise<void> } | undefined,
  ...nodes: (TestNode | undefined)[]
): Promise<void> {
  await browser?.close();
  await Promise.all(nodes.map((node) => node?.stop()));
}
