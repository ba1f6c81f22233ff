import type { ClassMetrics, FoldResult, Metrics, ReliabilityBin, Spread } from './types.js';

/**
 * Accuracy, UAR (mean per-class recall over classes present in yTrue), macro-F1,
 * per-class precision/recall/F1 (0/0 counts as 0), the confusion matrix and per-speaker
 * scores; from probabilities, the expected calibration error, log loss and reliability bins.
 */
export function computeMetrics(
  yTrue: Int32Array,
  yPred: Int32Array,
  labels: string[],
  opts: { speakers?: string[]; probs?: Float32Array } = {},
): Metrics {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]][yPred[i]]++;
  const perClass: ClassMetrics[] = labels.map((label, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
  const present = perClass.filter((c) => c.support > 0);
  const correct = confusion.reduce((a, row, c) => a + row[c], 0);
  const metrics: Metrics = {
    n: yTrue.length,
    accuracy: yTrue.length ? correct / yTrue.length : 0,
    uar: present.length ? present.reduce((a, c) => a + c.recall, 0) / present.length : 0,
    macroF1: present.length ? present.reduce((a, c) => a + c.f1, 0) / present.length : 0,
    perClass,
    confusion,
    perSpeaker: [],
  };
  if (opts.speakers) metrics.perSpeaker = perSpeaker(yTrue, yPred, labels, opts.speakers);
  if (opts.probs) Object.assign(metrics, calibration(yTrue, opts.probs, k));
  return metrics;
}

function perSpeaker(yTrue: Int32Array, yPred: Int32Array, labels: string[], speakers: string[]): Metrics['perSpeaker'] {
  const bySpeaker = new Map<string, number[]>();
  speakers.forEach((s, i) => (bySpeaker.get(s) ?? bySpeaker.set(s, []).get(s))!.push(i));
  return [...bySpeaker.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([speaker, rows]) => {
      const m = computeMetrics(Int32Array.from(rows, (i) => yTrue[i]), Int32Array.from(rows, (i) => yPred[i]), labels);
      return { speaker, n: rows.length, accuracy: m.accuracy, uar: m.uar };
    });
}

/** ECE over 15 equal-width bins of top-class confidence (Guo et al. 2017), log loss and the bins. */
export function calibration(yTrue: Int32Array, probs: Float32Array, k: number, nBins = 15): { ece: number; logLoss: number; reliability: ReliabilityBin[] } {
  const bins = Array.from({ length: nBins }, (_, b) => ({ lo: b / nBins, hi: (b + 1) / nBins, count: 0, confidence: 0, accuracy: 0 }));
  let logLoss = 0;
  const n = yTrue.length;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    const conf = probs[i * k + best];
    const bin = bins[Math.min(nBins - 1, Math.floor(conf * nBins))];
    bin.count++;
    bin.confidence += conf;
    bin.accuracy += best === yTrue[i] ? 1 : 0;
    logLoss -= Math.log(Math.max(1e-12, probs[i * k + yTrue[i]]));
  }
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    ece += (b.count / n) * Math.abs(b.accuracy / b.count - b.confidence / b.count);
    b.confidence /= b.count;
    b.accuracy /= b.count;
  }
  return { ece, logLoss: n ? logLoss / n : 0, reliability: bins };
}

export function spread(values: number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), min: Math.min(...values), max: Math.max(...values) };
}

/** Mean, sample standard deviation, min and max over folds. */
export function summarizeFolds(folds: FoldResult[]): NonNullable<import('./types.js').EvaluationResult['summary']> {
  const pick = (f: (m: Metrics) => number | undefined): number[] => folds.map((x) => f(x.metrics)).filter((v): v is number => v !== undefined);
  const ece = pick((m) => m.ece);
  return {
    accuracy: spread(pick((m) => m.accuracy)),
    uar: spread(pick((m) => m.uar)),
    macroF1: spread(pick((m) => m.macroF1)),
    ...(ece.length ? { ece: spread(ece) } : {}),
  };
}
