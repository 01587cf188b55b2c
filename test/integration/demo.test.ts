import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from './helpers/node';
import { call, CookieJar, ocs, requestTokenOf } from './helpers/http';

// The demo as printed: `add-to-cloud-server demo` (the two nodes) and `scripts/demo/serve-demo.ts` (what `npm start`
// runs: the nodes plus the sample pages). Every printed link is checked against the running servers.

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-demo-'));
  dirs.push(dir);
  return dir;
}

/** Starts a process and resolves with its output once `ready` appears in it. */
function startPrinting(args: string[], ready: string, env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`demo did not start: ${output}`)), 30_000);
    const collect = (d: Buffer) => {
      output += d.toString();
      if (output.includes(ready)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  });
}

interface PrintedLink {
  name: string;
  url: string;
  kind: string;
  password?: string;
}

/** The link lines: `Name  URL  (folder, protected, password: P)` or `(file, no password)`. */
function printedLinks(output: string): PrintedLink[] {
  return [
    ...output.matchAll(
      /^\s+(.+?)\s+(http:\/\/127\.0\.0\.1:\d+\/s\/[A-Za-z0-9]{15})\s+\((folder|file), (?:no password|protected, password: (\S+))\)$/gm,
    ),
  ].map(([, name = '', url = '', kind = '', password]) => ({ name, url, kind, ...(password && { password }) }));
}

/** Checks each printed link on alice's node: its page names the item, and only the protected one asks for its password. */
async function expectLinksWorkAsPrinted(links: PrintedLink[]): Promise<void> {
  expect(links.map(({ name, kind }) => [name, kind])).toEqual([
    ['Shared Folder', 'folder'],
    ['Protected', 'folder'],
    ['report.txt', 'file'],
  ]);
  expect(links.filter((link) => link.password).map((link) => [link.name, link.password])).toEqual([
    ['Protected', 'demo-link-pass'],
  ]);
  for (const link of links) {
    const jar = new CookieJar();
    const page = await call(link.url, 'GET', { jar });
    if (!link.password) {
      expect(page.status, link.name).toBe(200);
      expect(await page.text(), link.name).toContain(`data-name="${link.name}"`);
      continue;
    }
    expect(page.status, link.name).toBe(303);
    const prompt = await (await call(`${link.url}/authenticate`, 'GET', { jar })).text();
    const opened = await call(`${link.url}/authenticate`, 'POST', {
      jar,
      form: { password: link.password, requesttoken: requestTokenOf(prompt) },
    });
    expect(opened.headers.get('location'), 'the printed password opens the link').toBe(new URL(link.url).pathname);
    expect(await (await call(link.url, 'GET', { jar })).text()).toContain(`data-name="${link.name}"`);
  }
}

describe('demo command', () => {
  it('starts alice with named links (the protected one with its password) and an empty bob that can mount them', async () => {
    const [alicePort, bobPort] = [await freePort(), await freePort()];
    const output = await startPrinting(
      [
        'lib/server/cli.ts',
        'demo',
        '--data',
        tempDir(),
        '--alice-port',
        String(alicePort),
        '--bob-port',
        String(bobPort),
      ],
      'report.txt ',
    );
    const links = printedLinks(output);
    await expectLinksWorkAsPrinted(links);

    const bob = `http://127.0.0.1:${bobPort}`;
    const token = links[0]?.url.split('/').at(-1) ?? '';
    const mounted = await call(`${bob}/index.php/apps/files_sharing/external`, 'POST', {
      auth: ['bob', 'bob-demo-pass'],
      form: {
        remote: `http://127.0.0.1:${alicePort}`,
        token,
        owner: 'alice',
        ownerDisplayName: 'Alice',
        name: 'Shared Folder',
        password: '',
      },
    });
    expect(await mounted.text()).toBe('');
    const remote = await ocs(`${bob}/ocs/v2.php/apps/files_sharing/api/v1/remote_shares`, 'GET', {
      auth: ['bob', 'bob-demo-pass'],
    });
    expect(remote.body.ocs.data).toHaveLength(1);
  });
});

describe('npm start’s demo (scripts/demo/serve-demo.ts)', () => {
  it('prints alice’s links by name and labels the sample pages as detection samples, here and on their index page', async () => {
    const [alicePort, bobPort, pagesPort] = [await freePort(), await freePort(), await freePort()];
    const output = await startPrinting(['scripts/demo/serve-demo.ts'], 'Press Ctrl-C to stop.', {
      DEMO_DATA_DIR: tempDir(),
      DEMO_ALICE_PORT: String(alicePort),
      DEMO_BOB_PORT: String(bobPort),
      DEMO_PAGES_PORT: String(pagesPort),
    });
    const links = printedLinks(output);
    await expectLinksWorkAsPrinted(links);
    expect(output).toContain('Share pages (detection sample — the button appears, adding needs the real server):');

    const index = await (await call(`http://127.0.0.1:${pagesPort}/`)).text();
    const items = [...index.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1] ?? '');
    // alice's links come first, as working links; every sample says what it is.
    expect(items.slice(0, 3).map((item) => /<a href="([^"]*)">/.exec(item)?.[1])).toEqual(
      links.map((link) => link.url),
    );
    expect(items[1]).toContain('protected, password: demo-link-pass');
    for (const item of items.slice(0, 3))
      expect(item).toContain('<em>working demo link — add it to your cloud end to end</em>');
    const samples = items.slice(3);
    expect(samples.length).toBeGreaterThan(20);
    for (const item of samples)
      expect(item).toMatch(
        /<em>(detection sample — the button appears, adding needs the real server|detection sample — no button: the owner does not allow adding it elsewhere|not a share — nothing appears)<\/em>/,
      );
    expect(samples.filter((item) => item.includes('the button appears')).length).toBeGreaterThan(10);
  });
});
