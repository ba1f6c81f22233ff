/**
 * Converts Google's YAMNet TFLite export (INT8 weights) to ONNX, op by op, so that onnxruntime
 * runs it like speech_embedding:
 *
 *   node --import tsx scripts/yamnet-to-onnx.ts ../shared/models/yamnet/yamnet.tflite models/yamnet/yamnet.onnx
 *
 * - Every INT8 constant (the DFT and mel matrices of the front end, the pointwise and dense
 *   weights, the depthwise kernels behind DEQUANTIZE) is dequantised once here, to float32:
 *   w = scale · (q − zero_point), per tensor or per channel as the file says. The TFLite
 *   runtime's hybrid kernels instead quantise the activations to int8 on the fly; the float
 *   graph skips that second rounding (see scripts/yamnet-parity.ts for the difference).
 * - TFLite is NHWC, ONNX convolutions NCHW: the patch is transposed once before the first
 *   convolution, and the global mean reduces the NCHW spatial axes.
 * - Outputs: `scores` [1, 521] (sigmoid, AudioSet classes), `log_mel` [96, 64] (the log-mel
 *   patch the graph computed), and `embedding` [1, 1024], the global average pool before the
 *   classifier, which the TFLite file keeps as an intermediate tensor only.
 * `--float` stores the dequantised float32 weights instead (4 times larger, same outputs).
 * The input is `waveform` [1, 15600]: 0.975 s at 16 kHz in [-1, 1], as in the TFLite file.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readTflite, optionByte, optionInt, optionBool, type TfliteOperator, type TfliteTensor } from './tflite-reader.js';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof import('onnx-proto');
type NodeProto = InstanceType<typeof onnx.NodeProto>;
type TensorProto = InstanceType<typeof onnx.TensorProto>;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const INT32 = onnx.TensorProto.DataType.INT32;

/** TFLite `ActivationFunctionType`: 0 NONE, 1 RELU, 3 RELU6. */
const ACTIVATIONS = ['', 'Relu', 'ReluN1To1', 'Relu6'] as const;

export function dequantize(t: TfliteTensor): Float32Array {
  if (!t.data) throw new Error(`${t.name} has no data`);
  if (t.type === 'FLOAT32') return new Float32Array(t.data.slice().buffer);
  if (t.type !== 'INT8') throw new Error(`${t.name}: cannot dequantise ${t.type}`);
  const q = new Int8Array(t.data.buffer, t.data.byteOffset, t.data.length);
  const { scale, zeroPoint, dimension } = t.quantization ?? { scale: Float32Array.of(1), zeroPoint: [0n], dimension: 0 };
  // Per-channel: channel index of flat element i along `dimension`.
  const inner = t.shape.slice(dimension + 1).reduce((a, b) => a * b, 1);
  const channels = t.shape[dimension];
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {
    const c = scale.length === 1 ? 0 : Math.floor(i / inner) % channels;
    out[i] = scale[c] * (q[i] - Number(zeroPoint[c] ?? 0n));
  }
  return out;
}

function floatTensor(name: string, dims: number[], data: Float32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}
function int64Tensor(name: string, values: number[]): TensorProto {
  const data = BigInt64Array.from(values.map(BigInt));
  return onnx.TensorProto.create({ name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) });
}
function int32Tensor(name: string, dims: number[], data: Int32Array): TensorProto {
  return onnx.TensorProto.create({ name, dims, dataType: INT32, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

/** Reorders a flat array of `shape` by `perm` (like numpy.transpose). */
function transposeData<A extends Float32Array | Int8Array>(data: A, shape: number[], perm: number[]): A {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new (data.constructor as new (n: number) => A)(data.length);
  const idx = new Array(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < perm.length; d++) src += idx[d] * strides[perm[d]];
    out[o] = data[src];
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export interface ConvertOptions {
  /** Store float32 weights instead of INT8 + DequantizeLinear. */
  asFloat?: boolean;
  /**
   * For parity checks only: round the float input of every hybrid op (an INT8-weight
   * FULLY_CONNECTED or CONV_2D) to 8 bits as TFLite's hybrid kernels do, per row
   * ('symmetric': scale max|x|/127) or with a zero point ('asymmetric', XNNPACK's qd8).
   */
  emulateHybrid?: 'symmetric' | 'asymmetric';
}

export function convertYamnet(tflite: Uint8Array, opts: ConvertOptions = {}): Uint8Array {
  const model = readTflite(tflite);
  const T = model.tensors;
  const nodes: NodeProto[] = [];
  const inits: TensorProto[] = [];
  const name = (i: number): string => `t${i}`;
  /** Tensors whose ONNX value is NCHW while the TFLite tensor is NHWC. */
  const nchw = new Set<number>();
  let uid = 0;
  const fresh = (base: string): string => `${base}_${uid++}`;
  const constant = (i: number): string => {
    const n = name(i);
    if (!inits.some((x) => x.name === n)) {
      const t = T[i];
      if (t.type === 'INT32') inits.push(int32Tensor(n, t.shape, new Int32Array(t.data!.slice().buffer)));
      else inits.push(floatTensor(n, t.shape, dequantize(t)));
    }
    return n;
  };
  const attrInts = (n: string, ints: number[]) => onnx.AttributeProto.create({ name: n, ints, type: onnx.AttributeProto.AttributeType.INTS });
  const attrInt = (n: string, i: number) => onnx.AttributeProto.create({ name: n, i, type: onnx.AttributeProto.AttributeType.INT });
  /** DEQUANTIZE outputs: the INT8 constant they read. */
  const folded = new Map<number, number>();
  /**
   * A weight reordered by `perm`, as the name of a float value: an INT8 tensor stays INT8 in
   * the file (a quarter of the size) behind a DequantizeLinear, which onnxruntime folds into a
   * float constant when it loads the model; with `asFloat` it is dequantised here instead.
   */
  const weight = (i: number, perm: number[]): string => {
    const t = T[folded.get(i) ?? i];
    const dims = perm.map((p) => t.shape[p]);
    const n = fresh('w');
    if (t.type !== 'INT8' || opts.asFloat) {
      inits.push(floatTensor(n, dims, transposeData(dequantize(t), t.shape, perm)));
      return n;
    }
    const q = transposeData(new Int8Array(t.data!.slice().buffer), t.shape, perm);
    const { scale, zeroPoint, dimension } = t.quantization!;
    const [sc, zp] = [fresh('scale'), fresh('zero_point')];
    const perChannel = scale.length > 1;
    inits.push(onnx.TensorProto.create({ name: `${n}_q`, dims, dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(q.buffer) }));
    inits.push(perChannel ? floatTensor(sc, [scale.length], scale) : floatTensor(sc, [], scale.subarray(0, 1)));
    const zpData = Int8Array.from(zeroPoint.length ? zeroPoint.map(Number) : [0]);
    inits.push(onnx.TensorProto.create({ name: zp, dims: perChannel ? [zpData.length] : [], dataType: onnx.TensorProto.DataType.INT8, rawData: new Uint8Array(perChannel ? zpData.buffer : zpData.slice(0, 1).buffer) }));
    nodes.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', input: [`${n}_q`, sc, zp], output: [n], attribute: perChannel ? [attrInt('axis', perm.indexOf(dimension))] : [] }));
    return n;
  };
  const scalar = (v: number): string => {
    const n = fresh('c');
    inits.push(floatTensor(n, [], Float32Array.of(v)));
    return n;
  };
  const node = (opType: string, input: string[], attribute: ReturnType<typeof attrInt>[] = []): string => {
    const out = fresh(opType);
    nodes.push(onnx.NodeProto.create({ opType, input, output: [out], attribute }));
    return out;
  };
  /** The input of a hybrid op rounded to 8 bits over `axes` (ConvertOptions.emulateHybrid). */
  const hybridInput = (x: string, axes: number[]): string => {
    const keep = [attrInts('axes', axes), attrInt('keepdims', 1)];
    if (opts.emulateHybrid === 'symmetric') {
      const scale = node('Max', [node('Div', [node('ReduceMax', [node('Abs', [x])], keep), scalar(127)]), scalar(1e-30)]);
      return node('Mul', [node('Round', [node('Div', [x, scale])]), scale]);
    }
    const lo = node('Min', [node('ReduceMin', [x], keep), scalar(0)]);
    const hi = node('Max', [node('ReduceMax', [x], keep), scalar(0)]);
    const scale = node('Max', [node('Div', [node('Sub', [hi, lo]), scalar(255)]), scalar(1e-30)]);
    const zp = node('Round', [node('Sub', [scalar(-128), node('Div', [lo, scale])])]);
    const q = node('Clip', [node('Add', [node('Round', [node('Div', [x, scale])]), zp]), scalar(-128), scalar(127)]);
    return node('Mul', [node('Sub', [q, zp]), scale]);
  };
  const input = (i: number): string => {
    if (folded.has(i)) return weight(i, T[i].shape.map((_, k) => k));
    return T[i].data ? constant(i) : name(i);
  };
  const int32Of = (i: number): number[] => Array.from(new Int32Array(T[i].data!.slice().buffer));
  const withActivation = (op: TfliteOperator, code: number, result: string, out: number): void => {
    const act = ACTIVATIONS[code];
    if (!act) {
      nodes.push(onnx.NodeProto.create({ opType: 'Identity', input: [result], output: [name(out)] }));
    } else if (act === 'Relu') {
      nodes.push(onnx.NodeProto.create({ opType: 'Relu', input: [result], output: [name(out)] }));
    } else if (act === 'Relu6') {
      const lo = fresh('zero');
      const hi = fresh('six');
      inits.push(floatTensor(lo, [], Float32Array.of(0)), floatTensor(hi, [], Float32Array.of(6)));
      nodes.push(onnx.NodeProto.create({ opType: 'Clip', input: [result, lo, hi], output: [name(out)] }));
    } else throw new Error(`${op.opName}: activation ${act} not supported`);
  };

  for (const op of model.operators) {
    const [a, b, c] = op.inputs;
    const out = op.outputs[0];
    switch (op.opName) {
      case 'DEQUANTIZE':
        // Folded: the float constant takes the place of the dequantised tensor.
        folded.set(out, a);
        break;
      case 'RESHAPE': {
        const src = nchw.has(a) ? nhwcOf(a) : input(a);
        const shape = fresh('shape');
        inits.push(int64Tensor(shape, T[out].shape));
        nodes.push(onnx.NodeProto.create({ opType: 'Reshape', input: [src, shape], output: [name(out)] }));
        break;
      }
      case 'SLICE': {
        const begin = int32Of(b);
        const size = int32Of(c);
        const [s, e, ax] = [fresh('starts'), fresh('ends'), fresh('axes')];
        inits.push(int64Tensor(s, begin), int64Tensor(e, begin.map((v, k) => (size[k] < 0 ? T[a].shape[k] : v + size[k]))), int64Tensor(ax, begin.map((_, k) => k)));
        nodes.push(onnx.NodeProto.create({ opType: 'Slice', input: [input(a), s, e, ax], output: [name(out)] }));
        break;
      }
      case 'STRIDED_SLICE': {
        // StridedSliceOptions: 0 begin_mask, 1 end_mask, 2 ellipsis, 3 new_axis, 4 shrink_axis.
        if (optionInt(op, 2) || optionInt(op, 3) || optionInt(op, 4)) throw new Error('STRIDED_SLICE with ellipsis/new-axis/shrink masks is not supported');
        const [beginMask, endMask] = [optionInt(op, 0), optionInt(op, 1)];
        const begin = int32Of(b).map((v, k) => (beginMask & (1 << k) ? 0 : v));
        const end = int32Of(c).map((v, k) => (endMask & (1 << k) ? T[a].shape[k] : v));
        const [s, e, ax, st] = [fresh('starts'), fresh('ends'), fresh('axes'), fresh('steps')];
        inits.push(int64Tensor(s, begin), int64Tensor(e, end), int64Tensor(ax, begin.map((_, k) => k)), int64Tensor(st, int32Of(op.inputs[3])));
        nodes.push(onnx.NodeProto.create({ opType: 'Slice', input: [input(a), s, e, ax, st], output: [name(out)] }));
        break;
      }
      case 'GATHER':
        nodes.push(onnx.NodeProto.create({ opType: 'Gather', input: [input(a), constant(b)], output: [name(out)], attribute: [attrInt('axis', optionInt(op, 0))] }));
        break;
      case 'PAD': {
        const p = int32Of(b);
        const pads = fresh('pads');
        const rank = p.length / 2;
        inits.push(int64Tensor(pads, [...Array.from({ length: rank }, (_, k) => p[2 * k]), ...Array.from({ length: rank }, (_, k) => p[2 * k + 1])]));
        nodes.push(onnx.NodeProto.create({ opType: 'Pad', input: [input(a), pads], output: [name(out)] }));
        break;
      }
      case 'MUL':
      case 'ADD': {
        const r = fresh(op.opName);
        nodes.push(onnx.NodeProto.create({ opType: op.opName === 'MUL' ? 'Mul' : 'Add', input: [input(a), input(b)], output: [r] }));
        withActivation(op, optionByte(op, 0), r, out);
        break;
      }
      case 'SQRT':
      case 'LOG':
      case 'LOGISTIC':
        nodes.push(onnx.NodeProto.create({ opType: { SQRT: 'Sqrt', LOG: 'Log', LOGISTIC: 'Sigmoid' }[op.opName], input: [input(a)], output: [name(out)] }));
        break;
      case 'FULLY_CONNECTED': {
        // y = x · Wᵀ + b, W stored [out, in]: transposed here so ONNX MatMul takes it as is.
        if (T[a].shape.length !== 2) throw new Error('FULLY_CONNECTED on a tensor of rank other than 2 is not supported');
        const w = weight(b, [1, 0]);
        const mm = fresh('fc');
        const hybrid = opts.emulateHybrid && T[b].type === 'INT8';
        nodes.push(onnx.NodeProto.create({ opType: 'MatMul', input: [hybrid ? hybridInput(input(a), [1]) : input(a), w], output: [mm] }));
        let r = mm;
        if (c !== undefined && c >= 0) {
          r = fresh('fc_b');
          nodes.push(onnx.NodeProto.create({ opType: 'Add', input: [mm, constant(c)], output: [r] }));
        }
        withActivation(op, optionByte(op, 0), r, out);
        break;
      }
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const depthwise = op.opName === 'DEPTHWISE_CONV_2D';
        // Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 activation, 4/5 dilation;
        // DepthwiseConv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier, 4 activation.
        const same = optionByte(op, 0) === 0;
        const [sw, sh] = [optionInt(op, 1, 1), optionInt(op, 2, 1)];
        const act = optionByte(op, depthwise ? 4 : 3);
        const [, inH, inW, inC] = T[a].shape;
        const ws = T[b].shape; // conv [O, kh, kw, I]; depthwise [1, kh, kw, C·m]
        const [kh, kw] = [ws[1], ws[2]];
        const pad = (size: number, k: number, s: number): [number, number] => {
          if (!same) return [0, 0];
          const total = Math.max((Math.ceil(size / s) - 1) * s + k - size, 0);
          return [Math.floor(total / 2), total - Math.floor(total / 2)]; // TF's SAME: the odd pixel at the end
        };
        const [pt, pb] = pad(inH, kh, sh);
        const [pl, pr] = pad(inW, kw, sw);
        const w = weight(b, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
        const x0 = nchw.has(a) ? name(a) : toNchw(a);
        const x = opts.emulateHybrid && T[b].type === 'INT8' ? hybridInput(x0, [1, 2, 3]) : x0;
        const r = fresh('conv');
        const attribute = [attrInts('strides', [sh, sw]), attrInts('pads', [pt, pl, pb, pr]), attrInts('kernel_shape', [kh, kw])];
        if (depthwise) attribute.push(attrInt('group', inC));
        nodes.push(onnx.NodeProto.create({ opType: 'Conv', input: [x, w, constant(c)], output: [r], attribute }));
        withActivation(op, act, r, out);
        nchw.add(out);
        break;
      }
      case 'MEAN': {
        // ReducerOptions: 0 keep_dims. Axes of the NHWC tensor, mapped to NCHW.
        const axes = int32Of(b).map((ax) => (nchw.has(a) ? [0, 2, 3, 1][ax] : ax));
        nodes.push(onnx.NodeProto.create({ opType: 'ReduceMean', input: [input(a)], output: [name(out)], attribute: [attrInts('axes', axes), attrInt('keepdims', optionBool(op, 0) ? 1 : 0)] }));
        break;
      }
      default:
        throw new Error(`TFLite op ${op.opName} is not supported by this converter`);
    }
  }

  function toNchw(i: number): string {
    const n = fresh('nchw');
    nodes.push(onnx.NodeProto.create({ opType: 'Transpose', input: [name(i)], output: [n], attribute: [attrInts('perm', [0, 3, 1, 2])] }));
    return n;
  }
  function nhwcOf(i: number): string {
    const n = fresh('nhwc');
    nodes.push(onnx.NodeProto.create({ opType: 'Transpose', input: [name(i)], output: [n], attribute: [attrInts('perm', [0, 2, 3, 1])] }));
    return n;
  }

  const [inputIndex] = model.inputs;
  const [scoresIndex, melIndex] = model.outputs;
  const meanOp = model.operators.find((o) => o.opName === 'MEAN');
  if (!meanOp) throw new Error('no global average pool (MEAN) found: is this YAMNet?');
  const rename = (from: string, to: string): void => {
    for (const n of nodes) {
      n.input = n.input.map((x) => (x === from ? to : x));
      n.output = n.output.map((x) => (x === from ? to : x));
    }
  };
  rename(name(inputIndex), 'waveform');
  rename(name(scoresIndex), 'scores');
  rename(name(melIndex), 'log_mel');
  rename(name(meanOp.outputs[0]), 'embedding');
  const valueInfo = (n: string, dims: number[]) =>
    onnx.ValueInfoProto.create({ name: n, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });
  const graph = onnx.GraphProto.create({
    name: 'yamnet',
    node: nodes,
    initializer: inits,
    input: [valueInfo('waveform', T[inputIndex].shape)],
    output: [valueInfo('scores', T[scoresIndex].shape), valueInfo('log_mel', T[melIndex].shape), valueInfo('embedding', T[meanOp.outputs[0]].shape)],
  });
  const sha = createHash('sha256').update(tflite).digest('hex');
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'emovox scripts/yamnet-to-onnx.ts',
    docString: `YAMNet (Apache-2.0, The TensorFlow Authors), converted from yamnet.tflite sha256 ${sha} with INT8 weights dequantised to float32.`,
    graph,
  });
  return onnx.ModelProto.encode(proto).finish();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [src, dst, ...flags] = process.argv.slice(2);
  if (!src || !dst) throw new Error('usage: yamnet-to-onnx.ts yamnet.tflite out.onnx [--float] [--emulate-hybrid symmetric|asymmetric]');
  const emulate = flags.includes('--emulate-hybrid') ? (flags[flags.indexOf('--emulate-hybrid') + 1] as ConvertOptions['emulateHybrid']) : undefined;
  const bytes = convertYamnet(readFileSync(src), { asFloat: flags.includes('--float'), emulateHybrid: emulate });
  mkdirSync(dirname(dst), { recursive: true });
  writeFileSync(dst, bytes);
  console.log(`${dst}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
}
