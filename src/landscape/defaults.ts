/** Landscape defaults, apart from run.ts so that the command line can show them without loading the runner. */
import os from 'node:os';

export const DEFAULT_TIMEOUT_SEC = 300;
export const DEFAULT_MAX_MEMORY_MB = 2048;

export function defaultJobs(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}
