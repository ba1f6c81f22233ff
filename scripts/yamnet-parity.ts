/**
 * Parity of the shipped YAMNet ONNX (models/yamnet/yamnet.onnx, run by onnxruntime as
 * src/features/yamnet.ts runs it) with the original TFLite file run by Google's LiteRT
 * (`@litertjs/core`, a devDependency: its WebAssembly build, XNNPACK on the CPU), on real
 * patches of RAVDESS and nEMO clips, a tone and noise. Prints, and saves with --save FILE:
 * the largest differences of the 521 class scores and of the log-mel patch, the agreement
 * of the top class and of the top 5, and the CPU time per patch of each runtime.
 *
 *   node --import tsx scripts/yamnet-parity.ts --save docs/results/yamnet-parity.json
 *
 * LiteRT exposes only the TFLite file's outputs (scores, log-mel), not the embedding; the
 * scores are sigmoid(W · embedding + b) of that embedding, so matching scores bound it.
 * LiteRT is written for browsers: it runs under Node with a few shims (below), which is why
 * it serves as the reference here and not as the runtime (see models/yamnet/README.md).
 */
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import * as ort from 'onnxruntime-node';
import { loadAudio } from '../src/audio/index.js';
import { patchStarts, YAMNET_MODEL_PATH, YAMNET_PATCH } from '../src/features/yamnet.js';
import { SHARED_DATA } from '../src/paths.js';

const require = createRequire(import.meta.url);
const TFLITE = join(SHARED_DATA, '..', 'models', 'yamnet', 'yamnet.tflite');

/** The browser globals LiteRT's loader reads: importScripts, self, require, __dirname, fetch of file: URLs. */
async function loadLiteRtInNode(): Promise<typeof import('@litertjs/core')> {
  const wasmDir = join(dirname(require.resolve('@litertjs/core/package.json')), 'wasm');
  const g = globalThis as Record<string, unknown>;
  g.self = globalThis;
  g.require = require;
  g.__dirname = wasmDir;
  g.importScripts = (url: string) => vm.runInThisContext(readFileSync(fileURLToPath(url), 'utf8'), { filename: fileURLToPath(url) });
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL, init?: RequestInit) =>
    String(url).startsWith('file:') ? new Response(readFileSync(fileURLToPath(String(url))), { headers: { 'content-type': 'application/wasm' } }) : realFetch(url, init)) as typeof fetch;
  const lr = await import('@litertjs/core');
  await lr.loadLiteRt(pathToFileURL(wasmDir).href + '/');
  return lr;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const top = (s: Float32Array, k: number): number[] => Array.from(s, (v, i) => [v, i]).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, i]) => i);

async function patches(): Promise<{ source: string; patch: Float32Array }[]> {
  const files = [
    ...['Actor_01', 'Actor_06', 'Actor_13', 'Actor_20'].flatMap((a) => readdirSync(join(SHARED_DATA, 'ravdess-speech-16k', a)).sort().filter((_, i) => i % 20 === 7).map((f) => join(SHARED_DATA, 'ravdess-speech-16k', a, f))),
    ...['EB0_anger_10', 'IC0_fear_12', 'KS0_happiness_14', 'MP0_sadness_16', 'SM0_neutral_18', 'WR0_surprised_64'].map((f) => join(SHARED_DATA, 'nemo-16k', `${f}.flac`)),
  ];
  const out: { source: string; patch: Float32Array }[] = [];
  for (const f of files) {
    const s = await loadAudio(f, { sampleRate: 16000 });
    for (const start of patchStarts(s.length)) {
      const patch = new Float32Array(YAMNET_PATCH);
      patch.set(s.subarray(start, start + YAMNET_PATCH));
      out.push({ source: f.split('/').pop() as string, patch });
    }
  }
  out.push({ source: 'tone 440 Hz', patch: Float32Array.from({ length: YAMNET_PATCH }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000)) });
  let seed = 1;
  out.push({ source: 'uniform noise', patch: Float32Array.from({ length: YAMNET_PATCH }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2) });
  return out;
}

const args = process.argv.slice(2);
const save = args.includes('--save') ? args[args.indexOf('--save') + 1] : undefined;
const lr = await loadLiteRtInNode();
const tflite = await lr.loadAndCompile(new Uint8Array(readFileSync(TFLITE)), { accelerator: 'wasm' });
// Variants for the comparison only (not shipped): TFLite's hybrid rounding of activations emulated.
const { convertYamnet } = await import('./yamnet-to-onnx.js');
const tfliteBytes = readFileSync(TFLITE);
const sessions = {
  emulatedSymmetric: await ort.InferenceSession.create(convertYamnet(tfliteBytes, { emulateHybrid: 'symmetric' }), { intraOpNumThreads: 1, extra: { session: { disable_quant_qdq: '1' } } }),
  emulatedAsymmetric: await ort.InferenceSession.create(convertYamnet(tfliteBytes, { emulateHybrid: 'asymmetric' }), { intraOpNumThreads: 1, extra: { session: { disable_quant_qdq: '1' } } }),
  folded: await ort.InferenceSession.create(YAMNET_MODEL_PATH, { intraOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: { disable_quant_qdq: '1' } } }),
  qdq: await ort.InferenceSession.create(YAMNET_MODEL_PATH, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' }),
};
const data = await patches();
const stats: Record<string, Record<string, number | string>> = {};
const reference: { scores: Float32Array; mel: Float32Array }[] = [];
const refTimes: number[] = [];
for (const { patch } of data) {
  const input = new lr.Tensor(patch, [1, YAMNET_PATCH]);
  const t0 = cpuMs();
  const outs = await tflite.run(input);
  refTimes.push(cpuMs() - t0);
  const [scores, mel] = outs.map((t) => new Float32Array(t.toTypedArray() as Float32Array));
  reference.push({ scores, mel });
  input.delete();
  for (const t of outs) t.delete();
}
for (const [name, session] of Object.entries(sessions)) {
  let maxScoreDiff = 0;
  let sumScoreDiff = 0;
  let maxMelDiff = 0;
  let maxMelDiffAudible = 0;
  const patchScoreDiffs: number[] = [];
  const melDiffs: number[] = [];
  let top1 = 0;
  let top5 = 0;
  const times: number[] = [];
  for (const [i, { patch }] of data.entries()) {
    const t0 = cpuMs();
    const r = await session.run({ waveform: new ort.Tensor('float32', patch, [1, YAMNET_PATCH]) });
    times.push(cpuMs() - t0);
    const s = r.scores.data as Float32Array;
    const m = r.log_mel.data as Float32Array;
    const ref = reference[i];
    let patchMax = 0;
    for (let k = 0; k < s.length; k++) {
      const d = Math.abs(s[k] - ref.scores[k]);
      patchMax = Math.max(patchMax, d);
      sumScoreDiff += d / s.length;
    }
    maxScoreDiff = Math.max(maxScoreDiff, patchMax);
    patchScoreDiffs.push(patchMax);
    for (let k = 0; k < m.length; k++) {
      const d = Math.abs(m[k] - ref.mel[k]);
      maxMelDiff = Math.max(maxMelDiff, d);
      melDiffs.push(d);
      // Bins above the log floor: log(mel + 0.001) ≥ log(0.01), i.e. mel energy ≥ 0.009.
      if (ref.mel[k] >= Math.log(0.01)) maxMelDiffAudible = Math.max(maxMelDiffAudible, d);
    }
    if (top(s, 1)[0] === top(ref.scores, 1)[0]) top1++;
    const refTop5 = new Set(top(ref.scores, 5));
    top5 += top(s, 5).filter((c) => refTop5.has(c)).length / 5;
  }
  const sorted = [...patchScoreDiffs].sort((a, b) => a - b);
  melDiffs.sort((a, b) => a - b);
  stats[name] = {
    maxScoreDiff,
    medianPatchMaxScoreDiff: median(patchScoreDiffs),
    p90PatchMaxScoreDiff: sorted[Math.floor(0.9 * sorted.length)],
    worstPatch: data[patchScoreDiffs.indexOf(maxScoreDiff)].source,
    meanScoreDiff: sumScoreDiff / data.length,
    maxMelDiff,
    medianMelDiff: melDiffs[Math.floor(melDiffs.length / 2)],
    p99MelDiff: melDiffs[Math.floor(0.99 * melDiffs.length)],
    maxMelDiffAboveFloor: maxMelDiffAudible,
    top1Agree: top1 / data.length, top5Overlap: top5 / data.length, cpuMsPerPatch: median(times) };
}
// The embedding LiteRT cannot show: the shipped graph's against the graph that rounds as LiteRT does.
const cosines: number[] = [];
for (const { patch } of data) {
  const feeds = { waveform: new ort.Tensor('float32', patch, [1, YAMNET_PATCH]) };
  const a = (await sessions.folded.run(feeds)).embedding.data as Float32Array;
  const b = (await sessions.emulatedAsymmetric.run(feeds)).embedding.data as Float32Array;
  let [ab, aa, bb] = [0, 0, 0];
  for (let k = 0; k < a.length; k++) [ab, aa, bb] = [ab + a[k] * b[k], aa + a[k] * a[k], bb + b[k] * b[k]];
  cosines.push(ab / Math.sqrt(aa * bb));
}
const result = {
  command: `node --import tsx scripts/yamnet-parity.ts${save ? ` --save ${save}` : ''}`,
  createdAt: new Date().toISOString(),
  patches: data.length,
  sources: [...new Set(data.map((d) => d.source))],
  reference: { runtime: '@litertjs/core 2.5.3 (wasm, XNNPACK)', file: 'yamnet.tflite', cpuMsPerPatch: median(refTimes) },
  onnx: stats,
  embeddingCosineFoldedVsEmulatedAsymmetric: { median: median(cosines), min: Math.min(...cosines) },
  notes:
    'folded: the shipped ONNX with onnxruntime QDQ handling off (INT8 weights folded to float32 at load), as emovox runs it; qdq: the same file with onnxruntime defaults; emulatedSymmetric/emulatedAsymmetric: converted graphs (not shipped) that round the input of every INT8-weight op to 8 bits per row, without or with a zero point (XNNPACK qd8), to show where the differences come from.',
};
console.log(JSON.stringify(result, null, 1));
if (save) writeFileSync(save, JSON.stringify(result, null, 1) + '\n');
