#!/usr/bin/env node
// The `eno` command of the installed package: runs the built CLI (npm run build makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('eno: the CLI is not built yet; run "npm run build" (or use "npm run eno -- ..." in a checkout)\n');
  process.exit(2);
}
await import(built.href);
