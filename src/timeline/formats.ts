import type { TimelineSegment } from './types.js';
import type { TimelineSummary } from './summary.js';

export const TIMELINE_FORMATS = ['text', 'jsonl', 'json', 'csv', 'vtt', 'srt', 'audacity'] as const;
export type TimelineFormat = (typeof TIMELINE_FORMATS)[number];

/** File extension of each format, for `--out DIR`. */
export const FORMAT_EXTENSIONS: Record<TimelineFormat, string> = { text: 'txt', jsonl: 'jsonl', json: 'json', csv: 'csv', vtt: 'vtt', srt: 'srt', audacity: 'labels.txt' };

/**
 * A timeline written piece by piece, so that each segment can go out as soon as it closes:
 * `begin()`, then `segment()` for each, then `end()` with the summary. The formats that
 * have no place for the summary (CSV, subtitles, Audacity labels) return '' from `end()`.
 */
export interface TimelineWriter {
  begin(): string;
  segment(s: TimelineSegment): string;
  end(summary: TimelineSummary): string;
}

/**
 * @example
 * const w = timelineWriter('vtt', 'talk.wav', rec.labels);
 * out.write(w.begin()); for await (const s of run) out.write(w.segment(s)); out.write(w.end(summary));
 */
export function timelineWriter(format: TimelineFormat, file: string, labels: string[], opts: { fileColumn?: boolean } = {}): TimelineWriter {
  let n = 0;
  const caption = (s: TimelineSegment): string => `${s.label}${s.uncertain ? '?' : ''} (${s.score.toFixed(2)})`;
  switch (format) {
    case 'jsonl':
      return {
        begin: () => '',
        segment: (s) => JSON.stringify({ file, ...s }) + '\n',
        end: (summary) => JSON.stringify({ file, summary }) + '\n',
      };
    case 'json': {
      const segments: TimelineSegment[] = [];
      return {
        begin: () => '',
        segment: (s) => (segments.push(s), ''),
        end: (summary) => JSON.stringify({ file, segments, summary }, null, 1) + '\n',
      };
    }
    case 'csv': {
      const lead = opts.fileColumn ? [csvField(file)] : [];
      return {
        begin: () => [...(opts.fileColumn ? ['file'] : []), 'start', 'end', 'label', 'score', 'uncertain', ...labels.map(csvField)].join(',') + '\n',
        segment: (s) => {
          const score = new Map(s.scores.map((p) => [p.label, p.score]));
          return [...lead, s.start.toFixed(3), s.end.toFixed(3), csvField(s.label), s.score.toFixed(6), String(s.uncertain), ...labels.map((l) => (score.get(l) ?? 0).toFixed(6))].join(',') + '\n';
        },
        end: () => '',
      };
    }
    case 'vtt':
      // WebVTT (W3C): a "WEBVTT" line, a blank line, then cues "hh:mm:ss.ttt --> hh:mm:ss.ttt".
      return {
        begin: () => 'WEBVTT\n\n',
        segment: (s) => `${++n}\n${clock(s.start, '.')} --> ${clock(s.end, '.')}\n${caption(s)}\n\n`,
        end: () => '',
      };
    case 'srt':
      // SubRip: numbered cues from 1, "hh:mm:ss,ttt --> hh:mm:ss,ttt", a blank line after each.
      return {
        begin: () => '',
        segment: (s) => `${++n}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n${caption(s)}\n\n`,
        end: () => '',
      };
    case 'audacity':
      // Audacity's label track text: start, end (seconds) and label, tab-separated (File > Import > Labels).
      return {
        begin: () => '',
        segment: (s) => `${s.start.toFixed(6)}\t${s.end.toFixed(6)}\t${caption(s)}\n`,
        end: () => '',
      };
    case 'text':
      return {
        begin: () => `${file}\n`,
        segment: (s) => `  ${minutes(s.start)}–${minutes(s.end)}  ${s.label.padEnd(10)} ${s.score.toFixed(2)}${s.uncertain ? '  uncertain' : ''}\n`,
        end: (summary) => formatSummary(summary) + '\n',
      };
  }
}

/** The summary in words: speech time, and each emotion's share of it. */
export function formatSummary(s: TimelineSummary): string {
  if (s.noSpeech) return `  no speech found in ${s.durationSec.toFixed(1)} s of audio\n`;
  const shares = s.emotions.map((e) => `${e.label} ${(100 * e.share).toFixed(0)}%`).join(', ');
  return `  speech ${s.speechSec.toFixed(1)} s of ${s.durationSec.toFixed(1)} s in ${s.segments} segments: ${shares}\n`;
}

function clock(sec: number, sep: '.' | ','): string {
  const msTotal = Math.round(sec * 1000);
  const h = Math.floor(msTotal / 3_600_000);
  const m = Math.floor((msTotal % 3_600_000) / 60_000);
  const s = Math.floor((msTotal % 60_000) / 1000);
  const ms = msTotal % 1000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}${sep}${String(ms).padStart(3, '0')}`;
}

function minutes(sec: number): string {
  const m = Math.floor(sec / 60);
  return `${m}:${(sec - 60 * m).toFixed(2).padStart(5, '0')}`;
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
