import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmovoxError } from '../errors.js';

/** What a queued job carries: enough for any worker on any machine to redo exactly the same prediction. */
export interface FileJobData {
  /** Absolute path as the submitting machine saw it; workers must see the files at the same path. */
  file: string;
  /** A model bundle folder, or null for the model shipped in the package (wherever emovox is installed). */
  model: string | null;
  /** Hash of the bundle's config.json and head.json: a worker refuses a job whose model it does not hold. */
  modelId: string;
  maxDurationSec: number;
}

/**
 * A model bundle's identity: SHA-256 over its config.json and head.json, so two copies of
 * one model on two machines agree and a retrained model does not.
 * @example
 * await modelId(DEFAULT_MODEL_DIR); // 'c0ffee…' (16 hex digits)
 */
export async function modelId(dir: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for (const name of ['config.json', 'head.json']) hash.update(await readFile(join(dir, name)));
  } catch (e) {
    throw new EmovoxError('E_MODEL', `cannot read the model bundle in ${dir} (${(e as Error).message}): give a folder made by \`emovox train\``, { cause: e });
  }
  return hash.digest('hex').slice(0, 16);
}

/** SHA-256 of a file's bytes, streamed so a long recording is not held in memory. */
export async function contentHash(file: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch (e) {
    throw new EmovoxError('E_NOT_FOUND', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)}): check the path and its permissions`, { file, cause: e });
  }
  return hash.digest('hex');
}

/**
 * The job id: the file's content and every setting that changes its result. The same
 * bytes with the same settings always give the same id, so BullMQ ignores a resubmission
 * (https://docs.bullmq.io/guide/jobs/job-ids), while a new model or limit is new work.
 * The path is left out: a copy of a file is the same work. Hex and '-' only: BullMQ
 * refuses ':' in custom ids.
 * @example
 * jobId('9f86d08…', { modelId: 'c0ffee…', maxDurationSec: 600 }); // '9f86d08…-1a2b3c4d5e6f'
 */
export function jobId(content: string, settings: Pick<FileJobData, 'modelId' | 'maxDurationSec'>): string {
  const settingsHash = createHash('sha256').update(JSON.stringify({ modelId: settings.modelId, maxDurationSec: settings.maxDurationSec })).digest('hex');
  return `${content.slice(0, 40)}-${settingsHash.slice(0, 12)}`;
}
