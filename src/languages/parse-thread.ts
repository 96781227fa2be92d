/**
 * A parse thread: acquisition and the native parser (native.ts) run on a worker thread (parse-worker.ts), so that
 * walking folders, reading files and parsing — system calls and C code — overlap the lowering and analysis on the
 * main thread. `assessMany` (src/assess.ts) has the next targets acquired and parsed there while it analyses the
 * current one; on a two-core machine that takes them off the critical path.
 *
 * Only listings, texts and record arrays cross threads (the records transferred, not copied); the trees are
 * rebuilt on the main thread from the records. `ParseThread.start()` gives undefined when the native parser is not
 * built: callers then do everything on the main thread as usual.
 */
import { Worker } from 'node:worker_threads';
import { UserError, type AcquireOptions, type AcquiredTarget } from '../acquire/types.js';
import { nativeAddonPath } from './native.js';

/** What a parse gives: the records, null (no tree), or the parser's error. */
export type ParseResult = Int32Array | null | Error;

/** A target acquired, read and parsed on the parse thread. */
export interface PreparedRemote {
  acquired: AcquiredTarget;
  /** Per file of `acquired.files`: its text (or why it could not be read) and, when parsed there, the records. */
  sources: { bytes: number; text?: string; invalid?: boolean; error?: string; records?: ParseResult }[];
}

// ---------------------------------------------------------------------------------------------- wire format
/** @internal What the worker sends for one parse. */
export type WireParse = Int32Array | null | { error: string };
/** @internal One file of a prepared target. */
export interface WireSource {
  bytes: number;
  text?: string;
  invalid?: boolean;
  error?: string;
  records?: WireParse;
}
/** @internal One prepared target, or why it could not be acquired. */
export type WirePrepared = { acquired: AcquiredTarget; sources: WireSource[] } | { error: { message: string; user?: { code: string; exitCode: number } } };
/** @internal A request to the worker. */
export type WireRequest = { id: number; targets: string[]; options: AcquireOptions };

const fromWire = (r: WireParse): ParseResult => (r === null || r instanceof Int32Array ? r : new Error(r.error));

/** The options acquisition reads (the rest of a caller's options may not cross threads: hooks, functions). */
const ACQUIRE_KEYS = ['cacheDir', 'exclude', 'include', 'noDefaultExcludes', 'maxFileBytes', 'maxTotalBytes', 'maxArchiveBytes', 'maxFiles', 'pypiIndexUrl', 'pypiFindLinks', 'timeoutMs'] as const satisfies readonly (keyof AcquireOptions)[];

function acquireOptions(o: AcquireOptions): AcquireOptions {
  const out: Record<string, unknown> = {};
  for (const k of ACQUIRE_KEYS) if (o[k] !== undefined) out[k] = o[k];
  return out as AcquireOptions;
}

interface Pending {
  resolve: (out: unknown[]) => void;
  reject: (e: Error) => void;
}

export class ParseThread {
  private next = 0;
  private readonly pending = new Map<number, Pending>();
  private failed: Error | undefined;
  private closing = false;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: { id: number; out: unknown[] }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      // (while closing the thread stays referenced: the loop must live until it has exited)
      if (!this.pending.size && !this.closing) this.worker.unref();
      p.resolve(m.out);
    });
    const fail = (e: Error): void => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`parse thread exited (${code})`)));
  }

  /** A parse thread, or undefined when the native parser is not available. */
  static start(): ParseThread | undefined {
    if (!nativeAddonPath()) return undefined;
    return new ParseThread(new Worker(new URL('./parse-worker.js', import.meta.url)));
  }

  /** False once the thread has died (callers then do the work on the main thread). */
  get alive(): boolean {
    return !this.failed;
  }

  private request(make: (id: number) => WireRequest): Promise<unknown[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(make(id));
    });
  }

  /**
   * Acquire targets there, one after the other (one message each way), and read, decode and parse their files:
   * per target the listing, texts and records, or the error that stopped its acquisition (a UserError when it
   * was one there).
   */
  async prepareAll(targets: string[], options: AcquireOptions): Promise<(PreparedRemote | Error)[]> {
    const out = (await this.request((id) => ({ id, targets, options: acquireOptions(options) }))) as WirePrepared[];
    return out.map((r): PreparedRemote | Error => {
      if ('error' in r) return r.error.user ? new UserError(r.error.message, r.error.user.code, r.error.user.exitCode) : new Error(r.error.message);
      return { acquired: r.acquired, sources: r.sources.map((s) => ({ ...s, records: s.records === undefined ? undefined : fromWire(s.records) })) };
    });
  }

  /** Whether close() was called (what the thread still sends is of no use). */
  get closed(): boolean {
    return this.closing;
  }

  async close(): Promise<void> {
    this.closing = true;
    // replies already on their way are still delivered; the last would unref the worker, and the event loop could
    // then end before the thread's exit, leaving terminate() unsettled: keep it referenced until it has exited
    this.worker.ref();
    await this.worker.terminate();
  }
}
