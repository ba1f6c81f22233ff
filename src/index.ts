// The public API of emovox: everything the CLI does, a program can do from here.

// Predict
export {
  EmotionRecognizer,
  DEFAULT_MODEL_DIR,
  SPEAKER_NORMALIZED_MODEL_DIR,
  MIN_SPEAKER_CLIPS,
  DEFAULT_MAX_DURATION_SEC,
  toPredictions,
  type AudioInput,
  type ClassifyOptions,
  type BatchOptions,
  type BatchResult,
  type TrainingInfo,
} from './pipeline.js';

// Data
export { loadDataset, selectItems, restrictLabels, sharedLabels, corporaOf, type Dataset, type DatasetItem, type DatasetSource, type DatasetSummary } from './datasets/dataset.js';
export { scanDataset, CORPUS_NAMES, type CorpusName, type Manifest, type ManifestRow, type DatasetProblem, type ScanOptions } from './datasets/scan.js';
export { summarizeManifest, type ScanSummary } from './datasets/summary.js';
export { parseRavdessName, type RavdessInfo } from './datasets/ravdess.js';
export { normalizeLabel } from './datasets/labels.js';
export { groupKFold, randomKFold, groupHoldout, performanceGroups, type Split } from './datasets/splits.js';

// Recipe, features
export { makeRecipe, checkRecipe, checkTrainable, DEFAULT_FEATURES, DEFAULT_HEAD, SPEAKER_NORMALIZED_HEAD, SHIPPED_SPEAKER_NORMALIZED, VAD_CHUNKS, NORMALIZATIONS, LABEL_POLICIES, type Recipe, type RecipeOptions, type Normalization, type LabelPolicy } from './model/recipe.js';
export { FeatureExtractor, type FeatureExtractorOptions, type ProcessFilesOptions, type FilesFeatures, type FileRef, type ExtractInput, type ExtractResult } from './features/extractor.js';
export { extractFeatures, FRONT_END_NAMES } from './features/frontends.js';
export type { FeatureConfig, FeatureVector, FrontEnd, LevelConfig } from './features/types.js';
export { normalizeLevel, referenceRms, DEFAULT_LEVEL } from './features/level.js';
export { EMBEDDING_LAYERS, DEFAULT_EMBEDDING_LAYERS } from './features/embedding.js';
export { logMel, mfcc, mfccMean, SEED_PARAMS, SPEECH_PARAMS, type MelParams } from './features/mfcc.js';
export { trimSilence } from './features/vad.js';
export { speakerNormalize } from './features/speaker-norm.js';
export { utteranceCmvn } from './features/cmvn.js';
export { defaultCacheDir } from './features/cache.js';

// Train, evaluate
export { train, type TrainOptions } from './train.js';
export { crossValidate, evaluateCrossCorpus, type CrossValidateOptions, type EvaluateOptions, type CompleteEvaluation } from './eval/evaluate.js';
export { evaluateLeaveOneCorpusOut } from './eval/leave-one-corpus-out.js';
export { computeMetrics, summarizeFolds } from './eval/metrics.js';
export type { EvaluationResult, Metrics, FoldResult, ClassMetrics, Protocol, Spread, EpochRecord, HeldOutCorpus } from './eval/types.js';
export { HEAD_DEFAULTS, type HeadConfig } from './model/mlp.js';
export type { BundleConfig } from './model/bundle.js';

// Audio
export { decodeAudio, decodeChannels, loadAudio, MIN_DURATION_SEC, type DecodeOptions } from './audio/decode.js';
export { resample } from './audio/resample.js';
export { encodeWav16 } from './audio/wav-writer.js';
export { augmentSignal, addNoise, applyGain, reverberate } from './audio/augment.js';
export { codecRoundTrip } from './audio/augment-codec.js';
export { AUGMENTATIONS, augmentationSpec, type Augmentation, type AugmentSpec } from './audio/augment-spec.js';
export { listMediaFiles, findMediaFiles, type FileProblem } from './audio/files.js';

// Shared
export { EMOTIONS, SAMPLE_RATE, type Emotion, type AudioSignal, type Prediction, type Matrix } from './types.js';
export { EmovoxError, type ErrorCode, type ProblemCode } from './errors.js';
export { VERSION } from './version.js';
export { timeline, TimelineRun, summarizeTimeline, speechRegions, TIMELINE_DEFAULTS, LIVE_CONTEXT_FILL, CONTEXT_FILLS, type ContextFill, type TimelineSegment, type TimelineOptions, type TimelineSummary, type SegmentClassifier } from './timeline/index.js';
export { writeTimelineReport, type TimelineReportInput, type TimelineReportFile } from './eval/report/timeline.js';

// Distributed batch work on BullMQ and Redis (bullmq is imported only when one of these is called)
export { submitBatch, readFileList, startWorker, isPermanent, batchStatus, batchResults, resultRecord, DEFAULT_REDIS_URL } from './queue/index.js';
export type { SubmitOptions, SubmitSummary, WorkerOptions, QueueWorker, BatchStatus, ResultRecord, QueueConnectionOptions } from './queue/index.js';
