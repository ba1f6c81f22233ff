import type { Command } from 'commander';
import { createWriteStream, existsSync, statSync, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, extname, join, resolve as resolvePath } from 'node:path';
import { findMediaFiles } from '../audio/files.js';
import { EmotionRecognizer, DEFAULT_MODEL_DIR } from '../pipeline.js';
import { EmovoxError, toEmovoxError } from '../errors.js';
import { timeline, CONTEXT_FILLS, LIVE_CONTEXT_FILL, TIMELINE_DEFAULTS, type ContextFill, type TimelineOptions } from '../timeline/index.js';
import { SummaryAccumulator } from '../timeline/summary.js';
import { FORMAT_EXTENSIONS, TIMELINE_FORMATS, formatSummary, timelineWriter, type TimelineFormat } from '../timeline/formats.js';
import type { TimelineReportFile } from '../eval/report/timeline.js';
import { EXIT_SOME_FAILED, commandLine, warn } from './output.js';
import { createProgress } from './progress.js';

interface TimelineCliOptions {
  model?: string;
  format?: string;
  json?: boolean;
  out?: string;
  raw?: string;
  rate?: string;
  channels: string;
  threshold?: string;
  minSilence?: string;
  minSpeech?: string;
  maxSegment?: string;
  context?: string;
  contextBefore?: string;
  contextAfter?: string;
  contextFill?: string;
  smoothing?: string;
  uncertainBelow?: string;
  vadChunk?: string;
  maxDuration?: string;
  report?: string;
}

const D = TIMELINE_DEFAULTS;

export function register(program: Command): void {
  program
    .command('timeline')
    .description('The emotion over time in long recordings or live audio: speech is found with Silero VAD, cut into segments and each is classified, printed as soon as it closes. `-` reads standard input (WAV, FLAC, any format ffmpeg reads, or raw PCM with --raw).')
    .argument('<inputs...>', 'audio/video files, folders (searched recursively), or - for standard input')
    .option('--format <f>', `output: ${TIMELINE_FORMATS.join(', ')} (audacity: a label track)`, 'text')
    .option('--json', 'the same as --format jsonl: one JSON object per segment, then one with the summary')
    .option('--out <path>', 'write to this file (one input) or folder (one file per input, NAME.<format extension>) instead of standard output')
    .option('--model <dir>', 'model bundle folder (default: the shipped model)')
    .option('--raw <encoding>', 'the input is headerless PCM: s16le or f32le (needs --rate)')
    .option('--rate <hz>', 'sample rate of --raw input')
    .option('--channels <n>', 'interleaved channels of --raw input, averaged to mono', '1')
    .option('--threshold <p>', `Silero VAD speech probability that starts and continues speech (default ${D.threshold})`)
    .option('--min-silence <sec>', `pauses shorter than this stay inside a segment (default ${D.minSilenceSec})`)
    .option('--min-speech <sec>', `speech shorter than this is dropped as too short to judge (default ${D.minSpeechSec})`)
    .option('--max-segment <sec>', `longer speech is cut into segments of at most this (default ${D.maxSegmentSec})`)
    .option('--context <sec>', 'audio on each side of a segment given to the classifier with it (sets both of the next two)')
    .option('--context-before <sec>', `audio before a segment given to the classifier (default ${D.contextBeforeSec})`)
    .option('--context-after <sec>', `audio after a segment given to the classifier; a segment waits for it (default ${D.contextAfterSec})`)
    .option('--context-fill <how>', `${CONTEXT_FILLS.join(', ')}: wait for the real audio after a segment, or print the segment as soon as the silence after it closes it, completing its context after from that silence (default ${LIVE_CONTEXT_FILL} on standard input, ${D.contextFill} for files)`)
    .option('--smoothing <w>', `weight of the previous segment's scores in each segment's, 0 to 1 (default ${D.smoothing}: off)`)
    .option('--uncertain-below <p>', `mark a segment uncertain when its best score is below p (default ${D.uncertainBelow})`)
    .option('--vad-chunk <n>', `samples per Silero VAD call: 512, 1024 or 1536 (default ${D.vadChunk})`)
    .option('--report <dir>', 'also write an HTML page to this folder: per file, the emotion over time as a band chart (SVG and PNG), the summary and the segment table')
    .option('--max-duration <sec>', 'stop with E_TOO_LONG past this many seconds of audio (default: no limit)')
    .action(async (inputs: string[], opts: TimelineCliOptions) => {
      const failed = await timelineCommand(inputs, opts);
      if (failed > 0) process.exitCode = EXIT_SOME_FAILED;
    });
}

/** Returns the number of inputs that failed; each failure is reported and the rest go on. */
export async function timelineCommand(inputs: string[], opts: TimelineCliOptions): Promise<number> {
  const format = (opts.json ? 'jsonl' : opts.format ?? 'text') as TimelineFormat;
  if (!TIMELINE_FORMATS.includes(format)) throw new EmovoxError('E_USAGE', `--format must be one of ${TIMELINE_FORMATS.join(', ')}, got "${opts.format}"`);
  const options = timelineOptions(opts);
  if (inputs.filter((i) => i === '-').length > 1) throw new EmovoxError('E_USAGE', 'standard input (-) can be read only once');
  const recognizer = await EmotionRecognizer.load(opts.model ?? DEFAULT_MODEL_DIR);
  // A reader that goes away (`| head`) ends a live timeline quietly, as other Unix tools do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });

  let failed = 0;
  const files: string[] = [];
  for (const input of inputs) {
    if (input === '-') files.push('-');
    else {
      try {
        const found = await findMediaFiles([input]);
        files.push(...found.files);
        for (const p of found.problems) {
          failed++;
          reportError(p.file, p.error, format);
        }
      } catch (e) {
        failed++;
        reportError(input, toEmovoxError(e, 'E_NOT_FOUND', input), format);
      }
    }
  }
  const toFolder = opts.out !== undefined && (files.length > 1 || opts.out.endsWith('/') || (existsSync(opts.out) && statSync(opts.out).isDirectory()));
  if (files.length > 1 && !opts.out && ['json', 'vtt', 'srt', 'audacity'].includes(format)) {
    throw new EmovoxError('E_USAGE', `--format ${format} writes one document per input: with several inputs, give --out FOLDER`);
  }
  if (toFolder) await mkdir(opts.out as string, { recursive: true });
  const progress = createProgress(files.length, 'timeline', { quiet: !opts.out });
  let headerWritten = false;
  // With --report, each file's segments are kept for the page (about 100 bytes each).
  const reported: TimelineReportFile[] = [];
  for (const file of files) {
    const name = file === '-' ? 'stdin' : file;
    const out = opts.out ? await openOut(toFolder ? join(opts.out, `${basename(name, extname(name))}.${FORMAT_EXTENSIONS[format]}`) : opts.out) : null;
    const write = (text: string): void => {
      if (text) (out ?? process.stdout).write(text);
    };
    // On standard output, CSV with several files is one table with a file column.
    const shared = !out && format === 'csv' && files.length > 1;
    const writer = timelineWriter(format, name, recognizer.labels, { fileColumn: shared });
    const begin = writer.begin();
    if (!shared || !headerWritten) write(begin);
    headerWritten = true;
    // Standard input is most often live: a segment goes out as soon as it closes (LIVE_CONTEXT_FILL).
    const contextFill = options.contextFill ?? (file === '-' ? LIVE_CONTEXT_FILL : undefined);
    const run = timeline(recognizer, file === '-' ? process.stdin : file, { ...options, contextFill, file: name });
    // A running summary: a 3-hour file's segments are not kept (except by --format json).
    const totals = new SummaryAccumulator();
    const kept: TimelineReportFile['segments'] = [];
    let error: EmovoxError | null = null;
    try {
      for await (const s of run) {
        totals.add(s);
        if (opts.report !== undefined) kept.push(s);
        write(writer.segment(s));
      }
    } catch (e) {
      error = toEmovoxError(e, 'E_DECODE', name);
    }
    const summary = totals.summary(run.durationSec);
    if (opts.report !== undefined) reported.push({ file: name, segments: kept, summary, ...(error ? { error: { code: error.code, message: error.message } } : {}) });
    if (!error) {
      write(writer.end(summary));
      // Formats without a place for the summary give it on stderr, as do files written to --out.
      if (out || !['text', 'json', 'jsonl'].includes(format)) warn(`${name}\n${formatSummary(summary).trimEnd()}`);
    }
    if (out) await close(out);
    if (error) {
      failed++;
      reportError(name, error, format);
    }
    progress.tick(basename(name));
  }
  progress.stop();
  if (opts.report !== undefined && reported.length > 0) {
    // Loaded on use: the page's renderer (vega, resvg) would add to every start-up.
    const { writeTimelineReport } = await import('../eval/report/timeline.js');
    const written = await writeTimelineReport({ labels: recognizer.labels, files: reported, command: commandLine() }, opts.report);
    warn(`timeline report written to ${resolvePath(opts.report, 'index.html')} (${written.charts.length} chart${written.charts.length === 1 ? '' : 's'}, each also as .svg and .png)`);
  }
  return failed;
}

function timelineOptions(o: TimelineCliOptions): TimelineOptions {
  const num = (v: string | undefined, flag: string): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new EmovoxError('E_USAGE', `${flag} must be a number, got "${v}"`);
    return x;
  };
  if (o.raw !== undefined && o.raw !== 's16le' && o.raw !== 'f32le') throw new EmovoxError('E_USAGE', `--raw must be s16le or f32le, got "${o.raw}"`);
  if (o.raw && o.rate === undefined) throw new EmovoxError('E_USAGE', '--raw needs --rate: the sample rate of the PCM (e.g. --rate 16000)');
  if (!o.raw && o.rate !== undefined) throw new EmovoxError('E_USAGE', '--rate applies only to --raw input: the other formats carry their rate');
  const rate = num(o.rate, '--rate');
  const channels = num(o.channels, '--channels') ?? 1;
  if (o.raw && !(Number.isInteger(rate) && (rate as number) >= 1000)) throw new EmovoxError('E_USAGE', `--rate must be a whole number of Hz (1000 or more), got "${o.rate}"`);
  if (!(Number.isInteger(channels) && channels >= 1)) throw new EmovoxError('E_USAGE', `--channels must be a positive whole number, got "${o.channels}"`);
  const context = num(o.context, '--context');
  const vadChunk = num(o.vadChunk, '--vad-chunk');
  if (o.contextFill !== undefined && !(CONTEXT_FILLS as readonly string[]).includes(o.contextFill)) throw new EmovoxError('E_USAGE', `--context-fill must be one of ${CONTEXT_FILLS.join(', ')}, got "${o.contextFill}"`);
  if (vadChunk !== undefined && ![512, 1024, 1536].includes(vadChunk)) throw new EmovoxError('E_USAGE', `--vad-chunk must be 512, 1024 or 1536, got "${o.vadChunk}"`);
  return {
    raw: o.raw ? { encoding: o.raw as 's16le' | 'f32le', sampleRate: rate as number, channels } : undefined,
    threshold: num(o.threshold, '--threshold'),
    minSilenceSec: num(o.minSilence, '--min-silence'),
    minSpeechSec: num(o.minSpeech, '--min-speech'),
    maxSegmentSec: num(o.maxSegment, '--max-segment'),
    contextBeforeSec: num(o.contextBefore, '--context-before') ?? context,
    contextAfterSec: num(o.contextAfter, '--context-after') ?? context,
    contextFill: o.contextFill as ContextFill | undefined,
    smoothing: num(o.smoothing, '--smoothing'),
    uncertainBelow: num(o.uncertainBelow, '--uncertain-below'),
    vadChunk,
    maxDurationSec: num(o.maxDuration, '--max-duration'),
  };
}

async function openOut(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new EmovoxError('E_NOT_FOUND', `cannot write ${path} (${e.message}): check the folder exists and is writable`, { file: path, cause: e })));
  });
  return stream;
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}

function reportError(file: string, error: EmovoxError, format: TimelineFormat): void {
  if (format === 'jsonl') process.stdout.write(JSON.stringify({ file, error: { code: error.code, message: error.message } }) + '\n');
  warn(`${file}: ${error.code}: ${error.message}`);
}
