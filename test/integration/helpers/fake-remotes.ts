import http from 'node:http';
import type { AddressInfo } from 'node:net';

// Misbehaving "servers" for the remote-failure tests: one answers garbage to everything, one accepts connections and
// never answers.

export interface FakeRemote {
  url: string;
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<FakeRemote> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export function garbageRemote(): Promise<FakeRemote> {
  return listen(http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('<<<not json at all\u0000');
  }));
}

export function silentRemote(): Promise<FakeRemote> {
  return listen(http.createServer((req) => {
    req.resume(); // never answer
  }));
}
