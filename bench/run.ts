/**
 * `npm run bench`: runs every benchmark in turn, each in its own process so one's
 * memory does not count against another, and prints their Markdown tables.
 * Benchmarks are never part of `npm test`. Pass names to run a subset:
 *   npm run bench -- decode predict
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const ALL = ['decode', 'features', 'predict', 'train'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of chosen) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark "${name}": choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'bench', `${name}.ts`)], { stdio: 'inherit', cwd: PACKAGE_ROOT });
  if (r.status !== 0) failed++;
  console.log('');
}
process.exit(failed ? 1 : 0);
