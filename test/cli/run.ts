/** Helpers for tests that run the command line as a child process (test/cli, test/hostile). */
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { fromRoot, repoRoot } from '../helpers.js';

/** The built command line. */
export const CLI = fromRoot('build', 'src', 'cli.js');

export interface CliResult {
  /** Exit code (`null` when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time, ms. */
  ms: number;
}

export interface CliOptions {
  cwd?: string;
  /** Extra environment variables (`undefined` removes one). */
  env?: Record<string, string | undefined>;
  /** Kill the child after this many ms (default 120 s). */
  timeoutMs?: number;
}

/**
 * Run `node build/src/cli.js <args>` without a TTY. The environment is the test's minus the
 * variables that change the output (NO_COLOR, FORCE_COLOR, MCP_RISK_DEBUG), plus `opts.env`.
 */
export function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.MCP_RISK_DEBUG;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 120_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - t0,
      });
    });
  });
}

/** A JavaScript stack frame (`    at f (file.js:1:2)`) or a Node crash banner. */
const STACK = /^\s*at\s.*:\d+:\d+\)?\s*$|^\S*Error(?: \[\w+\])?: |node:internal|Node\.js v\d+/m;

/** stderr holds no stack trace and no "internal error" (exit code 3) message. */
export function assertNoCrashOutput(r: CliResult, what: string): void {
  assert.equal(r.signal, null, `${what}: killed by ${r.signal}`);
  assert.doesNotMatch(r.stderr, STACK, `${what}: stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error/, `${what}: internal error:\n${r.stderr}`);
  assert.notEqual(r.code, 3, `${what}: exit code 3 (internal error):\n${r.stderr}`);
}
