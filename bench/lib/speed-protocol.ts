/**
 * What `bench/speed.ts` hands to its two measuring child processes and what they send back.
 *
 * The parent writes a manifest (JSON file) with the acquired packages; each child (one per tool) reads it,
 * warms up on small files, then measures every package in order and writes one JSON object per line to
 * file descriptor 3 (stdout/stderr stay free for whatever the tools print).
 */
import { writeSync } from 'node:fs';
import type { AcquiredTarget } from '../../src/acquire/index.js';

export interface ManifestPackage {
  spec: string;
  /** The acquired target, files restricted to JavaScript/TypeScript. Both tools get exactly `acquired.files`. */
  acquired: AcquiredTarget;
  /** Lines of those files (`text.split('\n').length` per non-empty file, as mcp-risk counts). */
  lines: number;
  bytes: number;
}

export interface Manifest {
  /** Common ancestor of every file (ESLint's cwd). */
  cacheDir: string;
  /** A small target used to warm both tools up before timing. */
  warmup: AcquiredTarget;
  packages: ManifestPackage[];
}

export type ChildMessage =
  | {
      t: 'ready';
      /** Time of the warm-up run, ms. */
      warmupMs: number;
      rss: number;
      maxRss: number;
      versions: Record<string, string>;
    }
  | { t: 'start'; i: number }
  | {
      t: 'pkg';
      i: number;
      ms: number;
      /** CPU time of the process (user + system, all threads) during the package, ms. */
      cpuMs: number;
      /** Findings the tool produced for the package. */
      findings: number;
      /** Tool-specific numbers (mcp-risk: parseMs, analysisMs, files, lines, partial…; ESLint: fatal, byRule…). */
      extra: Record<string, unknown>;
      /** process.memoryUsage().rss right after the package, bytes. */
      rss: number;
      /** process.resourceUsage().maxRSS so far, bytes. */
      maxRss: number;
    }
  | { t: 'error'; i: number; ms: number; message: string; stack?: string; maxRss: number }
  | { t: 'end'; maxRss: number; loopMs: number };

/** File descriptor the children report on. */
export const REPORT_FD = 3;

export function report(msg: ChildMessage): void {
  writeSync(REPORT_FD, JSON.stringify(msg) + '\n');
}

/** Peak resident set size of this process so far, bytes (`maxRSS` is in KiB). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** CPU time (user + system) since `start`, ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** `--manifest FILE --from N` of a child. */
export function childArgs(argv: string[]): { manifest: string; from: number } {
  let manifest: string | undefined;
  let from = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--manifest') manifest = argv[++i];
    else if (argv[i] === '--from') from = Number(argv[++i]);
  }
  if (!manifest) throw new Error('--manifest FILE is required');
  if (!Number.isInteger(from) || from < 0) throw new Error('--from needs a non-negative integer');
  return { manifest, from };
}
