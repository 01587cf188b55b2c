import path from 'node:path';
import { DEMO_USERS, describeDemoLinks, startDemo } from '../../lib/server/demo';
import { createLogger } from '../../lib/server/log';
import { SAMPLE_LABELS, startSharePageServer } from './share-page-server';

/**
 * The embedded demo of `npm start`: two companion nodes on 127.0.0.1 — alice's, with a shared folder and public
 * links, and bob's, empty, to connect the extension to — plus sample share pages of every server family.
 */
const root = path.resolve(import.meta.dirname, '../..');
const host = '127.0.0.1';
const alicePort = Number(process.env.DEMO_ALICE_PORT ?? 8201);
const bobPort = Number(process.env.DEMO_BOB_PORT ?? 8202);
const pagesPort = Number(process.env.DEMO_PAGES_PORT ?? 8400);
/** Seeded on the first start and reused afterwards; DEMO_DATA_DIR puts it elsewhere (the demo's own test does). */
const dataDir = process.env.DEMO_DATA_DIR ?? path.join(root, '.demo-data', 'server');

function portError(error: NodeJS.ErrnoException): never {
  console.error(
    error.code === 'EADDRINUSE'
      ? `A demo port is taken (${alicePort}, ${bobPort} or ${pagesPort}). Choose others, e.g. DEMO_ALICE_PORT=9201 DEMO_BOB_PORT=9202 DEMO_PAGES_PORT=9400 npm start`
      : `The demo could not start: ${error.message}`,
  );
  process.exit(1);
}

const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
const demo = await startDemo({ dataDir, host, alicePort, bobPort }, log).catch(portError);
const pages = await startSharePageServer(pagesPort, host, demo.links).catch(portError);
const bobUrl = `http://${host}:${bobPort}`;

const offered = pages.fixtures.filter((f) => f.entry.expected?.canFederate);
const blocked = pages.fixtures.filter((f) => f.entry.expected && !f.entry.expected.canFederate);
const others = pages.fixtures.filter((f) => !f.entry.expected);
const list = (fixtures: typeof others) => fixtures.map((f) => `  ${f.url}\n      ${f.entry.why}`).join('\n');
const indent = (lines: string[], by: string) => lines.map((line) => `${by}${line}`).join('\n');

console.log(`
Add to Cloud demo is running.

Unpacked extension:
  Chrome/Chromium: ${path.join(root, '.output', 'chrome-mv3')}   (chrome://extensions → Developer mode → Load unpacked)
  Firefox:         ${path.join(root, '.output', 'firefox-mv2')}  (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)

Try the whole flow:
  1. The extension opens its settings on install: connect  bob@${bobUrl}
     and sign in as bob / ${DEMO_USERS.bob.password}, then grant access.
  2. Open one of alice's public links and click "Add to your cloud", then "Add" (for the protected one, type its
     password in the confirmation):
${indent(describeDemoLinks(demo.links), '       ')}
  3. See it in bob's files: ${bobUrl}/ (bob / ${DEMO_USERS.bob.password})

Companion nodes: alice ${`http://${host}:${alicePort}`} (alice / ${DEMO_USERS.alice.password}), bob ${bobUrl}

Detection samples — saved share pages of every server family, with made-up tokens: ${pages.origin}/
(the index there lists alice's working links first). The extension recognises these pages, but no server stands
behind them, so adding one fails: to add for real, use alice's links above.
Share pages (${SAMPLE_LABELS.offered}):
${list(offered)}

Shares whose owner does not allow adding them elsewhere (${SAMPLE_LABELS.blocked}; the popup says why):
${list(blocked)}

Not shares (${SAMPLE_LABELS.other}), for example:
${list(others.slice(0, 4))}

Press Ctrl-C to stop.`);

const shutdown = async () => {
  await Promise.allSettled([pages.close(), ...demo.nodes.map((node) => node.close())]);
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
