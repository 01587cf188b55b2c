import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Logger } from 'pino';
import { defaultConfig, type ServerConfig } from './config';
import { applyConfigSources, optionsTable } from './config-file';
import { formatFindings, runDoctor } from './doctor';
import { DEMO_USERS, describeDemoLinks, startDemo } from './demo';
import { createLogger } from './log';
import { isPostgresUrl, openStore, runNode, type RunningNode } from './node';
import { hashPassword } from './secrets';
import { backupNode, restoreNode } from './backup';
import { parseTrustedProxies } from './http/client-ip';
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_NOTIFICATION_RETRY_MS,
  DEFAULT_REMOTE_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from './timeouts';

// Entry point of the companion server (lib/server/README.md): the add-to-cloud-server commands, e.g.
// add-to-cloud-server serve --port P --data DIR --url PUBLIC_URL | user add NAME --password PW --data DIR
// bin/add-to-cloud-server.mjs runs this file; scripts/build-server.mjs bundles it into dist/server/cli.mjs.

/** A bug in one request must never take the node down: log it and keep serving. */
function keepAlive(log: Logger): void {
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  process.on('uncaughtException', (error) => log.error({ err: error }, 'uncaught exception'));
}

function stopOnSignal(log: Logger, nodes: RunningNode[]): void {
  keepAlive(log);
  let stopping = false;
  // First signal: graceful (requests in flight finish, bounded by SHUTDOWN_GRACE_MS). A second one: stop now.
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ event: 'stopping' }, 'stopping: no new connections, waiting for requests in flight');
    void Promise.all(nodes.map((node) => node.close())).then(() => {
      log.info({ event: 'stopped' }, 'stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}
function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** The --database value: a PostgreSQL connection URL (the password in it stays out of every message). */
function databaseUrl(value: string): string {
  if (!isPostgresUrl(value))
    throw new InvalidArgumentError('must be a PostgreSQL URL: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE');
  return value;
}
const DATABASE_HELP =
  'PostgreSQL URL (postgres://user[:password]@host[:port]/db) shared by the nodes of a cluster; ' +
  'default: SQLite in --data';

/** For the commands outside `serve`: --database, else ATC_DATABASE, else SQLite in the data directory. */
const databaseOf = (opts: { database?: string }): string | undefined =>
  opts.database ?? (process.env.ATC_DATABASE ? databaseUrl(process.env.ATC_DATABASE) : undefined);

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
function addresses(value: string, previous: string[]): string[] {
  try {
    parseTrustedProxies([value]);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
  return collect(value, previous);
}
/** Bytes with an optional binary suffix (K, M, G, T), or "none" for no limit. */
function quota(value: string): number | null {
  if (/^(none|unlimited)$/i.test(value)) return null;
  const match = /^(\d+)\s*([KMGT]?)i?B?$/i.exec(value.trim());
  if (!match?.[1]) throw new InvalidArgumentError('must be bytes, optionally with K/M/G/T, or "none"');
  return Number(match[1]) * 1024 ** ' KMGT'.indexOf((match[2] || ' ').toUpperCase());
}

/** A node name becomes a folder name (files/uploads.ts): letters, digits, dot, dash, underscore. */
function nodeName(value: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(value) || /^\.+$/.test(value))
    throw new InvalidArgumentError('must be 1-100 letters, digits, ".", "-" or "_"');
  return value;
}

const USER_ID = /^[A-Za-z0-9_.@-]{1,64}$/;

const program = new Command('add-to-cloud-server').description(
  'Companion server of "Add to Cloud": a small node that speaks ownCloud/Nextcloud federated sharing',
);

const serve = program
  .command('serve')
  .description('run a node')
  .requiredOption('--data <dir>', 'data directory (user files; also the SQLite database unless --database is given)')
  .option('--database <url>', DATABASE_HELP, databaseUrl)
  .requiredOption('--url <publicUrl>', 'address peers and browsers use to reach this node, e.g. http://127.0.0.1:8201')
  .option('--port <port>', 'TCP port', port, 8200)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--no-federation-outgoing', 'do not let links be mounted elsewhere / do not send federated shares')
  .option('--no-federation-incoming', 'do not accept federated shares or mount remote links')
  .option('--enforce-link-password', 'require a password on every public link', false)
  .option('--link-expire-days <days>', 'default link expiry in days (0 = none)', positive, 0)
  .option('--enforce-link-expiry', 'links must expire within --link-expire-days', false)
  .option('--throttle-failures <n>', 'failed password attempts before 429', positive, 5)
  .option(
    '--remote-timeout <ms>',
    'longest silence of another server (connect, headers, between body chunks)',
    positive,
    DEFAULT_REMOTE_TIMEOUT_MS,
  )
  .option(
    '--notification-retry <ms>',
    'retry an undelivered OCM notification after this long, doubling up to an hour (30 tries or a day at most)',
    positive,
    DEFAULT_NOTIFICATION_RETRY_MS,
  )
  .option(
    '--allow-local-remotes',
    'let remotes live at loopback/private/link-local addresses (only for nodes on one machine or a LAN)',
    false,
  )
  .option(
    '--federation-rate-limit <n>',
    'incoming federation calls per minute per remote server and per client IP (0 = unlimited)',
    positive,
    60,
  )
  .option('--max-pending-shares <n>', 'received shares a user may have waiting for acceptance', positive, 1000)
  // Exposure to the internet (docs/server.md, "Running it on the internet").
  .option(
    '--idle-timeout <ms>',
    'close a connection silent this long while receiving a request or sending a response',
    positive,
    DEFAULT_IDLE_TIMEOUT_MS,
  )
  .option(
    '--request-timeout <ms>',
    'non-upload requests must arrive completely (headers and body) within this time',
    positive,
    DEFAULT_REQUEST_TIMEOUT_MS,
  )
  .option(
    '--max-connections-per-ip <n>',
    'open connections per client address (0 = no limit; trusted proxies exempt)',
    positive,
    100,
  )
  .option(
    '--trusted-proxy <addresses>',
    'proxy address or CIDR whose X-Forwarded-For is believed (repeatable, comma list)',
    addresses,
    [],
  )
  .option(
    '--throttle-global-failures <n>',
    'failures on one account or link from all clients before those clients get backoff',
    positive,
    20,
  )
  .option(
    '--max-sessions <n>',
    'browser sessions kept (all nodes together; oldest anonymous ones go first)',
    positive,
    20_000,
  )
  .option('--user-quota <bytes>', 'storage per user, e.g. 10G, or "none"', quota, 10 * 1024 ** 3)
  .option(
    '--node-name <name>',
    'name of this node among those sharing --data (unique per node; default: host name and port)',
    nodeName,
  )
  .action(async (opts: ServeOptions) => {
    const log = createLogger();
    const node = await runNode(configOf(opts), log);
    stopOnSignal(log, [node]);
  });

type ServeOptions = {
  data: string;
  database?: string;
  url: string;
  port: number;
  host: string;
  federationOutgoing: boolean;
  federationIncoming: boolean;
  enforceLinkPassword: boolean;
  linkExpireDays: number;
  enforceLinkExpiry: boolean;
  throttleFailures: number;
  remoteTimeout: number;
  notificationRetry: number;
  allowLocalRemotes: boolean;
  federationRateLimit: number;
  maxPendingShares: number;
  idleTimeout: number;
  requestTimeout: number;
  maxConnectionsPerIp: number;
  trustedProxy: string[];
  throttleGlobalFailures: number;
  maxSessions: number;
  userQuota: number | null;
  nodeName?: string;
};

/** The node's configuration from the options of `serve` (also those of `doctor`, which checks that configuration). */
function configOf(opts: ServeOptions): ServerConfig {
  const dataDir = path.resolve(opts.data);
  return defaultConfig({
    dataDir,
    database: opts.database,
    publicUrl: opts.url,
    port: opts.port,
    host: opts.host,
    federationOutgoing: opts.federationOutgoing,
    federationIncoming: opts.federationIncoming,
    linkPasswordEnforced: opts.enforceLinkPassword,
    linkExpireDays: opts.linkExpireDays,
    linkExpireEnforced: opts.enforceLinkExpiry,
    throttleFailures: opts.throttleFailures,
    remoteTimeoutMs: opts.remoteTimeout,
    notificationRetryMs: opts.notificationRetry,
    allowLocalRemotes: opts.allowLocalRemotes,
    federationRateLimit: opts.federationRateLimit,
    maxPendingShares: opts.maxPendingShares,
    idleTimeoutMs: opts.idleTimeout,
    requestTimeoutMs: opts.requestTimeout,
    maxConnectionsPerIp: opts.maxConnectionsPerIp,
    trustedProxies: opts.trustedProxy,
    throttleGlobalFailures: opts.throttleGlobalFailures,
    maxSessions: opts.maxSessions,
    userQuotaBytes: opts.userQuota,
    ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
  });
}
serve.option(
  '--config <file>',
  'JSON file with any of these settings (keys: the flag names; see docs/server.md, "Configuration"); also ATC_CONFIG',
);

const doctor = program
  .command('doctor')
  .description(
    'check the setup of a running node (public URL, TLS, proxy, clock, data directory, disk) and say what to fix; ' +
      'exit 1 on problems',
  )
  .action(async (opts: ServeOptions) => {
    const findings = await runDoctor(configOf(opts));
    console.log(formatFindings(findings));
    if (findings.some((finding) => finding.verdict === 'problem')) process.exitCode = 1;
  });
// The same settings as `serve` (same flags, config file and environment), so doctor checks what the node runs with.
for (const option of serve.options) doctor.addOption(option);

program
  .command('config-reference')
  .description('print every setting of `serve` as a Markdown table (flag, config key, environment variable, default)')
  .action(() => console.log(optionsTable(serve)));

program
  .command('demo')
  .description('run the two demo nodes of `npm start`: alice (shared folder, sample files, links) and bob (empty)')
  .option('--data <dir>', 'data directory (one sub-folder per node, seeded on first start)', '.demo-data/server')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--alice-port <port>', "port of alice's node", port, 8201)
  .option('--bob-port <port>', "port of bob's node", port, 8202)
  .action(async (opts: { data: string; host: string; alicePort: number; bobPort: number }) => {
    const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
    const { nodes, links } = await startDemo(
      { dataDir: path.resolve(opts.data), host: opts.host, alicePort: opts.alicePort, bobPort: opts.bobPort },
      log,
    );
    const [alice, bob] = nodes;
    console.log(`alice: ${alice?.config.publicUrl}  (login alice / ${DEMO_USERS.alice.password})`);
    console.log(`bob:   ${bob?.config.publicUrl}  (login bob / ${DEMO_USERS.bob.password})`);
    console.log(
      `links (alice's, each can be added to bob's cloud):\n${describeDemoLinks(links)
        .map((line) => `  ${line}`)
        .join('\n')}`,
    );
    stopOnSignal(log, nodes);
  });

const user = program.command('user').description('manage accounts');
user
  .command('add')
  .description(
    'create an account, or reset its password and display name ' +
      '(a reset revokes its app passwords and logs its browsers out)',
  )
  .argument('<name>', 'user id (letters, digits, _ . @ -)')
  .requiredOption('--password <password>', 'login password')
  .requiredOption('--data <dir>', 'data directory')
  .option('--database <url>', `${DATABASE_HELP}; also ATC_DATABASE`, databaseUrl)
  .option('--display-name <text>', 'display name (defaults to the user id)')
  .option(
    '--keep-app-passwords',
    "on a reset, keep the account's app passwords (connected clients stay connected)",
    false,
  )
  .action(
    async (
      name: string,
      opts: { password: string; data: string; database?: string; displayName?: string; keepAppPasswords: boolean },
    ) => {
      if (!USER_ID.test(name))
        throw new InvalidArgumentError('user id may only contain letters, digits, _ . @ - (max 64)');
      if (opts.password.length < 1) throw new InvalidArgumentError('password must not be empty');
      const dataDir = path.resolve(opts.data);
      const store = await openStore(dataDir, databaseOf(opts));
      const existed = (await store.getUser(name)) !== undefined;
      await store.addUser({
        uid: name,
        displayName: opts.displayName ?? name,
        passwordHash: hashPassword(opts.password),
      });
      // A reset is what an owner does after a leak: whoever had the old password may have made app passwords with it.
      // Browser sessions end by themselves (they remember the password hash they logged in with).
      const revoked = existed && !opts.keepAppPasswords ? await store.deleteAllAppPasswordsOf(name) : 0;
      const appPasswords = opts.keepAppPasswords ? 'app passwords kept' : `${revoked} app password(s) revoked`;
      mkdirSync(path.join(dataDir, 'files', name), { recursive: true });
      await store.close();
      console.log(
        existed ? `user ${name} updated; browser sessions logged out; ${appPasswords}` : `user ${name} saved`,
      );
    },
  );

user
  .command('app-passwords')
  .description("list an account's app passwords (id, name, created, last used)")
  .argument('<name>', 'user id')
  .requiredOption('--data <dir>', 'data directory')
  .option('--database <url>', `${DATABASE_HELP}; also ATC_DATABASE`, databaseUrl)
  .action(async (name: string, opts: { data: string; database?: string }) => {
    const store = await openStore(path.resolve(opts.data), databaseOf(opts));
    const iso = (seconds: number | null) => (seconds === null ? 'never' : new Date(seconds * 1000).toISOString());
    for (const entry of await store.listAppPasswords(name)) {
      console.log(`${entry.id}\t${entry.name}\tcreated ${iso(entry.createdAt)}\tlast used ${iso(entry.lastUsedAt)}`);
    }
    await store.close();
  });

user
  .command('revoke-app-password')
  .description('revoke one app password of an account (see app-passwords for the id)')
  .argument('<name>', 'user id')
  .argument('<id>', 'app password id', positive)
  .requiredOption('--data <dir>', 'data directory')
  .option('--database <url>', `${DATABASE_HELP}; also ATC_DATABASE`, databaseUrl)
  .action(async (name: string, id: number, opts: { data: string; database?: string }) => {
    const store = await openStore(path.resolve(opts.data), databaseOf(opts));
    const deleted = await store.deleteAppPasswordOf(name, id);
    await store.close();
    if (!deleted) throw new InvalidArgumentError(`user ${name} has no app password ${id}`);
    console.log(`app password ${id} of ${name} revoked`);
  });

/**
 * backup/restore copy the SQLite database with the files (a consistent snapshot of both). A node on PostgreSQL has its
 * database elsewhere: back that up with PostgreSQL's own tools (pg_dump, base backups), the files with any file backup.
 */
function refuseWithPostgres(opts: { database?: string }, command: string): void {
  if (databaseOf(opts) === undefined) return;
  throw new InvalidArgumentError(
    `${command} covers nodes with the SQLite database only. With PostgreSQL, back up the ` +
      'database with pg_dump (or PostgreSQL base backups) and the data directory (files/, ocm-signing-key.pem) ' +
      'with a file backup',
  );
}

program
  .command('backup')
  .description(
    "back up a node's data directory (it may keep running): database (SQLite online backup), files, signing key",
  )
  .argument('<dir>', 'new or empty directory for the backup')
  .requiredOption('--data <dir>', 'data directory of the node')
  .option(
    '--database <url>',
    `the node's PostgreSQL URL, if it uses one (backup then refuses); also ATC_DATABASE`,
    databaseUrl,
  )
  .action(async (dir: string, opts: { data: string; database?: string }) => {
    refuseWithPostgres(opts, 'backup');
    const report = await backupNode(path.resolve(opts.data), path.resolve(dir));
    console.log(
      `backup written to ${path.resolve(dir)}: ${report.files} file(s), ${report.sharedItems} shared item(s) recorded` +
        (report.sharesWithoutItem > 0 ? `, ${report.sharesWithoutItem} share(s) whose item was already gone` : ''),
    );
  });

program
  .command('restore')
  .description('restore a backup into a new data directory, binding every share to its restored file')
  .argument('<dir>', 'backup directory (made by `backup`)')
  .requiredOption('--data <dir>', 'data directory to create (must not hold a node yet)')
  .option(
    '--database <url>',
    `PostgreSQL URL the restored node would use (restore then refuses); also ATC_DATABASE`,
    databaseUrl,
  )
  .action(async (dir: string, opts: { data: string; database?: string }) => {
    refuseWithPostgres(opts, 'restore');
    const report = await restoreNode(path.resolve(dir), path.resolve(opts.data));
    console.log(
      `restored into ${path.resolve(opts.data)}: ${report.files} file(s), ` +
        `${report.sharesRebound} share(s) bound to their restored item` +
        (report.sharesWithoutItem > 0
          ? `, ${report.sharesWithoutItem} share(s) left without an item (already gone when backed up)`
          : '') +
        `; database integrity: ${report.integrity}`,
    );
    if (report.integrity !== 'ok') process.exitCode = 1;
  });

const commandName = process.argv[2];
try {
  if (commandName === 'serve') applyConfigSources(serve, process.argv);
  if (commandName === 'doctor') applyConfigSources(doctor, process.argv);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
