import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, endOnClosedPipe, reportUnexpected } from './output.js';
import { register as registerExtractAudio } from './extract-audio.js';
import { register as registerDataset } from './dataset.js';
import { register as registerPredict } from './predict.js';
import { register as registerTrain } from './train.js';
import { register as registerEvaluate } from './evaluate.js';
import { register as registerReport } from './report.js';
import { register as registerTimeline } from './timeline.js';
import { register as registerQueue } from './queue.js';
import { register as registerWorker } from './worker.js';
import { register as registerServe } from './serve.js';
import { VERSION } from '../version.js';

// `emovox predict DIR | head -1`: a reader that closes the pipe early is a normal end.
endOnClosedPipe();
// Whatever escapes (a bug, a library's own throw) is one line on stderr, never a stack trace.
process.on('uncaughtException', reportUnexpected);
process.on('unhandledRejection', reportUnexpected);

const program = new Command();
program
  .name('emovox')
  .description('Recognise the emotion in a speaker\'s voice: predict, timeline of long or live audio, train, evaluate (grouped by speaker), extract audio from video, distributed batch work (queue, worker).')
  .version(VERSION)
  .showHelpAfterError('(run with --help for usage)')
  // Usage errors exit with 2, so that 1 keeps meaning "some input failed".
  .exitOverride();

registerPredict(program);
registerTimeline(program);
registerServe(program);
registerTrain(program);
registerEvaluate(program);
registerReport(program);
registerExtractAudio(program);
registerDataset(program);
registerQueue(program);
registerWorker(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version are "errors" to commander, with exit code 0.
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    const err = e as { code?: string; message?: string };
    process.stderr.write(`emovox: ${err.code ? err.code + ': ' : ''}${err.message ?? String(e)}\n`);
    process.exitCode = err.code === 'E_USAGE' ? EXIT_USAGE : 1;
  }
}
