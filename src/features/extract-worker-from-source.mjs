// The feature worker's entry when emovox runs from its TypeScript source (benches and
// scripts through tsx): a worker does not inherit the main thread's tsx loader, so it
// registers its own first. The built package uses dist/src/features/extract-worker.js.
import { register } from 'tsx/esm/api';

register();
const { default: extractInWorker } = await import('./extract-worker.ts');
export default extractInWorker;
