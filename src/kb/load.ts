/**
 * Runtime access to the generated knowledge base. Reads data/kb/kb.json shipped with the package
 * (found relative to this module, so it works from src/kb/ and from build/src/kb/), caches it,
 * and never touches ../shared or the network.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedDataFile } from '../data-files.js';
import type { KbCapec, KbCwe, KnowledgeBase } from './types.js';

/** Absolute path of the packaged data/kb folder (walks up from this module to the package root). */
export function packagedKbDir(): string {
  const f = packagedDataFile('kb', 'kb.json') ?? packagedDataFile('kb', 'overlay.json');
  if (!f) throw new Error(`mcp-risk: cannot find data/kb/ above ${fileURLToPath(import.meta.url)}`);
  return path.dirname(f);
}

export function packagedKbPath(): string {
  return path.join(packagedKbDir(), 'kb.json');
}

const cache = new Map<string, KnowledgeBase>();

/** Load (and cache) a knowledge base; by default the packaged data/kb/kb.json. */
let defaultKb: KnowledgeBase | undefined;

export function loadKb(file?: string): KnowledgeBase {
  if (file === undefined && defaultKb) return defaultKb;
  const p = path.resolve(file ?? packagedKbPath());
  const hit = cache.get(p);
  if (hit) return hit;
  const kb = JSON.parse(readFileSync(p, 'utf8')) as KnowledgeBase;
  if (kb.format !== 'mcp-risk-kb/1') throw new Error(`${p}: not an mcp-risk knowledge base (format ${String(kb.format)})`);
  cache.set(p, kb);
  if (file === undefined) defaultKb = kb;
  return kb;
}

/** Forget cached knowledge bases (tests, or after `kb build`). */
export function clearKbCache(): void {
  cache.clear();
  defaultKb = undefined;
}

export function getCwe(id: number, kb: KnowledgeBase = loadKb()): KbCwe | undefined {
  return kb.cwe[String(id)];
}

export function getCapec(id: number, kb: KnowledgeBase = loadKb()): KbCapec | undefined {
  return kb.capec[String(id)];
}

/** Catalog versions a report must name, e.g. {cwe: '4.15', capec: '3.9'}. */
export function kbVersions(kb: KnowledgeBase = loadKb()): { cwe: string; capec: string } {
  return { cwe: kb.catalogs.cwe.version, capec: kb.catalogs.capec.version };
}

/** CWEs whose effective CAPEC links include this CAPEC (direct, inherited or overlay), sorted. */
export function cwesLinkingTo(capecId: number, kb: KnowledgeBase = loadKb()): { direct: number[]; inherited: number[]; overlay: number[] } {
  const out = { direct: [] as number[], inherited: [] as number[], overlay: [] as number[] };
  for (const c of Object.values(kb.cwe)) {
    if (!c.capec.ids.includes(capecId)) continue;
    if (c.capec.kind === 'direct') out.direct.push(c.id);
    else if (c.capec.kind === 'inherited') out.inherited.push(c.id);
    else if (c.capec.kind === 'overlay') out.overlay.push(c.id);
  }
  return out;
}
