/**
 * Rule metadata and finding construction for the ecosystem checks that are not metadata rules
 * (registry / supply chain, host configurations, cross-server, pins). Same shape as src/analysis/rules:
 * each rule is data (id, CWE, title, severity, description, fix) and `makeFinding` builds its findings.
 */
import { sha256Hex } from '../analysis/findings.js';
import type { Confidence, Finding, Location, PrimitiveRef, RuleMeta, Severity } from '../model.js';
import { redactSecrets } from '../analysis/rules/secrets.js';

export type EcoRule = RuleMeta;

export interface MakeOptions {
  severity?: Severity;
  confidence?: Confidence;
  snippet?: string;
  tags?: string[];
  notes?: string[];
  primitive?: PrimitiveRef;
  /** Extra text for the id (distinguishes findings of one rule at one place). */
  key?: string;
}

export function ecoFindingId(ruleId: string, location: Location, key: string): string {
  return sha256Hex(`${ruleId}|${location.file}:${location.line}:${location.column}|${key}`).slice(0, 16);
}

export function makeFinding(rule: EcoRule, location: Location, message: string, o: MakeOptions = {}): Finding {
  const f: Finding = {
    id: ecoFindingId(rule.id, location, o.key ?? message),
    ruleId: rule.id,
    title: rule.title,
    cwe: rule.cwe,
    severity: o.severity ?? rule.severity,
    confidence: o.confidence ?? 'high',
    message: redactSecrets(message),
    fix: rule.fix,
    location,
    snippet: redactSecrets(o.snippet ?? ''),
    primitive: o.primitive ?? { kind: 'protocol' },
    tags: o.tags ?? [],
  };
  if (o.notes?.length) f.notes = o.notes.map(redactSecrets);
  return f;
}

/** 1-based line of the first occurrence of `needle` in `text` (1 when absent). */
export function lineOf(text: string, needle: string | RegExp): number {
  const i = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  if (i < 0) return 1;
  let n = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}
