/**
 * Non-flow rules: weaknesses that are visible without following data from a tool argument.
 * Each rule carries its metadata (id, CWE, title, severity, docs) beside its check, ESLint-style;
 * docs/rules.md lists them.
 */
import { calleeText, type Expr, type IRFunction, type IRModule, type Span } from '../../languages/ir.js';
import type { Finding, RuleMeta, Surface } from '../../model.js';
import { programCalls, programExprs, type CallSite, type Program } from '../program.js';
import { snippetOf, toLocation } from '../findings.js';
import { isCredentialName, TOKEN_FORMATS, looksLikeSecretValue, redactValue } from './secrets.js';

export interface RuleContext {
  program: Program;
  surface: Surface;
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): Finding[];
}

function calls(p: Program): readonly CallSite[] {
  return programCalls(p);
}

function exprsOf(p: Program, f: (e: Expr, mod: number, fn: IRFunction) => void): void {
  for (const x of programExprs(p)) f(x.e, x.mod, x.fn);
}

function make(rule: Rule, p: Program, file: string, loc: Span, message: string, extra: Partial<Finding> = {}): Finding {
  const location = toLocation(file, loc);
  return {
    id: '', // made by finalizeFindings (which assess runs on every finding), from the settled primitive
    ruleId: rule.id,
    title: rule.title,
    cwe: rule.cwe,
    severity: rule.severity,
    confidence: 'high',
    message,
    fix: rule.fix,
    location,
    snippet: snippetOf(p, file, loc),
    primitive: { kind: 'protocol' },
    tags: [],
    ...extra,
  };
}

/** Offsets where the lines of a text start. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** Index of the line holding an offset (binary search in lineStarts). */
function lineIndexAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function litStr(e: Expr | undefined): string | undefined {
  return e && e.k === 'lit' && e.kind === 'string' ? String(e.value) : undefined;
}

// ------------------------------------------------------------------ 798
export const hardcodedCredentials: Rule = {
  id: 'mcp-risk/hardcoded-credential',
  cwe: 798,
  title: 'Hard-coded credential',
  severity: 'high',
  description: 'A credential (known token format, or a high-entropy literal assigned to a credential-like name) is written in the code.',
  fix: 'Read credentials from the environment or a secret store at run time; revoke the exposed one.',
  check(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    // known token formats: each format once over the whole text (none matches across a line break)
    ctx.program.modules.forEach((m) => {
      const text = m.text;
      if (text.length > 2_000_000) return;
      let starts: number[] | undefined;
      for (const f of TOKEN_FORMATS) {
        f.re.lastIndex = 0;
        let mm: RegExpExecArray | null;
        while ((mm = f.re.exec(text)) !== null) {
          starts ??= lineStarts(text);
          const i = lineIndexAt(starts, mm.index);
          const end = i + 1 < starts.length ? starts[i + 1]! - 1 : text.length;
          if (end - starts[i]! - (text[end - 1] === '\r' ? 1 : 0) > 5000) continue; // a bundle line, not a literal someone wrote
          const key = `${m.ir.file}:${i + 1}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const col = mm.index - starts[i]! + 1;
          const loc: Span = { line: i + 1, col, endLine: i + 1, endCol: col + mm[0].length };
          out.push(make(this, ctx.program, m.ir.file, loc, `A ${f.name} is hard-coded (${f.name === 'private key' ? 'PEM block' : redactValue(mm[0])}).`, { tags: ['secret'] }));
        }
      }
    });
    // high-entropy literals assigned to credential-like names
    exprsOf(ctx.program, (e, mi) => {
      const file = ctx.program.modules[mi]!.ir.file;
      const check = (name: string | undefined, v: Expr | undefined, loc: Span) => {
        const s = litStr(v);
        if (!name || s === undefined || !isCredentialName(name) || !looksLikeSecretValue(s)) return;
        const key = `${file}:${loc.line}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push(make(hardcodedCredentials, ctx.program, file, loc, `\`${name}\` is set to a hard-coded secret (${redactValue(s)}).`, { tags: ['secret'], confidence: 'medium' }));
      };
      if (e.k === 'obj') for (const p of e.props) check(p.key, p.value, p.value.loc);
      if (e.k === 'assign' && e.target.k === 'expr' && e.target.expr.k === 'member') check(e.target.expr.prop, e.value, e.value.loc);
      if (e.k === 'assign' && e.target.k === 'id') check(e.target.name, e.value, e.value.loc);
      if (e.k === 'call') {
        // headers.set('Authorization', 'Bearer …') / { Authorization: 'Bearer …' }
        const a0 = litStr(e.args[0]?.value);
        if (a0 && /^(authorization|x-api-key|api-key)$/i.test(a0)) {
          const v = litStr(e.args[1]?.value);
          if (v && looksLikeSecretValue(v.replace(/^(Bearer|Basic|token)\s+/i, ''))) check('token', { ...e.args[1]!.value, value: v.replace(/^(Bearer|Basic|token)\s+/i, '') } as Expr, e.args[1]!.value.loc);
        }
      }
    });
    // variable declarations: const API_KEY = '…'
    ctx.program.modules.forEach((m) => {
      for (const fn of m.ir.functions) {
        const visit = (stmts: typeof fn.body) => {
          for (const s of stmts) {
            if (s.k === 'let' && s.target.k === 'id' && s.value) {
              const v = litStr(s.value);
              if (v !== undefined && isCredentialName(s.target.name) && looksLikeSecretValue(v)) {
                const key = `${m.ir.file}:${s.value.loc.line}`;
                if (!seen.has(key)) {
                  seen.add(key);
                  out.push(make(hardcodedCredentials, ctx.program, m.ir.file, s.value.loc, `\`${s.target.name}\` is set to a hard-coded secret (${redactValue(v)}).`, { tags: ['secret'], confidence: 'medium' }));
                }
              }
            }
            if (s.k === 'if') {
              visit(s.then);
              visit(s.else);
            } else if (s.k === 'block' || s.k === 'loop') visit(s.body);
            else if (s.k === 'try') {
              visit(s.body);
              visit(s.handler);
              visit(s.finalizer);
            }
          }
        };
        visit(fn.body);
      }
    });
    return out;
  },
};

// ------------------------------------------------------------------ 295
export const tlsDisabled: Rule = {
  id: 'mcp-risk/tls-verification-disabled',
  cwe: 295,
  title: 'TLS certificate verification disabled',
  severity: 'high',
  description: 'Certificate checks are turned off (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED=0`, `verify=False`), so any network attacker can read and change the traffic.',
  fix: 'Keep certificate verification on; to trust a private CA, pass its certificate (ca / REQUESTS_CA_BUNDLE) instead.',
  check(ctx) {
    const out: Finding[] = [];
    exprsOf(ctx.program, (e, mi) => {
      const file = ctx.program.modules[mi]!.ir.file;
      if (e.k === 'obj') {
        for (const p of e.props) {
          if ((p.key === 'rejectUnauthorized' || p.key === 'strictSSL') && p.value.k === 'lit' && p.value.value === false) {
            out.push(make(this, ctx.program, file, p.loc, `\`${p.key}: false\` turns off TLS certificate verification.`));
          }
          if (p.key === 'checkServerIdentity' && p.value.k === 'fn') {
            const fn = ctx.program.modules[mi]!.ir.functions[p.value.fn]!;
            const ret = fn.body.length === 1 && fn.body[0]!.k === 'return' && (!fn.body[0]!.value || fn.body[0]!.value.k === 'lit');
            if (ret || fn.body.length === 0) out.push(make(this, ctx.program, file, p.loc, '`checkServerIdentity` accepts every certificate.'));
          }
        }
      }
      if (e.k === 'assign' && e.target.k === 'expr' && e.target.expr.k === 'member' && e.target.expr.prop === 'NODE_TLS_REJECT_UNAUTHORIZED') {
        const v = e.value.k === 'lit' ? String(e.value.value) : undefined;
        if (v === '0' || v === 'false') out.push(make(this, ctx.program, file, e.loc, '`NODE_TLS_REJECT_UNAUTHORIZED` is set to 0: every TLS connection of the process skips certificate checks.'));
      }
      if (e.k === 'call') {
        for (const a of e.args) {
          if ((a.name === 'verify' || a.name === 'verify_ssl' || a.name === 'ssl_verify' || a.name === 'ssl') && a.value.k === 'lit' && a.value.value === false) {
            out.push(make(this, ctx.program, file, e.loc, `\`${a.name}=False\` turns off TLS certificate verification.`));
          }
        }
        const ct = calleeText(e.callee);
        if (/(^|\.)_create_unverified_context$/.test(ct)) out.push(make(this, ctx.program, file, e.loc, '`ssl._create_unverified_context()` skips certificate verification.'));
      }
      // python: ctx.verify_mode = ssl.CERT_NONE / ctx.check_hostname = False
      if (e.k === 'assign' && e.target.k === 'expr' && e.target.expr.k === 'member') {
        const prop = e.target.expr.prop;
        const v = calleeText(e.value);
        if ((prop === 'verify_mode' && /CERT_NONE$/.test(v)) || (prop === 'check_hostname' && e.value.k === 'lit' && e.value.value === false)) {
          out.push(make(this, ctx.program, file, e.loc, `\`${prop}\` is set so that certificates or host names are not checked.`));
        }
      }
    });
    return out;
  },
};

// ------------------------------------------------------------------ transports: 306, 350
function hasAuthSignal(p: Program): boolean {
  return p.modules.some((m) =>
    /requireBearerAuth|mcpAuthRouter|ProxyOAuthServerProvider|authenticate\s*:|verifyAccessToken|passport\.authenticate|express-jwt|jwtVerify|jwt\.verify|headers\.authorization|headers\[["']authorization["']\]|get\(["']authorization["']\)|x-api-key|OAuthProvider|BearerAuth|auth_server_provider|token_verifier|AuthSettings/i.test(
      m.text,
    ),
  );
}

function hasOriginSignal(p: Program): boolean {
  return p.modules.some((m) =>
    /enableDnsRebindingProtection\s*:\s*true|allowedHosts|allowedOrigins|hostHeaderValidation|localhostHostValidation|headers\.origin|headers\[["']origin["']\]|get\(["']origin["']\)|headers\.host\b|TrustedHostMiddleware|transport_security|DNS.?rebinding/i.test(m.text),
  );
}

interface Listen {
  mod: number;
  loc: Span;
  host: string;
}

function listens(p: Program): Listen[] {
  const out: Listen[] = [];
  for (const c of calls(p)) {
    const method = c.e.callee.k === 'member' ? c.e.callee.prop : undefined;
    if (method === 'listen' && c.e.args.length >= 1 && p.modules[c.mod]!.ir.language !== 'python') {
      const a1 = c.e.args[1]?.value;
      const host = litStr(a1) ?? (a1 && a1.k !== 'fn' ? 'unknown' : '0.0.0.0');
      const a0 = c.e.args[0]?.value;
      if (a0 && a0.k === 'obj') {
        const h = a0.props.find((x) => x.key === 'host');
        out.push({ mod: c.mod, loc: c.e.loc, host: litStr(h?.value) ?? (h ? 'unknown' : '0.0.0.0') });
      } else out.push({ mod: c.mod, loc: c.e.loc, host });
    }
    if (/(^|\.)(uvicorn\.run|run)$/.test(c.callee) && p.modules[c.mod]!.ir.language === 'python') {
      const hostArg = c.e.args.find((a) => a.name === 'host');
      const transportArg = c.e.args.find((a) => a.name === 'transport');
      const t = litStr(transportArg?.value);
      if (c.callee.endsWith('uvicorn.run') || (t && t !== 'stdio')) out.push({ mod: c.mod, loc: c.e.loc, host: litStr(hostArg?.value) ?? (c.callee.endsWith('uvicorn.run') ? '127.0.0.1' : '127.0.0.1') });
    }
  }
  return out;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

export const networkWithoutAuth: Rule = {
  id: 'mcp-risk/http-transport-without-auth',
  cwe: 306,
  title: 'Network-exposed MCP transport without authentication',
  severity: 'high',
  description: 'An HTTP (SSE / Streamable HTTP) MCP endpoint listens beyond loopback and no authentication is seen in front of it: anyone who can reach the port can call every tool.',
  fix: 'Bind to 127.0.0.1, or put bearer-token / OAuth authentication (e.g. requireBearerAuth) in front of the MCP endpoint.',
  check(ctx) {
    const http = ctx.surface.transports.filter((t) => t.kind === 'sse' || t.kind === 'streamable-http' || t.kind === 'http');
    if (!http.length || hasAuthSignal(ctx.program)) return [];
    const out: Finding[] = [];
    for (const l of listens(ctx.program)) {
      if (LOOPBACK.test(l.host)) continue;
      const file = ctx.program.modules[l.mod]!.ir.file;
      const where = l.host === '0.0.0.0' || l.host === '::' ? 'all network interfaces' : l.host === 'unknown' ? 'a configurable address' : `\`${l.host}\``;
      out.push(make(this, ctx.program, file, l.loc, `The MCP HTTP endpoint listens on ${where} with no authentication in front of it.`, { confidence: l.host === 'unknown' ? 'medium' : 'high' }));
    }
    // transports whose host is known from their own options (python FastMCP(host="0.0.0.0"), fastmcp start())
    for (const t of http) {
      if (!t.host || t.host === 'unknown' || LOOPBACK.test(t.host)) continue;
      if (out.some((f) => f.location.file === t.location.file && f.location.line === t.location.line)) continue;
      const where = t.host === '0.0.0.0' || t.host === '::' ? 'all network interfaces' : `\`${t.host}\``;
      out.push(make(this, ctx.program, t.location.file, { line: t.location.line, col: t.location.column, endLine: t.location.endLine ?? t.location.line, endCol: t.location.endColumn ?? t.location.column }, `The ${t.kind} MCP endpoint listens on ${where} with no authentication in front of it.`));
    }
    if (!out.length && !listens(ctx.program).length) {
      for (const t of http) {
        if (t.host && LOOPBACK.test(t.host)) continue;
        out.push(make(this, ctx.program, t.location.file, { line: t.location.line, col: t.location.column, endLine: t.location.endLine ?? t.location.line, endCol: t.location.endColumn ?? t.location.column }, `A ${t.kind} MCP transport is created with no authentication seen in front of it.`, { confidence: 'medium' }));
      }
    }
    return out;
  },
};

export const dnsRebinding: Rule = {
  id: 'mcp-risk/http-transport-without-origin-check',
  cwe: 350,
  title: 'HTTP transport without Origin/Host validation (DNS rebinding)',
  severity: 'medium',
  description: 'An HTTP MCP transport does not check the Origin or Host header: a web page the user visits can reach a local server through DNS rebinding.',
  fix: 'Enable the SDK\'s DNS-rebinding protection (enableDnsRebindingProtection: true with allowedHosts / allowedOrigins) or validate Origin and Host yourself.',
  check(ctx) {
    if (hasOriginSignal(ctx.program)) return [];
    const out: Finding[] = [];
    for (const t of ctx.surface.transports) {
      if (t.kind !== 'sse' && t.kind !== 'streamable-http') continue;
      if (t.originCheck === 'present') continue;
      out.push(make(this, ctx.program, t.location.file, { line: t.location.line, col: t.location.column, endLine: t.location.endLine ?? t.location.line, endCol: t.location.endColumn ?? t.location.column }, `The ${t.kind} transport accepts requests without checking Origin or Host.`));
    }
    return out;
  },
};

// ------------------------------------------------------------------ 942
export const permissiveCors: Rule = {
  id: 'mcp-risk/permissive-cors',
  cwe: 942,
  title: 'Permissive CORS policy',
  severity: 'medium',
  description: 'The HTTP endpoint allows any origin (`*`, reflected origin, or `cors()` defaults), so any web page can call it from the user\'s browser.',
  fix: 'Allow only the origins that need access; never combine a reflected or wildcard origin with credentials.',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      const file = ctx.program.modules[c.mod]!.ir.file;
      if (/(^|\.)cors$|CORSMiddleware$/.test(c.callee) || c.callee === 'cors.default' || c.callee.endsWith('cors_1.default')) {
        const a0 = c.e.args[0]?.value;
        const kwOrigins = c.e.args.find((a) => a.name === 'allow_origins')?.value;
        if (kwOrigins) {
          if (kwOrigins.k === 'arr' && kwOrigins.elems.some((x) => litStr(x.value) === '*')) out.push(make(this, ctx.program, file, c.e.loc, 'CORS allows every origin (`allow_origins=["*"]`).'));
          continue;
        }
        if (!a0) {
          if (/(^|\.)cors$|cors_1\.default$/.test(c.callee)) out.push(make(this, ctx.program, file, c.e.loc, '`cors()` with no options allows every origin.'));
          continue;
        }
        if (a0.k === 'obj') {
          const origin = a0.props.find((p) => p.key === 'origin');
          const creds = a0.props.find((p) => p.key === 'credentials');
          const withCreds = creds?.value.k === 'lit' && creds.value.value === true;
          if (!origin || litStr(origin.value) === '*' || (origin.value.k === 'lit' && origin.value.value === true)) {
            out.push(make(this, ctx.program, file, c.e.loc, `CORS allows every origin${withCreds ? ' and sends credentials' : ''}.`));
          }
        }
      }
      const method = c.e.callee.k === 'member' ? c.e.callee.prop : undefined;
      if ((method === 'setHeader' || method === 'header' || method === 'set' || method === 'append') && /^access-control-allow-origin$/i.test(litStr(c.e.args[0]?.value) ?? '')) {
        const v = c.e.args[1]?.value;
        const reflected = v && v.k === 'member' && /origin/i.test(calleeText(v));
        if (litStr(v) === '*' || reflected) out.push(make(this, ctx.program, file, c.e.loc, reflected ? 'The request Origin is reflected into Access-Control-Allow-Origin.' : 'Access-Control-Allow-Origin is `*`.'));
      }
    }
    return out;
  },
};

// ------------------------------------------------------------------ 327/328/330
const SECURITY_CONTEXT = /token|secret|passw|session|nonce|otp|auth|key|salt|signature|csrf|credential|api[_-]?key|state|verifier|challenge/i;

function statementText(p: Program, mod: number, loc: Span): string {
  const lines = p.modules[mod]!.text.split(/\r?\n/);
  return lines.slice(Math.max(0, loc.line - 2), loc.endLine + 1).join('\n');
}

export const weakHash: Rule = {
  id: 'mcp-risk/weak-hash',
  cwe: 328,
  title: 'Weak hash for a security purpose',
  severity: 'medium',
  description: 'MD5 or SHA-1 is used to hash a password, token or signature.',
  fix: 'Use SHA-256 or better for integrity, and a password hash (scrypt, argon2, bcrypt) for passwords.',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      const file = ctx.program.modules[c.mod]!.ir.file;
      const alg = litStr(c.e.args[0]?.value)?.toLowerCase();
      const isNodeHash = /(^|\.)create(Hash|Hmac)$/.test(c.callee) && (alg === 'md5' || alg === 'sha1' || alg === 'md4');
      const isPyHash = /(^|\.)hashlib\.(md5|sha1)$/.test(c.callee) || (/(^|\.)hashlib\.new$/.test(c.callee) && (alg === 'md5' || alg === 'sha1'));
      if (!isNodeHash && !isPyHash) continue;
      if (c.e.args.some((a) => a.name === 'usedforsecurity' && a.value.k === 'lit' && a.value.value === false)) continue;
      const ctxText = statementText(ctx.program, c.mod, c.e.loc) + ' ' + c.fn.name;
      if (!SECURITY_CONTEXT.test(ctxText)) continue;
      out.push(make(this, ctx.program, file, c.e.loc, `${(alg ?? c.callee.split('.').pop()!).toUpperCase()} is used for a security-relevant value; it is broken for this purpose.`));
    }
    return out;
  },
};

export const weakCipher: Rule = {
  id: 'mcp-risk/weak-cipher',
  cwe: 327,
  title: 'Broken or risky cryptographic algorithm',
  severity: 'medium',
  description: 'A deprecated cipher API or a broken algorithm/mode (DES, RC4, ECB, createCipher without IV) is used.',
  fix: 'Use AES-GCM (createCipheriv with a random IV) or a vetted library such as libsodium.',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      const file = ctx.program.modules[c.mod]!.ir.file;
      const alg = litStr(c.e.args[0]?.value)?.toLowerCase() ?? '';
      if (/(^|\.)createCipher$|(^|\.)createDecipher$/.test(c.callee)) out.push(make(this, ctx.program, file, c.e.loc, '`createCipher` derives the key without salt and uses no IV.'));
      else if (/(^|\.)createCipheriv$/.test(c.callee) && /(^des|rc4|rc2|-ecb$|^bf)/.test(alg)) out.push(make(this, ctx.program, file, c.e.loc, `The cipher \`${alg}\` is broken or uses ECB mode.`));
    }
    return out;
  },
};

const PY_RANDOM_FUNCS = /^(random|randint|choice|choices|getrandbits|randrange|sample|randbytes|shuffle|uniform)$/;

/** `random.choice(…)`, `rnd.choice(…)` after `import random as rnd`, `choice(…)` after `from random import choice`. */
function pythonRandomCall(mod: IRModule, callee: string): boolean {
  const dot = callee.lastIndexOf('.');
  if (dot < 0) return mod.imports.some((i) => i.module === 'random' && i.local === callee && PY_RANDOM_FUNCS.test(i.imported));
  const obj = callee.slice(0, dot);
  if (!PY_RANDOM_FUNCS.test(callee.slice(dot + 1))) return false;
  return obj === 'random' || mod.imports.some((i) => i.module === 'random' && i.local === obj && i.imported === '*');
}

/** The function a comprehension, generator or lambda belongs to (their names are synthetic: `<genexpr@12>`). */
function namedFunction(mod: IRModule, fn: IRFunction): IRFunction {
  let f = fn;
  for (let i = 0; i < 50 && f.name.startsWith('<') && f.parent !== undefined && f.parent !== f.index; i++) f = mod.functions[f.parent]!;
  return f;
}

export const weakRandom: Rule = {
  id: 'mcp-risk/insecure-randomness',
  cwe: 330,
  title: 'Predictable random value used as a secret',
  severity: 'medium',
  description: '`Math.random()` / `random` builds a token, session id, password or nonce; it is predictable.',
  fix: 'Use crypto.randomBytes / crypto.randomUUID (Node) or the secrets module (Python).',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      const isJs = c.callee === 'Math.random' || c.callee.endsWith('.Math.random');
      const isPy = ctx.program.modules[c.mod]!.ir.language === 'python' && pythonRandomCall(ctx.program.modules[c.mod]!.ir, c.callee);
      if (!isJs && !isPy) continue;
      const text = statementText(ctx.program, c.mod, c.e.loc) + ' ' + namedFunction(ctx.program.modules[c.mod]!.ir, c.fn).name;
      if (!SECURITY_CONTEXT.test(text.replace(/\bkeys?\b(?=\s*\()/g, ''))) continue;
      const file = ctx.program.modules[c.mod]!.ir.file;
      out.push(make(this, ctx.program, file, c.e.loc, `\`${c.callee}()\` is used to build a security-relevant value; it is predictable.`));
    }
    return out;
  },
};

// ------------------------------------------------------------------ 532
const SECRET_ENV = /TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE|CREDENTIAL|AUTH/i;

export const secretsInLogs: Rule = {
  id: 'mcp-risk/secret-in-log',
  cwe: 532,
  title: 'Secret written to a log',
  severity: 'medium',
  description: 'A credential (a secret environment variable, an Authorization header, a variable named like a token) is written to a log or stderr; MCP hosts keep server logs in plain files.',
  fix: 'Log that a credential is present, never its value (or a short fingerprint of it).',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      if (!/^(console\.(log|error|warn|info|debug)|logger\.\w+|log\.\w+|logging\.\w+|this\.logger\.\w+|print|process\.stderr\.write|process\.stdout\.write)$/.test(c.callee)) continue;
      let bad: string | undefined;
      for (const a of c.e.args) {
        forEachExprShallow(a.value, (x) => {
          if (bad) return;
          if (x.k === 'member' && x.prop && SECRET_ENV.test(x.prop) && /(^|\.)(process\.env|os\.environ)$/.test(calleeText(x.obj))) bad = `process.env.${x.prop}`;
          else if (x.k === 'member' && x.prop && /^authorization$/i.test(x.prop)) bad = 'the Authorization header';
          else if (x.k === 'call' && /(^|\.)(os\.getenv|os\.environ\.get|environ\.get)$/.test(calleeText(x.callee)) && SECRET_ENV.test(litStr(x.args[0]?.value) ?? '')) bad = litStr(x.args[0]?.value);
          else if (x.k === 'var' && /^(api_?key|apiKey|token|secret|password|accessToken|access_token|authToken|auth_token|clientSecret|client_secret|bearerToken)$/i.test(x.name)) bad = `\`${x.name}\``;
        });
      }
      if (!bad) continue;
      const file = ctx.program.modules[c.mod]!.ir.file;
      out.push(make(this, ctx.program, file, c.e.loc, `${bad} is written to the log.`));
    }
    return out;
  },
};

function forEachExprShallow(e: Expr, f: (e: Expr) => void): void {
  f(e);
  switch (e.k) {
    case 'member':
      forEachExprShallow(e.obj, f);
      break;
    case 'tpl':
      e.parts.forEach((p) => forEachExprShallow(p, f));
      break;
    case 'bin':
      forEachExprShallow(e.left, f);
      forEachExprShallow(e.right, f);
      break;
    case 'call':
      if (/(^|\.)(slice|substring|substr)$/.test(calleeText(e.callee))) return; // a prefix of a secret is a fingerprint
      e.args.forEach((a) => forEachExprShallow(a.value, f));
      break;
    case 'obj':
      e.props.forEach((p) => forEachExprShallow(p.value, f));
      break;
    case 'arr':
      e.elems.forEach((a) => forEachExprShallow(a.value, f));
      break;
    default:
      break;
  }
}

// ------------------------------------------------------------------ 377
export const insecureTempFile: Rule = {
  id: 'mcp-risk/insecure-temp-file',
  cwe: 377,
  title: 'Insecure temporary file',
  severity: 'medium',
  description: '`tempfile.mktemp()` (or `os.tempnam`/`tmpnam`) returns a name without creating the file: another process can create it first (a link to another file) before the server opens it.',
  fix: 'Use tempfile.mkstemp() / NamedTemporaryFile() / TemporaryDirectory() (Node: fs.mkdtemp), which create the file atomically.',
  check(ctx) {
    const out: Finding[] = [];
    for (const c of calls(ctx.program)) {
      if (!/(^|\.)(tempfile\.mktemp|os\.tempnam|os\.tmpnam)$|^mktemp$/.test(c.callee)) continue;
      if (c.callee === 'mktemp' && !ctx.program.modules[c.mod]!.ir.imports.some((i) => i.module === 'tempfile' && i.imported === 'mktemp')) continue;
      const file = ctx.program.modules[c.mod]!.ir.file;
      out.push(make(this, ctx.program, file, c.e.loc, `\`${c.callee}()\` returns a temporary file name without creating the file (race: CWE-377).`));
    }
    return out;
  },
};

export const RULES: Rule[] = [insecureTempFile, hardcodedCredentials, tlsDisabled, networkWithoutAuth, dnsRebinding, permissiveCors, weakHash, weakCipher, weakRandom, secretsInLogs];

export function runRules(ctx: RuleContext, rules: Rule[] = RULES): Finding[] {
  return rules.flatMap((r) => r.check(ctx));
}
