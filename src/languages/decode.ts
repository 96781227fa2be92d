/** Source bytes → text (no parser here: the parse thread loads this without the front-ends). */

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Decode bytes as UTF-8, replacing invalid sequences (U+FFFD) instead of failing. */
export function decodeSource(buf: Buffer): { text: string; invalid: boolean } {
  const text = utf8.decode(buf);
  return { text, invalid: text.includes('\uFFFD') };
}
