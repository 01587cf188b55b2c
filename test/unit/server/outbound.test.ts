// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Outbound, type Resolve } from '@/lib/server/federation/outbound';
import { RemoteError, remoteFetch } from '@/lib/server/federation/fetch';
import { HOP_HEADER, MAX_CALLS_PER_REQUEST, MAX_HOPS, runInRequestScope } from '@/lib/server/federation/request-scope';

// The outbound module in-process: who counts as "this node", what a node without --allow-local-remotes refuses after
// resolving names, and the per-request loop guards (hop header, call budget).

const settings = {
  allowLocalRemotes: true,
  remoteTimeoutMs: 2000,
  publicUrl: 'https://cloud.example.org',
  host: '127.0.0.1',
  port: 8200,
};

describe('Outbound.refusal', () => {
  it('takes our port on any loopback or unspecified address for this node, even when local remotes are allowed', () => {
    const outbound = new Outbound(settings);
    for (const address of ['127.0.0.1', '127.0.0.2', '::1', '0.0.0.0', '::', '::ffff:127.0.0.1']) {
      expect(outbound.refusal(address, 8200), address).toMatch(/this server itself/);
    }
    expect(outbound.refusal('127.0.0.1', 8201)).toBeUndefined();
    expect(outbound.refusal('8.8.8.8', 8200)).toBeUndefined();
  });

  it('refuses non-public addresses unless local remotes are allowed', () => {
    const outbound = new Outbound({ ...settings, allowLocalRemotes: false });
    expect(outbound.refusal('127.0.0.1', 9000)).toBe('not a public address (loopback)');
    expect(outbound.refusal('10.0.0.5', 443)).toMatch(/private/);
    expect(outbound.refusal('8.8.8.8', 443)).toBeUndefined();
  });

  it('follows the address the socket was really bound to', () => {
    const outbound = new Outbound({ ...settings, port: 0 });
    outbound.setListening({ address: '0.0.0.0', family: 'IPv4', port: 40123 });
    expect(outbound.refusal('127.0.0.1', 40123)).toMatch(/this server itself/);
    expect(outbound.refusal('127.0.0.1', 8200)).toBeUndefined();
  });
});

describe('remoteFetch', () => {
  let target: http.Server;
  let targetUrl = '';
  const hops: string[] = [];
  const hosts: string[] = [];

  beforeAll(async () => {
    target = http.createServer((req, res) => {
      hops.push(String(req.headers[HOP_HEADER.toLowerCase()]));
      hosts.push(String(req.headers.host));
      res.end('ok');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
  });

  it("refuses a name that resolves to loopback without --allow-local-remotes, and this node's own origin", async () => {
    const strict = new Outbound({ ...settings, allowLocalRemotes: false });
    const port = (target.address() as AddressInfo).port;
    // A name is refused by name: an anonymous caller must not learn internal addresses from the message.
    await expect(remoteFetch(strict, `http://localhost:${port}/`)).rejects.toThrow(
      /^Remote is not allowed: localhost is not a public address \(loopback\); the server must be started with --allow-local-remotes to reach it$/,
    );
    await expect(remoteFetch(strict, `${targetUrl}/`)).rejects.toThrow(/127\.0\.0\.1 is not a public address/);
    await expect(remoteFetch(new Outbound(settings), 'https://cloud.example.org/status.php')).rejects.toThrow(
      /this server itself/,
    );
    await expect(remoteFetch(new Outbound(settings), 'file:///etc/passwd')).rejects.toThrow(/not http or https/);
  });

  /** A DNS stand-in: fixed answers per name. */
  const fakeDns =
    (answers: Record<string, string[]>): Resolve =>
    (hostname, _options, callback) => {
      const list = answers[hostname];
      if (!list) return callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
      callback(
        null,
        list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      );
    };

  it('refuses a name when any one of its addresses is not public', async () => {
    const resolve = fakeDns({
      'mixed.test': ['93.184.216.34', '10.0.0.1'],
      'v6.test': ['2606:4700:4700::1111', '::ffff:192.168.0.1'],
    });
    const strict = new Outbound({ ...settings, allowLocalRemotes: false, resolve });
    await expect(remoteFetch(strict, 'http://mixed.test/')).rejects.toThrow(
      /mixed\.test is not a public address \(private\)/,
    );
    await expect(remoteFetch(strict, 'https://v6.test/')).rejects.toThrow(
      /v6\.test is not a public address \(IPv4-mapped private\)/,
    );
  });

  it('connects to the address it checked, under the name it was given', async () => {
    const port = (target.address() as AddressInfo).port;
    const open = new Outbound({ ...settings, resolve: fakeDns({ 'peer.test': ['127.0.0.1'] }) });
    const response = await remoteFetch(open, `http://peer.test:${port}/`);
    expect(await response.text()).toBe('ok');
    expect(hosts.at(-1)).toBe(`peer.test:${port}`);
  });

  /** Serves one request in a request scope (as app.ts does) that makes `calls` calls to the target. */
  async function throughScope(calls: number, incomingHop?: number): Promise<(string | number)[]> {
    const outbound = new Outbound(settings);
    const server = http.createServer((req, res) =>
      runInRequestScope(req, res, () => {
        void (async () => {
          const results: (string | number)[] = [];
          for (let i = 0; i < calls; i++) {
            try {
              const response = await remoteFetch(outbound, `${targetUrl}/`);
              await response.text();
              results.push(response.status);
            } catch (error) {
              results.push(error instanceof RemoteError ? error.kind : 'other');
            }
          }
          res.end(JSON.stringify(results));
        })();
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const headers: Record<string, string> = incomingHop === undefined ? {} : { [HOP_HEADER]: String(incomingHop) };
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers });
      return (await response.json()) as (string | number)[];
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it('sends the hop count and stops calling out at the hop limit', async () => {
    hops.length = 0;
    expect(await throughScope(1)).toEqual([200]);
    expect(await throughScope(1, 2)).toEqual([200]);
    expect(hops).toEqual(['1', '3']);
    expect(await throughScope(1, MAX_HOPS)).toEqual(['loop']);
  });

  it('bounds the calls one client request may cause', async () => {
    const results = await throughScope(MAX_CALLS_PER_REQUEST + 3);
    expect(results.filter((r) => r === 200)).toHaveLength(MAX_CALLS_PER_REQUEST);
    expect(results.slice(MAX_CALLS_PER_REQUEST)).toEqual(['loop', 'loop', 'loop']);
  });
});
