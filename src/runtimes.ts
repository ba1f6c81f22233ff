import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { VERSION } from './version.js';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  try {
    const main = require.resolve(name);
    const root = main.slice(0, main.lastIndexOf(`node_modules/${name}`) + `node_modules/${name}`.length);
    return (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** The versions that decide a result, recorded in reports and bundles. */
export function runtimeVersions(): Record<string, string> {
  return {
    emovox: VERSION,
    node: process.versions.node,
    '@tensorflow/tfjs': packageVersion('@tensorflow/tfjs'),
    'onnxruntime-node': packageVersion('onnxruntime-node'),
  };
}
