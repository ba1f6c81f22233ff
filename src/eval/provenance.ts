import { normalizationOf, type Recipe } from '../model/recipe.js';
import type { TrainingSet } from '../model/training-set.js';
import { runtimeVersions } from '../runtimes.js';
import { VERSION } from '../version.js';
import type { EvaluationResult } from './types.js';

/** What an evaluation result records of the recipe it measured. */
export function modelSummary(recipe: Recipe, set: TrainingSet): Record<string, unknown> {
  return {
    features: recipe.features,
    featureCount: set.names.length,
    head: recipe.head,
    speakerNormalize: recipe.speakerNormalize,
    normalize: normalizationOf(recipe),
    ...(recipe.labels ? { labels: recipe.labels } : {}),
    ...(recipe.augment?.length ? { augment: recipe.augment, augmentedRows: set.augmented?.X.rows ?? 0 } : {}),
  };
}

/** What made a result: emovox and runtime versions, the command, the time. */
export function provenance(command = 'the emovox library'): Pick<EvaluationResult, 'emovoxVersion' | 'runtimes' | 'command' | 'createdAt'> {
  return { emovoxVersion: VERSION, runtimes: runtimeVersions(), command, createdAt: new Date().toISOString() };
}
