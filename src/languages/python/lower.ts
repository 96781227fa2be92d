/**
 * Python front-end: tree-sitter-python syntax tree → IR (see ../ir.ts), the same IR as TypeScript.
 *
 * Mapping (what the taint engine sees):
 * - module top level = function 0; `def` / `async def` / `lambda` = functions (parameters with `*args` as
 *   `rest`, `**kwargs` as `kwrest`, defaults, type hints as text in `Param.type`; docstring in `doc`;
 *   decorators in `decorators`, never evaluated: `@mcp.tool() def f` binds `f` to the function itself).
 * - classes: methods (the first parameter, `self`, is kept; `@staticmethod` methods get no `cls`), class-level
 *   assignments as fields `this.x = …` (annotation-only fields `x: str` as `this.x = other('annotation')`).
 * - assignment to a name is `let` (python names are function-scoped), except names declared `global` /
 *   `nonlocal`, which are assignment expressions (they update the enclosing scope). Tuple targets are
 *   array patterns, attribute/subscript targets are `expr` patterns.
 * - `with a as b` → `let b = a` (the context manager's value stands for what `__enter__` returns: for
 *   `open(p) as f` the call stays a call); `assert c` → `if (not c) throw` (so asserts act as guards);
 *   `raise` → throw; `try/except/else/finally` → try (several `except` clauses: an `if` cascade in the handler;
 *   `else` runs after the body); `for/while … else` → loop then the `else` block; `match` → switch (literal
 *   and `|` patterns as cases, `_` and captures as default).
 * - calls keep keyword arguments (`Arg.name`); `*x` is a spread argument; `**x` is a spread argument named `**`.
 * - f-strings → `tpl`; `%` stays `bin '%'`; `.format()` stays a method call; adjacent strings are joined;
 *   bytes literals are lit kind `bytes`. `and`/`or` → `bin and/or`; `not` → `unary not`; comparisons keep the
 *   python operator (`==`, `is not`, `not in`, …), chained comparisons are `and` of the pairs.
 * - comprehensions and generator expressions are lowered the way CPython compiles them: a nested function
 *   (`<listcomp@L>`) whose parameter `.0` receives the first iterable (evaluated outside), with the `for`/`if`
 *   clauses as loops/ifs around `return [elem]` (`return {key: value}` for dict comprehensions); the
 *   expression is a call of that function. The engine runs it inline, so the element carries the taint of
 *   the loop variables and sinks inside the element expression are seen.
 * - imports: `import a.b` binds `a` (module `a`), `import a.b as c` binds `c` (module `a.b`), `from m import x as y`
 *   binds `y` (module `m` as written, relative ones with their dots: `.helpers`, `..pkg.mod`, `.`). Imports inside
 *   functions are recorded with the module's imports. No exports: the engine reads names from the module scope.
 * Never throws on bad input: syntax errors and nesting deeper than MAX_DEPTH become problems.
 */
import type { SyntaxNode } from '../parser.js';
import { LowererBase, namedWithout, span } from '../lowering.js';
import type { Arg, Decorator, Expr, IRClass, IRFunction, IRModule, ObjProp, Param, Pattern, Span, Stmt, SwitchCase } from '../ir.js';


type N = SyntaxNode;


const DROP = new Set(['comment', 'line_continuation']);

/** Named children without comments and line continuations (shared, read-only: never change it). */
function named(n: N | null | undefined): readonly N[] {
  return namedWithout(n, DROP);
}

function fields(n: N, name: string): N[] {
  return n.childrenForFieldName(name).filter((c): c is N => !!c && c.type !== 'comment');
}

// ------------------------------------------------------------------ strings
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/** Decode python escapes in a (non-raw) literal's text. Unknown escapes keep their backslash, as python does. */
export function decodePyEscapes(text: string, bytes: boolean): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(N\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|\r\n|[\s\S])/g, (all, esc: string) => {
    if (Object.hasOwn(SIMPLE_ESCAPES, esc)) return SIMPLE_ESCAPES[esc]!;
    if (esc === '\r\n' || esc === '\r') return '';
    const c = esc[0]!;
    if (c === 'x') return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (/[0-7]/.test(c)) return String.fromCharCode(parseInt(esc, 8) & (bytes ? 0xff : 0x1ff));
    if (!bytes && (c === 'u' || c === 'U')) {
      const cp = parseInt(esc.slice(1), 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    if (!bytes && c === 'N') return NAMED_CHARS[esc.slice(2, -1).toUpperCase()] ?? '\uFFFD';
    return all;
  });
}

const NAMED_CHARS: Record<string, string> = {
  SPACE: ' ',
  'NO-BREAK SPACE': '\u00a0',
  'EM DASH': '\u2014',
  'EN DASH': '\u2013',
  BULLET: '\u2022',
  'HORIZONTAL ELLIPSIS': '\u2026',
  'LINE FEED': '\n',
  NUL: '\0',
  'NULL': '\0',
};

interface StrInfo {
  raw: boolean;
  bytes: boolean;
  fmt: boolean;
}

function strPrefix(n: N): StrInfo {
  // the prefix letters before the quote of `string_start` (the string's first child): r, b, f, t, u in any case
  const first = n.children[0];
  const t = first && first.type === 'string_start' ? first.text : n.text.slice(0, 4);
  const info: StrInfo = { raw: false, bytes: false, fmt: false };
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i) | 0x20; // lower case
    if (c < 0x61 || c > 0x7a) break;
    if (c === 0x72) info.raw = true;
    else if (c === 0x62) info.bytes = true;
    else if (c === 0x66 || c === 0x74) info.fmt = true;
  }
  return info;
}

function numberValue(text: string): number {
  let t = text.replace(/_/g, '').replace(/[lL]$/, '');
  if (/[jJ]$/.test(t)) t = t.slice(0, -1);
  if (/^0[oO]/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0[0-7]+$/.test(t)) return parseInt(t, 8);
  const v = Number(t);
  return Number.isFinite(v) ? v : parseFloat(t) || 0;
}

const PLAIN_BASES = /^(?:str|int|float|bytes|bool|object|dict|list|tuple|set|frozenset|Exception|(?:typing\.)?(?:Generic|Protocol)(?:\[[\s\S]*\])?)$/;

const COMPREHENSIONS: Record<string, string> = {
  list_comprehension: 'listcomp',
  set_comprehension: 'setcomp',
  dictionary_comprehension: 'dictcomp',
  generator_expression: 'genexpr',
};

const NODE_STATEMENTS = new Set([
  'expression_statement',
  'return_statement',
  'raise_statement',
  'assert_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'try_statement',
  'with_statement',
  'match_statement',
  'function_definition',
  'class_definition',
  'decorated_definition',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'global_statement',
  'nonlocal_statement',
  'pass_statement',
  'break_statement',
  'continue_statement',
  'delete_statement',
  'print_statement',
  'exec_statement',
  'type_alias_statement',
  'block',
]);

class Lowerer extends LowererBase {
  /** Names declared `global` / `nonlocal` in the function being lowered. */
  private outerNames = new Set<string>();
  /** Whether the file has `global` / `nonlocal` at all (most do not: no function body is searched then). */
  private mayDeclareOuter = true;

  module(root: N): void {
    this.mayDeclareOuter = /\b(?:global|nonlocal)\b/.test(root.text);
    const fn: IRFunction = { index: 0, name: '<module>', loc: span(root), params: [], body: [] };
    this.functions.push(fn);
    this.cur = 0;
    const nodes = named(root);
    const doc = docstring(nodes);
    if (doc !== undefined) fn.doc = doc;
    fn.body = this.body(doc !== undefined ? nodes.slice(1) : nodes);
  }



  // ------------------------------------------------------------------ statements
  private body(nodes: readonly N[]): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) out.push(...this.stmt(n));
    return out;
  }

  private block(n: N | null | undefined): Stmt[] {
    if (!n) return [];
    if (n.type === 'block') return this.body(named(n));
    return this.stmt(n);
  }

  private stmt(n: N): Stmt[] {
    if (this.tooDeep(n)) return [];
    this.depth++;
    try {
      return this.stmtInner(n);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: N): Stmt[] {
    const loc = span(n);
    switch (n.type) {
      case 'expression_statement': {
        const kids = named(n);
        if (kids.length === 1) {
          const k = kids[0]!;
          if (k.type === 'assignment') return this.assignment(k);
          if (k.type === 'augmented_assignment') return [{ k: 'expr', loc, expr: this.augmented(k) }];
          return [{ k: 'expr', loc, expr: this.expr(k) }];
        }
        if (!kids.length) return [];
        // `a, b` as a statement: a tuple
        return [{ k: 'expr', loc, expr: { k: 'arr', loc, elems: kids.map((c) => ({ value: this.expr(c) })) } }];
      }
      case 'return_statement': {
        const v = named(n)[0];
        return [{ k: 'return', loc, value: v ? this.expr(v) : undefined }];
      }
      case 'raise_statement': {
        const v = named(n).find((c) => c.id !== n.childForFieldName('cause')?.id);
        return [{ k: 'throw', loc, value: v ? this.expr(v) : undefined }];
      }
      case 'assert_statement': {
        const [cond, msg] = named(n);
        if (!cond) return [];
        const test: Expr = { k: 'unary', loc: span(cond), op: 'not', arg: this.expr(cond) };
        return [{ k: 'if', loc, test, then: [{ k: 'throw', loc, value: msg ? this.expr(msg) : undefined }], else: [] }];
      }
      case 'if_statement':
        return [this.ifStmt(n)];
      case 'for_statement': {
        const left = n.childForFieldName('left');
        const rights = fields(n, 'right');
        const body = this.block(n.childForFieldName('body'));
        const alt = n.childForFieldName('alternative');
        const after = alt ? this.block(alt.childForFieldName('body') ?? named(alt)[0]) : [];
        const iter = rights.length === 1 ? this.expr(rights[0]!) : rights.length ? ({ k: 'arr', loc, elems: rights.map((r) => ({ value: this.expr(r) })) } as Expr) : undefined;
        const loop: Stmt = left && iter ? { k: 'loop', loc, body, each: { target: this.pattern(left), iter, kind: 'of' } } : { k: 'loop', loc, body };
        return [loop, ...after];
      }
      case 'while_statement': {
        const cond = n.childForFieldName('condition');
        const alt = n.childForFieldName('alternative');
        const after = alt ? this.block(alt.childForFieldName('body') ?? named(alt)[0]) : [];
        return [{ k: 'loop', loc, body: this.block(n.childForFieldName('body')), test: cond ? this.expr(cond) : undefined }, ...after];
      }
      case 'try_statement':
        return [this.tryStmt(n)];
      case 'with_statement':
        return this.withStmt(n);
      case 'match_statement':
        return [this.matchStmt(n)];
      case 'function_definition': {
        const nameN = n.childForFieldName('name');
        const name = nameN?.text ?? '<function>';
        const fe = this.func(n, name, []);
        return [this.bindName(name, nameN ? span(nameN) : loc, fe, loc)];
      }
      case 'class_definition': {
        const nameN = n.childForFieldName('name');
        const name = nameN?.text ?? '<class>';
        const ce = this.cls(n, name, []);
        return [this.bindName(name, nameN ? span(nameN) : loc, ce, loc)];
      }
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (!def) return [];
        const decorators = this.decorators(n);
        const nameN = def.childForFieldName('name');
        const name = nameN?.text ?? '<definition>';
        const value = def.type === 'class_definition' ? this.cls(def, name, decorators) : this.func(def, name, decorators);
        return [this.bindName(name, nameN ? span(nameN) : loc, value, loc)];
      }
      case 'import_statement':
        this.importStmt(n);
        return [];
      case 'import_from_statement':
        this.importFrom(n);
        return [];
      case 'future_import_statement':
      case 'global_statement':
      case 'nonlocal_statement':
      case 'pass_statement':
      case 'type_alias_statement':
        return [];
      case 'break_statement':
        return [{ k: 'break', loc }];
      case 'continue_statement':
        return [{ k: 'continue', loc }];
      case 'delete_statement': {
        const kids = named(n).flatMap((c) => (c.type === 'expression_list' ? named(c) : [c]));
        return [{ k: 'expr', loc, expr: this.other(n, 'del', kids.map((c) => this.expr(c))) }];
      }
      case 'print_statement': {
        // python 2: print x, y
        const args: Arg[] = named(n)
          .filter((c) => c.type !== 'chevron')
          .map((c) => ({ value: this.expr(c) }));
        return [{ k: 'expr', loc, expr: { k: 'call', loc, callee: { k: 'var', loc, name: 'print' }, args } }];
      }
      case 'exec_statement': {
        // python 2: exec code [in globals]
        const code = n.childForFieldName('code');
        const args: Arg[] = code ? [{ value: this.expr(code) }] : [];
        return [{ k: 'expr', loc, expr: { k: 'call', loc, callee: { k: 'var', loc, name: 'exec' }, args } }];
      }
      case 'block':
        return [{ k: 'block', loc, body: this.body(named(n)) }];
      case 'ERROR': {
        this.problems.push(`syntax error at line ${loc.line}`);
        const out: Stmt[] = [];
        for (const c of named(n)) {
          if (NODE_STATEMENTS.has(c.type)) out.push(...this.stmt(c));
          else if (c.type !== 'ERROR' && c.type !== 'identifier') out.push({ k: 'expr', loc: span(c), expr: this.expr(c) });
        }
        return out;
      }
      default:
        if (n.type.endsWith('_statement') || n.type === 'keyword_argument') return [];
        return [{ k: 'expr', loc, expr: this.expr(n) }];
    }
  }

  /** `name = value` for a def/class: a local binding, or an assignment for `global` names. */
  private bindName(name: string, nameLoc: Span, value: Expr, loc: Span): Stmt {
    const target: Pattern = { k: 'id', name, loc: nameLoc };
    if (this.outerNames.has(name)) return { k: 'expr', loc, expr: { k: 'assign', loc, op: '=', target, value } };
    return { k: 'let', loc, target, value };
  }

  private assignment(n: N): Stmt[] {
    const loc = span(n);
    // a = b = c: targets [a, b], value c
    const targets: N[] = [];
    let x: N = n;
    while (x.type === 'assignment') {
      const l = x.childForFieldName('left');
      if (l) targets.push(l);
      const r = x.childForFieldName('right');
      if (!r) {
        // annotation only (`x: int`): declares nothing at run time
        return [];
      }
      x = r;
    }
    if (!targets.length) return [{ k: 'expr', loc, expr: this.expr(x) }];
    const value = x.type === 'augmented_assignment' ? this.augmented(x) : this.expr(x);
    const last = targets.at(-1)!;
    const out: Stmt[] = [this.assignTo(last, value, loc)];
    for (const t of targets.slice(0, -1).reverse()) {
      const again = ['identifier', 'attribute', 'subscript'].includes(last.type) ? this.expr(last) : this.expr(x);
      out.push(this.assignTo(t, again, loc));
    }
    return out;
  }

  private assignTo(target: N, value: Expr, loc: Span): Stmt {
    const p = this.pattern(target);
    if (p.k === 'id' && !this.outerNames.has(p.name)) return { k: 'let', loc, target: p, value };
    if (p.k === 'arrpat' && !patternHasOuter(p, this.outerNames)) return { k: 'let', loc, target: p, value };
    return { k: 'expr', loc, expr: { k: 'assign', loc, op: '=', target: p, value } };
  }

  private augmented(n: N): Expr {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    const op = n.childForFieldName('operator')?.text ?? '+=';
    return {
      k: 'assign',
      loc: span(n),
      op,
      target: l ? this.pattern(l) : { k: 'id', name: '_', loc: span(n) },
      value: r ? this.expr(r) : this.other(n, 'missing', []),
    };
  }

  private ifStmt(n: N): Stmt {
    const loc = span(n);
    const cond = n.childForFieldName('condition');
    // each elif is the else of the one before: the chain nests, and counts toward the nesting limit
    const alts = this.chainLinks(fields(n, 'alternative'));
    type Link = { else: Stmt[] } | { loc: Span; test: Expr; then: Stmt[] } | undefined;
    const lowered = alts.map((a, i) =>
      this.deeper(i + 1, (): Link => {
        if (a.type === 'else_clause') return { else: this.block(a.childForFieldName('body') ?? named(a)[0]) };
        if (a.type !== 'elif_clause') return undefined;
        const c = a.childForFieldName('condition');
        return { loc: span(a), test: c ? this.expr(c) : this.other(a, 'missing-condition', []), then: this.block(a.childForFieldName('consequence')) };
      }),
    );
    let elseBody: Stmt[] = [];
    for (const a of lowered.reverse()) {
      if (!a) continue;
      if ('else' in a) elseBody = a.else;
      else elseBody = [{ k: 'if', loc: a.loc, test: a.test, then: a.then, else: elseBody }];
    }
    return { k: 'if', loc, test: cond ? this.expr(cond) : this.other(n, 'missing-condition', []), then: this.block(n.childForFieldName('consequence')), else: elseBody };
  }

  private tryStmt(n: N): Stmt {
    const loc = span(n);
    const body = this.block(n.childForFieldName('body'));
    // several clauses become a chain of alternatives, nested: it counts toward the nesting limit
    const clauses = this.chainLinks(named(n).filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause'));
    let finalizer: Stmt[] = [];
    for (const c of named(n)) {
      if (c.type === 'else_clause') body.push(...this.block(c.childForFieldName('body') ?? named(c)[0]));
      else if (c.type === 'finally_clause') finalizer = this.block(named(c).find((x) => x.type === 'block'));
    }
    const parsed = clauses.map((c, i) => this.deeper(i + 1, () => {
      const blockN = named(c).find((x) => x.type === 'block');
      let valueN = c.childForFieldName('value');
      let aliasN = c.childForFieldName('alias');
      if (!valueN) valueN = named(c).find((x) => x.type !== 'block') ?? null;
      if (valueN && valueN.type === 'as_pattern') {
        const target = valueN.childForFieldName('alias');
        aliasN = target ? (named(target)[0] ?? target) : null;
        valueN = named(valueN).find((x) => x.type !== 'as_pattern_target') ?? null;
      }
      return { c, types: valueN ? this.expr(valueN) : undefined, alias: aliasN ? this.pattern(aliasN) : undefined, body: this.block(blockN) };
    }));
    if (parsed.length === 1) {
      const p = parsed[0]!;
      return { k: 'try', loc, body, param: p.alias, handler: p.body, finalizer };
    }
    // several except clauses: alternatives of one handler
    let handler: Stmt[] = [];
    for (const p of parsed.slice().reverse()) {
      const pl = span(p.c);
      const then: Stmt[] = p.alias ? [{ k: 'let', loc: pl, target: p.alias, value: { k: 'other', loc: pl, what: 'exception', children: [] } }, ...p.body] : p.body;
      if (!handler.length && !p.types) handler = then;
      else handler = [{ k: 'if', loc: pl, test: { k: 'other', loc: pl, what: 'except-match', children: p.types ? [p.types] : [] }, then, else: handler }];
    }
    return { k: 'try', loc, body, handler, finalizer };
  }

  private withStmt(n: N): Stmt[] {
    const out: Stmt[] = [];
    const clause = named(n).find((c) => c.type === 'with_clause');
    for (const item of named(clause)) {
      if (item.type !== 'with_item') continue;
      const v = item.childForFieldName('value') ?? named(item)[0];
      if (!v) continue;
      const il = span(item);
      if (v.type === 'as_pattern') {
        const target = v.childForFieldName('alias');
        const valueN = named(v).find((x) => x.type !== 'as_pattern_target');
        const value = valueN ? this.expr(valueN) : this.other(v, 'missing', []);
        const tn = target ? (named(target)[0] ?? target) : undefined;
        if (tn) out.push(this.assignTo(tn, value, il));
        else out.push({ k: 'expr', loc: il, expr: value });
      } else out.push({ k: 'expr', loc: il, expr: this.expr(v) });
    }
    out.push(...this.block(n.childForFieldName('body')));
    return out;
  }

  private matchStmt(n: N): Stmt {
    const loc = span(n);
    const subjects = fields(n, 'subject');
    const disc: Expr =
      subjects.length === 1 ? this.expr(subjects[0]!) : subjects.length ? { k: 'arr', loc, elems: subjects.map((s) => ({ value: this.expr(s) })) } : this.other(n, 'missing', []);
    const bodyN = n.childForFieldName('body');
    const cases: SwitchCase[] = [];
    const clauses = bodyN ? [...fields(bodyN, 'alternative'), ...named(bodyN).filter((c) => c.type === 'case_clause')] : [];
    const seen = new Set<number>();
    for (const c of clauses) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      const cl = span(c);
      const pats = named(c).filter((x) => x.type === 'case_pattern');
      const guardN = c.childForFieldName('guard');
      let body = this.block(c.childForFieldName('consequence'));
      if (guardN) {
        const g = named(guardN)[0];
        if (g) body = [{ k: 'if', loc: span(guardN), test: this.expr(g), then: body, else: [] }];
      }
      const prologue: Stmt[] = [];
      let tests: (Expr | null)[] = [];
      if (pats.length === 1) tests = this.casePattern(pats[0]!, disc, prologue);
      else tests = [this.other(c, 'case-pattern', [])];
      body = [...prologue, ...body];
      // an empty case body would read as a fall-through label: keep it non-empty
      if (!body.length) body = [{ k: 'block', loc: cl, body: [] }];
      tests.forEach((t, i) => cases.push({ loc: cl, test: t, body: i === tests.length - 1 ? body : [] }));
    }
    return { k: 'switch', loc, disc, cases };
  }

  /** Tests of a case pattern (several for `a | b`), null = matches anything; captures become lets. */
  private casePattern(p: N, disc: Expr, prologue: Stmt[]): (Expr | null)[] {
    const kids = named(p);
    const inner = kids[0];
    if (!inner) return p.text.trim() === '_' ? [null] : [this.other(p, 'case-pattern', [])];
    switch (inner.type) {
      case 'string':
      case 'concatenated_string':
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
        return [this.expr(inner)];
      case 'dotted_name': {
        const parts = named(inner);
        if (parts.length === 1) {
          // a capture pattern: binds the subject
          prologue.push({ k: 'let', loc: span(inner), target: { k: 'id', name: parts[0]!.text, loc: span(inner) }, value: disc });
          return [null];
        }
        let e: Expr = { k: 'var', loc: span(parts[0]!), name: parts[0]!.text };
        for (const q of parts.slice(1)) e = { k: 'member', loc: span(inner), obj: e, prop: q.text };
        return [e];
      }
      case 'union_pattern': {
        const out: (Expr | null)[] = [];
        for (const alt of named(inner)) {
          if (['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none'].includes(alt.type)) out.push(this.expr(alt));
          else out.push(this.other(alt, 'case-pattern', []));
        }
        return out;
      }
      case 'as_pattern': {
        const target = inner.childForFieldName('alias');
        const tn = target ? (named(target)[0] ?? target) : undefined;
        if (tn) prologue.push({ k: 'let', loc: span(tn), target: this.pattern(tn), value: disc });
        const sub = named(inner).find((x) => x.type === 'case_pattern');
        return sub ? this.casePattern(sub, disc, prologue) : [null];
      }
      default:
        return [this.other(inner, 'case-pattern', [])];
    }
  }

  // ------------------------------------------------------------------ imports
  private importStmt(n: N): void {
    for (const c of fields(n, 'name')) {
      if (c.type === 'aliased_import') {
        const nameN = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (nameN && alias) this.imports.push({ local: alias.text, module: dotted(nameN), imported: '*', loc: span(c) });
      } else if (c.type === 'dotted_name') {
        const full = dotted(c);
        const first = full.split('.')[0]!;
        // `import os.path` binds `os`
        this.imports.push({ local: first, module: first, imported: '*', loc: span(c) });
      }
    }
  }

  private importFrom(n: N): void {
    const modN = n.childForFieldName('module_name');
    if (!modN) return;
    const module = modN.type === 'relative_import' ? modN.text.replace(/\s+/g, '') : dotted(modN);
    if (module === '__future__') return;
    if (named(n).some((c) => c.type === 'wildcard_import')) {
      this.imports.push({ local: '', module, imported: '*', loc: span(n) });
      return;
    }
    for (const c of fields(n, 'name')) {
      if (c.type === 'aliased_import') {
        const nameN = c.childForFieldName('name');
        const alias = c.childForFieldName('alias');
        if (nameN && alias) this.imports.push({ local: alias.text, module, imported: dotted(nameN), loc: span(c) });
      } else if (c.type === 'dotted_name') {
        const nm = dotted(c);
        this.imports.push({ local: nm, module, imported: nm, loc: span(c) });
      }
    }
  }

  // ------------------------------------------------------------------ functions and classes
  private decorators(n: N): Decorator[] {
    const out: Decorator[] = [];
    for (const d of named(n)) {
      if (d.type !== 'decorator') continue;
      const e = named(d)[0];
      if (e) out.push({ expr: this.expr(e), loc: span(d) });
    }
    return out;
  }

  private newFunction(n: N, name: string, cls?: number): IRFunction {
    const fn: IRFunction = { index: this.functions.length, name, loc: span(n), params: [], body: [], parent: this.cur };
    if (cls !== undefined) fn.cls = cls;
    this.functions.push(fn);
    return fn;
  }

  /** Run `f` as the body of function `fn` (current function and its global/nonlocal names switched). */
  private within<T>(fn: IRFunction, outer: Set<string>, f: () => T): T {
    const saved = this.cur;
    const savedOuter = this.outerNames;
    this.cur = fn.index;
    this.outerNames = outer;
    try {
      return f();
    } finally {
      this.cur = saved;
      this.outerNames = savedOuter;
    }
  }

  private func(n: N, name: string, decorators: Decorator[], cls?: number): Expr {
    const fn = this.newFunction(n, name, cls);
    if (decorators.length) fn.decorators = decorators;
    if (n.children.some((c) => c?.type === 'async')) fn.isAsync = true;
    // defaults and annotations are evaluated where the def is
    const paramsN = n.childForFieldName('parameters');
    fn.params = this.params(paramsN);
    const bodyN = n.childForFieldName('body');
    const nodes = named(bodyN);
    const doc = docstring(nodes);
    if (doc !== undefined) fn.doc = doc;
    const outer = new Set<string>();
    if (bodyN && this.mayDeclareOuter) collectOuterNames(bodyN, outer);
    fn.body = this.within(fn, outer, () => this.body(doc !== undefined ? nodes.slice(1) : nodes));
    return { k: 'fn', loc: span(n), fn: fn.index };
  }

  private lambda(n: N): Expr {
    const loc = span(n);
    const fn = this.newFunction(n, `<lambda@${loc.line}>`);
    fn.params = this.params(n.childForFieldName('parameters'));
    const b = n.childForFieldName('body');
    fn.body = this.within(fn, new Set(), () => (b ? [{ k: 'return', loc: span(b), value: this.expr(b) } as Stmt] : []));
    return { k: 'fn', loc, fn: fn.index };
  }

  private params(n: N | null): Param[] {
    const out: Param[] = [];
    for (const p of named(n)) {
      switch (p.type) {
        case 'identifier':
          out.push({ pattern: { k: 'id', name: p.text, loc: span(p) } });
          break;
        case 'typed_parameter': {
          const inner = named(p).find((c) => c.id !== p.childForFieldName('type')?.id);
          const type = p.childForFieldName('type')?.text;
          if (!inner) break;
          out.push(this.param(inner, type, undefined));
          break;
        }
        case 'default_parameter':
        case 'typed_default_parameter': {
          const nameN = p.childForFieldName('name');
          const valueN = p.childForFieldName('value');
          if (!nameN) break;
          out.push(this.param(nameN, p.childForFieldName('type')?.text, valueN ? this.expr(valueN) : undefined));
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
        case 'tuple_pattern':
          out.push(this.param(p, undefined, undefined));
          break;
        default:
          // `/` and `*` separators
          break;
      }
    }
    return out;
  }

  private param(n: N, type: string | undefined, def: Expr | undefined): Param {
    let p: Param;
    if (n.type === 'list_splat_pattern' || n.type === 'dictionary_splat_pattern') {
      const inner = named(n)[0];
      const pattern: Pattern = inner ? this.pattern(inner) : { k: 'id', name: '_', loc: span(n) };
      p = n.type === 'list_splat_pattern' ? { pattern, rest: true } : { pattern, kwrest: true };
    } else p = { pattern: this.pattern(n) };
    if (def) p.default = def;
    if (type !== undefined) p.type = type;
    return p;
  }

  private cls(n: N, name: string, decorators: Decorator[]): Expr {
    const index = this.classes.length;
    const c: IRClass = { index, name, loc: span(n), methods: {}, fields: [] };
    if (decorators.length) c.decorators = decorators;
    this.classes.push(c);
    const sup = n.childForFieldName('superclasses');
    const bases = named(sup).filter((x) => x.type !== 'keyword_argument' && x.type !== 'list_splat' && x.type !== 'dictionary_splat');
    // the first base that is not a built-in type or a typing marker (`class Mode(str, Enum)` → Enum)
    const base = bases.find((b) => !PLAIN_BASES.test(b.text)) ?? bases[0];
    if (base) c.superClass = this.expr(base);
    const bodyN = n.childForFieldName('body');
    const nodes = named(bodyN);
    const doc = docstring(nodes);
    for (const m of doc !== undefined ? nodes.slice(1) : nodes) this.classMember(c, m);
    return { k: 'class', loc: span(n), cls: index };
  }

  private classMember(c: IRClass, m: N): void {
    const loc = span(m);
    const field = (prop: string, value: Expr, l: Span) =>
      c.fields.push({ k: 'expr', loc: l, expr: { k: 'assign', loc: l, op: '=', target: { k: 'expr', loc: l, expr: { k: 'member', loc: l, obj: { k: 'this', loc: l }, prop } }, value } });
    let def: N | null = m;
    let decorators: Decorator[] = [];
    if (m.type === 'decorated_definition') {
      def = m.childForFieldName('definition');
      decorators = this.decorators(m);
    }
    if (!def) return;
    if (def.type === 'function_definition') {
      const nameN = def.childForFieldName('name');
      const mname = nameN?.text ?? '<method>';
      const isStatic = decorators.some((d) => d.expr.k === 'var' && d.expr.name === 'staticmethod');
      const fe = this.func(def, `${c.name}.${mname}`, decorators, isStatic ? undefined : c.index) as { k: 'fn'; fn: number };
      // a setter/deleter (`@x.setter`) shares the property's name: keep the first
      if (!Object.hasOwn(c.methods, mname)) c.methods[mname] = fe.fn;
      return;
    }
    if (def.type === 'class_definition') {
      const nameN = def.childForFieldName('name');
      const nm = nameN?.text ?? '<class>';
      field(nm, this.cls(def, nm, decorators), loc);
      return;
    }
    if (m.type === 'expression_statement') {
      const a = named(m)[0];
      if (a && a.type === 'assignment') {
        const l = a.childForFieldName('left');
        const r = a.childForFieldName('right');
        if (l && l.type === 'identifier') {
          const value = r ? (r.type === 'assignment' ? this.expr(r.childForFieldName('right') ?? r) : this.expr(r)) : ({ k: 'other', loc, what: 'annotation', children: [] } as Expr);
          field(l.text, value, loc);
          return;
        }
      }
    }
    // anything else in a class body (conditionals, loops): run with the fields
    c.fields.push(...this.stmt(m));
  }

  // ------------------------------------------------------------------ patterns
  private pattern(n: N): Pattern {
    const loc = span(n);
    switch (n.type) {
      case 'identifier':
        return { k: 'id', name: n.text, loc };
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const elems: (Pattern | null)[] = [];
        let rest: Pattern | undefined;
        for (const c of named(n)) {
          if (c.type === 'list_splat_pattern' || c.type === 'list_splat') {
            const inner = named(c)[0];
            if (inner && !rest) rest = this.pattern(inner);
            else if (inner) elems.push(this.pattern(inner));
          } else if (c.type === 'case_pattern') {
            const inner = named(c)[0];
            elems.push(inner ? this.pattern(inner) : null);
          } else elems.push(this.pattern(c));
        }
        return rest ? { k: 'arrpat', elems, rest, loc } : { k: 'arrpat', elems, loc };
      }
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        return inner ? this.pattern(inner) : { k: 'id', name: '_', loc };
      }
      case 'list_splat_pattern':
      case 'list_splat':
      case 'as_pattern_target': {
        const inner = named(n)[0];
        return inner ? this.pattern(inner) : { k: 'id', name: '_', loc };
      }
      default:
        return { k: 'expr', expr: this.expr(n), loc };
    }
  }

  // ------------------------------------------------------------------ expressions

  private args(n: N | null): Arg[] {
    if (!n) return [];
    if (n.type === 'generator_expression') return [{ value: this.expr(n) }];
    const out: Arg[] = [];
    for (const c of named(n)) {
      if (c.type === 'list_splat') {
        const inner = named(c)[0];
        if (inner) out.push({ value: this.expr(inner), spread: true });
      } else if (c.type === 'dictionary_splat') {
        const inner = named(c)[0];
        if (inner) out.push({ value: this.expr(inner), spread: true, name: '**' });
      } else if (c.type === 'keyword_argument') {
        const nameN = c.childForFieldName('name');
        const valueN = c.childForFieldName('value');
        if (nameN && valueN) out.push({ value: this.expr(valueN), name: nameN.text });
      } else out.push({ value: this.expr(c) });
    }
    return out;
  }

  private elems(n: N): Arg[] {
    const out: Arg[] = [];
    for (const c of named(n)) {
      if (c.type === 'list_splat' || c.type === 'parenthesized_list_splat') {
        let inner = named(c)[0];
        while (inner && (inner.type === 'list_splat' || inner.type === 'parenthesized_expression') && named(inner)[0]) inner = named(inner)[0];
        if (inner) out.push({ value: this.expr(inner), spread: true });
      } else out.push({ value: this.expr(c) });
    }
    return out;
  }

  protected exprInner(n: N): Expr {
    const loc = span(n);
    switch (n.type) {
      case 'identifier':
        return { k: 'var', loc, name: n.text };
      case 'true':
      case 'false':
        return { k: 'lit', loc, kind: 'bool', value: n.type === 'true' };
      case 'none':
        return { k: 'lit', loc, kind: 'null', value: null };
      case 'integer':
      case 'float':
        return { k: 'lit', loc, kind: 'number', value: numberValue(n.text) };
      case 'ellipsis':
        return this.other(n, 'ellipsis', []);
      case 'string':
        return this.string(n);
      case 'concatenated_string':
        return this.concatenated(n);
      case 'attribute': {
        const obj = n.childForFieldName('object');
        const attr = n.childForFieldName('attribute');
        return { k: 'member', loc, obj: obj ? this.expr(obj) : this.other(n, 'missing', []), prop: attr?.text ?? '' };
      }
      case 'subscript': {
        const obj = n.childForFieldName('value');
        const subs = fields(n, 'subscript');
        let index: Expr;
        if (subs.length === 1) index = this.expr(subs[0]!);
        else index = { k: 'arr', loc, elems: subs.map((s) => ({ value: this.expr(s) })) };
        const prop = index.k === 'lit' && (index.kind === 'string' || index.kind === 'number') ? String(index.value) : undefined;
        const out: Expr = { k: 'member', loc, obj: obj ? this.expr(obj) : this.other(n, 'missing', []), index };
        if (prop !== undefined) out.prop = prop;
        return out;
      }
      case 'slice':
        return this.other(n, 'slice', named(n).map((c) => this.expr(c)));
      case 'call': {
        const f = n.childForFieldName('function');
        return { k: 'call', loc, callee: f ? this.expr(f) : this.other(n, 'missing', []), args: this.args(n.childForFieldName('arguments')) };
      }
      case 'await': {
        const inner = named(n)[0];
        return { k: 'await', loc, arg: inner ? this.expr(inner) : this.other(n, 'missing', []) };
      }
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '?';
        return { k: 'bin', loc, op, left: l ? this.expr(l) : this.other(n, 'missing', []), right: r ? this.expr(r) : this.other(n, 'missing', []) };
      }
      case 'boolean_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text === 'or' ? 'or' : 'and';
        return { k: 'bin', loc, op, left: l ? this.expr(l) : this.other(n, 'missing', []), right: r ? this.expr(r) : this.other(n, 'missing', []) };
      }
      case 'unary_operator': {
        const a = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '-';
        return { k: 'unary', loc, op, arg: a ? this.expr(a) : this.other(n, 'missing', []) };
      }
      case 'not_operator': {
        const a = n.childForFieldName('argument');
        return { k: 'unary', loc, op: 'not', arg: a ? this.expr(a) : this.other(n, 'missing', []) };
      }
      case 'comparison_operator':
        return this.comparison(n);
      case 'conditional_expression': {
        const [t, c, e] = named(n);
        const miss = () => this.other(n, 'missing', []);
        return { k: 'cond', loc, test: c ? this.expr(c) : miss(), then: t ? this.expr(t) : miss(), else: e ? this.expr(e) : miss() };
      }
      case 'named_expression': {
        const nameN = n.childForFieldName('name');
        const v = n.childForFieldName('value');
        return { k: 'assign', loc, op: '=', target: nameN ? this.pattern(nameN) : { k: 'id', name: '_', loc }, value: v ? this.expr(v) : this.other(n, 'missing', []) };
      }
      case 'lambda':
        return this.lambda(n);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return { k: 'arr', loc, elems: this.elems(n) };
      case 'dictionary':
        return this.dict(n);
      case 'list_comprehension':
      case 'set_comprehension':
      case 'dictionary_comprehension':
      case 'generator_expression':
        return this.comprehension(n);
      case 'parenthesized_expression': {
        const inner = named(n)[0];
        return inner ? this.expr(inner) : { k: 'arr', loc, elems: [] };
      }
      case 'list_splat':
      case 'dictionary_splat':
      case 'parenthesized_list_splat': {
        const inner = named(n)[0];
        return inner ? this.expr(inner) : this.other(n, 'empty', []);
      }
      case 'keyword_argument': {
        const v = n.childForFieldName('value');
        return v ? this.expr(v) : this.other(n, 'empty', []);
      }
      case 'as_pattern': {
        const inner = named(n).find((c) => c.type !== 'as_pattern_target');
        return inner ? this.expr(inner) : this.other(n, 'empty', []);
      }
      case 'yield': {
        const inner = named(n)[0];
        return this.other(n, 'yield', inner ? [this.expr(inner)] : []);
      }
      case 'assignment': {
        // only reached in unusual positions (e.g. inside an ERROR node)
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        return { k: 'assign', loc, op: '=', target: l ? this.pattern(l) : { k: 'id', name: '_', loc }, value: r ? this.expr(r) : this.other(n, 'missing', []) };
      }
      case 'augmented_assignment':
        return this.augmented(n);
      case 'type':
        return this.other(n, 'type', []);
      case 'ERROR':
        this.problems.push(`syntax error at line ${loc.line}`);
        return this.other(
          n,
          'error',
          named(n)
            .filter((c) => !NODE_STATEMENTS.has(c.type))
            .map((c) => this.expr(c)),
        );
      default:
        return this.other(n, n.type, named(n).map((c) => this.expr(c)));
    }
  }

  private comparison(n: N): Expr {
    const loc = span(n);
    const operands: N[] = [];
    const ops: string[] = [];
    for (const c of n.children) {
      if (!c || c.type === 'comment') continue;
      if (c.isNamed) operands.push(c);
      else ops.push(c.text.replace(/\s+/g, ' '));
    }
    if (operands.length < 2 || ops.length < operands.length - 1) return this.other(n, 'comparison', operands.map((c) => this.expr(c)));
    const vals = operands.map((c) => this.expr(c));
    let out: Expr | undefined;
    for (let i = 0; i + 1 < vals.length; i++) {
      const op = ops[i] === '<>' ? '!=' : ops[i]!;
      const pair: Expr = { k: 'bin', loc: i === 0 && vals.length === 2 ? loc : spanJoin(vals[i]!.loc, vals[i + 1]!.loc), op, left: vals[i]!, right: vals[i + 1]! };
      out = out ? { k: 'bin', loc, op: 'and', left: out, right: pair } : pair;
    }
    return out!;
  }

  private dict(n: N): Expr {
    const props: ObjProp[] = [];
    for (const c of named(n)) {
      const cl = span(c);
      if (c.type === 'pair') {
        const k = c.childForFieldName('key');
        const v = c.childForFieldName('value');
        if (!k || !v) continue;
        const ke = this.expr(k);
        const value = this.expr(v);
        if (ke.k === 'lit' && (ke.kind === 'string' || ke.kind === 'number' || ke.kind === 'bool')) props.push({ key: String(ke.value), value, loc: cl });
        else props.push({ computed: ke, value, loc: cl });
      } else if (c.type === 'dictionary_splat') {
        const inner = named(c)[0];
        if (inner) props.push({ value: this.expr(inner), spread: true, loc: cl });
      }
    }
    return { k: 'obj', loc: span(n), props };
  }

  /** A comprehension as CPython compiles it: a nested function called with the first iterable. */
  private comprehension(n: N): Expr {
    const loc = span(n);
    const clauses = named(n).filter((c) => c.type === 'for_in_clause' || c.type === 'if_clause');
    const first = clauses[0];
    if (!first || first.type !== 'for_in_clause') return this.other(n, n.type, named(n).map((c) => this.expr(c)));
    const iterOf = (c: N): Expr => {
      const rights = fields(c, 'right').filter((x) => x.type !== ',');
      if (rights.length === 1) return this.expr(rights[0]!);
      return { k: 'arr', loc: span(c), elems: rights.map((r) => ({ value: this.expr(r) })) };
    };
    // the first iterable is evaluated in the enclosing scope
    const outerIter = iterOf(first);
    const fn = this.newFunction(n, `<${COMPREHENSIONS[n.type] ?? 'comp'}@${loc.line}>`);
    const p0: Pattern = { k: 'id', name: '.0', loc: outerIter.loc };
    fn.params = [{ pattern: p0 }];
    fn.body = this.within(fn, new Set(), () => {
      const bodyN = n.childForFieldName('body');
      let result: Expr;
      if (n.type === 'dictionary_comprehension' && bodyN && bodyN.type === 'pair') {
        const k = bodyN.childForFieldName('key');
        const v = bodyN.childForFieldName('value');
        const ke = k ? this.expr(k) : this.other(bodyN, 'missing', []);
        const ve = v ? this.expr(v) : this.other(bodyN, 'missing', []);
        // the keys' taint is kept too (a spread of an `other` holding the key)
        result = {
          k: 'obj',
          loc,
          props: [
            { computed: ke, value: ve, loc: span(bodyN) },
            { value: { k: 'other', loc: ke.loc, what: 'dict-key', children: [ke] }, spread: true, loc: ke.loc },
          ],
        };
      } else result = { k: 'arr', loc, elems: [{ value: bodyN ? this.expr(bodyN) : this.other(n, 'missing', []) }] };
      let inner: Stmt[] = [{ k: 'return', loc: result.loc, value: result }];
      for (let i = clauses.length - 1; i >= 0; i--) {
        const c = clauses[i]!;
        const cl = span(c);
        if (c.type === 'if_clause') {
          const t = named(c)[0];
          inner = [{ k: 'if', loc: cl, test: t ? this.expr(t) : this.other(c, 'missing', []), then: inner, else: [] }];
        } else {
          const left = c.childForFieldName('left');
          const iter: Expr = i === 0 ? { k: 'var', loc: outerIter.loc, name: '.0' } : iterOf(c);
          inner = [{ k: 'loop', loc: cl, body: inner, each: { target: left ? this.pattern(left) : { k: 'id', name: '_', loc: cl }, iter, kind: 'of' } }];
        }
      }
      return inner;
    });
    return { k: 'call', loc, callee: { k: 'fn', loc, fn: fn.index }, args: [{ value: outerIter }] };
  }

  // ------------------------------------------------------------------ strings
  private string(n: N): Expr {
    const loc = span(n);
    const info = strPrefix(n);
    if (!info.fmt) {
      const value = this.stringText(n, info);
      return { k: 'lit', loc, kind: info.bytes ? 'bytes' : 'string', value };
    }
    const parts: Expr[] = [];
    let buf = '';
    let bufLoc = loc;
    const flush = () => {
      if (buf) parts.push({ k: 'lit', loc: bufLoc, kind: 'string', value: buf });
      buf = '';
    };
    for (const c of named(n)) {
      if (c.type === 'string_content') {
        if (!buf) bufLoc = span(c);
        buf += this.contentText(c.text, info);
      } else if (c.type === 'interpolation') {
        flush();
        const e = c.childForFieldName('expression') ?? named(c)[0];
        if (e) parts.push(this.expr(e));
      }
    }
    flush();
    return { k: 'tpl', loc, parts };
  }

  private contentText(text: string, info: StrInfo): string {
    let t = info.raw ? text : decodePyEscapes(text, info.bytes);
    if (info.fmt) t = t.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    return t;
  }

  private stringText(n: N, info: StrInfo): string {
    let out = '';
    for (const c of named(n)) if (c.type === 'string_content') out += this.contentText(c.text, info);
    return out;
  }

  private concatenated(n: N): Expr {
    const loc = span(n);
    const strs = named(n).filter((c) => c.type === 'string');
    const lowered = strs.map((s) => this.string(s));
    if (lowered.every((e) => e.k === 'lit')) {
      const bytes = lowered.some((e) => e.k === 'lit' && e.kind === 'bytes');
      return { k: 'lit', loc, kind: bytes ? 'bytes' : 'string', value: lowered.map((e) => String((e as { value: unknown }).value)).join('') };
    }
    const parts: Expr[] = [];
    for (const e of lowered) {
      if (e.k === 'tpl') parts.push(...e.parts);
      else parts.push(e);
    }
    // merge adjacent literal parts
    const merged: Expr[] = [];
    for (const p of parts) {
      const last = merged.at(-1);
      if (last && last.k === 'lit' && p.k === 'lit' && last.kind === 'string' && p.kind === 'string') merged[merged.length - 1] = { ...last, value: String(last.value) + String(p.value), loc: spanJoin(last.loc, p.loc) };
      else merged.push(p);
    }
    return { k: 'tpl', loc, parts: merged };
  }
}

function spanJoin(a: Span, b: Span): Span {
  return { line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol };
}

function dotted(n: N): string {
  return n.text.replace(/\s+/g, '');
}

/** The docstring: a first statement that is a string literal. */
function docstring(nodes: readonly N[]): string | undefined {
  const first = nodes[0];
  if (!first || first.type !== 'expression_statement') return undefined;
  const kids = named(first);
  if (kids.length !== 1) return undefined;
  const s = kids[0]!;
  if (s.type !== 'string' && s.type !== 'concatenated_string') return undefined;
  const strs = s.type === 'string' ? [s] : named(s).filter((c) => c.type === 'string');
  let out = '';
  for (const x of strs) {
    const info = strPrefix(x);
    if (info.fmt || info.bytes) return undefined;
    for (const c of named(x)) if (c.type === 'string_content') out += info.raw ? c.text : decodePyEscapes(c.text, false);
  }
  return cleanDoc(out);
}

/** inspect.cleandoc: strip the common indentation and surrounding blank lines. */
export function cleanDoc(s: string): string {
  const lines = s.replace(/\t/g, '        ').split('\n');
  let indent = Infinity;
  for (const l of lines.slice(1)) {
    const t = l.trimStart();
    if (t) indent = Math.min(indent, l.length - t.length);
  }
  const out = [lines[0]!.trim(), ...lines.slice(1).map((l) => (indent === Infinity ? l.trim() : l.slice(indent).trimEnd()))];
  while (out.length && !out[0]) out.shift();
  while (out.length && !out.at(-1)) out.pop();
  return out.join('\n');
}

/** Names declared `global`/`nonlocal` directly in a function body (not in nested functions or classes). */
function collectOuterNames(n: N, out: Set<string>): void {
  const stack: N[] = [n];
  while (stack.length) {
    const x = stack.pop()!;
    for (const c of named(x)) {
      if (c.type === 'global_statement' || c.type === 'nonlocal_statement') {
        for (const id of named(c)) if (id.type === 'identifier') out.add(id.text);
      } else if (c.type !== 'function_definition' && c.type !== 'class_definition' && c.type !== 'decorated_definition' && c.type !== 'lambda') stack.push(c);
    }
  }
}

function patternHasOuter(p: Pattern, outer: Set<string>): boolean {
  if (!outer.size) return false;
  switch (p.k) {
    case 'id':
      return outer.has(p.name);
    case 'arrpat':
      return p.elems.some((q) => q && patternHasOuter(q, outer)) || (!!p.rest && patternHasOuter(p.rest, outer));
    case 'default':
      return patternHasOuter(p.pattern, outer);
    default:
      return false;
  }
}

/** Lower a parsed python tree to an IR module. */
export function lowerPython(root: N, file: string, _language: IRModule['language'], lines: number): IRModule {
  const l = new Lowerer();
  l.module(root);
  return {
    file,
    language: 'python',
    functions: l.functions,
    classes: l.classes,
    imports: l.imports,
    exports: [],
    lines,
    problems: [...new Set(l.problems)],
  };
}
