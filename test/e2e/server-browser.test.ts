// The web page in Debian's Chromium (playwright-core): upload a real RAVDESS file and see the
// label the library gives it; record a clip and stream live through Chromium's fake
// microphone fed from a real recording, and see the segments appear. Screenshots are
// kept in reports/server/ (ignored by git).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmotionRecognizer } from '../../src/index.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { actorFiles } from '../helpers.js';
import { buildLongRecording, wavBytes } from '../timeline-fixtures.js';
import { startServer, type Running } from './server-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(PACKAGE_ROOT, 'reports', 'server');
const tmp = mkdtempSync(join(tmpdir(), 'emovox-server-browser-'));
let server: Running | undefined;

before(async () => {
  if (existsSync(CHROMIUM)) server = await startServer({ workers: 2 });
});
after(async () => {
  await server?.app.close();
  rmSync(tmp, { recursive: true, force: true });
});

test('the page in Chromium: an upload shows the library\'s label; the microphone records a clip and streams live segments', async (t) => {
  if (!existsSync(CHROMIUM) || !server) {
    const why = `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`;
    console.log(`browser test not run: ${why}`);
    t.skip(why);
    return;
  }
  mkdirSync(SHOTS, { recursive: true });
  const clip = actorFiles(4)[44];
  const rec = await EmotionRecognizer.load();
  const expected = (await rec.classify(clip))[0].label;
  // The fake microphone plays (and loops) three clips of another actor with pauses between them.
  const { samples } = await buildLongRecording(actorFiles(9).slice(20, 23), { seed: 5, gapMinSec: 1.5, gapMaxSec: 2 });
  const mic = join(tmp, 'mic.wav');
  writeFileSync(mic, wavBytes(samples));

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    await context.grantPermissions(['microphone'], { origin: server.url });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(server.url + '/', { waitUntil: 'load' });

    // Upload: the keyboard-reachable file input.
    await page.setInputFiles('#file', clip);
    await page.waitForFunction(() => document.querySelector('#top')?.textContent !== '', null, { timeout: 60_000 });
    const top = await page.textContent('#top');
    assert.ok(top?.startsWith(expected), `the page shows "${top}", the library says ${expected}`);
    assert.equal(await page.locator('#bars tbody tr').count(), 8);
    assert.match((await page.textContent('#status')) ?? '', new RegExp(expected));
    await page.screenshot({ path: join(SHOTS, 'upload.png'), fullPage: true });

    // Record 3 s from the fake microphone (MediaRecorder → WebM/Opus → upload → ffmpeg on the server).
    await page.click('#record');
    await page.waitForTimeout(3000);
    await page.click('#record');
    await page.waitForFunction(() => /recording\.webm: \w+/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: 60_000 });
    await page.screenshot({ path: join(SHOTS, 'record.png'), fullPage: true });

    // Live: PCM over the WebSocket; segments appear as each stretch of speech closes.
    await page.keyboard.press('Tab'); // the controls are plain buttons: reachable and operable from the keyboard
    await page.focus('#live');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('#live', 'aria-pressed'), 'true');
    await page.waitForFunction(() => document.querySelectorAll('#segments tbody tr').length >= 2, null, { timeout: 60_000 });
    const rows = await page.$$eval('#segments tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    for (const row of rows) assert.match(row, /\d+\.\d s\d+\.\d s\w+\d+\.\d%/);
    await page.screenshot({ path: join(SHOTS, 'live.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /Live ended/.test(document.querySelector('#status')?.textContent ?? ''), null, { timeout: 30_000 });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
