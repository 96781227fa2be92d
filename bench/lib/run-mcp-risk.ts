/**
 * Child process of `bench/speed.ts`: runs mcp-risk (`assessAcquired`: parse + lower + surface + taint +
 * rules) over every package of the manifest, one package at a time, and reports on fd 3.
 *
 *   node build/bench/lib/run-mcp-risk.js --manifest FILE [--from N]
 */
import { readFileSync } from 'node:fs';
import { assessAcquired } from '../../src/assess.js';
import { VERSION } from '../../src/version.js';
import { childArgs, cpuMsSince, maxRssBytes, report, type Manifest } from './speed-protocol.js';

const { manifest: manifestFile, from } = childArgs(process.argv.slice(2));
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;

// Warm-up: loads the WebAssembly grammars (JS, TS, TSX), the models and JIT-compiles the hot paths once.
const w0 = performance.now();
await assessAcquired(manifest.warmup);
report({
  t: 'ready',
  warmupMs: performance.now() - w0,
  rss: process.memoryUsage().rss,
  maxRss: maxRssBytes(),
  versions: { 'mcp-risk': VERSION, node: process.version },
});

const loop0 = performance.now();
for (let i = from; i < manifest.packages.length; i++) {
  const pkg = manifest.packages[i];
  report({ t: 'start', i });
  let stats: { parseMs: number; analysisMs: number; files: number; bytes: number; lines: number } | undefined;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const a = await assessAcquired(pkg.acquired, { onStats: (s) => (stats = s) });
    const ms = performance.now() - t0;
    const cpuMs = cpuMsSince(c0);
    const codes: Record<string, number> = {};
    for (const w of a.warnings) codes[w.code] = (codes[w.code] ?? 0) + 1;
    const bySeverity: Record<string, number> = {};
    for (const f of a.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
    report({
      t: 'pkg',
      i,
      ms,
      cpuMs,
      findings: a.findings.length,
      extra: {
        parseMs: stats?.parseMs,
        analysisMs: stats?.analysisMs,
        files: stats?.files,
        lines: stats?.lines,
        functions: a.stats.functions,
        tools: a.surface.tools.length,
        partial: a.partial,
        warnings: codes,
        bySeverity,
      },
      rss: process.memoryUsage().rss,
      maxRss: maxRssBytes(),
    });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    report({ t: 'error', i, ms: performance.now() - t0, message: err.message, stack: err.stack, maxRss: maxRssBytes() });
  }
}
report({ t: 'end', maxRss: maxRssBytes(), loopMs: performance.now() - loop0 });
