/**
 * The Python MCP surface: tools, resources, prompts and transports of python servers, found in the IR
 * (see languages/python/lower.ts), with the same result shape as `extractSurface` (mcp/surface.ts).
 *
 * Styles:
 * - FastMCP, from the official `mcp` SDK (`from mcp.server.fastmcp import FastMCP`) and from the standalone
 *   `fastmcp` 2.x package: `@mcp.tool()` / `@mcp.tool` / `@mcp.tool(name=…, description=…)` / `@mcp.tool("name")`,
 *   `@mcp.resource("uri://{var}")`, `@mcp.prompt()`, and the call forms `mcp.tool()(f)`, `mcp.add_tool(f, …)`.
 *   Name: the decorator's argument or the function's name; description: the decorator's argument or the
 *   docstring; parameters: the function's signature with its type hints (`str`, `int`, `float`, `bool`,
 *   `Literal[…]` → enum, `list[str]`, `Optional[…]`, `Annotated[str, Field(description=…)]`, enum classes,
 *   pydantic `Field(…)` defaults). A parameter typed `Context` is not an argument.
 * - the low-level `Server` (`mcp.server.lowlevel`): `@server.list_tools()` returning `Tool(name=…, description=…,
 *   inputSchema={…})` (or `inputSchema=Model.model_json_schema()`), `@server.call_tool()` dispatching on the
 *   name (`if name == "x":` / `match name:`), `@server.read_resource()`, `@server.get_prompt()`,
 *   `@server.list_resources()`, `@server.list_prompts()`.
 * - transports: `mcp.run()` (stdio), `mcp.run(transport="sse" | "streamable-http" | "http", host=…, port=…)`,
 *   `FastMCP("x", host=…, port=…)`, `mcp.sse_app()` / `streamable_http_app()` / `http_app()` served by
 *   `uvicorn.run(app, host=…, port=…)`, `stdio_server()`, `SseServerTransport`, `StreamableHTTPSessionManager`;
 *   authentication from `auth=` / `token_verifier=` / `auth_server_provider=` and Starlette authentication
 *   middleware; DNS-rebinding protection from `transport_security=`.
 * - HTTP routes of FastAPI / Starlette apps served beside the MCP server (`@app.get("/x")`).
 *
 * Entry points (`pythonEntryParams`, `pythonDispatcherParams`, `pythonRouteParams`): for a decorator-registered
 * handler every parameter is the tool argument of the same name, a source of its own; parameters typed
 * int/float/bool/Literal/enum are pre-cleared (FastMCP validates them with pydantic before the call).
 */
import type { Expr, IRFunction, IRModule, Span, Stmt } from '../languages/ir.js';
import { calleeText as irCalleeText, forEachExprInBody, forEachStmt } from '../languages/ir.js';
import type { Location, ParamInfo, PrimitiveDef, PrimitiveRef, SourceKind, TransportDef } from '../model.js';
import type { Engine } from '../analysis/engine.js';
import { programCalls, resolvePythonAbsolute, resolveRelative, type Program } from '../analysis/program.js';
import { EMPTY, mapFacts, refValue, typedParamMask, type Value } from '../analysis/values.js';
import type { HandlerRef, RegisteredPrimitive, SurfaceResult } from './surface.js';
import { primitiveRegions } from './surface.js';

type CallExpr = Extract<Expr, { k: 'call' }>;

function loc(file: string, s: Span): Location {
  return { file, line: s.line, column: s.col, endLine: s.endLine, endColumn: s.endCol };
}

/** `mcp.tool`, `self.server.call_tool`, `types.Tool`. */
const calleeText = (e: Expr): string => irCalleeText(e, 'self');

function lastName(t: string): string {
  return t.slice(t.lastIndexOf('.') + 1);
}

function kwArg(c: CallExpr, name: string): Expr | undefined {
  return c.args.find((a) => a.name === name)?.value;
}

function posArgs(c: CallExpr): Expr[] {
  return c.args.filter((a) => !a.name && !a.spread).map((a) => a.value);
}

// ------------------------------------------------------------------ constants
/** Follows names to their module-level values (same module, then python imports). */
class PyConsts {
  private readonly cache = new Map<number, Map<string, Expr>>();
  constructor(readonly program: Program) {}

  topLevel(m: number): Map<string, Expr> {
    let c = this.cache.get(m);
    if (c) return c;
    c = new Map();
    const visit = (body: Stmt[]) => {
      for (const s of body) {
        if (s.k === 'let' && s.target.k === 'id' && s.value) c!.set(s.target.name, s.value);
        else if (s.k === 'expr' && s.expr.k === 'assign' && s.expr.op === '=' && s.expr.target.k === 'id') c!.set(s.expr.target.name, s.expr.value);
        else if (s.k === 'if' || s.k === 'try' || s.k === 'block') {
          // module-level definitions under `if TYPE_CHECKING:` / `try: import …`
          if (s.k === 'if') {
            visit(s.then);
            visit(s.else);
          } else if (s.k === 'try') visit(s.body);
          else visit(s.body);
        }
      }
    };
    visit(this.program.modules[m]!.ir.functions[0]!.body);
    this.cache.set(m, c);
    return c;
  }

  /** The module an import binding of module m refers to, when it is part of the program. */
  importTarget(m: number, local: string): { mod: number; name: string } | undefined {
    const mod = this.program.modules[m]!.ir;
    const imp = mod.imports.find((i) => i.local === local);
    if (!imp) return undefined;
    const spec = imp.module;
    const resolve = (s: string) => (s.startsWith('.') ? resolveRelative(this.program, mod.file, s) : resolvePythonAbsolute(this.program, s));
    if (imp.imported === '*') return undefined;
    const t = resolve(spec);
    if (t !== undefined && this.topLevel(t).has(imp.imported)) return { mod: t, name: imp.imported };
    const sub = resolve(spec.endsWith('.') ? spec + imp.imported : `${spec}.${imp.imported}`);
    if (sub !== undefined) return undefined;
    return t !== undefined ? { mod: t, name: imp.imported } : undefined;
  }

  resolve(m: number, e: Expr, depth = 0): { mod: number; expr: Expr } {
    if (depth > 8) return { mod: m, expr: e };
    if (e.k === 'var') {
      const t = this.topLevel(m).get(e.name);
      if (t && t !== e) return this.resolve(m, t, depth + 1);
      const it = this.importTarget(m, e.name);
      if (it) {
        const v = this.topLevel(it.mod).get(it.name);
        if (v) return this.resolve(it.mod, v, depth + 1);
      }
    }
    if (e.k === 'await') return this.resolve(m, e.arg, depth + 1);
    if (e.k === 'member' && e.prop !== undefined) {
      const base = this.resolve(m, e.obj, depth + 1);
      if (base.expr.k === 'obj') {
        const p = base.expr.props.find((x) => x.key === e.prop);
        if (p) return this.resolve(base.mod, p.value, depth + 1);
      }
    }
    return { mod: m, expr: e };
  }

  str(m: number, e: Expr | undefined): string | undefined {
    if (!e) return undefined;
    const r = this.resolve(m, e);
    const x = r.expr;
    if (x.k === 'lit' && x.kind === 'string') return String(x.value);
    if (x.k === 'tpl' && !x.tag && x.parts.every((p) => p.k === 'lit')) return x.parts.map((p) => String((p as { value: unknown }).value)).join('');
    if (x.k === 'bin' && x.op === '+') {
      const l = this.str(r.mod, x.left);
      const rr = this.str(r.mod, x.right);
      if (l !== undefined && rr !== undefined) return l + rr;
    }
    // textwrap.dedent("""…""") / "…".strip()
    if (x.k === 'call' && x.args.length <= 1) {
      const ct = calleeText(x.callee);
      if (/(^|\.)dedent$/.test(ct) && x.args[0]) return this.str(r.mod, x.args[0].value)?.replace(/^\n/, '');
      if (x.callee.k === 'member' && /^(strip|lstrip|rstrip)$/.test(x.callee.prop ?? '') && !x.args.length) {
        const s = this.str(r.mod, x.callee.obj);
        return s === undefined ? undefined : x.callee.prop === 'strip' ? s.trim() : x.callee.prop === 'lstrip' ? s.trimStart() : s.trimEnd();
      }
    }
    return undefined;
  }

  lit(m: number, e: Expr | undefined): string | number | boolean | null | undefined {
    if (!e) return undefined;
    const x = this.resolve(m, e).expr;
    if (x.k === 'lit' && (x.kind === 'string' || x.kind === 'number' || x.kind === 'bool' || x.kind === 'null')) return x.value;
    return this.str(m, e);
  }

  fnOf(m: number, e: Expr | undefined): HandlerRef | undefined {
    if (!e) return undefined;
    if (e.k === 'fn') return { mod: m, fn: e.fn };
    const r = this.resolve(m, e);
    if (r.expr.k === 'fn') return { mod: r.mod, fn: r.expr.fn };
    return undefined;
  }

  /** A class defined at module level (or imported from a module of the program). */
  classOf(m: number, name: string): { mod: number; cls: number } | undefined {
    const r = this.resolve(m, { k: 'var', loc: { line: 0, col: 0, endLine: 0, endCol: 0 }, name });
    if (r.expr.k === 'class') return { mod: r.mod, cls: r.expr.cls };
    return undefined;
  }
}

// ------------------------------------------------------------------ type hints
interface Hint {
  /** Dotted name, or `<str>`, `<num>`, `<none>`, `<list>`, `<call>`, `<ellipsis>`, `Union` for `a | b`. */
  name: string;
  args: Hint[];
  lit?: string | number;
  /** Source text of a call (`Field(description="…")`). */
  text?: string;
}

/** Parse a type hint written in python (`Annotated[str, Field(description="x")]`, `int | None`). */
export function parseHint(s: string): Hint | undefined {
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const atom = (): Hint | undefined => {
    ws();
    const c = s[i];
    if (c === undefined) return undefined;
    if (c === '"' || c === "'") {
      const triple = s.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      let j = i + q.length;
      let out = '';
      while (j < s.length && !s.startsWith(q, j)) {
        if (s[j] === '\\' && j + 1 < s.length) {
          out += s[j + 1];
          j += 2;
        } else out += s[j++];
      }
      i = Math.min(s.length, j + q.length);
      return { name: '<str>', args: [], lit: out };
    }
    const prefixed = /^[rRbBuU]{1,2}(?=['"])/.exec(s.slice(i));
    if (prefixed) {
      i += prefixed[0].length;
      return atom();
    }
    if (s.startsWith('...', i)) {
      i += 3;
      return { name: '<ellipsis>', args: [] };
    }
    const num = /^-?\d[\d_]*(\.\d+)?/.exec(s.slice(i));
    if (num) {
      i += num[0].length;
      return { name: '<num>', args: [], lit: Number(num[0].replace(/_/g, '')) };
    }
    if (c === '[') {
      i++;
      return { name: '<list>', args: list(']') };
    }
    const nm = /^[A-Za-z_][\w]*(\s*\.\s*[A-Za-z_]\w*)*/.exec(s.slice(i));
    if (!nm) return undefined;
    i += nm[0].length;
    const name = nm[0].replace(/\s+/g, '');
    ws();
    if (s[i] === '[') {
      i++;
      return { name, args: list(']') };
    }
    if (s[i] === '(') {
      const start = i - nm[0].length;
      let d = 0;
      let q: string | undefined;
      for (; i < s.length; i++) {
        const ch = s[i]!;
        if (q) {
          if (ch === '\\') i++;
          else if (ch === q) q = undefined;
          continue;
        }
        if (ch === '"' || ch === "'") q = ch;
        else if (ch === '(' || ch === '[' || ch === '{') d++;
        else if (ch === ')' || ch === ']' || ch === '}') {
          d--;
          if (d === 0) {
            i++;
            break;
          }
        }
      }
      return { name, args: [], text: s.slice(start, i) };
    }
    if (name === 'None') return { name: '<none>', args: [] };
    return { name, args: [] };
  };
  const union = (): Hint | undefined => {
    const first = atom();
    if (!first) return undefined;
    const alts = [first];
    for (;;) {
      ws();
      if (s[i] !== '|') break;
      i++;
      const n = atom();
      if (!n) break;
      alts.push(n);
    }
    return alts.length > 1 ? { name: 'Union', args: alts } : first;
  };
  const list = (close: string): Hint[] => {
    const out: Hint[] = [];
    for (let guard = 0; guard < 200; guard++) {
      ws();
      if (i >= s.length) break;
      if (s[i] === close) {
        i++;
        break;
      }
      if (s[i] === ',') {
        i++;
        continue;
      }
      const before = i;
      const h = union();
      if (h) out.push(h);
      if (i === before) i++;
    }
    return out;
  };
  return union();
}

const STRINGISH = new Set(['str', 'bytes', 'AnyUrl', 'HttpUrl', 'AnyHttpUrl', 'FileUrl', 'EmailStr', 'Path', 'PurePath', 'PosixPath', 'UUID', 'datetime', 'date', 'time', 'timedelta', 'Decimal', 'SecretStr', 'IPv4Address', 'IPv6Address', 'IPvAnyAddress', 'LiteralString', 'constr']);
const ARRAYISH = new Set(['list', 'List', 'tuple', 'Tuple', 'set', 'Set', 'frozenset', 'FrozenSet', 'Sequence', 'MutableSequence', 'Iterable', 'Collection', 'conlist']);
const OBJECTISH = new Set(['dict', 'Dict', 'Mapping', 'MutableMapping', 'TypedDict', 'BaseModel', 'object', 'Json']);

interface HintInfo {
  type: string;
  enum?: string[];
  description?: string;
  /** `Optional[…]` / `… | None`. */
  optional?: boolean;
  /** The MCP request context (not an argument). */
  context?: boolean;
}

function descriptionOfCall(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const m = /\bdescription\s*=\s*(?:[rRuU]?)("""|'''|"|')([\s\S]*?)\1/.exec(text);
  return m ? m[2]!.replace(/\\n/g, '\n').replace(/\\(["'\\])/g, '$1') : undefined;
}

class HintTyper {
  constructor(
    private readonly consts: PyConsts,
    private readonly m: number,
  ) {}

  info(text: string | undefined): HintInfo {
    if (!text) return { type: 'unknown' };
    const h = parseHint(text);
    return h ? this.of(h, 0) : { type: 'unknown' };
  }

  private of(h: Hint, depth: number): HintInfo {
    if (depth > 8) return { type: 'unknown' };
    const base = lastName(h.name);
    if (base === 'Annotated' && h.args.length) {
      const inner = this.of(h.args[0]!, depth + 1);
      for (const meta of h.args.slice(1)) {
        if (meta.name === '<str>' && typeof meta.lit === 'string') inner.description ??= meta.lit;
        else if (meta.text) inner.description ??= descriptionOfCall(meta.text);
      }
      return inner;
    }
    if (base === 'Optional' && h.args[0]) return { ...this.of(h.args[0], depth + 1), optional: true };
    if (base === 'Union') {
      const alts = h.args.filter((a) => a.name !== '<none>');
      const optional = alts.length < h.args.length;
      if (alts.length === 1) return { ...this.of(alts[0]!, depth + 1), optional: optional || undefined };
      const infos = alts.map((a) => this.of(a, depth + 1));
      const types = new Set(infos.map((x) => x.type));
      const ctx = infos.some((x) => x.context);
      return { type: types.size === 1 ? [...types][0]! : 'unknown', optional: optional || undefined, context: ctx || undefined };
    }
    if (base === 'Literal') {
      const values = h.args.filter((a) => a.lit !== undefined).map((a) => String(a.lit));
      return { type: 'enum', enum: values };
    }
    if (/^(Context|RequestContext|ServerSession)$/.test(base)) return { type: 'object', context: true };
    if (base === 'str' || STRINGISH.has(base)) return { type: 'string' };
    if (base === 'int' || base === 'conint' || base === 'PositiveInt' || base === 'NonNegativeInt' || base === 'NegativeInt' || base === 'StrictInt') return { type: 'integer' };
    if (base === 'float' || base === 'confloat' || base === 'PositiveFloat' || base === 'NonNegativeFloat' || base === 'StrictFloat') return { type: 'number' };
    if (base === 'bool' || base === 'StrictBool') return { type: 'boolean' };
    if (ARRAYISH.has(base)) return { type: 'array' };
    if (OBJECTISH.has(base)) return { type: 'object' };
    if (base === 'Any' || base === '<none>') return { type: 'unknown' };
    // a class of the program: an Enum (its values), or a model (an object)
    const c = this.consts.classOf(this.m, h.name.split('.')[0] === h.name ? h.name : base);
    if (c) {
      const cls = this.consts.program.modules[c.mod]!.ir.classes[c.cls]!;
      const sup = cls.superClass ? calleeText(cls.superClass) : '';
      if (/Enum$|^(StrEnum|IntEnum|Flag|IntFlag)$/.test(lastName(sup))) {
        const values: string[] = [];
        for (const f of cls.fields) {
          if (f.k !== 'expr' || f.expr.k !== 'assign') continue;
          const v = this.consts.lit(c.mod, f.expr.value);
          if (v !== undefined && v !== null) values.push(String(v));
        }
        return { type: 'enum', enum: values };
      }
      return { type: 'object' };
    }
    return { type: 'unknown' };
  }
}

// ------------------------------------------------------------------ the surface
interface PyServer {
  mod: number;
  kind: 'fastmcp' | 'lowlevel';
  sdk: 'mcp' | 'fastmcp';
  ctor: CallExpr;
  file: string;
}

const FASTMCP_METHODS = new Set(['tool', 'resource', 'prompt']);
const LOWLEVEL_METHODS = new Set(['call_tool', 'list_tools', 'read_resource', 'get_prompt', 'list_resources', 'list_prompts', 'list_resource_templates']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'head', 'options', 'route', 'api_route', 'websocket']);
const AUTH_SIGNAL = /AuthenticationMiddleware|BearerAuthBackend|RequireAuthMiddleware|AuthSettings|auth_server_provider|token_verifier|OAuthProvider|BearerAuthProvider|JWTVerifier|HTTPBearer|APIKeyHeader|OAuth2PasswordBearer|\bauth\s*=\s*(?!None\b)[A-Za-z_]/;
const WEAK_AUTH = /authorization|bearer|x-api-key|api[_-]?key|verify_token|check_token/i;

function isPythonSdk(spec: string): 'mcp' | 'fastmcp' | undefined {
  if (spec === 'fastmcp' || spec.startsWith('fastmcp.')) return 'fastmcp';
  if (spec === 'mcp' || spec.startsWith('mcp.')) return 'mcp';
  return undefined;
}

/** The surface of the python modules of a program. Pure (reads the IR only). */
export function extractPythonSurface(program: Program): SurfaceResult {
  const empty: SurfaceResult = { surface: { sdks: [], tools: [], resources: [], prompts: [], transports: [] }, registered: [], dispatchers: [], regions: [], httpRoutes: [], listHandlers: [] };
  const pyMods = program.modules.map((pm, i) => ({ ir: pm.ir, text: pm.text, i })).filter((x) => x.ir.language === 'python');
  if (!pyMods.length) return empty;
  const sdks = new Set<string>();
  for (const pm of pyMods) for (const imp of pm.ir.imports) {
    const s = isPythonSdk(imp.module);
    if (s) sdks.add(s);
  }
  if (!sdks.size) return empty;
  const consts = new PyConsts(program);
  const servers = findServers(program, pyMods.map((p) => p.i));
  const serverOf = (m: number, recv: Expr): PyServer | undefined => {
    const t = calleeText(recv);
    const own = servers.get(`${m}:${t}`);
    if (own) return own;
    if (recv.k === 'var') {
      const it = consts.importTarget(m, recv.name);
      if (it) return servers.get(`${it.mod}:${it.name}`);
    }
    return undefined;
  };
  const registered: RegisteredPrimitive[] = [];
  const dispatchers: SurfaceResult['dispatchers'] = [];
  const listed: { tools: PrimitiveDef[]; resources: PrimitiveDef[]; prompts: PrimitiveDef[] } = { tools: [], resources: [], prompts: [] };
  const transports: TransportDef[] = [];
  const httpRoutes: SurfaceResult['httpRoutes'] = [];
  const usesWeb = pyMods.some((pm) => pm.ir.imports.some((i) => /^(fastapi|starlette|flask)(\.|$)/.test(i.module)));

  for (const pm of pyMods) {
    const m = pm.i;
    const mod = pm.ir;
    for (const fn of mod.functions) {
      for (const d of fn.decorators ?? []) {
        const call = d.expr.k === 'call' ? d.expr : undefined;
        const target = call ? call.callee : d.expr;
        if (target.k !== 'member' || !target.prop) continue;
        const method = target.prop;
        const srv = serverOf(m, target.obj);
        const L = loc(mod.file, d.loc);
        const h: HandlerRef = { mod: m, fn: fn.index };
        if (FASTMCP_METHODS.has(method) && srv?.kind !== 'lowlevel') {
          const p = fastmcpPrimitive(program, consts, m, fn, method as 'tool' | 'resource' | 'prompt', call, L, h, srv);
          if (p) registered.push(p);
        } else if (LOWLEVEL_METHODS.has(method) && srv?.kind !== 'fastmcp') {
          if (method === 'call_tool') dispatchers.push({ handler: h, kind: 'tool', location: L });
          else if (method === 'read_resource') dispatchers.push({ handler: h, kind: 'resource', location: L });
          else if (method === 'get_prompt') dispatchers.push({ handler: h, kind: 'prompt', location: L });
          else listedPrimitives(program, consts, m, fn, method, listed);
        } else if (((usesWeb && ROUTE_METHODS.has(method)) || (method === 'custom_route' && srv?.kind !== 'lowlevel')) && call) {
          const path = consts.str(m, posArgs(call)[0] ?? kwArg(call, 'path'));
          if (path !== undefined && path.startsWith('/')) {
            const methods = method === 'route' || method === 'api_route' || method === 'custom_route' ? (kwArg(call, 'methods') ? 'ANY' : 'GET') : method.toUpperCase();
            httpRoutes.push({ handler: h, method: methods, path, location: L });
          }
        }
      }
    }
    // call forms: mcp.tool()(f), mcp.add_tool(f, name=…), mcp.tool(f); transports
    for (const { e } of programCalls(program, m)) {
      const L = loc(mod.file, e.loc);
      if (e.callee.k === 'call' && e.callee.callee.k === 'member' && FASTMCP_METHODS.has(e.callee.callee.prop ?? '')) {
        const srv = serverOf(m, e.callee.callee.obj);
        const h = consts.fnOf(m, e.args[0]?.value);
        if (srv && srv.kind === 'fastmcp' && h) {
          const hfn = program.modules[h.mod]!.ir.functions[h.fn]!;
          const p = fastmcpPrimitive(program, consts, h.mod, hfn, e.callee.callee.prop as 'tool' | 'resource' | 'prompt', e.callee, L, h, srv);
          if (p) registered.push(p);
        }
        continue;
      }
      if (e.callee.k === 'member') {
        const method = e.callee.prop ?? '';
        const srv = serverOf(m, e.callee.obj);
        if (srv && srv.kind === 'fastmcp' && (method === 'add_tool' || method === 'add_prompt' || ((method === 'tool' || method === 'prompt') && e.args[0] && !e.args[0].name && consts.fnOf(m, e.args[0].value)))) {
          const h = consts.fnOf(m, e.args[0]?.value);
          if (h) {
            const hfn = program.modules[h.mod]!.ir.functions[h.fn]!;
            const kind = method.endsWith('prompt') ? 'prompt' : 'tool';
            const p = fastmcpPrimitive(program, consts, h.mod, hfn, kind, { ...e, args: e.args.slice(1) }, L, h, srv);
            if (p) registered.push(p);
          }
          continue;
        }
      }
      const t = pyTransport(program, consts, m, e, serverOf);
      if (t) transports.push(t);
    }
  }

  // uvicorn.run(app, host=…, port=…): where the HTTP transports listen
  const served = uvicornRuns(program, consts, pyMods.map((p) => p.i));
  for (const t of transports) {
    if (t.kind === 'stdio' || (t.host !== undefined && t.host !== 'unknown')) continue;
    const u = served[0];
    if (u) {
      t.host = u.host;
      if (u.port !== undefined) t.port = u.port;
    }
  }
  const authText = pyMods.some((pm) => AUTH_SIGNAL.test(pm.text));
  const weakAuth = pyMods.some((pm) => WEAK_AUTH.test(pm.text));
  for (const t of transports) {
    if (t.kind === 'stdio' || t.auth === 'present') continue;
    t.auth = authText ? 'present' : weakAuth ? 'unknown' : 'absent';
  }

  const tools = registered.filter((p) => p.def.kind === 'tool').map((p) => p.def);
  for (const t of listed.tools) if (!tools.some((x) => x.name === t.name)) tools.push(t);
  const resources = registered.filter((p) => p.def.kind === 'resource').map((p) => p.def);
  for (const r of listed.resources) if (!resources.some((x) => x.name === r.name)) resources.push(r);
  const prompts = registered.filter((p) => p.def.kind === 'prompt').map((p) => p.def);
  for (const r of listed.prompts) if (!prompts.some((x) => x.name === r.name)) prompts.push(r);
  for (const s of servers.values()) sdks.add(s.sdk);
  const regions = primitiveRegions(program, registered, dispatchers, { tool: tools, resource: resources, prompt: prompts }, dispatchRegions);
  return {
    surface: { sdks: [...sdks].sort(), tools, resources, prompts, transports: dedupe(transports) },
    registered,
    dispatchers,
    regions,
    httpRoutes,
    listHandlers: [],
  };
}

/** Merge the python surface into the JS/TS one (the program may hold both). */
export function mergePythonSurface(program: Program, js: SurfaceResult): SurfaceResult {
  const py = extractPythonSurface(program);
  if (!py.registered.length && !py.dispatchers.length && !py.surface.sdks.length && !py.httpRoutes.length) return js;
  return {
    surface: {
      sdks: [...new Set([...js.surface.sdks, ...py.surface.sdks])].sort(),
      tools: [...js.surface.tools, ...py.surface.tools],
      resources: [...js.surface.resources, ...py.surface.resources],
      prompts: [...js.surface.prompts, ...py.surface.prompts],
      transports: [...js.surface.transports, ...py.surface.transports],
    },
    registered: [...js.registered, ...py.registered],
    dispatchers: [...js.dispatchers, ...py.dispatchers],
    regions: [...js.regions, ...py.regions],
    httpRoutes: [...js.httpRoutes, ...py.httpRoutes],
    listHandlers: [...js.listHandlers, ...py.listHandlers],
  };
}

function dedupe(ts: TransportDef[]): TransportDef[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = `${t.kind}:${t.location.file}:${t.location.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `mcp = FastMCP(…)`, `server = Server(…)` (module level, in functions, or `self.mcp = FastMCP(…)`). */
function findServers(program: Program, mods: number[]): Map<string, PyServer> {
  const out = new Map<string, PyServer>();
  for (const m of mods) {
    const mod = program.modules[m]!.ir;
    const sdkOf = (ctorName: string): 'mcp' | 'fastmcp' => {
      const root = ctorName.split('.')[0]!;
      const imp = mod.imports.find((i) => i.local === root);
      return imp && isPythonSdk(imp.module) === 'fastmcp' ? 'fastmcp' : 'mcp';
    };
    const isLowLevel = (ctorName: string): boolean => {
      const root = ctorName.split('.')[0]!;
      const imp = mod.imports.find((i) => i.local === root);
      if (!imp) return false;
      return /^mcp\.server(\.lowlevel)?(\.server)?$/.test(imp.module) || (imp.imported === '*' && /^mcp(\.|$)/.test(imp.module));
    };
    const consider = (name: string, value: Expr | undefined) => {
      if (!value) return;
      const v = value.k === 'await' ? value.arg : value;
      if (v.k !== 'call') return;
      const ct = calleeText(v.callee);
      const last = lastName(ct);
      if (last === 'FastMCP' || (last === 'from_fastapi' || last === 'from_openapi' ? ct.includes('FastMCP') : false)) out.set(`${m}:${name}`, { mod: m, kind: 'fastmcp', sdk: sdkOf(ct), ctor: v, file: mod.file });
      else if ((last === 'Server' || last === 'LowLevelServer') && isLowLevel(ct)) out.set(`${m}:${name}`, { mod: m, kind: 'lowlevel', sdk: 'mcp', ctor: v, file: mod.file });
    };
    for (const fn of mod.functions) {
      forEachStmt(fn.body, (s) => {
        if (s.k === 'let' && s.target.k === 'id') consider(s.target.name, s.value);
        else if (s.k === 'expr' && s.expr.k === 'assign') {
          const t = s.expr.target;
          if (t.k === 'id') consider(t.name, s.expr.value);
          else if (t.k === 'expr') consider(calleeText(t.expr).replace(/^this\./, 'self.'), s.expr.value);
        }
      });
    }
  }
  return out;
}

function fastmcpPrimitive(
  program: Program,
  consts: PyConsts,
  m: number,
  fn: IRFunction,
  kind: 'tool' | 'resource' | 'prompt',
  call: CallExpr | undefined,
  L: Location,
  h: HandlerRef,
  srv: PyServer | undefined,
): RegisteredPrimitive | undefined {
  const mod = program.modules[m]!.ir;
  const fnName = lastName(fn.name);
  const pos = call ? posArgs(call) : [];
  let name: string | undefined;
  let uri: string | undefined;
  if (kind === 'resource') {
    uri = consts.str(m, pos[0] ?? (call ? kwArg(call, 'uri') : undefined));
    if (uri === undefined) return undefined;
    name = consts.str(m, call ? kwArg(call, 'name') : undefined) ?? fnName;
  } else name = consts.str(m, call ? kwArg(call, 'name') : undefined) ?? consts.str(m, pos[0]) ?? fnName;
  const description = consts.str(m, call ? kwArg(call, 'description') : undefined) ?? fn.doc;
  const title = consts.str(m, call ? kwArg(call, 'title') : undefined);
  let params = signatureParams(consts, m, fn);
  let binding: RegisteredPrimitive['binding'] = 'python-params';
  if (kind === 'resource') {
    const vars = uri ? templateVars(uri) : [];
    if (!vars.length) binding = 'resource-fixed';
    else {
      const known = new Map(params.map((p) => [p.name, p]));
      params = vars.map((v) => known.get(v) ?? { name: v, type: 'string', required: true });
    }
  }
  const style = `${srv?.sdk === 'fastmcp' ? 'fastmcp' : 'FastMCP'}.${kind}`;
  const def: PrimitiveDef = { kind, name, params, style, location: L, handler: loc(mod.file, fn.loc) };
  if (description !== undefined && description !== '') def.description = description;
  if (title) def.title = title;
  if (uri !== undefined) def.uri = uri;
  return { def, handler: h, binding, validated: true };
}

function templateVars(uri: string): string[] {
  const out: string[] = [];
  const re = /\{([+#./;?&]?)([A-Za-z0-9_,*]+)\}/g;
  let mm: RegExpExecArray | null;
  while ((mm = re.exec(uri)) !== null) for (const v of mm[2]!.split(',')) out.push(v.replace(/\*$/, ''));
  return out;
}

/** The MCP arguments of a handler: its parameters but `self`/`cls`, `*args`/`**kwargs` and the Context. */
function argumentParams(fn: IRFunction): { index: number; name: string; type?: string; default?: Expr }[] {
  const out: { index: number; name: string; type?: string; default?: Expr }[] = [];
  fn.params.forEach((p, i) => {
    if (i === 0 && fn.cls !== undefined) return;
    if (p.rest || p.kwrest || p.pattern.k !== 'id') return;
    out.push({ index: i, name: p.pattern.name, type: p.type, default: p.default });
  });
  return out;
}

function isContextParam(p: { name: string; type?: string }): boolean {
  if (p.type) {
    const h = parseHint(p.type);
    const names: string[] = [];
    const walk = (x: Hint) => {
      names.push(lastName(x.name));
      x.args.forEach(walk);
    };
    if (h) walk(h);
    return names.some((n) => /^(Context|RequestContext)$/.test(n)) && !names.includes('Annotated');
  }
  // FastMCP finds the Context by its annotation only
  return false;
}

function signatureParams(consts: PyConsts, m: number, fn: IRFunction): ParamInfo[] {
  const typer = new HintTyper(consts, m);
  const out: ParamInfo[] = [];
  for (const p of argumentParams(fn)) {
    if (isContextParam(p)) continue;
    const info = typer.info(p.type);
    if (info.context) continue;
    const pi: ParamInfo = { name: p.name, type: info.type, required: p.default === undefined };
    if (info.enum) pi.enum = info.enum;
    let description = info.description;
    // x: str = Field(description=…, default=…)
    if (p.default && p.default.k === 'call' && lastName(calleeText(p.default.callee)) === 'Field') {
      const f = p.default;
      description ??= consts.str(m, kwArg(f, 'description'));
      const first = posArgs(f)[0];
      const hasDefault = kwArg(f, 'default') !== undefined || kwArg(f, 'default_factory') !== undefined || (first !== undefined && !(first.k === 'other' && first.what === 'ellipsis'));
      pi.required = !hasDefault;
    }
    if (description) pi.description = description;
    out.push(pi);
  }
  return out;
}

// ------------------------------------------------------------------ low-level Server lists
function listedPrimitives(
  program: Program,
  consts: PyConsts,
  m: number,
  fn: IRFunction,
  method: string,
  out: { tools: PrimitiveDef[]; resources: PrimitiveDef[]; prompts: PrimitiveDef[] },
): void {
  const want = method === 'list_tools' ? 'Tool' : method === 'list_prompts' ? 'Prompt' : method === 'list_resources' ? 'Resource' : 'ResourceTemplate';
  const seen = new Set<string>();
  const calls: { mod: number; c: CallExpr }[] = [];
  const visitExpr = (mm: number, e: Expr, depth: number) => {
    const walk = (x: Expr) => {
      if (x.k === 'call' && lastName(calleeText(x.callee)) === want) calls.push({ mod: mm, c: x });
      else if (x.k === 'var' && depth < 3) {
        const r = consts.resolve(mm, x);
        if (r.expr !== x && !seen.has(`${r.mod}:${r.expr.loc.line}:${r.expr.loc.col}`)) {
          seen.add(`${r.mod}:${r.expr.loc.line}:${r.expr.loc.col}`);
          visitExpr(r.mod, r.expr, depth + 1);
        }
      } else if (x.k === 'call' && x.callee.k === 'fn' && depth < 3) {
        // a comprehension building the list
        const f = program.modules[mm]!.ir.functions[x.callee.fn];
        if (f) forEachExprInBody(f.body, (y) => visitExpr(mm, y, depth + 1));
      }
    };
    forEachExprOf(e, walk);
  };
  forEachExprInBody(fn.body, (e) => {
    if (e.k === 'call' && lastName(calleeText(e.callee)) === want) calls.push({ mod: m, c: e });
    else if (e.k === 'var') visitExpr(m, e, 0);
  });
  const names = new Set<string>();
  for (const { mod: mm, c } of calls) {
    const file = program.modules[mm]!.ir.file;
    const name = consts.str(mm, kwArg(c, 'name') ?? posArgs(c)[0]);
    if (!name || names.has(name)) continue;
    names.add(name);
    const description = consts.str(mm, kwArg(c, 'description'));
    const L = loc(file, c.loc);
    if (want === 'Tool') {
      const def: PrimitiveDef = { kind: 'tool', name, params: schemaParams(program, consts, mm, kwArg(c, 'inputSchema') ?? kwArg(c, 'input_schema')), style: 'Server.list_tools', location: L };
      if (description !== undefined) def.description = description;
      const title = consts.str(mm, kwArg(c, 'title'));
      if (title) def.title = title;
      out.tools.push(def);
    } else if (want === 'Prompt') {
      const params: ParamInfo[] = [];
      const argsE = kwArg(c, 'arguments');
      const argsX = argsE ? consts.resolve(mm, argsE).expr : undefined;
      if (argsX && argsX.k === 'arr') {
        for (const a of argsX.elems) {
          const x = consts.resolve(mm, a.value).expr;
          if (x.k !== 'call') continue;
          const an = consts.str(mm, kwArg(x, 'name'));
          if (!an) continue;
          const pi: ParamInfo = { name: an, type: 'string', required: consts.lit(mm, kwArg(x, 'required')) === true };
          const ad = consts.str(mm, kwArg(x, 'description'));
          if (ad) pi.description = ad;
          params.push(pi);
        }
      }
      const def: PrimitiveDef = { kind: 'prompt', name, params, style: 'Server.list_prompts', location: L };
      if (description !== undefined) def.description = description;
      out.prompts.push(def);
    } else {
      const uri = consts.str(mm, kwArg(c, want === 'Resource' ? 'uri' : 'uriTemplate'));
      const params: ParamInfo[] = uri && want === 'ResourceTemplate' ? templateVars(uri).map((v) => ({ name: v, type: 'string', required: true })) : [];
      const def: PrimitiveDef = { kind: 'resource', name, params, style: `Server.${method}`, location: L };
      if (uri) def.uri = uri;
      if (description !== undefined) def.description = description;
      out.resources.push(def);
    }
  }
}

function forEachExprOf(e: Expr, f: (x: Expr) => void): void {
  forEachExprInBody([{ k: 'expr', loc: e.loc, expr: e }], f);
}

/** A JSON schema written as a python dict (or `Model.model_json_schema()`) → parameters. */
function schemaParams(program: Program, consts: PyConsts, m: number, e: Expr | undefined): ParamInfo[] {
  if (!e) return [];
  const r = consts.resolve(m, e);
  const x = r.expr;
  if (x.k === 'call' && x.callee.k === 'member' && /^(model_json_schema|schema)$/.test(x.callee.prop ?? '') && x.callee.obj.k === 'var') {
    return modelParams(program, consts, r.mod, x.callee.obj.name);
  }
  if (x.k !== 'obj') return [];
  const prop = (o: Extract<Expr, { k: 'obj' }>, key: string) => o.props.find((p) => p.key === key)?.value;
  const propsE = prop(x, 'properties');
  if (!propsE) return [];
  const required = new Set<string>();
  const reqE = prop(x, 'required');
  const reqX = reqE ? consts.resolve(r.mod, reqE).expr : undefined;
  if (reqX && reqX.k === 'arr') for (const a of reqX.elems) if (a.value.k === 'lit') required.add(String(a.value.value));
  const pv = consts.resolve(r.mod, propsE).expr;
  if (pv.k !== 'obj') return [];
  return pv.props
    .filter((p) => p.key !== undefined)
    .map((p) => {
      const d = consts.resolve(r.mod, p.value).expr;
      const info: ParamInfo = { name: p.key!, type: 'unknown', required: required.has(p.key!) };
      if (d.k === 'obj') {
        const t = consts.lit(r.mod, prop(d, 'type'));
        if (typeof t === 'string') info.type = t;
        const ds = consts.str(r.mod, prop(d, 'description'));
        if (ds) info.description = ds;
        const en = prop(d, 'enum');
        const enx = en ? consts.resolve(r.mod, en).expr : undefined;
        if (enx && enx.k === 'arr') {
          info.enum = enx.elems.filter((a) => a.value.k === 'lit').map((a) => String((a.value as { value: unknown }).value));
          info.type = 'enum';
        }
      }
      return info;
    });
}

/** Fields of a pydantic model class → parameters (types read from the annotations in the source). */
function modelParams(program: Program, consts: PyConsts, m: number, name: string): ParamInfo[] {
  const c = consts.classOf(m, name);
  if (!c) return [];
  const pm = program.modules[c.mod]!;
  const cls = pm.ir.classes[c.cls]!;
  const lines = pm.text.split('\n');
  const typer = new HintTyper(consts, c.mod);
  const out: ParamInfo[] = [];
  for (const f of cls.fields) {
    if (f.k !== 'expr' || f.expr.k !== 'assign' || f.expr.target.k !== 'expr') continue;
    const t = f.expr.target.expr;
    if (t.k !== 'member' || !t.prop || t.prop.startsWith('_') || t.prop === 'model_config') continue;
    const line = lines[f.loc.line - 1] ?? '';
    const mm = new RegExp(`^\\s*${t.prop}\\s*:\\s*(.*)$`).exec(line);
    const hint = mm ? mm[1] : undefined;
    const info = typer.info(hint);
    const v = f.expr.value;
    const noValue = v.k === 'other' && v.what === 'annotation';
    const pi: ParamInfo = { name: t.prop, type: info.type, required: noValue && !info.optional };
    if (info.enum) pi.enum = info.enum;
    let description = info.description;
    if (v.k === 'call' && lastName(calleeText(v.callee)) === 'Field') {
      description ??= consts.str(c.mod, kwArg(v, 'description'));
      const first = posArgs(v)[0];
      pi.required = !(kwArg(v, 'default') !== undefined || kwArg(v, 'default_factory') !== undefined || (first !== undefined && !(first.k === 'other' && first.what === 'ellipsis')));
    }
    if (description) pi.description = description;
    out.push(pi);
  }
  return out;
}

/** Regions of a low-level dispatcher's branches: `if name == "x":` and `match name: case "x":`. */
function dispatchRegions(mod: IRModule, fn: IRFunction, kind: 'tool' | 'resource' | 'prompt', names: Set<string>, regions: SurfaceResult['regions']): void {
  const nameParam = fn.params[0]?.pattern.k === 'id' ? fn.params[0].pattern.name : 'name';
  const lit = (e: Expr): string | undefined => (e.k === 'lit' && typeof e.value === 'string' ? e.value : undefined);
  const isName = (e: Expr) => e.k === 'var' && e.name === nameParam;
  forEachStmt(fn.body, (st) => {
    if (st.k === 'switch' && isName(st.disc)) {
      let pending: string[] = [];
      for (const c of st.cases) {
        const l = c.test ? lit(c.test) : undefined;
        if (l !== undefined) pending.push(l);
        if (!c.body.length) continue;
        const name = pending.find((n) => names.has(n)) ?? (pending.length === 1 ? pending[0] : undefined);
        if (name) regions.push({ file: mod.file, line: c.loc.line, endLine: c.loc.endLine, primitive: { kind, name } });
        pending = [];
      }
    } else if (st.k === 'if' && st.test.k === 'bin' && st.test.op === '==' && (isName(st.test.left) || isName(st.test.right))) {
      const l = lit(st.test.right) ?? lit(st.test.left);
      if (l !== undefined && st.then.length) regions.push({ file: mod.file, line: st.loc.line, endLine: st.then.at(-1)!.loc.endLine, primitive: { kind, name: l } });
    }
  });
}

// ------------------------------------------------------------------ transports
function transportKind(s: string | undefined): TransportDef['kind'] | undefined {
  if (s === undefined) return undefined;
  if (s === 'stdio') return 'stdio';
  if (s === 'sse') return 'sse';
  if (s === 'streamable-http' || s === 'streamable_http' || s === 'http' || s === 'streamable') return 'streamable-http';
  return 'unknown';
}

function pyTransport(
  program: Program,
  consts: PyConsts,
  m: number,
  e: CallExpr,
  serverOf: (m: number, recv: Expr) => PyServer | undefined,
): TransportDef | undefined {
  const mod = program.modules[m]!.ir;
  const L = loc(mod.file, e.loc);
  const ct = calleeText(e.callee);
  const last = lastName(ct);
  const hostOf = (x: Expr | undefined) => (x === undefined ? undefined : (consts.str(m, x) ?? 'unknown'));
  const portOf = (x: Expr | undefined): number | string | undefined => {
    if (!x) return undefined;
    const v = consts.lit(m, x);
    return typeof v === 'number' || typeof v === 'string' ? v : 'unknown';
  };
  if (last === 'stdio_server' || last === 'stdio_client') return last === 'stdio_server' ? { kind: 'stdio', location: L, auth: 'unknown' } : undefined;
  if (last === 'SseServerTransport') return { kind: 'sse', location: L, host: 'unknown', auth: 'unknown', originCheck: originOf(consts, m, e) };
  if (last === 'StreamableHTTPSessionManager') return { kind: 'streamable-http', location: L, host: 'unknown', auth: 'unknown', originCheck: originOf(consts, m, e) };
  if (e.callee.k !== 'member') return undefined;
  const method = e.callee.prop ?? '';
  const srv = serverOf(m, e.callee.obj);
  if (!srv || srv.kind !== 'fastmcp') return undefined;
  const ctorHost = kwArg(srv.ctor, 'host');
  const ctorPort = kwArg(srv.ctor, 'port');
  const auth: TransportDef['auth'] = ['auth', 'token_verifier', 'auth_server_provider'].some((k) => {
    const v = kwArg(srv.ctor, k);
    return v !== undefined && !(v.k === 'lit' && v.kind === 'null');
  })
    ? 'present'
    : 'unknown';
  const origin = originOf(consts, srv.mod, srv.ctor);
  const pos = posArgs(e);
  let kind: TransportDef['kind'] | undefined;
  if (method === 'run' || method === 'run_async') {
    // the low-level Server.run(read, write, options) is not a transport
    if (pos.length >= 2) return undefined;
    kind = transportKind(consts.str(m, kwArg(e, 'transport') ?? pos[0])) ?? (kwArg(e, 'transport') || pos[0] ? 'unknown' : 'stdio');
  } else if (method === 'run_stdio_async') kind = 'stdio';
  else if (method === 'run_sse_async' || method === 'sse_app') kind = 'sse';
  else if (method === 'run_streamable_http_async' || method === 'run_http_async' || method === 'streamable_http_app') kind = 'streamable-http';
  else if (method === 'http_app') kind = transportKind(consts.str(m, kwArg(e, 'transport'))) ?? 'streamable-http';
  else return undefined;
  if (kind === 'stdio') return { kind, location: L, auth: 'unknown' };
  const isApp = method.endsWith('_app');
  const host = isApp ? hostOf(ctorHost) : (hostOf(kwArg(e, 'host')) ?? hostOf(ctorHost) ?? '127.0.0.1');
  const port = isApp ? portOf(ctorPort) : (portOf(kwArg(e, 'port')) ?? portOf(ctorPort) ?? 8000);
  const t: TransportDef = { kind, location: L, auth, host: host ?? 'unknown' };
  if (port !== undefined) t.port = port;
  t.originCheck = origin;
  return t;
}

/** `transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=True, …)`. */
function originOf(consts: PyConsts, m: number, c: CallExpr): TransportDef['originCheck'] {
  const ts = kwArg(c, 'transport_security') ?? kwArg(c, 'security_settings');
  if (!ts) return 'unknown';
  const x = consts.resolve(m, ts).expr;
  if (x.k === 'call') {
    const on = consts.lit(m, kwArg(x, 'enable_dns_rebinding_protection'));
    if (on === false) return 'absent';
    if (on === true || kwArg(x, 'allowed_hosts') || kwArg(x, 'allowed_origins')) return 'present';
  }
  return 'unknown';
}

function uvicornRuns(program: Program, consts: PyConsts, mods: number[]): { host: string; port?: number | string }[] {
  const out: { host: string; port?: number | string }[] = [];
  for (const m of mods) {
    const mod = program.modules[m]!.ir;
    for (const { e, callee: ct } of programCalls(program, m)) {
      if (!/(^|\.)uvicorn\.(run|Config)$|^(run|Config)$/.test(ct)) continue;
      if (!/uvicorn/.test(ct) && !mod.imports.some((i) => i.module === 'uvicorn' && (i.local === 'run' || i.local === 'Config'))) continue;
      const hostE = kwArg(e, 'host') ?? posArgs(e)[1];
      const portE = kwArg(e, 'port') ?? posArgs(e)[2];
      const host = hostE ? (consts.str(m, hostE) ?? 'unknown') : '127.0.0.1';
      const pv = portE ? consts.lit(m, portE) : 8000;
      out.push({ host, port: typeof pv === 'number' || typeof pv === 'string' ? pv : 'unknown' });
    }
  }
  return out;
}

// ------------------------------------------------------------------ entry points
function sourceKindOf(kind: 'tool' | 'resource' | 'prompt'): SourceKind {
  return kind === 'tool' ? 'tool-argument' : kind === 'resource' ? 'resource-argument' : 'prompt-argument';
}


/** The MCP request context (`ctx: Context`): its HTTP request is transport input. */
function contextValue(engine: Engine, file: string, at: Span, primitive: PrimitiveRef): Value {
  const t = (label: string) => engine.sourceValue({ kind: 'transport', label, primitive, file, loc: at, container: true });
  return {
    facts: [],
    refs: [refValue({ t: 'q', name: 'mcp.server.fastmcp.Context' }).refs[0]!],
    fields: { request_context: { facts: [], refs: [], fields: { request: t('the HTTP request of the MCP call (ctx.request_context.request)') } } },
  };
}

/**
 * Values of a decorator-registered python handler's parameters (one per parameter, in order): each MCP argument
 * is a source of its own; typed ones (int/float/bool/Literal/enum) are pre-cleared when the framework validates.
 */
export function pythonEntryParams(program: Program, rp: RegisteredPrimitive, engine: Engine): Value[] {
  const h = rp.handler!;
  const mod = program.modules[h.mod]!.ir;
  const fn = mod.functions[h.fn]!;
  const kind = rp.def.kind;
  const primitive: PrimitiveRef = { kind, name: rp.def.name };
  const byName = new Map(rp.def.params.map((p) => [p.name, p]));
  const typer = new HintTyper(new PyConsts(program), h.mod);
  return fn.params.map((p, i) => {
    if (i === 0 && fn.cls !== undefined) return EMPTY;
    const name = p.pattern.k === 'id' ? p.pattern.name : `#${i}`;
    const at = p.pattern.loc;
    if (isContextParam({ name, type: p.type }) || (p.type && typer.info(p.type).context)) return contextValue(engine, mod.file, at, primitive);
    const info = byName.get(name);
    if (!info || p.rest || p.kwrest) return EMPTY;
    const v = engine.sourceValue({
      kind: sourceKindOf(kind),
      label: `argument \`${name}\` of ${kind} \`${rp.def.name}\``,
      param: name,
      primitive,
      file: mod.file,
      loc: at,
      container: info.type === 'object' || info.type === 'unknown',
    });
    const mask = rp.validated ? typedParamMask(info.type) : 0;
    return mask ? mapFacts(v, (f) => ({ ...f, cleared: f.cleared | mask })) : v;
  });
}

/** Values of a low-level python dispatcher's parameters: `call_tool(name, arguments)`, `read_resource(uri)`, `get_prompt(name, arguments)`. */
export function pythonDispatcherParams(program: Program, d: SurfaceResult['dispatchers'][number], primitive: PrimitiveRef, engine: Engine): Value[] {
  const mod = program.modules[d.handler.mod]!.ir;
  const fn = mod.functions[d.handler.fn]!;
  const off = fn.cls !== undefined ? 1 : 0;
  const at = (i: number) => fn.params[i + off]?.pattern.loc ?? fn.loc;
  const out: Value[] = off ? [EMPTY] : [];
  if (d.kind === 'resource') {
    out.push(engine.sourceValue({ kind: 'resource-argument', label: 'the requested resource URI', primitive, file: mod.file, loc: at(0) }));
    return out;
  }
  const nameV: Value = { facts: [], refs: [{ t: 'toolname' }] };
  const argsV = engine.sourceValue({
    kind: sourceKindOf(d.kind),
    label: d.kind === 'tool' ? 'arguments of the tool call' : 'arguments of the prompt request',
    primitive,
    file: mod.file,
    loc: at(1),
    container: true,
  });
  out.push(nameV, argsV);
  return out;
}

/** Values of a FastAPI/Starlette/Flask route handler's parameters: every parameter is request data. */
export function pythonRouteParams(program: Program, route: SurfaceResult['httpRoutes'][number], engine: Engine): Value[] {
  const mod = program.modules[route.handler.mod]!.ir;
  const fn = mod.functions[route.handler.fn]!;
  const primitive: PrimitiveRef = { kind: 'protocol' };
  const typer = new HintTyper(new PyConsts(program), route.handler.mod);
  return fn.params.map((p, i) => {
    if (i === 0 && fn.cls !== undefined) return EMPTY;
    const name = p.pattern.k === 'id' ? p.pattern.name : `#${i}`;
    const info = typer.info(p.type);
    // Depends(...) parameters are computed by the app, not sent by the client
    if (p.default && p.default.k === 'call' && lastName(calleeText(p.default.callee)) === 'Depends') return EMPTY;
    const v = engine.sourceValue({ kind: 'transport', label: `\`${name}\` of HTTP ${route.method} ${route.path}`, param: name, primitive, file: mod.file, loc: p.pattern.loc, container: true });
    const mask = typedParamMask(info.type);
    return mask ? mapFacts(v, (f) => ({ ...f, cleared: f.cleared | mask })) : v;
  });
}
