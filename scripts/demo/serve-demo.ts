import path from 'node:path';
import { DEMO_USERS, startDemo } from '../../lib/server/demo';
import { createLogger } from '../../lib/server/log';
import { startSharePageServer } from './share-page-server';

/**
 * The embedded demo of `npm start`: two companion nodes on 127.0.0.1 — alice's, with a shared folder and public
 * links, and bob's, empty, to connect the extension to — plus sample share pages of every server family.
 */
const root = path.resolve(import.meta.dirname, '../..');
const host = '127.0.0.1';
const alicePort = Number(process.env.DEMO_ALICE_PORT ?? 8201);
const bobPort = Number(process.env.DEMO_BOB_PORT ?? 8202);
const pagesPort = Number(process.env.DEMO_PAGES_PORT ?? 8400);

function portError(error: NodeJS.ErrnoException): never {
  console.error(
    error.code === 'EADDRINUSE'
      ? `A demo port is taken (${alicePort}, ${bobPort} or ${pagesPort}). Choose others, e.g. DEMO_ALICE_PORT=9201 DEMO_BOB_PORT=9202 DEMO_PAGES_PORT=9400 npm start`
      : `The demo could not start: ${error.message}`,
  );
  process.exit(1);
}

const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
const demo = await startDemo({ dataDir: path.join(root, '.demo-data', 'server'), host, alicePort, bobPort }, log).catch(portError);
const pages = await startSharePageServer(pagesPort, host).catch(portError);
const bobUrl = `http://${host}:${bobPort}`;

const offered = pages.fixtures.filter((f) => f.entry.expected?.canFederate);
const blocked = pages.fixtures.filter((f) => f.entry.expected && !f.entry.expected.canFederate);
const others = pages.fixtures.filter((f) => !f.entry.expected);
const list = (fixtures: typeof others) => fixtures.map((f) => `  ${f.url}\n      ${f.entry.why}`).join('\n');

console.log(`
Add to Cloud demo is running.

Unpacked extension:
  Chrome/Chromium: ${path.join(root, '.output', 'chrome-mv3')}   (chrome://extensions → Developer mode → Load unpacked)
  Firefox:         ${path.join(root, '.output', 'firefox-mv2')}  (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)

Try the whole flow:
  1. The extension opens its settings on install: connect  bob@${bobUrl}
     and sign in as bob / ${DEMO_USERS.bob.password}, then grant access.
  2. Open one of alice's public links and click "Add to your cloud", then "Add":
${demo.links.map((link) => `       ${link}`).join('\n')}
     (the Protected folder's link password is demo-link-pass)
  3. See it in bob's files: ${bobUrl}/ (bob / ${DEMO_USERS.bob.password})

Companion nodes: alice ${`http://${host}:${alicePort}`} (alice / ${DEMO_USERS.alice.password}), bob ${bobUrl}

Sample share pages of every server family: ${pages.origin}/
Share pages (the "Add to your cloud" button appears):
${list(offered)}

Shares whose owner does not allow adding them elsewhere (no button; the popup says why):
${list(blocked)}

Not shares (nothing appears), for example:
${list(others.slice(0, 4))}

Press Ctrl-C to stop.`);

const shutdown = async () => {
  await Promise.allSettled([pages.close(), ...demo.nodes.map((node) => node.close())]);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
