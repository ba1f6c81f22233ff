// Bad bundles, bad recipes and bad in-memory audio get typed errors from the library itself.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmotionRecognizer, EmovoxError, DEFAULT_MODEL_DIR, makeRecipe, checkRecipe, type Recipe } from 'emovox';

const root = mkdtempSync(join(tmpdir(), 'emovox-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the shipped bundle with its config.json or head.json changed by `edit`. */
function damagedBundle(name: string, file: 'config.json' | 'head.json', edit: (text: string) => string): string {
  const dir = join(root, name);
  cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  return dir;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a config being broken on purpose, field by field
const editConfig = (f: (c: Record<string, any>) => void) => (text: string) => {
  const c = JSON.parse(text);
  f(c);
  return JSON.stringify(c);
};

test('a missing or damaged bundle is E_MODEL with a message naming what is wrong', async () => {
  const cases: [string, string, RegExp][] = [
    [join(root, 'nowhere'), 'missing', /config\.json is missing/],
    [damagedBundle('bad-json', 'config.json', (t) => t.slice(0, 100)), 'truncated config', /cannot be read as JSON/],
    [damagedBundle('bad-head', 'head.json', (t) => t.slice(0, t.length / 2)), 'truncated head', /cannot be read as JSON/],
    [damagedBundle('names', 'config.json', editConfig((c) => c.featureNames.pop())), 'feature count', /takes 2347 features .* lists 2346/],
    [damagedBundle('frontend', 'config.json', editConfig((c) => (c.features.frontEnds[0].name = 'wav2vec'))), 'unknown front-end', /unknown front-end "wav2vec"/],
    [damagedBundle('layer', 'config.json', editConfig((c) => (c.features.frontEnds[1].layers = ['pool9']))), 'bad layer', /unknown speech_embedding layer "pool9"/],
    [damagedBundle('rate', 'config.json', editConfig((c) => (c.sampleRate = 22050))), 'rate', /22050 Hz is not supported/],
    [damagedBundle('chunk', 'config.json', editConfig((c) => (c.features.vad.chunk = 700))), 'VAD chunk', /VAD chunk must be 512, 1024, 1536/],
    [damagedBundle('head-setting', 'config.json', editConfig((c) => (c.head.config.hidden = [-3]))), 'head', /head\.hidden/],
  ];
  for (const [dir, what, message] of cases) {
    await assert.rejects(EmotionRecognizer.load(dir), (e: unknown) => {
      assert.ok(e instanceof EmovoxError, `${what}: ${String(e)}`);
      assert.equal(e.code, 'E_MODEL', what);
      assert.match(e.message, message, what);
      return true;
    });
  }
});

test('an impossible recipe is refused where it is made, with E_USAGE and no CLI flag in the message', () => {
  const cases: [() => Recipe, RegExp][] = [
    [() => makeRecipe({ features: { frontEnds: ['mfcc', 'handcrafted'] as never } }), /unknown front-end "mfcc"/],
    [() => makeRecipe({ features: { embeddingLayers: ['pool7'] } }), /unknown speech_embedding layer "pool7"/],
    [() => makeRecipe({ features: { vad: { chunk: 256 } } }), /VAD chunk must be 512, 1024, 1536 samples/],
    [() => makeRecipe({ sampleRate: 8000 }), /8000 Hz is not supported/],
    [() => makeRecipe({ head: { ensemble: 0 } }), /head\.ensemble must be a whole number ≥ 1/],
    [() => makeRecipe({ head: { hiden: [3] } as never }), /unknown head setting\(s\) hiden/],
    [() => checkRecipe({ ...makeRecipe(), features: { ...makeRecipe().features, frontEnds: [] } }), /names no front-end/],
  ];
  for (const [make, message] of cases) {
    assert.throws(make, (e: unknown) => e instanceof EmovoxError && e.code === 'E_USAGE' && message.test(e.message) && !/--/.test(e.message));
  }
  assert.equal(makeRecipe({ speakerNormalize: true }).head.weightDecay, 1e-3);
  assert.equal(makeRecipe().head.weightDecay, 1e-4);
});

test('bad in-memory audio gets a typed error before any work', async () => {
  const rec = await EmotionRecognizer.load();
  const speech = new Float32Array(16000).map((_, i) => 0.3 * Math.sin(i / 5));
  const cases: [unknown, string, RegExp][] = [
    [{ samples: Array.from(speech), sampleRate: 16000 }, 'E_USAGE', /Float32Array/],
    [{ samples: speech, sampleRate: 0 }, 'E_USAGE', /sampleRate/],
    [{ samples: speech, sampleRate: -16000 }, 'E_USAGE', /sampleRate/],
    [{ samples: speech, sampleRate: Number.NaN }, 'E_USAGE', /sampleRate/],
    [{ samples: new Float32Array(0), sampleRate: 16000 }, 'E_EMPTY_AUDIO', /no samples/],
    [{ samples: speech.map((v, i) => (i === 500 ? Number.NaN : v)), sampleRate: 16000 }, 'E_DECODE', /NaN or infinite/],
    [{ samples: new Float32Array(16000).fill(Number.POSITIVE_INFINITY), sampleRate: 16000 }, 'E_DECODE', /NaN or infinite/],
    [42, 'E_USAGE', /file path/],
    [null, 'E_USAGE', /file path/],
  ];
  for (const [input, code, message] of cases) {
    await assert.rejects(rec.classify(input as never), (e: unknown) => e instanceof EmovoxError && e.code === code && message.test(e.message), `${code} ${String(message)}`);
  }
  // In a batch the bad input is one typed error among the results.
  const results = [];
  for await (const r of rec.classifyBatch([{ samples: speech, sampleRate: 16000 }, { samples: speech, sampleRate: 0 }], { ordered: true })) results.push(r);
  assert.ok('predictions' in results[0]);
  assert.ok('error' in results[1] && results[1].error.code === 'E_USAGE');
});
