import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { runCli, startNode, type TestNode } from './helpers/node';

// `add-to-cloud-server doctor` against running nodes: a good setup passes (exit 0); a data directory open to everyone,
// a plain-http URL on a non-loopback host and a proxy the node does not trust are each reported with the fix (exit 1).

/** A minimal reverse proxy, as nginx with `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for`. */
function proxyTo(target: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      `${target}${req.url ?? '/'}`,
      {
        method: req.method,
        headers: { ...req.headers, host: new URL(target).host, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
      }),
    ),
  );
}

const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

describe('doctor', () => {
  let node: TestNode;
  beforeAll(async () => {
    node = await startNode({ users: [{ name: 'alice', password: 'pw' }], host: '0.0.0.0' });
  });
  afterAll(async () => node.stop());

  it('passes a good setup: loopback URL, private data directory', async () => {
    const local = `http://127.0.0.1:${node.port}`;
    const result = await runCli(['doctor', '--data', node.dataDir, '--url', local]);
    expect(result.stdout).not.toContain('PROBLEM');
    expect(result.stdout).toMatch(/ok\s+tls: .* on loopback only/);
    expect(result.stdout).toMatch(/ok\s+public URL: .* reaches this node/);
    expect(result.stdout).toMatch(/ok\s+data directory:/);
    expect(result.stdout).toMatch(/ok\s+disk:/);
    expect(result.code).toBe(0);
  });

  it('reports a world-readable data directory and http on a non-loopback host, with the fixes', async () => {
    expect(lanAddress, 'this test needs a non-loopback IPv4 address').toBeDefined();
    chmodSync(node.dataDir, 0o755);
    try {
      const result = await runCli(['doctor', '--data', node.dataDir, '--url', `http://${lanAddress}:${node.port}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/PROBLEM\s+tls: public URL http:\/\/.* is plain http/);
      expect(result.stdout).toMatch(/fix: put a TLS proxy/);
      expect(result.stdout).toMatch(/PROBLEM\s+data directory: .* is open to every local user \(mode 755\)/);
      expect(result.stdout).toContain(`fix: chmod 700 ${node.dataDir}`);
      expect(result.stdout).toMatch(/ok\s+public URL: .* reaches this node/); // the rest of the setup is fine
    } finally {
      chmodSync(node.dataDir, 0o700);
    }
  });

  it('notices forwarded requests from a proxy the node does not trust', async () => {
    const proxy = await proxyTo(`http://127.0.0.1:${node.port}`);
    try {
      const result = await runCli(['doctor', '--data', node.dataDir, '--url', proxy.url]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(
        /PROBLEM\s+trusted proxy: requests through the public URL arrive with X-Forwarded-For/,
      );
      expect(result.stdout).toMatch(/fix: add the proxy's address, as the node sees it, with --trusted-proxy/);
    } finally {
      proxy.close();
    }
  });

  it('says when the public URL does not reach the node', async () => {
    const result = await runCli(['doctor', '--data', node.dataDir, '--url', 'http://127.0.0.1:1']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/PROBLEM\s+public URL: http:\/\/127.0.0.1:1\/status.php cannot be reached/);
  });
});
