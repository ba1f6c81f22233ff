import type { MessagePort } from 'node:worker_threads';
import { toEmovoxError, type ErrorCode } from '../errors.js';
import type { Matrix } from '../types.js';
import { MlpHead, type HeadConfig, type HeadMember } from './mlp.js';
import { trainHead, type EpochRecord } from './train-head.js';
import type { DomainRows } from './adversarial.js';

/** One ensemble member to train: its training rows, its held-out speakers' rows, its settings (seed included). */
export interface MemberTask {
  X: Matrix;
  y: Int32Array;
  Xval: Matrix;
  yval: Int32Array;
  numClasses: number;
  config: HeadConfig;
  /** The domains of the adversarial head (config.adversarial > 0): of each row of X, and unlabelled rows. */
  domains?: DomainRows;
  /** In a worker thread: where each epoch's record is posted (the port is closed at the end). */
  progress?: MessagePort;
}

/** The trained member, its epochs, and its logits for the held-out rows; or what stopped it. */
export type MemberReply =
  | { member: HeadMember; history: EpochRecord[]; bestEpoch: number; valLogits: Float32Array }
  | { error: { code: ErrorCode; message: string } };

/**
 * Trains one member, the same in the main thread and in a worker thread, so that where it
 * ran never changes the model. Errors come back as data (a thrown error loses its code
 * on the way from a worker).
 * @example
 * const reply = await trainMember({ X, y, Xval, yval, numClasses: 8, config: { ...HEAD_DEFAULTS, seed: 1000 } });
 */
export async function trainMember(task: MemberTask, onEpoch?: (r: EpochRecord) => void): Promise<MemberReply> {
  try {
    const { head, history, bestEpoch } = await trainHead(task.X, task.y, task.numClasses, { config: task.config, validation: { X: task.Xval, y: task.yval }, onEpoch, domains: task.domains });
    return { member: head.members[0], history, bestEpoch, valLogits: new MlpHead(task.config, task.numClasses, head.members).predictLogits(task.Xval) };
  } catch (e) {
    const error = toEmovoxError(e, 'E_INTERNAL');
    return { error: { code: error.code, message: error.message } };
  }
}
