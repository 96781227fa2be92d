/**
 * `mcp-risk landscape <input> --out DIR …` and `mcp-risk landscape compare A B`.
 * Exit codes: 0 the run ended (failures of single servers are results, not errors), 2 usage/input error,
 * 3 internal error, 130 interrupted (resume with --resume).
 */
import { writeOutputFile } from '../output-file.js';
import path from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from '../acquire/types.js';
import { DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_SEC, defaultJobs } from './defaults.js';
import type { LandscapeRunResult } from './run.js';
// the runner (worker pool, SQLite) and the comparison are loaded by their commands only

function positive(name: string, v: unknown, integer = true): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UserError(`${name} needs a positive ${integer ? 'whole ' : ''}number, not "${String(v)}"`);
  return n;
}

/** Short report of a finished run (stdout). */
export function runSummaryText(r: LandscapeRunResult): string {
  const lines: string[] = [];
  for (const n of r.notes) lines.push(`note: ${n}`);
  if (r.interrupted) {
    lines.push(`Interrupted: ${r.doneBefore + r.processed}/${r.planned} servers done. Continue with: mcp-risk landscape --resume --out ${r.outDir}`);
    return `${lines.join('\n')}\n`;
  }
  const s = r.stats;
  if (!s) return `${lines.join('\n')}\n`;
  const t = s.totals;
  lines.push(
    `${t.planned} servers: ${t.scored} assessed with source code, ${t.noSource} without source files, ${t.failed} failed, ${t.skipped} not analysable` +
      ` (${r.processed} this session, ${(r.wallMs / 1000).toFixed(1)} s${r.processed ? `, ${((r.processed / r.wallMs) * 60000).toFixed(1)} servers/min` : ''})`,
  );
  lines.push(`${t.findings} findings in ${t.withFindings} servers; ${t.lines.toLocaleString('en-US')} lines analysed`);
  if (s.cwe.length) {
    lines.push(`Top CWEs by servers affected: ${s.cwe.slice(0, 5).map((c) => `CWE-${c.cwe} ${c.servers} (${Math.round(c.share * 100)}%)`).join(', ')}`);
  }
  if (s.ranking.length) {
    lines.push(`Worst: ${s.ranking.slice(0, 3).map((x) => `${x.label} (R ${x.rOverall}, ${x.contextual})`).join(', ')}`);
  }
  if (s.failures.length) lines.push(`Failures: ${s.failures.map((f) => `${f.code} ${f.servers}`).join(', ')}`);
  lines.push(`Dashboard: ${path.join(r.outDir, 'index.html')}`);
  return `${lines.join('\n')}\n`;
}

export function registerLandscapeCommands(program: Command): void {
  const landscape = program
    .command('landscape')
    .description('assess many servers (a list, a registry server.json, list API answer or seed) into an output folder: SQLite store, CSV/JSON tables, HTML dashboard')
    .argument('[input]', 'text file of targets (one per line), registry server.json, `{"servers": […]}` list, or seed array')
    .option('--out <dir>', 'output folder (required): landscape.sqlite, index.html, tables/, servers/')
    .option('-j, --jobs <n>', `workers at once (default: CPUs, here ${defaultJobs()})`)
    .option('--resume', 'continue the run in --out (or rewrite its outputs when it is complete)')
    .option('--timeout <seconds>', `time budget per server (default ${DEFAULT_TIMEOUT_SEC})`)
    .option('--max-memory <MB>', `heap budget per worker (default ${DEFAULT_MAX_MEMORY_MB})`)
    .option('--cache-dir <dir>', 'where downloaded packages and clones are kept (shared by the workers)')
    .option('--jobs-per-worker <n>', 'servers a worker process assesses before it is replaced (default 25; 1 = a fresh process each)')
    .addOption(new Option('--aggregation <rule>', "mcp-in-sos: how R is taken over a CWE's CAPECs").choices(['max', 'mean']))
    .addOption(new Option('--progress <mode>', 'progress display (default: a bar on a terminal, lines otherwise)').choices(['bar', 'lines', 'none']))
    .action(async (input: string | undefined, o: Record<string, unknown>) => {
      if (typeof o.out !== 'string' || o.out.trim() === '') throw new UserError('landscape needs --out <dir>');
      if (!input && !o.resume) throw new UserError('landscape needs an input file (or --resume with --out)');
      const { runLandscape } = await import('./run.js');
      const r = await runLandscape({
        input,
        out: o.out,
        jobs: positive('--jobs', o.jobs),
        resume: o.resume === true,
        timeoutSec: positive('--timeout', o.timeout, false),
        maxMemoryMb: positive('--max-memory', o.maxMemory),
        cacheDir: o.cacheDir as string | undefined,
        jobsPerWorker: positive('--jobs-per-worker', o.jobsPerWorker),
        aggregation: o.aggregation as 'max' | 'mean' | undefined,
        progress: (o.progress as 'bar' | 'lines' | 'none' | undefined) ?? 'auto',
      });
      process.stdout.write(runSummaryText(r));
      process.exitCode = r.interrupted ? 130 : 0;
    });

  landscape
    .command('compare')
    .description('what changed between two landscape runs: new and fixed findings per server')
    .argument('<a>', 'the earlier run (an output folder or its landscape.sqlite)')
    .argument('<b>', 'the later run')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (a: string, b: string, o: Record<string, unknown>) => {
      const { compareLandscapes, formatComparison, loadLandscape } = await import('./compare.js');
      const c = compareLandscapes(loadLandscape(a), loadLandscape(b), [a, b]);
      const text = o.format === 'json' ? `${JSON.stringify(c, null, 2)}\n` : formatComparison(c);
      if (typeof o.output === 'string') await writeOutputFile(o.output, text);
      else process.stdout.write(text);
    });
}
