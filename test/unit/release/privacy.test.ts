import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OUTPUT } from './zips';

/**
 * PRIVACY.md names the permissions the extension asks for in a marked list; the built manifests are the truth.
 * A permission added to wxt.config.ts without a line in the policy (or a line left after one is dropped) fails here.
 */
interface Named {
  name: string;
  optional: boolean;
}
type Build = 'chrome-mv3' | 'firefox-mv2';

/**
 * The list's lines: `- \`name\` — why`, with ` (optional)` for optional permissions and ` (Chrome only)` /
 * ` (Firefox only)` for a name one browser spells differently (Firefox's `menus` for Chrome's `contextMenus`).
 */
function policyPermissions(build?: Build): Named[] {
  const text = readFileSync(path.resolve(OUTPUT, '../PRIVACY.md'), 'utf8');
  const block = /<!-- permissions:[^>]*-->\n([\s\S]*?)<!-- \/permissions -->/.exec(text)?.[1];
  if (!block) throw new Error('PRIVACY.md has no <!-- permissions: … --> … <!-- /permissions --> list');
  return block
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => {
      const item = /^- `([^`]+)`( \(optional\))?(?: \((Chrome|Firefox) only\))? — /.exec(line);
      if (!item) throw new Error(`Not a permission line: ${line}`);
      return { name: item[1]!, optional: item[2] !== undefined, only: item[3] };
    })
    .filter((item) => !build || !item.only || build === (item.only === 'Chrome' ? 'chrome-mv3' : 'firefox-mv2'))
    .map(({ name, optional }) => ({ name, optional }));
}

function manifestPermissions(dir: string): Named[] {
  const file = path.join(OUTPUT, dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No ${file}: run "npm run zip" (or the builds) first.`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[] | undefined>;
  const named = (key: string, optional: boolean) => (manifest[key] ?? []).map((name) => ({ name, optional }));
  return [
    ...named('permissions', false),
    ...named('host_permissions', false),
    ...named('optional_permissions', true),
    ...named('optional_host_permissions', true),
  ];
}

const sorted = (list: Named[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

describe('PRIVACY.md', () => {
  it.each(['chrome-mv3', 'firefox-mv2'] as const)(
    'names exactly the permissions of the %s release build, optional ones as optional',
    (build) => {
      expect(sorted(policyPermissions(build))).toEqual(sorted(manifestPermissions(build)));
    },
  );

  it('lists each permission once', () => {
    const names = policyPermissions().map((p) => p.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
  });
});
