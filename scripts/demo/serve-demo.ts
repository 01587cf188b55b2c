import path from 'node:path';
import { startSharePageServer } from './share-page-server';

/** The embedded demo: sample share pages of every server family on 127.0.0.1. */
const root = path.resolve(import.meta.dirname, '../..');
const port = Number(process.env.DEMO_PORT ?? 8400);

const server = await startSharePageServer(port).catch((error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} is taken. Start with another one: DEMO_PORT=8500 npm start`
      : `The demo server could not start: ${error.message}`,
  );
  process.exit(1);
});

const offered = server.fixtures.filter((f) => f.entry.expected?.canFederate);
const blocked = server.fixtures.filter((f) => f.entry.expected && !f.entry.expected.canFederate);
const others = server.fixtures.filter((f) => !f.entry.expected);
const list = (fixtures: typeof others) => fixtures.map((f) => `  ${f.url}\n      ${f.entry.why}`).join('\n');
console.log(`
Add to Cloud demo is running.

Unpacked extension:
  Chrome/Chromium: ${path.join(root, '.output', 'chrome-mv3')}   (chrome://extensions → Developer mode → Load unpacked)
  Firefox:         ${path.join(root, '.output', 'firefox-mv2')}  (about:debugging → This Firefox → Load Temporary Add-on → manifest.json)

All sample pages: ${server.origin}/

Share pages (the "Add to your cloud" button appears):
${list(offered)}

Shares whose owner does not allow adding them elsewhere (no button; the popup says why):
${list(blocked)}

Not shares (nothing appears), for example:
${list(others.slice(0, 4))}

Press Ctrl-C to stop.`);

const shutdown = () => void server.close().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
