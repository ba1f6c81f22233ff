import { parse } from 'csv-parse/sync';
import { EmovoxError } from '../errors.js';

/** Rows of cells; quoted cells may hold commas, doubled quotes and newlines (RFC 4180). */
export function parseCsv(text: string): string[][] {
  try {
    const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    return rows.filter((r) => r.some((c) => c !== ''));
  } catch (e) {
    throw new EmovoxError('E_BAD_DATASET', `the CSV does not parse (${(e as Error).message}): write one line per file, path,label[,speaker]`);
  }
}

export interface CsvEntry {
  path: string;
  label: string;
  speaker: string | null;
}

/** Reads `path,label[,speaker]`, with an optional header row naming those columns. */
export function readManifestCsv(text: string, file: string): CsvEntry[] {
  const rows = parseCsv(text);
  if (rows.length === 0) throw new EmovoxError('E_BAD_DATASET', `${file} is empty: write one line per file, path,label[,speaker]`);
  let cols = { path: 0, label: 1, speaker: 2 };
  const head = rows[0].map((c) => c.trim().toLowerCase());
  if (head.includes('path') && head.includes('label')) {
    cols = { path: head.indexOf('path'), label: head.indexOf('label'), speaker: head.indexOf('speaker') };
    rows.shift();
  }
  return rows.map((r, i) => {
    if (r.length < 2 || !r[cols.path]?.trim() || !r[cols.label]?.trim()) {
      throw new EmovoxError('E_BAD_DATASET', `${file}, line ${i + 1}: expected path,label[,speaker], got "${r.join(',')}"`);
    }
    const speaker = cols.speaker >= 0 ? r[cols.speaker]?.trim() : undefined;
    return { path: r[cols.path].trim(), label: r[cols.label].trim(), speaker: speaker ? speaker : null };
  });
}
