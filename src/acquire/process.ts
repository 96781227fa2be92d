/**
 * Running external programs (npm, git): argument arrays only, never a shell;
 * a hard timeout; bounded output capture.
 */
import { spawn } from 'node:child_process';
import { UserError } from './types.js';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Largest stdout kept, bytes (default 32 MiB); stderr keeps its last 64 KiB. */
  maxStdoutBytes?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const STDERR_TAIL = 64 * 1024;
const KILL_GRACE_MS = 5_000;

/** Run `command args…` and collect its output. Rejects only when the program cannot be started. */
export function runProcess(command: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const maxStdout = opts.maxStdoutBytes ?? 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = Buffer.alloc(0);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    }, opts.timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes >= maxStdout) return;
      out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = Buffer.concat([err, chunk]);
      if (err.length > STDERR_TAIL) err = err.subarray(err.length - STDERR_TAIL);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: err.toString('utf8'),
        timedOut,
      });
    });
  });
}

/** Turn "could not start" errors into a user-facing message. */
export function startError(program: string, err: unknown): UserError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UserError(`${program} is not installed or not on PATH`, 'tool-missing');
  const message = err instanceof Error ? err.message : String(err);
  return new UserError(`could not run ${program}: ${message}`, 'tool-failed');
}

/** Last few non-empty lines of a program's stderr, for error messages. */
export function stderrSummary(stderr: string, lines = 5): string {
  const kept = stderr
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  return kept.slice(-lines).join('\n');
}
