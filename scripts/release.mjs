// `npm run release patch|minor|major`: bumps the one version of the extension and the companion (package.json and
// package-lock.json), dates the Unreleased section of CHANGELOG.md, builds and zips the store packages
// (`npm run zip`) and prints their SHA-256 checksums (also written next to them). It never commits, tags or pushes:
// review the diff, then commit and tag yourself.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUMPS, bumpVersion, releaseChangelog, withVersion } from './release/steps.mjs';

const root = path.resolve(import.meta.dirname, '..');
const file = (name) => path.join(root, name);
const bump = process.argv[2];
if (!BUMPS.includes(bump)) {
  console.error(`Usage: npm run release ${BUMPS.join('|')}`);
  process.exit(2);
}

const current = JSON.parse(readFileSync(file('package.json'), 'utf8')).version;
const version = bumpVersion(current, bump);
const date = new Date().toISOString().slice(0, 10);
// Everything is computed before anything is written: a refusal (empty Unreleased section…) changes no file.
const changelog = releaseChangelog(readFileSync(file('CHANGELOG.md'), 'utf8'), version, date);
const packageJson = withVersion(readFileSync(file('package.json'), 'utf8'), version);
const lock = withVersion(readFileSync(file('package-lock.json'), 'utf8'), version);
writeFileSync(file('package.json'), packageJson);
writeFileSync(file('package-lock.json'), lock);
writeFileSync(file('CHANGELOG.md'), changelog);
console.log(`Version ${current} → ${version} (package.json, package-lock.json, CHANGELOG.md ${date})`);

const zip = spawnSync('npm', ['run', 'zip'], { cwd: root, stdio: 'inherit' });
if (zip.status !== 0) {
  console.error(
    '\nThe build failed; the version files are changed. Undo with: git checkout package.json package-lock.json CHANGELOG.md',
  );
  process.exit(1);
}

const zips = ['chrome', 'firefox', 'sources'].map((kind) => `add-to-cloud-${version}-${kind}.zip`);
const sums = zips
  .map(
    (name) =>
      `${createHash('sha256')
        .update(readFileSync(file(`.output/${name}`)))
        .digest('hex')}  ${name}`,
  )
  .join('\n');
const sumsFile = `.output/add-to-cloud-${version}.sha256`;
writeFileSync(file(sumsFile), `${sums}\n`);
console.log(
  `\nSHA-256 (also in ${sumsFile}; check with: cd .output && sha256sum -c ${path.basename(sumsFile)}):\n${sums}`,
);
console.log(
  `\nNothing is committed. Next: git diff; git commit -am "Release ${version}"; git tag v${version}; upload the zips (SOURCE-BUILD.md for AMO's sources).`,
);
