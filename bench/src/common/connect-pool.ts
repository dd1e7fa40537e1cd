/** Runs `open` `count` times with at most `parallel` in flight: a connection ramp, not a stampede. */
export async function connectAll(
  count: number,
  parallel: number,
  open: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const index = next++;
      await open(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
}
