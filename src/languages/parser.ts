/**
 * tree-sitter through its WebAssembly runtime. Grammars are the `.wasm` files shipped inside the
 * grammar npm packages (tree-sitter-typescript, tree-sitter-javascript, tree-sitter-python):
 * nothing is downloaded at run time.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Language as TSLanguage, Parser } from 'web-tree-sitter';
import type { Language } from '../model.js';

const require = createRequire(import.meta.url);

const GRAMMARS: Record<Language, { pkg: string; file: string }> = {
  typescript: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-typescript.wasm' },
  tsx: { pkg: 'tree-sitter-typescript', file: 'tree-sitter-tsx.wasm' },
  javascript: { pkg: 'tree-sitter-javascript', file: 'tree-sitter-javascript.wasm' },
  python: { pkg: 'tree-sitter-python', file: 'tree-sitter-python.wasm' },
};

type WebTreeSitter = typeof import('web-tree-sitter');
/** web-tree-sitter, loaded and initialised the first time it parses (with the native parser built, never). */
let initPromise: Promise<WebTreeSitter> | undefined;
const languages = new Map<Language, Promise<TSLanguage>>();
const parsers = new Map<Language, Parser>();

function grammarPath(lang: Language): string {
  const g = GRAMMARS[lang];
  const pkgJson = require.resolve(`${g.pkg}/package.json`);
  return path.join(path.dirname(pkgJson), g.file);
}

function runtime(): Promise<WebTreeSitter> {
  return (initPromise ??= import('web-tree-sitter').then(async (m) => {
    await m.Parser.init();
    return m;
  }));
}

async function loadLanguage(lang: Language): Promise<TSLanguage> {
  const { Language: TSLanguageClass } = await runtime();
  let p = languages.get(lang);
  if (!p) {
    p = TSLanguageClass.load(grammarPath(lang));
    languages.set(lang, p);
  }
  return p;
}

/** A parser for a language (one per language, reused: parsing is synchronous). */
export async function getParser(lang: Language): Promise<Parser> {
  let parser = parsers.get(lang);
  if (!parser) {
    const language = await loadLanguage(lang);
    parser = new (await runtime()).Parser();
    parser.setLanguage(language);
    parsers.set(lang, parser);
  }
  return parser;
}

export type { Tree } from 'web-tree-sitter';

export interface Point {
  row: number;
  column: number;
}

/**
 * The part of a syntax node the front-ends use: web-tree-sitter's `Node` has it, and so do the native parser's
 * nodes (native.ts). `id` is unique within a tree.
 */
export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly isNamed: boolean;
  readonly hasError: boolean;
  readonly children: readonly (SyntaxNode | null)[];
  readonly namedChildren: readonly (SyntaxNode | null)[];
  childForFieldName(name: string): SyntaxNode | null;
  childrenForFieldName(name: string): (SyntaxNode | null)[];
  descendantsOfType(types: string | string[]): (SyntaxNode | null)[];
}
