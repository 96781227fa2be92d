/**
 * Functions behind `mcp-risk kb build` and `mcp-risk kb show` (the CLI wiring lives in src/cli.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildKb, serializeKb, type InputFile } from './build.js';
import { describeFilled } from './fill.js';
import { clearKbCache, cwesLinkingTo, loadKb, packagedKbDir } from './load.js';
import { noticeFile } from './notice.js';
import type { Filled, KbCapec, KbCwe, KnowledgeBase } from './types.js';

export interface KbBuildOptions {
  /** CWE catalog XML (cwec_vX.Y.xml, or cwe-sdk's raw/cwe-archive.xml). */
  cwe: string;
  /** CAPEC: STIX 2.1 bundle (.json) or official XML (capec_vX.Y.xml). */
  capec: string;
  /** Output folder (default: the packaged data/kb). kb.json and NOTICE are written there. */
  out?: string;
  /** Overlay file (default: <out>/overlay.json if present, else the packaged data/kb/overlay.json). */
  overlay?: string;
}

export interface KbBuildResult {
  kbFile: string;
  noticeFile: string;
  versions: { cwe: string; capec: string };
  contentHash: string;
  counts: KnowledgeBase['counts'];
}

async function input(file: string): Promise<InputFile> {
  const bytes = await readFile(file);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw new Error(`${file} is a zip archive: unzip it and pass the .xml inside`);
  return { file: path.basename(file), bytes };
}

/** Regenerate the knowledge base (kb.json + NOTICE) from MITRE's files. */
export async function kbBuild(opts: KbBuildOptions): Promise<KbBuildResult> {
  const out = path.resolve(opts.out ?? packagedKbDir());
  let overlay = opts.overlay;
  if (!overlay) {
    const local = path.join(out, 'overlay.json');
    overlay = existsSync(local) ? local : path.join(packagedKbDir(), 'overlay.json');
  }
  const kb = buildKb({
    cwe: await input(opts.cwe),
    capec: await input(opts.capec),
    overlay: existsSync(overlay) ? await input(overlay) : undefined,
  });
  await mkdir(out, { recursive: true });
  const kbFile = path.join(out, 'kb.json');
  const notice = path.join(out, 'NOTICE');
  await writeFile(kbFile, serializeKb(kb));
  await writeFile(
    notice,
    noticeFile({
      cweVersion: kb.catalogs.cwe.version,
      cweDate: kb.catalogs.cwe.date,
      capecVersion: kb.catalogs.capec.version,
      capecDate: kb.catalogs.capec.date,
    }),
  );
  clearKbCache();
  return {
    kbFile,
    noticeFile: notice,
    versions: { cwe: kb.catalogs.cwe.version, capec: kb.catalogs.capec.version },
    contentHash: kb.contentHash,
    counts: kb.counts,
  };
}

// ---------------------------------------------------------------- show

function factorLine(name: string, f: Filled, field: string): string {
  return `  ${name.padEnd(3)} = ${describeFilled(f, field)}`;
}

function cweTitle(kb: KnowledgeBase, id: number): string {
  const c = kb.cwe[String(id)];
  return c ? `CWE-${id} ${c.name}` : `CWE-${id}`;
}

function capecRow(kb: KnowledgeBase, id: number): string {
  const p = kb.capec[String(id)];
  if (!p) return `    CAPEC-${id}`;
  const la = p.factors.LA;
  const ts = p.factors.TS;
  const mark = (f: Filled): string => (f.from === 'self' ? '' : f.from === 'inherited' ? ` (from ${f.source})` : ' (default)');
  return `    CAPEC-${String(id).padEnd(4)} LA ${la.label ?? la.value}${mark(la)}, TS ${ts.label ?? ts.value}${mark(ts)} — ${p.name}`;
}

function wrapList(title: string, items: string[]): string[] {
  if (items.length === 0) return [`${title}: none`];
  return [`${title}:`, ...items.map((s) => `  - ${s}`)];
}

export function formatCwe(c: KbCwe, kb: KnowledgeBase): string {
  const L: string[] = [];
  L.push(`CWE-${c.id}: ${c.name}${c.overlay ? '   [overlay]' : ''}`);
  L.push(`Abstraction: ${c.abstraction}   Status: ${c.status}   Catalog: CWE ${kb.catalogs.cwe.version}`);
  if (c.overlay) L.push(`Overlay entry (hand-kept, not in CWE ${kb.catalogs.cwe.version}): ${c.overlaySource ?? ''}`);
  if (c.description) L.push(`Description: ${c.description}`);
  L.push(`Likelihood_Of_Exploit: ${c.likelihoodOfExploit ?? '(none)'}`);
  L.push(`Modes_Of_Introduction (${c.modesOfIntroduction.length}): ${c.modesOfIntroduction.join('; ') || '(none)'}`);
  L.push(
    ...wrapList(
      `Common_Consequences (${c.consequences.length})`,
      c.consequences.map((k) => `${k.scope.join(', ')}: ${k.impact.join('; ')}`),
    ),
  );
  L.push(`Parents (ChildOf, view CWE-1000): ${c.parents.map((p) => cweTitle(kb, p)).join('; ') || '(none)'}`);
  L.push(`Related_Attack_Patterns (as listed in the CWE): ${c.relatedAttackPatterns.map((x) => `CAPEC-${x}`).join(', ') || '(none)'}`);
  const link = c.capec;
  let how: string;
  if (link.kind === 'direct') how = 'direct';
  else if (link.kind === 'inherited') how = `inherited from CWE-${link.from} (walk ${(link.path ?? []).map((x) => `CWE-${x}`).join(' → ')})`;
  else if (link.kind === 'overlay') how = `overlay (hand-kept): ${link.note ?? ''}`;
  else how = 'none';
  L.push(`CAPEC attack patterns (${link.ids.length}, ${how}):`);
  for (const id of link.ids) L.push(capecRow(kb, id));
  L.push('Risk factors (fill rule applied):');
  L.push(factorLine('LE', c.factors.LE, 'Likelihood_Of_Exploit'));
  L.push(factorLine('MI', c.factors.MI, 'Modes_Of_Introduction count'));
  L.push(factorLine('CC', c.factors.CC, 'Common_Consequences count'));
  return L.join('\n') + '\n';
}

export function formatCapec(p: KbCapec, kb: KnowledgeBase): string {
  const L: string[] = [];
  const capecTitle = (id: number): string => {
    const q = kb.capec[String(id)];
    return q ? `CAPEC-${id} ${q.name}` : `CAPEC-${id}`;
  };
  L.push(`CAPEC-${p.id}: ${p.name}`);
  L.push(`Abstraction: ${p.abstraction}   Status: ${p.status}   Catalog: CAPEC ${kb.catalogs.capec.version}`);
  if (p.description) L.push(`Description: ${p.description}`);
  L.push(`Likelihood_Of_Attack: ${p.likelihoodOfAttack ?? '(none)'}   Typical_Severity: ${p.typicalSeverity ?? '(none)'}`);
  L.push(`Domains: ${p.domains.join(', ') || '(none)'}`);
  L.push(...wrapList('Prerequisites', p.prerequisites));
  L.push(...wrapList('Skills required', p.skills.map((s) => `${s.level}: ${s.text}`)));
  L.push(
    ...wrapList(
      'Consequences',
      Object.entries(p.consequences).map(([scope, impacts]) => `${scope}: ${impacts.join('; ')}`),
    ),
  );
  L.push(`Parents (ChildOf): ${p.parents.map(capecTitle).join('; ') || '(none)'}`);
  L.push(`Children: ${p.children.map(capecTitle).join('; ') || '(none)'}`);
  L.push(`Related_Weaknesses: ${p.cwes.map((x) => cweTitle(kb, x)).join('; ') || '(none)'}`);
  const back = cwesLinkingTo(p.id, kb);
  L.push(
    `CWEs linked to it in the KB: direct ${back.direct.map((x) => `CWE-${x}`).join(', ') || '-'}; ` +
      `inherited ${back.inherited.length} CWE(s)${back.inherited.length ? ` (${back.inherited.slice(0, 20).map((x) => `CWE-${x}`).join(', ')}${back.inherited.length > 20 ? ', …' : ''})` : ''}` +
      (back.overlay.length ? `; overlay ${back.overlay.map((x) => `CWE-${x}`).join(', ')}` : ''),
  );
  L.push(...wrapList(`Mitigations (${p.mitigations.length})`, p.mitigations));
  L.push('Risk factors (fill rule applied):');
  L.push(factorLine('LA', p.factors.LA, 'Likelihood_Of_Attack'));
  L.push(factorLine('TS', p.factors.TS, 'Typical_Severity'));
  return L.join('\n') + '\n';
}

/** Text for `mcp-risk kb show CWE-78` / `mcp-risk kb show CAPEC-88` (a bare number is a CWE). */
export function kbShow(id: string, kb: KnowledgeBase = loadKb()): string {
  const m = /^\s*(cwe|capec)?[-_ ]?(\d+)\s*$/i.exec(id);
  if (!m) throw new Error(`not a CWE or CAPEC id: ${id} (try CWE-78 or CAPEC-88)`);
  const kind = (m[1] ?? 'cwe').toLowerCase();
  const n = Number(m[2]);
  if (kind === 'capec') {
    const p = kb.capec[String(n)];
    if (!p) throw new Error(`CAPEC-${n} is not in the knowledge base (CAPEC ${kb.catalogs.capec.version}; deprecated patterns are not kept)`);
    return formatCapec(p, kb);
  }
  const c = kb.cwe[String(n)];
  if (!c) throw new Error(`CWE-${n} is not in the knowledge base (CWE ${kb.catalogs.cwe.version} + overlay)`);
  return formatCwe(c, kb);
}
