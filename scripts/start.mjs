// `npm start`: installs what is missing, builds the extension for Chrome and Firefox, and serves the embedded
// demo on 127.0.0.1 until Ctrl-C. Needs no display: load the printed folder as an unpacked extension in a
// browser of your own and open the printed URLs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureNodeModules, log, root, run } from './setup.mjs';

ensureNodeModules();
const wxt = path.join(root, 'node_modules', '.bin', 'wxt');
log('Building the extension (Chrome MV3 and Firefox MV2)…');
if (!run(wxt, ['build']) || !run(wxt, ['build', '-b', 'firefox'])) {
  console.error('The build failed: see the messages above.');
  process.exit(1);
}

const demo = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'demo', 'serve-demo.ts')], {
  cwd: root,
  stdio: 'inherit',
});
const stop = () => demo.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
demo.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
