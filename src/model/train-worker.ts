import { trainMember, type MemberReply, type MemberTask } from './member-task.js';

/**
 * One ensemble member trained in a worker thread of `fitClassifier`'s pool. Each epoch's
 * record goes back through the task's port, then `null` once the member is done.
 */
export default async function trainInWorker(task: MemberTask): Promise<MemberReply> {
  try {
    return await trainMember(task, (r) => task.progress?.postMessage(r));
  } finally {
    task.progress?.postMessage(null);
    task.progress?.close();
  }
}
