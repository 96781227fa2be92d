/**
 * MCP host configurations: where each host keeps them on Linux, macOS and Windows (pure path computation
 * from platform, home, APPDATA and the environment), reading and parsing them with a clear error per file
 * (the other files are still assessed), and resolving each server entry to something mcp-risk can assess:
 *
 *   npx / npm exec / pnpm dlx / bunx / yarn dlx <pkg>  → npm package     uvx / pipx run / uv tool run <pkg> → PyPI
 *   node / python / deno / bun / tsx <script>, uv --directory <dir> → local folder      github:… / git URL → git
 *   url / serverUrl / httpUrl → remote (live only)     docker / podman run <image> → not statically assessable
 *
 * Config-level findings: plaintext secrets in env / headers / args / URLs (CWE-522, redacted), packages run
 * without a pinned version (CWE-1357).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Finding, Location } from '../model.js';
import { TOKEN_FORMATS, isCredentialName, looksLikeSecretValue, redactValue } from '../analysis/rules/secrets.js';
import { parseNpmSpec, isExactVersion } from '../acquire/npm.js';
import { lineOf, makeFinding, type EcoRule } from './finding.js';
import { JsoncError, parseJsonc } from './jsonc.js';
import type { ConfigFileResult, ConfigLocation, ConfigScope, HostId, ResolvedTarget, ServerEntry } from './types.js';

export const HOST_NAMES: Record<HostId, string> = {
  'claude-desktop': 'Claude Desktop',
  'claude-code': 'Claude Code',
  cursor: 'Cursor',
  vscode: 'VS Code',
  windsurf: 'Windsurf',
  cline: 'Cline',
  'gemini-cli': 'Gemini CLI',
  unknown: 'MCP host',
};

// ------------------------------------------------------------------ where the configs are

export interface HostEnvironment {
  platform: NodeJS.Platform;
  home: string;
  /** Project folder (project-scoped configs: .mcp.json, .cursor/mcp.json, .vscode/mcp.json, .gemini/settings.json). */
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/** Every config location of every host for one platform (pure: nothing is read). */
export function configLocations(h: HostEnvironment): ConfigLocation[] {
  const win = h.platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const env = h.env ?? {};
  const home = h.home;
  const appData = env.APPDATA || p.join(home, 'AppData', 'Roaming');
  const programData = env.PROGRAMDATA || env.ProgramData || 'C:\\ProgramData';
  const xdg = env.XDG_CONFIG_HOME || p.join(home, '.config');
  const out: ConfigLocation[] = [];
  const add = (host: HostId, scope: ConfigScope, file: string, format: ConfigLocation['format']) => out.push({ host, scope, path: file, format });

  // Claude Desktop
  if (h.platform === 'darwin') add('claude-desktop', 'user', p.join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'), 'mcpServers');
  else if (win) add('claude-desktop', 'user', p.join(appData, 'Claude', 'claude_desktop_config.json'), 'mcpServers');
  else add('claude-desktop', 'user', p.join(xdg, 'Claude', 'claude_desktop_config.json'), 'mcpServers');

  // Claude Code: ~/.claude.json (user and per-project entries), .mcp.json (project), managed-mcp.json (system)
  add('claude-code', 'user', p.join(env.CLAUDE_CONFIG_DIR || home, '.claude.json'), 'claude-json');
  if (h.platform === 'darwin') add('claude-code', 'system', '/Library/Application Support/ClaudeCode/managed-mcp.json', 'mcpServers');
  else if (win) add('claude-code', 'system', p.join(programData, 'ClaudeCode', 'managed-mcp.json'), 'mcpServers');
  else add('claude-code', 'system', '/etc/claude-code/managed-mcp.json', 'mcpServers');

  // Cursor
  add('cursor', 'user', p.join(home, '.cursor', 'mcp.json'), 'mcpServers');

  // VS Code (stable and Insiders): user mcp.json and settings.json; Cline lives in VS Code's global storage
  const codeUser = (product: string) => (h.platform === 'darwin' ? p.join(home, 'Library', 'Application Support', product, 'User') : win ? p.join(appData, product, 'User') : p.join(xdg, product, 'User'));
  for (const product of ['Code', 'Code - Insiders']) {
    const dir = codeUser(product);
    add('vscode', 'user', p.join(dir, 'mcp.json'), 'vscode-mcp');
    add('vscode', 'user', p.join(dir, 'settings.json'), 'vscode-settings');
    add('cline', 'user', p.join(dir, 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'), 'mcpServers');
  }

  // Windsurf
  add('windsurf', 'user', p.join(home, '.codeium', 'windsurf', 'mcp_config.json'), 'mcpServers');

  // Gemini CLI
  add('gemini-cli', 'user', p.join(home, '.gemini', 'settings.json'), 'mcpServers');
  if (h.platform === 'darwin') add('gemini-cli', 'system', '/Library/Application Support/GeminiCli/settings.json', 'mcpServers');
  else if (win) add('gemini-cli', 'system', p.join(programData, 'gemini-cli', 'settings.json'), 'mcpServers');
  else add('gemini-cli', 'system', '/etc/gemini-cli/settings.json', 'mcpServers');

  // project-scoped
  if (h.cwd) {
    add('claude-code', 'project', p.join(h.cwd, '.mcp.json'), 'mcpServers');
    add('cursor', 'project', p.join(h.cwd, '.cursor', 'mcp.json'), 'mcpServers');
    add('vscode', 'project', p.join(h.cwd, '.vscode', 'mcp.json'), 'vscode-mcp');
    add('vscode', 'project', p.join(h.cwd, '.vscode', 'settings.json'), 'vscode-settings');
    add('gemini-cli', 'project', p.join(h.cwd, '.gemini', 'settings.json'), 'mcpServers');
  }
  return out;
}

/** Host and format of a file given with --config (by its name and place, then by its content). */
export function locationForFile(file: string, parsed?: unknown): ConfigLocation {
  const norm = file.replace(/\\/g, '/');
  const base = norm.split('/').pop() ?? norm;
  const parent = norm.split('/').slice(-2, -1)[0] ?? '';
  const at = (host: HostId, format: ConfigLocation['format']): ConfigLocation => ({ host, scope: 'explicit', path: file, format });
  if (base === 'claude_desktop_config.json') return at('claude-desktop', 'mcpServers');
  if (base === '.claude.json') return at('claude-code', 'claude-json');
  if (base === '.mcp.json' || base === 'managed-mcp.json') return at('claude-code', 'mcpServers');
  if (base === 'mcp_config.json') return at('windsurf', 'mcpServers');
  if (base === 'cline_mcp_settings.json') return at('cline', 'mcpServers');
  if (base === 'mcp.json' && parent === '.cursor') return at('cursor', 'mcpServers');
  if (base === 'mcp.json' && parent === '.vscode') return at('vscode', 'vscode-mcp');
  if (base === 'settings.json' && parent === '.gemini') return at('gemini-cli', 'mcpServers');
  if (base === 'settings.json' && (parent === '.vscode' || parent === 'User')) return at('vscode', 'vscode-settings');
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if ('projects' in o && ('mcpServers' in o || 'numStartups' in o)) return at('claude-code', 'claude-json');
  if ('mcpServers' in o) return at('unknown', 'mcpServers');
  if ('servers' in o) return at('vscode', 'vscode-mcp');
  if ('mcp' in o || 'mcp.servers' in o) return at('vscode', 'vscode-settings');
  return at('unknown', 'mcpServers');
}

// ------------------------------------------------------------------ parsing

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function strMap(x: unknown, what: string): Record<string, string> | string | undefined {
  if (x === undefined || x === null) return undefined;
  if (!isObj(x)) return `\`${what}\` must be an object of strings`;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else return `\`${what}.${k}\` must be a string`;
  }
  return out;
}

/** One entry object → ServerEntry, or an error message. */
export function normalizeEntry(name: string, raw: unknown, loc: ConfigLocation, text: string, project?: string): ServerEntry | string {
  if (!isObj(raw)) return 'the entry is not an object';
  const e: ServerEntry = { name, host: loc.host, scope: project ? 'project' : loc.scope, configPath: loc.path, transport: 'stdio' };
  const line = lineOf(text, new RegExp(`"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`));
  if (line > 0) e.line = line;
  if (project) e.project = project;
  const type = typeof raw.type === 'string' ? raw.type.toLowerCase() : typeof raw.transport === 'string' ? raw.transport.toLowerCase() : undefined;
  const url = [raw.url, raw.serverUrl, raw.httpUrl].find((u): u is string => typeof u === 'string' && u.trim() !== '');
  if (typeof raw.command === 'string' && raw.command.trim()) {
    e.command = raw.command.trim();
    if (raw.args !== undefined) {
      if (!Array.isArray(raw.args)) return '`args` must be an array of strings';
      if (!raw.args.every((a) => typeof a === 'string' || typeof a === 'number')) return '`args` must be an array of strings';
      e.args = raw.args.map(String);
    }
  } else if (url) {
    e.url = url.trim();
    const sse = type === 'sse' || (typeof raw.httpUrl !== 'string' && (/\/sse\/?(?:[?#].*)?$/.test(e.url) || (loc.host === 'gemini-cli' && typeof raw.url === 'string') || (loc.host === 'cline' && type !== 'streamablehttp' && type !== 'http')));
    e.transport = sse ? 'sse' : 'http';
  } else if (raw.command !== undefined && typeof raw.command !== 'string') {
    return '`command` must be a string';
  } else {
    return 'the entry has neither `command` nor `url`';
  }
  if (type && !['stdio', 'sse', 'http', 'streamable-http', 'streamablehttp', 'streamable_http'].includes(type)) return `unknown \`type\`: ${type}`;
  const env = strMap(raw.env, 'env');
  if (typeof env === 'string') return env;
  if (env) e.env = env;
  const headers = strMap(raw.headers, 'headers');
  if (typeof headers === 'string') return headers;
  if (headers) e.headers = headers;
  if (typeof raw.cwd === 'string') e.cwd = raw.cwd;
  if (raw.disabled === true || raw.enabled === false) e.disabled = true;
  const approve = raw.autoApprove ?? raw.alwaysAllow;
  if (Array.isArray(approve) && approve.length) e.autoApprove = approve.map(String);
  if (raw.trust === true) e.autoApprove = 'all';
  return e;
}

/** Parse one config file's text (never throws: errors are in the result). */
export function parseConfigText(text: string, loc: ConfigLocation): ConfigFileResult {
  const res: ConfigFileResult = { location: loc, found: true, servers: [], entryErrors: [] };
  let doc: unknown;
  try {
    doc = parseJsonc(text);
  } catch (e) {
    res.error = e instanceof JsoncError ? e.message : `cannot parse: ${(e as Error).message}`;
    return res;
  }
  if (!isObj(doc)) {
    res.error = 'the file is not a JSON object';
    return res;
  }
  const groups: { servers: unknown; key: string; project?: string }[] = [];
  switch (loc.format) {
    case 'vscode-mcp':
      groups.push({ servers: doc.servers, key: 'servers' });
      break;
    case 'vscode-settings': {
      const mcp = doc.mcp;
      if (isObj(mcp)) groups.push({ servers: mcp.servers, key: 'mcp.servers' });
      if (doc['mcp.servers'] !== undefined) groups.push({ servers: doc['mcp.servers'], key: 'mcp.servers' });
      break;
    }
    case 'claude-json':
      groups.push({ servers: doc.mcpServers, key: 'mcpServers' });
      if (isObj(doc.projects)) for (const [dir, pr] of Object.entries(doc.projects)) if (isObj(pr) && pr.mcpServers !== undefined) groups.push({ servers: pr.mcpServers, key: `projects["${dir}"].mcpServers`, project: dir });
      break;
    default:
      groups.push({ servers: doc.mcpServers, key: 'mcpServers' });
  }
  for (const g of groups) {
    if (g.servers === undefined || g.servers === null) continue;
    if (!isObj(g.servers)) {
      res.error = `\`${g.key}\` must be an object (server name → entry)`;
      continue;
    }
    for (const [name, raw] of Object.entries(g.servers)) {
      const e = normalizeEntry(name, raw, loc, text, g.project);
      if (typeof e === 'string') res.entryErrors.push({ name, message: e });
      else res.servers.push(e);
    }
  }
  return res;
}

/** Read and parse config files; a missing file is `found: false`, an unreadable one has an `error`. */
export async function readConfigs(locations: readonly ConfigLocation[], read: (p: string) => Promise<string> = (p) => fs.readFile(p, 'utf8')): Promise<ConfigFileResult[]> {
  const out: ConfigFileResult[] = [];
  for (const loc of locations) {
    let text: string;
    try {
      text = await read(loc.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') out.push({ location: loc, found: false, servers: [], entryErrors: [] });
      else out.push({ location: loc, found: true, error: code === 'EISDIR' ? 'is a directory, not a file' : `cannot read: ${(e as Error).message}`, servers: [], entryErrors: [] });
      continue;
    }
    if (text.length > 10_000_000) {
      out.push({ location: loc, found: true, error: 'the file is larger than 10 MB', servers: [], entryErrors: [] });
      continue;
    }
    out.push(parseConfigText(text, loc));
  }
  return out;
}

/** Read one file given with --config (host guessed from its name and content). */
export async function readExplicitConfig(file: string, read: (p: string) => Promise<string> = (p) => fs.readFile(p, 'utf8')): Promise<ConfigFileResult> {
  let text: string;
  const guess = locationForFile(file);
  try {
    text = await read(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { location: guess, found: code !== 'ENOENT', error: code === 'ENOENT' ? 'file not found' : `cannot read: ${(e as Error).message}`, servers: [], entryErrors: [] };
  }
  let parsed: unknown;
  try {
    parsed = parseJsonc(text);
  } catch {
    // the parse error is reported by parseConfigText
  }
  return parseConfigText(text, locationForFile(file, parsed));
}

// ------------------------------------------------------------------ entry → target

const NPX_FLAGS_WITH_VALUE = new Set(['-p', '--package', '--registry', '--cache', '--userconfig', '-c', '--call', '--node-options', '--prefix', '-w', '--workspace']);
const UVX_FLAGS_WITH_VALUE = new Set(['--from', '--with', '--with-editable', '--with-requirements', '--python', '-p', '--index-url', '-i', '--extra-index-url', '--index', '--default-index', '--find-links', '-f', '--directory', '--project', '--constraint', '-c', '--override', '--cache-dir', '--config-file', '--env-file', '--python-preference', '--resolution', '--prerelease', '--exclude-newer']);
const DOCKER_FLAGS_WITH_VALUE = new Set(['-e', '--env', '-v', '--volume', '--name', '-p', '--publish', '--network', '--net', '--env-file', '-w', '--workdir', '--entrypoint', '-u', '--user', '--mount', '--add-host', '--label', '-l', '--platform', '--pull', '--cpus', '-m', '--memory', '--hostname', '-h', '--cap-add', '--cap-drop', '--device', '--security-opt', '--ulimit', '--restart', '--log-driver', '--runtime', '--gpus', '--ipc', '--pid', '--shm-size', '--tmpfs', '--dns', '--expose', '--group-add', '--init-path', '--isolation', '--cidfile']);

function commandName(cmd: string): string {
  return cmd.replace(/\\/g, '/').split('/').pop()!.toLowerCase().replace(/\.(?:cmd|exe|bat|ps1)$/, '');
}

/** First positional argument, skipping flags (and the values of flags that take one). */
function positional(args: string[], withValue: Set<string>): { index: number; flags: Map<string, string[]> } {
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return { index: i + 1 < args.length ? i + 1 : -1, flags };
    if (a.startsWith('-')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(0, eq), [...(flags.get(a.slice(0, eq)) ?? []), a.slice(eq + 1)]);
      else if (withValue.has(a)) {
        flags.set(a, [...(flags.get(a) ?? []), args[i + 1] ?? '']);
        i++;
      } else flags.set(a, [...(flags.get(a) ?? []), '']);
      continue;
    }
    return { index: i, flags };
  }
  return { index: -1, flags };
}

const SCRIPT = /\.(?:[cm]?[jt]sx?|py)$/i;

function isPathLike(s: string): boolean {
  return /^(?:\.{1,2}[/\\]|[/\\]|~[/\\]|[A-Za-z]:[/\\])/.test(s) || (s.includes('/') && !s.startsWith('@') && !/^[\w.-]+:/.test(s));
}

function resolvePath(p: string, base: string | undefined, home?: string): string {
  const expanded = home && (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) ? path.join(home, p.slice(2)) : p;
  return path.resolve(base ?? process.cwd(), expanded);
}

function npmTarget(spec: string, via: string, base: string | undefined, home?: string): ResolvedTarget {
  if (/^(?:github|gitlab|bitbucket):|^git\+|^git:\/\/|\.git(?:#.*)?$/.test(spec)) {
    const url = spec.replace(/^github:([\w.-]+\/[\w.-]+)(#.*)?$/, 'https://github.com/$1.git$2').replace(/^gitlab:([\w.-]+\/[\w.-]+)(#.*)?$/, 'https://gitlab.com/$1.git$2').replace(/^git\+/, '');
    return { kind: 'git', url, via };
  }
  if (isPathLike(spec) || /\.tgz$/.test(spec)) return { kind: 'folder', path: resolvePath(spec, base, home), via };
  const parsed = parseNpmSpec(spec);
  if (!parsed) return { kind: 'unknown', reason: `\`${spec}\` is not an npm package spec mcp-risk can fetch` };
  return { kind: 'npm', spec, name: parsed.name, version: parsed.version, via };
}

function pypiTarget(spec: string, via: string, base: string | undefined, home?: string): ResolvedTarget {
  if (/^git\+|\.git(?:[@#].*)?$/.test(spec)) return { kind: 'git', url: spec.replace(/^git\+/, '').replace(/@([\w.-]+)$/, '#$1'), via };
  if (isPathLike(spec)) return { kind: 'folder', path: resolvePath(spec, base, home), via };
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:(==|@|>=|~=|<=|>|<|!=)\s*([\w.*+!-]+))?$/.exec(spec);
  if (!m) return { kind: 'unknown', reason: `\`${spec}\` is not a PyPI requirement mcp-risk can fetch` };
  const exact = m[2] === '==' || m[2] === '@';
  return { kind: 'pypi', spec: exact ? `${m[1]}==${m[3]}` : m[1]!, name: m[1]!, version: exact ? m[3] : undefined, via };
}

/** What an entry runs, as an assessable target. `home` expands `~` in paths. */
export function resolveEntry(e: ServerEntry, home?: string): ResolvedTarget {
  if (e.transport !== 'stdio' || !e.command) return { kind: 'remote', url: e.url ?? '', transport: e.transport === 'sse' ? 'sse' : 'http' };
  const base = e.cwd ? resolvePath(e.cwd, path.dirname(e.configPath), home) : e.project ?? path.dirname(e.configPath);
  const t = resolveCommand(e.command, e.args ?? [], base, home, 0);
  const broad = t.kind === 'folder' ? tooBroad(t.path, home) : undefined;
  return broad ? { kind: 'unknown', reason: `the server's folder would be ${broad}: too broad to scan (give the server its own folder, or scan it by name)` } : t;
}

/** A folder too broad to walk as one server's code: the filesystem root, or the home folder or above it. */
function tooBroad(p: string, home: string | undefined): string | undefined {
  const abs = path.resolve(p);
  if (path.parse(abs).root === abs) return `${abs}, the filesystem root`;
  if (home) {
    const rel = path.relative(abs, path.resolve(home));
    if (rel === '') return `${abs}, the home folder`;
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return `${abs}, which holds the home folder`;
  }
  return undefined;
}

function resolveCommand(command: string, args: string[], base: string | undefined, home: string | undefined, depth: number): ResolvedTarget {
  if (depth > 3) return { kind: 'unknown', reason: 'the command wraps other commands too deeply' };
  const name = commandName(command);
  const rest = (i: number) => args.slice(i);
  const via = [command, ...args].join(' ').slice(0, 200);
  // wrappers: cmd /c …, sh -c "…", env A=1 …
  if (name === 'cmd' && args[0] && /^\/[cCkK]$/.test(args[0])) return args[1] ? resolveCommand(args[1], args.slice(2), base, home, depth + 1) : { kind: 'unknown', reason: '`cmd /c` without a command' };
  if ((name === 'sh' || name === 'bash' || name === 'zsh') && args[0] === '-c' && args[1]) {
    const words = args[1].trim().split(/\s+/).map((w) => w.replace(/^["']|["']$/g, ''));
    return resolveCommand(words[0]!, words.slice(1), base, home, depth + 1);
  }
  if (name === 'env') {
    const i = args.findIndex((a) => !/^[A-Za-z_]\w*=/.test(a) && !a.startsWith('-'));
    return i >= 0 ? resolveCommand(args[i]!, args.slice(i + 1), base, home, depth + 1) : { kind: 'unknown', reason: '`env` without a command' };
  }
  // npm package runners
  let npmArgs: string[] | undefined;
  if (name === 'npx' || name === 'pnpx' || name === 'bunx') npmArgs = args;
  else if ((name === 'npm' && (args[0] === 'exec' || args[0] === 'x')) || ((name === 'pnpm' || name === 'yarn') && args[0] === 'dlx') || (name === 'bun' && args[0] === 'x')) npmArgs = rest(1);
  if (npmArgs) {
    const pos = positional(npmArgs, NPX_FLAGS_WITH_VALUE);
    const pkg = pos.flags.get('-p')?.[0] ?? pos.flags.get('--package')?.[0] ?? (pos.index >= 0 ? npmArgs[pos.index] : undefined);
    if (!pkg) return { kind: 'unknown', reason: `\`${name}\` without a package` };
    return npmTarget(pkg, via, base, home);
  }
  // Python package runners
  let pyArgs: string[] | undefined;
  if (name === 'uvx') pyArgs = args;
  else if (name === 'uv' && args[0] === 'tool' && args[1] === 'run') pyArgs = rest(2);
  else if (name === 'pipx' && args[0] === 'run') pyArgs = rest(1);
  if (pyArgs) {
    const pos = positional(pyArgs, new Set([...UVX_FLAGS_WITH_VALUE, '--spec']));
    const from = pos.flags.get('--from')?.[0] ?? pos.flags.get('--spec')?.[0];
    const pkg = from ?? (pos.index >= 0 ? pyArgs[pos.index] : undefined);
    if (!pkg) return { kind: 'unknown', reason: `\`${name}\` without a package` };
    return pypiTarget(pkg, via, base, home);
  }
  // uv run / uv --directory DIR run …: a local project
  if (name === 'uv') {
    const pos = positional(args, UVX_FLAGS_WITH_VALUE);
    const dir = pos.flags.get('--directory')?.[0] ?? pos.flags.get('--project')?.[0];
    const words = args.filter((a) => !a.startsWith('-'));
    const script = words.find((w) => SCRIPT.test(w));
    if (dir) return { kind: 'folder', path: resolvePath(dir, base, home), ...(script ? { script } : {}), via };
    if (script) return { kind: 'folder', path: path.dirname(resolvePath(script, base, home)), script, via };
    if (base) return { kind: 'folder', path: base, via };
    return { kind: 'unknown', reason: '`uv` without a project folder or script' };
  }
  // interpreters: node / python / deno / bun / tsx / ts-node <script>
  if (/^(?:node|nodejs|deno|bun|tsx|ts-node|python[\d.]*|py|pythonw)$/.test(name)) {
    const a = name === 'deno' || name === 'bun' ? args.filter((x) => x !== 'run') : args;
    const mIdx = a.indexOf('-m');
    if (/^py/.test(name) && mIdx >= 0) {
      const mod = a[mIdx + 1] ?? '';
      return base ? { kind: 'folder', path: base, script: `-m ${mod}`, via } : { kind: 'unknown', reason: `\`python -m ${mod}\` runs a module from the Python environment; give a cwd to assess its folder` };
    }
    const script = a.find((x) => !x.startsWith('-'));
    if (!script) return { kind: 'unknown', reason: `\`${name}\` without a script` };
    const abs = resolvePath(script, base, home);
    return { kind: 'folder', path: path.dirname(abs), script: path.basename(abs), via };
  }
  // containers
  if ((name === 'docker' || name === 'podman') && args[0] === 'run') {
    const pos = positional(rest(1), DOCKER_FLAGS_WITH_VALUE);
    const image = pos.index >= 0 ? rest(1)[pos.index] : undefined;
    return { kind: 'docker', ...(image ? { image } : {}), via };
  }
  if (name === 'docker' || name === 'podman') return { kind: 'docker', via };
  // a script or binary given by path
  if (isPathLike(command)) {
    const abs = resolvePath(command, base, home);
    if (SCRIPT.test(command)) return { kind: 'folder', path: path.dirname(abs), script: path.basename(abs), via };
    return { kind: 'unknown', reason: `\`${command}\` is a program given by path; mcp-risk cannot tell which source it was built from` };
  }
  return { kind: 'unknown', reason: `\`${command}\` is an installed command; mcp-risk cannot tell which package provides it (configure it with npx/uvx, or scan the package by name)` };
}

/** A short text for a target. */
export function targetText(t: ResolvedTarget): string {
  switch (t.kind) {
    case 'npm':
      return `npm ${t.spec}`;
    case 'pypi':
      return `PyPI ${t.spec}`;
    case 'git':
      return `git ${t.url}`;
    case 'folder':
      return `folder ${t.path}${t.script ? ` (${t.script})` : ''}`;
    case 'remote':
      return `remote ${t.transport === 'sse' ? 'SSE' : 'Streamable HTTP'} ${t.url}`;
    case 'docker':
      return `docker ${t.image ?? '(image unknown)'}`;
    case 'unknown':
      return 'unknown';
  }
}

// ------------------------------------------------------------------ config-level findings

export const plaintextSecretRule: EcoRule = {
  id: 'mcp-risk/host-config-plaintext-secret',
  cwe: 522,
  title: 'Plaintext credential in an MCP host configuration',
  severity: 'high',
  description:
    'A server entry carries a credential in clear text (in `env`, `headers`, `args` or the URL). Host configuration files are plain JSON in the home or project folder: other programs, backups, dotfile repositories and project commits read them.',
  fix: 'Keep the secret in the OS keychain or an environment variable the host expands (VS Code `${input:…}` / `${env:…}`, an env file outside the repository); rotate the exposed one.',
};

export const unpinnedRule: EcoRule = {
  id: 'mcp-risk/host-config-unpinned-package',
  cwe: 1357,
  title: 'Server package run without a pinned version',
  severity: 'low',
  description: 'The host runs the latest release of a package at every start (`npx -y pkg`, `uvx pkg`): a compromised or sold package reaches the user with the next release, without review.',
  fix: 'Pin an exact version (`pkg@1.2.3`, `pkg==1.2.3`) and update deliberately.',
};

export const HOST_RULES: readonly EcoRule[] = [plaintextSecretRule, unpinnedRule];

const PLACEHOLDER_VALUE = /^\s*(?:\$\{[^}]*\}|\$[A-Z_][A-Z0-9_]*|%[A-Z_][A-Z0-9_]*%|<[^>]*>|\{\{[^}]*\}\}|\[[^\]]*\])\s*$/i;

function secretIn(value: string, key?: string): { kind: string; shown: string } | undefined {
  if (!value || PLACEHOLDER_VALUE.test(value) || /\$\{(?:input|env):/.test(value)) return undefined;
  for (const f of TOKEN_FORMATS) {
    f.re.lastIndex = 0;
    const m = f.re.exec(value);
    if (m) return { kind: f.name, shown: f.name === 'private key' ? 'PEM block' : redactValue(m[0]) };
  }
  const bare = value.replace(/^(?:Bearer|Basic|token|Token)\s+/, '');
  if (key && (isCredentialName(key) || /^(?:authorization|x-api-key|api-key|cookie)$/i.test(key)) && looksLikeSecretValue(bare)) return { kind: 'credential', shown: redactValue(bare) };
  if (/^(?:Bearer|Basic)\s+/.test(value) && looksLikeSecretValue(bare)) return { kind: 'bearer token', shown: redactValue(bare) };
  return undefined;
}

function urlSecret(u: string): { kind: string; shown: string } | undefined {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return undefined;
  }
  const pw = decodeURIComponent(url.password);
  if (pw && pw.length >= 4 && !PLACEHOLDER_VALUE.test(pw) && !/^(?:password|passwd|pass|pwd|secret|changeme|example|xxx+|\*+|your[\w-]*)$/i.test(pw)) return { kind: 'password in the URL', shown: redactValue(pw) };
  for (const [k, v] of url.searchParams) {
    const s = secretIn(v, k);
    if (s) return { kind: `${s.kind} in the URL query (\`${k}\`)`, shown: s.shown };
  }
  return undefined;
}

function redactUrl(u: string): string {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    return u;
  }
  let changed = false;
  if (urlSecret(`${url.protocol}//x:${url.password}@h`) && url.password) {
    url.password = 'REDACTED';
    changed = true;
  }
  for (const [k, v] of [...url.searchParams]) {
    if (secretIn(v, k) || isCredentialName(k)) {
      url.searchParams.set(k, redactValue(v));
      changed = true;
    }
  }
  return changed ? url.toString() : u;
}

/** The entry as it may be written in a report: credential values redacted (env, headers, args, URL). */
export function redactEntry(e: ServerEntry): ServerEntry {
  const out: ServerEntry = { ...e };
  const red = (o: Record<string, string> | undefined) => (o ? Object.fromEntries(Object.entries(o).map(([k, v]) => [k, secretIn(v, k) || (isCredentialName(k) && !PLACEHOLDER_VALUE.test(v) && !/\$\{/.test(v) && v.length >= 8) ? redactValue(v) : v])) : undefined);
  if (e.env) out.env = red(e.env);
  if (e.headers) out.headers = red(e.headers);
  if (e.args)
    out.args = e.args.map((a, i) => {
      const prev = e.args![i - 1] ?? '';
      const kv = /^(--?[\w-]+=)(.+)$/.exec(a);
      if (kv) return secretIn(kv[2]!, kv[1]!.replace(/^-+|=$/g, '')) ? `${kv[1]}${redactValue(kv[2]!)}` : a;
      if (/^[a-z][\w+.-]*:\/\//i.test(a)) return redactUrl(a);
      return secretIn(a, /^--?[\w-]+$/.test(prev) ? prev.replace(/^-+/, '') : undefined) ? redactValue(a) : a;
    });
  if (e.url) out.url = redactUrl(e.url);
  return out;
}

/** A target as it may be written in a report (secrets in URLs and specs redacted). */
export function redactTarget(t: ResolvedTarget): ResolvedTarget {
  if (t.kind === 'remote') return { ...t, url: redactUrl(t.url) };
  if ('via' in t && t.via) return { ...t, via: t.via.split(' ').map((w) => (/^[a-z][\w+.-]*:\/\//i.test(w) ? redactUrl(w) : secretIn(w) ? redactValue(w) : w)).join(' ') } as ResolvedTarget;
  return t;
}

/** Findings about one entry itself: plaintext secrets, unpinned packages. */
export function entryFindings(e: ServerEntry, t: ResolvedTarget): Finding[] {
  const out: Finding[] = [];
  const loc: Location = { file: e.configPath, line: e.line ?? 1, column: 1 };
  const tags = ['host-config', e.host];
  const where = `server \`${e.name}\` (${HOST_NAMES[e.host]})`;
  for (const [k, v] of Object.entries(e.env ?? {})) {
    const s = secretIn(v, k);
    if (s) out.push(makeFinding(plaintextSecretRule, loc, `${where} sets \`${k}\` in \`env\` to a plaintext ${s.kind} (${s.shown}).`, { tags: [...tags, 'secret'], snippet: `"${k}": "${s.shown}"`, key: `env:${k}`, confidence: s.kind === 'credential' ? 'medium' : 'high' }));
  }
  for (const [k, v] of Object.entries(e.headers ?? {})) {
    const s = secretIn(v, k);
    if (s) out.push(makeFinding(plaintextSecretRule, loc, `${where} sends a plaintext ${s.kind} in the \`${k}\` header (${s.shown}).`, { tags: [...tags, 'secret'], snippet: `"${k}": "${s.shown}"`, key: `header:${k}`, confidence: s.kind === 'credential' ? 'medium' : 'high' }));
  }
  (e.args ?? []).forEach((a, i) => {
    const prev = e.args![i - 1] ?? '';
    const kv = /^--?([\w-]+)=(.+)$/.exec(a);
    const s = kv ? secretIn(kv[2]!, kv[1]) : /^[a-z][\w+.-]*:\/\//i.test(a) ? urlSecret(a) : /^--?[\w-]+$/.test(prev) ? secretIn(a, prev.replace(/^-+/, '')) : secretIn(a);
    if (s) out.push(makeFinding(plaintextSecretRule, loc, `${where} passes a plaintext ${s.kind} on the command line (argument ${i + 1}: ${s.shown}); other local users can also read it from the process list.`, { tags: [...tags, 'secret'], key: `arg:${i}`, confidence: s.kind === 'credential' ? 'medium' : 'high' }));
  });
  if (e.url) {
    const s = urlSecret(e.url);
    if (s) out.push(makeFinding(plaintextSecretRule, loc, `${where} has a plaintext ${s.kind} (${s.shown}).`, { tags: [...tags, 'secret'], key: 'url' }));
  }
  if ((t.kind === 'npm' && !isExactVersion(t.version)) || (t.kind === 'pypi' && !t.version)) {
    out.push(makeFinding(unpinnedRule, loc, `${where} runs ${t.kind === 'npm' ? 'npm' : 'PyPI'} package \`${t.name}\`${t.kind === 'npm' && t.version ? ` at \`${t.version}\`` : ''} without an exact version: every start may run a new release.`, { tags, key: `unpinned:${t.name}` }));
  }
  return out;
}
