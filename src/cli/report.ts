import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { ReportInput } from '../eval/report/index.js';
import { printJsonLine, warn } from './output.js';

export function register(program: Command): void {
  program
    .command('report')
    .description('Redraw the HTML report and its plots from a saved result (evaluate --save or --json, or a report\'s result.json) or from a model folder, without recomputing anything.')
    .argument('<result>', 'a saved result JSON, or a model folder (config.json, history.json, cross-validation.json)')
    .requiredOption('--out <dir>', 'folder to write index.html and the plots to')
    .option('--json', 'print what was written as JSON')
    .action(async (path: string, opts: { out: string; json?: boolean }) => {
      const { readReportInput } = await import('../eval/report/index.js');
      const input = await readReportInput(path);
      await reportTo(input, opts.out, opts.json);
    });
}

/** Writes the report and says where; shared by `report`, `evaluate --report` and `train --report`. */
export async function reportTo(input: ReportInput, dir: string, json = false): Promise<void> {
  // Loaded on use: vega, vega-lite and resvg would add to every command's start-up.
  const { writeReport } = await import('../eval/report/index.js');
  const written = await writeReport(input, dir);
  if (json) printJsonLine({ report: resolve(dir, 'index.html'), ...written });
  else warn(`report written to ${resolve(dir, 'index.html')} (${written.charts.length} plots, each also as .svg and .png)`);
}
