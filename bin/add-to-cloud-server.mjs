#!/usr/bin/env node
// Entry point of the `add-to-cloud-server` bin: starts the companion server's entry, lib/server/cli.ts. In a checkout
// of the repository it runs the TypeScript sources through tsx (a devDependency), so a change needs no build; the
// installed package has no sources, only the bundle that `npm pack` built (scripts/build-server.mjs), and runs that
// with plain Node.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const sources = new URL('../lib/server/cli.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../dist/server/cli.mjs');
}
