import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { PNG_SCALE } from '../../src/eval/report/render.js';
import { smallRavdessCorpus } from '../helpers.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');
const root = mkdtempSync(join(tmpdir(), 'emovox-report-'));
const emovox = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, EMOVOX_CACHE_DIR: join(root, 'cache') }, timeout: 600_000 });
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const EVALUATION_PLOTS = ['training-curves', 'confusion-matrix', 'per-class', 'per-speaker', 'fold-spread', 'reliability'];

// A small real evaluation: 4 actors × 2 takes per emotion, 2 folds grouped by actor.
const data = smallRavdessCorpus(join(root, 'data'), [5, 6, 7, 8], 2);
const reportDir = join(root, 'report');
const evaluation = emovox(['evaluate', '--data', data, '--folds', '2', '--epochs', '6', '--report', reportDir, '--json']);

/** The SVG's declared size, after checking that it is well-formed XML with an <svg> root. */
function parseSvg(text: string): { width: number; height: number } {
  assert.equal(XMLValidator.validate(text), true);
  const svg = new XMLParser({ ignoreAttributes: false }).parse(text).svg;
  assert.ok(svg, 'root element is <svg>');
  return { width: Number(svg['@_width']), height: Number(svg['@_height']) };
}

/** Distinct RGB colours among the PNG's pixels: a blank image has one. */
function distinctColours(png: PNG): number {
  const seen = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) seen.add((png.data[i] << 16) | (png.data[i + 1] << 8) | png.data[i + 2]);
  return seen.size;
}

test('evaluate --report writes a self-contained page and every plot as a well-formed SVG and a non-blank PNG of the right size', () => {
  assert.equal(evaluation.status, 0, evaluation.stderr);
  assert.match(evaluation.stderr, /report written to .*index\.html \(6 plots/);
  JSON.parse(evaluation.stdout); // stdout stays one JSON result
  for (const name of EVALUATION_PLOTS) {
    const { width, height } = parseSvg(readFileSync(join(reportDir, `${name}.svg`), 'utf8'));
    assert.ok(width > 100 && height > 100, `${name}.svg is ${width}×${height}`);
    const png = PNG.sync.read(readFileSync(join(reportDir, `${name}.png`)));
    assert.equal(png.width, Math.round(width * PNG_SCALE), `${name}.png width`);
    assert.equal(png.height, Math.round(height * PNG_SCALE), `${name}.png height`);
    assert.ok(distinctColours(png) > 20, `${name}.png has ${distinctColours(png)} colours`);
  }
  const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
  // Self-contained: nothing is fetched, every plot is inline.
  assert.doesNotMatch(html, /<script|<link|src="http|url\(http/);
  assert.equal(html.match(/<img alt="[^"]+" src="data:image\/svg\+xml;base64,/g)?.length, EVALUATION_PLOTS.length);
  assert.match(html, /2-fold cross-validation grouped by speaker/);
  assert.match(html, /emovox evaluate --data \S+ --folds 2/);
  for (const actor of ['05', '06', '07', '08']) assert.match(html, new RegExp(`<td>${actor}</td><td>16</td>`));
  assert.match(html, /onnxruntime-node/);
  assert.doesNotMatch(html, /LEAKY/);
});

test('emovox report redraws the same plots from the saved result without recomputing; a bad file is a clear error', () => {
  const again = join(root, 'again');
  const r = emovox(['report', join(reportDir, 'result.json'), '--out', again]);
  assert.equal(r.status, 0, r.stderr);
  for (const name of EVALUATION_PLOTS) assert.equal(readFileSync(join(again, `${name}.svg`), 'utf8'), readFileSync(join(reportDir, `${name}.svg`), 'utf8'), name);
  assert.doesNotMatch(r.stderr, /features:/); // no extraction, no training

  const bad = join(root, 'bad.json');
  writeFileSync(bad, '{"not": "a result"}');
  const b = emovox(['report', bad, '--out', join(root, 'bad')]);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /E_BAD_RESULT: .*emovox evaluate --save/);
  const missing = emovox(['report', join(root, 'nope.json'), '--out', join(root, 'nope')]);
  assert.match(missing.stderr, /E_NOT_FOUND/);
});

test('the leaky random split is flagged on the page', () => {
  const dir = join(root, 'leaky');
  const r = emovox(['evaluate', '--data', data, '--folds', '2', '--epochs', '2', '--protocol', 'random', '--report', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(join(dir, 'index.html'), 'utf8'), /class="leaky">LEAKY protocol/);
});

test('train --report draws the training curves and says its held-out scores lean optimistic; the shipped model reports its cross-validation', () => {
  const dir = join(root, 'train-report');
  const r = emovox(['train', '--data', data, '--out', join(root, 'model'), '--epochs', '4', '--report', dir]);
  assert.equal(r.status, 0, r.stderr);
  const history = JSON.parse(readFileSync(join(root, 'model', 'history.json'), 'utf8'));
  const curves = readFileSync(join(dir, 'training-curves.svg'), 'utf8');
  parseSvg(curves);
  assert.equal(curves.match(/<path [^>]*aria-roledescription="line mark"/g)?.length ?? 0, 4, 'train and validation lines for loss and accuracy');
  assert.ok(history.length >= 1);
  assert.ok(existsSync(join(dir, 'confusion-matrix.png')));
  assert.ok(!existsSync(join(dir, 'fold-spread.svg')), 'no folds, no fold plot');
  assert.match(readFileSync(join(dir, 'index.html'), 'utf8'), /lean optimistic/);

  const shipped = join(root, 'shipped');
  const s = emovox(['report', join(PACKAGE_ROOT, 'models', 'default'), '--out', shipped]);
  assert.equal(s.status, 0, s.stderr);
  const page = readFileSync(join(shipped, 'index.html'), 'utf8');
  assert.match(page, /5-fold cross-validation grouped by speaker/);
  for (const name of EVALUATION_PLOTS) assert.ok(existsSync(join(shipped, `${name}.png`)), name);
});

test('Chromium opens the report from disk with no console errors and shows every chart', async (t) => {
  if (!existsSync(CHROMIUM)) {
    const why = `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`;
    console.log(`browser test not run: ${why}`);
    t.skip(why);
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    await page.goto(pathToFileURL(join(reportDir, 'index.html')).href, { waitUntil: 'load' });
    const images = await page.$$eval('figure img', (imgs) => imgs.map((i) => ({ w: (i as HTMLImageElement).naturalWidth, h: (i as HTMLImageElement).naturalHeight })));
    assert.equal(images.length, EVALUATION_PLOTS.length);
    for (const im of images) assert.ok(im.w > 100 && im.h > 100, `chart drawn at ${im.w}×${im.h}`);
    const shot = PNG.sync.read(await page.locator('#confusion-matrix img').screenshot());
    assert.ok(distinctColours(shot) > 20, 'the screenshot of the confusion matrix is not blank');
    await page.screenshot({ path: join(root, 'page.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
