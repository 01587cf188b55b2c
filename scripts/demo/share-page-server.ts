import http from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DemoLink } from '../../lib/server/demo';
import { corpus } from '../../test/fixtures/pages/corpus';

/**
 * Serves the fixture corpus (test/fixtures/pages) over HTTP on 127.0.0.1: the sample share pages of every server
 * family for `npm start`, and the pages the browser tests open. They are detection samples (saved pages with made-up
 * tokens): the extension shows its button on them, but adding needs the real server, which the index page says. Fixture
 * N lives under `/f/N/` followed by the path of its corpus URL, so each page keeps its own path shape (a sub-path
 * install then simply gets a longer base path). SPA fixtures (oCIS) answer every route below their prefix with the same
 * shell and confirm their own token on the unauthenticated tokeninfo endpoint, as oCIS does.
 */

export type CorpusEntry = (typeof corpus)[number];

export interface ServedFixture {
  id: number;
  entry: CorpusEntry;
  /** Absolute URL of the page on this server. */
  url: string;
}

export interface SharePageServer {
  origin: string;
  fixtures: ServedFixture[];
  close(): Promise<void>;
}

const FIXTURE_DIR = path.resolve(import.meta.dirname, '../../test/fixtures/pages');
const TOKENINFO = /^\/ocs\/v[12]\.php\/apps\/files_sharing\/api\/v1\/tokeninfo\/unprotected\/([^/?#]+)/;

function pathOf(entryUrl: string): string {
  const url = new URL(entryUrl);
  return url.pathname + url.search + url.hash;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What each kind of sample does when opened, said on every row so nobody expects a sample to be addable. */
export const SAMPLE_LABELS = {
  working: 'working demo link — add it to your cloud end to end',
  offered: 'detection sample — the button appears, adding needs the real server',
  blocked: 'detection sample — no button: the owner does not allow adding it elsewhere',
  other: 'not a share — nothing appears',
} as const;

function indexPage(fixtures: ServedFixture[], demoLinks: DemoLink[]): string {
  const row = (f: ServedFixture, label: string) =>
    `<li><a href="${escapeHtml(f.url)}">${escapeHtml(f.entry.file)}</a> — ${escapeHtml(f.entry.why)}<br><em>${escapeHtml(label)}</em></li>`;
  const working = (link: DemoLink) => {
    const lock = link.password ? `protected, password: ${link.password}` : 'no password';
    return `<li><a href="${escapeHtml(link.url)}">${escapeHtml(link.name)}</a> — alice's ${link.itemType}, ${escapeHtml(lock)}<br><em>${SAMPLE_LABELS.working}</em></li>`;
  };
  const offered = fixtures.filter((f) => f.entry.expected?.canFederate);
  const blocked = fixtures.filter((f) => f.entry.expected && !f.entry.expected.canFederate);
  const others = fixtures.filter((f) => !f.entry.expected);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Add to Cloud demo pages</title></head><body>
<h1>Add to Cloud: sample pages</h1>
${
  demoLinks.length
    ? `<h2>Working demo links: alice's shares on her companion node</h2>
<p>Open one, click "Add to your cloud", then "Add": it lands in the cloud you connected (bob's in the demo).</p>
<ul>${demoLinks.map(working).join('')}</ul>`
    : ''
}
<h2>Detection samples: copies of share pages of every server family</h2>
<p>Saved pages of ownCloud, Nextcloud, Infinite Scale and the companion, with made-up tokens. The extension recognises
them and shows what it would show on the real page, but no server stands behind them: adding one fails.</p>
<h3>Share pages: the "Add to your cloud" button appears</h3><ul>${offered.map((f) => row(f, SAMPLE_LABELS.offered)).join('')}</ul>
<h3>Shares the owner does not allow adding elsewhere: no button</h3><ul>${blocked.map((f) => row(f, SAMPLE_LABELS.blocked)).join('')}</ul>
<h3>Not shares: nothing appears</h3><ul>${others.map((f) => row(f, SAMPLE_LABELS.other)).join('')}</ul></body></html>`;
}

function send(res: http.ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/** `demoLinks`: working links on a companion node (alice's in `npm start`), listed first on the index page. */
export async function startSharePageServer(
  port = 0,
  host = '127.0.0.1',
  demoLinks: DemoLink[] = [],
): Promise<SharePageServer> {
  const fixtures: ServedFixture[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', indexPage(fixtures, demoLinks));
    const match = /^\/f\/(\d+)(\/.*)$/.exec(url.pathname);
    const fixture = match ? fixtures[Number(match[1])] : undefined;
    if (!match || !fixture) return send(res, 404, 'text/plain', 'Not found');
    const rest = match[2]!;
    const isSpa = fixture.entry.expected?.kind === 'ocis';
    const tokenInfo = TOKENINFO.exec(rest);
    if (tokenInfo) {
      const known = isSpa && decodeURIComponent(tokenInfo[1]!) === fixture.entry.expected?.token;
      const body = known
        ? {
            ocs: {
              meta: { status: 'ok', statuscode: 100, message: 'OK' },
              data: { token: tokenInfo[1], password_protected: 'false', id: String(fixture.id), link_url: fixture.url },
            },
          }
        : { ocs: { meta: { status: 'error', statuscode: 404, message: 'not found' }, data: {} } };
      // No CORS header: the extension asks from the share tab itself (same origin), as it must with a real oCIS.
      return send(res, known ? 200 : 404, 'application/json', JSON.stringify(body));
    }
    if (isSpa || new URL(fixture.entry.url).pathname === rest) {
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        readFileSync(path.join(FIXTURE_DIR, fixture.entry.file), 'utf8'),
      );
    }
    return send(res, 404, 'text/plain', 'Not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The demo server has no TCP address');
  const origin = `http://${host}:${address.port}`;
  corpus.forEach((entry, id) => {
    // Only http(s) URLs can be served; the corpus also holds data:, ftp: and malformed URLs for unit tests.
    if (!/^https?:\/\//.test(entry.url)) return;
    try {
      fixtures[id] = { id, entry, url: `${origin}/f/${id}${pathOf(entry.url)}` };
    } catch {
      /* a deliberately malformed URL */
    }
  });
  return {
    origin,
    fixtures: fixtures.filter(Boolean),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
