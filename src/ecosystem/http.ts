/**
 * The one HTTP client of the ecosystem checks (GitHub API, npm registry, PyPI JSON API): `fetch` with a
 * timeout, a user agent, no automatic redirects (a 301 is itself a finding: a renamed repository), base
 * URLs that tests point at a local server, an in-memory cache per client, and an `offline` mode in which
 * every look-up is refused before any network access.
 *
 * Base URLs: options first, then MCP_RISK_GITHUB_API, MCP_RISK_NPM_REGISTRY (or npm's own npm_config_registry),
 * MCP_RISK_PYPI_URL, then the public services. A GitHub token is sent only when MCP_RISK_GITHUB_TOKEN is set (raises the rate limit).
 */
import { VERSION } from '../version.js';

export type Service = 'github' | 'npm' | 'pypi';

export interface HttpOptions {
  /** Refuse every request (no network). */
  offline?: boolean;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
  userAgent?: string;
  baseUrls?: Partial<Record<Service, string>>;
  /** Replaceable transport (tests). */
  fetch?: typeof fetch;
  env?: NodeJS.ProcessEnv;
}

export interface HttpResponse {
  status: number;
  url: string;
  /** `Location` of a redirect. */
  location?: string;
  /** Parsed body when it is JSON. */
  json?: unknown;
}

export class OfflineError extends Error {
  constructor(url: string) {
    super(`offline: not fetching ${url}`);
    this.name = 'OfflineError';
  }
}

export class NetworkError extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

const DEFAULT_BASE: Record<Service, string> = {
  github: 'https://api.github.com',
  npm: 'https://registry.npmjs.org',
  pypi: 'https://pypi.org',
};
const ENV_BASE: Record<Service, string> = { github: 'MCP_RISK_GITHUB_API', npm: 'MCP_RISK_NPM_REGISTRY', pypi: 'MCP_RISK_PYPI_URL' };

export class HttpClient {
  readonly offline: boolean;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly bases: Record<Service, string>;
  private readonly doFetch: typeof fetch;
  private readonly githubToken?: string;
  private readonly cache = new Map<string, Promise<HttpResponse>>();
  /** Number of requests actually sent (tests check that offline sends none). */
  requests = 0;

  constructor(opts: HttpOptions = {}) {
    const env = opts.env ?? process.env;
    this.offline = opts.offline === true;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.userAgent = opts.userAgent ?? `mcp-risk/${VERSION} (static risk assessment of MCP servers)`;
    const base = (s: Service) => (opts.baseUrls?.[s] ?? (env[ENV_BASE[s]] || (s === 'npm' ? env.npm_config_registry : undefined) || DEFAULT_BASE[s])).replace(/\/+$/, '');
    this.bases = { github: base('github'), npm: base('npm'), pypi: base('pypi') };
    this.doFetch = opts.fetch ?? fetch;
    this.githubToken = env.MCP_RISK_GITHUB_TOKEN || undefined;
  }

  baseUrl(service: Service): string {
    return this.bases[service];
  }

  /** GET `path` (starting with `/`) of a service. Throws OfflineError / NetworkError; HTTP errors are statuses. */
  get(service: Service, path: string): Promise<HttpResponse> {
    const url = `${this.bases[service]}${path}`;
    if (this.offline) return Promise.reject(new OfflineError(url));
    let p = this.cache.get(url);
    if (!p) {
      p = this.fetchOnce(service, url);
      this.cache.set(url, p);
    }
    return p;
  }

  private async fetchOnce(service: Service, url: string): Promise<HttpResponse> {
    this.requests++;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, accept: service === 'github' ? 'application/vnd.github+json' : 'application/json' };
    if (service === 'github' && this.githubToken) headers.authorization = `Bearer ${this.githubToken}`;
    let res: Response;
    try {
      res = await this.doFetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      const err = e as Error;
      const why = err.name === 'TimeoutError' || err.name === 'AbortError' ? `timed out after ${Math.round(this.timeoutMs / 1000)} s` : (err.cause as Error | undefined)?.message ?? err.message;
      throw new NetworkError(`cannot reach ${url}: ${why}`, url);
    }
    const out: HttpResponse = { status: res.status, url };
    const loc = res.headers.get('location');
    if (loc) out.location = loc;
    const type = res.headers.get('content-type') ?? '';
    if (/json/.test(type)) {
      try {
        const text = await res.text();
        if (text.length <= 20_000_000) out.json = JSON.parse(text);
      } catch {
        // not JSON after all: status is enough
      }
    } else {
      await res.body?.cancel().catch(() => undefined);
    }
    return out;
  }
}
