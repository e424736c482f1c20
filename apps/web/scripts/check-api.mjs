#!/usr/bin/env node
// Drift check: regenerates the API types from ../api/openapi.json into a temp
// file and fails when they differ from the committed src/api/schema.d.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spec = resolve(root, '../api/openapi.json');
const committed = resolve(root, 'src/api/schema.d.ts');

if (!existsSync(spec)) {
  console.error(`check:api: ${spec} not found (the backend writes it from app.openapi()).`);
  process.exit(1);
}
if (!existsSync(committed)) {
  console.error('check:api: src/api/schema.d.ts is missing: run `npm run gen:api` and commit it.');
  process.exit(1);
}

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'wismo-api-'));
const fresh = join(dir, 'schema.d.ts');
try {
  execFileSync(process.execPath, [cli, spec, '-o', fresh], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const a = readFileSync(committed, 'utf8').split('\n');
  const b = readFileSync(fresh, 'utf8').split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  if (line !== -1 || a.length !== b.length) {
    const at = line === -1 ? Math.min(a.length, b.length) : line;
    console.error('check:api: src/api/schema.d.ts is out of date with ../api/openapi.json.');
    console.error(`  first difference at line ${at + 1}:`);
    console.error(`  committed: ${a[at] ?? '<end of file>'}`);
    console.error(`  generated: ${b[at] ?? '<end of file>'}`);
    console.error('Run `npm run gen:api` and commit the result.');
    process.exit(1);
  }
  console.log('check:api: src/api/schema.d.ts matches ../api/openapi.json');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
