/** Mean negative log-likelihood of softmax(logits / T) for the true classes. */
export function nll(logits: Float32Array, y: Int32Array, k: number, temperature: number): number {
  let total = 0;
  for (let r = 0; r < y.length; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[r * k + c] / temperature);
    let z = 0;
    for (let c = 0; c < k; c++) z += Math.exp(logits[r * k + c] / temperature - max);
    total += -(logits[r * k + y[r]] / temperature - max - Math.log(z));
  }
  return total / Math.max(1, y.length);
}

/**
 * Temperature scaling (Guo et al. 2017): the one scalar T that minimises the NLL of the
 * held-out validation logits, found by golden-section search over log T in [0.05, 20].
 * It changes confidence, never the predicted class.
 */
export function fitTemperature(logits: Float32Array, y: Int32Array, k: number): number {
  if (y.length === 0) return 1;
  const f = (logT: number): number => nll(logits, y, k, Math.exp(logT));
  let [a, b] = [Math.log(0.05), Math.log(20)];
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  for (let i = 0; i < 60; i++) {
    if (f(c) < f(d)) b = d;
    else a = c;
    c = b - g * (b - a);
    d = a + g * (b - a);
  }
  return Math.exp((a + b) / 2);
}

export function softmaxRows(logits: Float32Array, k: number, temperature = 1): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < logits.length / k; r++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, logits[r * k + c] / temperature);
    let z = 0;
    for (let c = 0; c < k; c++) z += out[r * k + c] = Math.exp(logits[r * k + c] / temperature - max);
    for (let c = 0; c < k; c++) out[r * k + c] /= z;
  }
  return out;
}
