/**
 * A program: the lowered modules of one target, with module resolution between them.
 */
import path from 'node:path';
import { calleeText, forEachExprInBody, type Expr, type IRFunction, type IRModule } from '../languages/ir.js';

export interface ProgramModule {
  ir: IRModule;
  /** Source text (for snippets and text rules). */
  text: string;
}

export interface Program {
  modules: ProgramModule[];
  byFile: Map<string, number>;
  /** Every module specifier imported anywhere (bare names, for `imports` conditions of models). */
  importedModules: Set<string>;
}

export function normalizeModuleName(spec: string): string {
  let s = spec.startsWith('node:') ? spec.slice(5) : spec;
  if (s === 'fs/promises' || s === 'fs.promises') s = 'fs/promises';
  return s;
}

/** The package name of a bare specifier (`@scope/pkg/sub/path.js` → `@scope/pkg`). */
export function packageName(spec: string): string {
  const s = normalizeModuleName(spec);
  const parts = s.split('/');
  return s.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function buildProgram(modules: ProgramModule[]): Program {
  const byFile = new Map<string, number>();
  modules.forEach((m, i) => byFile.set(m.ir.file, i));
  const importedModules = new Set<string>();
  for (const m of modules) {
    for (const imp of m.ir.imports) {
      if (!imp.module.startsWith('.')) {
        importedModules.add(normalizeModuleName(imp.module));
        importedModules.add(packageName(imp.module));
      }
    }
    // CommonJS requires and dynamic imports, found in the text (cheap, used only as a condition)
    const re = /\b(?:require|import)\s*\(\s*['"]([^'"\s]+)['"]\s*\)/g;
    let m2: RegExpExecArray | null;
    while ((m2 = re.exec(m.text)) !== null) {
      const spec = m2[1]!;
      if (!spec.startsWith('.')) {
        importedModules.add(normalizeModuleName(spec));
        importedModules.add(packageName(spec));
      }
    }
  }
  return { modules, byFile, importedModules };
}

/** An expression of a function body, with where it is. */
export interface ExprSite {
  mod: number;
  fn: IRFunction;
  e: Expr;
}

/** A call expression, with its callee as text (`calleeText`). */
export interface CallSite extends ExprSite {
  e: Extract<Expr, { k: 'call' }>;
  callee: string;
}

interface ExprIndex {
  exprs: ExprSite[];
  calls: CallSite[];
  /** Per module: [start, end) in `calls`. */
  callRange: [number, number][];
}

const exprIndex = new WeakMap<Program, ExprIndex>();

function indexOf(p: Program): ExprIndex {
  let x = exprIndex.get(p);
  if (x) return x;
  const exprs: ExprSite[] = [];
  const calls: CallSite[] = [];
  const callRange: [number, number][] = [];
  p.modules.forEach((m, mod) => {
    const start = calls.length;
    for (const fn of m.ir.functions) {
      forEachExprInBody(fn.body, (e) => {
        exprs.push({ mod, fn, e });
        if (e.k === 'call') calls.push({ mod, fn, e, callee: calleeText(e.callee) });
      });
    }
    callRange.push([start, calls.length]);
  });
  x = { exprs, calls, callRange };
  exprIndex.set(p, x);
  return x;
}

/**
 * Every expression of every function body, in module, function and `forEachExprInBody` order — walked once per
 * program for the surface extractors and the rules, which used to walk the IR each on their own.
 */
export function programExprs(p: Program): readonly ExprSite[] {
  return indexOf(p).exprs;
}

/** The call expressions of `programExprs` (all modules, or one). */
export function programCalls(p: Program, mod?: number): readonly CallSite[] {
  const x = indexOf(p);
  if (mod === undefined) return x.calls;
  const [a, b] = x.callRange[mod] ?? [0, 0];
  return x.calls.slice(a, b);
}

const JS_EXT = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/** Resolve a relative specifier from a file to a module index, or undefined. */
export function resolveRelative(p: Program, fromFile: string, spec: string): number | undefined {
  if (!spec.startsWith('.')) return undefined;
  const lang = p.modules[p.byFile.get(fromFile) ?? -1]?.ir.language;
  if (lang === 'python') return resolvePythonRelative(p, fromFile, spec);
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  const candidates: string[] = [base];
  const ext = path.posix.extname(base);
  const stem = ext ? base.slice(0, -ext.length) : base;
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') for (const e of JS_EXT) candidates.push(stem + e);
  for (const e of JS_EXT) candidates.push(base + e);
  for (const e of JS_EXT) candidates.push(`${base}/index${e}`);
  for (const c of candidates) {
    const i = p.byFile.get(c);
    if (i !== undefined) return i;
  }
  return undefined;
}

function resolvePythonRelative(p: Program, fromFile: string, spec: string): number | undefined {
  const dots = /^\.+/.exec(spec)![0].length;
  let dir = path.posix.dirname(fromFile);
  for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
  const rest = spec.slice(dots).replace(/\./g, '/');
  const base = rest ? path.posix.join(dir, rest) : dir;
  for (const c of [`${base}.py`, `${base}/__init__.py`]) {
    const i = p.byFile.get(path.posix.normalize(c));
    if (i !== undefined) return i;
  }
  return undefined;
}

/** Resolve an absolute python module name (`pkg.helpers`) to a module of the program. */
export function resolvePythonAbsolute(p: Program, spec: string): number | undefined {
  const rel = spec.replace(/\./g, '/');
  for (const [file, i] of p.byFile) {
    if (file === `${rel}.py` || file.endsWith(`/${rel}.py`) || file === `${rel}/__init__.py` || file.endsWith(`/${rel}/__init__.py`)) return i;
  }
  return undefined;
}
