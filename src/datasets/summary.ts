import type { Manifest } from './scan.js';

/** The summary of one scanned corpus. */
export interface ScanSummary {
  corpus: string;
  root: string;
  files: number;
  labels: Record<string, number>;
  speakers: Record<string, number>;
  fields: Record<string, Record<string, number>>;
  performances: number;
  problems: Manifest['problems'];
  dropped: Manifest['dropped'];
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const it of items) counts[key(it)] = (counts[key(it)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })));
}

/**
 * What `dataset scan` prints: counts per label, speaker and corpus field, the distinct
 * performances, and the problems found.
 * @example
 * console.log(summarizeManifest(await scanDataset('ravdess/')).labels);
 */
export function summarizeManifest(m: Manifest): ScanSummary {
  const fieldNames = [...new Set(m.rows.flatMap((r) => Object.keys(r.fields)))];
  return {
    corpus: m.corpus,
    root: m.root,
    files: m.rows.length,
    labels: countBy(m.rows, (r) => r.label),
    speakers: countBy(m.rows, (r) => r.speaker ?? '(unknown)'),
    fields: Object.fromEntries(fieldNames.map((f) => [f, countBy(m.rows, (r) => String(r.fields[f] ?? ''))])),
    performances: new Set(m.rows.map((r) => r.performance)).size,
    problems: m.problems,
    dropped: m.dropped,
  };
}
