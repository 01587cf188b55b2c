import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exec, freePort, onAbort, sleep, waitForHttp } from './common';

// Debian's nginx as the reference static file server: started by the benchmark on a free 127.0.0.1 port from a
// generated minimal config in a temp dir (daemon off, one process so its PID is the one doing the work), serving
// `root` with sendfile, the way a stock Debian install serves static files. `/buffered/FILE` serves the same files
// without sendfile (read + write through two 1 MiB buffers), which on loopback is the faster nginx: both are reported.

export interface BenchNginx {
  url: string;
  pid: number;
  version: string;
  stop(): Promise<void>;
}

export async function nginxVersion(): Promise<string> {
  try {
    const { stderr, stdout } = await exec('nginx', ['-v']);
    return (stderr || stdout).trim().replace(/^nginx version:\s*/, '');
  } catch {
    throw new Error('nginx is not installed: apt-get install -y --no-install-recommends nginx-light');
  }
}

export async function startNginx(root: string): Promise<BenchNginx> {
  const version = await nginxVersion();
  const dir = mkdtempSync(path.join(tmpdir(), 'atc-bench-nginx-'));
  const forgetDir = onAbort(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    # The same files with buffered reads instead of sendfile: on loopback this is often faster than sendfile.
    location /buffered/ {
      alias ${root}/;
      sendfile off;
      output_buffers 2 1m;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', conf], { stdio: 'ignore' });
  const forgetChild = onAbort(() => child.kill('SIGKILL'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT'); // graceful shutdown
      if ((await Promise.race([exited.then(() => true), sleep(5000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    forgetChild();
    rmSync(dir, { recursive: true, force: true });
    forgetDir();
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/`, 10_000, () => child.exitCode === null && child.signalCode === null);
    if (!child.pid) throw new Error('nginx has no pid');
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(path.join(dir, 'error.log'), 'utf8').trim();
    } catch {
      // none written
    }
    await stop();
    throw new Error(`${(error as Error).message}\n--- nginx error.log ---\n${log}`);
  }
  return { url, pid: child.pid, version, stop };
}
