// `npm run cluster`: a throwaway cluster on this machine — PostgreSQL, two companion nodes sharing it and one data
// directory, nginx in front — on 127.0.0.1 until Ctrl-C, which removes it all (scripts/cluster/run.ts does the work).
// docs/server.md, "Running a cluster", explains the parts.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureNginx, ensureNodeModules, ensurePostgres, root } from './setup.mjs';

ensureNodeModules();
ensureNginx();
ensurePostgres();
const cluster = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'cluster', 'run.ts')], {
  cwd: root,
  stdio: 'inherit',
});
// Ctrl-C reaches both processes (same process group); run.ts cleans up, this one waits for it.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => cluster.kill('SIGTERM'));
cluster.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
