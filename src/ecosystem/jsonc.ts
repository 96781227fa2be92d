/**
 * JSON with comments and trailing commas (VS Code settings, Gemini settings), parsed with positions kept:
 * comments and trailing commas are blanked out (same length, newlines kept), so a syntax error points at
 * the right line and column of the original file.
 */

export class JsoncError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'JsoncError';
  }
}

/** Blank out comments and trailing commas outside strings. */
export function stripJsonc(text: string): string {
  const out = text.split('');
  let i = 0;
  const n = text.length;
  let lastSignificant = -1; // index of the last non-space character kept
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\') i++;
        if (text[i] === '\n') break; // unterminated: let JSON.parse report it
        i++;
      }
      i++;
      lastSignificant = Math.min(i, n) - 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') out[i++] = ' ';
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      out[i++] = ' ';
      out[i++] = ' ';
      while (i < n && !(text[i] === '*' && text[i + 1] === '/')) {
        if (text[i] !== '\n' && text[i] !== '\r') out[i] = ' ';
        i++;
      }
      if (i < n) {
        out[i++] = ' ';
        out[i++] = ' ';
      }
      continue;
    }
    if ((c === '}' || c === ']') && lastSignificant >= 0 && out[lastSignificant] === ',') out[lastSignificant] = ' ';
    if (!/\s/.test(c)) lastSignificant = i;
    i++;
  }
  return out.join('');
}

function lineCol(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let col = 1;
  for (let k = 0; k < pos && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** Parse JSONC; a syntax error becomes a JsoncError with line and column. */
export function parseJsonc(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) throw new JsoncError('the file is empty', 1, 1);
  const stripped = stripJsonc(body);
  try {
    return JSON.parse(stripped);
  } catch (e) {
    const msg = (e as Error).message;
    const m = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const where = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : m ? lineCol(stripped, Number(m[1])) : /end of JSON input/.test(msg) ? lineCol(stripped, stripped.length) : { line: 1, column: 1 };
    const clean = msg.replace(/\s*in JSON at position \d+(?: \(line \d+ column \d+\))?/, '').replace(/^JSON\.parse: /, '');
    throw new JsoncError(`invalid JSON: ${clean}`, where.line, where.column);
  }
}
