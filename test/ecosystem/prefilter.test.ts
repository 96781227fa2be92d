/**
 * Literal pre-filters (src/ecosystem/prefilter.ts): what they require of a text, and that they never turn away a
 * text their regex matches — over every metadata instruction pattern and every text of the metadata cases; and that
 * the table the rules read (data/instruction-literals.json) is what the patterns give.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { INSTRUCTION_PATTERNS } from '../../src/ecosystem/metadata.js';
import { LiteralIndex } from '../../src/ecosystem/literal-index.js';
import { prefilterOf } from '../../src/ecosystem/prefilter.js';
import { instructionLiteralsTable } from '../../scripts/instruction-literals.js';
import { findEncodedText, normalizeForMatch } from '../../src/ecosystem/text.js';
import { fromRoot } from '../helpers.js';

const literals = (re: RegExp): readonly string[] | undefined => prefilterOf(re)?.literals;

describe('prefilterOf', () => {
  it('joins characters, classes and optional parts into literals, and alternations into sets', () => {
    assert.deepEqual(literals(/abc?d/), ['abd', 'abcd']);
    assert.deepEqual(literals(/(foo|bar)baz/), ['foobaz', 'barbaz']);
    assert.deepEqual(literals(/colou?r/i), ['color', 'colour']);
    assert.deepEqual(literals(/<\|(?:im_start|system)\|>|\[\/?inst\]/), ['<|im_start|>', '<|system|>', '[inst]', '[/inst]']);
    assert.deepEqual(literals(/\bkey[sz]\b/), ['keys', 'keyz']);
  });

  it('keeps the most selective part of a sequence that cannot be spelled out', () => {
    // the verbs can be anything in between; the object noun must be there
    assert.deepEqual(literals(/\b(?:read|open)\b.{0,40}(?:password|secret)s?/), ['password', 'secret']);
    assert.deepEqual(literals(/\b(?:ignore|forget)\s+(?:previous|prior)\s+instructions?/), ['instruction'], 'the longest literal; "instructions" adds nothing');
    assert.deepEqual(literals(/x+yzzy/), ['yzzy']);
  });

  it('lower-cases the literals of a case-insensitive regex and compares them with the lower-cased text', () => {
    const f = prefilterOf(/IGNORE ALL/i)!;
    assert.deepEqual(f.literals, ['ignore all']);
    assert.ok(f.mayMatch('Please Ignore All of it'));
    assert.ok(!f.mayMatch('Please heed all of it'));
  });

  it('a text with anything beyond ASCII always runs the regex (Unicode case folding)', () => {
    const f = prefilterOf(/sss/iu)!;
    assert.ok(/sss/iu.test('ſſs'), 'U+017F folds to s under /iu');
    assert.ok(f.mayMatch('ſſs'));
  });

  it('gives no filter for literals beyond ASCII (under /iu, ſ folds to s)', () => {
    assert.ok(/ſystem prompt/iu.test('system prompt'));
    assert.equal(prefilterOf(/ſystem prompt/iu), undefined);
    assert.equal(prefilterOf(/don’t tell/), undefined);
    assert.ok(prefilterOf(/system prompt/iu)?.mayMatch('ſystem prompt'), 'non-ASCII text always runs the regex');
  });

  it('gives no filter when a match may hold no literal worth looking for', () => {
    for (const re of [/a.b/, /[A-Za-z0-9+/_-]{24}/, /(?:ab)?/, /\d+/, /(a)\1/, /x|.+/, /[^abc]{5}/]) assert.equal(prefilterOf(re), undefined, String(re));
  });
});

describe('LiteralIndex', () => {
  it('finds every set with a literal in the text in one pass, overlapping and nested literals included', () => {
    const sets = [['he', 'she'], ['hers'], ['his'], ['ushe'], ['xyz'], ['she said']];
    const index = new LiteralIndex(sets);
    for (const text of ['ushers', 'she said so', 'this', 'hxyz', 'nothing here', '', 'shis', 'ushe']) {
      const found = index.scan(text);
      sets.forEach((set, i) => assert.equal(LiteralIndex.present(found, i), set.some((l) => text.includes(l)), `${JSON.stringify(text)} set ${i}`));
    }
  });

  it('takes more sets than one 31-bit mask holds', () => {
    const sets = Array.from({ length: 70 }, (_, i) => [`w${i}x`]);
    const index = new LiteralIndex(sets);
    const found = index.scan('a w5x b w33x c w69x d w31');
    const present = sets.map((_, i) => LiteralIndex.present(found, i));
    assert.deepEqual(present.flatMap((p, i) => (p ? [i] : [])), [5, 33, 69]);
  });

  it('agrees with includes for every pattern filter of the metadata rules over random text built from their literals', () => {
    const sets = INSTRUCTION_PATTERNS.map((re) => prefilterOf(re)?.literals).filter((l): l is readonly string[] => !!l);
    const index = new LiteralIndex(sets);
    const pool = [...new Set(sets.flat())];
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let k = 0; k < 300; k++) {
      let text = '';
      for (let j = 0; j < 6; j++) {
        const l = pool[rnd(pool.length)]!;
        // whole literals, their halves (near misses) and filler
        text += rnd(2) ? l : l.slice(0, Math.max(1, l.length >> 1));
        text += ' .,x'[rnd(4)]!;
      }
      const found = index.scan(text);
      sets.forEach((set, i) => assert.equal(LiteralIndex.present(found, i), set.some((l) => text.includes(l)), `${JSON.stringify(text)} set ${i}`));
    }
  });
});

describe('pre-filters of the metadata instruction patterns', () => {
  // every text of the metadata cases (poisoned and clean) as the rules see it: normalised, and its decoded payloads
  const cases = JSON.parse(readFileSync(fromRoot('test', 'fixtures', 'ecosystem', 'metadata-cases.json'), 'utf8')) as unknown;
  const raw: string[] = [];
  (function walk(v: unknown): void {
    if (typeof v === 'string') raw.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  })(cases);
  const texts = new Set<string>();
  for (const t of raw) {
    const norm = normalizeForMatch(t);
    texts.add(norm);
    for (const d of findEncodedText(t)) texts.add(normalizeForMatch(d.decoded));
  }
  // near misses: each text cut around every place a pattern matches it
  for (const t of [...texts]) {
    for (const re of INSTRUCTION_PATTERNS) {
      const m = new RegExp(re.source, re.flags.replace('g', '')).exec(t);
      if (!m) continue;
      for (const k of [0, 1, 5, 20]) {
        texts.add(t.slice(m.index + k, m.index + m[0].length + 40));
        texts.add(t.slice(Math.max(0, m.index - 40), m.index + m[0].length - k));
      }
    }
  }

  it('the packaged table holds every pattern with the literals derived from it (else: npm run gen:literals)', () => {
    const file = JSON.parse(readFileSync(fromRoot('data', 'instruction-literals.json'), 'utf8')) as unknown;
    assert.deepEqual(file, instructionLiteralsTable(), 'data/instruction-literals.json is stale: run npm run gen:literals');
    assert.equal(instructionLiteralsTable().patterns.length, new Set(INSTRUCTION_PATTERNS.map(String)).size);
  });

  it('every pattern is read; most have a filter', () => {
    const filtered = INSTRUCTION_PATTERNS.filter((re) => prefilterOf(re));
    assert.ok(INSTRUCTION_PATTERNS.length >= 20, String(INSTRUCTION_PATTERNS.length));
    assert.ok(filtered.length >= INSTRUCTION_PATTERNS.length * 0.6, `${filtered.length} of ${INSTRUCTION_PATTERNS.length} have a filter`);
  });

  it('never turns away a text its pattern matches, and turns away most of those it does not', () => {
    let matched = 0;
    let skipped = 0;
    let pairs = 0;
    // as the metadata rules use them: every filter in one LiteralIndex, scanned once per (lower-case) ASCII text
    const filtered = INSTRUCTION_PATTERNS.map((re) => ({ re, f: prefilterOf(re) })).filter((x) => x.f);
    const index = new LiteralIndex(filtered.map((x) => x.f!.literals));
    for (const t of texts) {
      const ascii = !/[^\x00-\x7f]/.test(t);
      const found = ascii ? index.scan(t) : undefined;
      filtered.forEach(({ re, f }, i) => {
        pairs++;
        const hit = new RegExp(re.source, re.flags.replace('g', '')).test(t);
        const says = f!.mayMatch(t);
        if (found) assert.equal(LiteralIndex.present(found, i), says, `index and mayMatch on ${JSON.stringify(t.slice(0, 80))}`);
        if (hit) {
          matched++;
          assert.ok(says, `${re} matches ${JSON.stringify(t.slice(0, 200))} but its filter says no (${JSON.stringify(f!.literals)})`);
        } else if (!says) skipped++;
      });
    }
    assert.ok(matched >= 40, `matching pairs: ${matched}`);
    assert.ok(skipped > (pairs - matched) / 2, `skipped ${skipped} of ${pairs - matched} non-matching pairs`);
  });
});
