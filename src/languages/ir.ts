/**
 * The language-neutral intermediate representation (IR).
 *
 * Every front-end (TypeScript/JavaScript, Python, …) lowers its tree-sitter syntax tree to this small
 * structured IR; everything after it (MCP surface, taint engine, non-flow rules) is language-neutral.
 *
 * Design: structured statements (no CFG): the taint engine interprets them in order, merging branches.
 * Every function (including the module's top level, arrow functions and methods) is an `IRFunction`
 * in its module's `functions` table, referenced from expressions by index (`{k:'fn', fn}`), so that
 * closures, callbacks and handlers are first-class values.
 */

/** Source span, 1-based lines and columns. */
export interface Span {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type LitKind = 'string' | 'number' | 'bool' | 'null' | 'undefined' | 'regex' | 'bytes';

export type Expr =
  | { k: 'lit'; loc: Span; kind: LitKind; value: string | number | boolean | null }
  | { k: 'var'; loc: Span; name: string }
  | { k: 'this'; loc: Span }
  | { k: 'super'; loc: Span }
  /** `obj.prop` (prop set) or `obj[expr]` (index set, prop set too when the index is a string/number literal). */
  | { k: 'member'; loc: Span; obj: Expr; prop?: string; index?: Expr; optional?: boolean }
  | { k: 'call'; loc: Span; callee: Expr; args: Arg[]; isNew?: boolean }
  /** Template literal / f-string / string formatting: parts in order, literal parts as `lit` strings. */
  | { k: 'tpl'; loc: Span; parts: Expr[]; tag?: Expr }
  /** Binary and logical operators, including `+`, `||`, `&&`, `??`, `===`, `in`, `instanceof`, `%` (python formatting). */
  | { k: 'bin'; loc: Span; op: string; left: Expr; right: Expr }
  | { k: 'unary'; loc: Span; op: string; arg: Expr }
  | { k: 'await'; loc: Span; arg: Expr }
  | { k: 'cond'; loc: Span; test: Expr; then: Expr; else: Expr }
  | { k: 'obj'; loc: Span; props: ObjProp[] }
  | { k: 'arr'; loc: Span; elems: Arg[] }
  /** A function value (arrow, function expression, lambda, method reference): index into module.functions. */
  | { k: 'fn'; loc: Span; fn: number }
  /** A class value: index into module.classes. */
  | { k: 'class'; loc: Span; cls: number }
  /** Assignment as an expression (`a = b`, `a += b`); the value is the assigned value. */
  | { k: 'assign'; loc: Span; target: Pattern; op: string; value: Expr }
  /** Comma/sequence expression: value is the last. */
  | { k: 'seq'; loc: Span; exprs: Expr[] }
  /** Anything else: its value depends on its children (conservative). */
  | { k: 'other'; loc: Span; what: string; children: Expr[] };

export interface Arg {
  value: Expr;
  spread?: boolean;
  /** Keyword argument name (python `f(shell=True)`). */
  name?: string;
}

export interface ObjProp {
  /** Literal key; absent for computed keys and spreads. */
  key?: string;
  computed?: Expr;
  value: Expr;
  spread?: boolean;
  loc: Span;
}

export type Pattern =
  | { k: 'id'; name: string; loc: Span }
  | { k: 'objpat'; props: { key?: string; computed?: Expr; value: Pattern }[]; rest?: Pattern; loc: Span }
  | { k: 'arrpat'; elems: (Pattern | null)[]; rest?: Pattern; loc: Span }
  /** Assignment target that is an expression (member access). */
  | { k: 'expr'; expr: Expr; loc: Span }
  | { k: 'default'; pattern: Pattern; value: Expr; loc: Span };

export type Stmt =
  | { k: 'let'; loc: Span; target: Pattern; value?: Expr }
  | { k: 'expr'; loc: Span; expr: Expr }
  | { k: 'return'; loc: Span; value?: Expr }
  | { k: 'throw'; loc: Span; value?: Expr }
  | { k: 'if'; loc: Span; test: Expr; then: Stmt[]; else: Stmt[] }
  | { k: 'switch'; loc: Span; disc: Expr; cases: SwitchCase[] }
  /** Loops. `each` for for-of / for-in / python for; `test` for while/for. */
  | { k: 'loop'; loc: Span; body: Stmt[]; test?: Expr; each?: { target: Pattern; iter: Expr; kind: 'of' | 'in' } }
  | { k: 'try'; loc: Span; body: Stmt[]; param?: Pattern; handler: Stmt[]; finalizer: Stmt[] }
  | { k: 'block'; loc: Span; body: Stmt[] }
  | { k: 'break'; loc: Span }
  | { k: 'continue'; loc: Span };

export interface SwitchCase {
  loc: Span;
  /** null = default. */
  test: Expr | null;
  body: Stmt[];
}

export interface Param {
  pattern: Pattern;
  rest?: boolean;
  /** Python `**kwargs`. */
  kwrest?: boolean;
  default?: Expr;
  /** Type annotation text, when written (`string`, `z.infer<…>`, python hints). */
  type?: string;
}

export interface Decorator {
  /** The decorator expression (`mcp.tool()` → call of member mcp.tool). */
  expr: Expr;
  loc: Span;
}

export interface IRFunction {
  /** Index in module.functions. 0 is the module's top level. */
  index: number;
  /** Readable name: `foo`, `Class.method`, `<arrow@12>`, `<module>`. */
  name: string;
  loc: Span;
  params: Param[];
  body: Stmt[];
  /** Index of the lexically enclosing function (undefined for the module top level). */
  parent?: number;
  /** Set for methods: index into module.classes. */
  cls?: number;
  isAsync?: boolean;
  isArrow?: boolean;
  decorators?: Decorator[];
  /** Docstring (python) or leading JSDoc text, when present. */
  doc?: string;
}

export interface IRClass {
  index: number;
  name: string;
  loc: Span;
  superClass?: Expr;
  /** method name → function index (`constructor` for the constructor, `__init__` in python). */
  methods: Record<string, number>;
  /** Class field initialisers (`x = new Pool()`), as `this.x = …` statements run before the constructor. */
  fields: Stmt[];
  decorators?: Decorator[];
}

export interface ImportBinding {
  /** Local name bound in this module. */
  local: string;
  /** Module specifier as written (`child_process`, `./util.js`, `os.path`, `.helpers`). */
  module: string;
  /** Imported name: `default`, `*` (namespace / whole module), or an export name. */
  imported: string;
  loc: Span;
}

export interface ExportBinding {
  /** Exported name (`default` for default exports). */
  exported: string;
  /** The local name it refers to, when it is a plain binding. */
  local?: string;
  /** Or an expression (`export default function …`, `module.exports = …`). */
  expr?: Expr;
  /** Re-export from another module (`export { x } from './y'`, `export * from './y'` with exported='*'). */
  from?: string;
  imported?: string;
}

export interface IRModule {
  /** Path relative to the target root, forward slashes. */
  file: string;
  language: 'typescript' | 'tsx' | 'javascript' | 'python';
  functions: IRFunction[];
  classes: IRClass[];
  imports: ImportBinding[];
  exports: ExportBinding[];
  /** Number of source lines. */
  lines: number;
  /** Problems met while lowering (syntax errors, depth limit): the module is analysed partially. */
  problems: string[];
}

export const NO_SPAN: Span = { line: 0, col: 0, endLine: 0, endCol: 0 };

/** Walk every expression inside an expression (pre-order), not descending into nested functions. */
export function forEachExpr(e: Expr, f: (e: Expr) => void): void {
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    f(x);
    switch (x.k) {
      case 'member':
        stack.push(x.obj);
        if (x.index) stack.push(x.index);
        break;
      case 'call':
        stack.push(x.callee);
        for (const a of x.args) stack.push(a.value);
        break;
      case 'tpl':
        if (x.tag) stack.push(x.tag);
        stack.push(...x.parts);
        break;
      case 'bin':
        stack.push(x.left, x.right);
        break;
      case 'unary':
      case 'await':
        stack.push(x.arg);
        break;
      case 'cond':
        stack.push(x.test, x.then, x.else);
        break;
      case 'obj':
        for (const p of x.props) {
          if (p.computed) stack.push(p.computed);
          stack.push(p.value);
        }
        break;
      case 'arr':
        for (const a of x.elems) stack.push(a.value);
        break;
      case 'assign':
        pushPatternExprs(x.target, stack);
        stack.push(x.value);
        break;
      case 'seq':
        stack.push(...x.exprs);
        break;
      case 'other':
        stack.push(...x.children);
        break;
      default:
        break;
    }
  }
}

function pushPatternExprs(p: Pattern, out: Expr[]): void {
  switch (p.k) {
    case 'expr':
      out.push(p.expr);
      break;
    case 'default':
      pushPatternExprs(p.pattern, out);
      out.push(p.value);
      break;
    case 'objpat':
      for (const q of p.props) pushPatternExprs(q.value, out);
      if (p.rest) pushPatternExprs(p.rest, out);
      break;
    case 'arrpat':
      for (const q of p.elems) if (q) pushPatternExprs(q, out);
      if (p.rest) pushPatternExprs(p.rest, out);
      break;
    default:
      break;
  }
}

/** Expressions directly held by a statement (not nested statements). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'let': {
      const out: Expr[] = [];
      pushPatternExprs(s.target, out);
      if (s.value) out.push(s.value);
      return out;
    }
    case 'expr':
      return [s.expr];
    case 'return':
    case 'throw':
      return s.value ? [s.value] : [];
    case 'if':
      return [s.test];
    case 'switch':
      return [s.disc, ...s.cases.flatMap((c) => (c.test ? [c.test] : []))];
    case 'loop': {
      const out: Expr[] = [];
      if (s.test) out.push(s.test);
      if (s.each) {
        out.push(s.each.iter);
        pushPatternExprs(s.each.target, out);
      }
      return out;
    }
    default:
      return [];
  }
}

/** Nested statement lists of a statement. */
export function childBlocks(s: Stmt): Stmt[][] {
  switch (s.k) {
    case 'if':
      return [s.then, s.else];
    case 'switch':
      return s.cases.map((c) => c.body);
    case 'loop':
      return [s.body];
    case 'try':
      return [s.body, s.handler, s.finalizer];
    case 'block':
      return [s.body];
    default:
      return [];
  }
}

/** Visit every statement of a body (pre-order), not descending into nested functions. */
export function forEachStmt(body: Stmt[], f: (s: Stmt) => void): void {
  const stack: Stmt[][] = [body];
  while (stack.length) {
    const list = stack.pop()!;
    for (const s of list) {
      f(s);
      for (const b of childBlocks(s)) stack.push(b);
    }
  }
}

/** Every expression in a function body (pre-order per statement), not descending into nested functions. */
export function forEachExprInBody(body: Stmt[], f: (e: Expr) => void): void {
  forEachStmt(body, (s) => {
    for (const e of stmtExprs(s)) forEachExpr(e, f);
  });
}

/** Names bound by a pattern. */
export function patternNames(p: Pattern, out: string[] = []): string[] {
  switch (p.k) {
    case 'id':
      out.push(p.name);
      break;
    case 'default':
      patternNames(p.pattern, out);
      break;
    case 'objpat':
      for (const q of p.props) patternNames(q.value, out);
      if (p.rest) patternNames(p.rest, out);
      break;
    case 'arrpat':
      for (const q of p.elems) if (q) patternNames(q, out);
      if (p.rest) patternNames(p.rest, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * Dotted text of a callee or receiver for pattern matching: `server.tool`, `types_js_1.CallToolRequestSchema`,
 * `mcp.tool()`. `this` is written as `thisName` (`this` in JS, `self` in Python); `(0, f)` reads as `f`.
 */
export function calleeText(e: Expr, thisName = 'this'): string {
  switch (e.k) {
    case 'var':
      return e.name;
    case 'member':
      return `${calleeText(e.obj, thisName)}.${e.prop ?? '[]'}`;
    case 'this':
      return thisName;
    case 'call':
      return `${calleeText(e.callee, thisName)}()`;
    case 'await':
      return calleeText(e.arg, thisName);
    case 'seq':
      return e.exprs.length ? calleeText(e.exprs[e.exprs.length - 1]!, thisName) : '?';
    default:
      return '?';
  }
}
