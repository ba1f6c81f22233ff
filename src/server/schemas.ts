/** JSON Schemas of the routes: they validate the query, shape the answers, and make the OpenAPI document. */

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  description: 'An error with a stable code (see the README for the status of each)',
  properties: { error: { type: 'object', properties: { code: { type: 'string', example: 'E_DECODE' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
} as const;

const prediction = { type: 'object', properties: { label: { type: 'string' }, score: { type: 'number' } }, required: ['label', 'score'] } as const;

export const segmentSchema = {
  $id: 'Segment',
  type: 'object',
  properties: {
    start: { type: 'number', description: 'seconds from the start' },
    end: { type: 'number' },
    label: { type: 'string' },
    score: { type: 'number' },
    scores: { type: 'array', items: prediction },
    uncertain: { type: 'boolean' },
  },
  required: ['start', 'end', 'label', 'score', 'scores', 'uncertain'],
} as const;

export const summarySchema = {
  $id: 'Summary',
  type: 'object',
  properties: {
    durationSec: { type: 'number' },
    speechSec: { type: 'number' },
    segments: { type: 'integer' },
    noSpeech: { type: 'boolean' },
    emotions: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, seconds: { type: 'number' }, share: { type: 'number' } } } },
  },
} as const;

/** Raw PCM bodies: `?encoding=s16le&rate=16000&channels=1`. */
const rawQuery = {
  encoding: { type: 'string', enum: ['s16le', 'f32le'], description: 'the body is headerless PCM in this encoding (needs rate)' },
  rate: { type: 'integer', minimum: 1000, description: 'sample rate of raw PCM (Hz)' },
  channels: { type: 'integer', minimum: 1, maximum: 32, default: 1, description: 'interleaved channels of raw PCM, averaged to mono' },
} as const;

const uncertainBelow = { type: 'number', minimum: 0, maximum: 1, description: 'mark the answer uncertain when the best score is below this (default: the server\'s --uncertain-below)' } as const;

const errors = { 400: { $ref: 'Error#' }, 408: { $ref: 'Error#' }, 413: { $ref: 'Error#' }, 415: { $ref: 'Error#' }, 422: { $ref: 'Error#' }, 503: { $ref: 'Error#' }, 500: { $ref: 'Error#' } } as const;

export const classifySchema = {
  summary: 'The emotion of one recording',
  description: 'Upload one audio or video file (any format `emovox predict` reads) as multipart/form-data (field "file") or as the raw body with its Content-Type. Answers every label with its score, best first.',
  querystring: { type: 'object', properties: { topK: { type: 'integer', minimum: 1, description: 'only the k best labels' }, uncertainBelow, ...rawQuery }, additionalProperties: false },
  response: {
    200: {
      type: 'object',
      properties: { predictions: { type: 'array', items: prediction }, uncertain: { type: 'boolean' }, durationSec: { type: 'number', description: 'seconds of audio analysed' } },
      required: ['predictions', 'uncertain', 'durationSec'],
    },
    ...errors,
  },
} as const;

export const timelineSchema = {
  summary: 'The emotion over time of a long recording',
  description: 'Speech is found with Silero VAD, cut into segments and each is classified, as `emovox timeline` does. JSON by default, or another format with ?format=.',
  querystring: {
    type: 'object',
    properties: {
      format: { type: 'string', enum: ['json', 'jsonl', 'csv', 'vtt', 'srt', 'audacity', 'text'], default: 'json' },
      uncertainBelow,
      maxSegmentSec: { type: 'number', minimum: 1, maximum: 600, description: 'longer speech is cut into segments of at most this' },
      minSilenceSec: { type: 'number', exclusiveMinimum: 0, description: 'pauses shorter than this stay inside a segment' },
      smoothing: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: "weight of the previous segment's scores" },
      ...rawQuery,
    },
    additionalProperties: false,
  },
  response: {
    200: {
      description: 'format=json: the segments and the summary; other formats: text in that format',
      type: 'object',
      properties: { file: { type: 'string' }, segments: { type: 'array', items: { $ref: 'Segment#' } }, summary: { $ref: 'Summary#' } },
    },
    ...errors,
  },
} as const;

export const modelSchema = {
  summary: 'The loaded model: its labels, recipe and model card',
  response: {
    200: {
      type: 'object',
      properties: {
        labels: { type: 'array', items: { type: 'string' } },
        sampleRate: { type: 'integer' },
        speakerNormalized: { type: 'boolean' },
        featureCount: { type: 'integer' },
        recipe: { type: 'object', additionalProperties: true },
        card: { type: 'string', description: 'MODEL_CARD.md' },
        limits: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;

export const healthSchema = {
  summary: 'Health check: answers while the workers are busy',
  response: { 200: { type: 'object', properties: { status: { type: 'string' }, inFlight: { type: 'integer' }, queued: { type: 'integer' }, liveSessions: { type: 'integer' } } } },
} as const;
