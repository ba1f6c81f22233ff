/**
 * A reader for the parts of a TFLite flatbuffer that a converter needs: tensors (shape, type,
 * quantisation, constant data), operators (builtin code, inputs, outputs, options table).
 * Field numbers follow tensorflow/lite/schema/schema.fbs (Model, SubGraph, Tensor, Operator,
 * OperatorCode, Buffer, QuantizationParameters); `flatbuffers`' ByteBuffer does the offsets.
 *
 * @example
 *   const model = readTflite(readFileSync('yamnet.tflite'));
 *   console.log(model.operators.map((o) => o.opName));
 */
import { ByteBuffer } from 'flatbuffers';

/** schema.fbs `enum TensorType`. */
export const TENSOR_TYPES = ['FLOAT32', 'FLOAT16', 'INT32', 'UINT8', 'INT64', 'STRING', 'BOOL', 'INT16', 'COMPLEX64', 'INT8', 'FLOAT64'] as const;

/** schema.fbs `enum BuiltinOperator`, the codes a converter of a MobileNet-style graph can meet. */
export const BUILTIN_OPS: Record<number, string> = {
  0: 'ADD', 1: 'AVERAGE_POOL_2D', 2: 'CONCATENATION', 3: 'CONV_2D', 4: 'DEPTHWISE_CONV_2D', 6: 'DEQUANTIZE', 9: 'FULLY_CONNECTED',
  14: 'LOGISTIC', 17: 'MAX_POOL_2D', 18: 'MUL', 19: 'RELU', 21: 'RELU6', 22: 'RESHAPE', 25: 'SOFTMAX', 32: 'CUSTOM', 34: 'PAD',
  39: 'TRANSPOSE', 40: 'MEAN', 41: 'SUB', 42: 'DIV', 43: 'SQUEEZE', 45: 'STRIDED_SLICE', 47: 'EXP', 49: 'SPLIT', 53: 'CAST',
  55: 'MAXIMUM', 57: 'MINIMUM', 65: 'SLICE', 70: 'EXPAND_DIMS', 73: 'LOG', 74: 'SUM', 75: 'SQRT', 77: 'SHAPE', 83: 'PACK',
  87: 'UNPACK', 91: 'SQUARE', 100: 'ABS', 106: 'GATHER_ND', 36: 'GATHER', 125: 'BATCH_MATMUL', 131: 'RFFT2D', 135: 'COMPLEX_ABS',
  133: 'IMAG', 134: 'REAL', 69: 'TILE', 60: 'PADV2', 101: 'SPLIT_V',
};

export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: (typeof TENSOR_TYPES)[number];
  /** Constant data (raw bytes of the buffer), or null for activations and inputs. */
  data: Uint8Array | null;
  quantization: { scale: Float32Array; zeroPoint: bigint[]; dimension: number } | null;
}

export interface TfliteOperator {
  opName: string;
  inputs: number[];
  outputs: number[];
  /** The builtin options table: read its fields with `optionInt` / `optionFloat`. */
  options: { bb: ByteBuffer; pos: number } | null;
}

export interface TfliteModel {
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
}

/** Absolute position of field `i` of the table at `pos`, or 0 when absent. */
function field(bb: ByteBuffer, pos: number, i: number): number {
  const o = bb.__offset(pos, 4 + 2 * i);
  return o ? pos + o : 0;
}
function table(bb: ByteBuffer, pos: number, i: number): number {
  const f = field(bb, pos, i);
  return f ? bb.__indirect(f) : 0;
}
function tables(bb: ByteBuffer, pos: number, i: number): number[] {
  const f = field(bb, pos, i);
  if (!f) return [];
  const start = bb.__vector(f);
  return Array.from({ length: bb.__vector_len(f) }, (_, k) => bb.__indirect(start + 4 * k));
}
function ints(bb: ByteBuffer, pos: number, i: number): number[] {
  const f = field(bb, pos, i);
  if (!f) return [];
  const start = bb.__vector(f);
  return Array.from({ length: bb.__vector_len(f) }, (_, k) => bb.readInt32(start + 4 * k));
}
function bytes(bb: ByteBuffer, pos: number, i: number): Uint8Array | null {
  const f = field(bb, pos, i);
  if (!f) return null;
  const start = bb.__vector(f);
  return bb.bytes().subarray(start, start + bb.__vector_len(f));
}
function str(bb: ByteBuffer, pos: number, i: number): string {
  const f = field(bb, pos, i);
  return f ? (bb.__string(f) as string) : '';
}

export function optionInt(op: TfliteOperator, i: number, fallback = 0): number {
  if (!op.options) return fallback;
  const f = field(op.options.bb, op.options.pos, i);
  return f ? op.options.bb.readInt32(f) : fallback;
}
export function optionByte(op: TfliteOperator, i: number, fallback = 0): number {
  if (!op.options) return fallback;
  const f = field(op.options.bb, op.options.pos, i);
  return f ? op.options.bb.readInt8(f) : fallback;
}
export function optionBool(op: TfliteOperator, i: number): boolean {
  return optionByte(op, i) !== 0;
}

export function readTflite(file: Uint8Array): TfliteModel {
  // A plain copy: a Node Buffer's slice() is a view, and the callers copy constants with slice().
  const bb = new ByteBuffer(Uint8Array.from(file));
  const model = bb.readInt32(bb.position()) + bb.position();
  // Model: 1 operator_codes, 2 subgraphs, 4 buffers.
  const opcodes = tables(bb, model, 1).map((p) => {
    // OperatorCode: 0 deprecated_builtin_code (int8), 3 builtin_code (int32).
    const f3 = field(bb, p, 3);
    const f0 = field(bb, p, 0);
    const code = Math.max(f3 ? bb.readInt32(f3) : 0, f0 ? bb.readInt8(f0) : 0);
    return BUILTIN_OPS[code] ?? `BUILTIN_${code}`;
  });
  const buffers = tables(bb, model, 4).map((p) => bytes(bb, p, 0));
  const [sub] = tables(bb, model, 2);
  const tensors = tables(bb, sub, 0).map((t, index): TfliteTensor => {
    const q = table(bb, t, 4);
    let quantization: TfliteTensor['quantization'] = null;
    if (q) {
      const sf = field(bb, q, 2);
      if (sf) {
        const n = bb.__vector_len(sf);
        const s0 = bb.__vector(sf);
        const scale = Float32Array.from({ length: n }, (_, k) => bb.readFloat32(s0 + 4 * k));
        const zf = field(bb, q, 3);
        const z0 = zf ? bb.__vector(zf) : 0;
        const zeroPoint = Array.from({ length: zf ? bb.__vector_len(zf) : 0 }, (_, k) => bb.readInt64(z0 + 8 * k));
        const df = field(bb, q, 6);
        quantization = { scale, zeroPoint, dimension: df ? bb.readInt32(df) : 0 };
      }
    }
    const tf = field(bb, t, 1);
    const bf = field(bb, t, 2);
    const data = bf ? buffers[bb.readUint32(bf)] : null;
    return { index, name: str(bb, t, 3), shape: ints(bb, t, 0), type: TENSOR_TYPES[tf ? bb.readInt8(tf) : 0], data: data && data.length ? data : null, quantization };
  });
  const operators = tables(bb, sub, 3).map((p): TfliteOperator => {
    const oc = field(bb, p, 0);
    const opt = table(bb, p, 4);
    return { opName: opcodes[oc ? bb.readUint32(oc) : 0], inputs: ints(bb, p, 1), outputs: ints(bb, p, 2), options: opt ? { bb, pos: opt } : null };
  });
  return { tensors, operators, inputs: ints(bb, sub, 1), outputs: ints(bb, sub, 2) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync } = await import('node:fs');
  const m = readTflite(readFileSync(process.argv[2]));
  const desc = (i: number): string => {
    if (i < 0) return '-';
    const t = m.tensors[i];
    return `${i}:${t.name}[${t.shape.join('x')}]${t.type}${t.data ? '(const)' : ''}${t.quantization ? `(q${t.quantization.scale.length})` : ''}`;
  };
  console.log('inputs', m.inputs.map(desc), 'outputs', m.outputs.map(desc));
  for (const op of m.operators) console.log(op.opName, op.inputs.map(desc).join(' '), '->', op.outputs.map(desc).join(' '));
}
