/**
 * The parse thread's code (started by parse-thread.ts; not imported elsewhere). It answers one message,
 * `{ id, targets: string[], options }`: each target acquired (classified, fetched when it is a package or a
 * repository, walked), its files read, decoded and parsed — the listing, the texts and the records, or the error
 * that stopped the acquisition — so that the main thread only lowers and analyses. Record arrays are transferred, not copied. A file the native
 * parser has no grammar for comes back without records (the main thread parses it).
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { acquire } from '../acquire/index.js';
import { UserError, type AcquireOptions } from '../acquire/types.js';
import type { Language } from '../model.js';
import { decodeSource } from './decode.js';
import { nativeParser } from './native.js';
import type { WireParse, WirePrepared, WireRequest, WireSource } from './parse-thread.js';

/** The records of a file whose language the native addon has (the caller checks). */
function parse(lang: Language, text: string, transfer: ArrayBuffer[]): WireParse {
  try {
    const data = nativeParser(lang)!.records(text);
    if (data) transfer.push(data.buffer as ArrayBuffer);
    return data;
  } catch (e) {
    return { error: String((e as Error)?.message ?? e) };
  }
}

async function prepare(target: string, options: AcquireOptions, transfer: ArrayBuffer[]): Promise<WirePrepared> {
  try {
    const acquired = await acquire(target, options);
    const sources = acquired.files.map((file): WireSource => {
      let buf: Buffer;
      try {
        buf = Buffer.isBuffer(file.data) ? file.data : readFileSync(file.abs);
      } catch (e) {
        return { bytes: 0, error: (e as Error).message };
      }
      const { text, invalid } = decodeSource(buf);
      return { bytes: buf.length, text, invalid, ...(nativeParser(file.language) ? { records: parse(file.language, text, transfer) } : {}) };
    });
    // the listing goes without the kept bytes (not enumerable: structured clone leaves them out)
    return { acquired, sources };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { error: { message: err.message, ...(err instanceof UserError ? { user: { code: err.code, exitCode: err.exitCode } } : {}) } };
  }
}

// requests are done one after the other, in the order they came (the main thread needs the first one first)
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (m: WireRequest) => {
  queue = queue
    .then(async () => {
      const transfer: ArrayBuffer[] = [];
      const out: WirePrepared[] = [];
      for (const t of m.targets) out.push(await prepare(t, m.options, transfer));
      parentPort!.postMessage({ id: m.id, out }, transfer);
    })
    .catch((e: unknown) => {
      // (prepare() catches per target: this is the reply itself failing) each target gets the error, and the
      // queue goes on with the next request
      const message = `parse thread: ${String((e as Error)?.message ?? e)}`;
      parentPort!.postMessage({ id: m.id, out: m.targets.map((): WirePrepared => ({ error: { message } })) });
    });
});
