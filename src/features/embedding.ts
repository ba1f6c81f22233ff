import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadSession, ort, shippedModelPath } from './onnx.js';
import type { FeatureVector } from './types.js';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof import('onnx-proto');

/**
 * Google's speech_embedding, as openWakeWord ships it in ONNX:
 * - melspectrogram.onnx takes 16 kHz audio at int16 scale (samples × 32768) and gives
 *   32 mel bands per 10 ms frame; openWakeWord rescales them with x / 10 + 2;
 * - embedding_model.onnx (input `input_1`, [batch, 76, 32, 1]) reads windows of 76
 *   frames (760 ms) and ends in a 96-dim vector (`conv2d_19`) tuned to words.
 * Its five max-pooling blocks are exposed as extra outputs at load time. Their shapes
 * for one window, NCHW (channels, time, mel):
 *   pool1 max_pooling2d   16×36×24 … pool2 max_pooling2d_1 48×32×8,
 *   pool3 max_pooling2d_2 72×14×4, pool4 max_pooling2d_3 96×10×2, pool5 max_pooling2d_4 96×3×1.
 * The middle blocks (pool2–pool4) carry more of the speaker's emotion than the final output.
 */
export const EMBEDDING_LAYERS = ['pool1', 'pool2', 'pool3', 'pool4', 'pool5', 'final'] as const;
export const DEFAULT_EMBEDDING_LAYERS = ['pool2', 'pool3', 'pool4', 'final'];
const LAYER_TENSORS: Record<string, string> = {
  pool1: 'model/max_pooling2d/MaxPool:0',
  pool2: 'model/max_pooling2d_1/MaxPool:0',
  pool3: 'model/max_pooling2d_2/MaxPool:0',
  pool4: 'model/max_pooling2d_3/MaxPool:0',
  pool5: 'model/max_pooling2d_4/MaxPool:0',
  final: 'conv2d_19',
};
const WINDOW = 76;
/** Windows start every 16 frames (160 ms): half of openWakeWord's 8, for speed; they still overlap by 79%. */
export const WINDOW_HOP = 16;
const MEL_BANDS = 32;

/**
 * The mel front end ends in librosa's power_to_db(top_db=80): every value is clipped at the
 * loudest value of the whole input minus 80 dB. That global clip is the only part of the graph
 * that sees the whole input (its STFT is an unpadded convolution, so each frame reads its own
 * 512 samples). The graph is cut before it (`onnx::ReduceMax_31`, the dB values) so the input can
 * go in pieces and the clip is applied here, with the graph's own top_db: bounded memory (a
 * 10-minute input took 600 MiB in one call). An input of up to MEL_CHUNK_FRAMES frames is one
 * piece and gives exactly the numbers of the whole graph; in several pieces the convolution
 * sums in another order and values move by float rounding (under 1e-5, tested).
 */
let melTopDb = NaN;
const melSession = () =>
  loadSession('melspectrogram-db', async () => {
    const model = onnx.ModelProto.decode(await readFile(shippedModelPath('melspectrogram.onnx')));
    const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
    const nodes = graph.node as InstanceType<typeof onnx.NodeProto>[];
    const reduceMax = nodes.find((n) => n.opType === 'ReduceMax');
    const sub = nodes.find((n) => n.opType === 'Sub' && n.input[0] === reduceMax?.output[0]);
    const topDb = nodes.find((n) => n.opType === 'Constant' && n.output[0] === sub?.input[1])?.attribute[0]?.t;
    if (!reduceMax || !topDb?.rawData?.length) throw new Error('melspectrogram.onnx does not end in power_to_db(top_db) as expected');
    melTopDb = Buffer.from(topDb.rawData).readFloatLE(0);
    const db = reduceMax.input[0];
    graph.node = nodes.slice(0, nodes.indexOf(reduceMax));
    // Drop what only the removed nodes read, or onnxruntime warns about it on stderr.
    const read = new Set(graph.node.flatMap((n) => n.input ?? []));
    graph.initializer = graph.initializer.filter((t) => read.has(t.name ?? ''));
    graph.output = [onnx.ValueInfoProto.create({ name: db, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } })];
    return onnx.ModelProto.encode(model).finish();
  });
const STFT_WINDOW = 512;
const STFT_HOP = 160;
/** Frames per onnxruntime call of the mel front end: 60 s of audio, about 60 MiB of work space. */
const MEL_CHUNK_FRAMES = 6000;
const embeddingSession = () =>
  loadSession('embedding_model+pools', async () => {
    const model = onnx.ModelProto.decode(await readFile(shippedModelPath('embedding_model.onnx')));
    const graph = model.graph as InstanceType<typeof onnx.GraphProto>;
    const outputs = new Set(graph.output.map((o) => o.name));
    for (const name of Object.values(LAYER_TENSORS)) {
      if (!outputs.has(name)) graph.output.push(onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } }));
    }
    return onnx.ModelProto.encode(model).finish();
  });

/**
 * Mel frames (rows × 32) of openWakeWord's front end, already rescaled by x / 10 + 2.
 * `chunkFrames` bounds memory: any value gives the same numbers up to float rounding (tested).
 */
export async function speechMel(samples: Float32Array, chunkFrames = MEL_CHUNK_FRAMES): Promise<{ rows: number; data: Float32Array }> {
  const session = await melSession();
  const rows = samples.length < STFT_WINDOW ? 0 : Math.floor((samples.length - STFT_WINDOW) / STFT_HOP) + 1;
  const data = new Float32Array(rows * MEL_BANDS);
  let loudest = -Infinity;
  for (let first = 0; first < rows; first += chunkFrames) {
    const frames = Math.min(chunkFrames, rows - first);
    const piece = samples.subarray(first * STFT_HOP, (first + frames - 1) * STFT_HOP + STFT_WINDOW);
    // Plain loops: typed-array callbacks cost a few ms per clip here.
    const scaled = new Float32Array(piece.length);
    for (let i = 0; i < piece.length; i++) scaled[i] = piece[i] * 32768;
    const out = await session.run({ input: new ort.Tensor('float32', scaled, [1, scaled.length]) });
    const db = Object.values(out)[0].data as Float32Array;
    data.set(db, first * MEL_BANDS);
    for (let i = 0; i < db.length; i++) if (db[i] > loudest) loudest = db[i];
  }
  const floor = Math.fround(loudest - melTopDb);
  for (let i = 0; i < data.length; i++) data[i] = (data[i] > floor ? data[i] : floor) / 10 + 2;
  return { rows, data };
}

/** One layer's activations per 760 ms window: `windows` rows of `dim` numbers. */
export interface LayerWindows {
  layer: string;
  windows: number;
  dim: number;
  data: Float64Array;
}

/** Windows per onnxruntime call (see embeddingWindows). */
const WINDOW_BATCH = 64;

/**
 * speech_embedding over the speech span, one 760 ms window every WINDOW_HOP frames: each
 * requested layer averaged over its time axis within each window (keeping channels × mel
 * bands). Speech shorter than one window is zero-padded to one.
 */
export async function embeddingWindows(samples: Float32Array, opts: { layers: string[]; speech: { start: number; end: number } }): Promise<LayerWindows[]> {
  for (const l of opts.layers) if (!(l in LAYER_TENSORS)) throw new Error(`unknown embedding layer ${l}: choose from ${EMBEDDING_LAYERS.join(', ')}`);
  const mel = await speechMel(samples.subarray(opts.speech.start, opts.speech.end));
  const frames = Math.max(mel.rows, WINDOW);
  const windows = 1 + Math.floor((frames - WINDOW) / WINDOW_HOP);
  const input = new Float32Array(windows * WINDOW * MEL_BANDS);
  for (let w = 0; w < windows; w++) {
    const from = w * WINDOW_HOP * MEL_BANDS;
    input.set(mel.data.subarray(from, Math.min(mel.data.length, from + WINDOW * MEL_BANDS)), w * WINDOW * MEL_BANDS);
  }
  const session = await embeddingSession();
  const fetches = opts.layers.map((l) => LAYER_TENSORS[l]);
  const result = opts.layers.map((layer) => ({ layer, windows, dim: 0, data: new Float64Array(0) }));
  // Windows go through the network WINDOW_BATCH at a time: one call for a clip of up to ~11 s
  // (every training clip), and bounded memory for long inputs, whose activations would
  // otherwise take about 8 MiB per second of audio.
  for (let first = 0; first < windows; first += WINDOW_BATCH) {
    const n = Math.min(WINDOW_BATCH, windows - first);
    const batch = input.subarray(first * WINDOW * MEL_BANDS, (first + n) * WINDOW * MEL_BANDS);
    const out = await session.run({ input_1: new ort.Tensor('float32', batch, [n, WINDOW, MEL_BANDS, 1]) }, fetches);
    opts.layers.forEach((layer, li) => {
      const t = out[fetches[li]];
      // pools: [n, C, T, F] → average over T; final: [n, 1, 1, 96].
      const [, c, time, f] = layer === 'final' ? [n, 96, 1, 1] : t.dims;
      const data = t.data as Float32Array;
      const dim = c * f;
      const r = result[li];
      if (r.dim === 0) {
        r.dim = dim;
        r.data = new Float64Array(windows * dim);
      }
      for (let w = 0; w < n; w++) {
        const row = (first + w) * dim;
        for (let ci = 0; ci < c; ci++) {
          for (let ti = 0; ti < time; ti++) {
            for (let fi = 0; fi < f; fi++) r.data[row + ci * f + fi] += data[((w * c + ci) * time + ti) * f + fi] / time;
          }
        }
      }
    });
  }
  return result;
}

/**
 * Pooled speech_embedding activations of the speech span: each layer's per-window
 * activations (embeddingWindows) summarised over the windows by mean and standard deviation.
 */
export async function speechEmbedding(samples: Float32Array, opts: { layers: string[]; speech: { start: number; end: number } }): Promise<FeatureVector> {
  const names: string[] = [];
  const parts: Float32Array[] = [];
  for (const { layer, windows, dim, data: perWindow } of await embeddingWindows(samples, opts)) {
    const mean = new Float32Array(dim);
    const std = new Float32Array(dim);
    for (let d = 0; d < dim; d++) {
      let s = 0;
      for (let w = 0; w < windows; w++) s += perWindow[w * dim + d];
      const m = s / windows;
      let v = 0;
      for (let w = 0; w < windows; w++) v += (perWindow[w * dim + d] - m) ** 2;
      mean[d] = m;
      std[d] = Math.sqrt(v / windows);
    }
    parts.push(mean, std);
    for (let d = 0; d < dim; d++) names.push(`emb_${layer}_mean_${d}`);
    for (let d = 0; d < dim; d++) names.push(`emb_${layer}_std_${d}`);
  }
  const values = new Float32Array(names.length);
  let o = 0;
  for (const p of parts) {
    values.set(p, o);
    o += p.length;
  }
  return { names, values };
}
