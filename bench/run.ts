/**
 * `npm run bench`: runs every benchmark in turn, each in its own process so one's
 * memory does not count against another, prints their Markdown tables and writes
 * each into its own section of docs/BENCHMARKS.md (replacing that section's last
 * figures, keeping the rest). Benchmarks are never part of `npm test`.
 * Pass names to run a subset:  npm run bench -- decode predict
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const ALL = ['decode', 'resample', 'features', 'yamnet', 'predict', 'train', 'compare'];
const DOC = join(PACKAGE_ROOT, 'docs', 'BENCHMARKS.md');
const HEADER = `# Benchmarks

Written by \`npm run bench\` (each section by \`npm run bench -- NAME\`); do not edit the sections by hand.
Times are medians over the runs stated. Run it on an otherwise idle machine: the figures are only as quiet as the machine was.
`;

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
for (const name of chosen) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark "${name}": choose from ${ALL.join(', ')}`);
    process.exit(2);
  }
}
let doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER;
let failed = 0;
for (const name of chosen) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'bench', `${name}.ts`)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
  });
  process.stdout.write(r.stdout + '\n');
  if (r.status !== 0) {
    failed++;
    continue; // a failed benchmark keeps its previous figures rather than writing a broken table
  }
  const section = `<!-- bench:${name} -->\n${r.stdout.trim()}\n<!-- /bench:${name} -->`;
  const existing = new RegExp(`<!-- bench:${name} -->[\\s\\S]*?<!-- /bench:${name} -->`);
  doc = existing.test(doc) ? doc.replace(existing, section) : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(DOC, doc);
}
process.exit(failed ? 1 : 0);
