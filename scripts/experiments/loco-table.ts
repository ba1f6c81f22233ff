/**
 * Prints the leave-one-corpus-out table of docs/ACCURACY.md from results saved by
 * `emovox evaluate --data A --data B --leave-one-corpus-out --save FILE`, never typed:
 *   node --import tsx scripts/experiments/loco-table.ts docs/results/loco/*.json
 * Each row: per held-out corpus its UAR (accuracy), the mean UAR over held-out corpora,
 * the command, and the file that holds every metric and each held-out corpus's confusion
 * matrix (`folds[i].metrics.confusion`, rows and columns in the order of `labels`).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { EvaluationResult } from '../../src/eval/types.js';

const pct = (x: number): string => (100 * x).toFixed(1);
const files = process.argv.slice(2);
const results = files.map((f) => ({ file: f, name: basename(f, '.json'), r: JSON.parse(readFileSync(f, 'utf8')) as EvaluationResult }));
const corpora = [...new Set(results.flatMap(({ r }) => r.folds.map((f) => f.heldOut?.corpus ?? '?')))];
console.log(`| row | ${corpora.map((c) => `${c} held out: UAR % (acc)`).join(' | ')} | mean UAR % | command | confusion matrices |`);
console.log(`|---|${corpora.map(() => '---|').join('')}---|---|---|`);
for (const { file, name, r } of results) {
  const cells = corpora.map((c) => {
    const f = r.folds.find((x) => x.heldOut?.corpus === c);
    return f ? `${pct(f.metrics.uar)} (${pct(f.metrics.accuracy)})` : '—';
  });
  const command = r.command.replace(/^.*?emovox(\.js)? /, 'emovox ').replace(/ --save \S+/, '');
  console.log(`| ${name} | ${cells.join(' | ')} | ${r.summary ? pct(r.summary.uar.mean) : '—'} | \`${command}\` | [${basename(file)}](${file.replace(/^docs\//, '')}) |`);
}
