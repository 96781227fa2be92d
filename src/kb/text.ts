/** Small text helpers shared by the CWE and CAPEC parsers (pure). */
import type { Level } from './types.js';

export const LEVELS: readonly Level[] = ['Very Low', 'Low', 'Medium', 'High', 'Very High'];

/** MITRE's ordinal levels on the 1..5 scale used by both risk models. */
export const LEVEL_VALUE: Readonly<Record<Level, number>> = {
  'Very Low': 1,
  Low: 2,
  Medium: 3,
  High: 4,
  'Very High': 5,
};

/** A MITRE level string (any case / spacing) → Level, or null (missing, `Unknown`, …). */
export function toLevel(v: unknown): Level | null {
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(/[_\s]+/g, ' ').toLowerCase();
  for (const l of LEVELS) if (l.toLowerCase() === s) return l;
  return null;
}

export function levelName(value: number): Level | undefined {
  return LEVELS[value - 1];
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Decode the entities the XML parser leaves (numeric and a few named). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return NAMED[e.toLowerCase()] ?? m;
  });
}

/** Strip markup (xhtml:p etc. embedded in STIX strings), decode entities, collapse whitespace. */
export function clean(s: string): string {
  return decodeEntities(s.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Shorten prose deterministically: keep it whole if ≤ max; else cut at the last sentence end
 * before max (if that keeps at least half), else at the last space, and add "…".
 */
export function shorten(s: string, max: number): string {
  const t = clean(s);
  if (t.length <= max) return t;
  const head = t.slice(0, max);
  const dot = head.lastIndexOf('. ');
  if (dot >= max / 2) return head.slice(0, dot + 1);
  const sp = head.lastIndexOf(' ');
  return (sp > 0 ? head.slice(0, sp) : head).replace(/[\s,;:]+$/, '') + '…';
}

/**
 * Text content of a node from fast-xml-parser (string, number, object with #text and children, or array).
 * Child elements (e.g. xhtml:p) are visited in key order; their text is joined with spaces.
 */
export function textOf(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (Array.isArray(node)) return node.map(textOf).join(' ');
  if (typeof node === 'object') {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k.startsWith('@_')) continue;
      parts.push(textOf(v));
    }
    return parts.join(' ');
  }
  return '';
}

/** Always an array (fast-xml-parser gives a single child as an object). */
export function arr<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

export function sortNum(a: number, b: number): number {
  return a - b;
}

export function uniqSorted(xs: Iterable<number>): number[] {
  return [...new Set(xs)].sort(sortNum);
}

/** Parse `CWE-78`, `cwe78`, `78` → 78; `CAPEC-88` with prefix 'CAPEC'. */
export function parseId(v: unknown, prefix?: string): number | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v !== 'string') return null;
  const re = prefix ? new RegExp(`^\\s*(?:${prefix}[-_ ]?)?(\\d+)\\s*$`, 'i') : /^\s*(\d+)\s*$/;
  const m = re.exec(v);
  return m ? Number(m[1]) : null;
}
