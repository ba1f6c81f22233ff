import type * as Tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let ready: Promise<typeof Tf> | null = null;

/**
 * A weight matrix of Glorot-uniform values (Glorot & Bengio 2010), drawn in row-major order
 * from `rand`, so that a seed gives the same network.
 * @example
 * const W = glorotUniform(tf, 2347, 64, mulberry32(1));
 */
export function glorotUniform(tf: typeof Tf, inp: number, out: number, rand: () => number): Tf.Variable<Tf.Rank.R2> {
  const limit = Math.sqrt(6 / (inp + out));
  const w = new Float32Array(inp * out);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rand() - 1) * limit;
  return tf.variable(tf.tensor2d(w, [inp, out]));
}

/**
 * tfjs with its wasm backend (XNNPACK, SIMD), loaded once per process from the files
 * inside the npm package: no download. The head is dense layers only, whose kernels and
 * gradients the wasm backend has; it is several times faster than the pure-JS backend.
 * EMOVOX_TF_BACKEND=cpu selects the pure-JS backend instead. Imported on first use:
 * parsing tfjs costs a cold start about 0.3 s, and only training needs it.
 */
export function loadTf(): Promise<typeof Tf> {
  ready ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const backend = process.env.EMOVOX_TF_BACKEND ?? 'wasm';
    if (backend === 'wasm') {
      const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
      setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    }
    const before = hostListeners();
    try {
      await tf.setBackend(backend);
      await tf.ready();
    } finally {
      giveBackListeners(before);
    }
    return tf;
  })();
  return ready;
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'];
// The process seen as a plain emitter: its typed overloads do not take the event name as a variable.
const emitter = process as NodeJS.EventEmitter;

function hostListeners(): Map<string, Set<unknown>> {
  return new Map(PROCESS_EVENTS.map((ev) => [ev, new Set<unknown>(emitter.listeners(ev))]));
}

/**
 * The emscripten module inside tfjs-backend-wasm (its NODEJS start-up code) adds
 * process.on('uncaughtException', ex => { throw ex }) and
 * process.on('unhandledRejection', reason => { throw reason }) when it is instantiated,
 * so any later error of the host program would exit with code 7 and a trace into tfjs.
 * A library must leave its host's error handling alone: every listener the backend added
 * is removed again. (Its own `_dispose` would do it, but its filter is wrong and would
 * also remove the host's listeners.)
 */
function giveBackListeners(before: Map<string, Set<unknown>>): void {
  for (const ev of PROCESS_EVENTS) {
    for (const l of emitter.listeners(ev)) {
      if (!before.get(ev)!.has(l)) emitter.removeListener(ev, l as (...args: unknown[]) => void);
    }
  }
}
