/** Library entry: `assess(target, options)` and the typed results. */
export { assess, assessAcquired, type AssessOptions } from './assess.js';
export type * from './model.js';
export { render, toJson, toSarif, toTerminal } from './report/index.js';
export { UserError } from './acquire/types.js';
