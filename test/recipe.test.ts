import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeRecipe, SHIPPED_SPEAKER_NORMALIZED } from '../src/model/recipe.js';
import { recipeFrom, type DataOptions } from '../src/cli/data-options.js';
import { DEFAULT_MODEL_DIR, SPEAKER_NORMALIZED_MODEL_DIR } from '../src/pipeline.js';

const flags: DataOptions = { corpus: 'auto', cache: true, seed: '1' };

test('each mode has its own head: L2 1e-4 on raw features, 1e-3 with speaker normalisation, and the --head overlay still overrides', () => {
  assert.equal(recipeFrom(flags).head.weightDecay, 1e-4);
  assert.equal(recipeFrom({ ...flags, speakerNormalize: true }).head.weightDecay, 1e-3);
  assert.equal(recipeFrom({ ...flags, speakerNormalize: true, head: '{"weightDecay":0.0001}' }).head.weightDecay, 1e-4);
  for (const opts of [flags, { ...flags, speakerNormalize: true }]) {
    assert.deepEqual(recipeFrom(opts).head.hidden, [64]);
    assert.equal(recipeFrom(opts).head.ensemble, 4);
  }
  // The CLI's flags are an overlay on the library's recipe: no flag, the same recipe.
  assert.deepEqual(recipeFrom(flags), makeRecipe());
  assert.deepEqual(recipeFrom({ ...flags, vad: true, vadChunk: '512', features: 'handcrafted' }), makeRecipe({ features: { frontEnds: ['handcrafted'], vad: { enabled: true, chunk: 512 } } }));
});

test('a CLI flag that makes an impossible recipe fails with the library\'s check (E_USAGE)', () => {
  assert.throws(() => recipeFrom({ ...flags, vadChunk: '700' }), { code: 'E_USAGE', message: /VAD chunk must be 512, 1024, 1536/ });
  assert.throws(() => recipeFrom({ ...flags, features: 'handcrafted,wav2vec' }), { code: 'E_USAGE', message: /unknown front-end "wav2vec"/ });
  assert.throws(() => recipeFrom({ ...flags, head: '{hidden' }), { code: 'E_USAGE', message: /--head is not valid JSON/ });
});

test('the shipped models were trained with the current recipe, each with its own head', () => {
  for (const [dir, options] of [
    [DEFAULT_MODEL_DIR, {}],
    [SPEAKER_NORMALIZED_MODEL_DIR, SHIPPED_SPEAKER_NORMALIZED],
  ] as const) {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    const recipe = makeRecipe(options);
    const speakerNormalize = recipe.speakerNormalize;
    assert.deepEqual(config.features, recipe.features, dir);
    assert.equal(Boolean(config.speakerNormalize), speakerNormalize, dir);
    const { seed: _trained, ...trained } = config.head.config;
    const { seed: _recipe, ...wanted } = recipe.head;
    assert.deepEqual(trained, wanted, dir);
  }
});
