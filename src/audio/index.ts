export { decodeAudio, decodeChannels, loadAudio, downmix, type DecodeOptions, type MultiChannelAudio } from './decode.js';
export { resample } from './resample.js';
export { encodeWav16 } from './wav-writer.js';
export { listMediaFiles, isMediaFile, MEDIA_EXTENSIONS } from './files.js';
export { ffmpegPath, decodeWithFfmpeg } from './ffmpeg.js';
export { parseWavHeader, decodeWavChannels, type WavInfo } from './wav.js';
