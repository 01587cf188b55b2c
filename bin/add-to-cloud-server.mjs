#!/usr/bin/env node
// Entry point of the `add-to-cloud-server` bin: lets Node load the TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../lib/server/cli.ts');
