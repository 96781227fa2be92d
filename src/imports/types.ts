/**
 * What the format readers (sarif.ts, bandit.ts) hand to the import stage (index.ts): results as the
 * other analyzer wrote them, paths not yet resolved against the scanned tree.
 */
import type { Confidence, Severity } from '../model.js';

/** A place as the other tool wrote it. `path` is a decoded path (absolute or relative), not a URI. */
export interface RawPlace {
  path: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  snippet?: string;
}

export interface RawStep {
  place: RawPlace;
  label: string;
}

export interface RawResult {
  /** The analyzer's name as it writes it (`CodeQL`, `Semgrep OSS`, `Bandit`). */
  tool: string;
  ruleId: string;
  title: string;
  message: string;
  fix?: string;
  severity: Severity;
  confidence: Confidence;
  /** CWEs the result or its rule names, in the tool's order (may be empty). */
  cwes: number[];
  /** Where `cwes` came from, e.g. `the rule's tags`, `issue_cwe`. */
  cweFrom?: string;
  /** Primary location; absent when the tool gives none. */
  place?: RawPlace;
  /** A data-flow path (SARIF codeFlows), source first. */
  trace?: RawStep[];
}

export interface RawNotice {
  code: string;
  message: string;
}

/** One import file read: its results and what was skipped. */
export interface ParsedImport {
  results: RawResult[];
  /** Problems the tool itself reported (e.g. Bandit `errors`, SARIF error notifications). */
  notices: RawNotice[];
  /** Results left out on purpose: suppressed in source (`# nosec` shows up as absent; SARIF `suppressions`), baseline `absent`, kind `pass`/`notApplicable`/`informational`. */
  skipped: number;
}

/** The file is not what it claims to be (not SARIF 2.1.0 / not Bandit JSON). */
export class ImportFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

// ---------------------------------------------------------------------------------------------
// Reading untyped JSON safely

export type Json = Record<string, unknown>;

export function asObj(x: unknown): Json | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : undefined;
}

export function asArr(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

export function asStr(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}

/** A positive integer, or undefined. */
export function asPosInt(x: unknown): number | undefined {
  // SARIF's line and column numbers are 32-bit integers: `1e300` would be written as `1e+300`, which no reader takes
  return typeof x === 'number' && x >= 1 && x <= MAX_INT32 ? Math.floor(x) : undefined;
}

const MAX_INT32 = 2 ** 31 - 1;

/** CWE number from `78`, `"78"`, `"CWE-78"`, `"CWE-078: …"`, `"external/cwe/cwe-078"`; undefined otherwise. */
export function cweOf(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isInteger(x) && x > 0 && x < 100000 ? x : undefined;
  if (typeof x !== 'string') return undefined;
  const m = /^\s*(?:external\/cwe\/)?(?:cwe[-_ ]?)?0*(\d{1,5})(?![\d])/i.exec(x);
  if (!m) return undefined;
  // bare digits only when the whole string is digits; otherwise the CWE prefix is required
  if (!/cwe/i.test(x) && !/^\s*\d{1,5}\s*$/.test(x)) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}
