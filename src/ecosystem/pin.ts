/**
 * Pins of live definitions (`mcp-risk.lock`): the sha256 of a canonical JSON of every tool, resource,
 * resource template and prompt a server listed, and of its instructions. Later runs compare with the pins
 * and report added, removed and changed definitions — a server that changes its tools after the user
 * approved them (a “rug pull”).
 *
 * Format (JSON, keys sorted, 2-space indentation, trailing newline):
 *   { "lockfileVersion": 1, "generatedBy": "mcp-risk",
 *     "servers": { "<host>:<server name>": { "definitions": { "tool:<name>": "sha256:<hex>", … } } } }
 * Trust on first use: a server seen for the first time is pinned; the pins of a known server change only
 * with `--update-pins`, so a change keeps being reported until someone accepts it.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile, rename } from 'node:fs/promises';
import type { Finding, Location } from '../model.js';
import { UserError } from '../acquire/types.js';
import { makeFinding, type EcoRule } from './finding.js';
import type { LiveListing, PinDiff } from './types.js';

export const PIN_FILE = 'mcp-risk.lock';

export interface PinFile {
  lockfileVersion: 1;
  generatedBy: 'mcp-risk';
  servers: Record<string, { definitions: Record<string, string> }>;
}

export const definitionChangedRule: EcoRule = {
  id: 'mcp-risk/live-definition-changed',
  cwe: 829,
  title: 'Server definitions changed since they were pinned (rug pull)',
  severity: 'high',
  description:
    'A tool, resource or prompt definition (name, description, schema) or the server instructions differ from the pinned ones: what the model now reads is not what was reviewed — the pattern of a “rug pull”, where a server turns malicious after approval.',
  fix: 'Review the new definitions (metadata findings on this server point at hostile text); accept them with --update-pins only when they are expected.',
};

export const definitionAddedRule: EcoRule = {
  id: 'mcp-risk/live-definition-added',
  cwe: 829,
  title: 'Server offers definitions that were not pinned',
  severity: 'medium',
  description: 'The server now lists a tool, resource or prompt that it did not list when it was pinned: new functionality reaches the model without review.',
  fix: 'Review the new definitions; accept them with --update-pins when they are expected.',
};

export const PIN_RULES: readonly EcoRule[] = [definitionChangedRule, definitionAddedRule];

/** JSON with object keys sorted at every level and no whitespace; `undefined` members are dropped. */
export function canonicalJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x) ?? 'null';
  if (Array.isArray(x)) return `[${x.map((e) => (e === undefined ? 'null' : canonicalJson(e))).join(',')}]`;
  const keys = Object.keys(x as Record<string, unknown>)
    .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((x as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** Hash of every definition of a listing, by `kind:name`. */
export function definitionHashes(l: LiveListing): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, def: unknown) => {
    let k = key;
    for (let i = 2; k in out; i++) k = `${key}#${i}`; // duplicate names are themselves suspicious: keep both
    out[k] = sha256(canonicalJson(def));
  };
  for (const t of l.tools) put(`tool:${t.name}`, t);
  for (const r of l.resources) put(`resource:${r.uri ?? r.name}`, r);
  for (const r of l.resourceTemplates) put(`resource-template:${r.uriTemplate ?? r.name}`, r);
  for (const p of l.prompts) put(`prompt:${p.name}`, p);
  if (l.instructions) put('instructions', { instructions: l.instructions });
  return sortObject(out);
}

function sortObject<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function emptyPinFile(): PinFile {
  return { lockfileVersion: 1, generatedBy: 'mcp-risk', servers: {} };
}

/** Read a pin file; a missing file is an empty one, a malformed one a UserError (never overwritten silently). */
export async function readPinFile(file: string): Promise<PinFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyPinFile();
    throw new UserError(`cannot read the pin file ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`the pin file ${file} is not valid JSON (${(e as Error).message}); fix or delete it`);
  }
  const d = doc as Partial<PinFile>;
  if (typeof d !== 'object' || d === null || d.lockfileVersion !== 1 || typeof d.servers !== 'object' || d.servers === null) {
    throw new UserError(`the pin file ${file} is not an mcp-risk lock file (lockfileVersion 1)`);
  }
  for (const [k, v] of Object.entries(d.servers)) {
    if (typeof v !== 'object' || v === null || typeof v.definitions !== 'object' || v.definitions === null) throw new UserError(`the pin file ${file} has a malformed entry for ${k}`);
  }
  return d as PinFile;
}

export function serializePinFile(p: PinFile): string {
  const servers = sortObject(Object.fromEntries(Object.entries(p.servers).map(([k, v]) => [k, { definitions: sortObject(v.definitions) }])));
  return `${JSON.stringify({ generatedBy: p.generatedBy, lockfileVersion: p.lockfileVersion, servers }, null, 2)}\n`;
}

/** Write atomically (temp file + rename). */
export async function writePinFile(file: string, p: PinFile): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, serializePinFile(p));
  await rename(tmp, file);
}

export function diffPins(server: string, pinned: Record<string, string> | undefined, now: Record<string, string>): PinDiff {
  if (!pinned) return { server, added: [], removed: [], changed: [], firstSeen: true };
  const added = Object.keys(now).filter((k) => !(k in pinned)).sort();
  const removed = Object.keys(pinned).filter((k) => !(k in now)).sort();
  const changed = Object.keys(now).filter((k) => k in pinned && pinned[k] !== now[k]).sort();
  return { server, added, removed, changed, firstSeen: false };
}

/**
 * Compare a listing with the pins and update the pin file in memory: a new server is pinned; a known one
 * only with `update`. Returns the diff.
 */
export function applyPins(file: PinFile, server: string, listing: LiveListing, update: boolean): PinDiff {
  const now = definitionHashes(listing);
  const pinned = file.servers[server]?.definitions;
  const diff = diffPins(server, pinned, now);
  if (!pinned || update) file.servers[server] = { definitions: now };
  return diff;
}

export function pinFindings(diff: PinDiff, at: Location): Finding[] {
  const out: Finding[] = [];
  const tags = ['live', 'pins'];
  const label = (k: string) => `\`${k.replace(/^([\w-]+):/, '$1 ')}\``;
  const server = diff.server.replace(/^[\w-]+:/, '');
  if (diff.changed.length) {
    out.push(
      makeFinding(definitionChangedRule, at, `Server \`${server}\`: ${diff.changed.length} definition${diff.changed.length > 1 ? 's' : ''} changed since pinned: ${diff.changed.slice(0, 5).map(label).join(', ')}${diff.changed.length > 5 ? ', …' : ''}.`, {
        tags,
        notes: diff.changed.map((k) => `changed: ${k}`),
        key: `${diff.server}:changed:${diff.changed.join(',')}`,
      }),
    );
  }
  if (diff.added.length) {
    out.push(
      makeFinding(definitionAddedRule, at, `Server \`${server}\`: ${diff.added.length} definition${diff.added.length > 1 ? 's' : ''} not pinned before: ${diff.added.slice(0, 5).map(label).join(', ')}${diff.added.length > 5 ? ', …' : ''}.`, {
        tags,
        notes: diff.added.map((k) => `added: ${k}`),
        key: `${diff.server}:added:${diff.added.join(',')}`,
      }),
    );
  }
  return out;
}
