import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, whether running from src/ through tsx or from dist/src/ compiled. */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('emovox: cannot find its package root');
})();

/** Where the shared RAVDESS recordings live for tests and benchmarks (never committed). */
export const SHARED_DATA = join(PACKAGE_ROOT, '..', 'shared', 'data');
export const SHARED_FIXTURES = join(PACKAGE_ROOT, '..', 'shared', 'fixtures');
