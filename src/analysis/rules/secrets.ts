/**
 * Secret detection and redaction (CWE-798): known token formats and high-entropy credentials assigned to
 * credential-like names. Every output goes through `redactSecrets`, so a secret is never printed whole.
 */

export interface TokenFormat {
  name: string;
  re: RegExp;
}

/** Known token formats (prefix-anchored, so false positives are rare). */
export const TOKEN_FORMATS: TokenFormat[] = [
  { name: 'GitHub token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{60,255})\b/g },
  { name: 'AWS access key id', re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g },
  { name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,250}\b/g },
  { name: 'Stripe secret key', re: /\b(?:sk|rk)_live_[0-9A-Za-z]{20,250}\b/g },
  { name: 'Anthropic API key', re: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,250}\b/g },
  { name: 'OpenAI API key', re: /\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b|\bsk-proj-[A-Za-z0-9_-]{40,250}\b/g },
  { name: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { name: 'npm token', re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  { name: 'GitLab token', re: /\bglpat-[A-Za-z0-9_-]{20,}\b/g },
  { name: 'Hugging Face token', re: /\bhf_[A-Za-z0-9]{34,}\b/g },
  { name: 'SendGrid key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g },
  { name: 'private key', re: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP )?PRIVATE KEY(?: BLOCK)?-----/g },
];

/** Any of the token formats (one test before the per-format replacements). */
const ANY_TOKEN = new RegExp(TOKEN_FORMATS.map((f) => `(?:${f.re.source})`).join('|'));

/** Names that hold credentials. */
/** A name that holds a credential (camelCase split: `secretAccessKey` → `secret_Access_Key`). */
export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name.replace(/([a-z0-9])([A-Z])/g, '$1_$2'));
}
export const CREDENTIAL_NAME = /(?:^|[^a-z])(?:api[_-]?key|apikey|secret|token|passw(?:or)?d|pwd|passwd|auth[_-]?key|credential|private[_-]?key|access[_-]?key|client[_-]?secret|bearer)(?:$|[^a-z])/i;
const PLACEHOLDER = /your|xxx|<|>|example|placeholder|changeme|dummy|sample|test|\*\*\*|\.\.\.|\$\{|\{\{|insert|replace|todo|redacted|none|null|undefined|^sk-$/i;

export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A literal assigned to a credential-like name that looks like a real secret. */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length < 16 || value.length > 500) return false;
  if (/\s/.test(value)) return false;
  if (PLACEHOLDER.test(value)) return false;
  if (/^[a-z]+(?:[_-][a-z]+)*$/i.test(value)) return false; // identifiers, env var names
  if (/^(?:https?|file|wss?):\/\//.test(value)) return false;
  if (/^[A-Z0-9_]+$/.test(value) && value.includes('_')) return false; // ENV_VAR_NAME
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  return classes >= 2 && shannonEntropy(value) >= 3.5;
}

export function redactValue(secret: string): string {
  const keep = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, keep)}…[redacted ${secret.length - keep} chars]`;
}

/** Redact every known token and every credential-like quoted literal in a text. */
export function redactSecrets(text: string): string {
  let out = text;
  if (ANY_TOKEN.test(text)) for (const f of TOKEN_FORMATS) out = out.replace(f.re, (m) => (f.name === 'private key' ? m : redactValue(m)));
  // name = "value" / name: 'value'
  out = out.replace(/([A-Za-z_$][\w$-]*)(["']?\s*[:=]\s*)(["'`])([^"'`\n]{16,500})\3/g, (m, name: string, sep: string, q: string, v: string) =>
    isCredentialName(name) && looksLikeSecretValue(v) ? `${name}${sep}${q}${redactValue(v)}${q}` : m,
  );
  return out;
}
