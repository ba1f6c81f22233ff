export { decodeAudio, decodeChannels, loadAudio, downmix, MIN_DURATION_SEC, type DecodeOptions, type MultiChannelAudio } from './decode.js';
export { resample } from './resample.js';
export { encodeWav16 } from './wav-writer.js';
export { listMediaFiles, findMediaFiles, isMediaFile, MEDIA_EXTENSIONS, type FileProblem } from './files.js';
export { ffmpegPath, decodeWithFfmpeg, ffmpegInput } from './ffmpeg.js';
export { sniff, type Sniffed } from './sniff.js';
export { parseWavHeader, decodeWavChannels, type WavInfo } from './wav.js';
