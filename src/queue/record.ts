import type { Prediction } from '../types.js';

/** One file's outcome as `predict --json` prints it, and as a queue stores it. */
export type ResultRecord = { file: string; predictions: Prediction[] } | { file: string; error: { code: string; message: string } };

/**
 * The JSON Lines record of one file: every label with its score rounded to six decimals, or
 * the typed error. `predict --json` and the queue share it, so their lines are equal.
 * @example
 * resultRecord('a.wav', { predictions: [{ label: 'angry', score: 0.8123456789 }] }); // { file: 'a.wav', predictions: [{ label: 'angry', score: 0.812346 }] }
 * resultRecord('b.wav', { error: { code: 'E_DECODE', message: 'damaged' } }); // { file: 'b.wav', error: { code: 'E_DECODE', message: 'damaged' } }
 */
export function resultRecord(file: string, outcome: { predictions: Prediction[] } | { error: { code: string; message: string } }): ResultRecord {
  if ('error' in outcome) return { file, error: { code: outcome.error.code, message: outcome.error.message } };
  return { file, predictions: outcome.predictions.map(roundScore) };
}

// Six decimals keep the JSON short while the scores still sum to 1 within 1e-5.
function roundScore(p: Prediction): Prediction {
  return { label: p.label, score: Math.round(p.score * 1e6) / 1e6 };
}
