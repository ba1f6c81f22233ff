/**
 * Prints the Markdown rows of an accuracy table from saved `emovox evaluate --save`
 * results, so that no figure in the docs is typed by hand:
 *   node --import tsx scripts/accuracy-table.ts docs/results/*.json
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { EvaluationResult, Spread } from '../src/eval/types.js';

const pct = (s: Spread | undefined): string => (s ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.std).toFixed(1)}` : 'n/a');
console.log('| row | accuracy % | UAR % | macro-F1 % | ECE % | command |');
console.log('|---|---|---|---|---|---|');
for (const file of process.argv.slice(2)) {
  const r = JSON.parse(readFileSync(file, 'utf8')) as EvaluationResult;
  const s = r.summary;
  const cmd = r.command.replace(/ --save \S+/, '').replace(/ --json\b/, '');
  console.log(`| ${basename(file, '.json')}${r.protocol.leaky ? ' (LEAKY)' : ''} | ${pct(s?.accuracy)} | ${pct(s?.uar)} | ${pct(s?.macroF1)} | ${pct(s?.ece)} | \`${cmd}\` |`);
}
