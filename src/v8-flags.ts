/**
 * V8 options for mcp-risk's own processes (the command line and the landscape workers), not for a program that
 * imports the library.
 *
 * TurboFan's budget for inlining: mcp-risk's hot code is a few large interpreter functions (the taint engine's
 * `libCall`, `ev`, the surface extractors), and with V8's default cumulative budget (920 bytes of bytecode)
 * compiling them costs more than the inlining gains on runs of seconds to minutes: on the Bandit benchmark's 50k-line
 * corpus TurboFan spent about 3 s of CPU (on helper threads) in a 2 s run. With 300, measured on a 2-core machine:
 * 50k lines 1.73–1.98 s against 1.92–2.21 s, 500k lines 8.57–8.70 s against 8.90–8.91 s, 0.5–1.3 s less CPU, and
 * byte-identical reports. A budget the user sets on node's command line is kept.
 */
import { setFlagsFromString } from 'node:v8';

export const V8_FLAGS: readonly string[] = ['--max-inlined-bytecode-size-cumulative=300'];

/** An option's name without its value, in V8's dash spelling (`--a_b=1` → `--a-b`). */
const optionName = (a: string): string => a.replace(/=.*$/, '').replace(/_/g, '-');

/** The flags of V8_FLAGS whose option the process was not already started with. */
export function flagsToSet(execArgv: readonly string[] = process.execArgv): string[] {
  const given = new Set(execArgv.map(optionName));
  return V8_FLAGS.filter((f) => !given.has(optionName(f)));
}

/**
 * The V8 options of a child process of ours (`fork`'s execArgv replaces the parent's): the user's own settings of the
 * options V8_FLAGS sets, else ours.
 */
export function childV8Flags(execArgv: readonly string[] = process.execArgv): string[] {
  const names = new Set(V8_FLAGS.map(optionName));
  const own = execArgv.filter((a) => names.has(optionName(a)));
  return [...own, ...flagsToSet(execArgv)];
}

/** Set them, in a process that has not run hot code yet (flags read when a function is optimised). */
export function tuneV8(): void {
  for (const f of flagsToSet()) setFlagsFromString(f);
}
