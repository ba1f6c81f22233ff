// The timeline page of the HTML report: `emovox timeline FILE --report DIR`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { actorFiles } from './helpers.js';
import { buildLongRecording, wavBytes } from './timeline-fixtures.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const root = mkdtempSync(join(tmpdir(), 'emovox-timeline-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

const decode = (s: string): string => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

test('timeline --report writes a page per run with each file\'s band chart, summary and one table row per segment of the JSON output', async () => {
  const { samples } = await buildLongRecording(actorFiles(17).filter((_, i) => i % 12 === 5), { seed: 4, gapMinSec: 0.6, gapMaxSec: 2 });
  const file = join(root, 'talk & co.wav');
  writeFileSync(file, wavBytes(samples));
  const silent = join(root, 'quiet.wav');
  writeFileSync(silent, wavBytes(new Float32Array(3 * 16000).map((_, i) => 1e-4 * Math.sin(i))));
  const dir = join(root, 'report');
  const r = spawnSync(process.execPath, [BIN, 'timeline', file, silent, '--json', '--report', dir], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 24 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /timeline report written to .*index\.html \(1 chart/);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; start?: number; end?: number; label?: string; score?: number; summary?: { emotions: { label: string; share: number }[]; noSpeech: boolean } });
  const segments = lines.filter((l) => l.file === file && l.label !== undefined);
  assert.ok(segments.length >= 4, r.stdout);

  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.doesNotMatch(html, /<script|https?:\/\/(?!vega\.github\.io)/, 'no script and no network use');
  // One section per file, in the order given.
  const sections = html.split('<section ').slice(1);
  assert.equal(sections.length, 2);
  assert.ok(decode(sections[0]).includes(`<h2>${file}</h2>`));
  assert.match(sections[1], /No speech found in 3\.0 s of audio/);
  assert.doesNotMatch(sections[1], /<tr class="segment">/);

  // The segment table: one row per segment, with the times and labels of the JSON lines.
  const rows = [...sections[0].matchAll(/<tr class="segment"><td>(\d+)<\/td><td>([\d.]+)<\/td><td>([\d.]+)<\/td><td class="label">(\w+)<\/td><td>([\d.]+)<\/td>/g)];
  assert.equal(rows.length, segments.length);
  rows.forEach((row, i) => {
    assert.equal(Number(row[1]), i + 1);
    assert.equal(Number(row[2]), segments[i].start);
    assert.equal(Number(row[3]), segments[i].end);
    assert.equal(row[4], segments[i].label);
    assert.ok(Math.abs(Number(row[5]) - (segments[i].score as number)) < 5e-4);
  });
  // The summary: each emotion's share of speech time, as the JSON summary gives it.
  const summary = lines.find((l) => l.file === file && l.summary)?.summary;
  assert.ok(summary);
  for (const e of summary.emotions) assert.ok(sections[0].includes(`<td class="label">${e.label}</td>`) && sections[0].includes(`${(100 * e.share).toFixed(1)}%</td>`), e.label);

  // The band chart: inline in the page, and as SVG and PNG beside it, with a bar per segment.
  const inline = /<img alt="the emotion over time in [^"]+" src="data:image\/svg\+xml;base64,([^"]+)">/.exec(sections[0]);
  assert.ok(inline);
  const svg = readFileSync(join(dir, 'timeline-1.svg'), 'utf8');
  assert.equal(Buffer.from(inline[1], 'base64').toString(), svg);
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /time \(s\)/);
  assert.equal((svg.match(/aria-roledescription="bar"/g) ?? []).length, segments.length);
  for (const s of segments) assert.ok(svg.includes(`label: ${s.label}; end: ${s.end}; score: ${s.score};`), `a bar for ${s.label} ending at ${s.end} s`);
  assert.deepEqual([...readFileSync(join(dir, 'timeline-1.png')).subarray(1, 4)].map((b) => String.fromCharCode(b)).join(''), 'PNG');
  assert.equal(existsSync(join(dir, 'timeline-2.svg')), false, 'no chart for a file without speech');
  const data = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8')) as { files: { file: string; segments: unknown[] }[] };
  assert.deepEqual(data.files.map((f) => [f.file, f.segments.length]), [[file, segments.length], [silent, 0]]);
});
