// The HTTP API over real sockets on 127.0.0.1: every route, every error status, limits,
// slow and cut-short clients, and answers identical to the library's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { EmotionRecognizer, timeline } from '../../src/index.js';
import { actorFiles } from '../helpers.js';
import { buildLongRecording, wavBytes } from '../timeline-fixtures.js';
import { HTTP_STATUS, httpStatus } from '../../src/server/errors.js';
import { form, post, rawRequest, sleep, startServer, type Running } from './server-helpers.js';

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const files = actorFiles(3).slice(0, 8);
let server: Running;
let strict: Running;
let impatient: Running;
let rec: EmotionRecognizer;

before(async () => {
  rec = await EmotionRecognizer.load();
  server = await startServer({ workers: 2 });
  // Tight limits, to reach each refusal with small inputs.
  strict = await startServer({ workers: 1, concurrency: 1, maxQueue: 0, maxUploadBytes: 150_000, maxDurationSec: 2.5, maxLiveSessions: 1 });
  // A short request timeout, on a server of its own so that no real work races it on a busy machine.
  impatient = await startServer({ workers: 1, requestTimeoutMs: 1500 });
});
after(async () => {
  await Promise.all([server?.app.close(), strict?.app.close(), impatient?.app.close()]);
});

test('POST /v1/classify, as a form and as a raw body, answers what the library answers for the same file', async () => {
  const bytes = readFileSync(files[0]);
  const expected = (await rec.classify(files[0])).map((p) => ({ label: p.label, score: round6(p.score) }));
  const a = await post(server.url, '/v1/classify', form(bytes, 'clip.flac'));
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json().predictions, expected);
  assert.equal(a.json().uncertain, expected[0].score < 0.5);
  assert.ok(Math.abs((a.json().durationSec as number) - 3.4) < 1, `durationSec ${a.json().durationSec}`);
  const b = await post(server.url, '/v1/classify?topK=2&uncertainBelow=0.999', bytes, 'audio/flac');
  assert.equal(b.status, 200, b.text);
  assert.deepEqual(b.json().predictions, expected.slice(0, 2));
  assert.equal(b.json().uncertain, true);
});

test('raw PCM with ?encoding=s16le&rate= is classified as the same samples given to the library', async () => {
  const { samples } = await buildLongRecording([files[1]], { seed: 1, gapMinSec: 0.2, gapMaxSec: 0.3 });
  const pcm = wavBytes(samples).subarray(44);
  const expected = (await rec.classify({ samples: Float32Array.from(new Int16Array(pcm.buffer.slice(pcm.byteOffset), 0, samples.length), (v) => v / 32768), sampleRate: 16000 })).map((p) => ({ label: p.label, score: round6(p.score) }));
  const r = await post(server.url, '/v1/classify?encoding=s16le&rate=16000', pcm, 'application/octet-stream');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json().predictions, expected);
  const odd = await post(server.url, '/v1/classify?encoding=s16le&rate=16000', pcm.subarray(0, 1001), 'application/octet-stream');
  assert.equal(odd.status, 400);
  assert.equal(odd.json().error?.code, 'E_DECODE');
});

test('eight concurrent uploads are each answered exactly as the library classifies that file, and /healthz answers while they run', async () => {
  const expected = await Promise.all(files.map(async (f) => (await rec.classify(f)).map((p) => ({ label: p.label, score: round6(p.score) }))));
  const pending = files.map((f) => post(server.url, '/v1/classify', readFileSync(f), 'audio/flac'));
  await sleep(50);
  const t0 = performance.now();
  const health = await fetch(`${server.url}/healthz`);
  const healthMs = performance.now() - t0;
  const answers = await Promise.all(pending);
  assert.equal(health.status, 200);
  assert.ok(healthMs < 2000, `/healthz took ${healthMs.toFixed(0)} ms while busy`);
  answers.forEach((a, i) => {
    assert.equal(a.status, 200, a.text);
    assert.deepEqual(a.json().predictions, expected[i], files[i]);
  });
});

test('POST /v1/timeline gives the library timeline as JSON, and as WebVTT, SRT, CSV, JSON Lines and Audacity labels', async () => {
  const { samples } = await buildLongRecording(files.slice(0, 3), { seed: 7, gapMinSec: 1.5, gapMaxSec: 2 });
  const wav = wavBytes(samples);
  const expected = [];
  for await (const s of timeline(rec, wav)) expected.push(s);
  assert.ok(expected.length >= 2);
  const j = await post(server.url, '/v1/timeline', form(wav, 'talk.wav', 'audio/wav'));
  assert.equal(j.status, 200, j.text);
  assert.deepEqual(j.json().segments, expected);
  assert.equal(j.json().file, 'talk.wav');
  assert.equal((j.json().summary as { segments: number }).segments, expected.length);
  const vtt = await post(server.url, '/v1/timeline?format=vtt', wav, 'audio/wav');
  assert.match(vtt.headers['content-type'] as string, /^text\/vtt/);
  assert.match(vtt.text, /^WEBVTT\n\n1\n\d\d:\d\d:\d\d\.\d{3} --> /);
  assert.equal(vtt.text.match(/-->/g)?.length, expected.length);
  const srt = await post(server.url, '/v1/timeline?format=srt', wav, 'audio/wav');
  assert.match(srt.text, /^1\n\d\d:\d\d:\d\d,\d{3} --> /);
  const csv = await post(server.url, '/v1/timeline?format=csv', wav, 'audio/wav');
  assert.equal(csv.text.trim().split('\n').length, expected.length + 1);
  assert.match(csv.text, /^start,end,label,score,uncertain,neutral,calm/);
  const jsonl = await post(server.url, '/v1/timeline?format=jsonl', wav, 'audio/wav');
  assert.equal(jsonl.text.trim().split('\n').length, expected.length + 1);
  const aud = await post(server.url, '/v1/timeline?format=audacity', wav, 'audio/wav');
  assert.equal(aud.text.trim().split('\n')[0].split('\t').length, 3);
  const bad = await post(server.url, '/v1/timeline?format=mp4', wav, 'audio/wav');
  assert.equal(bad.status, 400);
});

test('GET /v1/model, /healthz, /openapi.json, /metrics and the page answer', async () => {
  const model = await (await fetch(`${server.url}/v1/model`)).json();
  assert.deepEqual(model.labels, rec.labels);
  assert.match(model.card, /# /);
  assert.equal(model.limits.maxQueue, 16);
  const doc = await (await fetch(`${server.url}/openapi.json`)).json();
  for (const p of ['/v1/classify', '/v1/timeline', '/v1/model', '/healthz']) assert.ok(doc.paths[p], p);
  assert.ok(doc.paths['/v1/classify'].post.requestBody.content['multipart/form-data']);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /emovox_http_requests_total\{method="POST",route="\/v1\/classify",status="200"\} \d+/);
  assert.match(metrics, /emovox_http_request_duration_seconds_bucket\{le="\+Inf",route="\/v1\/classify"\} \d+/);
  assert.match(metrics, /emovox_audio_seconds_total\{route="\/v1\/classify"\} [1-9]/);
  assert.match(metrics, /emovox_errors_total\{code="E_DECODE"\} [1-9]/);
  assert.match(metrics, /emovox_queue_depth 0/);
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<main>[\s\S]*id="file"[\s\S]*id="live"/);
  const missing = await fetch(`${server.url}/v2/nothing`);
  assert.equal(missing.status, 404);
});

test('bad input gets its stable code and status, never a 500', async () => {
  const garbage = Uint8Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251);
  const corrupt = await post(server.url, '/v1/classify', garbage, 'audio/mpeg');
  assert.equal(corrupt.status, 400, corrupt.text);
  assert.equal(corrupt.json().error?.code, 'E_DECODE');
  const badForm = await post(server.url, '/v1/classify', form(garbage, 'x.wav', 'audio/wav'));
  assert.equal(badForm.status, 400);

  const unsupported = await post(server.url, '/v1/classify', new TextEncoder().encode('hello'), 'text/plain');
  assert.equal(unsupported.status, 415);
  assert.equal(unsupported.json().error?.code, 'E_UNSUPPORTED');
  const unsupportedPart = await post(server.url, '/v1/classify', form(new TextEncoder().encode('hello'), 'notes.txt', 'text/plain'));
  assert.equal(unsupportedPart.status, 415);

  const silence = await post(server.url, '/v1/classify', wavBytes(new Float32Array(16000)), 'audio/wav');
  assert.equal(silence.status, 422, silence.text);
  assert.equal(silence.json().error?.code, 'E_EMPTY_AUDIO');

  const empty = await post(server.url, '/v1/classify', new Uint8Array(0), 'audio/wav');
  assert.equal(empty.status, 422);

  // A WAV whose data was cut: the header promises more than arrives.
  const wav = readFileSync(actorFiles(1)[0].replace('ravdess-speech-16k', 'ravdess-speech-48k').replace('.flac', '.wav'));
  const cut = await post(server.url, '/v1/classify', wav.subarray(0, 60), 'audio/wav');
  assert.ok([400, 422].includes(cut.status), cut.text);
  assert.ok(cut.json().error?.code);

  const badQuery = await post(server.url, '/v1/classify?encoding=u8&rate=8000', garbage, 'application/octet-stream');
  assert.equal(badQuery.status, 400);
  // Input errors are 4xx, including a code the table does not know yet; 500 is kept for the server's own faults.
  for (const code of ['E_DECODE', 'E_USAGE', 'E_UNSUPPORTED', 'E_EMPTY_AUDIO', 'E_TOO_SHORT', 'E_TOO_LONG', 'E_TOO_LARGE', 'E_NOT_REGULAR', 'E_SOME_NEW_CODE']) {
    assert.ok(httpStatus(code) >= 400 && httpStatus(code) < 500, `${code} → ${httpStatus(code)}`);
  }
  assert.deepEqual(Object.entries(HTTP_STATUS).filter(([, s]) => s >= 500 && s !== 503).map(([c]) => c).sort(), ['E_FFMPEG', 'E_INTERNAL', 'E_MODEL']);
});

test('limits: too large is 413 E_TOO_LARGE, too long is 413 E_TOO_LONG, a full queue is 503 E_QUEUE_FULL with Retry-After', async () => {
  const big = new Uint8Array(200_000);
  const raw = await post(strict.url, '/v1/classify', big, 'audio/wav');
  assert.equal(raw.status, 413);
  assert.equal(raw.json().error?.code, 'E_TOO_LARGE');
  const multi = await post(strict.url, '/v1/classify', form(big, 'big.wav', 'audio/wav'));
  assert.equal(multi.status, 413);
  assert.equal(multi.json().error?.code, 'E_TOO_LARGE');

  const long = await post(strict.url, '/v1/classify', readFileSync(files[0]), 'audio/flac');
  assert.equal(long.status, 413, long.text);
  assert.equal(long.json().error?.code, 'E_TOO_LONG');

  const { samples } = await buildLongRecording([files[2]], { seed: 3, gapMinSec: 0, gapMaxSec: 0 });
  const short = wavBytes(samples.subarray(0, 32000));
  const answers = await Promise.all([0, 1, 2].map(() => post(strict.url, '/v1/classify', short, 'audio/wav')));
  const statuses = answers.map((a) => a.status).sort();
  assert.equal(statuses[0], 200, answers.map((a) => a.text).join('\n'));
  const full = answers.filter((a) => a.status === 503);
  assert.ok(full.length >= 1, `statuses ${statuses}`);
  assert.equal(full[0].json().error?.code, 'E_QUEUE_FULL');
  assert.match(String(full[0].headers['retry-after']), /^\d+$/);
});

test('a slow client is answered correctly and does not hold up others; one that stalls gets 408 E_TIMEOUT; a cut-short upload leaves the server healthy', async () => {
  const bytes = readFileSync(files[4]);
  const expected = (await rec.classify(files[4])).map((p) => ({ label: p.label, score: round6(p.score) }));
  const slow = rawRequest(server.port, '/v1/classify', { 'content-type': 'audio/flac', 'content-length': bytes.length }, async (req) => {
    for (let i = 0; i < 8; i++) {
      req.write(bytes.subarray((i * bytes.length) / 8, ((i + 1) * bytes.length) / 8));
      await sleep(200);
    }
    req.end();
  });
  await sleep(300);
  const other = await post(server.url, '/v1/classify', readFileSync(files[5]), 'audio/flac');
  assert.equal(other.status, 200);
  const s = await slow;
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json().predictions, expected);

  const stalled = await rawRequest(impatient.port, '/v1/classify', { 'content-type': 'audio/flac', 'content-length': 100_000 }, async (req) => {
    req.write(bytes.subarray(0, 1000));
    await sleep(3000);
    req.destroy();
  });
  assert.equal(stalled.status, 408, stalled.text || String(stalled.error));
  assert.equal(stalled.json().error?.code, 'E_TIMEOUT');

  const cut = await rawRequest(server.port, '/v1/classify', { 'content-type': 'audio/flac', 'content-length': bytes.length }, async (req) => {
    req.write(bytes.subarray(0, 5000));
    await sleep(100);
    req.destroy();
  });
  assert.equal(cut.status, 0, 'no answer to a request that went away');
  await sleep(200);
  const health = await (await fetch(`${server.url}/healthz`)).json();
  assert.deepEqual([health.inFlight, health.queued], [0, 0]);
  const after = await post(server.url, '/v1/classify', bytes, 'audio/flac');
  assert.equal(after.status, 200);
});

test('WebSocket /v1/live: s16le PCM in 100 ms messages gives the library timeline of the same audio, segment by segment, then the summary', async () => {
  const { samples } = await buildLongRecording(files.slice(5, 8), { seed: 11, gapMinSec: 1.5, gapMaxSec: 2 });
  const wav = wavBytes(samples);
  const expected = [];
  for await (const s of timeline(rec, wav)) expected.push(s);
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`);
  const messages: { type: string; [k: string]: unknown }[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  ws.on('message', (d) => messages.push(JSON.parse(String(d))));
  await new Promise((r) => ws.once('open', r));
  ws.send(JSON.stringify({ type: 'start', encoding: 's16le', sampleRate: 16000 }));
  const pcm = wav.subarray(44);
  for (let i = 0; i < pcm.length; i += 3200) ws.send(pcm.subarray(i, i + 3200));
  ws.send(JSON.stringify({ type: 'stop' }));
  assert.equal(await closed, 1000);
  assert.equal(messages[0].type, 'ready');
  const segments = messages.filter((m) => m.type === 'segment').map(({ type: _t, ...s }) => s);
  assert.deepEqual(segments, expected);
  assert.equal(messages.at(-1)?.type, 'end');

  // Bad start message, and the session limit of the strict server.
  const bad = new WebSocket(`${server.url.replace('http', 'ws')}/v1/live`);
  const badMessages: { type: string; error?: { code: string } }[] = [];
  bad.on('message', (d) => badMessages.push(JSON.parse(String(d))));
  await new Promise((r) => bad.once('open', r));
  bad.send(JSON.stringify({ type: 'start', encoding: 'mp3' }));
  await new Promise((r) => bad.on('close', r));
  assert.equal(badMessages[0]?.error?.code, 'E_USAGE');
  // A refused start leaves no session behind (it once kept its slot, and a 10-minute timer, until the limit).
  let live = -1;
  for (let i = 0; i < 40 && live !== 0; i++, await sleep(50)) live = ((await (await fetch(`${server.url}/healthz`)).json()) as { liveSessions: number }).liveSessions;
  assert.equal(live, 0);

  const first = new WebSocket(`${strict.url.replace('http', 'ws')}/v1/live`);
  await new Promise((r) => first.once('open', r));
  const second = new WebSocket(`${strict.url.replace('http', 'ws')}/v1/live`);
  const refused = await new Promise<{ error?: { code: string } }>((r) => second.once('message', (d) => r(JSON.parse(String(d)))));
  assert.equal(refused.error?.code, 'E_QUEUE_FULL');
  first.close();
  await new Promise((r) => second.on('close', r));
});
