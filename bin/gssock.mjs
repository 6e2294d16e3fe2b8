#!/usr/bin/env node
// The `gssock` command installed by npm. Runs the built CLI (dist/cli/main.js) when there
// is one; in a source checkout without a build it registers tsx and runs src/cli/main.ts.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write('gssock: no build in dist/ and tsx is not installed: run "npm run build" first\n');
    process.exit(1);
  }
  cli = await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
await cli.run(process.argv.slice(2));
