import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startNode, type TestNode } from './helpers/node';
import { basic, call } from './helpers/http';
import { silentRemote, type FakeRemote } from './helpers/fake-remotes';

// Finding 8 of issue 8: slow or silent clients must not hold connections open, while uploads that keep moving work.
// The node runs with short, test-sized timeouts (the defaults are 30 s idle / 60 s per non-upload request).

let node: TestNode;
let silent: FakeRemote;
const ALICE = basic('alice', 'alice-pass-1');

beforeAll(async () => {
  node = await startNode({
    users: [{ name: 'alice', password: 'alice-pass-1' }],
    files: { alice: { 'big.bin': 'z'.repeat(4 * 1024 * 1024), 'huge.bin': 'z'.repeat(24 * 1024 * 1024) } },
    args: [
      '--idle-timeout',
      '1000',
      '--request-timeout',
      '2000',
      '--max-connections-per-ip',
      '60',
      '--remote-timeout',
      '2500',
    ],
  });
  silent = await silentRemote();
});
afterAll(async () => Promise.all([node.stop(), silent.close()]));

interface RawConnection {
  socket: Socket;
  /** Resolves with ms from open to close, and everything the server sent. */
  closed: Promise<{ afterMs: number; answer: string }>;
}

function open(port: number, firstBytes: string): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined); // a reset counts as closed
    const closed = new Promise<{ afterMs: number; answer: string }>((done) =>
      socket.once('close', () => done({ afterMs: Date.now() - started, answer })),
    );
    socket.once('connect', () => {
      socket.write(firstBytes);
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'still open'> =>
  Promise.race([promise, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);

describe('slow clients', () => {
  it('closes 50 connections whose request body stopped arriving after the idle timeout', async () => {
    const head =
      'POST /index.php/login/v2/poll HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntoken=';
    const connections = await Promise.all(Array.from({ length: 50 }, () => open(node.port, head)));
    const results = await Promise.all(connections.map((c) => within(c.closed, 6000)));
    for (const result of results) {
      expect(result).not.toBe('still open');
      if (result !== 'still open') expect(result.afterMs).toBeLessThan(5000);
    }
    // The node is still fine afterwards.
    expect((await fetch(`${node.url}/status.php`)).status).toBe(200);
  });

  it('closes a connection that sends its headers a byte at a time', async () => {
    const connection = await open(node.port, 'G');
    const bytes = 'ET /status.php HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100);
    let next = 0;
    const trickle = setInterval(() => connection.socket.writable && connection.socket.write(bytes[next++] ?? 'a'), 200);
    const result = await within(connection.closed, 5000);
    clearInterval(trickle);
    expect(result).not.toBe('still open');
    if (result !== 'still open') {
      expect(result.afterMs).toBeGreaterThanOrEqual(900); // closed by the headers deadline, not as a bad request
      expect(result.answer).not.toMatch(/^HTTP\/1\.1 400/);
    }
  });

  it('answers 408 to a small body that trickles for longer than the request timeout', async () => {
    const head =
      'POST /index.php/login/v2/poll HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n';
    const connection = await open(node.port, head);
    const trickle = setInterval(() => connection.socket.writable && connection.socket.write('a'), 200);
    const result = await within(connection.closed, 6000);
    clearInterval(trickle);
    expect(result).not.toBe('still open');
    if (result !== 'still open') {
      expect(result.answer).toMatch(/^HTTP\/1\.1 408/);
      expect(result.afterMs).toBeGreaterThanOrEqual(1900);
    }
  });

  it('keeps an upload that keeps moving, past both timeouts, and closes one that goes silent', async () => {
    const size = 16;
    const head = `PUT /remote.php/webdav/slow.txt HTTP/1.1\r\nHost: x\r\nAuthorization: ${ALICE}\r\nOCS-APIRequest: true\r\nContent-Length: ${size}\r\n\r\n`;
    const moving = await open(node.port, head);
    let sent = 0;
    await new Promise<void>((resolve) => {
      const trickle = setInterval(() => {
        moving.socket.write('x');
        if (++sent === size) {
          clearInterval(trickle);
          resolve();
        }
      }, 200); // 3.2 s in total: longer than the 1 s idle and 2 s request timeouts
    });
    const answer = await new Promise<string>((resolve) =>
      moving.socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    moving.socket.destroy();

    const silent = await open(node.port, head.replace('slow.txt', 'silent.txt') + 'xx');
    const result = await within(silent.closed, 5000);
    expect(result).not.toBe('still open');
  });
});

describe('slow readers', () => {
  it('keeps a download that a slow client keeps reading, well past the idle timeout', async () => {
    const connection = await open(
      node.port,
      `GET /remote.php/webdav/big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: ${ALICE}\r\nConnection: close\r\n\r\n`,
    );
    let received = 0;
    connection.socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      connection.socket.pause(); // read a chunk, then wait: a client on a slow line
      setTimeout(() => connection.socket.resume(), 40);
    });
    const result = await within(connection.closed, 20_000);
    expect(result).not.toBe('still open');
    if (result !== 'still open') expect(result.afterMs).toBeGreaterThan(2000); // several idle timeouts long
    expect(received).toBeGreaterThan(4 * 1024 * 1024);
  });
});

describe('a silent server side', () => {
  it('keeps the connection while the node itself waits (on a remote that does not answer), then answers', async () => {
    const started = Date.now();
    const response = await call(`${node.url}/index.php/apps/files_sharing/external`, 'POST', {
      headers: { Authorization: ALICE, 'OCS-APIRequest': 'true' },
      form: { remote: silent.url, token: 'abc', owner: 'x', name: 'x', password: '' },
    });
    expect(Date.now() - started).toBeGreaterThan(1500); // longer than the idle timeout
    expect(await response.text()).toContain('Remote is unreachable');
  });

  it('closes a download the client stopped reading', async () => {
    const connection = await open(
      node.port,
      `GET /remote.php/webdav/huge.bin HTTP/1.1\r\nHost: x\r\nAuthorization: ${ALICE}\r\n\r\n`,
    );
    let received = 0;
    connection.socket.on('data', (chunk: Buffer) => (received += chunk.length));
    connection.socket.pause(); // stops reading: the socket buffers fill up and the node's writes stall
    await new Promise((resolve) => setTimeout(resolve, 3000));
    connection.socket.resume(); // what was already buffered arrives, then the end: the node gave up on this client
    const result = await within(connection.closed, 5000);
    expect(result).not.toBe('still open');
    expect(received).toBeLessThan(24 * 1024 * 1024);
  });
});

describe('connections per client address', () => {
  let limited: TestNode;
  beforeAll(async () => {
    limited = await startNode({ args: ['--max-connections-per-ip', '5'] });
  });
  afterAll(async () => limited.stop());

  it('closes connections beyond the limit at once and serves the others', async () => {
    const head = 'GET /status.php HTTP/1.1\r\nHost: x\r\n';
    const connections = [];
    for (let i = 0; i < 8; i++) connections.push(await open(limited.port, head)); // headers left unfinished
    const results = await Promise.all(connections.map((c) => within(c.closed, 1000)));
    // The 3 beyond the limit are closed at once. (The startup probe's idle keep-alive connection may still count as
    // one of the 5, so at least 4 of ours stay open.)
    expect(results.filter((r) => r !== 'still open').length).toBeGreaterThanOrEqual(3);
    expect(results.filter((r) => r === 'still open').length).toBeGreaterThanOrEqual(4);
    // The open ones still get answers; once they are gone new connections are accepted again.
    connections[0]?.socket.write('\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const c of connections) c.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${limited.url}/status.php`)).status).toBe(200);
  });
});
