/**
 * Landscape: many servers assessed in one run (see docs/landscape.md).
 *
 *   input.ts      what to assess (text list, registry server.json / list API / seed)
 *   pool.ts       forked workers with time and memory budgets; worker.ts runs one server
 *   store.ts      SQLite (WAL), one transaction per server, resumable, exactly once
 *   stats.ts      statistics (pure)     export.ts  CSV/JSON tables, per-server reports
 *   dashboard.ts  HTML dashboard (svg.ts charts)   compare.ts  two runs side by side
 *   run.ts        the orchestration     cli.ts     `landscape` and `landscape compare`
 */
export type * from './types.js';
export { parseLandscapeInput, parseTargetList, parseRegistryJson, readLandscapeInput, describeTarget, repositoryGitTarget, compareVersions } from './input.js';
export { rowsFromAssessment, primaryLanguage, MAX_WARNINGS } from './extract.js';
export { WorkerPool, type PoolOptions, type PoolOutcome, type PoolStats, type PoolJob } from './pool.js';
export { serveJobs } from './worker-runtime.js';
export { LandscapeStore, STORE_FILE } from './store.js';
export { computeStats, computePerformance, summarize, rHistogram, contextualHistogram, isScored, type LandscapeStats, type PerformanceStats } from './stats.js';
export { buildTables, toCsv, csvCell, writeOutputs, htmlServerReport, type ServerReportRenderer, type Table } from './export.js';
export { renderDashboard } from './dashboard.js';
export { compareLandscapes, formatComparison, loadLandscape, diffFindings, type Comparison } from './compare.js';
export { runLandscape, outcomeOf, type LandscapeOptions, type LandscapeRunResult } from './run.js';
export { registerLandscapeCommands, runSummaryText } from './cli.js';
