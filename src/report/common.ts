/**
 * Helpers shared by the report formats: severity order, CWE names and links.
 */
import type { Severity } from '../model.js';

/** 0 = most severe. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/** True when `s` is at least as severe as `min`. */
export function atLeast(s: Severity, min: Severity | undefined): boolean {
  return min === undefined || SEVERITY_RANK[s] <= SEVERITY_RANK[min];
}

/** The more severe of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

/** Link to the MITRE page of a CWE. */
export function cweUrl(cwe: number): string {
  return `https://cwe.mitre.org/data/definitions/${cwe}.html`;
}

/**
 * Official names (CWE 4.x) of the weaknesses an MCP server scan typically reports, used for
 * SARIF taxa and terminal output. Others fall back to `CWE-<n>`.
 */
const CWE_NAMES: Readonly<Record<number, string>> = {
  20: 'Improper Input Validation',
  22: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
  59: "Improper Link Resolution Before File Access ('Link Following')",
  73: 'External Control of File Name or Path',
  74: "Improper Neutralization of Special Elements in Output Used by a Downstream Component ('Injection')",
  77: "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
  78: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
  79: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
  88: "Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')",
  89: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
  94: "Improper Control of Generation of Code ('Code Injection')",
  95: "Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')",
  117: 'Improper Output Neutralization for Logs',
  200: 'Exposure of Sensitive Information to an Unauthorized Actor',
  209: 'Generation of Error Message Containing Sensitive Information',
  250: 'Execution with Unnecessary Privileges',
  269: 'Improper Privilege Management',
  284: 'Improper Access Control',
  285: 'Improper Authorization',
  287: 'Improper Authentication',
  295: 'Improper Certificate Validation',
  306: 'Missing Authentication for Critical Function',
  312: 'Cleartext Storage of Sensitive Information',
  319: 'Cleartext Transmission of Sensitive Information',
  346: 'Origin Validation Error',
  352: 'Cross-Site Request Forgery (CSRF)',
  400: 'Uncontrolled Resource Consumption',
  434: 'Unrestricted Upload of File with Dangerous Type',
  502: 'Deserialization of Untrusted Data',
  522: 'Insufficiently Protected Credentials',
  532: 'Insertion of Sensitive Information into Log File',
  601: "URL Redirection to Untrusted Site ('Open Redirect')",
  611: 'Improper Restriction of XML External Entity Reference',
  668: 'Exposure of Resource to Wrong Sphere',
  732: 'Incorrect Permission Assignment for Critical Resource',
  770: 'Allocation of Resources Without Limits or Throttling',
  798: 'Use of Hard-coded Credentials',
  829: 'Inclusion of Functionality from Untrusted Control Sphere',
  862: 'Missing Authorization',
  863: 'Incorrect Authorization',
  915: 'Improperly Controlled Modification of Dynamically-Determined Object Attributes',
  918: 'Server-Side Request Forgery (SSRF)',
  943: 'Improper Neutralization of Special Elements in Data Query Logic',
  1188: 'Initialization of a Resource with an Insecure Default',
  1321: "Improperly Controlled Modification of Object Prototype Attributes ('Prototype Pollution')",
  1333: 'Inefficient Regular Expression Complexity',
  1336: 'Improper Neutralization of Special Elements Used in a Template Engine',
  1385: 'Missing Origin Validation in WebSockets',
  1427: 'Improper Neutralization of Input Used for LLM Prompting',
};

/** The official CWE name when known, else undefined. */
export function cweName(cwe: number): string | undefined {
  return Object.prototype.hasOwnProperty.call(CWE_NAMES, cwe) ? CWE_NAMES[cwe] : undefined;
}

/** Integers as is, others with up to `d` decimals (no locale). */
export function num(x: number, d = 2): string {
  if (Number.isInteger(x)) return String(x);
  return String(Math.round(x * 10 ** d) / 10 ** d);
}

/** `1 finding`, `2 findings`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One line (white space folded), cut at `max` characters with an ellipsis. */
export function cut(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1).trimEnd()}…`;
}
