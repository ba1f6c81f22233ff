import type { BundleConfig } from './bundle.js';

const pct = (x: number | undefined): string => (x === undefined ? 'n/a' : `${(100 * x).toFixed(1)}%`);

/** MODEL_CARD.md: data, protocol, metrics, limits and licence, written from config.json. */
export function modelCard(config: BundleConfig, opts: { licence?: string } = {}): string {
  const t = config.training;
  const cv = config.crossValidation as
    | { command?: string; accuracy?: { mean: number; std: number }; uar?: { mean: number; std: number }; macroF1?: { mean: number; std: number }; ece?: { mean: number; std: number } }
    | undefined;
  const ravdess = t.corpus === 'ravdess';
  const members = config.head.config.ensemble ?? 1;
  const lines = [
    `# Model card: emovox speech emotion model`,
    '',
    `Created ${config.createdAt} by emovox ${config.emovoxVersion}.`,
    '',
    '## What it does',
    `Given a recording of one speaker, it returns a probability for each of ${config.labels.length} emotions: ${config.labels.join(', ')}. Scores are temperature-calibrated (T = ${config.head.temperature.toFixed(3)}, fitted on held-out speakers).`,
    '',
    '## Pipeline',
    `Audio is decoded, mixed to mono and resampled to ${config.sampleRate} Hz.${config.features.level ? ` Every recording is then scaled so that its loud speech (the ${config.features.level.percentile}th percentile of its 25 ms frame RMS) is at ${config.features.level.targetDbfs} dBFS, so that the recording level carries no emotion.` : ''} ${config.features.vad.enabled ? 'Leading and trailing silence is trimmed with Silero VAD.' : 'No silence trimming.'} Front-ends: ${config.features.frontEnds.map((f) => ('layers' in f ? `${f.name} (${f.layers.join(', ')})` : f.name)).join(', ')}; ${config.featureNames.length} numbers per utterance. Head: ${members > 1 ? `an ensemble of ${members} networks, each a ` : ''}standardiser + MLP (hidden ${JSON.stringify(config.head.config.hidden)}, dropout ${config.head.config.dropout}), early-stopped at epoch ${config.head.bestEpoch}${members > 1 ? ' on average; their logits are averaged' : ''}.${config.speakerNormalize ? " Features are standardised per speaker, over all of that speaker's clips, before the head: it predicts on several clips of one speaker at a time (`emovox predict --speaker-normalize`)." : ''} Every parameter is in config.json.`,
    '',
    '## Training data',
    `${t.files} files from corpus "${t.corpus}", ${Object.keys(t.speakers).length} speakers (${Object.keys(t.speakers).sort().join(', ')}). Per label: ${Object.entries(t.labels).map(([k, v]) => `${k} ${v}`).join(', ')}. Seed ${t.seed}.${config.augment?.length ? ` Augmented for the channel (${config.augment.join(', ')}): each training file had one extra copy per augmentation, drawn from the seed and the file (docs/ACCURACY.md, "Channel augmentation"); the file counts are of the recordings, without the copies.` : ''} Command: \`${t.command}\`.`,
    members > 1
      ? `Each network early-stopped on a different 1/${members} of the training speakers, which it did not train on, and the temperature was fitted on those held-out predictions: accuracy ${pct(t.validation.accuracy)}, UAR ${pct(t.validation.uar)} there. It is not a test score, because the same speakers chose the stopping epoch: the cross-validation below is the honest figure.`
      : `Early stopping and calibration used speakers ${[...t.validationSpeakers].sort().join(', ')} as a held-out validation group: accuracy ${pct(t.validation.accuracy)}, UAR ${pct(t.validation.uar)} there (a small group that also chose the stopping epoch; see the cross-validation below for the honest figure).`,
    '',
    '## Evaluation',
    cv
      ? `Speaker-grouped 5-fold cross-validation of this recipe over the training speakers: accuracy ${pct(cv.accuracy?.mean)} ± ${pct(cv.accuracy?.std)}, UAR ${pct(cv.uar?.mean)} ± ${pct(cv.uar?.std)}, macro-F1 ${pct(cv.macroF1?.mean)} ± ${pct(cv.macroF1?.std)}, ECE ${pct(cv.ece?.mean)}. Reproduce with \`${cv.command ?? 'emovox evaluate'}\`. Chance is ${pct(1 / config.labels.length)}.`
      : 'No cross-validation was recorded for this bundle: run `emovox evaluate` on the same data with the same options.',
    '',
    '## Limits',
    ravdess
      ? '- Trained on acted speech: two fixed English sentences read by professional North American actors in a studio. Spontaneous speech, other languages and accents, noisy or far-field recordings and children are out of its domain and will score lower.'
      : '- It knows only the speakers, language, recording conditions and style of its training data; recordings unlike them will score lower than the cross-validation says.',
    '- One speaker per clip is assumed, and one emotion per clip: `emovox predict` refuses inputs over 10 minutes; for longer recordings, or several emotions in one, `emovox timeline` segments the speech and classifies each segment with this model.',
    '- Emotion categories are those of the training corpus; a label is a probability, not a diagnosis.',
    '',
    '## Licence',
    ravdess
      ? 'Trained on the RAVDESS (Livingstone & Russo 2018, https://doi.org/10.1371/journal.pone.0196391), which is licensed CC BY-NC-SA 4.0. This model inherits those terms: **non-commercial use only**, with attribution, and share-alike.'
      : (opts.licence ?? 'The licence of this model follows the licence of its training data: check it before use.'),
    '',
  ];
  return lines.join('\n');
}
