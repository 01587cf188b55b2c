import { startNode, type TestNode } from '../../integration/helpers/node';
import { E2E_EXTENSION_DIR, launchWithExtension, type ExtensionBrowser } from './chromium';
import { connectAccount } from './flows';
import { SHARER_HOST } from './hosts';
import { ALICE, BOB } from './nodes';

/**
 * The set-up most add tests share, in the world's topology (hosts.ts): alice's companion on the sharers' host with
 * her files, bob's own companion on the instance host, and a Chromium with the e2e build connected to bob's cloud.
 */

/** alice's node with `aliceFiles` (path -> content; a path ending in "/" is a folder) and bob's, started together. */
export function startAliceAndBob(aliceFiles: Record<string, string>): Promise<[alice: TestNode, bob: TestNode]> {
  return Promise.all([startNode({ host: SHARER_HOST, users: [ALICE], files: { alice: aliceFiles } }), startNode({ users: [BOB] })]);
}

/** Chromium with the e2e build (in the browser language `lang`), bob's cloud connected through Login Flow v2. */
export async function launchConnectedToBob(bob: TestNode, lang: 'en' | 'de' = 'en'): Promise<ExtensionBrowser> {
  const browser = await launchWithExtension(E2E_EXTENSION_DIR, lang === 'en' ? {} : { lang });
  await connectAccount(browser, `bob@${bob.url}`, { user: BOB.name, password: BOB.password }, undefined, lang);
  return browser;
}

/** For afterAll: closes the browser, then stops the nodes (any of them may be missing when the set-up failed). */
export async function closeAll(browser: ExtensionBrowser | undefined, ...nodes: (TestNode | undefined)[]): Promise<void> {
  await browser?.close();
  await Promise.all(nodes.map((node) => node?.stop()));
}
