/** Library entry: `assess(target, options)`, `assessMany(targets, options, each)` and the typed results. */
export { assess, assessAcquired, assessMany, type AssessOptions } from './assess.js';
export type * from './model.js';
export { render, toJson, toSarif, toTerminal } from './report/index.js';
export { toHtml } from './report/html.js';
export { toMarkdown } from './report/markdown.js';
export { scoreAssessment, rankServers, explainFinding } from './risk/index.js';
export { UserError } from './acquire/types.js';
