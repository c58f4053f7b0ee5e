/**
 * Run `task` over every item with at most `concurrency` in flight, keeping result order.
 * Tasks are expected to turn their own failures into values; a throw still rejects.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  const workers = Array.from({length: Math.min(Math.max(1, concurrency), items.length)}, worker);
  await Promise.all(workers);
  return results;
}
