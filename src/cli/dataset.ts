import type { Command } from 'commander';
import { CORPUS_NAMES, scanDataset, type CorpusName } from '../datasets/scan.js';
import { summarizeManifest, type ScanSummary } from '../datasets/summary.js';
import { EmovoxError } from '../errors.js';
import { table } from './format.js';
import { printJsonLine } from './output.js';

interface ScanCliOptions {
  corpus: string;
  csv?: string;
  speakerRegex?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const dataset = program.command('dataset').description('Inspect a labelled corpus before training on it.');
  dataset
    .command('scan')
    .description(
      'Read a folder (or a CSV manifest) of labelled recordings and print counts per label, per speaker and per ' +
        'corpus field, and the problems found: unreadable files, names that do not parse, copies of one performance, ' +
        'speakers with a single label. Labels of other corpora are mapped onto the 8 emovox classes (see the README).',
    )
    .argument('<dir>', 'the corpus folder, or a .csv of path,label[,speaker]')
    .option('--corpus <name>', `naming scheme: auto or one of ${CORPUS_NAMES.join(', ')}`, 'auto')
    .option('--csv <file>', 'a CSV manifest (path,label[,speaker]); paths are relative to the CSV')
    .option('--speaker-regex <re>', 'regular expression with one capture group, applied to the path relative to DIR, giving the speaker')
    .option('--json', 'print one JSON object: {corpus, files, labels, speakers, fields, problems, dropped}')
    .action(async (dir: string, opts: ScanCliOptions) => {
      const manifest = await scanDataset(dir, { corpus: parseCorpus(opts.corpus), csv: opts.csv, speakerRegex: opts.speakerRegex });
      const summary = summarizeManifest(manifest);
      if (opts.json) printJsonLine(summary);
      else process.stdout.write(formatSummary(summary) + '\n');
    });
}

export function parseCorpus(value: string): CorpusName | 'auto' {
  if (value === 'auto' || (CORPUS_NAMES as string[]).includes(value)) return value as CorpusName | 'auto';
  throw new EmovoxError('E_USAGE', `--corpus must be auto or one of ${CORPUS_NAMES.join(', ')}, got "${value}"`);
}

function formatSummary(s: ScanSummary): string {
  const out = [`${s.root}: corpus ${s.corpus}, ${s.files} files, ${Object.keys(s.speakers).length} speakers, ${s.performances} distinct performances`, ''];
  out.push(table(['label', 'files'], Object.entries(s.labels)));
  out.push('', 'Files per speaker: ' + Object.entries(s.speakers).map(([k, v]) => `${k} ${v}`).join(', '));
  for (const [field, counts] of Object.entries(s.fields)) {
    out.push(`${field}: ` + Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', '));
  }
  if (s.dropped.length) out.push('', `${s.dropped.length} file(s) dropped: ${s.dropped[0].reason} (e.g. ${s.dropped[0].file})`);
  out.push('');
  if (!s.problems.length) out.push('No problems found.');
  for (const p of s.problems) {
    const shown = p.files.slice(0, 4).join(', ') + (p.files.length > 4 ? ` … (${p.files.length} files)` : '');
    out.push(`${p.code}: ${p.message}\n  ${shown}`);
  }
  return out.join('\n');
}
