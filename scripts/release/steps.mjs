// The pure steps of `npm run release` (scripts/release.mjs), apart so that unit tests can check them without a
// build: the next version number, and the changelog with the Unreleased section turned into a dated release.

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;
export const BUMPS = ['patch', 'minor', 'major'];

/** `1.2.3` + `minor` → `1.3.0`. Only plain x.y.z: a pre-release must be released by hand. */
export function bumpVersion(version, bump) {
  const parts = SEMVER.exec(version);
  if (!parts) throw new Error(`"${version}" is not a plain x.y.z version`);
  if (!BUMPS.includes(bump)) throw new Error(`The bump must be one of ${BUMPS.join(', ')}, not "${bump}"`);
  const [major, minor, patch] = parts.slice(1).map(Number);
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const UNRELEASED = /^## \[Unreleased\][^\n]*\n/m;

/**
 * Moves what is under `## [Unreleased]` into a new `## [version] - date` section right below it and leaves an empty
 * Unreleased section on top (Keep a Changelog). Refuses a release with nothing in it, and a version already there.
 */
export function releaseChangelog(text, version, date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`"${date}" is not a YYYY-MM-DD date`);
  const heading = UNRELEASED.exec(text);
  if (!heading) throw new Error('CHANGELOG.md has no "## [Unreleased]" section');
  if (text.includes(`## [${version}]`)) throw new Error(`CHANGELOG.md already has a section for ${version}`);
  const start = heading.index + heading[0].length;
  const next = text.slice(start).search(/^## /m);
  const end = next === -1 ? text.length : start + next;
  const notes = text.slice(start, end).trim();
  if (!/^\s*[-*] /m.test(notes))
    throw new Error('The Unreleased section of CHANGELOG.md lists no changes: nothing to release');
  const rest = text.slice(end);
  return `${text.slice(0, heading.index)}## [Unreleased]\n\n## [${version}] - ${date}\n\n${notes}\n${rest ? `\n${rest}` : ''}`;
}

/** package.json or package-lock.json text with the new version, formatted as npm writes them. */
export function withVersion(jsonText, version) {
  const json = JSON.parse(jsonText);
  json.version = version;
  // package-lock.json repeats the root package's version.
  if (json.packages?.['']) json.packages[''].version = version;
  return `${JSON.stringify(json, null, 2)}\n`;
}
