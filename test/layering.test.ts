// The structure of src/: no import cycles, no upward imports, and a CLI that only calls the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';

const SRC = join(PACKAGE_ROOT, 'src');
const files = (readdirSync(SRC, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => f.split('\\').join('/'));

/** Every relative import of each file (static, dynamic, type-only), as paths under src/. */
const imports = new Map(
  files.map((f) => {
    const text = readFileSync(join(SRC, f), 'utf8');
    const specs = [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((m) => m[1]);
    return [f, specs.map((s) => relative(SRC, resolve(dirname(join(SRC, f)), s)).replace(/\.js$/, '.ts'))];
  }),
);

/** Lower layers never import higher ones; within a layer only a file's own folder. */
const LAYERS: [RegExp, number][] = [
  [/^(types|errors|paths|version|runtimes)\.ts$|^util\//, 0],
  [/^audio\//, 1],
  [/^(datasets|features)\//, 2],
  [/^model\//, 3],
  [/^eval\//, 4],
  [/^(pipeline|train)\.ts$/, 5],
  [/^(timeline|queue)\//, 6],
  [/^index\.ts$/, 7],
  // The server is a layer over the library, which the CLI's serve command starts.
  [/^server\//, 8],
  [/^cli\//, 9],
];
const layer = (f: string): number => LAYERS.find(([re]) => re.test(f))?.[1] ?? -1;
const folder = (f: string): string => (f.includes('/') ? f.split('/')[0] : '');

test('every file of src/ has a layer, and imports only files that exist', () => {
  for (const f of files) assert.notEqual(layer(f), -1, `${f} has no layer in this test`);
  for (const [f, deps] of imports) for (const d of deps) assert.ok(files.includes(d), `${f} imports ${d}, which is not a file of src/`);
});

test('no module imports one above it, nor a sibling folder of its own layer', () => {
  const upward: string[] = [];
  for (const [f, deps] of imports) {
    for (const d of deps) {
      // Layer 0 (shared types, errors, pure helpers) is one block whatever the folder.
      if (layer(d) > layer(f) || (layer(d) === layer(f) && layer(f) > 0 && folder(d) !== folder(f))) upward.push(`${f} → ${d}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('there are no import cycles', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === 'done') return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const d of imports.get(f) ?? []) visit(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of files) visit(f, []);
  assert.deepEqual(cycles, []);
});

test('a module imports its siblings directly, not through its own folder\'s barrel file', () => {
  const viaBarrel = [...imports].flatMap(([f, deps]) => deps.filter((d) => d.endsWith('/index.ts') && folder(d) === folder(f) && d !== f && !/^eval\/report\//.test(d)).map((d) => `${f} → ${d}`));
  assert.deepEqual(viaBarrel, []);
});

test('the CLI parses flags, calls the library and prints: it reaches none of the training or evaluation machinery', () => {
  const machinery = /^(model\/(fit|train-head|training-set|bundle|standardizer|temperature)|eval\/(crossval|metrics)|features\/(speaker-norm|extractor|frontends|handcrafted|embedding)|datasets\/splits)\.ts$/;
  const reaching = [...imports].filter(([f]) => f.startsWith('cli/')).flatMap(([f, deps]) => deps.filter((d) => machinery.test(d)).map((d) => `${f} → ${d}`));
  // Constants for help texts (front-end and layer names) are the exception, imported as values only.
  const allowed = ['cli/data-options.ts → features/frontends.ts', 'cli/data-options.ts → features/embedding.ts', 'cli/data-options.ts → features/extractor.ts'];
  assert.deepEqual(reaching.filter((r) => !allowed.includes(r)), []);
});
