import { EmotionRecognizer, toPredictions } from '../pipeline.js';
import { timeline, type TimelineSegment } from '../timeline/index.js';
import { toEmovoxError } from '../errors.js';
import { pcmToSignal } from './pcm.js';
import type { WorkReply, WorkTask } from './work-task.js';

// One recogniser per model per thread: onnxruntime and the models load once, not per request.
const recognizers = new Map<string, Promise<EmotionRecognizer>>();
const recognizer = (dir: string): Promise<EmotionRecognizer> => {
  let r = recognizers.get(dir);
  if (!r) recognizers.set(dir, (r = EmotionRecognizer.load(dir)));
  return r;
};

/**
 * The CPU-bound part of a request, in a worker thread of the server's pool, through the
 * library's own steps: `classify` is `prepare` → `features` → `probabilities`, as
 * `EmotionRecognizer.classify` does, keeping the duration for the metrics.
 */
export default async function work(task: WorkTask): Promise<WorkReply> {
  try {
    const rec = await recognizer(task.modelDir);
    switch (task.kind) {
      case 'classify': {
        const samples = await rec.prepare(task.raw ? pcmToSignal(task.bytes, task.raw) : task.bytes, { maxDurationSec: task.maxDurationSec });
        const { values } = await rec.features(samples);
        return { predictions: toPredictions(rec.probabilities(values), rec.labels), durationSec: samples.length / rec.config.sampleRate };
      }
      case 'timeline': {
        const run = timeline(rec, task.bytes, { ...task.options, raw: task.raw });
        const segments: TimelineSegment[] = [];
        for await (const s of run) segments.push(s);
        return { segments, durationSec: run.durationSec };
      }
      case 'features':
        return { values: (await rec.features(task.samples)).values };
    }
  } catch (e) {
    const error = toEmovoxError(e, 'E_DECODE');
    return { error: { code: error.code, message: error.message } };
  }
}
