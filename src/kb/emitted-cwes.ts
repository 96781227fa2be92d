/**
 * The CWEs the analysis rules can emit. Kept here so the knowledge base sanity test can check that each one
 * maps to at least one CAPEC (directly, through its ChildOf ancestors, or by a marked overlay link).
 * The lead keeps this list in sync with the rules.
 */
export const EMITTED_CWES: readonly number[] = Object.freeze([
  78, 88, 22, 59, 918, 94, 95, 89, 943, 1321, 502, 1336, 601, 798, 295, 306, 350, 942, 327, 328, 330, 532, 400, 770,
  611, 377, 1426, 1427, 451, 1007, 200, 522, 829, 1357,
]);
