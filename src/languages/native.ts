/**
 * The native parser (native/parser.c): tree-sitter's C runtime and grammars built as a Node addon, which
 * returns a file's whole syntax tree in one flat Int32Array. Nodes here are light views over that array with
 * the part of web-tree-sitter's `Node` API the front-ends use (`SyntaxNode` in parser.ts); they are made on
 * demand and kept, so a node has one identity.
 *
 * The addon is optional (scripts/build-native.mjs builds it at install when a C compiler and Node's headers
 * are there): `nativeParser(lang)` is undefined when it is missing, does not have the language, or
 * `MCP_RISK_PARSER=wasm` is set; parser.ts then uses web-tree-sitter.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Language } from '../model.js';
import type { Span } from './ir.js';
import type { Point, SyntaxNode } from './parser.js';

interface Addon {
  stride: number;
  languages(): string[];
  symbols(lang: string): { names: string[]; named: boolean[]; fields: string[] };
  parse(lang: string, text: string): Int32Array | null;
}

// record layout: see native/parser.c
const SYMBOL = 0;
const FIELD = 1;
const START = 2;
const END = 3;
const START_ROW = 4;
const START_COL = 5;
const END_ROW = 6;
const END_COL = 7;
const FLAGS = 8;
const NEXT = 9;
const FLAG_NAMED = 1;
const FLAG_HAS_ERROR = 4;
const FLAG_CHILDREN = 16;

/** Which grammar of the addon serves a language. */
const GRAMMAR: Partial<Record<Language, string>> = { python: 'python', typescript: 'typescript', tsx: 'tsx', javascript: 'javascript' };

let addon: Addon | null | undefined;

function addonPath(): string {
  // build/src/languages/native.js or src/languages/native.ts → <package>/native/build/Release/…
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const p = path.join(dir, 'native', 'build', 'Release', 'mcp_risk_parser.node');
    if (existsSync(p)) return p;
    dir = path.dirname(dir);
  }
  return '';
}

function loadAddon(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.MCP_RISK_PARSER === 'wasm') return addon;
  const p = addonPath();
  if (!p) return addon;
  try {
    const a = createRequire(import.meta.url)(p) as Addon;
    if (a.stride === 10) addon = a;
  } catch {
    addon = null; // built for another Node or platform: the WebAssembly parser serves
  }
  return addon;
}

interface Symbols {
  names: string[];
  fieldIds: Map<string, number>;
}

/** A parsed file: the records and the source text, with node views made on demand. */
export class NativeTree {
  private readonly nodes: (NativeNode | undefined)[];
  readonly count: number;

  constructor(
    readonly data: Int32Array,
    readonly source: string,
    readonly symbols: Symbols,
  ) {
    this.count = data.length / 10;
    this.nodes = new Array(this.count);
  }

  node(i: number): NativeNode {
    let n = this.nodes[i];
    if (!n) {
      n = new NativeNode(this, i);
      this.nodes[i] = n;
    }
    return n;
  }

  get rootNode(): NativeNode {
    return this.node(0);
  }
}

export class NativeNode implements SyntaxNode {
  private kids: readonly NativeNode[] | undefined;
  private namedKids: readonly NativeNode[] | undefined;

  constructor(
    private readonly t: NativeTree,
    readonly id: number,
  ) {}

  private at(k: number): number {
    return this.t.data[this.id * 10 + k]!;
  }

  get type(): string {
    return this.t.symbols.names[this.at(SYMBOL)]!;
  }

  get text(): string {
    return this.t.source.slice(this.at(START), this.at(END));
  }

  get startIndex(): number {
    return this.at(START);
  }

  get endIndex(): number {
    return this.at(END);
  }

  get startPosition(): Point {
    return { row: this.at(START_ROW), column: this.at(START_COL) };
  }

  get endPosition(): Point {
    return { row: this.at(END_ROW), column: this.at(END_COL) };
  }

  /** The IR span (1-based lines and columns) straight from the record. */
  span(): Span {
    const d = this.t.data;
    const o = this.id * 10;
    return { line: d[o + START_ROW]! + 1, col: d[o + START_COL]! + 1, endLine: d[o + END_ROW]! + 1, endCol: d[o + END_COL]! + 1 };
  }

  get isNamed(): boolean {
    return (this.at(FLAGS) & FLAG_NAMED) !== 0;
  }

  get hasError(): boolean {
    return (this.at(FLAGS) & FLAG_HAS_ERROR) !== 0;
  }

  /** The children (made once: callers share the array, typed read-only). */
  get children(): readonly NativeNode[] {
    let k = this.kids;
    if (!k) {
      const out: NativeNode[] = [];
      if (this.at(FLAGS) & FLAG_CHILDREN) {
        const d = this.t.data;
        for (let i = this.id + 1; i !== 0; i = d[i * 10 + NEXT]!) out.push(this.t.node(i));
      }
      k = out;
      this.kids = k;
    }
    return k;
  }

  /** The named children (made once, straight from the records: no views of the anonymous ones). */
  get namedChildren(): readonly NativeNode[] {
    let k = this.namedKids;
    if (!k) {
      const out: NativeNode[] = [];
      if (this.at(FLAGS) & FLAG_CHILDREN) {
        const d = this.t.data;
        for (let i = this.id + 1; i !== 0; i = d[i * 10 + NEXT]!) if (d[i * 10 + FLAGS]! & FLAG_NAMED) out.push(this.t.node(i));
      }
      k = out;
      this.namedKids = k;
    }
    return k;
  }

  childForFieldName(name: string): NativeNode | null {
    const f = this.t.symbols.fieldIds.get(name);
    if (f === undefined || !(this.at(FLAGS) & FLAG_CHILDREN)) return null;
    const d = this.t.data;
    for (let i = this.id + 1; i !== 0; i = d[i * 10 + NEXT]!) if (d[i * 10 + FIELD] === f) return this.t.node(i);
    return null;
  }

  childrenForFieldName(name: string): NativeNode[] {
    const f = this.t.symbols.fieldIds.get(name);
    const out: NativeNode[] = [];
    if (f === undefined || !(this.at(FLAGS) & FLAG_CHILDREN)) return out;
    const d = this.t.data;
    for (let i = this.id + 1; i !== 0; i = d[i * 10 + NEXT]!) if (d[i * 10 + FIELD] === f) out.push(this.t.node(i));
    return out;
  }

  descendantsOfType(types: string | string[]): NativeNode[] {
    const want = new Set(typeof types === 'string' ? [types] : types);
    const out: NativeNode[] = [];
    // the node itself first, then its descendants in order (as web-tree-sitter)
    const stack: NativeNode[] = [this];
    while (stack.length) {
      const n = stack.pop()!;
      if (want.has(n.type)) out.push(n);
      const k = n.children;
      for (let i = k.length - 1; i >= 0; i--) stack.push(k[i]!);
    }
    return out;
  }
}

/** The native addon's file when it loads here (parse threads load it themselves), else undefined. */
export function nativeAddonPath(): string | undefined {
  return loadAddon() ? addonPath() : undefined;
}

/** A grammar of the native addon. */
export interface NativeGrammar {
  /** The addon's name for it. */
  grammar: string;
  /** The addon file (for parse threads, which load it themselves). */
  addonPath: string;
  /** Parse a text on this thread. */
  parse(text: string): NativeTree | null;
  /** Parse a text on this thread and give the bare records (what a parse thread sends), or null. */
  records(text: string): Int32Array | null;
  /** A tree from records made by `parse` elsewhere (a parse thread). */
  tree(data: Int32Array, text: string): NativeTree;
}

const grammars = new Map<Language, NativeGrammar | undefined>();

/** The native parser for a language, or undefined (then web-tree-sitter is used). */
export function nativeParser(lang: Language): NativeGrammar | undefined {
  if (grammars.has(lang)) return grammars.get(lang);
  const grammar = GRAMMAR[lang];
  const a = grammar ? loadAddon() : null;
  let g: NativeGrammar | undefined;
  if (a && grammar && a.languages().includes(grammar)) {
    const s = a.symbols(grammar);
    const symbols: Symbols = { names: s.names, fieldIds: new Map(s.fields.map((f, i): [string, number] => [f, i]).filter(([f, i]) => i > 0 && f !== '')) };
    g = {
      grammar,
      addonPath: addonPath(),
      parse: (text) => {
        const data = a.parse(grammar, text);
        return data ? new NativeTree(data, text, symbols) : null;
      },
      records: (text) => a.parse(grammar, text),
      tree: (data, text) => new NativeTree(data, text, symbols),
    };
  }
  grammars.set(lang, g);
  return g;
}

/** Whether the native parser is in use for a language (for `--version`-like reports and benchmarks). */
export function parserKind(lang: Language): 'native' | 'wasm' {
  return nativeParser(lang) ? 'native' : 'wasm';
}
