/**
 * An experiment that chose the segmentation defaults of the timeline (TIMELINE_DEFAULTS),
 * on actors 01–15 only (the accuracy figures are then measured on 16–20): a long
 * recording of RAVDESS clips with random silences between them, Silero VAD probabilities
 * computed once per chunk size, then every setting scored against each clip's speech
 * (Silero on the clip alone, and by energy; see test/timeline-fixtures.ts).
 *   node --import tsx bench/timeline-tune.ts
 */
import { speechProbabilities } from '../src/features/vad.js';
import { speechRegions } from '../src/timeline/segment.js';
import { SAMPLE_RATE } from '../src/types.js';
import { actorFiles } from '../test/helpers.js';
import { buildLongRecording, mixedClips } from '../test/timeline-fixtures.js';
import { boundaryHits, mean } from './timeline-eval.js';
import { machine } from './util.js';

const actors = Array.from({ length: 15 }, (_, i) => i + 1);
const files = mixedClips(actors.map((a) => actorFiles(a).filter((_, i) => i % 4 === 0)), 11);
const { samples, clips } = await buildLongRecording(files, { seed: 5, gapMinSec: 0.2, gapMaxSec: 3 });
const byEnergy = clips.map((c) => ({ ...c, speechStart: c.energyStart, speechEnd: c.energyEnd }));
console.log(`## Timeline segmentation settings (${machine()})`);
console.log(`command: \`node --import tsx bench/timeline-tune.ts\` (${clips.length} clips of actors 01–15, ${(samples.length / SAMPLE_RATE / 60).toFixed(1)} min, silences of 0.2–3 s between clips). A clip is a hit when the outer edges of the segments over its speech are within 250 ms of its speech's: by Silero on the clip alone (512-sample chunks, p ≥ 0.5), and by energy (10 ms frames within 35 dB of the loudest and above -60 dBFS). Errors are segment minus truth, by Silero.`);
console.log('| VAD chunk | threshold | neg. threshold | min silence s | min speech s | hits % (Silero on the clip) | hits % (energy) | start error ms, median | end error ms, median | clips split | spurious segments | missed clips |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const chunk of [512, 1536]) {
  const { probs, hop } = await speechProbabilities(samples, chunk);
  for (const [threshold, negThreshold] of [[0.5, 0.35], [0.5, 0.5], [0.6, 0.45], [0.7, 0.55]]) {
    for (const minSilenceSec of [0.1, 0.2, 0.3, 0.5, 0.8]) {
      for (const minSpeechSec of [0.1, 0.25, 0.5]) {
        if (minSpeechSec !== 0.25 && !(threshold === 0.5 && negThreshold === 0.5)) continue;
        const regions = speechRegions(probs, hop, SAMPLE_RATE, { threshold, negThreshold, minSilenceSec, minSpeechSec, maxSegmentSec: 10, padSec: 0 }, samples.length);
        const segs = regions.map((r) => ({ start: r.start / SAMPLE_RATE, end: r.end / SAMPLE_RATE }));
        const b = boundaryHits(clips, segs);
        const e = boundaryHits(byEnergy, segs);
        console.log(`| ${chunk} | ${threshold} | ${negThreshold} | ${minSilenceSec} | ${minSpeechSec} | ${((100 * b.hits) / clips.length).toFixed(1)} | ${((100 * e.hits) / clips.length).toFixed(1)} | ${(1000 * median(b.startErr)).toFixed(0)} | ${(1000 * median(b.endErr)).toFixed(0)} | ${b.pieces.filter((p) => p > 1).length} | ${b.spurious} | ${b.missed} |`);
      }
    }
  }
}
void mean;
