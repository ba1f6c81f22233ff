/** The eight RAVDESS emotions: the label set of the shipped model and the target of every corpus mapping. */
export const EMOTIONS = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** PCM audio as the program holds it: mono float samples in [-1, 1]. */
export interface AudioSignal {
  samples: Float32Array;
  sampleRate: number;
}

/** The pipeline's internal sample rate. */
export const SAMPLE_RATE = 16000;

/** One entry of a classification result, in the shape Transformers.js uses. */
export interface Prediction {
  label: string;
  score: number;
}

/** A row-major matrix of float32 with explicit shape. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}
