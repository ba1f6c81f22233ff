import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { headConfigFrom, type DataOptions } from '../src/cli/training-data.js';
import { HEAD_DEFAULTS } from '../src/model/mlp.js';
import { DEFAULT_FEATURES } from '../src/model/recipe.js';
import { DEFAULT_MODEL_DIR, SPEAKER_NORMALIZED_MODEL_DIR } from '../src/pipeline.js';

const cli: DataOptions = { corpus: 'auto', embeddingLayers: 'pool2,pool3,pool4,final', vadChunk: '1536', cache: true, seed: '1' };
const resolved = (opts: DataOptions & { speakerNormalize?: boolean }) => ({ ...HEAD_DEFAULTS, ...headConfigFrom(opts) });

test('each mode has its own head: L2 1e-4 on raw features, 1e-3 with --speaker-normalize, and --head still overrides', () => {
  assert.equal(resolved(cli).weightDecay, 1e-4);
  assert.equal(resolved({ ...cli, speakerNormalize: true }).weightDecay, 1e-3);
  assert.equal(resolved({ ...cli, speakerNormalize: true, head: '{"weightDecay":0.0001}' }).weightDecay, 1e-4);
  for (const opts of [cli, { ...cli, speakerNormalize: true }]) {
    assert.deepEqual(resolved(opts).hidden, [64]);
    assert.equal(resolved(opts).ensemble, 4);
  }
});

test('the shipped models were trained with the current recipe, each with its own head', () => {
  for (const [dir, speakerNormalize] of [
    [DEFAULT_MODEL_DIR, false],
    [SPEAKER_NORMALIZED_MODEL_DIR, true],
  ] as const) {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.deepEqual(config.features, DEFAULT_FEATURES, dir);
    assert.equal(Boolean(config.speakerNormalize), speakerNormalize, dir);
    const { seed: _trained, ...trained } = config.head.config;
    const { seed: _recipe, ...recipe } = resolved({ ...cli, speakerNormalize });
    assert.deepEqual(trained, recipe, dir);
  }
});
