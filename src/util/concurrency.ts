/**
 * Runs `fn` over `items` with at most `limit` calls in flight and yields each result as
 * it settles (completion order, with its index). A rejection of `fn` ends the iteration
 * with that error; callers that want per-item errors return them as values.
 */
export async function* mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): AsyncGenerator<{ index: number; value: R }> {
  const running = new Map<number, Promise<{ index: number; value: R }>>();
  let next = 0;
  const start = (): void => {
    const index = next++;
    const settled = fn(items[index], index).then((value) => ({ index, value }));
    settled.catch(() => {}); // raced below; once one rejects, the others must not surface as unhandled
    running.set(index, settled);
  };
  while (next < items.length && running.size < limit) start();
  while (running.size > 0) {
    const settled = await Promise.race(running.values());
    running.delete(settled.index);
    if (next < items.length) start();
    yield settled;
  }
}

/** mapConcurrent, collected in input order. */
export async function mapInOrder<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  for await (const { index, value } of mapConcurrent(items, Math.max(1, limit), fn)) out[index] = value;
  return out;
}
