import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { defaultConfig } from './config';
import { runNode, openStore, type RunningNode } from './node';
import { hashPassword, randomToken } from './secrets';
import { READ } from './shares/permissions';

// The two demo nodes behind `npm start`: alice's (with a shared folder, sample files and links) and bob's (empty), so
// the whole product works on a fresh machine. Seeding happens once; later starts reuse the data directory.

interface DemoOptions {
  dataDir: string;
  host: string;
  alicePort: number;
  bobPort: number;
}

export const DEMO_USERS = {
  alice: { password: 'alice-demo-pass', displayName: 'Alice' },
  bob: { password: 'bob-demo-pass', displayName: 'Bob' },
} as const;

/** The password of alice's protected demo link, printed next to it. */
const DEMO_LINK_PASSWORD = 'demo-link-pass';

/** alice's public links: what `npm start` prints, one line each. */
const LINKS = [
  { path: '/Shared Folder', itemType: 'folder', password: null },
  { path: '/Protected', itemType: 'folder', password: DEMO_LINK_PASSWORD },
  { path: '/report.txt', itemType: 'file', password: null },
] as const;

export interface DemoLink {
  /** The shared item's name, as the link page shows it. */
  name: string;
  itemType: 'folder' | 'file';
  url: string;
  /** The link password, for the protected link. */
  password?: string;
}

type SeededLink = Omit<DemoLink, 'url'> & { token: string };

async function seedAlice(dataDir: string): Promise<SeededLink[]> {
  const store = await openStore(dataDir);
  try {
    if (!(await store.getUser('alice'))) {
      await store.addUser({
        uid: 'alice',
        displayName: DEMO_USERS.alice.displayName,
        passwordHash: hashPassword(DEMO_USERS.alice.password),
      });
      const files = path.join(dataDir, 'files', 'alice');
      const sample: Record<string, string> = {
        'Shared Folder/hello.txt': "Hello from Alice's companion node.\n",
        'Shared Folder/notes.md': '# Notes\n\nThis folder is shared with a public link.\n',
        'Shared Folder/sub/deep.txt': 'A file in a sub-folder.\n',
        'Protected/secret-plan.txt': 'Only people with the link password can read this.\n',
        'report.txt': 'A single shared file.\n',
      };
      for (const [rel, content] of Object.entries(sample)) {
        mkdirSync(path.dirname(path.join(files, rel)), { recursive: true });
        writeFileSync(path.join(files, rel), content);
      }
      for (const link of LINKS) {
        await store.addShare({
          shareType: 3,
          owner: 'alice',
          path: link.path,
          itemType: link.itemType,
          permissions: READ,
          token: randomToken(15),
          passwordHash: link.password === null ? null : hashPassword(link.password),
          expiration: null,
          name: null,
          shareWith: null,
        });
      }
    }
    // Read back from the store, so a later start (same data directory) prints the links it really serves.
    return (await store.listShares('alice'))
      .filter((share) => share.shareType === 3)
      .map((share) => {
        const known = LINKS.find((link) => link.path === share.path);
        const password = share.passwordHash !== null ? (known?.password ?? undefined) : undefined;
        return {
          name: path.posix.basename(share.path),
          itemType: share.itemType,
          token: share.token,
          ...(password && { password }),
        };
      });
  } finally {
    await store.close();
  }
}

/**
 * The demo links as `npm start` and `add-to-cloud-server demo` print them, one per line: which item, whether it is
 * protected and with which password, and the URL.
 */
export function describeDemoLinks(links: DemoLink[]): string[] {
  const width = Math.max(...links.map((link) => link.name.length));
  return links.map((link) => {
    const lock = link.password ? `protected, password: ${link.password}` : 'no password';
    return `${link.name.padEnd(width)}  ${link.url}  (${link.itemType}, ${lock})`;
  });
}

async function seedBob(dataDir: string): Promise<void> {
  const store = await openStore(dataDir);
  try {
    if (!(await store.getUser('bob')))
      await store.addUser({
        uid: 'bob',
        displayName: DEMO_USERS.bob.displayName,
        passwordHash: hashPassword(DEMO_USERS.bob.password),
      });
    mkdirSync(path.join(dataDir, 'files', 'bob'), { recursive: true });
  } finally {
    await store.close();
  }
}

export async function startDemo(
  options: DemoOptions,
  log: Logger,
): Promise<{ nodes: RunningNode[]; links: DemoLink[] }> {
  const aliceDir = path.join(options.dataDir, 'alice');
  const bobDir = path.join(options.dataDir, 'bob');
  const seeded = await seedAlice(aliceDir);
  await seedBob(bobDir);
  const aliceUrl = `http://${options.host}:${options.alicePort}`;
  const bobUrl = `http://${options.host}:${options.bobPort}`;
  // Both demo nodes live on this machine, so they must be allowed to call each other on loopback.
  const local = { host: options.host, allowLocalRemotes: true };
  const nodes = [
    await runNode(
      defaultConfig({ dataDir: aliceDir, publicUrl: aliceUrl, port: options.alicePort, ...local }),
      log.child({ node: 'alice' }),
    ),
    await runNode(
      defaultConfig({ dataDir: bobDir, publicUrl: bobUrl, port: options.bobPort, ...local }),
      log.child({ node: 'bob' }),
    ),
  ];
  return { nodes, links: seeded.map(({ token, ...link }) => ({ ...link, url: `${aliceUrl}/s/${token}` })) };
}
