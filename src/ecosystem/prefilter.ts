/**
 * Literal pre-filters for regular expressions (as RE2's prefilter and code search's trigram queries): from a
 * regex's syntax tree, a set of literal strings one of which every match contains. A text that contains none of them
 * cannot match, so the regex need not run; a text that contains one still runs it. The metadata rules run tens of
 * instruction patterns over every description, and almost no description contains what they need.
 *
 * Derivation (info of a node: `exact`, every string it can match when there are few; `need`, an OR-set of literals
 * every match contains):
 * - a character is exact; a class of at most MAX_CLASS characters is exact (one string per character); `.`, `\w`,
 *   `\d`, `\s`, properties, negated classes and back-references give nothing;
 * - assertions (`^`, `$`, `\b`, look-arounds) match the empty string: exact `[""]` (they consume nothing, so
 *   ignoring what a look-around looks for only weakens the filter);
 * - a sequence joins the exact sets of its consecutive parts while the product stays small; where it breaks, the
 *   joined run so far and each part's `need` are candidates, and the best one (longest shortest literal) is kept;
 * - an alternation: the union of its branches' exact sets, or of their needs (nothing if a branch needs nothing);
 * - `x?`, `x*`, `x{0,n}` need nothing (exact `["", …x]` for `x?`); `x+`, `x{n,m}` with n ≥ 1 need what x needs.
 * Under the `i` flag literals are lower-cased and compared with the lower-cased text. Filters are only made of
 * ASCII literals and only used on ASCII text, so Unicode case folding (`ſ` and `s` under /iu) is out of the
 * picture: a regex with another literal gets no filter, and any other text runs the regex. `mayMatch` is false only when the regex cannot match (tests check it against every pattern and fixture).
 *
 * Checking hundreds of literals one `includes` at a time costs more than the regexes; `LiteralIndex`
 * (literal-index.ts) looks for the literals of many filters at once, in one pass over the text.
 *
 * This derivation runs when the table data/instruction-literals.json is made (`npm run gen:literals`, see
 * scripts/instruction-literals.ts) and in tests, which check the table against it; the metadata rules read the
 * table, so that regexpp and the derivation (tens of milliseconds at each start) are not on their path.
 */
import { parseRegExpLiteral } from '@eslint-community/regexpp';
import type { Alternative, Element, Node } from '@eslint-community/regexpp/ast';

/** Exact sets larger than this are given up for a need. */
const MAX_EXACT = 64;
/** Classes with more characters than this give nothing. */
const MAX_CLASS = 8;
/** A filter whose shortest literal is shorter than this is not worth its `includes` calls. */
const MIN_USEFUL = 3;

interface Info {
  exact?: string[];
  need?: string[];
}

const NOTHING: Info = {};
const EMPTY: Info = { exact: [''] };

function needOf(i: Info): string[] | undefined {
  if (i.need) return i.need;
  if (i.exact && !i.exact.includes('')) return i.exact;
  return undefined;
}

/** The more selective of two needs: the longer shortest literal, then fewer literals. */
function better(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  if (!a) return b;
  if (!b) return a;
  const la = Math.min(...a.map((s) => s.length));
  const lb = Math.min(...b.map((s) => s.length));
  if (la !== lb) return la > lb ? a : b;
  return a.length <= b.length ? a : b;
}

function cross(a: string[], b: string[]): string[] {
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return [...out];
}

function union(sets: string[][]): string[] {
  return [...new Set(sets.flat())];
}

class Deriver {
  constructor(private readonly ignoreCase: boolean) {}

  private char(cp: number): string {
    const c = String.fromCodePoint(cp);
    return this.ignoreCase ? c.toLowerCase() : c;
  }

  sequence(elements: readonly Element[]): Info {
    let run: string[] | undefined = [''];
    let best: string[] | undefined;
    let broken = false;
    for (const el of elements) {
      const x = this.node(el);
      if (run && x.exact && run.length * x.exact.length <= MAX_EXACT) {
        run = cross(run, x.exact);
        continue;
      }
      // the run ends here: it and this part are candidates; a new run starts with this part's exact set, if any
      broken = true;
      best = better(best, run && !run.includes('') ? run : undefined);
      best = better(best, needOf(x));
      run = x.exact ? [...x.exact] : [''];
    }
    if (!broken) return { exact: run };
    best = better(best, run && !run.includes('') ? run : undefined);
    return best ? { need: best } : NOTHING;
  }

  alternation(alternatives: readonly Alternative[]): Info {
    const infos = alternatives.map((a) => this.sequence(a.elements));
    if (infos.every((i) => i.exact)) {
      const all = union(infos.map((i) => i.exact!));
      if (all.length <= MAX_EXACT) return { exact: all };
    }
    const needs = infos.map(needOf);
    if (needs.every((n): n is string[] => !!n)) return { need: union(needs) };
    return NOTHING;
  }

  node(n: Node): Info {
    switch (n.type) {
      case 'Character':
        return { exact: [this.char(n.value)] };
      case 'CharacterClass': {
        if (n.negate || n.unicodeSets) return NOTHING;
        const chars = new Set<string>();
        for (const e of n.elements) {
          if (e.type === 'Character') chars.add(this.char(e.value));
          else if (e.type === 'CharacterClassRange') {
            if (e.max.value - e.min.value >= MAX_CLASS) return NOTHING;
            for (let c = e.min.value; c <= e.max.value; c++) chars.add(this.char(c));
          } else return NOTHING;
          if (chars.size > MAX_CLASS) return NOTHING;
        }
        return chars.size ? { exact: [...chars] } : NOTHING;
      }
      case 'Assertion':
        return EMPTY;
      case 'Group':
      case 'CapturingGroup':
        return this.alternation(n.alternatives);
      case 'Quantifier': {
        const x = this.node(n.element);
        if (n.min === 0) return n.max === 1 && x.exact && x.exact.length < MAX_EXACT ? { exact: union([[''], x.exact]) } : NOTHING;
        if (n.min === 1 && n.max === 1) return x;
        const need = needOf(x);
        return need ? { need } : NOTHING;
      }
      default:
        // any character, escapes (\w \d \s), properties, back-references, v-flag expressions
        return NOTHING;
    }
  }
}

export interface Prefilter {
  /** The literals (lower-cased under `i`): a match contains one of them. */
  readonly literals: readonly string[];
  /** False only when `re` cannot match `text` (one `includes` per literal: `LiteralIndex` checks many filters at once). */
  mayMatch(text: string): boolean;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The literal pre-filter of a regex, or undefined when it has none worth using (or cannot be read). */
export function prefilterOf(re: RegExp): Prefilter | undefined {
  let info: Info;
  try {
    const ast = parseRegExpLiteral(re);
    info = new Deriver(re.ignoreCase).alternation(ast.pattern.alternatives);
  } catch {
    return undefined;
  }
  const found = needOf(info);
  if (!found || Math.min(...found.map((s) => s.length)) < MIN_USEFUL) return undefined;
  // literals beyond ASCII are not filtered on (LiteralIndex reads ASCII; under /iu, `ſ` folds to `s`, which
  // lower-casing does not give)
  if (found.some((l) => NON_ASCII.test(l))) return undefined;
  // a literal that contains another of the set adds nothing to the OR
  const literals = found.filter((s) => !found.some((t) => t !== s && s.includes(t)));
  const ignoreCase = re.ignoreCase;
  const any = (t: string): boolean => {
    for (const l of literals) if (t.includes(l)) return true;
    return false;
  };
  return {
    literals,
    mayMatch: (text) => NON_ASCII.test(text) || any(ignoreCase ? text.toLowerCase() : text),
  };
}
