/**
 * TypeScript / TSX / JavaScript front-end: tree-sitter syntax tree → IR (see ../ir.ts).
 *
 * Handles ES modules and CommonJS, TypeScript-only syntax (types are dropped, parameter properties
 * become `this.x = x`), and what compilers and bundlers emit (`(0, mod_1.f)(…)`, `__importDefault`,
 * `exports.f = f`). Deep nesting is cut at MAX_DEPTH and recorded as a problem, never a crash.
 */
import type { SyntaxNode } from '../parser.js';
import { LowererBase, namedWithout, span } from '../lowering.js';
import type {
  Arg,
  ExportBinding,
  Expr,
  IRClass,
  IRFunction,
  IRModule,
  ObjProp,
  Param,
  Pattern,
  Stmt,
} from '../ir.js';


type N = SyntaxNode;


const DROP = new Set(['comment']);

/** Named children without comments (shared, read-only: never change it). */
function named(n: N): readonly N[] {
  return namedWithout(n, DROP);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

export function decodeEscape(text: string): string {
  // text like \n, \x41, \u0041, \u{1F600}, \\ , \'
  const c = text[1] ?? '';
  if (c in ESCAPES) return ESCAPES[c]!;
  if (c === 'x') return String.fromCharCode(parseInt(text.slice(2), 16) || 0);
  if (c === 'u') {
    const hex = text.slice(2).replace(/[{}]/g, '');
    const cp = parseInt(hex, 16);
    return Number.isFinite(cp) && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
  }
  if (c === '\n' || c === '\r') return '';
  return c;
}

/** The value of a string literal node. */
export function stringValue(n: N): string {
  let out = '';
  let any = false;
  for (const c of n.namedChildren) {
    if (!c) continue;
    any = true;
    if (c.type === 'string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += decodeEscape(c.text);
  }
  if (!any) {
    const t = n.text;
    return t.length >= 2 ? t.slice(1, -1) : '';
  }
  return out;
}

class Lowerer extends LowererBase {
  readonly exports: ExportBinding[] = [];

  constructor(private readonly file: string) {
    super();
  }

  // ---------- entry ----------
  module(root: N): void {
    const fn: IRFunction = { index: 0, name: '<module>', loc: span(root), params: [], body: [] };
    this.functions.push(fn);
    this.cur = 0;
    fn.body = this.body(named(root), true);
  }


  // ---------- statements ----------
  private body(nodes: readonly N[], topLevel = false): Stmt[] {
    const hoisted: Stmt[] = [];
    const out: Stmt[] = [];
    for (const n of nodes) {
      // function declarations are hoisted (so a handler registered above its declaration resolves)
      const decl = n.type === 'export_statement' ? n.childForFieldName('declaration') : n;
      if (decl && (decl.type === 'function_declaration' || decl.type === 'generator_function_declaration')) {
        const s = this.stmt(n, topLevel);
        hoisted.push(...s);
        continue;
      }
      out.push(...this.stmt(n, topLevel));
    }
    return hoisted.concat(out);
  }

  private block(n: N | null): Stmt[] {
    if (!n) return [];
    if (n.type === 'statement_block') return this.body(named(n));
    return this.stmt(n, false);
  }

  private stmt(n: N, topLevel: boolean): Stmt[] {
    if (this.tooDeep(n)) return [];
    this.depth++;
    try {
      return this.stmtInner(n, topLevel);
    } finally {
      this.depth--;
    }
  }

  private stmtInner(n: N, topLevel: boolean): Stmt[] {
    const loc = span(n);
    switch (n.type) {
      case 'expression_statement': {
        const e = named(n)[0];
        if (!e) return [];
        const expr = this.expr(e);
        if (topLevel) this.cjsExport(expr);
        const en = this.compiledEnum(expr);
        if (en) return [en];
        return [{ k: 'expr', loc, expr }];
      }
      case 'lexical_declaration':
      case 'variable_declaration': {
        const out: Stmt[] = [];
        for (const d of named(n)) {
          if (d.type !== 'variable_declarator') continue;
          const nameN = d.childForFieldName('name');
          const valueN = d.childForFieldName('value');
          if (!nameN) continue;
          // `const foo = () => …` / `var Foo = class { … }`: the function or class takes the variable's name
          const value = valueN ? (nameN.type === 'identifier' ? this.namedValue(valueN, nameN.text) : this.expr(valueN)) : undefined;
          out.push({ k: 'let', loc: span(d), target: this.pattern(nameN), value });
        }
        return out;
      }
      case 'function_declaration':
      case 'generator_function_declaration': {
        const nameN = n.childForFieldName('name');
        const name = nameN?.text ?? '<anonymous>';
        const fn = this.func(n, name);
        return [{ k: 'let', loc, target: { k: 'id', name, loc: nameN ? span(nameN) : loc }, value: fn }];
      }
      case 'class_declaration':
      case 'abstract_class_declaration': {
        const nameN = n.childForFieldName('name');
        const name = nameN?.text ?? '<class>';
        const cls = this.cls(n, name);
        return [{ k: 'let', loc, target: { k: 'id', name, loc: nameN ? span(nameN) : loc }, value: cls }];
      }
      case 'enum_declaration': {
        // enums are runtime objects: `enum T { A = "a" }` → let T = { A: "a" }
        const nameN = n.childForFieldName('name');
        const body = n.childForFieldName('body');
        if (!nameN || !body) return [];
        const props: ObjProp[] = [];
        let next = 0;
        for (const m of named(body)) {
          const keyN = m.type === 'enum_assignment' ? m.childForFieldName('name') : m;
          const valN = m.type === 'enum_assignment' ? m.childForFieldName('value') : null;
          if (!keyN) continue;
          let value: Expr;
          if (valN) {
            value = this.expr(valN);
            if (value.k === 'lit' && typeof value.value === 'number') next = value.value + 1;
          } else value = { k: 'lit', loc: span(keyN), kind: 'number', value: next++ };
          props.push({ key: propName(keyN), value, loc: span(m) });
        }
        return [{ k: 'let', loc, target: { k: 'id', name: nameN.text, loc: span(nameN) }, value: { k: 'obj', loc, props } }];
      }
      case 'return_statement': {
        const e = named(n)[0];
        return [{ k: 'return', loc, value: e ? this.expr(e) : undefined }];
      }
      case 'throw_statement': {
        const e = named(n)[0];
        return [{ k: 'throw', loc, value: e ? this.expr(e) : undefined }];
      }
      case 'if_statement': {
        const cond = n.childForFieldName('condition');
        const alt = n.childForFieldName('alternative');
        let elseBody: Stmt[] = [];
        if (alt) {
          const inner = alt.type === 'else_clause' ? named(alt)[0] : alt;
          if (inner) elseBody = this.block(inner);
        }
        return [
          {
            k: 'if',
            loc,
            test: cond ? this.expr(cond) : this.other(n, 'missing-condition', []),
            then: this.block(n.childForFieldName('consequence')),
            else: elseBody,
          },
        ];
      }
      case 'switch_statement': {
        const v = n.childForFieldName('value');
        const bodyN = n.childForFieldName('body');
        const cases = [];
        for (const c of bodyN ? named(bodyN) : []) {
          if (c.type !== 'switch_case' && c.type !== 'switch_default') continue;
          const valueN = c.type === 'switch_case' ? c.childForFieldName('value') : null;
          const stmts = named(c).filter((x) => x !== valueN && x.id !== valueN?.id);
          cases.push({ loc: span(c), test: valueN ? this.expr(valueN) : null, body: this.body(stmts) });
        }
        return [{ k: 'switch', loc, disc: v ? this.expr(v) : this.other(n, 'missing', []), cases }];
      }
      case 'for_statement': {
        const init = n.childForFieldName('initializer');
        const cond = n.childForFieldName('condition');
        const inc = n.childForFieldName('increment');
        const pre = init ? this.stmtOrExpr(init) : [];
        const body = this.block(n.childForFieldName('body'));
        if (inc) body.push({ k: 'expr', loc: span(inc), expr: this.expr(inc) });
        const testExpr = cond && cond.type !== 'empty_statement' ? this.exprOfStatement(cond) : undefined;
        return [...pre, { k: 'loop', loc, body, test: testExpr }];
      }
      case 'for_in_statement': {
        const left = n.childForFieldName('left');
        const right = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? (/\bof\b/.test(n.text.slice(0, 200)) ? 'of' : 'in');
        const body = this.block(n.childForFieldName('body'));
        if (!left || !right) return [{ k: 'loop', loc, body }];
        return [{ k: 'loop', loc, body, each: { target: this.pattern(left), iter: this.expr(right), kind: op === 'in' ? 'in' : 'of' } }];
      }
      case 'while_statement':
      case 'do_statement': {
        const cond = n.childForFieldName('condition');
        return [{ k: 'loop', loc, body: this.block(n.childForFieldName('body')), test: cond ? this.expr(cond) : undefined }];
      }
      case 'try_statement': {
        const h = n.childForFieldName('handler');
        const f = n.childForFieldName('finalizer');
        const param = h?.childForFieldName('parameter');
        return [
          {
            k: 'try',
            loc,
            body: this.block(n.childForFieldName('body')),
            param: param ? this.pattern(param) : undefined,
            handler: h ? this.block(h.childForFieldName('body')) : [],
            finalizer: f ? this.block(f.childForFieldName('body')) : [],
          },
        ];
      }
      case 'statement_block':
        return [{ k: 'block', loc, body: this.body(named(n)) }];
      case 'labeled_statement': {
        const b = n.childForFieldName('body') ?? named(n).at(-1);
        return b ? this.stmt(b, topLevel) : [];
      }
      case 'break_statement':
        return [{ k: 'break', loc }];
      case 'continue_statement':
        return [{ k: 'continue', loc }];
      case 'import_statement':
        this.importStmt(n);
        return [];
      case 'import_alias':
        return [];
      case 'export_statement':
        return this.exportStmt(n, topLevel);
      case 'internal_module':
      case 'module': {
        const b = n.childForFieldName('body');
        return b ? this.body(named(b)) : [];
      }
      case 'expression_statement_list':
        return [];
      case 'ERROR': {
        this.problems.push(`syntax error at line ${loc.line}`);
        // keep what can be understood inside the error node
        const out: Stmt[] = [];
        for (const c of named(n)) {
          if (isExpressionNode(c)) out.push({ k: 'expr', loc: span(c), expr: this.expr(c) });
          else out.push(...this.stmt(c, topLevel));
        }
        return out;
      }
      default:
        if (isTypeOnly(n.type)) return [];
        if (isExpressionNode(n)) return [{ k: 'expr', loc, expr: this.expr(n) }];
        return [];
    }
  }

  private stmtOrExpr(n: N): Stmt[] {
    if (n.type === 'lexical_declaration' || n.type === 'variable_declaration') return this.stmt(n, false);
    const e = this.exprOfStatement(n);
    return e ? [{ k: 'expr', loc: span(n), expr: e }] : [];
  }

  private exprOfStatement(n: N): Expr | undefined {
    if (n.type === 'expression_statement') {
      const e = named(n)[0];
      return e ? this.expr(e) : undefined;
    }
    if (n.type === 'empty_statement') return undefined;
    return this.expr(n);
  }

  /** What tsc emits for an enum: `(function (T) { T["A"] = "a"; })(T || (T = {}))` → `T = { A: "a" }`. */
  private compiledEnum(e: Expr): Stmt | undefined {
    if (e.k !== 'call' || e.callee.k !== 'fn' || e.args.length !== 1) return undefined;
    const a = e.args[0]!.value;
    if (a.k !== 'bin' || a.op !== '||' || a.left.k !== 'var') return undefined;
    const name = a.left.name;
    const fn = this.functions[e.callee.fn]!;
    const p = fn.params[0]?.pattern;
    if (!p || p.k !== 'id') return undefined;
    const props: ObjProp[] = [];
    for (const st of fn.body) {
      if (st.k !== 'expr') continue;
      let x = st.expr;
      // numeric enums: T[T["A"] = 0] = "A"
      if (x.k === 'assign' && x.target.k === 'expr' && x.target.expr.k === 'member' && x.target.expr.index?.k === 'assign') x = x.target.expr.index;
      if (x.k !== 'assign' || x.target.k !== 'expr' || x.target.expr.k !== 'member') continue;
      const t = x.target.expr;
      if (t.obj.k !== 'var' || t.obj.name !== p.name || t.prop === undefined) continue;
      props.push({ key: t.prop, value: x.value, loc: x.loc });
    }
    if (!props.length) return undefined;
    return { k: 'expr', loc: e.loc, expr: { k: 'assign', loc: e.loc, op: '=', target: { k: 'id', name, loc: a.left.loc }, value: { k: 'obj', loc: e.loc, props } } };
  }

  private namedValue(n: N, name: string): Expr {
    if ((n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'function') && !n.childForFieldName('name')) return this.func(n, name);
    if (n.type === 'class' && !n.childForFieldName('name')) return this.cls(n, name);
    return this.expr(n);
  }

  // ---------- CommonJS exports ----------
  private cjsExport(e: Expr): void {
    if (e.k !== 'assign' || e.target.k !== 'expr') return;
    const t = e.target.expr;
    if (t.k !== 'member') return;
    // module.exports = X
    if (t.obj.k === 'var' && t.obj.name === 'module' && t.prop === 'exports') {
      this.exports.push({ exported: '=', expr: e.value });
      return;
    }
    // exports.f = X / module.exports.f = X
    const isExportsObj =
      (t.obj.k === 'var' && t.obj.name === 'exports') ||
      (t.obj.k === 'member' && t.obj.prop === 'exports' && t.obj.obj.k === 'var' && t.obj.obj.name === 'module');
    if (isExportsObj && t.prop) {
      // tsc: exports.a = exports.b = void 0; → skip the void initialisers
      if (e.value.k === 'unary' && e.value.op === 'void') return;
      if (e.value.k === 'assign') return;
      this.exports.push({ exported: t.prop, expr: e.value, local: e.value.k === 'var' ? e.value.name : undefined });
    }
  }

  // ---------- imports / exports ----------
  private importStmt(n: N): void {
    const src = n.childForFieldName('source');
    // `import type …` → skip
    if (/^import\s+type\s/.test(n.text)) return;
    if (!src) {
      // TS: import x = require('m')
      const req = n.descendantsOfType('import_require_clause')[0];
      if (req) {
        const id = named(req)[0];
        const s = named(req).find((c) => c.type === 'string');
        if (id && s) this.imports.push({ local: id.text, module: stringValue(s), imported: '*', loc: span(n) });
      }
      return;
    }
    const module = stringValue(src);
    const clause = named(n).find((c) => c.type === 'import_clause');
    if (!clause) {
      this.imports.push({ local: '', module, imported: '', loc: span(n) });
      return;
    }
    for (const c of named(clause)) {
      if (c.type === 'identifier') this.imports.push({ local: c.text, module, imported: 'default', loc: span(c) });
      else if (c.type === 'namespace_import') {
        const id = named(c)[0];
        if (id) this.imports.push({ local: id.text, module, imported: '*', loc: span(c) });
      } else if (c.type === 'named_imports') {
        for (const s of named(c)) {
          if (s.type !== 'import_specifier') continue;
          if (/^type\s/.test(s.text)) continue;
          const nameN = s.childForFieldName('name');
          const aliasN = s.childForFieldName('alias');
          if (!nameN) continue;
          const imported = nameN.type === 'string' ? stringValue(nameN) : nameN.text;
          this.imports.push({ local: (aliasN ?? nameN).text, module, imported, loc: span(s) });
        }
      }
    }
  }

  private exportStmt(n: N, topLevel: boolean): Stmt[] {
    const decl = n.childForFieldName('declaration');
    const value = n.childForFieldName('value');
    const src = n.childForFieldName('source');
    const isDefault = /^export\s+default\b/.test(n.text);
    if (decl) {
      const stmts = this.stmt(decl, topLevel);
      for (const s of stmts) {
        if (s.k === 'let' && s.target.k === 'id') {
          this.exports.push({ exported: isDefault ? 'default' : s.target.name, local: s.target.name });
        } else if (s.k === 'let') {
          for (const nm of patternNamesLocal(s.target)) this.exports.push({ exported: nm, local: nm });
        }
      }
      return stmts;
    }
    if (value) {
      const e = this.expr(value);
      this.exports.push({ exported: 'default', expr: e, local: e.k === 'var' ? e.name : undefined });
      return [{ k: 'expr', loc: span(n), expr: e }];
    }
    const from = src ? stringValue(src) : undefined;
    const clause = named(n).find((c) => c.type === 'export_clause');
    if (clause) {
      for (const s of named(clause)) {
        if (s.type !== 'export_specifier') continue;
        const nameN = s.childForFieldName('name');
        const aliasN = s.childForFieldName('alias');
        if (!nameN) continue;
        const local = nameN.type === 'string' ? stringValue(nameN) : nameN.text;
        const exported = aliasN ? (aliasN.type === 'string' ? stringValue(aliasN) : aliasN.text) : local;
        this.exports.push(from ? { exported, from, imported: local } : { exported, local });
      }
    } else if (from) {
      const ns = named(n).find((c) => c.type === 'namespace_export');
      const id = ns ? named(ns)[0] : undefined;
      this.exports.push({ exported: id ? id.text : '*', from, imported: '*' });
    }
    return [];
  }

  // ---------- functions and classes ----------
  private func(n: N, name: string, cls?: number): Expr {
    const index = this.functions.length;
    const fn: IRFunction = {
      index,
      name,
      loc: span(n),
      params: [],
      body: [],
      parent: this.cur,
      cls,
      isAsync: /^(?:(?:export|default|static|public|private|protected|override|readonly)\s+)*async\b/.test(n.text.slice(0, 80)),
      isArrow: n.type === 'arrow_function',
    };
    this.functions.push(fn);
    const saved = this.cur;
    this.cur = index;
    try {
      const prologue: Stmt[] = [];
      const paramsN = n.childForFieldName('parameters');
      const single = n.childForFieldName('parameter');
      if (paramsN) fn.params = this.params(paramsN, prologue);
      else if (single) fn.params = [{ pattern: this.pattern(single) }];
      const bodyN = n.childForFieldName('body');
      if (bodyN) {
        if (bodyN.type === 'statement_block') fn.body = prologue.concat(this.body(named(bodyN)));
        else fn.body = prologue.concat([{ k: 'return', loc: span(bodyN), value: this.expr(bodyN) }]);
      }
    } finally {
      this.cur = saved;
    }
    return { k: 'fn', loc: span(n), fn: index };
  }

  private params(n: N, prologue: Stmt[]): Param[] {
    const out: Param[] = [];
    for (const p of named(n)) {
      switch (p.type) {
        case 'required_parameter':
        case 'optional_parameter': {
          const pat = p.childForFieldName('pattern');
          if (!pat) break;
          const typeN = p.childForFieldName('type');
          const valueN = p.childForFieldName('value');
          const isRest = pat.type === 'rest_pattern';
          const pattern = this.pattern(isRest ? (named(pat)[0] ?? pat) : pat);
          out.push({
            pattern,
            rest: isRest || undefined,
            default: valueN ? this.expr(valueN) : undefined,
            type: typeN ? typeN.text.replace(/^:\s*/, '') : undefined,
          });
          // TS parameter properties: constructor(private pool: Pool) → this.pool = pool
          if (named(p).some((c) => c.type === 'accessibility_modifier' || c.type === 'override_modifier') || /^readonly\s/.test(p.text)) {
            if (pattern.k === 'id') {
              const loc = span(p);
              prologue.push({
                k: 'expr',
                loc,
                expr: {
                  k: 'assign',
                  loc,
                  op: '=',
                  target: { k: 'expr', loc, expr: { k: 'member', loc, obj: { k: 'this', loc }, prop: pattern.name } },
                  value: { k: 'var', loc, name: pattern.name },
                },
              });
            }
          }
          break;
        }
        case 'rest_pattern': {
          const inner = named(p)[0];
          if (inner) out.push({ pattern: this.pattern(inner), rest: true });
          break;
        }
        case 'assignment_pattern': {
          const l = p.childForFieldName('left');
          const r = p.childForFieldName('right');
          if (l) out.push({ pattern: this.pattern(l), default: r ? this.expr(r) : undefined });
          break;
        }
        case 'this':
          break; // TS `this` parameter
        default:
          out.push({ pattern: this.pattern(p) });
      }
    }
    return out;
  }

  private cls(n: N, name: string): Expr {
    const index = this.classes.length;
    const c: IRClass = { index, name, loc: span(n), methods: {}, fields: [] };
    this.classes.push(c);
    const heritage = named(n).find((x) => x.type === 'class_heritage');
    if (heritage) {
      const ext = named(heritage).find((x) => x.type === 'extends_clause') ?? heritage;
      const v = ext.type === 'extends_clause' ? ext.childForFieldName('value') ?? named(ext)[0] : named(ext)[0];
      if (v) c.superClass = this.expr(v);
    }
    const body = n.childForFieldName('body');
    for (const m of body ? named(body) : []) {
      if (m.type === 'method_definition' || m.type === 'abstract_method_signature') {
        const nameN = m.childForFieldName('name');
        const mname = nameN ? propName(nameN) : '<method>';
        if (m.type === 'method_definition') {
          const fe = this.func(m, `${name}.${mname}`, index) as { k: 'fn'; fn: number };
          // getters and setters share a name; keep the first
          if (!Object.hasOwn(c.methods, mname)) c.methods[mname] = fe.fn;
        }
      } else if (m.type === 'public_field_definition' || m.type === 'field_definition') {
        const nameN = m.childForFieldName('name') ?? m.childForFieldName('property');
        const valueN = m.childForFieldName('value');
        if (!nameN || !valueN) continue;
        const loc = span(m);
        const saved = this.cur;
        // field initialisers run in the constructor: lower them in a pseudo-scope of the class
        const value = this.expr(valueN);
        this.cur = saved;
        c.fields.push({
          k: 'expr',
          loc,
          expr: {
            k: 'assign',
            loc,
            op: '=',
            target: { k: 'expr', loc, expr: { k: 'member', loc, obj: { k: 'this', loc }, prop: propName(nameN) } },
            value,
          },
        });
      }
    }
    return { k: 'class', loc: span(n), cls: index };
  }

  // ---------- patterns ----------
  private pattern(n: N): Pattern {
    const loc = span(n);
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier_pattern':
      case 'shorthand_property_identifier':
        return { k: 'id', name: n.text, loc };
      case 'object_pattern': {
        const props: { key?: string; computed?: Expr; value: Pattern }[] = [];
        let rest: Pattern | undefined;
        for (const c of named(n)) {
          if (c.type === 'shorthand_property_identifier_pattern') props.push({ key: c.text, value: { k: 'id', name: c.text, loc: span(c) } });
          else if (c.type === 'pair_pattern') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (!k || !v) continue;
            if (k.type === 'computed_property_name') props.push({ computed: this.expr(named(k)[0] ?? k), value: this.pattern(v) });
            else props.push({ key: propName(k), value: this.pattern(v) });
          } else if (c.type === 'object_assignment_pattern') {
            const l = c.childForFieldName('left');
            const r = c.childForFieldName('right');
            if (!l) continue;
            const inner = this.pattern(l);
            const key = inner.k === 'id' ? inner.name : undefined;
            props.push({ key, value: r ? { k: 'default', pattern: inner, value: this.expr(r), loc: span(c) } : inner });
          } else if (c.type === 'rest_pattern') {
            const inner = named(c)[0];
            if (inner) rest = this.pattern(inner);
          }
        }
        return { k: 'objpat', props, rest, loc };
      }
      case 'array_pattern': {
        const elems: (Pattern | null)[] = [];
        let rest: Pattern | undefined;
        for (const c of named(n)) {
          if (c.type === 'rest_pattern') {
            const inner = named(c)[0];
            if (inner) rest = this.pattern(inner);
          } else elems.push(this.pattern(c));
        }
        return { k: 'arrpat', elems, rest, loc };
      }
      case 'assignment_pattern': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (!l) return { k: 'id', name: '_', loc };
        return { k: 'default', pattern: this.pattern(l), value: r ? this.expr(r) : this.other(n, 'missing', []), loc };
      }
      case 'rest_pattern': {
        const inner = named(n)[0];
        return inner ? this.pattern(inner) : { k: 'id', name: '_', loc };
      }
      case 'parenthesized_expression':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression': {
        const inner = named(n)[0];
        return inner ? this.pattern(inner) : { k: 'id', name: '_', loc };
      }
      case 'object':
      case 'array':
        // destructuring assignment written as an object/array literal on the left
        if (n.type === 'array') return { k: 'arrpat', elems: named(n).map((c) => this.pattern(c)), loc };
        return {
          k: 'objpat',
          loc,
          props: named(n).flatMap((c) => {
            if (c.type === 'shorthand_property_identifier') return [{ key: c.text, value: { k: 'id', name: c.text, loc: span(c) } as Pattern }];
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            return c.type === 'pair' && k && v ? [{ key: propName(k), value: this.pattern(v) }] : [];
          }),
        };
      default:
        return { k: 'expr', expr: this.expr(n), loc };
    }
  }

  // ---------- expressions ----------

  private args(n: N | null): Arg[] {
    if (!n) return [];
    if (n.type === 'template_string') return [{ value: this.expr(n) }];
    const out: Arg[] = [];
    for (const c of named(n)) {
      if (c.type === 'spread_element') {
        const inner = named(c)[0];
        if (inner) out.push({ value: this.expr(inner), spread: true });
      } else out.push({ value: this.expr(c) });
    }
    return out;
  }

  protected exprInner(n: N): Expr {
    const loc = span(n);
    switch (n.type) {
      case 'identifier':
      case 'shorthand_property_identifier':
      case 'property_identifier':
      case 'private_property_identifier':
      case 'statement_identifier':
        return { k: 'var', loc, name: n.text };
      case 'undefined':
        return { k: 'lit', loc, kind: 'undefined', value: null };
      case 'this':
        return { k: 'this', loc };
      case 'super':
        return { k: 'super', loc };
      case 'string':
        return { k: 'lit', loc, kind: 'string', value: stringValue(n) };
      case 'number':
        return { k: 'lit', loc, kind: 'number', value: Number(n.text.replace(/_/g, '')) };
      case 'true':
      case 'false':
        return { k: 'lit', loc, kind: 'bool', value: n.type === 'true' };
      case 'null':
        return { k: 'lit', loc, kind: 'null', value: null };
      case 'regex':
        return { k: 'lit', loc, kind: 'regex', value: n.text };
      case 'template_string': {
        const parts: Expr[] = [];
        let buf = '';
        let bufLoc = loc;
        const flush = () => {
          if (buf) parts.push({ k: 'lit', loc: bufLoc, kind: 'string', value: buf });
          buf = '';
        };
        for (const c of named(n)) {
          if (c.type === 'string_fragment') {
            if (!buf) bufLoc = span(c);
            buf += c.text;
          } else if (c.type === 'escape_sequence') buf += decodeEscape(c.text);
          else if (c.type === 'template_substitution') {
            flush();
            const inner = named(c)[0];
            if (inner) parts.push(this.expr(inner));
          }
        }
        flush();
        return { k: 'tpl', loc, parts };
      }
      case 'member_expression': {
        const obj = n.childForFieldName('object');
        const prop = n.childForFieldName('property');
        const optional = named(n).some((c) => c.type === 'optional_chain') || n.text.includes('?.');
        return { k: 'member', loc, obj: obj ? this.expr(obj) : this.other(n, 'missing', []), prop: prop?.text, optional: optional || undefined };
      }
      case 'subscript_expression': {
        const obj = n.childForFieldName('object');
        const idx = n.childForFieldName('index');
        const index = idx ? this.expr(idx) : undefined;
        const prop = index && index.k === 'lit' && (index.kind === 'string' || index.kind === 'number') ? String(index.value) : undefined;
        return { k: 'member', loc, obj: obj ? this.expr(obj) : this.other(n, 'missing', []), prop, index };
      }
      case 'call_expression': {
        const f = n.childForFieldName('function');
        const a = n.childForFieldName('arguments');
        let callee = f ? (f.type === 'import' ? ({ k: 'var', loc: span(f), name: 'import' } as Expr) : this.expr(f)) : this.other(n, 'missing', []);
        // tree-sitter reads `await (0, f)(x)` as a call of a function named `await`: undo that
        if (callee.k === 'var' && callee.name === 'await') {
          const inner = this.args(a).map((x) => x.value);
          return { k: 'await', loc, arg: inner.length === 1 ? inner[0]! : { k: 'seq', loc, exprs: inner } };
        }
        let awaited = false;
        if (callee.k === 'call' && callee.callee.k === 'var' && callee.callee.name === 'await') {
          const inner = callee.args.map((x) => x.value);
          callee = inner.length === 1 ? inner[0]! : { k: 'seq', loc: callee.loc, exprs: inner };
          awaited = true;
        } else if (callee.k === 'await' && f?.type === 'call_expression') {
          callee = callee.arg;
          awaited = true;
        }
        let call: Expr;
        if (a && a.type === 'template_string') call = { k: 'tpl', loc, parts: (this.expr(a) as { parts: Expr[] }).parts, tag: callee };
        else call = { k: 'call', loc, callee, args: this.args(a) };
        return awaited ? { k: 'await', loc, arg: call } : call;
      }
      case 'new_expression': {
        const c = n.childForFieldName('constructor');
        return { k: 'call', loc, callee: c ? this.expr(c) : this.other(n, 'missing', []), args: this.args(n.childForFieldName('arguments')), isNew: true };
      }
      case 'await_expression': {
        const inner = named(n)[0];
        return { k: 'await', loc, arg: inner ? this.expr(inner) : this.other(n, 'missing', []) };
      }
      case 'yield_expression': {
        const inner = named(n)[0];
        return this.other(n, 'yield', inner ? [this.expr(inner)] : []);
      }
      case 'parenthesized_expression':
      case 'non_null_expression':
      case 'as_expression':
      case 'satisfies_expression':
      case 'type_assertion': {
        const kids = named(n).filter((c) => !isTypeOnly(c.type) && c.type !== 'type_arguments');
        const inner = n.type === 'type_assertion' ? kids.at(-1) : kids[0];
        return inner ? this.expr(inner) : this.other(n, 'empty', []);
      }
      case 'sequence_expression': {
        const exprs = named(n).map((c) => this.expr(c));
        // flatten nested sequences
        const flat: Expr[] = [];
        for (const e of exprs) if (e.k === 'seq') flat.push(...e.exprs);
        else flat.push(e);
        return { k: 'seq', loc, exprs: flat };
      }
      case 'binary_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.childForFieldName('operator')?.text ?? '?';
        return { k: 'bin', loc, op, left: l ? this.expr(l) : this.other(n, 'missing', []), right: r ? this.expr(r) : this.other(n, 'missing', []) };
      }
      case 'unary_expression': {
        const a = n.childForFieldName('argument');
        const op = n.childForFieldName('operator')?.text ?? '?';
        return { k: 'unary', loc, op, arg: a ? this.expr(a) : this.other(n, 'missing', []) };
      }
      case 'update_expression': {
        const a = n.childForFieldName('argument');
        return this.other(n, 'update', a ? [this.expr(a)] : []);
      }
      case 'ternary_expression': {
        const c = n.childForFieldName('condition');
        const t = n.childForFieldName('consequence');
        const e = n.childForFieldName('alternative');
        const miss = () => this.other(n, 'missing', []);
        return { k: 'cond', loc, test: c ? this.expr(c) : miss(), then: t ? this.expr(t) : miss(), else: e ? this.expr(e) : miss() };
      }
      case 'assignment_expression':
      case 'augmented_assignment_expression': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const op = n.type === 'assignment_expression' ? '=' : (n.childForFieldName('operator')?.text ?? '+=');
        return {
          k: 'assign',
          loc,
          op,
          target: l ? this.pattern(l) : { k: 'id', name: '_', loc },
          value: r ? this.expr(r) : this.other(n, 'missing', []),
        };
      }
      case 'object': {
        const props: ObjProp[] = [];
        for (const c of named(n)) {
          const cl = span(c);
          if (c.type === 'pair') {
            const k = c.childForFieldName('key');
            const v = c.childForFieldName('value');
            if (!k || !v) continue;
            if (k.type === 'computed_property_name') {
              const ke = named(k)[0];
              const computed = ke ? this.expr(ke) : undefined;
              const key = computed && computed.k === 'lit' && computed.kind === 'string' ? String(computed.value) : undefined;
              props.push({ key, computed: key ? undefined : computed, value: this.expr(v), loc: cl });
            } else props.push({ key: propName(k), value: this.expr(v), loc: cl });
          } else if (c.type === 'shorthand_property_identifier') {
            props.push({ key: c.text, value: { k: 'var', loc: cl, name: c.text }, loc: cl });
          } else if (c.type === 'spread_element') {
            const inner = named(c)[0];
            if (inner) props.push({ value: this.expr(inner), spread: true, loc: cl });
          } else if (c.type === 'method_definition') {
            const k = c.childForFieldName('name');
            const key = k ? propName(k) : undefined;
            props.push({ key, value: this.func(c, key ?? '<method>'), loc: cl });
          }
        }
        return { k: 'obj', loc, props };
      }
      case 'array': {
        const elems: Arg[] = [];
        for (const c of named(n)) {
          if (c.type === 'spread_element') {
            const inner = named(c)[0];
            if (inner) elems.push({ value: this.expr(inner), spread: true });
          } else elems.push({ value: this.expr(c) });
        }
        return { k: 'arr', loc, elems };
      }
      case 'arrow_function':
      case 'function_expression':
      case 'function':
      case 'generator_function': {
        const nameN = n.childForFieldName('name');
        return this.func(n, nameN?.text ?? `<${n.type === 'arrow_function' ? 'arrow' : 'function'}@${loc.line}>`);
      }
      case 'class': {
        const nameN = n.childForFieldName('name');
        return this.cls(n, nameN?.text ?? `<class@${loc.line}>`);
      }
      case 'spread_element': {
        const inner = named(n)[0];
        return inner ? this.expr(inner) : this.other(n, 'empty', []);
      }
      case 'ERROR':
        this.problems.push(`syntax error at line ${loc.line}`);
        return this.other(n, 'error', named(n).filter(isExpressionNode).map((c) => this.expr(c)));
      default: {
        if (isTypeOnly(n.type)) return this.other(n, n.type, []);
        // jsx and anything else: keep children so taint can still flow through
        const kids = named(n).filter((c) => !isTypeOnly(c.type));
        return this.other(n, n.type, kids.map((c) => this.expr(c)));
      }
    }
  }
}

function propName(k: N): string {
  if (k.type === 'string') return stringValue(k);
  return k.text;
}

function patternNamesLocal(p: Pattern): string[] {
  const out: string[] = [];
  const walk = (q: Pattern) => {
    if (q.k === 'id') out.push(q.name);
    else if (q.k === 'default') walk(q.pattern);
    else if (q.k === 'objpat') {
      q.props.forEach((x) => walk(x.value));
      if (q.rest) walk(q.rest);
    } else if (q.k === 'arrpat') {
      q.elems.forEach((x) => x && walk(x));
      if (q.rest) walk(q.rest);
    }
  };
  walk(p);
  return out;
}

const TYPE_ONLY = new Set([
  'type_alias_declaration',
  'interface_declaration',
  'ambient_declaration',
  'type_annotation',
  'type_arguments',
  'type_parameters',
  'predefined_type',
  'type_identifier',
  'generic_type',
  'function_signature',
  'abstract_method_signature',
  'index_signature',
  'declare_statement',
  'import_alias',
]);

function isTypeOnly(t: string): boolean {
  return TYPE_ONLY.has(t);
}

const STATEMENT_TYPES = new Set([
  'expression_statement',
  'lexical_declaration',
  'variable_declaration',
  'function_declaration',
  'generator_function_declaration',
  'class_declaration',
  'return_statement',
  'throw_statement',
  'if_statement',
  'switch_statement',
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
  'try_statement',
  'statement_block',
  'import_statement',
  'export_statement',
  'empty_statement',
  'break_statement',
  'continue_statement',
  'labeled_statement',
]);

function isExpressionNode(n: N): boolean {
  return !STATEMENT_TYPES.has(n.type) && !isTypeOnly(n.type) && n.type !== 'comment';
}

/** Lower a parsed tree to an IR module. */
export function lowerTypeScript(root: N, file: string, language: IRModule['language'], lines: number): IRModule {
  const l = new Lowerer(file);
  l.module(root);
  return {
    file,
    language,
    functions: l.functions,
    classes: l.classes,
    imports: l.imports,
    exports: l.exports,
    lines,
    // an ERROR node inside another on the same line reports the same problem twice: keep one of each
    problems: [...new Set(l.problems)],
  };
}
