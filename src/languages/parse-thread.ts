/**
 * A parse thread: the native parser (native.ts) run on a worker thread, so that parsing — C code, no JIT —
 * overlaps the lowering and analysis on the main thread. `assessMany` (src/assess.ts) starts the parses of the
 * next target while it analyses the current one; on a two-core machine that takes most of the parsing off the
 * critical path.
 *
 * Only the record arrays cross threads (transferred, not copied); the trees are rebuilt on the main thread by
 * `treeFromRecords`. `ParseThread.start()` gives undefined when the native parser is not built: callers then
 * parse on the main thread as usual.
 */
import { Worker } from 'node:worker_threads';
import type { Language } from '../model.js';
import { nativeAddonPath, nativeParser } from './native.js';

/** What a parse gives: the records, null (no tree), or the parser's error. */
export type ParseResult = Int32Array | null | Error;

interface Pending {
  resolve: (results: ParseResult[]) => void;
  reject: (e: Error) => void;
}

/** The worker's code: load the addon, parse each batch, send the records back (transferred). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require(workerData.addon);
parentPort.on('message', (m) => {
  const out = [];
  const transfer = [];
  for (const f of m.files) {
    try {
      const data = addon.parse(f.grammar, f.text);
      out.push(data);
      if (data) transfer.push(data.buffer);
    } catch (e) {
      out.push({ error: String((e && e.message) || e) });
    }
  }
  parentPort.postMessage({ id: m.id, out }, transfer);
});
`;

export class ParseThread {
  private next = 0;
  private readonly pending = new Map<number, Pending>();
  private failed: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (m: { id: number; out: (Int32Array | null | { error: string })[] }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!this.pending.size) this.worker.unref();
      p.resolve(m.out.map((r) => (r === null || r instanceof Int32Array ? r : new Error(r.error))));
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
    const addon = nativeAddonPath();
    if (!addon) return undefined;
    return new ParseThread(new Worker(WORKER, { eval: true, workerData: { addon } }));
  }

  /** Whether this thread can parse a language (the native addon has its grammar). */
  handles(lang: Language): boolean {
    return !this.failed && nativeParser(lang) !== undefined;
  }

  /**
   * Parse a batch of files (one message each way): the records of each (see native/parser.c), null when
   * tree-sitter gives no tree, or the error. Languages without a native grammar get an error.
   */
  parseAll(files: { lang: Language; text: string }[]): Promise<ParseResult[]> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, files: files.map((f) => ({ grammar: nativeParser(f.lang)?.grammar ?? '', text: f.text })) });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
