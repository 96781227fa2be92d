/**
 * Text order for everything mcp-risk sorts into its output: by UTF-16 code units, as `Array.prototype.sort` does
 * without a comparator. Not `localeCompare`: its order follows the machine's locale (under sv_SE `ä` sorts after
 * `z`, under en_US after `a`), and the same input must give byte-identical reports everywhere. (It also needs ICU's
 * collator, which costs milliseconds to make at first use.)
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
