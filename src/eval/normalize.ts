import { utteranceCmvn } from '../features/cmvn.js';
import { speakerNormalize } from '../features/speaker-norm.js';
import { normalizationOf, type Recipe } from '../model/recipe.js';
import { speakerNormalizedFeatures, type TrainingSet } from '../model/training-set.js';
import type { Matrix } from '../types.js';

/**
 * The feature rows after the recipe's normalisation (Recipe.normalize). None of the modes
 * reads a label, so none leaks across a split: per speaker and per corpus use unlabelled
 * clips of the same speaker or corpus (a batch of the test side's recordings, as
 * `--speaker-normalize` at prediction does), per utterance uses the clip alone.
 * @example
 * const X = normalizedFeatures(await featurize(data, extractor), makeRecipe({ normalize: 'corpus' }));
 */
export function normalizedFeatures(set: TrainingSet, recipe: Recipe): Matrix {
  switch (normalizationOf(recipe)) {
    case 'speaker':
      return speakerNormalizedFeatures(set);
    case 'corpus':
      return speakerNormalize(set.X, set.data.items.map((it) => it.corpus));
    case 'utterance':
      return utteranceCmvn(set.names, set.X).X;
    default:
      return set.X;
  }
}

/**
 * The augmented copies' rows (TrainingSet.augmented) after the recipe's normalisation, each
 * channel on its own: per speaker, a speaker's copies under one augmentation are
 * standardised over themselves, not mixed with the originals, because at test time all of a
 * speaker's clips come through one channel too; per corpus likewise per (corpus,
 * augmentation). Undefined when there are none.
 * @example
 * const aug = normalizedAugmented(set, recipe); // { X, source } for withAugmentedRows
 */
export function normalizedAugmented(set: TrainingSet, recipe: Recipe): { X: Matrix; source: Int32Array } | undefined {
  const aug = set.augmented;
  if (!aug) return undefined;
  const items = set.data.items;
  const byChannel = (key: (row: number) => string): string[] => Array.from(aug.source, (row, j) => `${key(row)}\u0000${aug.channels[j]}`);
  switch (normalizationOf(recipe)) {
    case 'speaker':
      // The originals' check (speakerNormalizedFeatures) has passed: every speaker is known, with several clips.
      return { X: speakerNormalize(aug.X, byChannel((r) => set.data.speakers[r])), source: aug.source };
    case 'corpus':
      return { X: speakerNormalize(aug.X, byChannel((r) => items[r].corpus)), source: aug.source };
    case 'utterance':
      return { X: utteranceCmvn(set.names, aug.X).X, source: aug.source };
    default:
      return { X: aug.X, source: aug.source };
  }
}

/** How a protocol description says it. */
export function normalizationText(recipe: Recipe): string {
  switch (normalizationOf(recipe)) {
    case 'speaker':
      return ' Features standardised per speaker (uses several unlabelled clips of each test speaker).';
    case 'corpus':
      return ' Features standardised per corpus (uses all the unlabelled clips of each test corpus).';
    case 'utterance':
      return ' Per-utterance cepstral mean and variance normalisation of the handcrafted features.';
    default:
      return '';
  }
}

/** How a protocol description says the recipe's augmentation. */
export function augmentationText(recipe: Recipe): string {
  if (!recipe.augment?.length) return '';
  return ` Training data augmented for the channel (${recipe.augment.join(', ')}): one copy of each training file per augmentation, as training rows only; no copy is ever tested, and no copy of a test file is trained on.`;
}
