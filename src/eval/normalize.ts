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
