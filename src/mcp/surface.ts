/**
 * The MCP surface model: which tools, resources and prompts a server registers (name, description,
 * parameters, handler), which SDK it uses and which transports it opens — found in the IR, and turned
 * into entry points for the taint engine (handler parameters bound to attacker-controlled sources).
 *
 * JavaScript/TypeScript styles: `@modelcontextprotocol/sdk` (1.x) and `@modelcontextprotocol/server`
 * (2.x) McpServer `tool`/`registerTool`/`resource`/`registerResource`/`prompt`/`registerPrompt`; the
 * low-level `Server.setRequestHandler(CallToolRequestSchema, …)` with its dispatch on the tool name and
 * the literal tool list of the ListTools handler; the `fastmcp` framework (`addTool`, `addResource`,
 * `addResourceTemplate`, `addPrompt`). Python styles live in mcp/python.ts.
 */
import type { Expr, IRFunction, IRModule, Span, Stmt } from '../languages/ir.js';
import { calleeText, forEachExprInBody, forEachStmt } from '../languages/ir.js';
import type { Location, ParamInfo, PrimitiveDef, PrimitiveRef, SourceKind, Surface, TransportDef } from '../model.js';
import type { DynamicRegistration, Engine, EntryPoint } from '../analysis/engine.js';
import { programCalls, type Program } from '../analysis/program.js';
import { EMPTY, mapFacts, refValue, typedParamMask, type Value } from '../analysis/values.js';
import { mergePythonSurface, pythonDispatcherParams, pythonEntryParams, pythonRouteParams } from './python.js';
import { compareText } from '../order.js';

export interface HandlerRef {
  mod: number;
  fn: number;
}

export interface RegisteredPrimitive {
  def: PrimitiveDef;
  handler?: HandlerRef;
  /** How the handler's parameters are bound. */
  binding: 'args-first' | 'resource-template' | 'resource-fixed' | 'request-call-tool' | 'request-read-resource' | 'request-get-prompt' | 'fastmcp' | 'python-params';
  /** Whether the framework validates arguments against the declared schema before calling the handler. */
  validated: boolean;
}

export interface SurfaceResult {
  surface: Surface;
  registered: RegisteredPrimitive[];
  /** Code regions that belong to one primitive (handler bodies, dispatch cases): for attributing non-flow findings. */
  regions: { file: string; line: number; endLine: number; primitive: PrimitiveRef }[];
  /** ListTools / ListPrompts / ListResources handlers (their result is evaluated by the engine when not literal). */
  listHandlers: { handler: HandlerRef; kind: 'tool' | 'resource' | 'prompt' }[];
  /** HTTP routes of the server's web framework (express, fastify, koa, hono): their requests are attacker input too. */
  httpRoutes: { handler: HandlerRef; method: string; path: string; location: Location }[];
  /** Low-level CallTool dispatchers (one entry covers all listed tools). */
  dispatchers: { handler: HandlerRef; kind: 'tool' | 'resource' | 'prompt'; location: Location }[];
}

const SDK_MODULES = ['@modelcontextprotocol/sdk', '@modelcontextprotocol/server', 'fastmcp', 'mcp-framework', '@modelcontextprotocol/server-core'];

function loc(file: string, s: Span): Location {
  return { file, line: s.line, column: s.col, endLine: s.endLine, endColumn: s.endCol };
}

/** Resolves simple constants syntactically (module-level `const X = …`, imported consts). */
class ConstResolver {
  private readonly cache = new Map<number, Map<string, Expr>>();
  constructor(private readonly program: Program) {}

  private topLevel(m: number): Map<string, Expr> {
    let c = this.cache.get(m);
    if (c) return c;
    c = new Map();
    const mod = this.program.modules[m]!.ir;
    const visit = (body: Stmt[]) => {
      for (const s of body) {
        if (s.k === 'let' && s.target.k === 'id' && s.value) c!.set(s.target.name, s.value);
        if (s.k === 'expr' && s.expr.k === 'assign' && s.expr.target.k === 'id') c!.set(s.expr.target.name, s.expr.value);
      }
    };
    visit(mod.functions[0]!.body);
    this.cache.set(m, c);
    return c;
  }

  /** Follow a variable to its initialiser (same function first, then module level, then imports). */
  resolve(m: number, e: Expr, fn?: IRFunction, depth = 0): { mod: number; expr: Expr } {
    if (depth > 6) return { mod: m, expr: e };
    if (e.k === 'var') {
      if (fn) {
        let found: Expr | undefined;
        for (const s of fn.body) if (s.k === 'let' && s.target.k === 'id' && s.target.name === e.name && s.value) found = s.value;
        if (found) return this.resolve(m, found, fn, depth + 1);
      }
      const t = this.topLevel(m).get(e.name);
      if (t) return this.resolve(m, t, undefined, depth + 1);
      const mod = this.program.modules[m]!.ir;
      const imp = mod.imports.find((i) => i.local === e.name);
      if (imp && imp.module.startsWith('.')) {
        const target = this.findModule(mod.file, imp.module);
        if (target !== undefined) {
          const t2 = this.topLevel(target).get(imp.imported === 'default' ? e.name : imp.imported);
          if (t2) return this.resolve(target, t2, undefined, depth + 1);
        }
      }
    }
    if (e.k === 'await') return this.resolve(m, e.arg, fn, depth + 1);
    if (e.k === 'member' && e.prop) {
      // OBJ.key where OBJ is an object literal constant
      const base = this.resolve(m, e.obj, fn, depth + 1);
      if (base.expr.k === 'obj') {
        const p = base.expr.props.find((x) => x.key === e.prop);
        if (p) return this.resolve(base.mod, p.value, undefined, depth + 1);
      }
    }
    return { mod: m, expr: e };
  }

  private findModule(from: string, spec: string): number | undefined {
    const base = from.split('/').slice(0, -1);
    for (const part of spec.split('/')) {
      if (part === '.' || part === '') continue;
      if (part === '..') base.pop();
      else base.push(part);
    }
    const stem = base.join('/').replace(/\.(m|c)?js$/, '');
    for (const ext of ['.ts', '.js', '.mts', '.mjs', '.tsx', '.cjs', '/index.ts', '/index.js']) {
      const i = this.program.byFile.get(stem + ext);
      if (i !== undefined) return i;
    }
    return undefined;
  }

  str(m: number, e: Expr | undefined, fn?: IRFunction): string | undefined {
    if (!e) return undefined;
    const r = this.resolve(m, e, fn);
    const x = r.expr;
    if (x.k === 'lit' && x.kind === 'string') return String(x.value);
    if (x.k === 'tpl' && !x.tag && x.parts.every((p) => p.k === 'lit')) return x.parts.map((p) => String((p as { value: unknown }).value)).join('');
    if (x.k === 'bin' && x.op === '+') {
      const l = this.str(r.mod, x.left);
      const rr = this.str(r.mod, x.right);
      if (l !== undefined && rr !== undefined) return l + rr;
    }
    return undefined;
  }
}


function fnOf(e: Expr | undefined, r: ConstResolver, m: number, fn?: IRFunction): { mod: number; fn: number } | undefined {
  if (!e) return undefined;
  if (e.k === 'fn') return { mod: m, fn: e.fn };
  // wrapper(handler) / wrapper(async () => …)
  if (e.k === 'call') {
    for (const a of e.args) {
      const f = fnOf(a.value, r, m, fn);
      if (f) return f;
    }
    return undefined;
  }
  if (e.k === 'var' || e.k === 'member') {
    const res = r.resolve(m, e, fn);
    if (res.expr !== e) return fnOf(res.expr, r, res.mod);
  }
  return undefined;
}

/** zod shape / JSON schema → parameter list. */
function paramsOf(r: ConstResolver, m: number, e: Expr | undefined, fn?: IRFunction): ParamInfo[] {
  if (!e) return [];
  const res = r.resolve(m, e, fn);
  let x = res.expr;
  // z.object({...}) / z.object({...}).strict()
  for (let i = 0; i < 4 && x.k === 'call'; i++) {
    const ct = calleeText(x.callee);
    if (/(^|\.)object$/.test(ct) && x.args[0]) {
      return paramsOf(r, res.mod, x.args[0].value);
    }
    if (/zodToJsonSchema$|toJSONSchema$|zodToJson$/.test(ct) && x.args[0]) return paramsOf(r, res.mod, x.args[0].value);
    if (x.callee.k === 'member') x = x.callee.obj;
    else break;
  }
  if (x.k !== 'obj') return [];
  // JSON schema object
  const typeProp = x.props.find((p) => p.key === 'type');
  const propsProp = x.props.find((p) => p.key === 'properties');
  if (propsProp && (!typeProp || (typeProp.value.k === 'lit' && typeProp.value.value === 'object'))) {
    const reqProp = x.props.find((p) => p.key === 'required');
    const required = new Set<string>();
    if (reqProp) {
      const rv = r.resolve(res.mod, reqProp.value).expr;
      if (rv.k === 'arr') for (const a of rv.elems) if (a.value.k === 'lit') required.add(String(a.value.value));
    }
    const pv = r.resolve(res.mod, propsProp.value).expr;
    if (pv.k !== 'obj') return [];
    return pv.props
      .filter((p) => p.key !== undefined)
      .map((p) => {
        const d = r.resolve(res.mod, p.value).expr;
        const info: ParamInfo = { name: p.key!, type: 'unknown', required: required.has(p.key!) };
        if (d.k === 'obj') {
          const t = d.props.find((q) => q.key === 'type');
          if (t && t.value.k === 'lit') info.type = String(t.value.value);
          const desc = d.props.find((q) => q.key === 'description');
          const ds = desc ? r.str(res.mod, desc.value) : undefined;
          if (ds) info.description = ds;
          const en = d.props.find((q) => q.key === 'enum');
          if (en && en.value.k === 'arr') {
            info.enum = en.value.elems.filter((a) => a.value.k === 'lit').map((a) => String((a.value as { value: unknown }).value));
            info.type = 'enum';
          }
        }
        return info;
      });
  }
  // zod raw shape { a: z.string().describe(...) }
  return x.props
    .filter((p) => p.key !== undefined)
    .map((p) => zodParam(r, res.mod, p.key!, p.value));
}

function zodParam(r: ConstResolver, m: number, name: string, e: Expr): ParamInfo {
  const info: ParamInfo = { name, type: 'unknown', required: true };
  let x: Expr = r.resolve(m, e).expr;
  for (let i = 0; i < 12; i++) {
    if (x.k !== 'call') break;
    const c = x.callee;
    if (c.k !== 'member') {
      break;
    }
    const method = c.prop ?? '';
    if (method === 'describe') {
      const d = r.str(m, x.args[0]?.value);
      if (d && !info.description) info.description = d;
    } else if (method === 'optional' || method === 'default' || method === 'nullish') info.required = false;
    else if (['string', 'number', 'boolean', 'array', 'object', 'enum', 'literal', 'any', 'unknown', 'union', 'record', 'bigint', 'date', 'nativeEnum'].includes(method) && /^(z|zod|Zod|z\.coerce|t)$|(^|\.)z$/.test(calleeText(c.obj))) {
      info.type = method === 'literal' ? 'enum' : method === 'nativeEnum' ? 'enum' : method === 'bigint' ? 'integer' : method;
      if (method === 'enum' && x.args[0]?.value.k === 'arr') {
        info.enum = x.args[0].value.elems.filter((a) => a.value.k === 'lit').map((a) => String((a.value as { value: unknown }).value));
      }
      if (method === 'literal' && x.args[0]?.value.k === 'lit') info.enum = [String(x.args[0].value.value)];
      break;
    } else if (method === 'int') {
      if (info.type === 'unknown' || info.type === 'number') info.type = 'integer';
    }
    x = c.obj;
  }
  // `.int()` after number() seen before reaching the base: keep integer
  if (info.type === 'number' && /\.int\(\)/.test('')) info.type = 'integer';
  return info;
}

function objProp(r: ConstResolver, m: number, e: Expr | undefined, key: string, fn?: IRFunction): Expr | undefined {
  if (!e) return undefined;
  const x = r.resolve(m, e, fn).expr;
  if (x.k !== 'obj') return undefined;
  return x.props.find((p) => p.key === key)?.value;
}

function templateVars(uri: string): string[] {
  const out: string[] = [];
  const re = /\{([+#./;?&]?)([A-Za-z0-9_,*]+)\}/g;
  let mm: RegExpExecArray | null;
  while ((mm = re.exec(uri)) !== null) for (const v of mm[2]!.split(',')) out.push(v.replace(/\*$/, ''));
  return out;
}

export function usesMcpSdk(program: Program): boolean {
  for (const m of program.importedModules) if (SDK_MODULES.some((s) => m === s || m.startsWith(`${s}/`))) return true;
  // bundled servers: the SDK is inlined; look for its protocol strings
  return program.modules.some((m) => m.text.includes('tools/call') && (m.text.includes('CallToolRequestSchema') || m.text.includes('"tools/list"') || m.text.includes("'tools/list'")));
}

/** Extract the surface of the program. Pure (reads the IR only). */
export function extractSurface(program: Program): SurfaceResult {
  return mergePythonSurface(program, extractScriptSurface(program));
}

function extractScriptSurface(program: Program): SurfaceResult {
  const r = new ConstResolver(program);
  const registered: RegisteredPrimitive[] = [];
  const dispatchers: SurfaceResult['dispatchers'] = [];
  const transports: TransportDef[] = [];
  const sdks = new Set<string>();
  for (const mname of program.importedModules) {
    for (const s of SDK_MODULES) if (mname === s || mname.startsWith(`${s}/`)) sdks.add(s);
  }
  if (!usesMcpSdk(program)) return { surface: { sdks: [], tools: [], resources: [], prompts: [], transports: [] }, registered, dispatchers, regions: [], httpRoutes: [], listHandlers: [] };
  const listedTools: PrimitiveDef[] = [];
  const httpRoutes: SurfaceResult['httpRoutes'] = [];
  const listHandlers: SurfaceResult['listHandlers'] = [];
  const webFramework = ['express', 'fastify', 'koa', 'hono', '@koa/router', 'koa-router'].some((w) => program.importedModules.has(w));

  program.modules.forEach((pm, m) => {
    const mod = pm.ir;
    if (mod.language === 'python') return;
    // every call, from the program's expression index (one walk of the IR per program)
    const visit = (fn: IRFunction, e: Extract<Expr, { k: 'call' }>, ct: string): void => {
      const method = e.callee.k === 'member' ? e.callee.prop : undefined;
      const args = e.args.map((a) => a.value);
      const L = loc(mod.file, e.loc);
      if (e.isNew) {
        const t = transportOf(ct, e, r, m, fn, mod.file);
        if (t) transports.push(t);
        return;
      }
      if (!method) return;
      if (webFramework && HTTP_METHODS.has(method) && args.length >= 2) {
        const p = r.str(m, args[0], fn);
        if (p !== undefined && p.startsWith('/')) {
          for (const a of args.slice(1)) {
            const h = a.k === 'fn' ? { mod: m, fn: a.fn } : undefined;
            if (h) httpRoutes.push({ handler: h, method: method.toUpperCase(), path: p, location: L });
          }
          return;
        }
      }
      switch (method) {
        case 'tool': {
          const name = r.str(m, args[0], fn);
          const h = fnOf(args.at(-1), r, m, fn);
          if (name === undefined || !h || args.length < 2) return;
          let description: string | undefined;
          let schemaExpr: Expr | undefined;
          for (const a of args.slice(1, -1)) {
            const s = r.str(m, a, fn);
            if (s !== undefined && description === undefined && !schemaExpr) description = s;
            else if (!schemaExpr) {
              const res = r.resolve(m, a, fn).expr;
              if (res.k === 'obj' || res.k === 'call') schemaExpr = a;
            }
          }
          const params = paramsOf(r, m, schemaExpr, fn);
          registered.push(prim('tool', name, description, params, `${shortCallee(ct)}`, L, h, program, 'args-first', true));
          return;
        }
        case 'registerTool': {
          const name = r.str(m, args[0], fn);
          const h = fnOf(args.at(-1), r, m, fn);
          if (name === undefined || !h) return;
          const cfg = args[1];
          const description = r.str(m, objProp(r, m, cfg, 'description', fn), fn);
          const title = r.str(m, objProp(r, m, cfg, 'title', fn), fn);
          const params = paramsOf(r, m, objProp(r, m, cfg, 'inputSchema', fn), fn);
          const p = prim('tool', name, description, params, shortCallee(ct), L, h, program, 'args-first', true);
          if (title) p.def.title = title;
          registered.push(p);
          return;
        }
        case 'prompt':
        case 'registerPrompt': {
          const name = r.str(m, args[0], fn);
          const h = fnOf(args.at(-1), r, m, fn);
          if (name === undefined || !h || args.length < 2) return;
          let description: string | undefined;
          let params: ParamInfo[] = [];
          if (method === 'registerPrompt') {
            description = r.str(m, objProp(r, m, args[1], 'description', fn), fn);
            params = paramsOf(r, m, objProp(r, m, args[1], 'argsSchema', fn), fn);
          } else {
            for (const a of args.slice(1, -1)) {
              const s = r.str(m, a, fn);
              if (s !== undefined && description === undefined) description = s;
              else if (!params.length) params = paramsOf(r, m, a, fn);
            }
          }
          registered.push(prim('prompt', name, description, params, shortCallee(ct), L, h, program, 'args-first', true));
          return;
        }
        case 'resource':
        case 'registerResource': {
          const name = r.str(m, args[0], fn);
          const h = fnOf(args.at(-1), r, m, fn);
          if (name === undefined || !h || args.length < 3) return;
          const uriArg = r.resolve(m, args[1]!, fn);
          let uri = r.str(m, args[1], fn);
          let template = false;
          if (uriArg.expr.k === 'call' && uriArg.expr.isNew && /ResourceTemplate$/.test(calleeText(uriArg.expr.callee))) {
            template = true;
            uri = r.str(uriArg.mod, uriArg.expr.args[0]?.value);
          }
          let description: string | undefined;
          for (const a of args.slice(2, -1)) description ??= r.str(m, objProp(r, m, a, 'description', fn), fn);
          const params: ParamInfo[] = template && uri ? templateVars(uri).map((v) => ({ name: v, type: 'string', required: true })) : [];
          const p = prim('resource', name, description, params, shortCallee(ct), L, h, program, template ? 'resource-template' : 'resource-fixed', true);
          if (uri) p.def.uri = uri;
          registered.push(p);
          return;
        }
        case 'setRequestHandler': {
          const schema = calleeText(args[0] ?? { k: 'var', loc: e.loc, name: '?' });
          const h = fnOf(args[1], r, m, fn);
          if (!h) return;
          if (/CallToolRequestSchema$/.test(schema)) dispatchers.push({ handler: h, kind: 'tool', location: L });
          else if (/ReadResourceRequestSchema$/.test(schema)) dispatchers.push({ handler: h, kind: 'resource', location: L });
          else if (/GetPromptRequestSchema$/.test(schema)) dispatchers.push({ handler: h, kind: 'prompt', location: L });
          else if (/ListToolsRequestSchema$/.test(schema)) {
            listedTools.push(...toolsFromListHandler(program, r, h));
            listHandlers.push({ handler: h, kind: 'tool' });
          } else if (/ListPromptsRequestSchema$/.test(schema)) listHandlers.push({ handler: h, kind: 'prompt' });
          else if (/ListResource(Template)?sRequestSchema$/.test(schema)) listHandlers.push({ handler: h, kind: 'resource' });
          return;
        }
        case 'addTool': {
          const cfg = args[0];
          const name = r.str(m, objProp(r, m, cfg, 'name', fn), fn);
          const h = fnOf(objProp(r, m, cfg, 'execute', fn), r, m, fn);
          if (name === undefined || !h) return;
          const description = r.str(m, objProp(r, m, cfg, 'description', fn), fn);
          const params = paramsOf(r, m, objProp(r, m, cfg, 'parameters', fn), fn);
          registered.push(prim('tool', name, description, params, 'fastmcp.addTool', L, h, program, 'fastmcp', true));
          sdks.add('fastmcp');
          return;
        }
        case 'addResource':
        case 'addResourceTemplate': {
          const cfg = args[0];
          const name = r.str(m, objProp(r, m, cfg, 'name', fn), fn);
          const h = fnOf(objProp(r, m, cfg, 'load', fn), r, m, fn);
          if (name === undefined || !h) return;
          const uri = r.str(m, objProp(r, m, cfg, method === 'addResource' ? 'uri' : 'uriTemplate', fn), fn);
          const description = r.str(m, objProp(r, m, cfg, 'description', fn), fn);
          const params = method === 'addResourceTemplate' ? fastmcpArgs(r, m, objProp(r, m, cfg, 'arguments', fn), uri) : [];
          const p = prim('resource', name, description, params, `fastmcp.${method}`, L, h, program, method === 'addResource' ? 'resource-fixed' : 'fastmcp', true);
          if (uri) p.def.uri = uri;
          registered.push(p);
          return;
        }
        case 'addPrompt': {
          const cfg = args[0];
          const name = r.str(m, objProp(r, m, cfg, 'name', fn), fn);
          const h = fnOf(objProp(r, m, cfg, 'load', fn), r, m, fn);
          if (name === undefined || !h) return;
          const description = r.str(m, objProp(r, m, cfg, 'description', fn), fn);
          registered.push(prim('prompt', name, description, fastmcpArgs(r, m, objProp(r, m, cfg, 'arguments', fn), undefined), 'fastmcp.addPrompt', L, h, program, 'fastmcp', true));
          return;
        }
        case 'start': {
          // fastmcp: server.start({ transportType: 'httpStream', httpStream: { port } })
          const tt = r.str(m, objProp(r, m, args[0], 'transportType', fn), fn);
          if (tt) {
            const kind = tt === 'stdio' ? 'stdio' : tt === 'sse' ? 'sse' : 'streamable-http';
            const opts = objProp(r, m, args[0], tt === 'httpStream' ? 'httpStream' : 'sse', fn);
            const port = objProp(r, m, opts, 'port', fn);
            const host = r.str(m, objProp(r, m, opts, 'host', fn), fn);
            transports.push({ kind, location: L, host: kind === 'stdio' ? undefined : (host ?? 'unknown'), port: port && port.k === 'lit' ? (port.value as number) : undefined, auth: 'unknown' });
          }
          return;
        }
        default:
          return;
      }
    };
    for (const c of programCalls(program, m)) visit(c.fn, c.e, c.callee);
  });

  // low-level: the tool list comes from the ListTools handler
  const tools: PrimitiveDef[] = registered.filter((p) => p.def.kind === 'tool').map((p) => p.def);
  for (const t of listedTools) if (!tools.some((x) => x.name === t.name)) tools.push(t);
  const resources = registered.filter((p) => p.def.kind === 'resource').map((p) => p.def);
  const prompts = registered.filter((p) => p.def.kind === 'prompt').map((p) => p.def);
  if (dispatchers.length) sdks.add(sdks.size ? [...sdks][0]! : '@modelcontextprotocol/sdk');
  const regions = primitiveRegions(program, registered, dispatchers, { tool: tools, resource: resources, prompt: prompts }, jsCaseRegions);
  return {
    surface: { sdks: [...sdks].sort(), tools, resources, prompts, transports: dedupeTransports(transports) },
    registered,
    dispatchers,
    regions,
    httpRoutes,
    listHandlers,
  };
}

/**
 * Tools, prompts and resources listed by ListX handlers whose result is not a literal (`getTools()`,
 * `tools.map(…)` over definitions in other modules): the engine evaluates the handler and the names,
 * descriptions and schemas are read off the returned value.
 */
export function listedByEngine(program: Program, s: SurfaceResult, engine: Engine): void {
  for (const lh of s.listHandlers) {
    const v = engine.evaluateHandler(lh.handler.mod, lh.handler.fn);
    const key = lh.kind === 'tool' ? 'tools' : lh.kind === 'prompt' ? 'prompts' : 'resources';
    const listV = v.fields && Object.hasOwn(v.fields, key) ? v.fields[key]! : undefined;
    const items = listV?.items ?? [];
    const list = lh.kind === 'tool' ? s.surface.tools : lh.kind === 'prompt' ? s.surface.prompts : s.surface.resources;
    const mod = program.modules[lh.handler.mod]!.ir;
    const fn = mod.functions[lh.handler.fn]!;
    for (const it of items) {
      const f = it.fields ?? {};
      const name = Object.hasOwn(f, 'name') ? f.name!.lit : undefined;
      if (typeof name !== 'string' || list.some((p) => p.name === name)) continue;
      const def: PrimitiveDef = { kind: lh.kind, name, params: paramsFromValue(Object.hasOwn(f, 'inputSchema') ? f.inputSchema : Object.hasOwn(f, 'arguments') ? f.arguments : undefined), style: `setRequestHandler(List${key[0]!.toUpperCase()}${key.slice(1)}RequestSchema) (evaluated)`, location: loc(mod.file, fn.loc) };
      const d = Object.hasOwn(f, 'description') ? f.description!.lit : undefined;
      if (typeof d === 'string') def.description = d;
      const uri = Object.hasOwn(f, 'uri') ? f.uri!.lit : Object.hasOwn(f, 'uriTemplate') ? f.uriTemplate!.lit : undefined;
      if (typeof uri === 'string') def.uri = uri;
      list.push(def);
    }
  }
}

function paramsFromValue(v: Value | undefined): ParamInfo[] {
  if (!v) return [];
  if (v.items) {
    // prompt arguments: [{ name, description, required }]
    return v.items.flatMap((it) => {
      const n = it.fields && Object.hasOwn(it.fields, 'name') ? it.fields.name!.lit : undefined;
      return typeof n === 'string' ? [{ name: n, type: 'string', required: it.fields!.required?.lit === true }] : [];
    });
  }
  const props = v.fields && Object.hasOwn(v.fields, 'properties') ? v.fields.properties!.fields : undefined;
  if (!props) return [];
  const req = new Set((v.fields!.required?.items ?? []).map((x) => x.lit).filter((x): x is string => typeof x === 'string'));
  return Object.entries(props).map(([name, pv]) => {
    const t = pv.fields && Object.hasOwn(pv.fields, 'type') ? pv.fields.type!.lit : undefined;
    const info: ParamInfo = { name, type: typeof t === 'string' ? t : 'unknown', required: req.has(name) };
    const d = pv.fields && Object.hasOwn(pv.fields, 'description') ? pv.fields.description!.lit : undefined;
    if (typeof d === 'string') info.description = d;
    return info;
  });
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'delete', 'patch', 'all', 'head', 'options']);

type CaseRegions = (mod: IRModule, fn: IRFunction, kind: 'tool' | 'resource' | 'prompt', names: Set<string>, regions: SurfaceResult['regions']) => void;

/**
 * Code regions that belong to one primitive: registered handlers, dispatcher bodies, and (through the
 * language's `cases`) the branches of a dispatcher that serve one named tool.
 */
export function primitiveRegions(
  program: Program,
  registered: RegisteredPrimitive[],
  dispatchers: SurfaceResult['dispatchers'],
  lists: Record<'tool' | 'resource' | 'prompt', PrimitiveDef[]>,
  cases: CaseRegions,
): SurfaceResult['regions'] {
  const regions: SurfaceResult['regions'] = [];
  for (const rp of registered) {
    if (rp.def.handler) regions.push({ file: rp.def.handler.file, line: rp.def.handler.line, endLine: rp.def.handler.endLine ?? rp.def.handler.line, primitive: { kind: rp.def.kind, name: rp.def.name } });
  }
  for (const d of dispatchers) {
    const mod = program.modules[d.handler.mod]!.ir;
    const fn = mod.functions[d.handler.fn]!;
    const names = new Set(lists[d.kind].map((t) => t.name));
    regions.push({ file: mod.file, line: fn.loc.line, endLine: fn.loc.endLine, primitive: names.size === 1 ? { kind: d.kind, name: [...names][0] } : { kind: d.kind } });
    cases(mod, fn, d.kind, names, regions);
  }
  return regions;
}

/** JS/TS dispatch: `switch (name) { case 'x': … }` and `if (name === 'x') …`. */
const jsCaseRegions: CaseRegions = (mod, fn, kind, names, regions) => {
  forEachStmt(fn.body, (st) => {
    if (st.k === 'switch') {
      let pending: string[] = [];
      for (const c of st.cases) {
        if (c.test && c.test.k === 'lit' && typeof c.test.value === 'string') pending.push(c.test.value);
        if (!c.body.length) continue;
        const name = pending.find((n) => names.has(n));
        if (name) regions.push({ file: mod.file, line: c.loc.line, endLine: c.loc.endLine, primitive: { kind, name } });
        pending = [];
      }
    } else if (st.k === 'if' && st.test.k === 'bin' && (st.test.op === '===' || st.test.op === '==')) {
      const l = st.test.right.k === 'lit' ? st.test.right.value : st.test.left.k === 'lit' ? st.test.left.value : undefined;
      if (typeof l === 'string' && names.has(l) && st.then.length) {
        regions.push({ file: mod.file, line: st.loc.line, endLine: st.then.at(-1)!.loc.endLine, primitive: { kind, name: l } });
      }
    }
  });
};

/** The primitive whose handler region (innermost) contains a location, if any. */
export function primitiveAt(s: SurfaceResult, file: string, line: number): PrimitiveRef | undefined {
  let best: SurfaceResult['regions'][number] | undefined;
  for (const r of s.regions) {
    if (r.file !== file || line < r.line || line > r.endLine) continue;
    if (!best || r.endLine - r.line < best.endLine - best.line) best = r;
  }
  return best?.primitive;
}

function dedupeTransports(ts: TransportDef[]): TransportDef[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = `${t.kind}:${t.location.file}:${t.location.line}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function fastmcpArgs(r: ConstResolver, m: number, e: Expr | undefined, uri: string | undefined): ParamInfo[] {
  const out: ParamInfo[] = [];
  if (e) {
    const x = r.resolve(m, e).expr;
    if (x.k === 'arr') {
      for (const a of x.elems) {
        const name = r.str(m, objProp(r, m, a.value, 'name'));
        if (!name) continue;
        const description = r.str(m, objProp(r, m, a.value, 'description'));
        const req = objProp(r, m, a.value, 'required');
        out.push({ name, type: 'string', description, required: req?.k === 'lit' ? req.value === true : false });
      }
    }
  }
  if (!out.length && uri) for (const v of templateVars(uri)) out.push({ name: v, type: 'string', required: true });
  return out;
}

function shortCallee(ct: string): string {
  const parts = ct.split('.');
  return parts.length > 2 ? parts.slice(-2).join('.') : ct;
}

function prim(
  kind: 'tool' | 'resource' | 'prompt',
  name: string,
  description: string | undefined,
  params: ParamInfo[],
  style: string,
  L: Location,
  h: HandlerRef,
  program: Program,
  binding: RegisteredPrimitive['binding'],
  validated: boolean,
): RegisteredPrimitive {
  const fn = program.modules[h.mod]!.ir.functions[h.fn]!;
  const def: PrimitiveDef = { kind, name, params, style, location: L, handler: loc(program.modules[h.mod]!.ir.file, fn.loc) };
  if (description !== undefined) def.description = description;
  return { def, handler: h, binding, validated };
}

/** The literal tool list returned by a ListTools handler. */
function toolsFromListHandler(program: Program, r: ConstResolver, h: HandlerRef): PrimitiveDef[] {
  const mod = program.modules[h.mod]!.ir;
  const fn = mod.functions[h.fn]!;
  const out: PrimitiveDef[] = [];
  const seenNames = new Set<string>();
  const addTool = (m: number, e: Expr) => {
    const x = r.resolve(m, e, fn);
    if (x.expr.k !== 'obj') return;
    const name = r.str(x.mod, objProp(r, x.mod, x.expr, 'name'));
    if (!name || seenNames.has(name)) return;
    seenNames.add(name);
    const description = r.str(x.mod, objProp(r, x.mod, x.expr, 'description'));
    const params = paramsOf(r, x.mod, objProp(r, x.mod, x.expr, 'inputSchema'));
    const file = program.modules[x.mod]!.ir.file;
    const def: PrimitiveDef = { kind: 'tool', name, params, style: 'setRequestHandler(ListToolsRequestSchema)', location: loc(file, x.expr.loc) };
    if (description !== undefined) def.description = description;
    out.push(def);
  };
  const addList = (m: number, e: Expr, depth = 0) => {
    if (depth > 4) return;
    const x = r.resolve(m, e, fn);
    const ex = x.expr;
    if (ex.k === 'arr') {
      for (const a of ex.elems) {
        if (a.spread) addList(x.mod, a.value, depth + 1);
        else addTool(x.mod, a.value);
      }
    } else if (ex.k === 'call' && ex.callee.k === 'member' && (ex.callee.prop === 'map' || ex.callee.prop === 'filter' || ex.callee.prop === 'concat')) {
      addList(x.mod, ex.callee.obj, depth + 1);
      if (ex.callee.prop === 'concat') for (const a of ex.args) addList(x.mod, a.value, depth + 1);
    } else if (ex.k === 'call' && calleeText(ex.callee).endsWith('Object.values') && ex.args[0]) {
      const o = r.resolve(x.mod, ex.args[0].value).expr;
      if (o.k === 'obj') for (const p of o.props) addTool(x.mod, p.value);
    }
  };
  const visit = (body: Stmt[]) => {
    forEachExprInBody(body, (e) => {
      if (e.k !== 'obj') return;
      const tools = e.props.find((p) => p.key === 'tools');
      if (tools) addList(h.mod, tools.value);
    });
  };
  visit(fn.body);
  // arrow with expression body: return { tools: [...] } is a return stmt, covered above
  return out;
}

function transportOf(ct: string, e: Extract<Expr, { k: 'call' }>, r: ConstResolver, m: number, fn: IRFunction, file: string): TransportDef | undefined {
  const L = loc(file, e.loc);
  if (/StdioServerTransport$/.test(ct)) return { kind: 'stdio', location: L, auth: 'unknown' };
  if (/SSEServerTransport$/.test(ct)) return { kind: 'sse', location: L, auth: 'unknown', host: 'unknown' };
  if (/StreamableHTTPServerTransport$|NodeStreamableHTTPServerTransport$/.test(ct)) {
    const opts = e.args[0]?.value;
    const dns = objProp(r, m, opts, 'enableDnsRebindingProtection', fn);
    const hosts = objProp(r, m, opts, 'allowedHosts', fn) ?? objProp(r, m, opts, 'allowedOrigins', fn);
    const originCheck = (dns && dns.k === 'lit' && dns.value === true) || hosts ? 'present' : 'unknown';
    return { kind: 'streamable-http', location: L, auth: 'unknown', host: 'unknown', originCheck };
  }
  if (/WebSocketServerTransport$/.test(ct)) return { kind: 'websocket', location: L, auth: 'unknown', host: 'unknown' };
  return undefined;
}

// ------------------------------------------------------------------ entry points

/** Field values for typed parameters: numbers, booleans and enums cannot carry injected text, strings no query operators. */
function typedFields(engine: Engine, base: Value, params: ParamInfo[], validated: boolean, file: string, at: Span): Record<string, Value> | undefined {
  if (!validated || !params.length) return undefined;
  const fields: Record<string, Value> = {};
  for (const p of params) {
    const mask = typedParamMask(p.type);
    if (!mask) continue;
    const v = engine.member(base, p.name, file, at, null);
    fields[p.name] = mapFacts(v, (f) => ({ ...f, cleared: f.cleared | mask }));
  }
  return Object.keys(fields).length ? fields : undefined;
}

function sourceKindOf(kind: 'tool' | 'resource' | 'prompt'): SourceKind {
  return kind === 'tool' ? 'tool-argument' : kind === 'resource' ? 'resource-argument' : 'prompt-argument';
}

/** Turn the surface into engine entry points (handler parameters bound to sources). */
export function entryPoints(program: Program, s: SurfaceResult, engine: Engine): EntryPoint[] {
  const out: EntryPoint[] = [];
  for (const rp of s.registered) {
    if (!rp.handler) continue;
    const mod = program.modules[rp.handler.mod]!.ir;
    const fn = mod.functions[rp.handler.fn]!;
    const kind = rp.def.kind;
    const primitive: PrimitiveRef = { kind, name: rp.def.name };
    const ploc = (i: number) => fn.params[i]?.pattern.loc ?? fn.loc;
    const container = (i: number, label: string) =>
      engine.sourceValue({ kind: sourceKindOf(kind), label, primitive, file: mod.file, loc: ploc(i), container: true });
    const transport = (i: number) =>
      extraValue(engine, mod.file, ploc(i), primitive);
    let params: Value[] = [];
    switch (rp.binding) {
      case 'args-first':
      case 'fastmcp': {
        const args = container(0, `arguments of ${kind} \`${rp.def.name}\``);
        const fields = typedFields(engine, args, rp.def.params, rp.validated, mod.file, ploc(0));
        params = [fields ? { ...args, fields } : args, transport(1)];
        break;
      }
      case 'resource-template': {
        const uri = engine.sourceValue({ kind: 'resource-argument', label: `URI of resource \`${rp.def.name}\``, primitive, file: mod.file, loc: ploc(0) });
        const vars = container(1, `URI template variables of resource \`${rp.def.name}\``);
        params = [uri, vars, transport(2)];
        break;
      }
      case 'resource-fixed':
        params = [EMPTY, transport(1)];
        break;
      case 'python-params':
        params = pythonEntryParams(program, rp, engine);
        break;
      default:
        break;
    }
    if (rp.binding === 'resource-fixed') continue; // a fixed URI has no caller input
    out.push({ mod: rp.handler.mod, fn: rp.handler.fn, primitive, params });
  }
  for (const route of s.httpRoutes) {
    const mod = program.modules[route.handler.mod]!.ir;
    if (mod.language === 'python') {
      out.push({ mod: route.handler.mod, fn: route.handler.fn, primitive: { kind: 'protocol' }, params: pythonRouteParams(program, route, engine) });
      continue;
    }
    const fn = mod.functions[route.handler.fn]!;
    const primitive: PrimitiveRef = { kind: 'protocol' };
    const ploc = fn.params[0]?.pattern.loc ?? fn.loc;
    const part = (what: string) => engine.sourceValue({ kind: 'transport', label: `${what} of HTTP ${route.method} ${route.path}`, primitive, file: mod.file, loc: ploc, container: what !== 'URL' });
    const req: Value = {
      facts: [],
      refs: [],
      fields: { query: part('the query'), params: part('the path parameters'), body: part('the body'), headers: part('the headers'), cookies: part('the cookies'), url: part('URL'), originalUrl: part('URL') },
    };
    out.push({ mod: route.handler.mod, fn: route.handler.fn, primitive, params: [req, EMPTY, EMPTY] });
  }
  for (const d of s.dispatchers) {
    const mod = program.modules[d.handler.mod]!.ir;
    const fn = mod.functions[d.handler.fn]!;
    const names = d.kind === 'tool' ? s.surface.tools.map((t) => t.name) : d.kind === 'resource' ? s.surface.resources.map((t) => t.name) : s.surface.prompts.map((t) => t.name);
    const primitive: PrimitiveRef = names.length === 1 ? { kind: d.kind, name: names[0] } : { kind: d.kind };
    if (mod.language === 'python') {
      out.push({ mod: d.handler.mod, fn: d.handler.fn, primitive, params: pythonDispatcherParams(program, d, primitive, engine), dispatch: true });
      continue;
    }
    const ploc = fn.params[0]?.pattern.loc ?? fn.loc;
    const argsV = engine.sourceValue({
      kind: sourceKindOf(d.kind),
      label: d.kind === 'tool' ? 'arguments of the tool call (request.params.arguments)' : d.kind === 'prompt' ? 'arguments of the prompt request' : 'the requested resource URI',
      primitive,
      file: mod.file,
      loc: ploc,
      container: d.kind !== 'resource',
    });
    const nameV: Value = { facts: [], refs: [{ t: 'toolname' }] };
    const params: Record<string, Value> = d.kind === 'resource' ? { uri: argsV } : { name: nameV, arguments: argsV };
    const request: Value = { facts: [], refs: [], fields: { params: { facts: [], refs: [], fields: params }, method: EMPTY } };
    out.push({ mod: d.handler.mod, fn: d.handler.fn, primitive, params: [request, extraValue(engine, mod.file, fn.params[1]?.pattern.loc ?? fn.loc, primitive)], dispatch: true });
  }
  return out;
}

/**
 * Entry points for registrations the engine saw while interpreting (names taken from definition objects,
 * handlers made per definition in a loop). Adds the primitives to the surface (style `… (dynamic)`).
 */
export function dynamicEntries(program: Program, s: SurfaceResult, engine: Engine, regs: DynamicRegistration[]): EntryPoint[] {
  const out: EntryPoint[] = [];
  const listOf = (k: 'tool' | 'resource' | 'prompt') => (k === 'tool' ? s.surface.tools : k === 'resource' ? s.surface.resources : s.surface.prompts);
  const staticHandlers = new Set(s.registered.filter((r) => r.handler).map((r) => `${r.handler!.mod}:${r.handler!.fn}`));
  // registration calls already understood statically (same call site): their handlers are entries already
  const staticCalls = new Set(s.registered.map((r) => `${r.def.location.file}:${r.def.location.line}:${r.def.location.column}`));
  const seen = new Set<string>();
  for (const r of regs) {
    for (const h of r.handler) {
      const key = `${r.kind}:${r.name ?? ''}:${h.mod}:${h.fn}:${r.loc.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (staticCalls.has(`${r.file}:${r.loc.line}:${r.loc.col}`)) continue;
      // statically known registration with a literal name: already an entry
      if (staticHandlers.has(`${h.mod}:${h.fn}`) && (r.name === undefined || listOf(r.kind).some((p) => p.name === r.name))) continue;
      const mod = program.modules[h.mod]!.ir;
      const fn = mod.functions[h.fn]!;
      const name = r.name;
      const list = listOf(r.kind);
      const L = loc(r.file, r.loc);
      if (name !== undefined && !list.some((p) => p.name === name)) {
        const def: PrimitiveDef = { kind: r.kind, name, params: [], style: `${r.method} (dynamic)`, location: L, handler: loc(mod.file, fn.loc) };
        if (r.description !== undefined) def.description = r.description;
        list.push(def);
      }
      const primitive: PrimitiveRef = name !== undefined ? { kind: r.kind, name } : { kind: r.kind };
      s.regions.push({ file: mod.file, line: fn.loc.line, endLine: fn.loc.endLine, primitive });
      const ploc = (i: number) => fn.params[i]?.pattern.loc ?? fn.loc;
      const args = engine.sourceValue({
        kind: sourceKindOf(r.kind),
        label: `arguments of ${r.kind} ${name !== undefined ? `\`${name}\`` : '(registered dynamically)'}`,
        primitive,
        file: mod.file,
        loc: ploc(0),
        container: true,
      });
      const params = r.kind === 'resource' && !r.method.startsWith('add') ? [args, args, extraValue(engine, mod.file, ploc(2), primitive)] : [args, extraValue(engine, mod.file, ploc(1), primitive)];
      out.push({ mod: h.mod, fn: h.fn, primitive, params, env: h.env });
    }
  }
  for (const k of ['tool', 'resource', 'prompt'] as const) listOf(k).sort((a, b) => compareText(a.location.file, b.location.file) || a.location.line - b.location.line || compareText(a.name, b.name));
  return out;
}

/** The SDK's `extra` argument: its request headers and auth info are attacker-influenced (transport source). */
function extraValue(engine: Engine, file: string, l: Span, primitive: PrimitiveRef): Value {
  const t = (label: string) => engine.sourceValue({ kind: 'transport', label, primitive, file, loc: l });
  return {
    facts: [],
    refs: [refValue({ t: 'q', name: 'mcp.RequestHandlerExtra' }).refs[0]!],
    fields: {
      requestInfo: t('HTTP request headers of the MCP request (extra.requestInfo)'),
      authInfo: t('the bearer token / auth info of the MCP request (extra.authInfo)'),
      headers: t('HTTP request headers'),
      session: t('the session of the MCP request'),
      _meta: t('request metadata (_meta)'),
    },
  };
}

export type { IRModule };
