/**
 * Front-end entry: parse a source file with tree-sitter and lower it to the IR.
 * Never throws on bad input: unreadable, binary or unparsable files come back as problems.
 */
import type { Language } from '../model.js';
import type { IRModule } from './ir.js';
import { nativeParser } from './native.js';
import { getParser, type SyntaxNode } from './parser.js';
import { lowerTypeScript } from './typescript/lower.js';
import { lowerPython } from './python/lower.js';

export interface ParsedFile {
  module?: IRModule;
  text: string;
  problems: string[];
}

export { decodeSource } from './decode.js';

type Lowerer = (root: SyntaxNode, file: string, language: IRModule['language'], lines: number) => IRModule;
const lowerers: Partial<Record<Language, Lowerer>> = {
  typescript: lowerTypeScript,
  tsx: lowerTypeScript,
  javascript: lowerTypeScript,
  python: lowerPython,
};

/** Register a front-end (used by the Python front-end). */
export function registerLowerer(lang: Language, l: Lowerer): void {
  lowerers[lang] = l;
}

/**
 * Parse and lower one file. The native parser (native.ts) is used when it is built and has the language, else
 * web-tree-sitter; `parser: 'wasm'` asks for web-tree-sitter (tests compare the two).
 */
export async function parseSource(file: string, language: Language, text: string, opts: { parser?: 'auto' | 'wasm' } = {}): Promise<ParsedFile> {
  const lower = lowerers[language];
  if (!lower) return { text, problems: [`no front-end for ${language}`] };
  const native = opts.parser === 'wasm' ? undefined : nativeParser(language);
  const wasm = native ? undefined : await getParser(language);
  let tree: { rootNode: SyntaxNode; delete?: () => void } | null;
  try {
    tree = native ? native.parse(text) : wasm!.parse(text);
  } catch (e) {
    return { text, problems: [`parser failed: ${(e as Error).message}`] };
  }
  if (!tree) return { text, problems: ['parser returned no tree'] };
  try {
    return lowerTree(tree.rootNode, lower, file, language, text);
  } finally {
    tree.delete?.(); // web-tree-sitter's trees live in WebAssembly memory
  }
}

/**
 * Lower a file parsed elsewhere (a parse thread, see parse-thread.ts): `records` is what the native parser
 * gave, or the error it threw.
 */
export function lowerRecords(file: string, language: Language, text: string, records: Int32Array | null | Error): ParsedFile {
  const lower = lowerers[language];
  const native = nativeParser(language);
  if (!lower || !native) return { text, problems: [`no front-end for ${language}`] };
  if (records instanceof Error) return { text, problems: [`parser failed: ${records.message}`] };
  if (!records) return { text, problems: ['parser returned no tree'] };
  return lowerTree(native.tree(records, text).rootNode, lower, file, language, text);
}

function lowerTree(root: SyntaxNode, lower: Lowerer, file: string, language: Language, text: string): ParsedFile {
  const problems: string[] = [];
  try {
    const lines = text.length ? text.split('\n').length : 0;
    const module = lower(root, file, language, lines);
    if (root.hasError && !module.problems.length) module.problems.push('syntax errors: parts of the file were skipped');
    problems.push(...module.problems);
    return { module, text, problems };
  } catch (e) {
    const msg = e instanceof RangeError ? 'nesting too deep to analyse' : `lowering failed: ${(e as Error).message}`;
    return { text, problems: [msg] };
  }
}
