#!/usr/bin/env node
// Builds the companion server for the npm package (run by `prepack`): lib/server/cli.ts and everything it imports
// from the repository, bundled into one ES module, dist/server/cli.mjs. Packages from node_modules stay imports
// (they are the package's `dependencies`; better-sqlite3 is native and cannot be bundled anyway).
//
// Two rules keep the bundle honest:
// * Files the sources read next to themselves (`new URL('../views/companion.css', import.meta.url)`) are re-pointed
//   from the bundle's folder to the same repository path, and that path must be in package.json `files`.
// * Every package the bundle imports must be a `dependency` (not a devDependency): otherwise the installed package
//   would fail at its first start.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist/server');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const packed = pkg.files ?? [];
const ALWAYS_PACKED = ['package.json', 'README.md', 'LICENSE'];
const isPacked = (rel) =>
  ALWAYS_PACKED.includes(rel) ||
  packed.some((entry) => rel === entry || (entry.endsWith('/') && rel.startsWith(entry)));
const ASSET_URL = /new URL\((['"])(\.{1,2}\/[^'"]+)\1,\s*import\.meta\.url\)/g;

/** Re-points `new URL('./relative', import.meta.url)` of a source file at the same file seen from dist/server/. */
const assetUrls = {
  name: 'asset-urls',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.replace(ASSET_URL, (_match, quote, rel) => {
        const asset = path.resolve(path.dirname(args.path), rel);
        const fromRoot = path.relative(root, asset).split(path.sep).join('/');
        if (!isPacked(fromRoot))
          throw new Error(`${path.relative(root, args.path)} reads ${fromRoot}: add it to package.json "files"`);
        const fromBundle = path.relative(outdir, asset).split(path.sep).join('/');
        return `new URL(${quote}${fromBundle}${quote}, import.meta.url)`;
      });
      return { contents, loader: 'ts' };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [path.join(root, 'lib/server/cli.ts')],
  outfile: path.join(outdir, 'cli.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  metafile: true,
  legalComments: 'none',
  plugins: [assetUrls],
  logLevel: 'warning',
});

const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const imported = new Set(
  Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((entry) => entry.external && !entry.path.startsWith('node:'))
    .map((entry) =>
      entry.path
        .split('/')
        .slice(0, entry.path.startsWith('@') ? 2 : 1)
        .join('/'),
    ),
);
const missing = [...imported].filter((name) => !dependencies.has(name));
if (missing.length > 0) throw new Error(`the server bundle imports ${missing.join(', ')}: move them to "dependencies"`);
console.log(`dist/server/cli.mjs built; runtime packages: ${[...imported].sort().join(', ')}`);
