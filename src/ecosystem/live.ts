/**
 * Live introspection (opt-in, `--live`): connect to a server with the official MCP SDK client — over stdio
 * (this SPAWNS the configured command: a warning goes to stderr first), Streamable HTTP or SSE — and list
 * its tools, resources, resource templates and prompts, plus the `instructions` of initialize. Everything
 * runs under one timeout; the child process is closed (stdin end → SIGTERM → SIGKILL) in every case.
 * Nothing here runs unless the caller asked for it.
 */
import type { Client as ClientT } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { VERSION } from '../version.js';
import type { LiveListing, LivePrompt, LiveResource, LiveTool } from './types.js';

export type LiveTarget =
  | { transport: 'stdio'; command: string; args?: string[]; env?: Record<string, string>; cwd?: string; label?: string }
  | { transport: 'http' | 'sse'; url: string; headers?: Record<string, string>; label?: string };

export interface LiveOptions {
  /** Whole introspection (spawn/connect + all list calls), ms. Default 30 s. */
  timeoutMs?: number;
  /** Where the warning before spawning goes (default: stderr). */
  warn?: (message: string) => void;
  /** Most list pages followed per list (default 50). */
  maxPages?: number;
}

export class LiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LiveError';
  }
}

function describe(t: LiveTarget): string {
  return t.transport === 'stdio' ? [t.command, ...(t.args ?? [])].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ') : `${t.url} (${t.transport === 'sse' ? 'SSE' : 'Streamable HTTP'})`;
}

/** The warning printed before a server is started or contacted. */
export function liveWarning(t: LiveTarget, timeoutMs: number): string {
  return t.transport === 'stdio'
    ? `mcp-risk: --live: starting \`${describe(t)}\`${t.label ? ` (${t.label})` : ''} — this RUNS the server's code on this machine with your permissions (timeout ${Math.round(timeoutMs / 1000)} s)`
    : `mcp-risk: --live: connecting to ${describe(t)}${t.label ? ` (${t.label})` : ''} (timeout ${Math.round(timeoutMs / 1000)} s)`;
}

async function makeTransport(t: LiveTarget): Promise<{ transport: Transport; stderr: () => string }> {
  if (t.transport === 'stdio') {
    const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const transport = new StdioClientTransport({ command: t.command, args: t.args ?? [], env: { ...getDefaultEnvironment(), ...(t.env ?? {}) }, cwd: t.cwd, stderr: 'pipe' });
    let err = '';
    transport.stderr?.on('data', (b: Buffer) => {
      err = (err + b.toString('utf8')).slice(-4000);
    });
    return { transport, stderr: () => err };
  }
  const url = new URL(t.url);
  const requestInit = t.headers && Object.keys(t.headers).length ? { headers: t.headers } : undefined;
  if (t.transport === 'sse') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return { transport: new SSEClientTransport(url, requestInit ? { requestInit } : undefined), stderr: () => '' };
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return { transport: new StreamableHTTPClientTransport(url, requestInit ? { requestInit } : undefined), stderr: () => '' };
}

/**
 * Accept list results as the server sent them. The SDK's typed list calls reject a whole list when one
 * definition breaks the protocol schema (older servers omit `inputSchema.type`); a scanner must still see
 * every definition, so the raw result is taken (Client.request with a pass-through result schema) and only
 * the names are checked here.
 */
const RAW = { safeParse: (data: unknown) => ({ success: true as const, data }) };

/** Plain JSON copy (drops functions, undefined, prototypes) of what the SDK returned. */
function plain<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

async function allPages<T>(fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>, maxPages: number): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(cursor);
    out.push(...page.items);
    if (!page.nextCursor || page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

/**
 * Start or contact a server and list what it offers. Connection failures and timeouts throw LiveError
 * (with the server's stderr tail); a failing list call is recorded in `errors` and the others still run.
 */
export async function introspect(target: LiveTarget, opts: LiveOptions = {}): Promise<LiveListing> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxPages = opts.maxPages ?? 50;
  (opts.warn ?? ((m: string) => process.stderr.write(`${m}\n`)))(liveWarning(target, timeoutMs));
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { transport, stderr } = await makeTransport(target);
  const client: ClientT = new Client({ name: 'mcp-risk', version: VERSION }, { capabilities: {} });
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LiveError(`timed out after ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  const listing: LiveListing = { origin: 'live', server: target.label ?? describe(target), tools: [], resources: [], resourceTemplates: [], prompts: [], errors: [] };
  const work = (async () => {
    try {
      await client.connect(transport, { timeout: left() });
    } catch (e) {
      const tail = stderr().trim().split(/\r?\n/).slice(-5).join('\n');
      throw new LiveError(`cannot connect: ${(e as Error).message}${tail ? `\nserver stderr:\n${tail}` : ''}`);
    }
    const caps = client.getServerCapabilities() ?? {};
    const info = client.getServerVersion();
    if (info) listing.serverInfo = plain(info);
    const instructions = client.getInstructions();
    if (instructions) listing.instructions = instructions;
    const step = async (what: string, f: () => Promise<void>) => {
      try {
        await f();
      } catch (e) {
        listing.errors.push(`${what}: ${(e as Error).message}`);
      }
    };
    const list = async <T>(method: string, key: string): Promise<T[]> =>
      allPages<T>(async (cursor) => {
        const r = (await client.request({ method, params: cursor ? { cursor } : {} } as never, RAW as never, { timeout: left() })) as Record<string, unknown>;
        const items = r?.[key];
        if (!Array.isArray(items)) throw new Error(`the result has no \`${key}\` list`);
        const named = items.filter((x): x is T => typeof x === 'object' && x !== null && typeof (x as { name?: unknown }).name === 'string');
        if (named.length < items.length) listing.errors.push(`${method}: ${items.length - named.length} entr${items.length - named.length === 1 ? 'y' : 'ies'} without a name ignored`);
        return { items: named, nextCursor: typeof r.nextCursor === 'string' ? r.nextCursor : undefined };
      }, maxPages);
    if (caps.tools) await step('tools/list', async () => void (listing.tools = plain(await list<LiveTool>('tools/list', 'tools'))));
    if (caps.resources) {
      await step('resources/list', async () => void (listing.resources = plain(await list<LiveResource>('resources/list', 'resources'))));
      await step('resources/templates/list', async () => void (listing.resourceTemplates = plain(await list<LiveResource>('resources/templates/list', 'resourceTemplates'))));
    }
    if (caps.prompts) await step('prompts/list', async () => void (listing.prompts = plain(await list<LivePrompt>('prompts/list', 'prompts'))));
    return listing;
  })();
  try {
    return await Promise.race([work, timeout]);
  } catch (e) {
    if (e instanceof LiveError) throw e;
    throw new LiveError((e as Error).message);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
    await client.close().catch(() => undefined);
    await transport.close().catch(() => undefined);
  }
}
