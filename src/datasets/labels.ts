import { EMOTIONS, type Emotion } from '../types.js';

/**
 * Label names of other corpora and common folder names, mapped onto the 8 RAVDESS
 * classes. Anything else (boredom, contempt, …) has no counterpart and is dropped.
 */
const SYNONYMS: Record<string, Emotion> = {
  neutral: 'neutral', neu: 'neutral', n: 'neutral',
  calm: 'calm',
  happy: 'happy', happiness: 'happy', joy: 'happy', hap: 'happy',
  sad: 'sad', sadness: 'sad',
  angry: 'angry', anger: 'angry', ang: 'angry',
  fearful: 'fearful', fear: 'fearful', fea: 'fearful', afraid: 'fearful',
  disgust: 'disgust', disgusted: 'disgust', dis: 'disgust',
  surprised: 'surprised', surprise: 'surprised', sur: 'surprised', ps: 'surprised', 'pleasant surprise': 'surprised', 'pleasant_surprise': 'surprised',
};

/** Maps a free-form label (folder name, CSV cell) to an emovox class, or null if it has none. */
export function normalizeLabel(raw: string): Emotion | null {
  const key = raw.trim().toLowerCase();
  if ((EMOTIONS as readonly string[]).includes(key)) return key as Emotion;
  return SYNONYMS[key] ?? null;
}
