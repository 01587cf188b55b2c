import { execFile } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFile, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import ipaddr from 'ipaddr.js';
import { PRODUCT_NAME, type ServerConfig } from './config';
import { KEY_FILE } from './federation/keys';
import { DOCTOR_CHECK_TIMEOUT_MS } from './timeouts';

// `add-to-cloud-server doctor`: what operators get wrong, checked from the node's host with the node's own settings,
// each finding with what to do about it. The node must be running for the checks through the public URL. Doctor is an
// operator's tool: it calls the node's own public URL directly (the node's outbound rules for peers do not apply).

type Verdict = 'ok' | 'problem' | 'skipped';
interface Finding {
  check: string;
  verdict: Verdict;
  message: string;
  /** What to do, for problems. */
  fix?: string;
}

/** Below this much free space (or 5 % of the file system) uploads will soon fail with 507. */
const MIN_FREE_BYTES = 1024 ** 3;
/** Signatures older than 300 s are refused by Nextcloud and by us; warn well before that. */
const MAX_CLOCK_SKEW_S = 30;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback';
}

function checkTls(config: ServerConfig): Finding {
  const url = new URL(config.publicUrl);
  if (url.protocol === 'https:')
    return { check: 'tls', verdict: 'ok', message: `public URL ${config.publicUrl} is https` };
  if (isLoopbackHost(url.hostname))
    return { check: 'tls', verdict: 'ok', message: `public URL ${config.publicUrl} is http, on loopback only` };
  return {
    check: 'tls',
    verdict: 'problem',
    message:
      `public URL ${config.publicUrl} is plain http on a host others reach: ` +
      'passwords and share tokens travel readable',
    fix:
      'put a TLS proxy (nginx, Caddy, HAProxy) in front and pass its https:// address as --url ' +
      '(docs/server.md, "Running it on the internet")',
  };
}

async function checkDataDir(config: ServerConfig): Promise<Finding[]> {
  const findings: Finding[] = [];
  let dirStats;
  try {
    dirStats = await stat(config.dataDir);
  } catch {
    return [
      {
        check: 'data directory',
        verdict: 'problem',
        message: `${config.dataDir} does not exist`,
        fix: "pass the node's --data directory",
      },
    ];
  }
  const uid = process.getuid?.();
  if (uid !== undefined && dirStats.uid !== uid) {
    findings.push({
      check: 'data directory',
      verdict: 'problem',
      message: `${config.dataDir} belongs to uid ${dirStats.uid}, not to the user running this (uid ${uid})`,
      fix: `run doctor (and the node) as the directory's owner, or chown -R it to the node's user`,
    });
  }
  if ((dirStats.mode & 0o007) !== 0) {
    findings.push({
      check: 'data directory',
      verdict: 'problem',
      message:
        `${config.dataDir} is open to every local user (mode ${(dirStats.mode & 0o777).toString(8)}): ` +
        'they can read all files, the database and the signing key',
      fix: `chmod 700 ${config.dataDir}`,
    });
  }
  const keyStats = await stat(path.join(config.dataDir, KEY_FILE)).catch(() => undefined);
  if (keyStats && (keyStats.mode & 0o077) !== 0) {
    findings.push({
      check: 'data directory',
      verdict: 'problem',
      message: `${KEY_FILE} is readable by others (mode ${(keyStats.mode & 0o777).toString(8)})`,
      fix: `chmod 600 ${path.join(config.dataDir, KEY_FILE)} (the node also resets it on start)`,
    });
  }
  if (findings.length === 0)
    findings.push({
      check: 'data directory',
      verdict: 'ok',
      message: `${config.dataDir}: owned by this user, not open to others`,
    });
  return findings;
}

async function checkDisk(config: ServerConfig): Promise<Finding> {
  try {
    const fs = await statfs(config.dataDir);
    const free = fs.bavail * fs.bsize;
    const total = fs.blocks * fs.bsize;
    const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
    if (free < MIN_FREE_BYTES || free < total * 0.05) {
      return {
        check: 'disk',
        verdict: 'problem',
        message: `only ${gib(free)} free of ${gib(total)} under ${config.dataDir}`,
        fix: 'free space or move the data directory: uploads fail when the disk is full',
      };
    }
    return { check: 'disk', verdict: 'ok', message: `${gib(free)} free of ${gib(total)}` };
  } catch (error) {
    return {
      check: 'disk',
      verdict: 'skipped',
      message: `cannot read the file system's free space: ${(error as Error).message}`,
    };
  }
}

async function localPublicKey(config: ServerConfig): Promise<string | undefined> {
  try {
    return createPublicKey(await readFile(path.join(config.dataDir, KEY_FILE)))
      .export({ type: 'spki', format: 'pem' })
      .toString();
  } catch {
    return undefined;
  }
}

async function get(url: string): Promise<Response> {
  return fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(DOCTOR_CHECK_TIMEOUT_MS),
    headers: { 'User-Agent': 'add-to-cloud-server doctor' },
  });
}

/** The public URL reaches this very node (its signing key answers there), the proxy setup, and the clock through it. */
async function checkThroughPublicUrl(config: ServerConfig): Promise<Finding[]> {
  let status: Response;
  try {
    status = await get(`${config.publicUrl}/status.php`);
  } catch (error) {
    // fetch reports "fetch failed" and puts the reason (refused, DNS, TLS) in its cause.
    const { cause, message } = error as Error;
    const reason = cause instanceof Error ? cause.message : message;
    return [
      {
        check: 'public URL',
        verdict: 'problem',
        message: `${config.publicUrl}/status.php cannot be reached from this host: ${reason}`,
        fix: 'start the node, check DNS, the proxy and the firewall; peers and browsers use exactly this address',
      },
    ];
  }
  const findings: Finding[] = [];
  const body = (await status.json().catch(() => undefined)) as { product?: string } | undefined;
  if (status.status !== 200 || body?.product !== PRODUCT_NAME) {
    const from = body?.product ? ` from ${body.product}` : '';
    return [
      {
        check: 'public URL',
        verdict: 'problem',
        message: `${config.publicUrl}/status.php answers ${status.status}${from}, not this companion`,
        fix: 'the proxy must pass every path to the node unchanged',
      },
    ];
  }
  const ours = await localPublicKey(config);
  const discovery = await get(`${config.publicUrl}/ocm-provider/`)
    .then((r) => r.json() as Promise<{ publicKey?: { publicKeyPem?: string } }>)
    .catch(() => undefined);
  if (ours && discovery?.publicKey?.publicKeyPem?.trim() !== ours.trim()) {
    findings.push({
      check: 'public URL',
      verdict: 'problem',
      message:
        `${config.publicUrl} answers as a companion, but with another signing key: ` +
        'it is another node or another data directory',
      fix: 'point the proxy (or --url) at this node',
    });
  } else {
    findings.push({ check: 'public URL', verdict: 'ok', message: `${config.publicUrl} reaches this node` });
  }

  const client = await get(`${config.publicUrl}/health/client`)
    .then((r) => r.json() as Promise<{ forwarded: boolean; trustedPeer: boolean }>)
    .catch(() => undefined);
  if (client) findings.push(proxyFinding(config, client));

  const date = Date.parse(status.headers.get('date') ?? '');
  if (Number.isFinite(date)) {
    const skew = Math.abs(Date.now() - date) / 1000;
    findings.push(
      skew > MAX_CLOCK_SKEW_S
        ? {
            check: 'clock',
            verdict: 'problem',
            message: `the clock behind ${config.publicUrl} is ${Math.round(skew)} s off this host's`,
            fix: 'synchronise both clocks with NTP (signed OCM requests older than 5 minutes are refused)',
          }
        : {
            check: 'clock',
            verdict: 'ok',
            message: `the public URL's Date is within ${MAX_CLOCK_SKEW_S} s of this host's clock`,
          },
    );
  }
  return findings;
}

function proxyFinding(config: ServerConfig, seen: { forwarded: boolean; trustedPeer: boolean }): Finding {
  const trusted = config.trustedProxies.length > 0;
  if (seen.forwarded && !seen.trustedPeer) {
    return {
      check: 'trusted proxy',
      verdict: 'problem',
      message:
        'requests through the public URL arrive with X-Forwarded-For/Forwarded from a peer that is not a ' +
        '--trusted-proxy: every visitor counts as the proxy (one throttle budget for all)',
      fix: "add the proxy's address, as the node sees it, with --trusted-proxy (e.g. --trusted-proxy 127.0.0.1,::1)",
    };
  }
  if (!seen.forwarded && seen.trustedPeer && trusted) {
    return {
      check: 'trusted proxy',
      verdict: 'problem',
      message: 'requests come from a trusted proxy without X-Forwarded-For: the node cannot tell visitors apart',
      fix: 'let the proxy append the client (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;)',
    };
  }
  if (seen.forwarded)
    return { check: 'trusted proxy', verdict: 'ok', message: 'a trusted proxy forwards the client address' };
  return {
    check: 'trusted proxy',
    verdict: 'ok',
    message: trusted
      ? '--trusted-proxy is set; this request came without a proxy'
      : 'no proxy in between, and none trusted',
  };
}

async function checkNtp(): Promise<Finding> {
  try {
    const { stdout } = await promisify(execFile)('timedatectl', ['show', '-p', 'NTPSynchronized', '--value'], {
      timeout: DOCTOR_CHECK_TIMEOUT_MS,
    });
    return stdout.trim() === 'yes'
      ? { check: 'clock', verdict: 'ok', message: 'system clock is synchronised (NTP)' }
      : {
          check: 'clock',
          verdict: 'problem',
          message: 'system clock is not synchronised with NTP',
          fix: 'enable time synchronisation (timedatectl set-ntp true, or chrony)',
        };
  } catch {
    return { check: 'clock', verdict: 'skipped', message: 'timedatectl is not available: NTP status unknown' };
  }
}

export async function runDoctor(config: ServerConfig): Promise<Finding[]> {
  return [
    checkTls(config),
    ...(await checkDataDir(config)),
    await checkDisk(config),
    ...(await checkThroughPublicUrl(config)),
    await checkNtp(),
  ];
}

export function formatFindings(findings: readonly Finding[]): string {
  const label: Record<Verdict, string> = { ok: 'ok     ', problem: 'PROBLEM', skipped: 'skipped' };
  return findings
    .map((f) => `${label[f.verdict]}  ${f.check}: ${f.message}${f.fix ? `\n         fix: ${f.fix}` : ''}`)
    .join('\n');
}
