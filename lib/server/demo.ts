import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { defaultConfig } from './config';
import { runNode, openStore, type RunningNode } from './node';
import { hashPassword, randomToken } from './secrets';

// The two demo nodes behind `npm start`: alice's (with a shared folder, sample files and links) and bob's (empty), so
// the whole product works on a fresh machine. Seeding happens once; later starts reuse the data directory.

export interface DemoOptions {
  dataDir: string;
  host: string;
  alicePort: number;
  bobPort: number;
}

export const DEMO_USERS = {
  alice: { password: 'alice-demo-pass', displayName: 'Alice' },
  bob: { password: 'bob-demo-pass', displayName: 'Bob' },
} as const;

function seedAlice(dataDir: string): string[] {
  const store = openStore(dataDir);
  try {
    if (store.getUser('alice')) return store.listShares('alice').filter((s) => s.shareType === 3).map((s) => s.token);
    store.addUser({ uid: 'alice', displayName: DEMO_USERS.alice.displayName, passwordHash: hashPassword(DEMO_USERS.alice.password) });
    const files = path.join(dataDir, 'files', 'alice');
    const sample: Record<string, string> = {
      'Shared Folder/hello.txt': 'Hello from Alice\'s companion node.\n',
      'Shared Folder/notes.md': '# Notes\n\nThis folder is shared with a public link.\n',
      'Shared Folder/sub/deep.txt': 'A file in a sub-folder.\n',
      'Protected/secret-plan.txt': 'Only people with the link password can read this.\n',
      'report.txt': 'A single shared file.\n',
    };
    for (const [rel, content] of Object.entries(sample)) {
      mkdirSync(path.dirname(path.join(files, rel)), { recursive: true });
      writeFileSync(path.join(files, rel), content);
    }
    const links = [
      { path: '/Shared Folder', itemType: 'folder' as const, passwordHash: null },
      { path: '/Protected', itemType: 'folder' as const, passwordHash: hashPassword('demo-link-pass') },
      { path: '/report.txt', itemType: 'file' as const, passwordHash: null },
    ];
    return links.map((link) => store.addShare({
      shareType: 3, owner: 'alice', path: link.path, itemType: link.itemType, permissions: 1, token: randomToken(15),
      passwordHash: link.passwordHash, expiration: null, name: null, shareWith: null,
    }).token);
  } finally {
    store.close();
  }
}

function seedBob(dataDir: string): void {
  const store = openStore(dataDir);
  try {
    if (!store.getUser('bob')) store.addUser({ uid: 'bob', displayName: DEMO_USERS.bob.displayName, passwordHash: hashPassword(DEMO_USERS.bob.password) });
    mkdirSync(path.join(dataDir, 'files', 'bob'), { recursive: true });
  } finally {
    store.close();
  }
}

export async function startDemo(options: DemoOptions, log: Logger): Promise<{ nodes: RunningNode[]; links: string[] }> {
  const aliceDir = path.join(options.dataDir, 'alice');
  const bobDir = path.join(options.dataDir, 'bob');
  const tokens = seedAlice(aliceDir);
  seedBob(bobDir);
  const aliceUrl = `http://${options.host}:${options.alicePort}`;
  const bobUrl = `http://${options.host}:${options.bobPort}`;
  // Both demo nodes live on this machine, so they must be allowed to call each other on loopback.
  const local = { host: options.host, allowLocalRemotes: true };
  const nodes = [
    await runNode(defaultConfig({ dataDir: aliceDir, publicUrl: aliceUrl, port: options.alicePort, ...local }), log.child({ node: 'alice' })),
    await runNode(defaultConfig({ dataDir: bobDir, publicUrl: bobUrl, port: options.bobPort, ...local }), log.child({ node: 'bob' })),
  ];
  return { nodes, links: tokens.map((token) => `${aliceUrl}/s/${token}`) };
}
