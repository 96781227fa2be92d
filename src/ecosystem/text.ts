/**
 * Text utilities for metadata analysis: invisible and deceptive Unicode, a confusable skeleton (homoglyphs
 * folded to Latin), decoding of hidden payloads (Unicode tag characters, variation-selector smuggling,
 * base64 / hex / percent / \u escapes) and printable excerpts. Pure functions, no I/O.
 */

export type InvisibleClass = 'tag' | 'bidi' | 'zero-width' | 'variation-selector' | 'control' | 'filler' | 'private-use';

export interface InvisibleHit {
  cls: InvisibleClass;
  /** Code point. */
  cp: number;
  /** UTF-16 index in the text. */
  index: number;
}

const PICTO = /\p{Extended_Pictographic}/u;
const KEYCAP_BASE = /[0-9#*]/;

/** The class of an invisible or formatting code point, or undefined for ordinary characters. */
/** Printable ASCII, tabs and line breaks only: no invisible, confusable or look-alike character can be there. */
export function isPlainAscii(text: string): boolean {
  return PLAIN_ASCII.test(text);
}
const PLAIN_ASCII = /^[\t\n\r\x20-\x7e]*$/;
/** Variation selectors (U+FE00–FE0F) or plane-14 characters (tags U+E0000–E007F, selectors U+E0100–E01EF). */
const MAY_HIDE_BYTES = /[\ufe00-\ufe0f\udb40]/;

export function invisibleClass(cp: number): InvisibleClass | undefined {
  if (cp >= 0xe0000 && cp <= 0xe007f) return 'tag';
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'bidi';
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0x2060 || (cp >= 0x2061 && cp <= 0x2064) || cp === 0xfeff || cp === 0x180e || cp === 0x00ad || cp === 0x034f) return 'zero-width';
  if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0xe0100 && cp <= 0xe01ef)) return 'variation-selector';
  if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0x7f || (cp >= 0x80 && cp <= 0x9f)) return 'control';
  if (cp === 0x3164 || cp === 0xffa0 || cp === 0x115f || cp === 0x1160 || cp === 0x2800) return 'filler';
  if ((cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd)) return 'private-use';
  return undefined;
}

/**
 * Invisible / formatting characters of a text. Ordinary emoji sequences are left out: a zero-width joiner
 * between two pictographs, VS15/VS16 after a pictograph or a keycap base.
 */
export function findInvisible(text: string): InvisibleHit[] {
  const out: InvisibleHit[] = [];
  if (isPlainAscii(text)) return out;
  const cps = Array.from(text);
  let index = 0;
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i]!;
    const cp = ch.codePointAt(0)!;
    const cls = invisibleClass(cp);
    if (cls) {
      const prev = cps[i - 1] ?? '';
      const next = cps[i + 1] ?? '';
      const emojiJoin = cp === 0x200d && PICTO.test(prev) && PICTO.test(next);
      const emojiPresentation = (cp === 0xfe0f || cp === 0xfe0e) && (PICTO.test(prev) || KEYCAP_BASE.test(prev) || /[\u2000-\u2bff]/.test(prev));
      // U+FEFF at the very start is a byte-order mark left by an editor
      const bom = cp === 0xfeff && index === 0;
      if (!emojiJoin && !emojiPresentation && !bom) out.push({ cls, cp, index });
    }
    index += ch.length;
  }
  return out;
}

export function hex(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const CLASS_TEXT: Record<InvisibleClass, string> = {
  tag: 'Unicode tag characters (invisible, read by the model as ASCII)',
  bidi: 'bidirectional control characters (reorder what is displayed)',
  'zero-width': 'zero-width characters',
  'variation-selector': 'variation selectors outside emoji (can carry hidden bytes)',
  control: 'control characters (e.g. terminal escape sequences)',
  filler: 'blank filler characters',
  'private-use': 'private-use characters',
};
export function invisibleClassText(c: InvisibleClass): string {
  return CLASS_TEXT[c];
}

/** The ASCII text hidden in Unicode tag characters (U+E0020–U+E007E), runs joined by spaces. */
export function decodeTagCharacters(text: string): string {
  const runs: string[] = [];
  if (!MAY_HIDE_BYTES.test(text)) return '';
  let cur = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xe0020 && cp <= 0xe007e) cur += String.fromCharCode(cp - 0xe0000);
    else if (cur) {
      runs.push(cur);
      cur = '';
    }
  }
  if (cur) runs.push(cur);
  return runs.join(' ');
}

/**
 * Bytes hidden in runs of variation selectors (VS1–VS16 = 0–15, VS17–VS256 = 16–255), decoded as UTF-8.
 * Only runs of at least 4 selectors count (one selector is ordinary).
 */
export function decodeVariationSelectors(text: string): string {
  const runs: string[] = [];
  if (!MAY_HIDE_BYTES.test(text)) return '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length >= 4) runs.push(Buffer.from(bytes).toString('utf8'));
    bytes = [];
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xfe00 && cp <= 0xfe0f) bytes.push(cp - 0xfe00);
    else if (cp >= 0xe0100 && cp <= 0xe01ef) bytes.push(cp - 0xe0100 + 16);
    else flush();
  }
  flush();
  return runs.join(' ');
}

/** Remove invisible characters (for matching text the model reads as if they were not there). */
export function stripInvisible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cls = invisibleClass(ch.codePointAt(0)!);
    if (!cls || cls === 'control') out += cls === 'control' ? ' ' : ch;
  }
  return out;
}

/**
 * Letters of other scripts that look like Latin letters (after NFKC, which already folds full-width and
 * mathematical alphanumerics). Cyrillic, Greek, Armenian and a few Latin look-alikes.
 */
const CONFUSABLE: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w', ү: 'y', ɡ: 'g', ь: 'b',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', Ѕ: 'S', І: 'I', Ј: 'J', Ԁ: 'D', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W',
  // Greek
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', υ: 'u', ι: 'i', κ: 'k', τ: 't', ε: 'e', χ: 'x', γ: 'y',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  // Armenian
  օ: 'o', ս: 'u', ց: 'g', հ: 'h', ո: 'n', ք: 'q', Ս: 'U', Օ: 'O',
  // Latin look-alikes
  ı: 'i', ȷ: 'j', ℓ: 'l', ǀ: 'l', 'ꞵ': 'b',
};

export function isConfusableLetter(ch: string): boolean {
  return Object.prototype.hasOwnProperty.call(CONFUSABLE, ch);
}

/** Fold a text to what it looks like: NFKC, confusable letters to Latin, invisible characters removed. */
export function skeleton(text: string): string {
  if (isPlainAscii(text)) return text;
  let out = '';
  for (const ch of stripInvisible(text).normalize('NFKC')) out += CONFUSABLE[ch] ?? ch;
  return out;
}

export type ScriptName = 'Latin' | 'Cyrillic' | 'Greek' | 'Armenian' | 'Cherokee' | 'Other';
const SCRIPT_RES: [ScriptName, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

/** Script of a letter (undefined for digits, punctuation, marks: the Common/Inherited scripts). */
export function scriptOf(ch: string): ScriptName | undefined {
  if (!/\p{L}/u.test(ch)) return undefined;
  for (const [name, re] of SCRIPT_RES) if (re.test(ch)) return name;
  return 'Other';
}

/** Lower-case, invisible characters removed, homoglyphs folded, spaces collapsed (newlines kept as sentence breaks): the text to match instructions on. */
export function normalizeForMatch(text: string): string {
  const ascii = isPlainAscii(text);
  const folded = ascii
    ? text
    : skeleton(text)
        .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
        .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
        .replace(/[\u2010-\u2015]/g, '-');
  return folded
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n\s*/g, '\n')
    .trim()
    .toLowerCase();
}

/** Share of a decoded text that is natural language: printable, letters, with spaces between words. */
export function looksLikeNaturalText(s: string): boolean {
  if (s.length < 12) return false;
  if (/\uFFFD/.test(s)) return false;
  let printable = 0;
  let letters = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp !== 0x7f) printable++;
    if (/\p{L}/u.test(ch)) letters++;
  }
  const n = Array.from(s).length;
  const words = s.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;
  return printable / n > 0.95 && letters / n > 0.55 && words >= 3;
}

export interface DecodedPayload {
  encoding: 'base64' | 'hex' | 'percent' | 'unicode-escape' | 'tag-characters' | 'variation-selectors';
  /** The encoded text as it appears (truncated). */
  raw: string;
  decoded: string;
}

const BASE64_RUN = /(?:data:[\w/+.-]+;base64,)?([A-Za-z0-9+/]{24,}={0,2}|[A-Za-z0-9_-]{32,}={0,2})/g;
const HEX_RUN = /\b(?:0x)?((?:[0-9a-fA-F]{2}){16,})\b/g;
const PERCENT_RUN = /(?:%[0-9a-fA-F]{2}){8,}/g;
const UNICODE_ESCAPE_RUN = /(?:\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}){6,}/g;
/** What any of the four runs above needs (a cheap test before them). */
const MAY_BE_ENCODED = /[A-Za-z0-9+/_-]{24}|(?:%[0-9a-fA-F]{2}){8}|\\[ux][0-9a-fA-F]{2}/;

function tryUtf8(buf: Buffer): string | undefined {
  const s = buf.toString('utf8');
  return s.includes('\uFFFD') ? undefined : s;
}

/** Encoded payloads in a text that decode to natural-language text (an opaque id or hash does not). */
export function findEncodedText(text: string): DecodedPayload[] {
  const out: DecodedPayload[] = [];
  const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s);
  if (!MAY_BE_ENCODED.test(text)) {
    // no run long enough for base64/hex, no percent or backslash escapes: only invisible carriers are left
    const tags = decodeTagCharacters(text);
    if (tags.trim()) out.push({ encoding: 'tag-characters', raw: '(invisible)', decoded: tags });
    const vs = decodeVariationSelectors(text);
    if (vs.trim() && looksLikeNaturalText(vs)) out.push({ encoding: 'variation-selectors', raw: '(invisible)', decoded: vs });
    return out;
  }
  for (const m of text.matchAll(BASE64_RUN)) {
    const body = m[1]!;
    if (/^[a-z]+$|^[A-Z]+$|^[0-9]+$/.test(body)) continue;
    const std = body.replace(/-/g, '+').replace(/_/g, '/');
    const s = tryUtf8(Buffer.from(std, 'base64'));
    if (s && looksLikeNaturalText(s)) out.push({ encoding: 'base64', raw: clip(m[0]), decoded: s });
  }
  for (const m of text.matchAll(HEX_RUN)) {
    const s = tryUtf8(Buffer.from(m[1]!, 'hex'));
    if (s && looksLikeNaturalText(s)) out.push({ encoding: 'hex', raw: clip(m[0]), decoded: s });
  }
  for (const m of text.matchAll(PERCENT_RUN)) {
    try {
      const s = decodeURIComponent(m[0]);
      if (looksLikeNaturalText(s)) out.push({ encoding: 'percent', raw: clip(m[0]), decoded: s });
    } catch {
      // not valid percent-encoding
    }
  }
  for (const m of text.matchAll(UNICODE_ESCAPE_RUN)) {
    const s = m[0].replace(/\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})/g, (_x, u: string | undefined, x: string | undefined) => String.fromCharCode(parseInt((u ?? x)!, 16)));
    if (looksLikeNaturalText(s)) out.push({ encoding: 'unicode-escape', raw: clip(m[0]), decoded: s });
  }
  const tags = decodeTagCharacters(text);
  if (tags.trim()) out.push({ encoding: 'tag-characters', raw: '(invisible)', decoded: tags });
  const vs = decodeVariationSelectors(text);
  if (vs.trim() && looksLikeNaturalText(vs)) out.push({ encoding: 'variation-selectors', raw: '(invisible)', decoded: vs });
  return out;
}

/**
 * Show a text with invisible characters as `<U+XXXX>` (runs of one class as `<N × class>`), newlines as `⏎`,
 * clipped to about `width` characters around the UTF-16 index `at`.
 */
export function visible(text: string, at = 0, width = 160): string {
  if (isPlainAscii(text)) {
    // one code unit per character, nothing invisible: only line breaks and tabs to show
    const start = Math.max(0, Math.min(at, text.length) - Math.floor(width / 3));
    const end = Math.min(text.length, start + width);
    return finishVisible(text.slice(start, end).replace(/\n/g, '⏎').replace(/[\r\t]/g, ' '), start > 0, end < text.length);
  }
  const cps = Array.from(text);
  // code-point index of `at`
  let cpAt = 0;
  for (let u = 0; cpAt < cps.length && u < at; cpAt++) u += cps[cpAt]!.length;
  const start = Math.max(0, cpAt - Math.floor(width / 3));
  const end = Math.min(cps.length, start + width);
  let out = '';
  for (let i = start; i < end; i++) {
    const ch = cps[i]!;
    const cp = ch.codePointAt(0)!;
    const cls = invisibleClass(cp);
    if (cls && cp !== 0x0a && cp !== 0x0d && cp !== 0x09) {
      let j = i;
      while (j + 1 < end && invisibleClass(cps[j + 1]!.codePointAt(0)!) === cls) j++;
      out += j - i >= 3 ? `<${j - i + 1} × ${cls} ${hex(cp)}…>` : cps.slice(i, j + 1).map((c) => `<${hex(c.codePointAt(0)!)}>`).join('');
      i = j;
    } else if (ch === '\n') out += '⏎';
    else if (ch === '\r' || ch === '\t') out += ' ';
    else out += ch;
  }
  return finishVisible(out, start > 0, end < cps.length);
}

function finishVisible(out: string, cutBefore: boolean, cutAfter: boolean): string {
  const shown = out.replace(/ {3,}/g, (m) => `<${m.length} spaces>`).replace(/(?:⏎ *){3,}/g, (m) => `<${(m.match(/⏎/g) ?? []).length} newlines>`);
  return `${cutBefore ? '…' : ''}${shown}${cutAfter ? '…' : ''}`;
}
