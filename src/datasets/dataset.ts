import { EMOTIONS, type Emotion } from '../types.js';
import { EmovoxError } from '../errors.js';
import { UnionFind } from '../util/union-find.js';
import { scanDataset, type CorpusName, type DatasetProblem, type ManifestRow, type ScanOptions } from './scan.js';
import { performanceGroups } from './splits.js';

/** One corpus to load: a folder (or a CSV manifest) and how to read its names. */
export interface DatasetSource extends ScanOptions {
  path: string;
  /**
   * What this corpus is called in speaker ids and summaries when several are loaded
   * together (default: its naming scheme, e.g. `ravdess`).
   */
  name?: string;
}

/** One labelled recording. */
export interface DatasetItem {
  path: string;
  relPath: string;
  label: Emotion;
  /** The label as the corpus spells it. */
  sourceLabel: string;
  /** The speaker, or `unknown:<performance>` when the corpus does not say. */
  speaker: string;
  speakerKnown: boolean;
  /** The corpus it came from (its source's name). */
  corpus: string;
  /** Copies of one performance share this key. */
  performance: string;
  sha256: string;
  fields: Record<string, string | number>;
}

/** Counts that describe a dataset, as evaluation results and model cards record them. */
export interface DatasetSummary {
  corpus: string;
  root: string;
  files: number;
  labels: Record<string, number>;
  speakers: Record<string, number>;
  problems: DatasetProblem[];
  /** Files per corpus, when several were loaded together. */
  corpora?: Record<string, number>;
}

/**
 * A labelled corpus (or several) ready for training or evaluation: the items, the labels
 * present (in the order of the eight emotions), and for each item its speaker and split
 * group. A group joins a speaker's files with every copy of each of their performances,
 * so a split by group keeps both apart (scikit-learn's `groups`).
 */
export interface Dataset {
  items: DatasetItem[];
  labels: Emotion[];
  speakers: string[];
  groups: Int32Array;
  problems: DatasetProblem[];
  summary: DatasetSummary;
}

/**
 * Scans one corpus or several into one dataset. Each keeps its own naming scheme
 * (`corpus: 'auto'` recognises it); the labels are the union of theirs. With several
 * corpora, speaker ids are prefixed by the corpus name, so speaker "03" of one corpus is
 * not speaker "03" of another, and identical files across corpora are one performance.
 * Nothing is decoded here; `problems` says what was left out and why.
 * @example
 * const data = await loadDataset(['ravdess/', { path: 'nemo/', corpus: 'nemo' }]);
 * console.log(data.summary.labels, data.problems.map((p) => p.code));
 */
export async function loadDataset(source: string | DatasetSource | (string | DatasetSource)[]): Promise<Dataset> {
  const sources = (Array.isArray(source) ? source : [source]).map((s) => (typeof s === 'string' ? { path: s } : s));
  if (sources.length === 0) throw new EmovoxError('E_USAGE', 'loadDataset needs at least one folder or CSV');
  const manifests = await Promise.all(sources.map((s) => scanDataset(s.path, s)));
  const several = manifests.length > 1;
  const items: DatasetItem[] = [];
  const problems: DatasetProblem[] = [];
  manifests.forEach((m, k) => {
    const name = sources[k].name ?? m.corpus;
    problems.push(...(several ? m.problems.map((p) => ({ ...p, message: `${name}: ${p.message}` })) : m.problems));
    for (const r of m.rows) items.push(toItem(r, name, several));
  });
  if (items.length === 0) {
    throw new EmovoxError('E_BAD_DATASET', `no labelled audio found in ${sources.map((s) => s.path).join(', ')}: check the corpus naming scheme (\`emovox dataset scan DIR\` shows what was found)`);
  }
  if (several) joinCopiesAcrossCorpora(items);
  return datasetOf(items, problems, {
    corpus: manifests.map((m, k) => sources[k].name ?? m.corpus).join('+'),
    root: manifests.map((m) => m.root).join(', '),
  });
}

/**
 * The dataset restricted to some items (by index, in that order), with labels, groups and
 * summary recomputed. `extraProblems` are added to the summary (e.g. files that failed to decode).
 */
export function selectItems(data: Dataset, index: ArrayLike<number>, extraProblems: DatasetProblem[] = []): Dataset {
  const items = Array.from(index, (i) => data.items[i]);
  return datasetOf(items, [...data.problems, ...extraProblems], { corpus: data.summary.corpus, root: data.summary.root });
}

/** Only the items whose label is in `labels` (cross-corpus evaluation over shared labels). */
export function restrictLabels(data: Dataset, labels: readonly string[]): Dataset {
  const keep = data.items.flatMap((it, i) => (labels.includes(it.label) ? [i] : []));
  return selectItems(data, keep);
}

/**
 * The labels that every corpus of the dataset has (in the order of the eight): what a
 * model learns under the label policy `shared`. One corpus: all of its labels.
 * @example
 * sharedLabels(await loadDataset(['ravdess/', 'nemo/'])); // the six nEMO has
 */
export function sharedLabels(data: Dataset): Emotion[] {
  const byCorpus = new Map<string, Set<string>>();
  for (const it of data.items) (byCorpus.get(it.corpus) ?? byCorpus.set(it.corpus, new Set()).get(it.corpus))!.add(it.label);
  return data.labels.filter((l) => [...byCorpus.values()].every((s) => s.has(l)));
}

/** The corpora of a dataset, in the order their items come. */
export function corporaOf(data: Dataset): string[] {
  return [...new Set(data.items.map((it) => it.corpus))];
}

function datasetOf(items: DatasetItem[], problems: DatasetProblem[], where: { corpus: string; root: string }): Dataset {
  const present = new Set(items.map((it) => it.label));
  const corpora = new Set(items.map((it) => it.corpus));
  return {
    items,
    labels: EMOTIONS.filter((e) => present.has(e)),
    speakers: items.map((it) => it.speaker),
    groups: performanceGroups(items.map((it) => ({ speaker: it.speakerKnown ? it.speaker : null, performance: it.performance }))),
    problems,
    summary: {
      ...where,
      files: items.length,
      labels: count(items.map((it) => it.label)),
      speakers: count(items.map((it) => (it.speakerKnown ? it.speaker : 'unknown'))),
      problems,
      ...(corpora.size > 1 ? { corpora: count(items.map((it) => it.corpus)) } : {}),
    },
  };
}

function toItem(r: ManifestRow, corpus: string, prefixSpeaker: boolean): DatasetItem {
  const speaker = r.speaker === null ? `unknown:${r.performance}` : prefixSpeaker ? `${corpus}:${r.speaker}` : r.speaker;
  return { path: r.path, relPath: r.relPath, label: r.label, sourceLabel: r.sourceLabel, speaker, speakerKnown: r.speaker !== null, corpus, performance: r.performance, sha256: r.sha256, fields: r.fields };
}

/** A byte-identical file in two corpora is one performance, like copies within one. */
function joinCopiesAcrossCorpora(items: DatasetItem[]): void {
  const sets = new UnionFind();
  const firstWithHash = new Map<string, DatasetItem>();
  for (const it of items) {
    const first = firstWithHash.get(it.sha256);
    if (first) sets.union(first.performance, it.performance);
    else firstWithHash.set(it.sha256, it);
  }
  for (const it of items) it.performance = sets.find(it.performance);
}

function count(keys: string[]): Record<string, number> {
  return keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});
}

export type { CorpusName };
