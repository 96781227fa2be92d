/**
 * Knowledge base: MITRE CWE + CAPEC, generated into data/kb/kb.json (see docs/risk-models.md).
 */
export type * from './types.js';
export { loadKb, clearKbCache, getCwe, getCapec, kbVersions, cwesLinkingTo, packagedKbDir, packagedKbPath } from './load.js';
export { kbBuild, kbShow, formatCwe, formatCapec, type KbBuildOptions, type KbBuildResult } from './commands.js';
export { buildKb, serializeKb, contentHash, sha256, type BuildInput, type InputFile } from './build.js';
export { FILL_RULES, DEFAULTS, describeFilled, nearestAncestor } from './fill.js';
export { LEVEL_VALUE, toLevel, levelName } from './text.js';
export { EMITTED_CWES } from './emitted-cwes.js';
