import { EmovoxError } from '../errors.js';
import { mulberry32, shuffleInPlace } from '../util/random.js';
import { UnionFind } from '../util/union-find.js';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/**
 * A group id per row such that rows of one speaker, and copies of one performance,
 * always share a group (union-find over both keys). Splitting by these groups keeps
 * a speaker, and every copy of a take, on one side. A row with no known speaker forms
 * a group with its own performance copies only.
 */
export function performanceGroups(rows: { speaker: string | null; performance: string }[]): Int32Array {
  const sets = new UnionFind();
  for (const r of rows) if (r.speaker !== null) sets.union(`p:${r.performance}`, `s:${r.speaker}`);
  const ids = new Map<string, number>();
  return Int32Array.from(rows, (r) => {
    const root = sets.find(`p:${r.performance}`);
    if (!ids.has(root)) ids.set(root, ids.size);
    return ids.get(root) as number;
  });
}

/**
 * Like scikit-learn's GroupKFold: each group is in exactly one test fold; groups go,
 * largest first, into the fold with the fewest rows so far. The seed breaks ties between
 * equal-sized groups, so different seeds give different (still grouped) partitions.
 */
export function groupKFold(groups: Int32Array, k: number, opts: { seed?: number } = {}): Split[] {
  const sizes = new Map<number, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  if (sizes.size < k) {
    throw new EmovoxError('E_BAD_DATASET', `${k}-fold cross-validation grouped by speaker needs at least ${k} speakers, but the data has ${sizes.size}: use fewer folds or add speakers`);
  }
  const order = [...sizes.keys()];
  shuffleInPlace(order, mulberry32(opts.seed ?? 0));
  order.sort((a, b) => (sizes.get(b) as number) - (sizes.get(a) as number)); // stable: ties keep the shuffled order
  const foldOf = new Map<number, number>();
  const load = new Array<number>(k).fill(0);
  for (const g of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
    foldOf.set(g, best);
    load[best] += sizes.get(g) as number;
  }
  return Array.from({ length: k }, (_, f) => indexSplit(groups.length, (i) => foldOf.get(groups[i]) === f));
}

/** An inner speaker-grouped hold-out: about `fraction` of the groups go to validation. */
export function groupHoldout(groups: Int32Array, fraction: number, seed: number): { train: Int32Array; validation: Int32Array } {
  const unique = [...new Set(groups)];
  shuffleInPlace(unique, mulberry32(seed));
  const nVal = Math.max(1, Math.min(unique.length - 1, Math.round(unique.length * fraction)));
  const val = new Set(unique.slice(0, nVal));
  const s = indexSplit(groups.length, (i) => val.has(groups[i]));
  return { train: s.train, validation: s.test };
}

/** The original project's protocol: rows shuffled and cut into k folds, ignoring speakers and copies. Leaky. */
export function randomKFold(n: number, k: number, seed: number): Split[] {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, mulberry32(seed));
  const foldOf = new Int32Array(n);
  order.forEach((row, pos) => (foldOf[row] = pos % k));
  return Array.from({ length: k }, (_, f) => indexSplit(n, (i) => foldOf[i] === f));
}

function indexSplit(n: number, isTest: (i: number) => boolean): Split {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < n; i++) (isTest(i) ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
