/**
 * Prints the cross-corpus table of docs/ACCURACY.md from saved results, never typed by hand:
 *   node --import tsx scripts/experiments/cross-corpus-table.ts docs/results/cross-corpus/base.json …
 * Each row: UAR and accuracy of leave-one-corpus-out in both directions (over nEMO's six
 * classes), grouped 5-fold CV on RAVDESS (accuracy, UAR) and on nEMO (UAR), the command.
 * A figure taken from another file (e.g. the RAVDESS CV of docs/results/default.json) is
 * marked with its source by `--cv-ravdess-from NAME=FILE`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Spread {
  mean: number;
  std: number;
}
interface Saved {
  command: string;
  loco?: Record<string, { metrics: { uar: number; accuracy: number }; restricted: { uar: number } }>;
  'cv-ravdess'?: { summary: { accuracy: Spread; uar: Spread } };
  'cv-nemo'?: { summary: { accuracy: Spread; uar: Spread } };
  summary?: { accuracy: Spread; uar: Spread };
}

const args = process.argv.slice(2);
const borrowed = new Map<string, string>();
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cv-ravdess-from') {
    const [name, file] = args[++i].split('=');
    borrowed.set(name, file);
  } else files.push(args[i]);
}
const pct = (x: number | undefined): string => (x === undefined ? '—' : (100 * x).toFixed(1));
const pm = (s: Spread | undefined): string => (s ? `${pct(s.mean)} ± ${pct(s.std)}` : '—');

console.log('| row | RAVDESS → nEMO UAR % (acc) | nEMO → RAVDESS UAR % (acc) | RAVDESS CV acc % (UAR) | nEMO CV UAR % | command |');
console.log('|---|---|---|---|---|---|');
for (const f of files) {
  const r = JSON.parse(readFileSync(f, 'utf8')) as Saved;
  const name = basename(f, '.json');
  const rn = r.loco?.['ravdess->nemo'];
  const nr = r.loco?.['nemo->ravdess'];
  let cvR = r['cv-ravdess']?.summary;
  let cvNote = '';
  if (!cvR && borrowed.has(name)) {
    const file = borrowed.get(name) as string;
    cvR = (JSON.parse(readFileSync(file, 'utf8')) as Saved).summary;
    cvNote = ` (${basename(file, '.json')})`;
  }
  const cvN = r['cv-nemo']?.summary;
  console.log(
    `| ${name} | ${rn ? `${pct(rn.metrics.uar)} (${pct(rn.metrics.accuracy)})` : '—'} | ${nr ? `${pct(nr.metrics.uar)} (${pct(nr.metrics.accuracy)})` : '—'} | ${cvR ? `${pm(cvR.accuracy)} (${pct(cvR.uar.mean)})${cvNote}` : '—'} | ${cvN ? pm(cvN.uar) : '—'} | \`${r.command}\` |`,
  );
}
