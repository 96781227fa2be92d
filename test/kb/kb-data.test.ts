/**
 * The generated knowledge base (data/kb/kb.json) against its sources:
 * byte-for-byte reproduction, sanity counts, emitted CWEs mapped, notice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromRoot, sharedDir } from '../helpers.js';
import { buildKb, contentHash, serializeKb } from '../../src/kb/build.js';
import { kbBuild } from '../../src/kb/commands.js';
import { loadKb, packagedKbPath } from '../../src/kb/load.js';
import { CAPEC_LICENSE } from '../../src/kb/notice.js';
import { EMITTED_CWES } from '../../src/kb/emitted-cwes.js';

const CWE_XML = fromRoot('node_modules', 'cwe-sdk', 'raw', 'cwe-archive.xml');
const CAPEC_STIX = path.join(sharedDir, 'data', 'mitre', 'capec-3.9-stix.json');
const OVERLAY = fromRoot('data', 'kb', 'overlay.json');
const KB_FILE = fromRoot('data', 'kb', 'kb.json');

const kb = loadKb();

test('the packaged KB is found relative to the module and is data/kb/kb.json', () => {
  assert.equal(packagedKbPath(), KB_FILE);
  assert.equal(kb.catalogs.cwe.version, '4.15');
  assert.equal(kb.catalogs.capec.version, '3.9');
  assert.equal(kb.catalogs.capec.format, 'capec-stix-2.1');
  assert.equal(kb.contentHash, contentHash(kb), 'content hash matches the content');
});

test('reproducible: building from the sources gives data/kb/kb.json byte for byte', () => {
  const built = buildKb({
    cwe: { file: path.basename(CWE_XML), bytes: readFileSync(CWE_XML) },
    capec: { file: path.basename(CAPEC_STIX), bytes: readFileSync(CAPEC_STIX) },
    overlay: { file: path.basename(OVERLAY), bytes: readFileSync(OVERLAY) },
  });
  const text = serializeKb(built);
  const onDisk = readFileSync(KB_FILE, 'utf8');
  assert.ok(text === onDisk, `kb.json differs from a fresh build (content ${built.contentHash} vs ${kb.contentHash}); run node build/scripts/build-kb.js`);
});

test('kbBuild writes kb.json and NOTICE identical to the packaged ones', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-kb-'));
  try {
    const r = await kbBuild({ cwe: CWE_XML, capec: CAPEC_STIX, out, overlay: OVERLAY });
    assert.deepEqual(r.versions, { cwe: '4.15', capec: '3.9' });
    assert.equal(readFileSync(path.join(out, 'kb.json'), 'utf8'), readFileSync(KB_FILE, 'utf8'));
    assert.equal(readFileSync(path.join(out, 'NOTICE'), 'utf8'), readFileSync(fromRoot('data', 'kb', 'NOTICE'), 'utf8'));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('every CWE of the 4.15 catalog: 964 <Weakness> elements (939 + 25 deprecated), plus the marked overlay', () => {
  // "964 CWEs in 4.15" counts every <Weakness> element of the catalog, deprecated ones included;
  // categories (409) and views (54) are not weaknesses.
  const xml = readFileSync(CWE_XML, 'utf8');
  const ids = [...xml.matchAll(/<Weakness ID="(\d+)"/g)].map((m) => Number(m[1]));
  assert.equal(ids.length, 964);
  const catalog = Object.values(kb.cwe).filter((c) => !c.overlay);
  assert.equal(catalog.length, 964);
  assert.deepEqual(
    catalog.map((c) => c.id).sort((a, b) => a - b),
    [...ids].sort((a, b) => a - b),
  );
  assert.equal(catalog.filter((c) => c.status === 'Deprecated').length, 25);
  const overlay = Object.values(kb.cwe).filter((c) => c.overlay);
  assert.deepEqual(
    overlay.map((c) => c.id),
    [1427],
  );
  assert.equal(kb.counts.cwe, 965);
});

test('every non-deprecated CAPEC of the STIX bundle is in the KB (559 of 615)', () => {
  const bundle = JSON.parse(readFileSync(CAPEC_STIX, 'utf8')) as { objects: any[] };
  const live = bundle.objects
    .filter((o) => o.type === 'attack-pattern' && o.x_capec_status !== 'Deprecated' && o.revoked !== true)
    .map((o) => Number(String(o.external_references.find((r: any) => r.source_name === 'capec').external_id).slice(6)))
    .sort((a, b) => a - b);
  assert.equal(live.length, 559);
  assert.deepEqual(
    Object.keys(kb.capec).map(Number),
    live,
  );
  assert.equal(kb.counts.capecDeprecatedDropped, 56);
});

test('every CWE the rules can emit maps to at least one CAPEC', () => {
  const missing: number[] = [];
  for (const id of EMITTED_CWES) {
    const c = kb.cwe[String(id)];
    assert.ok(c, `CWE-${id} is in the KB`);
    if (c.capec.ids.length === 0) missing.push(id);
    for (const x of c.capec.ids) assert.ok(kb.capec[String(x)], `CWE-${id} → CAPEC-${x} exists`);
  }
  assert.deepEqual(missing, []);
  // only CWE-1357 needs the hand-kept link; it is marked as such
  const overlayLinked = EMITTED_CWES.filter((id) => kb.cwe[String(id)]!.capec.kind === 'overlay');
  assert.deepEqual(overlayLinked, [1357]);
});

test('the fill rule is written into the KB, and every filled factor names its provenance', () => {
  assert.deepEqual(kb.rules.defaults, { LE: 3, LA: 3, TS: 3, MI: 1, CC: 1 });
  assert.match(kb.rules.LE, /nearest ChildOf ancestor/);
  for (const c of Object.values(kb.cwe)) {
    for (const f of [c.factors.LE, c.factors.MI, c.factors.CC]) {
      if (f.from === 'default') assert.equal(f.source, 'default');
      else assert.match(f.source, /^CWE-\d+$/);
      if (f.from === 'inherited') assert.ok(f.path && f.path[0] === c.id && f.path.length >= 2);
    }
  }
  for (const p of Object.values(kb.capec)) {
    for (const f of [p.factors.LA, p.factors.TS]) {
      assert.ok(f.value >= 1 && f.value <= 5);
      if (f.from !== 'default') assert.match(f.source, /^CAPEC-\d+$/);
    }
  }
});

test('NOTICE reproduces the CAPEC licence verbatim and the CWE terms of use', () => {
  const notice = readFileSync(fromRoot('data', 'kb', 'NOTICE'), 'utf8');
  const license = readFileSync(path.join(sharedDir, 'data', 'mitre', 'LICENSE-CAPEC.txt'), 'utf8');
  assert.equal(CAPEC_LICENSE, license);
  assert.ok(notice.includes(license));
  assert.match(notice, /Copyright © 2007–2023, The MITRE Corporation/);
  assert.match(notice, /Copyright © 2006–2024, The MITRE Corporation/);
  assert.match(notice, /CWE™ is free to use by any organization or individual/);
  assert.match(kb.notice, /CWE™ 4\.15 .* CAPEC™ 3\.9/);
});

test('the KB does not depend on ../shared at run time (paths are basenames)', () => {
  assert.equal(kb.catalogs.cwe.file, 'cwe-archive.xml');
  assert.equal(kb.catalogs.capec.file, 'capec-3.9-stix.json');
  assert.ok(!readFileSync(KB_FILE, 'utf8').includes('/shared/'));
  assert.ok(existsSync(fromRoot('data', 'kb', 'NOTICE')));
});
