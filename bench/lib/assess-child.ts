/**
 * One mcp-risk run over a list of server folders, in a fresh Node process, for benchmarks that time whole
 * processes (as they time Bandit): `node build/bench/lib/assess-child.js <mode> <list.json> <out.json>`.
 *
 *   single     assess() on each folder in turn, on the main thread
 *   pipelined  assessMany(): the next folders are parsed on a parse thread while one is analysed
 *   workers:N  N worker threads taking folders from a shared counter (bench/lib/assess-pool.ts)
 *
 * list.json: { dirs: string[], noRisk?: boolean, warmPass?: boolean }. With warmPass (single mode), a second
 * pass over the same folders is timed too: the throughput once the JIT has compiled the hot code.
 * out.json: per folder the findings the benchmark scores, the files and lines analysed, the warnings that
 * matter to it; stage times (single mode); the warm pass time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { assess, assessMany, type AssessOptions } from '../../src/assess.js';
import type { Assessment } from '../../src/model.js';
import { assessInWorkers, type PooledResult } from './assess-pool.js';

export interface ChildFinding {
  cwe: number;
  file: string;
  line: number;
  severity: string;
  ruleId: string;
  message: string;
}

export interface ChildTarget {
  files: number;
  lines: number;
  findings: ChildFinding[];
  /** Warnings saying a language had no front-end. */
  noFrontEnd: number;
  error?: string;
}

export interface ChildOutput {
  mode: string;
  targets: ChildTarget[];
  /** Time inside the process from the first target to the last result, ms. */
  ms: number;
  stages?: { parseMs: number; analysisMs: number };
  warmMs?: number;
}

function summary(a: Assessment): ChildTarget {
  return {
    files: a.stats.files,
    lines: a.stats.lines,
    findings: a.findings.map((f) => ({ cwe: f.cwe, file: f.location.file, line: f.location.line, severity: f.severity, ruleId: f.ruleId, message: f.message })),
    noFrontEnd: a.warnings.filter((w) => /no front-end for/.test(w.message)).length,
  };
}

function failed(e: unknown): ChildTarget {
  return { files: 0, lines: 0, findings: [], noFrontEnd: 0, error: e instanceof Error ? e.message : String(e) };
}

async function main(): Promise<void> {
  const [mode = '', listFile = '', outFile = ''] = process.argv.slice(2);
  const list = JSON.parse(readFileSync(listFile, 'utf8')) as { dirs: string[]; noRisk?: boolean; warmPass?: boolean };
  const options: AssessOptions = list.noRisk ? { noRisk: true } : {};
  const targets: ChildTarget[] = new Array(list.dirs.length);
  const out: ChildOutput = { mode, targets, ms: 0 };
  const t0 = performance.now();
  if (mode === 'single') {
    const stages = { parseMs: 0, analysisMs: 0 };
    const onStats = (s: { parseMs: number; analysisMs: number }): void => {
      stages.parseMs += s.parseMs;
      stages.analysisMs += s.analysisMs;
    };
    for (let i = 0; i < list.dirs.length; i++) {
      try {
        targets[i] = summary(await assess(list.dirs[i]!, { ...options, onStats }));
      } catch (e) {
        targets[i] = failed(e);
      }
    }
    out.ms = performance.now() - t0;
    out.stages = stages;
    if (list.warmPass) {
      const w0 = performance.now();
      for (const d of list.dirs) await assess(d, options).catch(() => undefined);
      out.warmMs = performance.now() - w0;
    }
  } else if (mode === 'pipelined') {
    await assessMany(list.dirs, options, (i, r) => {
      targets[i] = r instanceof Error ? failed(r) : summary(r);
    });
    out.ms = performance.now() - t0;
  } else if (/^workers:\d+$/.test(mode)) {
    const { results } = await assessInWorkers(list.dirs, options, Number(mode.slice(8)));
    results.forEach((r: PooledResult, i) => {
      targets[i] = r.error ? failed(new Error(r.error)) : { files: r.files, lines: r.lines, findings: r.findings, noFrontEnd: r.noFrontEnd };
    });
    out.ms = performance.now() - t0;
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  writeFileSync(outFile, JSON.stringify(out));
}

main().catch((e: unknown) => {
  process.stderr.write(`assess-child: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
