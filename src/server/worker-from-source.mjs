// The worker thread's entry when the server runs from its TypeScript source (tests, benches
// through tsx): a worker does not inherit the main thread's tsx loader, so it registers
// its own before loading worker.ts. The built package uses dist/src/server/worker.js.
import { register } from 'tsx/esm/api';

register();
const { default: work } = await import('./worker.ts');
export default work;
