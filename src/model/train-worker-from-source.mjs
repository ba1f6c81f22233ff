// The training worker's entry when emovox runs from its TypeScript source (tests, benches
// through tsx): a worker does not inherit the main thread's tsx loader, so it registers
// its own before loading train-worker.ts. The built package uses dist/src/model/train-worker.js.
import { register } from 'tsx/esm/api';

register();
const { default: trainInWorker } = await import('./train-worker.ts');
export default trainInWorker;
