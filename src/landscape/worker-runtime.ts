/**
 * The child side of the worker pool (pool.ts): a forked Node process that runs one job at a time and
 * answers over the IPC channel. It exits when the parent goes away (IPC disconnect), so a run killed
 * with SIGKILL leaves no worker behind for long.
 */

export type ParentMessage<P> = { type: 'job'; key: number; payload: P };

export type WorkerMessage<R> =
  | { type: 'result'; key: number; value: R; rssMb: number; maxRssMb: number }
  | { type: 'error'; key: number; message: string; rssMb: number; maxRssMb: number };

function memory(): { rssMb: number; maxRssMb: number } {
  return {
    rssMb: Math.round((process.memoryUsage().rss / 1048576) * 10) / 10,
    // resourceUsage().maxRSS is in KiB
    maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
  };
}

/** Serve jobs with `handler` until the parent disconnects. Call once, from the worker script. */
export function serveJobs<P, R>(handler: (payload: P) => Promise<R>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this script is a landscape worker: start it with child_process.fork');
  process.on('disconnect', () => process.exit(0));
  let chain: Promise<void> = Promise.resolve();
  process.on('message', (m: ParentMessage<P>) => {
    if (!m || m.type !== 'job') return;
    chain = chain.then(async () => {
      let msg: WorkerMessage<R>;
      try {
        const value = await handler(m.payload);
        msg = { type: 'result', key: m.key, value, ...memory() };
      } catch (e) {
        msg = { type: 'error', key: m.key, message: e instanceof Error ? e.message : String(e), ...memory() };
      }
      await new Promise<void>((resolve) => {
        try {
          send(msg, undefined, {}, (err) => {
            if (err) process.exit(0); // the parent is gone
            resolve();
          });
        } catch {
          process.exit(0);
        }
      });
    });
  });
}
