import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let ready: Promise<typeof tf> | null = null;

/**
 * tfjs with its wasm backend (XNNPACK, SIMD), loaded once per process from the files
 * inside the npm package: no download. The head is dense layers only, whose kernels and
 * gradients the wasm backend has; it is several times faster than the pure-JS backend.
 * EMOVOX_TF_BACKEND=cpu selects the pure-JS backend instead.
 */
export function loadTf(): Promise<typeof tf> {
  ready ??= (async () => {
    const backend = process.env.EMOVOX_TF_BACKEND ?? 'wasm';
    if (backend === 'wasm') {
      setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    }
    await tf.setBackend(backend);
    await tf.ready();
    return tf;
  })();
  return ready;
}
