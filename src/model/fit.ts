import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import Tinypool from 'tinypool';
import { fitTemperature, softmaxRows } from './temperature.js';
import { MlpHead, HEAD_DEFAULTS, type HeadConfig } from './mlp.js';
import { trainMember, type MemberReply, type MemberTask } from './member-task.js';
import type { EpochRecord } from './train-head.js';
import { groupHoldout, groupKFold } from '../datasets/splits.js';
import { EmovoxError } from '../errors.js';
import { takeRows } from '../util/matrix.js';
import type { Matrix } from '../types.js';

export interface FittedClassifier {
  head: MlpHead;
  /** Per-epoch history of the first member (the training curves of a report). */
  history: EpochRecord[];
  bestEpoch: number;
  /** Indices (into the X given) of rows whose probabilities were measured on held-out speakers. */
  validation: Int32Array;
  /** Calibrated probabilities on the validation rows, each from a member that did not train on them. */
  validationProbs: Float32Array;
}

export interface FitOptions {
  config?: Partial<HeadConfig>;
  seed: number;
  /** After each epoch of each member; with several threads, the members' epochs interleave. */
  onEpoch?: (r: EpochRecord, member: number, members: number) => void;
  /**
   * Worker threads that train the ensemble's members side by side (default: one per core,
   * at most one per member). 1 trains them one after another in this thread. Each member
   * has its own seed and data, so the model is the same whatever the number.
   */
  workers?: number;
  /**
   * What the adversarial head (config.adversarial > 0) learns not to tell apart: the domain
   * (corpus) of each row of X, 0 … count − 1, and optionally unlabelled rows of the domains
   * to adapt to (a held-out corpus's recordings), which every member sees. Ignored at 0.
   */
  domains?: { ofRows: Int32Array; count: number; unlabelled?: { X: Matrix; domains: Int32Array } };
}

/**
 * The training recipe used everywhere (train, each CV fold, the default model). Each
 * member network holds out some training speakers, early-stops on them, and its logits
 * for them are kept. With `ensemble` = E > 1 the training speakers are split E ways, so
 * every speaker is held out by exactly one member and the ensemble still learns from all.
 * A temperature (Guo et al. 2017) is then fitted on the held-out logits, so scores are
 * calibrated. The test speakers of an outer fold are never seen.
 * @example
 * const fitted = await fitClassifier(X, y, groups, 8, { config: { hidden: [64], ensemble: 4 }, seed: 1 });
 * const probs = fitted.head.predictProba(Xtest);
 */
export async function fitClassifier(X: Matrix, y: Int32Array, groups: Int32Array, numClasses: number, opts: FitOptions): Promise<FittedClassifier> {
  const config: HeadConfig = { ...HEAD_DEFAULTS, ...opts.config, seed: opts.seed };
  if (!(config.adversarial >= 0)) throw new EmovoxError('E_USAGE', `head.adversarial must be 0 or more, got ${String(config.adversarial)}`);
  const domains = config.adversarial > 0 ? checkedDomains(opts.domains, X.rows) : undefined;
  const distinct = new Set(groups).size;
  const splits =
    config.ensemble > 1 && distinct >= config.ensemble
      ? groupKFold(groups, config.ensemble, { seed: opts.seed }).map((s) => ({ train: s.train, validation: s.test }))
      : [groupHoldout(groups, 0.2, opts.seed)];
  const tasks: MemberTask[] = splits.map((split, m) => ({
    X: takeRows(X, split.train),
    y: Int32Array.from(split.train, (i) => y[i]),
    Xval: takeRows(X, split.validation),
    yval: Int32Array.from(split.validation, (i) => y[i]),
    numClasses,
    config: { ...config, seed: opts.seed * 1000 + m },
    ...(domains ? { domains: { count: domains.count, ofRows: Int32Array.from(split.train, (i) => domains.ofRows[i]), unlabelled: domains.unlabelled } } : {}),
  }));
  const threads = Math.min(tasks.length, Math.max(1, Math.floor(opts.workers ?? availableParallelism())));
  const onEpoch = (m: number) => (r: EpochRecord) => opts.onEpoch?.(r, m + 1, tasks.length);
  const replies = threads > 1 ? await trainInPool(tasks, threads, onEpoch) : await trainInThisThread(tasks, onEpoch);

  const members: MlpHead['members'] = [];
  const valRows: number[] = [];
  const valLogits: number[] = [];
  let bestEpochs = 0;
  for (const [m, reply] of replies.entries()) {
    if ('error' in reply) throw new EmovoxError(reply.error.code, `training member ${m + 1} of ${replies.length}: ${reply.error.message}`);
    bestEpochs += reply.bestEpoch;
    members.push(reply.member);
    valRows.push(...splits[m].validation);
    valLogits.push(...reply.valLogits);
  }
  const head = new MlpHead(config, numClasses, members);
  const logits = Float32Array.from(valLogits);
  const yVal = Int32Array.from(valRows, (i) => y[i]);
  head.temperature = fitTemperature(logits, yVal, numClasses);
  return {
    head,
    history: (replies[0] as Exclude<MemberReply, { error: unknown }>).history,
    bestEpoch: Math.round(bestEpochs / splits.length),
    validation: Int32Array.from(valRows),
    validationProbs: softmaxRows(logits, numClasses, head.temperature),
  };
}

/** The domains of the adversarial head, checked against the rows they describe. */
function checkedDomains(domains: FitOptions['domains'], rows: number): NonNullable<FitOptions['domains']> {
  const seen = new Set([...(domains?.ofRows ?? []), ...(domains?.unlabelled?.domains ?? [])]);
  if (!domains || seen.size < 2) {
    throw new EmovoxError('E_USAGE', 'the adversarial head (head.adversarial > 0) needs rows of at least two domains: train on several corpora, or evaluate with --leave-one-corpus-out, or set head.adversarial to 0');
  }
  const bad = [...seen].find((d) => !(Number.isInteger(d) && d >= 0 && d < domains.count));
  if (domains.ofRows.length !== rows || bad !== undefined || (domains.unlabelled && domains.unlabelled.domains.length !== domains.unlabelled.X.rows)) {
    throw new EmovoxError('E_USAGE', `the domains given to fitClassifier do not match its rows (${domains.ofRows.length} domains for ${rows} rows${bad !== undefined ? `, domain ${bad} outside 0 … ${domains.count - 1}` : ''})`);
  }
  return domains;
}

async function trainInThisThread(tasks: MemberTask[], onEpoch: (m: number) => (r: EpochRecord) => void): Promise<MemberReply[]> {
  const replies: MemberReply[] = [];
  for (const [m, task] of tasks.entries()) replies.push(await trainMember(task, onEpoch(m)));
  return replies;
}

/**
 * The members on worker threads (tinypool), as many at once as there are threads; each
 * thread loads tfjs once. A member's epochs come back through a MessagePort as they end.
 */
async function trainInPool(tasks: MemberTask[], threads: number, onEpoch: (m: number) => (r: EpochRecord) => void): Promise<MemberReply[]> {
  const pool = new Tinypool({ filename: workerUrl(), minThreads: threads, maxThreads: threads });
  try {
    return await Promise.all(
      tasks.map(async (task, m) => {
        const { port1, port2 } = new MessageChannel();
        // The worker ends its records with `null`; the port keeps them in order.
        const drained = new Promise<void>((resolve) => {
          port1.on('message', (r: EpochRecord | null) => (r ? onEpoch(m)(r) : resolve()));
        });
        try {
          // The rows are copies made for this member (takeRows): moved, not copied again.
          const reply = (await pool.run({ ...task, progress: port2 }, { transferList: [port2, task.X.data.buffer as ArrayBuffer, task.Xval.data.buffer as ArrayBuffer] })) as MemberReply;
          await drained;
          return reply;
        } finally {
          port1.close();
        }
      }),
    );
  } finally {
    await pool.destroy();
  }
}

/** The worker module next to this one: built, train-worker.js; from source, a shim that loads train-worker.ts through tsx. */
function workerUrl(): string {
  return new URL(import.meta.url.endsWith('.ts') ? './train-worker-from-source.mjs' : './train-worker.js', import.meta.url).href;
}
