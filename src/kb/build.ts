/**
 * Build the knowledge base from MITRE's data (pure: bytes in → KB object → deterministic text).
 *
 * Determinism: entries are keyed by numeric id (JSON objects with integer-like keys iterate in ascending
 * order), every array is sorted or kept in MITRE's document order, object keys are written in a fixed
 * order, and no time stamp is written. The same inputs therefore give byte-identical output.
 */
import { createHash } from 'node:crypto';
import { FILL_RULES, DEFAULTS, fillCount, fillLevel, nearestAncestor } from './fill.js';
import { shortNotice } from './notice.js';
import { parseCapec, type RawCapec } from './parse-capec.js';
import { parseCweXml, type RawCwe } from './parse-cwe.js';
import { uniqSorted } from './text.js';
import type { CapecLink, KbCapec, KbCwe, KnowledgeBase, OverlayFile } from './types.js';

export interface InputFile {
  /** Basename recorded in the KB (never an absolute path: the KB must not depend on where it was built). */
  file: string;
  bytes: Uint8Array;
}

export interface BuildInput {
  cwe: InputFile;
  capec: InputFile;
  overlay?: InputFile;
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

const utf8 = (b: Uint8Array): string => new TextDecoder('utf-8').decode(b);

export function parseOverlay(text: string): OverlayFile {
  const o = JSON.parse(text) as OverlayFile;
  if (o.overlay !== true) throw new Error('overlay file must have "overlay": true');
  for (const c of o.cwe ?? []) if (c.overlay !== true) throw new Error(`overlay CWE-${c.id} must be marked "overlay": true`);
  for (const l of o.capecLinks ?? []) if (l.overlay !== true) throw new Error(`overlay link for CWE-${l.cwe} must be marked "overlay": true`);
  return { ...o, cwe: o.cwe ?? [], capecLinks: o.capecLinks ?? [] };
}

type CweBase = RawCwe & { overlay?: true; overlaySource?: string };

export function buildKb(input: BuildInput): KnowledgeBase {
  const cweCat = parseCweXml(utf8(input.cwe.bytes));
  const capecCat = parseCapec(utf8(input.capec.bytes));
  const overlay: OverlayFile = input.overlay
    ? parseOverlay(utf8(input.overlay.bytes))
    : { overlay: true, description: '', cwe: [], capecLinks: [] };

  // ---- CWE entries: the catalog, plus overlay entries for ids the catalog lacks
  const cwes = new Map<number, CweBase>();
  for (const w of cweCat.weaknesses) cwes.set(w.id, w);
  const overlayApplied: number[] = [];
  const superseded: number[] = [];
  for (const o of overlay.cwe) {
    if (cwes.has(o.id)) {
      superseded.push(o.id); // the catalog has it now: MITRE's entry wins
      continue;
    }
    overlayApplied.push(o.id);
    cwes.set(o.id, {
      id: o.id,
      name: o.name,
      abstraction: o.abstraction,
      status: o.status,
      description: o.description,
      likelihoodOfExploit: o.likelihoodOfExploit,
      modesOfIntroduction: [...o.modesOfIntroduction],
      consequences: o.consequences.map((c) => ({ scope: [...c.scope], impact: [...c.impact] })),
      parents: [...o.parents],
      relatedAttackPatterns: uniqSorted(o.relatedAttackPatterns),
      overlay: true,
      overlaySource: o.source,
    });
  }

  // ---- CAPEC entries
  const capecs = new Map<number, RawCapec>();
  for (const p of capecCat.patterns) capecs.set(p.id, p);

  // ---- direct CWE → CAPEC links (both directions of MITRE's data)
  const reverse = new Map<number, Set<number>>();
  for (const p of capecs.values()) {
    for (const c of p.cwes) {
      const s = reverse.get(c) ?? new Set<number>();
      s.add(p.id);
      reverse.set(c, s);
    }
  }
  const direct = new Map<number, number[]>();
  for (const w of cwes.values()) {
    direct.set(
      w.id,
      uniqSorted([...w.relatedAttackPatterns.filter((x) => capecs.has(x)), ...(reverse.get(w.id) ?? [])]),
    );
  }
  const cweParents = (id: number): readonly number[] => (cwes.get(id)?.parents ?? []).filter((p) => cwes.has(p));
  const capecParents = (id: number): readonly number[] => capecs.get(id)?.parents ?? [];
  const overlayLinks = new Map(overlay.capecLinks.map((l) => [l.cwe, l]));
  const linksUsed: number[] = [];

  const linkOf = (w: CweBase): CapecLink => {
    const d = direct.get(w.id) ?? [];
    if (d.length > 0) return { ids: d, kind: 'direct' };
    const anc = nearestAncestor(w.id, cweParents, (x) => (direct.get(x) ?? []).length > 0);
    if (anc) return { ids: direct.get(anc.id) ?? [], kind: 'inherited', from: anc.id, path: anc.path };
    const o = overlayLinks.get(w.id);
    const ids = o ? uniqSorted(o.capec.filter((x) => capecs.has(x))) : [];
    if (o && ids.length > 0) {
      linksUsed.push(w.id);
      return { ids, kind: 'overlay', note: o.note };
    }
    return { ids: [], kind: 'none' };
  };

  const cweOut: Record<string, KbCwe> = {};
  const linkCounts = { direct: 0, inherited: 0, overlay: 0, none: 0 };
  for (const id of [...cwes.keys()].sort((a, b) => a - b)) {
    const w = cwes.get(id) as CweBase;
    const capec = linkOf(w);
    linkCounts[capec.kind]++;
    const entry: KbCwe = {
      id: w.id,
      name: w.name,
      abstraction: w.abstraction,
      status: w.status,
      description: w.description,
      likelihoodOfExploit: w.likelihoodOfExploit,
      modesOfIntroduction: w.modesOfIntroduction,
      consequences: w.consequences,
      parents: w.parents,
      relatedAttackPatterns: w.relatedAttackPatterns,
      capecDirect: direct.get(id) ?? [],
      capec,
      factors: {
        LE: fillLevel('CWE', id, (x) => cwes.get(x)?.likelihoodOfExploit, cweParents, DEFAULTS.LE),
        MI: fillCount('CWE', id, (x) => cwes.get(x)?.modesOfIntroduction.length ?? 0, cweParents, DEFAULTS.MI),
        CC: fillCount('CWE', id, (x) => cwes.get(x)?.consequences.length ?? 0, cweParents, DEFAULTS.CC),
      },
    };
    if (w.overlay) {
      entry.overlay = true;
      entry.overlaySource = w.overlaySource;
    }
    cweOut[String(id)] = entry;
  }

  const capecOut: Record<string, KbCapec> = {};
  for (const id of [...capecs.keys()].sort((a, b) => a - b)) {
    const p = capecs.get(id) as RawCapec;
    capecOut[String(id)] = {
      id: p.id,
      name: p.name,
      abstraction: p.abstraction,
      status: p.status,
      description: p.description,
      likelihoodOfAttack: p.likelihoodOfAttack,
      typicalSeverity: p.typicalSeverity,
      consequences: p.consequences,
      domains: p.domains,
      prerequisites: p.prerequisites,
      skills: p.skills,
      parents: p.parents,
      children: p.children,
      cwes: p.cwes,
      mitigations: p.mitigations,
      factors: {
        LA: fillLevel('CAPEC', id, (x) => capecs.get(x)?.likelihoodOfAttack, capecParents, DEFAULTS.LA),
        TS: fillLevel('CAPEC', id, (x) => capecs.get(x)?.typicalSeverity, capecParents, DEFAULTS.TS),
      },
    };
  }

  const kb: KnowledgeBase = {
    format: 'mcp-risk-kb/1',
    notice: shortNotice({
      cweVersion: cweCat.version,
      cweDate: cweCat.date,
      capecVersion: capecCat.version,
      capecDate: capecCat.date,
    }),
    catalogs: {
      cwe: {
        name: 'CWE',
        version: cweCat.version,
        ...(cweCat.date ? { date: cweCat.date } : {}),
        format: 'cwe-xml',
        file: input.cwe.file,
        sha256: sha256(input.cwe.bytes),
      },
      capec: {
        name: 'CAPEC',
        version: capecCat.version,
        ...(capecCat.date ? { date: capecCat.date } : {}),
        format: capecCat.format,
        file: input.capec.file,
        sha256: sha256(input.capec.bytes),
      },
    },
    overlay: {
      file: input.overlay?.file ?? '',
      sha256: input.overlay ? sha256(input.overlay.bytes) : '',
      cwes: uniqSorted(overlayApplied),
      links: uniqSorted(linksUsed),
      superseded: uniqSorted(superseded),
    },
    contentHash: '',
    rules: FILL_RULES,
    counts: {
      cwe: Object.keys(cweOut).length,
      cweDeprecated: Object.values(cweOut).filter((c) => c.status === 'Deprecated').length,
      cweOverlay: overlayApplied.length,
      capec: Object.keys(capecOut).length,
      capecDeprecatedDropped: capecCat.deprecatedDropped,
      cweCapecLink: linkCounts,
    },
    cwe: cweOut,
    capec: capecOut,
  };
  kb.contentHash = contentHash(kb);
  return kb;
}

/** sha256 of the serialisation with contentHash = "". */
export function contentHash(kb: KnowledgeBase): string {
  return sha256(serializeKb({ ...kb, contentHash: '' }));
}

/**
 * Deterministic serialisation: one top-level key per line, one CWE / CAPEC entry per line
 * (compact but diff-friendly), trailing newline.
 */
export function serializeKb(kb: KnowledgeBase): string {
  const lines: string[] = ['{'];
  const keys = Object.keys(kb) as (keyof KnowledgeBase)[];
  keys.forEach((k, i) => {
    const comma = i < keys.length - 1 ? ',' : '';
    const v = kb[k];
    if (k === 'cwe' || k === 'capec') {
      const entries = Object.entries(v as Record<string, unknown>);
      lines.push(`${JSON.stringify(k)}: {`);
      entries.forEach(([id, e], j) => {
        lines.push(`${JSON.stringify(id)}: ${JSON.stringify(e)}${j < entries.length - 1 ? ',' : ''}`);
      });
      lines.push(`}${comma}`);
    } else {
      lines.push(`${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
