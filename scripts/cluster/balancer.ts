import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Debian's nginx as the load balancer in front of companion nodes on 127.0.0.1 (tests, benchmarks, `npm run cluster`).
// No system service: nginx runs in the foreground (`daemon off`) from a config generated into a temp dir, with its
// pid file, logs and temp files there, on a free port. Started as root, its workers stay root (`user root`): nginx's
// default would be `nobody`, who cannot write into the private temp dir.
//
// What the balancer does (and what docs/server.md, "Running a cluster", recommends):
// - round robin over the nodes, keep-alive connections to them;
// - the client address in X-Forwarded-For (the nodes get --trusted-proxy 127.0.0.1, so throttling and logs see the
//   real client), the original Host and scheme;
// - uploads and downloads streamed, not buffered to disk (no second copy, no size limit here);
// - a request that fails before a node answered (connection refused or reset, timeout) is passed to the next node,
//   but only when that is safe: nginx never repeats POST, LOCK or PATCH once they were sent (`non_idempotent` is not
//   given), and never a request whose unbuffered body it already started to send. Such requests get 502, and the
//   client decides (test/integration/faults.cluster.test.ts shows how a client avoids duplicates).
//
// The access log names the node that answered each request (`upstream=`), so tests can tell that both nodes worked.

export interface Balancer {
  url: string;
  port: number;
  /** The access log so far: one line per request, `METHOD URI STATUS upstream=ADDR[, ADDR] …`. */
  accessLog(): string;
  /** How many requests each upstream ("127.0.0.1:PORT") answered, from the access log. */
  answeredBy(): Map<string, number>;
  stop(): Promise<void>;
}

export interface BalancerOptions {
  /** The nodes: "127.0.0.1:PORT". */
  upstreams: string[];
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Seconds a failed node is left out before it is tried again (nginx fail_timeout; default 2). */
  failTimeoutSeconds?: number;
}

export const NGINX = '/usr/sbin/nginx';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function balancerConfig(dir: string, port: number, options: BalancerOptions): string {
  const failTimeout = options.failTimeoutSeconds ?? 2;
  const servers = options.upstreams
    .map((upstream) => `    server ${upstream} max_fails=1 fail_timeout=${failTimeout}s;`)
    .join('\n');
  const asRoot = process.getuid?.() === 0;
  return `daemon off;
${asRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format balancer '$request_method $uri $status upstream=$upstream_addr upstream_status=$upstream_status time=$request_time';
  access_log ${dir}/access.log balancer;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  client_max_body_size 0;
  upstream companion {
${servers}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://companion;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_request_buffering off;
      proxy_buffering off;
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      proxy_send_timeout 120s;
    }
  }
}
`;
}

export async function startBalancer(options: BalancerOptions): Promise<Balancer> {
  if (!existsSync(NGINX))
    throw new Error(
      'nginx is not installed: apt-get install -y --no-install-recommends nginx-light (npm test does it)',
    );
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-balancer-'));
  const port = options.port ?? (await freePort());
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, balancerConfig(dir, port, options));
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], {
    stdio: 'ignore',
  });
  const read = (name: string) => {
    try {
      return readFileSync(path.join(dir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM'); // fast shutdown: a test's balancer has nothing to finish
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      const log = read('error.log').trim();
      await stop();
      throw new Error(`nginx did not start\n--- nginx error.log ---\n${log}`);
    }
    if (await isListening(port)) break; // listening is enough: the nodes behind it may still be starting

    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port,
    accessLog: () => read('access.log'),
    answeredBy() {
      const counts = new Map<string, number>();
      // After a retry the field lists every node tried ("A, B"): the last one answered.
      for (const match of read('access.log').matchAll(/ upstream=(.*?) upstream_status=/g)) {
        const upstream = (match[1] as string).split(', ').at(-1) as string;
        if (upstream !== '-') counts.set(upstream, (counts.get(upstream) ?? 0) + 1);
      }
      return counts;
    },
    stop,
  };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
