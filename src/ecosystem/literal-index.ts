/**
 * `LiteralIndex`: the literal sets of many pre-filters (prefilter.ts), searched in one pass over a text. Each set
 * is one bit; `scan` gives the bits of the sets one of whose literals the text holds.
 *
 * An Aho-Corasick automaton over ASCII: a trie of the literals with failure links, and a dense transition table
 * over the characters the literals use (any other character leads back to the root). Only the trie's edges and the
 * failure links are made up front (one step per trie state); the other transitions are worked out the first time a
 * scan needs them, from the failure state's, and kept. Making every transition up front visited every state for
 * every character (about 800,000 cells for the metadata patterns), once per process.
 */

/** Sets per automaton: one bit each in a 32-bit mask. */
const PER_AUTOMATON = 31;

export class LiteralIndex {
  private readonly automata: Automaton[] = [];

  constructor(sets: readonly (readonly string[])[]) {
    for (let i = 0; i < sets.length; i += PER_AUTOMATON) this.automata.push(new Automaton(sets.slice(i, i + PER_AUTOMATON)));
  }

  /** Which sets have a literal in `text` (ASCII): set i is present when `present(result, i)`. */
  scan(text: string): number[] {
    return this.automata.map((a) => a.scan(text));
  }

  static present(found: readonly number[], i: number): boolean {
    return ((found[(i / PER_AUTOMATON) | 0]! >>> i % PER_AUTOMATON) & 1) === 1;
  }
}

class Automaton {
  /** Character code (< 128) → alphabet class (0: a character no literal uses). */
  private readonly cls = new Uint8Array(128);
  private readonly width: number;
  /** state * width + class → next state; -1: not worked out yet (never for a trie edge, nor from the root). */
  private readonly next: Int32Array;
  private readonly fail: Int32Array;
  /** Per state, the sets one of whose literals ends there (its own and its failure chain's). */
  private readonly out: Int32Array;

  constructor(sets: readonly (readonly string[])[]) {
    let width = 1;
    let chars = 0;
    for (const set of sets)
      for (const l of set) {
        chars += l.length;
        for (let k = 0; k < l.length; k++) {
          const c = l.charCodeAt(k);
          if (c >= 128) throw new Error(`literal index: ASCII literals only (${JSON.stringify(l)})`);
          if (this.cls[c] === 0) this.cls[c] = width++;
        }
      }
    this.width = width;
    // the trie: at most one state per literal character, plus the root
    const cap = chars + 1;
    const next = new Int32Array(cap * width).fill(-1);
    const out = new Int32Array(cap);
    // children of a state, for the breadth-first pass: first child, next sibling
    const child = new Int32Array(cap).fill(-1);
    const sibling = new Int32Array(cap).fill(-1);
    const via = new Uint8Array(cap);
    let states = 1;
    sets.forEach((set, bit) => {
      for (const l of set) {
        let s = 0;
        for (let k = 0; k < l.length; k++) {
          const c = this.cls[l.charCodeAt(k)]!;
          let t = next[s * width + c]!;
          if (t === -1) {
            t = states++;
            next[s * width + c] = t;
            via[t] = c;
            sibling[t] = child[s]!;
            child[s] = t;
          }
          s = t;
        }
        out[s]! |= 1 << bit;
      }
    });
    // the root's missing edges lead back to it
    for (let c = 0; c < width; c++) if (next[c] === -1) next[c] = 0;
    this.next = next;
    this.out = out;
    this.fail = new Int32Array(states);
    // failure links, breadth first: a state's is reached from its parent's by the same character
    const queue: number[] = [];
    for (let t = child[0]!; t !== -1; t = sibling[t]!) queue.push(t);
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      out[s]! |= out[this.fail[s]!]!;
      for (let t = child[s]!; t !== -1; t = sibling[t]!) {
        this.fail[t] = this.step(this.fail[s]!, via[t]!);
        queue.push(t);
      }
    }
  }

  /** The transition from state s on character class c (worked out from the failure state's, then kept). */
  private step(s: number, c: number): number {
    const i = s * this.width + c;
    let t = this.next[i]!;
    if (t === -1) this.next[i] = t = this.step(this.fail[s]!, c);
    return t;
  }

  scan(text: string): number {
    const { cls, next, out, width } = this;
    let s = 0;
    let found = 0;
    for (let k = 0; k < text.length; k++) {
      const code = text.charCodeAt(k);
      const c = code < 128 ? cls[code]! : 0;
      const t = next[s * width + c]!;
      s = t === -1 ? this.step(s, c) : t;
      found |= out[s]!;
    }
    return found;
  }
}
