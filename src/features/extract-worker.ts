import { augmentSignal } from '../audio/augment.js';
import { loadAudio } from '../audio/decode.js';
import { toEmovoxError } from '../errors.js';
import { extractFeatureParts } from './frontends.js';
import type { ExtractTask, ExtractReply } from './extract-task.js';

/**
 * One file's features in a worker thread of the extractor's pool: the same `loadAudio`
 * and front-ends (extractFeatureParts) as in the main thread, so a vector is the same wherever it was
 * made. Errors come back as data, because a thrown error loses its `code` on the way.
 */
export default async function extractInWorker(task: ExtractTask): Promise<ExtractReply> {
  try {
    const decoded = await loadAudio(task.source, { sampleRate: task.sampleRate, maxDurationSec: task.maxDurationSec });
    const samples = task.augment ? await augmentSignal(decoded, task.sampleRate, task.augment) : decoded;
    return { parts: await extractFeatureParts(samples, task.config) };
  } catch (e) {
    const error = toEmovoxError(e, 'E_DECODE', typeof task.source === 'string' ? task.source : undefined);
    return { error: { code: error.code, message: error.message } };
  }
}
