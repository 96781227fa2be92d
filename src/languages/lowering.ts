/**
 * What the front-ends (typescript/lower.ts, python/lower.ts) share: spans, named children without the nodes a
 * language drops, the tables a lowering fills, the nesting limit and the `other` expression.
 */
import type { Expr, ImportBinding, IRClass, IRFunction, Span } from './ir.js';
import { NativeNode } from './native.js';
import type { SyntaxNode } from './parser.js';

/** Nesting deeper than this is cut (recorded as a problem, never a stack overflow). */
export const MAX_DEPTH = 600;

export function span(n: SyntaxNode): Span {
  if (n instanceof NativeNode) return n.span(); // no Point objects
  const s = n.startPosition;
  const e = n.endPosition;
  return { line: s.row + 1, col: s.column + 1, endLine: e.row + 1, endCol: e.column + 1 };
}

const NONE: readonly SyntaxNode[] = [];

/**
 * Named children without the node types in `drop` (comments, line continuations). When there is nothing to drop
 * the parser's own list is returned: shared and read-only, never change it.
 */
export function namedWithout(n: SyntaxNode | null | undefined, drop: ReadonlySet<string>): readonly SyntaxNode[] {
  if (!n) return NONE;
  const kids = n.namedChildren;
  let clean = true;
  for (let i = 0; i < kids.length && clean; i++) {
    const c = kids[i];
    if (!c || drop.has(c.type)) clean = false;
  }
  if (clean) return kids as readonly SyntaxNode[];
  const out: SyntaxNode[] = [];
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (c && !drop.has(c.type)) out.push(c);
  }
  return out;
}

/** The state every lowering keeps and the expression entry with its nesting guard. */
export abstract class LowererBase {
  readonly functions: IRFunction[] = [];
  readonly classes: IRClass[] = [];
  readonly imports: ImportBinding[] = [];
  readonly problems: string[] = [];
  protected depth = 0;
  private depthReported = false;
  /** Index of the function being lowered. */
  protected cur = 0;

  /** Past the nesting limit (reported once per file). */
  protected tooDeep(n: SyntaxNode): boolean {
    if (this.depth > MAX_DEPTH) {
      this.reportTooDeep(n);
      return true;
    }
    return false;
  }

  private reportTooDeep(n: SyntaxNode): void {
    if (this.depthReported) return;
    this.depthReported = true;
    this.problems.push(`nesting deeper than ${MAX_DEPTH} levels at line ${n.startPosition.row + 1}: the rest of that expression is not analysed`);
  }

  /**
   * The links of a chain the IR nests one inside the other (Python's `elif`s, `except` clauses) that fit under the
   * nesting limit, link i lowered at depth + i + 1: a flat list of 6,000 `elif`s is 6,000 levels deep once lowered.
   */
  protected chainLinks<T extends SyntaxNode>(links: readonly T[]): readonly T[] {
    const room = Math.max(0, MAX_DEPTH - this.depth);
    if (links.length <= room) return links;
    this.reportTooDeep(links[room]!);
    return links.slice(0, room);
  }

  /** `f()` lowered `levels` deeper than now (a link of a chain: see chainLinks). */
  protected deeper<R>(levels: number, f: () => R): R {
    this.depth += levels;
    try {
      return f();
    } finally {
      this.depth -= levels;
    }
  }

  protected other(n: SyntaxNode, what: string, children: Expr[]): Expr {
    return { k: 'other', loc: span(n), what, children };
  }

  expr(n: SyntaxNode): Expr {
    if (this.tooDeep(n)) return this.other(n, 'depth-limit', []);
    this.depth++;
    try {
      return this.exprInner(n);
    } finally {
      this.depth--;
    }
  }

  protected abstract exprInner(n: SyntaxNode): Expr;
}
