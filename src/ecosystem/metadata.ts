/**
 * Tool metadata analysis: the names, titles, descriptions and input schemas of tools, resources and prompts
 * (and a server's `instructions`) are text handed to the model. Poisoned metadata steers the model — hide
 * actions from the user, read files or secrets, put the conversation into a parameter, change how other
 * tools behave (shadowing) — or hides text from the human who reviews it (invisible Unicode, homoglyphs,
 * padding, encoded payloads).
 *
 * `analyzeMetadata(surface | live listing)` runs every rule of `METADATA_RULES` (each a signal with its
 * metadata, like src/analysis/rules) and returns findings graded by CWE: 1427 (text used to prompt an LLM),
 * 200 (asks for data beyond the tool's purpose), 451 (UI misrepresentation: hidden text), 1007 (homoglyphs).
 * Matching runs on a normalised view (homoglyphs folded, invisible characters removed, lower case) and on
 * every hidden payload decoded from the text (tag characters, base64, hex …), so evasions do not hide
 * an instruction. Precision matters: the official reference servers must stay clean (see test/ecosystem).
 */
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../analysis/findings.js';
import type { Finding, Location, PrimitiveKind, RuleMeta, Severity, Confidence, Surface } from '../model.js';
import { redactSecrets } from '../analysis/rules/secrets.js';
import {
  findEncodedText,
  findInvisible,
  isPlainAscii,
  hex,
  invisibleClass,
  invisibleClassText,
  isConfusableLetter,
  normalizeForMatch,
  scriptOf,
  skeleton,
  visible,
  type DecodedPayload,
  type InvisibleClass,
} from './text.js';
import { isLiveListing, isSurface, type LiveListing } from './types.js';
import { packagedDataFile } from '../data-files.js';
import { LiteralIndex } from './literal-index.js';

// ------------------------------------------------------------------ input model

export interface MetaParam {
  name: string;
  description?: string;
  title?: string;
  enum?: string[];
  default?: string;
}

/** One definition whose text reaches the model. `server` = the server's own instructions. */
export interface MetaDef {
  kind: 'tool' | 'resource' | 'prompt' | 'server';
  name: string;
  title?: string;
  description?: string;
  uri?: string;
  params: MetaParam[];
  /** Other strings of a live schema (nested descriptions, defaults, examples): [where, text]. */
  extra?: { field: string; text: string }[];
  location: Location;
  /** The snippet to show (static: the registration line is not useful, the text is). */
}

export interface MetadataInput {
  origin: 'static' | 'live';
  /** Label of the server (for messages). */
  server?: string;
  defs: MetaDef[];
}

export interface MetadataOptions {
  /** Tool names of the other servers of the same host (name → server), for shadowing. */
  otherTools?: ReadonlyMap<string, string>;
  /** Rules to run (default: all). */
  rules?: readonly MetadataRule[];
}

/** Definitions of a statically extracted surface. */
export function defsFromSurface(surface: Surface): MetadataInput {
  const defs: MetaDef[] = [];
  for (const p of [...surface.tools, ...surface.resources, ...surface.prompts]) {
    defs.push({
      kind: p.kind,
      name: p.name,
      title: p.title,
      description: p.description,
      uri: p.uri,
      params: p.params.map((x) => ({ name: x.name, description: x.description, enum: x.enum })),
      location: p.location,
    });
  }
  return { origin: 'static', defs };
}

/** Parameters and every other string of a JSON schema. */
function schemaText(schema: unknown, prefix: string): { params: MetaParam[]; extra: { field: string; text: string }[] } {
  const params: MetaParam[] = [];
  const extra: { field: string; text: string }[] = [];
  if (typeof schema !== 'object' || schema === null) return { params, extra };
  const props = (schema as { properties?: unknown }).properties;
  const topLevel = new Set<unknown>();
  if (typeof props === 'object' && props !== null) {
    for (const [name, v] of Object.entries(props as Record<string, unknown>)) {
      const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
      topLevel.add(o);
      params.push({
        name,
        description: typeof o.description === 'string' ? o.description : undefined,
        title: typeof o.title === 'string' ? o.title : undefined,
        enum: Array.isArray(o.enum) ? o.enum.filter((e): e is string => typeof e === 'string') : undefined,
        default: typeof o.default === 'string' ? o.default : undefined,
      });
    }
  }
  // every other string (nested properties, items, examples, $defs), bounded
  let budget = 2000;
  const walk = (x: unknown, at: string, depth: number): void => {
    if (budget <= 0 || depth > 12) return;
    if (typeof x === 'string') {
      budget--;
      extra.push({ field: at, text: x });
      return;
    }
    if (Array.isArray(x)) {
      x.forEach((e, i) => walk(e, `${at}[${i}]`, depth + 1));
      return;
    }
    if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x as Record<string, unknown>)) {
        // top-level parameter fields are covered as params; keys of nested properties are names the model reads
        if (topLevel.has(x) && (k === 'description' || k === 'title' || k === 'enum' || k === 'default')) continue;
        if (k === 'type' || k === '$schema' || k === '$ref' || k === 'format' || k === 'pattern') continue;
        if (at.endsWith('.properties') && at !== `${prefix}.properties`) extra.push({ field: `${at}.${k} (name)`, text: k });
        walk(v, `${at}.${k}`, depth + 1);
      }
    }
  };
  walk(schema, prefix, 0);
  return { params, extra };
}

/** Definitions of a live listing (tools/list, resources/list, prompts/list, initialize instructions). */
export function defsFromListing(listing: LiveListing): MetadataInput {
  const defs: MetaDef[] = [];
  const at = (what: string, i: number): Location => ({ file: `live:${what}`, line: i + 1, column: 1 });
  if (listing.instructions) defs.push({ kind: 'server', name: listing.serverInfo?.name ?? listing.server, description: listing.instructions, params: [], location: at('initialize', 0) });
  listing.tools.forEach((t, i) => {
    const input = schemaText(t.inputSchema, 'inputSchema');
    const output = schemaText(t.outputSchema, 'outputSchema');
    const ann = typeof t.annotations === 'object' && t.annotations !== null ? (t.annotations as { title?: unknown }) : {};
    const extra = [...input.extra, ...output.extra, ...output.params.flatMap((p) => (p.description ? [{ field: `outputSchema.properties.${p.name}.description`, text: p.description }] : []))];
    if (typeof ann.title === 'string') extra.push({ field: 'annotations.title', text: ann.title });
    defs.push({ kind: 'tool', name: String(t.name), title: t.title, description: t.description, params: input.params, extra, location: at('tools/list', i) });
  });
  [...listing.resources, ...listing.resourceTemplates].forEach((r, i) =>
    defs.push({ kind: 'resource', name: String(r.name), title: r.title, description: r.description, uri: r.uri ?? r.uriTemplate, params: [], location: at('resources/list', i) }),
  );
  listing.prompts.forEach((p, i) =>
    defs.push({
      kind: 'prompt',
      name: String(p.name),
      title: p.title,
      description: p.description,
      params: (p.arguments ?? []).map((a) => ({ name: String(a.name), description: a.description })),
      location: at('prompts/list', i),
    }),
  );
  return { origin: 'live', server: listing.server, defs };
}

// ------------------------------------------------------------------ text fields and views

export interface TextField {
  def: MetaDef;
  /** Human label: `description`, `parameter \`path\` description`, `name`, `inputSchema.properties.x.default`. */
  field: string;
  /** Identifier fields (names) are checked for homoglyphs; prose fields for instructions. */
  role: 'name' | 'prose' | 'uri';
  /** The text (its first MAX_ANALYSED characters). */
  text: string;
  /** Length of the whole text. */
  length: number;
  /** Normalised text to match instructions on (lower case, homoglyphs folded, invisible removed). */
  norm: string;
  /** Hidden payloads decoded from the text, normalised. */
  decoded: (DecodedPayload & { norm: string })[];
}

/** Characters of one text that are analysed (a poisoned description is far shorter; longer ones are reported as oversized). */
export const MAX_ANALYSED = 100_000;

export function fieldsOf(def: MetaDef): TextField[] {
  const out: TextField[] = [];
  const add = (field: string, role: TextField['role'], text: string | undefined) => {
    if (text === undefined || text === '') return;
    // instructions are looked for in the first MAX_ANALYSED characters (longer text is itself reported)
    const full = String(text);
    const t = full.length > MAX_ANALYSED ? full.slice(0, MAX_ANALYSED) : full;
    const norm = normalizeForMatch(role === 'name' ? splitIdentifier(t) : t);
    const decoded = role === 'prose' ? findEncodedText(t).map((d) => ({ ...d, norm: normalizeForMatch(d.decoded) })) : findEncodedText(t).filter((d) => d.encoding === 'tag-characters' || d.encoding === 'variation-selectors').map((d) => ({ ...d, norm: normalizeForMatch(d.decoded) }));
    out.push({ def, field, role, text: t, length: full.length, norm, decoded });
  };
  add('name', 'name', def.kind === 'server' ? undefined : def.name);
  add('title', 'prose', def.title);
  add(def.kind === 'server' ? 'instructions' : 'description', 'prose', def.description);
  add('uri', 'uri', def.uri);
  for (const p of def.params) {
    add(`parameter \`${safeName(p.name)}\` name`, 'name', p.name);
    add(`parameter \`${safeName(p.name)}\` title`, 'prose', p.title);
    add(`parameter \`${safeName(p.name)}\` description`, 'prose', p.description);
    add(`parameter \`${safeName(p.name)}\` default`, 'prose', p.default);
    (p.enum ?? []).slice(0, 200).forEach((e) => add(`parameter \`${safeName(p.name)}\` enum value`, 'prose', e));
  }
  for (const x of def.extra ?? []) add(x.field, x.field.endsWith('(name)') ? 'name' : 'prose', x.text);
  return out;
}

/** `content_from_reading_ssh_id_rsa` / `readFileContents` → words, so name-borne instructions are matched too. */
function splitIdentifier(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ');
}

function safeName(s: string): string {
  return visible(s, 0, 60);
}

// ------------------------------------------------------------------ rules

export interface MetadataContext {
  input: MetadataInput;
  fields: TextField[];
  /** Lower-cased names of this server's tools/resources/prompts (siblings are not shadowing). */
  siblings: Set<string>;
  otherTools?: ReadonlyMap<string, string>;
}

export interface MetadataRule extends RuleMeta {
  check(ctx: MetadataContext): Finding[];
}

interface Hit {
  field: TextField;
  /** What was found, for the message. */
  what: string;
  /** Excerpt of the text around the match (invisible characters shown). */
  excerpt: string;
  severity: Severity;
  confidence: Confidence;
  /** Found in a decoded payload (encoding name). */
  decodedFrom?: string;
  /** Where the match starts in the normalised text. */
  index?: number;
}

const SEV_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const CONF_RANK: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };

function primitiveOf(def: MetaDef): { kind: PrimitiveKind; name?: string } {
  return def.kind === 'server' ? { kind: 'protocol' } : { kind: def.kind, name: def.name };
}

function kindLabel(def: MetaDef): string {
  return def.kind === 'server' ? 'the server instructions' : `${def.kind} \`${safeName(def.name)}\``;
}

/** One finding per rule and definition, listing its evidence. */
function findingsFromHits(rule: MetadataRule, ctx: MetadataContext, hits: Hit[], summary: (h: Hit, def: MetaDef) => string): Finding[] {
  const byDef = new Map<MetaDef, Hit[]>();
  for (const h of hits) {
    const l = byDef.get(h.field.def) ?? [];
    l.push(h);
    byDef.set(h.field.def, l);
  }
  const out: Finding[] = [];
  for (const [def, hs] of byDef) {
    // de-duplicate identical evidence (same field, same what)
    const seen = new Set<string>();
    const uniq = hs.filter((h) => {
      const k = `${h.field.field}|${h.what}|${h.decodedFrom ?? ''}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    uniq.sort((a, b) => SEV_RANK[b.severity] - SEV_RANK[a.severity] || CONF_RANK[b.confidence] - CONF_RANK[a.confidence]);
    const top = uniq[0]!;
    const severity = top.severity;
    const confidence = uniq.reduce<Confidence>((c, h) => (CONF_RANK[h.confidence] > CONF_RANK[c] ? h.confidence : c), 'low');
    const message = redactSecrets(summary(top, def));
    const notes = uniq.slice(0, 6).map((h) => redactSecrets(`${h.field.field}${h.decodedFrom ? ` (hidden ${h.decodedFrom} text)` : ''}: ${h.what} — “${h.excerpt}”`));
    if (uniq.length > 6) notes.push(`… and ${uniq.length - 6} more.`);
    const tags = ['metadata', ...(ctx.input.origin === 'live' ? ['live'] : []), ...(uniq.some((h) => h.decodedFrom) ? ['hidden-payload'] : [])];
    const location = def.location;
    out.push({
      id: metaId(rule.id, location, def, notes.join('|')),
      ruleId: rule.id,
      title: rule.title,
      cwe: rule.cwe,
      severity,
      confidence,
      message,
      fix: rule.fix,
      location,
      snippet: redactSecrets(top.excerpt),
      primitive: primitiveOf(def),
      tags,
      notes,
    });
  }
  return out;
}

function metaId(ruleId: string, loc: Location, def: MetaDef, extra: string): string {
  return sha256Hex(`${ruleId}|${loc.file}:${loc.line}:${loc.column}|${def.kind}:${def.name}|${extra}`).slice(0, 16);
}

interface Pattern {
  re: RegExp;
  what: string;
  severity: Severity;
  confidence: Confidence;
}

/** Per text view (a field, or one of its decoded payloads): which filters' literals it holds (null: not ASCII, unfiltered). */
const literalsFound = new WeakMap<object, number[] | null>();

let filters: { index: LiteralIndex; slot: Map<Pattern, number> } | undefined;
/**
 * The instruction patterns' literal pre-filters (src/ecosystem/prefilter.ts), searched in one pass per text. They
 * come from the table data/instruction-literals.json, made by `npm run gen:literals` (tests check it against the
 * patterns); a pattern the table lacks (or one without a filter) runs on every text.
 */
function literalFilters(): { index: LiteralIndex; slot: Map<Pattern, number> } {
  if (!filters) {
    const table = instructionLiterals();
    const slot = new Map<Pattern, number>();
    const sets: (readonly string[])[] = [];
    for (const p of patternLists().flat()) {
      const literals = table.get(String(p.re));
      if (literals && !slot.has(p)) {
        slot.set(p, sets.length);
        sets.push(literals);
      }
    }
    filters = { index: new LiteralIndex(sets), slot };
  }
  return filters;
}

/** @internal The table of data/instruction-literals.json: a pattern (`/source/flags`) → its filter's literals (null: none). */
export interface InstructionLiterals {
  note: string;
  patterns: { pattern: string; literals: string[] | null }[];
}

/** The pre-filter literals per pattern, from the packaged table (empty when it is missing or unreadable). */
function instructionLiterals(): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  const f = packagedDataFile('instruction-literals.json');
  if (!f) return out;
  try {
    const doc = JSON.parse(readFileSync(f, 'utf8')) as InstructionLiterals;
    for (const p of doc.patterns) if (p.literals?.length) out.set(p.pattern, p.literals);
  } catch {
    // an unreadable table only costs time: every pattern then runs on every text
  }
  return out;
}

/** Run patterns over the prose views (normalised text, then every decoded payload) of all fields. */
function matchPatterns(ctx: MetadataContext, patterns: Pattern[], opts: { roles?: TextField['role'][]; fieldFilter?: (f: TextField) => boolean } = {}): Hit[] {
  const roles = opts.roles ?? ['prose'];
  const hits: Hit[] = [];
  for (const f of ctx.fields) {
    if (!roles.includes(f.role)) continue;
    if (opts.fieldFilter && !opts.fieldFilter(f)) continue;
    const views: { norm: string; decodedFrom?: string; of: object }[] = [{ norm: f.norm, of: f }, ...f.decoded.map((d) => ({ norm: d.norm, decodedFrom: d.encoding, of: d }))];
    const { index, slot } = literalFilters();
    for (const v of views) {
      // normalised text is lower-case; when it is ASCII too, a pattern none of whose literals it holds cannot match
      let found = literalsFound.get(v.of);
      if (found === undefined) literalsFound.set(v.of, (found = isPlainAscii(v.norm) ? index.scan(v.norm) : null));
      for (const p of patterns) {
        const i = slot.get(p);
        if (found && i !== undefined && !LiteralIndex.present(found, i)) continue;
        p.re.lastIndex = 0;
        const m = p.re.exec(v.norm);
        if (m) hits.push({ field: f, what: p.what, excerpt: visible(v.norm, m.index, 180), severity: p.severity, confidence: p.confidence, decodedFrom: v.decodedFrom, index: m.index });
      }
    }
  }
  return hits;
}

// Building blocks (all on normalised, lower-case text; newlines kept as sentence breaks).
const GAP = (n: number) => `(?:[\\w'\`"~./-]+ ){0,${n}}?`;
/** An imperative aimed at the model: sentence start, after a comma/colon, or after please/first/must/you should …. */
const LEAD = `(?:^|[.!?;:,(\\n>\\]]\\s*|\\b(?:please|kindly|first|then|also|and|now|immediately|always|must|should|you (?:must|should|need to|have to|will|are to|are required to|shall)|make sure to|be sure to|remember to|don't forget to|do not forget to)\\s+)(?:(?:also|always|then|first|just|simply|silently|quietly|secretly|discreetly|automatically|immediately) )*`;
const SENSITIVE_FILE =
  "(?:~/|\\$home/|%userprofile%[\\\\/]|/home/[\\w.-]+/|/users/[\\w.-]+/|/root/)?\\.ssh\\b|\\bid_(?:rsa|dsa|ecdsa|ed25519)\\b|\\bid (?:rsa|dsa|ecdsa|ed25519)\\b|\\bauthorized_keys\\b|\\.aws/(?:credentials|config)\\b|\\baws credentials\\b|\\.npmrc\\b|\\.pypirc\\b|\\.netrc\\b|\\.git-credentials\\b|\\.docker/config\\.json\\b|\\.kube/config\\b|/etc/(?:passwd|shadow|sudoers)\\b|(?:^|[\\s'\"`(/~])\\.env(?:\\.local|\\.production|\\.development)?(?![\\w-])|\\bmcp\\.json\\b|\\bmcp json\\b|\\bclaude_desktop_config\\.json\\b|\\.cursor/|\\.claude(?:\\.json|/)|\\.gnupg\\b|\\bwallet\\.dat\\b|\\bkeychain\\b|\\blogin data\\b|\\bcookies\\.sqlite\\b|\\.bash_history\\b|\\.zsh_history\\b|application_default_credentials\\.json|\\bcredentials\\.json\\b|\\bservice[-_ ]account[\\w-]*\\.json\\b";
const READ_VERBS = '(?:read|open|cat|load|include|attach|append|pass|send|provide|copy|paste|extract|collect|gather|retrieve|fetch|get|dump|print|upload|forward|output|share|add|put|insert|embed|leak|exfiltrate|access)';
const TRANSFER_VERBS = '(?:pass|send|include|put|add|append|attach|provide|insert|embed|copy|paste|forward|upload|post|write|fill|set|supply|give|enter|submit|report|transmit|share|summari[sz]e|dump|list|output|leak|exfiltrate)';
const CONVERSATION =
  "(?:(?:your|our|this|the current) (?:\\w+ )?(?:conversation|chat|dialog(?:ue)?) (?:history|log|so far|transcript|context|with the user)|(?:the )?(?:entire|whole|full|complete) (?:\\w+ )?(?:conversation|chat|dialog(?:ue)?)(?: history| log| transcript)? (?:so far|with the user|until now|up to (?:now|this point)|including)|(?:conversation|chat) so far|(?:conversation|chat|dialog(?:ue)?) (?:history|transcript|log) (?:with|from) the user|(?:all |the )?(?:previous|prior|preceding|earlier|past) (?:user )?(?:messages|prompts|turns|exchanges) (?:of|in|from) (?:this|the|our|your) (?:conversation|chat|session)|(?:everything|anything|all) (?:that )?the user (?:has )?(?:said|wrote|written|typed|asked|shared)|the user'?s (?:previous |prior |earlier |other |private )?(?:messages|prompts|requests|conversation|chat history)|your (?:system|developer) (?:prompt|message|instructions)|the (?:system|developer) (?:prompt|message|instructions) (?:you (?:were|are|have been) given|of this (?:conversation|session|chat|assistant)|you (?:follow|received))|(?:your|the) (?:original|initial|hidden|internal) (?:instructions|prompt|guidelines)|(?:the )?instructions you (?:were|have been|are) given|(?:your|the) context window|(?:all|the) (?:other )?tools (?:you have|available to you|you can (?:use|call|access))|(?:other|all) (?:tools|servers) (?:you have|available|installed|connected|configured))";
const SECRET_WORDS =
  '(?:api[ _-]?keys?|access[ _-]?tokens?|auth(?:entication)?[ _-]?tokens?|bearer tokens?|secret[ _-]?keys?|secrets|passwords?|credentials|private[ _-]?keys?|session[ _-]?(?:cookies?|tokens?)|(?:github|api|oauth|refresh|personal access|npm|aws) tokens?|seed phrases?|mnemonic (?:phrases?|words)|recovery phrases?|ssh (?:private )?keys?|environment variables|env vars)';
/** Credentials the model could reach (seen in context, on the machine) — not “your API key for this service”. */
const SECRETS_IN_REACH = `(?:${SECRET_WORDS} (?:that )?(?:you|the model|the assistant|the agent) (?:have|has|know|knows|can see|can find|have seen|saw|found|remember|can access|have access to)|${SECRET_WORDS} (?:from|in|stored in|found in|within|of) (?:the |your |any |all |this )?(?:conversation|context|chat|memory|other (?:tools|servers)|previous (?:messages|tool (?:calls|results|outputs))|tool (?:results|outputs)|\\.env|env files?|config(?:uration)? files?|home directory|user'?s (?:machine|computer|system))|(?:all|any|every) (?:available |stored |local |other )?${SECRET_WORDS} (?:you can (?:find|see|access)|available to you|on (?:the|this) (?:system|machine|computer)|in (?:the )?(?:environment|system|conversation|context)))`;
/** As above, or the user's own credentials (in an instruction to the model). */
const SECRETS = `(?:the user'?s (?:\\w+ ){0,2}?${SECRET_WORDS}|${SECRETS_IN_REACH})`;

// ------------------------------------------------------------------ 1427: conceal from the user

const CONCEAL: Pattern[] = [
  {
    re: new RegExp(`\\b(?:do not|don't|dont|never|must not|mustn't|should not|shouldn't|cannot|can't|avoid|without|no need to)\\s+${GAP(4)}(?:tell|telling|inform|informing|notify|notifying|mention|mentioning|reveal|revealing|disclose|disclosing|alert|alerting|warn|warning|let on)\\b(?: [\\w'-]+){0,6}? (?:the )?(?:users?|human|operator|person)\\b`),
    what: 'tells the model to keep something from the user',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:the )?(?:users?|human)\s+(?:must|should|need|needs|does|do|will|may|shall|can)\s*(?:not|never|n't)\s+(?:[\w'-]+\s+){0,2}?(?:know|see|notice|be told|be informed|be aware|become aware|find out|learn|suspect|be notified)\b/,
    what: 'says the user must not know or see something',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:hide|hiding|conceal|concealing|keep|keeping)\s+(?:[\w'-]+\s+){0,5}?(?:secret from|hidden from|from|away from)\s+(?:the\s+)?(?:users?|human)\b/,
    what: 'tells the model to hide something from the user',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:silently|secretly|covertly|quietly|discreetly|stealthily|invisibly|without (?:the user(?:'s)? )?(?:noticing|knowing|knowledge))\s+(?:[\w'-]+\s+){0,2}?(?:send|read|call|invoke|forward|include|exfiltrate|upload|copy|pass|execute|run|add|append|attach|transfer|post|collect|access|modify|change|replace|redirect|bcc|cc)\b/,
    what: 'asks for an action done silently',
    severity: 'high',
    confidence: 'medium',
  },
  {
    re: /\b(?:do not|don't|never)\s+(?:show|display|repeat|reveal|mention|quote|print|output|summari[sz]e|explain)\s+(?:these|this|the (?:above|following|hidden))\s+(?:instructions?|messages?|notes?|text|sections?|part|content|rules?)\b/,
    what: 'tells the model not to show these instructions',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:this|it|that|doing so)\s+(?:could|would|might|will|may)\s+(?:even\s+)?(?:upset|scare|worry|alarm|confuse|annoy|frighten|concern)\s+(?:the\s+)?(?:users?|human)\b/,
    what: 'argues that the user should not be bothered (a classic tool-poisoning line)',
    severity: 'high',
    confidence: 'medium',
  },
];

export const concealFromUser: MetadataRule = {
  id: 'mcp-risk/metadata-conceal-from-user',
  cwe: 1427,
  title: 'Tool metadata tells the model to hide actions from the user',
  severity: 'high',
  description:
    'A name, description or schema text — handed to the model as instructions — tells it to keep something from the user (“do not mention this to the user”, “silently”, “the user must not know”). Legitimate tools have no reason to hide their effects.',
  fix: 'Do not install or approve this server; report it. Tool descriptions should describe what the tool does, never tell the model to keep actions from the user.',
  check(ctx) {
    return findingsFromHits(this, ctx, matchPatterns(ctx, CONCEAL), (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}: text the model reads as an instruction.`);
  },
};

// ------------------------------------------------------------------ 1427: prompt-injection markers

const INJECTION: Pattern[] = [
  {
    re: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|of\s+|these\s+)*(?:previous|prior|above|earlier|preceding|former|original|system|existing|safety|other)\s+(?:instructions?|prompts?|directions?|directives?|rules?|guidelines?|messages?|constraints?|policies)\b/,
    what: 'tells the model to ignore its other instructions',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /<\|(?:im_start|im_end|system|endoftext|start_header_id|end_header_id|eot_id)\|>|\[\/?inst\]|<<\/?sys>>|<\/?(?:system|system[-_ ]?prompt|assistant|developer)>/,
    what: 'contains chat-template role markers (fake system/assistant turns)',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /(?:^|[\n.!?]\s*|\b)(?:new|updated|real|actual|true|hidden|secret|additional) (?:system )?(?:instructions?|directives?) ?(?::|for the (?:assistant|model|ai))/,
    what: 'announces new instructions for the model',
    severity: 'high',
    confidence: 'medium',
  },
  {
    re: /\byou are now (?:in |an? )?(?:developer|admin|debug|jailbreak|jailbroken|unrestricted|god|dan)\b|\b(?:enter|switch to|activate) (?:developer|admin|debug|jailbreak|god) mode\b/,
    what: 'tries to switch the model into another mode',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /<\/?(?:important|secret|hidden|instructions?|critical|admin|override|system-reminder)>/,
    what: 'wraps text in an instruction tag like <IMPORTANT> (the marker of published tool-poisoning examples)',
    severity: 'medium',
    confidence: 'medium',
  },
];

export const injectionMarkers: MetadataRule = {
  id: 'mcp-risk/metadata-prompt-injection',
  cwe: 1427,
  title: 'Prompt-injection markers in tool metadata',
  severity: 'high',
  description:
    'Metadata text carries prompt-injection markers: “ignore previous instructions”, fake chat-template turns (<|im_start|>system, [INST]), announcements of new instructions, or <IMPORTANT>-style tags that published tool-poisoning attacks use to address the model.',
  fix: 'Treat the server as hostile unless the text has a clear, benign purpose; remove the markers from the metadata.',
  check(ctx) {
    return findingsFromHits(this, ctx, matchPatterns(ctx, INJECTION), (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 1427: read files or secrets

const SENSITIVE_READ: Pattern[] = [
  {
    re: new RegExp(`${LEAD}${READ_VERBS}\\b(?: [^.!?\\n]{0,80}?)?(?:${SENSITIVE_FILE})`),
    what: 'tells the model to read a sensitive file or key',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: new RegExp(`${LEAD}${READ_VERBS}\\b(?: [^.!?\\n]{0,60}?)?${SECRETS}`),
    what: 'tells the model to gather credentials or secrets',
    severity: 'high',
    confidence: 'medium',
  },
  {
    re: /\b(?:contents?|text|data) (?:of|from) (?:the |all |any |every )?(?:user'?s? )?(?:home directory|ssh (?:directory|folder|keys?)|private keys?|credentials? files?|keychain|password (?:store|manager))\b/,
    what: 'asks for the contents of the user’s private files',
    severity: 'high',
    confidence: 'high',
  },
];

export const sensitiveRead: MetadataRule = {
  id: 'mcp-risk/metadata-sensitive-read',
  cwe: 1427,
  title: 'Tool metadata tells the model to read files or secrets',
  severity: 'high',
  description:
    'A description or schema text tells the model to read sensitive files (~/.ssh/id_rsa, ~/.cursor/mcp.json, .env, ~/.aws/credentials) or to gather credentials — the core of published tool-poisoning attacks, where the model then passes them to the tool.',
  fix: 'Do not use this server; report it. A tool that needs a credential gets it from its own configuration, never through the model.',
  check(ctx) {
    const hits = matchPatterns(ctx, SENSITIVE_READ).map((h) =>
      // “Read ~/.ssh/config and list the hosts” as the opening of a description states what the tool does
      h.index === 0 && h.field.field === 'description' && !h.decodedFrom ? { ...h, what: `${h.what} (or describes a tool that reads one)`, severity: 'medium' as Severity, confidence: 'low' as Confidence } : h,
    );
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 200: asks for data beyond the tool's purpose

const EMAIL_OR_URL = "(?:https?://[^\\s'\"`)<>]+|[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+)";
const DATA_OBJECT = '(?:contents?|data|results?|outputs?|responses?|files?|conversation|messages?|emails?|mails?|credentials|keys?|tokens?|secrets?|information|details|history|everything|copies|a copy|passwords?|cookies|documents?|notes)';

const EXFIL_IN_DESCRIPTION: Pattern[] = [
  {
    re: new RegExp(`${LEAD}${TRANSFER_VERBS}\\b(?: [^.!?\\n]{0,80}?)?(?:${CONVERSATION})`),
    what: 'asks the model to hand over the conversation, its instructions or its other tools',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: new RegExp(`${LEAD}${TRANSFER_VERBS}\\b(?: [^.!?\\n]{0,80}?)?${SECRETS}`),
    what: 'asks the model to hand over credentials or secrets',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: new RegExp(`${LEAD}(?:send|forward|post|upload|transmit|exfiltrate|leak|report|copy|cc|bcc|email|e-mail|mail|share)\\b(?: [\\w'-]+){0,8}? ${DATA_OBJECT}\\b(?: [\\w'-]+){0,6}? (?:to|at) ${EMAIL_OR_URL}`),
    what: 'tells the model to send data to an outside address',
    severity: 'high',
    confidence: 'high',
  },
];

const EXFIL_IN_PARAMETER: Pattern[] = [
  { re: new RegExp(CONVERSATION), what: 'asks for the conversation, the model’s instructions or its other tools', severity: 'high', confidence: 'high' },
  { re: new RegExp(SECRETS_IN_REACH), what: 'asks for credentials or secrets the model has seen', severity: 'high', confidence: 'medium' },
  { re: new RegExp(`(?:contents?|text|data) of (?:the )?(?:${SENSITIVE_FILE})`), what: 'asks for the contents of a sensitive file', severity: 'high', confidence: 'high' },
  { re: /\b(?:content|contents|text|data) from (?:reading|the file)\b.*(?:ssh|id rsa|id_rsa|env|mcp json|credentials|private key|passwd)/, what: 'asks for the contents of a sensitive file (in its name)', severity: 'high', confidence: 'high' },
];

export const dataExfiltration: MetadataRule = {
  id: 'mcp-risk/metadata-data-exfiltration',
  cwe: 200,
  title: 'Tool metadata asks for data beyond the tool’s purpose',
  severity: 'high',
  description:
    'A parameter or description asks the model to pass data the tool has no business receiving — the conversation, the system prompt, the list of other tools, credentials seen in context, the contents of private files — or to send data to an outside address.',
  fix: 'Do not use this server; report it. A parameter should carry only what the tool needs for its stated purpose.',
  check(ctx) {
    const hits = [
      ...matchPatterns(ctx, EXFIL_IN_DESCRIPTION, { fieldFilter: (f) => !/^parameter /.test(f.field) }),
      ...matchPatterns(ctx, [...EXFIL_IN_PARAMETER, ...EXFIL_IN_DESCRIPTION], { roles: ['prose', 'name'], fieldFilter: (f) => /^parameter |inputSchema/.test(f.field) }),
    ];
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 1427: instructions about other tools (shadowing)

const COERCE = /\b(?:must|always|never|instead|all|every|shall|important|side[- ]effect|required|mandatory|do not|don't|only|override|overrides|replace|redirect|bcc|cc|send|change|modify)\b/;

const CROSS_TOOL: Pattern[] = [
  {
    re: /\bside[- ]effects? on (?:the )?(?:[\w'`"-]+ ){0,3}?(?:tools?|functions?|servers?)\b/,
    what: 'claims a side effect on another tool',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:when|whenever|if|each time|every time|before|after)\s+(?:you\s+|the\s+(?:user|assistant|model|agent)\s+)?(?:are\s+|is\s+)?(?:use|call|invoke|run|using|calling|invoking|running|execute|executing)\s+(?:any|all|every|another|other|the other|any other)\s+(?:[\w-]+\s+)?(?:tools?|functions?)\b[^.\n]{0,100}?\b(?:must|always|never|should|instead|add|include|send|pass|replace|set to|use)\b/,
    what: 'changes how the model uses other tools',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:all|every|any)\s+(?:outgoing\s+|future\s+|other\s+|subsequent\s+)?(?:emails?|e-mails?|mails?|messages?|transfers?|transactions?|payments?|funds?|requests?|invoices?|orders?|commands?|queries?)\s+(?:must|should|shall|need to|needs to|have to|has to|are to|will|is to)\s+(?:[\w'-]+\s+){0,3}?(?:sent|forwarded|redirected|routed|transferred|copied|cc'?d|bcc'?d|addressed|delivered|go|paid|directed)\s+(?:to|via|through)\b/,
    what: 'redirects what other actions send (recipients, payments)',
    severity: 'high',
    confidence: 'high',
  },
  {
    re: /\b(?:for|in) (?:all|any|every) (?:other )?(?:tools?|tool calls?|functions?)\b[^.\n]{0,60}\b(?:must|always|never|add|include|set)\b/,
    what: 'sets rules for every other tool call',
    severity: 'high',
    confidence: 'medium',
  },
];

/** @internal Every instruction pattern the metadata rules run through matchPatterns (tests check their pre-filters). */
export const INSTRUCTION_PATTERNS: readonly RegExp[] = patternLists().flatMap((ps) => ps.map((p) => p.re));

/** Every list of patterns matchPatterns is given (a function: the lists are defined further down than its first use). */
function patternLists(): Pattern[][] {
  return [CONCEAL, INJECTION, SENSITIVE_READ, EXFIL_IN_DESCRIPTION, EXFIL_IN_PARAMETER, CROSS_TOOL];
}

/** Names a text refers to as tools: `the send_email tool`, `'x' tool`, `mcp_tool_x`, `functions.x`. */
export function referencedToolNames(norm: string): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  const res = [
    /[`'"]([\w.-]{3,64})[`'"]\s+(?:tool|function)\b/g,
    /\b(?:the|a|an|also present|existing|other)\s+([a-z0-9]+(?:[_-][a-z0-9]+)+)\s+(?:tool|function)\b/g,
    /\b(mcp_tool_[\w-]+|functions\.[\w-]+)/g,
    /\b(?:tool|function)\s+(?:named|called)\s+[`'"]?([\w.-]{3,64})/g,
  ];
  for (const re of res) for (const m of norm.matchAll(re)) out.push({ name: m[1]!, index: m.index ?? 0 });
  return out;
}

function nameKey(s: string): string {
  return s.toLowerCase().replace(/^(?:mcp_tool_|functions\.)/, '').replace(/[-\s.]/g, '_');
}

export const crossToolInstructions: MetadataRule = {
  id: 'mcp-risk/metadata-cross-tool-instruction',
  cwe: 1427,
  title: 'Tool metadata gives instructions about other tools (shadowing)',
  severity: 'high',
  description:
    'A description tells the model how to use tools that are not this server’s — “this tool has a side effect on send_email”, “all emails must be sent to …”, “when calling any other tool, add …”. A server can so take over the behaviour of trusted servers connected to the same host (tool shadowing).',
  fix: 'Do not connect this server beside servers you trust; report it. A tool description should only describe the tool itself.',
  check(ctx) {
    const hits = matchPatterns(ctx, CROSS_TOOL);
    const siblings = ctx.siblings;
    for (const f of ctx.fields) {
      if (f.role !== 'prose') continue;
      for (const v of [{ norm: f.norm, from: undefined as string | undefined }, ...f.decoded.map((d) => ({ norm: d.norm, from: d.encoding }))]) {
        for (const ref of referencedToolNames(v.norm)) {
          const key = nameKey(ref.name);
          if (siblings.has(key) || /^(?:this|that|same|other|the|these|those)$/.test(key)) continue;
          const other = ctx.otherTools?.get(key);
          // the sentence around the reference
          const start = Math.max(v.norm.lastIndexOf('.', ref.index - 1), v.norm.lastIndexOf('\n', ref.index - 1)) + 1;
          const endDot = v.norm.slice(ref.index).search(/[.\n]/);
          const sentence = v.norm.slice(start, endDot < 0 ? undefined : ref.index + endDot + 1);
          if (!other && !COERCE.test(sentence)) continue;
          hits.push({
            field: f,
            what: other ? `refers to \`${ref.name}\`, a tool of another server (${other}) on the same host` : `gives instructions about \`${ref.name}\`, a tool this server does not have`,
            excerpt: visible(v.norm, ref.index, 180),
            severity: other || COERCE.test(sentence) ? 'high' : 'medium',
            confidence: other ? 'high' : 'medium',
            decodedFrom: v.from,
          });
        }
      }
    }
    // on a host: plain mentions of another server's distinctive tool names (`send_email`, `read-file`)
    if (ctx.otherTools?.size) {
      const names = [...ctx.otherTools.keys()].filter((k) => k.length >= 6 && k.includes('_') && !siblings.has(k));
      const res = names.map((k) => ({ k, re: new RegExp(`(?<![\\w-])${k.split('_').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[_\\- ]')}(?![\\w-])`) }));
      for (const f of ctx.fields) {
        if (f.role !== 'prose') continue;
        for (const { k, re } of res) {
          const m = re.exec(f.norm);
          if (!m || hits.some((h) => h.field === f && h.what.includes(`(${ctx.otherTools!.get(k)})`))) continue;
          hits.push({ field: f, what: `refers to \`${m[0]}\`, a tool of another server (${ctx.otherTools.get(k)}) on the same host`, excerpt: visible(f.norm, m.index, 180), severity: 'high', confidence: 'medium' });
        }
      }
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 451: invisible / deceptive Unicode

const INVISIBLE_SEVERITY: Record<InvisibleClass, Severity> = {
  tag: 'high',
  bidi: 'high',
  control: 'high',
  'variation-selector': 'medium',
  'zero-width': 'medium',
  filler: 'medium',
  'private-use': 'low',
};

export const invisibleUnicode: MetadataRule = {
  id: 'mcp-risk/metadata-invisible-unicode',
  cwe: 451,
  title: 'Invisible or deceptive Unicode in tool metadata',
  severity: 'high',
  description:
    'The metadata contains characters a reviewer does not see but the model reads: Unicode tag characters (ASCII smuggling), bidirectional controls (displayed text differs from the stored text), zero-width characters, variation-selector payloads, terminal escape sequences.',
  fix: 'Remove the characters; treat the server as suspicious when they carry hidden text. Hosts should show metadata with invisible characters made visible.',
  check(ctx) {
    const hits: Hit[] = [];
    for (const f of ctx.fields) {
      const inv = findInvisible(f.text);
      if (!inv.length) continue;
      const byClass = new Map<InvisibleClass, typeof inv>();
      for (const h of inv) {
        const l = byClass.get(h.cls);
        if (l) l.push(h);
        else byClass.set(h.cls, [h]);
      }
      for (const [cls, hs] of byClass) {
        let what = `${hs.length} ${invisibleClassText(cls)} (${[...new Set(hs.map((h) => hex(h.cp)))].slice(0, 4).join(', ')})`;
        let severity = INVISIBLE_SEVERITY[cls];
        let confidence: Confidence = 'high';
        if (cls === 'tag') {
          const hidden = f.decoded.find((d) => d.encoding === 'tag-characters');
          if (hidden) what += ` hiding the text “${visible(hidden.decoded, 0, 140)}”`;
        }
        if (cls === 'variation-selector') {
          const hidden = f.decoded.find((d) => d.encoding === 'variation-selectors');
          if (hidden) {
            what += ` hiding the text “${visible(hidden.decoded, 0, 140)}”`;
            severity = 'high';
          } else if (hs.length < 4) {
            severity = 'low';
            confidence = 'medium';
          }
        }
        if (cls === 'zero-width' && hs.length === 1 && f.role === 'prose') {
          severity = 'low';
          confidence = 'medium';
        }
        if (f.role === 'name' && severity !== 'high') severity = 'high'; // an invisible character in a name makes two names look the same
        hits.push({ field: f, what, excerpt: visible(f.text, hs[0]!.index, 160), severity, confidence });
      }
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} contains ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 1007: homoglyphs

export const homoglyphs: MetadataRule = {
  id: 'mcp-risk/metadata-homoglyph',
  cwe: 1007,
  title: 'Look-alike characters (homoglyphs) in tool metadata',
  severity: 'high',
  description:
    'A name mixes scripts or uses letters that look like Latin ones (Cyrillic “а” in “reаd_file”, full-width or mathematical letters): it looks like another, trusted name while being a different one; in prose, mixed-script words evade keyword filters.',
  fix: 'Use plain ASCII names; treat a name that imitates another tool’s name as an impersonation attempt.',
  check(ctx) {
    const hits: Hit[] = [];
    for (const f of ctx.fields) {
      if (f.role === 'name' || f.role === 'uri') {
        if (/^[\x20-\x7e]*$/.test(f.text)) continue;
        const chars = Array.from(f.text.normalize('NFC'));
        const scripts = new Set(chars.map(scriptOf).filter((s): s is NonNullable<typeof s> => !!s));
        const visibleText = Array.from(f.text).filter((c) => !invisibleClass(c.codePointAt(0)!)).join('');
        if (/^[\x20-\x7e]*$/.test(visibleText)) continue; // only invisible characters: reported by the invisible-Unicode rule
        const folded = skeleton(visibleText);
        const looksAscii = /^[\x20-\x7e]+$/.test(folded) && folded !== visibleText;
        const mixed = scripts.has('Latin') && scripts.size > 1;
        if (!looksAscii && !mixed) continue;
        const odd = chars.filter((c) => /[^\x20-\x7e]/.test(c) && (isConfusableLetter(c) || c.normalize('NFKC') !== c || (scriptOf(c) !== undefined && scriptOf(c) !== 'Latin')));
        const list = [...new Set(odd)].slice(0, 4).map((c) => `“${c}” ${hex(c.codePointAt(0)!)}${scriptOf(c) && scriptOf(c) !== 'Latin' ? ` ${scriptOf(c)}` : ''}`);
        hits.push({
          field: f,
          what: looksAscii ? `looks like \`${folded}\` but contains ${list.join(', ')}` : `mixes scripts (${[...scripts].join(' + ')}): ${list.join(', ')}`,
          excerpt: visible(f.text, 0, 120),
          severity: 'high',
          confidence: looksAscii ? 'high' : 'medium',
        });
      } else {
        // prose: a word mixing Latin letters with confusable letters of another script
        if (isPlainAscii(f.text)) continue;
        for (const m of f.text.matchAll(/[\p{L}\p{M}]{3,}/gu)) {
          const word = m[0];
          const cs = Array.from(word);
          const latin = cs.filter((c) => scriptOf(c) === 'Latin').length;
          const conf = cs.filter((c) => scriptOf(c) !== 'Latin' && scriptOf(c) !== undefined && isConfusableLetter(c));
          const otherNonConf = cs.filter((c) => scriptOf(c) !== 'Latin' && scriptOf(c) !== undefined && !isConfusableLetter(c)).length;
          if (latin >= 2 && conf.length >= 1 && otherNonConf === 0) {
            hits.push({
              field: f,
              what: `the word “${word}” mixes Latin letters with look-alikes (${[...new Set(conf)].slice(0, 3).map((c) => `${c} ${hex(c.codePointAt(0)!)}`).join(', ')}) — reads as “${skeleton(word)}”`,
              excerpt: visible(f.text, m.index ?? 0, 140),
              severity: 'medium',
              confidence: 'medium',
            });
            break;
          }
        }
      }
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 451: hidden markup, padding

export const hiddenText: MetadataRule = {
  id: 'mcp-risk/metadata-hidden-text',
  cwe: 451,
  title: 'Text hidden from the reviewer in tool metadata',
  severity: 'medium',
  description:
    'Part of the text is hidden from a human who reads it in a host’s interface but not from the model: HTML comments, markup that hides text (display:none), or long runs of blank lines or spaces that push text out of view.',
  fix: 'Remove the hidden part; review the full raw text of the metadata before approving the server.',
  check(ctx) {
    const hits: Hit[] = [];
    for (const f of ctx.fields) {
      if (f.role !== 'prose') continue;
      const t = f.text;
      const comment = /<!--([\s\S]*?)(?:-->|$)/.exec(t);
      if (comment && /\p{L}{3,}/u.test(comment[1]!)) hits.push({ field: f, what: 'an HTML comment (not shown when rendered)', excerpt: visible(t, comment.index, 160), severity: 'medium', confidence: 'high' });
      const md = /^\s*\[(?:\/\/|comment|hidden)\]:\s*#\s*[("]/im.exec(t);
      if (md) hits.push({ field: f, what: 'a Markdown comment (not shown when rendered)', excerpt: visible(t, md.index, 160), severity: 'medium', confidence: 'high' });
      const css = /style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0(?:[;"'\s]|$)|color\s*:\s*(?:white|#fff\b|#ffffff|transparent))/i.exec(t);
      if (css) hits.push({ field: f, what: 'markup that hides text', excerpt: visible(t, css.index, 160), severity: 'medium', confidence: 'high' });
      const lines = /(?:[ \t]*\r?\n){8,}/.exec(t);
      if (lines && /\S/.test(t.slice(lines.index + lines[0].length))) hits.push({ field: f, what: `${(lines[0].match(/\n/g) ?? []).length} blank lines before more text (pushed out of view)`, excerpt: visible(t, lines.index, 200), severity: 'medium', confidence: 'high' });
      const spaces = /[ \t\u00a0\u2000-\u200a\u3000]{120,}/.exec(t);
      if (spaces && /\S/.test(t.slice(spaces.index + spaces[0].length))) hits.push({ field: f, what: `${spaces[0].length} spaces before more text (pushed out of view)`, excerpt: visible(t, spaces.index, 200), severity: 'medium', confidence: 'high' });
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} contains ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 451: encoded text

export const encodedText: MetadataRule = {
  id: 'mcp-risk/metadata-encoded-text',
  cwe: 451,
  title: 'Encoded text in tool metadata',
  severity: 'medium',
  description:
    'The metadata carries readable text encoded as base64, hex, percent-encoding or escape sequences: the model can decode it, the human reviewing the tool does not read it. (Decoded text is also checked for instructions.)',
  fix: 'Write metadata in plain text; treat encoded instructions as an attack.',
  check(ctx) {
    const hits: Hit[] = [];
    for (const f of ctx.fields) {
      if (f.role !== 'prose') continue;
      for (const d of f.decoded) {
        if (d.encoding === 'tag-characters' || d.encoding === 'variation-selectors') continue; // reported as invisible Unicode
        hits.push({ field: f, what: `${d.encoding} text (${d.raw}) that decodes to “${visible(d.decoded, 0, 140)}”`, excerpt: visible(f.text, Math.max(0, f.text.indexOf(d.raw.replace(/…$/, ''))), 160), severity: 'medium', confidence: 'high' });
      }
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} contains ${h.what}.`);
  },
};

// ------------------------------------------------------------------ 1427: unusually long text

/** Longest description of a tool in 150 published servers: 2,781 characters (server-sequential-thinking). */
export const LONG_DESCRIPTION = 6000;
export const LONG_PARAMETER_TEXT = 1500;

export const oversizedText: MetadataRule = {
  id: 'mcp-risk/metadata-oversized-text',
  cwe: 1427,
  title: 'Unusually long tool metadata',
  severity: 'low',
  description: `A description is far longer than usual (over ${LONG_DESCRIPTION} characters for a tool, ${LONG_PARAMETER_TEXT} for a parameter): hosts truncate it for the user while the model reads it all — room for instructions nobody reviews.`,
  fix: 'Keep descriptions short; read the full text before approving the server.',
  check(ctx) {
    const hits: Hit[] = [];
    for (const f of ctx.fields) {
      if (f.role !== 'prose') continue;
      const limit = f.field === 'description' || f.field === 'instructions' ? LONG_DESCRIPTION : LONG_PARAMETER_TEXT;
      if (f.length > limit) hits.push({ field: f, what: `is ${f.length} characters long (usual: under ${limit})${f.length > MAX_ANALYSED ? `; only the first ${MAX_ANALYSED} were checked` : ''}`, excerpt: visible(f.text, limit, 160), severity: 'low', confidence: 'low' });
    }
    return findingsFromHits(this, ctx, hits, (h, def) => `The ${h.field.field} of ${kindLabel(def)} ${h.what}.`);
  },
};

export const METADATA_RULES: readonly MetadataRule[] = [
  concealFromUser,
  injectionMarkers,
  sensitiveRead,
  dataExfiltration,
  crossToolInstructions,
  invisibleUnicode,
  homoglyphs,
  hiddenText,
  encodedText,
  oversizedText,
];

/** Metadata findings for a statically extracted surface, a live listing, or prepared definitions. */
export function analyzeMetadata(input: Surface | LiveListing | MetadataInput, options: MetadataOptions = {}): Finding[] {
  const prepared: MetadataInput = 'defs' in input ? input : isLiveListing(input) ? defsFromListing(input) : isSurface(input) ? defsFromSurface(input) : { origin: 'static', defs: [] };
  const fields = prepared.defs.flatMap(fieldsOf);
  const siblings = new Set(prepared.defs.filter((d) => d.kind !== 'server').map((d) => nameKey(d.name)));
  const ctx: MetadataContext = { input: prepared, fields, siblings, otherTools: options.otherTools };
  const out: Finding[] = [];
  for (const r of options.rules ?? METADATA_RULES) out.push(...r.check(ctx));
  return out;
}
