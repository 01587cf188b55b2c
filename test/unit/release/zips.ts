import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';

/** Where `npm run zip` (and `npm test`'s build steps) put the store packages. */
export const OUTPUT = path.resolve(import.meta.dirname, '../../../.output');
export const VERSION = (
  JSON.parse(readFileSync(path.resolve(OUTPUT, '../package.json'), 'utf8')) as { version: string }
).version;
export const zipPath = (kind: 'chrome' | 'firefox' | 'sources') =>
  path.join(OUTPUT, `add-to-cloud-${VERSION}-${kind}.zip`);

export async function openZip(kind: 'chrome' | 'firefox' | 'sources'): Promise<JSZip> {
  const file = zipPath(kind);
  if (!existsSync(file)) throw new Error(`No ${file}: run "npm run zip" (npm test does) first.`);
  return JSZip.loadAsync(readFileSync(file));
}

/** The names of the files (not folders) in a zip. */
export const fileNames = (zip: JSZip) =>
  Object.values(zip.files)
    .filter((entry) => !entry.dir)
    .map((entry) => entry.name)
    .sort();

export async function zippedManifest(kind: 'chrome' | 'firefox'): Promise<Record<string, unknown>> {
  const entry = (await openZip(kind)).file('manifest.json');
  if (!entry) throw new Error(`The ${kind} zip has no manifest.json`);
  return JSON.parse(await entry.async('string')) as Record<string, unknown>;
}

/** Unpacks a zip into `dir` (created), as a person does before loading it unpacked. */
export async function unpack(kind: 'chrome' | 'firefox', dir: string): Promise<string> {
  const zip = await openZip(kind);
  for (const name of fileNames(zip)) {
    const target = path.join(dir, name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`Zip entry outside the folder: ${name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, await zip.file(name)!.async('nodebuffer'));
  }
  return dir;
}
