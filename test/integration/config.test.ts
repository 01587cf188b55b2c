import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT, runCli } from './helpers/node';

// Every `serve` flag from a JSON config file or an ATC_* variable (command line > environment > file > default), and
// the reference table in docs/server.md is exactly what the option list generates.

function start(
  args: string[],
  env: Record<string, string>,
): { exited: Promise<{ code: number | null; output: string }>; kill(): void } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/server/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return {
    exited: new Promise((resolve) => child.once('exit', (code) => resolve({ code, output }))),
    kill: () => child.kill('SIGTERM'),
  };
}

async function waitFor(url: string): Promise<Response | undefined> {
  for (let i = 0; i < 150; i++) {
    const response = await fetch(url).catch(() => undefined);
    if (response) return response;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

describe('configuration from a file and the environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes settings from the file, the environment over the file, the command line over both', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const file = path.join(dir, 'node.json');
    writeFileSync(
      file,
      JSON.stringify({
        data: path.join(dir, 'data'),
        url: `http://127.0.0.1:${envPort}`,
        port: filePort,
        'trusted-proxy': ['10.0.0.0/8', '127.0.0.1'],
        'federation-outgoing': false,
        'user-quota': '1M',
      }),
    );
    const node = start(['serve', '--config', file], { ATC_PORT: String(envPort) });
    try {
      const client = await waitFor(`http://127.0.0.1:${envPort}/health/client`);
      expect(await client?.json()).toMatchObject({ trustedPeer: true }); // trusted-proxy from the file
      const discovery = (await (await fetch(`http://127.0.0.1:${envPort}/ocm-provider/`)).json()) as {
        enabled: boolean;
      };
      expect(discovery.enabled).toBe(true); // incoming federation still on
      expect(
        await fetch(`http://127.0.0.1:${filePort}/health`).then(
          () => 'answered',
          () => 'refused',
        ),
      ).toBe('refused');
    } finally {
      node.kill();
    }
    expect((await node.exited).code).toBe(0);

    const cliPort = await freePort();
    const overridden = start(['serve', '--config', file, '--port', String(cliPort)], { ATC_PORT: String(envPort) });
    try {
      expect((await waitFor(`http://127.0.0.1:${cliPort}/health`))?.status).toBe(200);
    } finally {
      overridden.kill();
    }
    await overridden.exited;
  });

  it('refuses unknown keys and bad values, naming where they came from', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ data: dir, url: 'http://127.0.0.1:1', 'trusted-proxies': ['x'] }));
    const unknown = await start(['serve', '--config', file], {}).exited;
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('unknown setting(s) trusted-proxies');
    const badEnv = await start(['serve', '--data', dir, '--url', 'http://127.0.0.1:1'], { ATC_MAX_SESSIONS: '-3' })
      .exited;
    expect(badEnv.code).toBe(1);
    expect(badEnv.output).toContain('ATC_MAX_SESSIONS: must be a non-negative integer');
    const badFlag = await start(['serve', '--data', dir, '--url', 'http://127.0.0.1:1'], {
      ATC_ALLOW_LOCAL_REMOTES: 'maybe',
    }).exited;
    expect(badFlag.output).toContain('ATC_ALLOW_LOCAL_REMOTES: expected true or false');
  });

  it('documents exactly the options the code has', async () => {
    const { stdout, code } = await runCli(['config-reference']);
    expect(code).toBe(0);
    const docs = readFileSync(path.join(ROOT, 'docs/server.md'), 'utf8');
    const section = /<!-- config-reference:begin[^>]*-->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(docs)?.[1];
    expect(section).toBe(stdout.trim());
  });
});
