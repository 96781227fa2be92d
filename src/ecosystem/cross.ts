/**
 * Checks across the servers of one host: they share one model, so one server's tools and descriptions
 * affect the others.
 *   - tool name collisions: two servers offer a tool of the same (or a look-alike) name — the host or the
 *     model may call the wrong one (CWE-1007);
 *   - shadowing: a server's metadata names another server's tools (CWE-1427);
 *   - toxic combinations: one server reads private data, another can send data out (and, worse, a third
 *     brings untrusted content that can steer the model): together they make an exfiltration path (CWE-200).
 * Capabilities are classified from each server's surface (tool names, descriptions, parameters) and findings.
 */
import type { Finding, Location, Surface } from '../model.js';
import { makeFinding, type EcoRule } from './finding.js';
import { HOST_NAMES } from './hosts.js';
import { analyzeMetadata, crossToolInstructions, defsFromListing, defsFromSurface, type MetaDef } from './metadata.js';
import { skeleton } from './text.js';
import type { CapabilityProfile, HostId, ServerReport } from './types.js';

export const collisionRule: EcoRule = {
  id: 'mcp-risk/host-tool-name-collision',
  cwe: 1007,
  title: 'Two servers of one host offer tools of the same name',
  severity: 'medium',
  description:
    'Servers connected to the same host offer tools whose names are the same or look the same: depending on the host, one hides the other, or the model picks by description — a malicious server can so take calls meant for a trusted one.',
  fix: 'Remove one of the servers, or rename/disable the duplicate tool; prefer hosts that prefix tool names with the server name.',
};

export const shadowingRule: EcoRule = {
  id: 'mcp-risk/host-tool-shadowing',
  cwe: 1427,
  title: 'A server’s metadata refers to another server’s tools',
  severity: 'high',
  description: 'The description of one server’s tool names a tool of another server on the same host: text that steers how the model uses the other server (tool shadowing).',
  fix: 'Disconnect the server whose metadata refers to other servers’ tools; report it.',
};

export const toxicCombinationRule: EcoRule = {
  id: 'mcp-risk/host-toxic-combination',
  cwe: 200,
  title: 'Servers of one host combine into an exfiltration path',
  severity: 'medium',
  description:
    'One server of the host reads private data and another can send data out; with a source of untrusted content (web pages, mail, issues) a prompt injection can make the model move the private data out through the other server. Each server is fine alone — the combination is the risk.',
  fix: 'Do not enable these servers together in one host or profile; require confirmation for the sending tools; keep untrusted-content servers apart from private-data servers.',
};

export const CROSS_RULES: readonly EcoRule[] = [collisionRule, shadowingRule, toxicCombinationRule];

// ------------------------------------------------------------------ capability classification

interface ToolText {
  name: string;
  text: string;
}

const READS_PRIVATE = /\b(?:read|get|list|search|query|open|fetch|download|export|retrieve|view|show|find)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:files?|director(?:y|ies)|folders?|documents?|docs|emails?|mails?|inbox|messages?|threads?|chats?|channels?|notes?|pages?|databases?|tables?|rows|records|repos?(?:itor(?:y|ies))?|issues?|pull[\s_-]?requests?|commits?|branch(?:es)?|contents?|calendar|events?|contacts?|drive|spreadsheets?|sheets?|secrets?|credentials?|passwords?|customers?|users?|memor(?:y|ies)|entities|graph|nodes|logs?|tickets?|invoices?|payments?|accounts?|transactions?)\b|\b(?:sql|select\s+\w|execute[\s_-]?query|run[\s_-]?query|read_query|read_graph|search_nodes|open_nodes|read_file|read_multiple_files|read_text_file|get_file_contents|search_files|list_directory|directory_tree)\b/i;
const UNTRUSTED = /\b(?:fetch|browse|navigate|scrape|crawl|visit|open)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:url|urls|web|websites?|pages?|links?|html)\b|\b(?:web[\s_-]?search|search[\s_-]+the[\s_-]+web|internet search|google search|brave_web_search|puppeteer_navigate|browser_navigate|firecrawl|scrape)\b|\b(?:read|get|list|search)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:emails?|mails?|inbox|issues?|comments?|pull[\s_-]?requests?|tweets?|posts?|messages?|feeds?|rss|reviews?|tickets?)\b/i;
const SENDS_OUT = /\b(?:send|post|reply|forward|publish|tweet|share|email|message|notify|dispatch|invite)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:emails?|mails?|messages?|comments?|issues?|pull[\s_-]?requests?|posts?|tweets?|replies|reply|webhooks?|notifications?|sms|slack|chat|files?|gists?|invitations?|requests?|data|reports?)\b|\b(?:create|add|comment|submit|open)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:comments?|issues?|pull[\s_-]?requests?|posts?|tweets?|replies|webhooks?|gists?|notifications?|tickets?|messages?)\b|\b(?:upload|attach)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:files?|documents?|attachments?|images?)\b|\b(?:http[\s_-]?request|make[\s_-]?request|webhook|send_email|send_message|post_message|slack_post_message|create_issue|add_issue_comment|create_pull_request|push_files|fetch_url|curl)\b/i;
const FETCH_URL = /\b(?:fetch|browse|navigate|visit|open|get|download|scrape|crawl)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:urls?|web ?pages?|websites?|links?)\b|\b(?:fetch_url|puppeteer_navigate|browser_navigate|http_get|fetch)\b/i;
const EXECUTES = /\b(?:exec(?:ute)?|run|spawn|eval(?:uate)?)[\s_-]*(?:\w+[\s_-]+){0,2}?(?:commands?|shell|scripts?|code|process(?:es)?|terminal|python|javascript|bash|applescript|programs?)\b|\b(?:shell|terminal|run_command|execute_command|start_process|interact_with_process)\b/i;

function toolTexts(s: ServerReport): ToolText[] {
  const out: ToolText[] = [];
  const push = (defs: MetaDef[]) => {
    for (const d of defs) if (d.kind === 'tool') out.push({ name: d.name, text: `${d.name.replace(/[_-]/g, ' ')} ${d.name} ${(d.description ?? '').slice(0, 300)}` });
  };
  if (s.live) push(defsFromListing(s.live).defs);
  else if (s.assessment) push(defsFromSurface(s.assessment.surface).defs);
  return out;
}

/** What a server can do, with the tools (or findings) that show it. */
export function classifyCapabilities(s: ServerReport): CapabilityProfile {
  const p: CapabilityProfile = { readsPrivate: [], untrustedContent: [], sendsOut: [], executes: [] };
  for (const t of toolTexts(s)) {
    if (READS_PRIVATE.test(t.text)) p.readsPrivate.push(`tool \`${t.name}\``);
    if (UNTRUSTED.test(t.text)) p.untrustedContent.push(`tool \`${t.name}\``);
    // a request to a URL the model chooses carries data out in the URL itself
    if (SENDS_OUT.test(t.text) || FETCH_URL.test(t.text)) p.sendsOut.push(`tool \`${t.name}\``);
    if (EXECUTES.test(t.text)) p.executes.push(`tool \`${t.name}\``);
  }
  const findings = s.assessment?.findings ?? [];
  const via = (cwes: number[]) => findings.filter((f) => cwes.includes(f.cwe) && f.source && /argument/.test(f.source.kind)).map((f) => `${f.primitive.name ? `tool \`${f.primitive.name}\`` : 'code'} (CWE-${f.cwe} finding)`);
  p.readsPrivate.push(...via([22, 59]));
  p.sendsOut.push(...via([918]));
  p.untrustedContent.push(...via([918]));
  p.executes.push(...via([78, 88, 94, 95]));
  for (const k of Object.keys(p) as (keyof CapabilityProfile)[]) p[k] = [...new Set(p[k])].slice(0, 8);
  return p;
}

// ------------------------------------------------------------------ cross-server checks

function toolNames(s: ServerReport): string[] {
  if (s.live) return s.live.tools.map((t) => String(t.name));
  return (s.assessment?.surface.tools ?? []).map((t) => t.name);
}

function lookKey(n: string): string {
  return skeleton(n).toLowerCase().replace(/[\s_.-]+/g, '');
}

function hostLocation(servers: ServerReport[]): Location {
  const first = servers[0]!.entry;
  return { file: first.configPath, line: 1, column: 1 };
}

/** Group servers by host (enabled servers only). */
export function byHost(servers: ServerReport[]): Map<HostId, ServerReport[]> {
  const m = new Map<HostId, ServerReport[]>();
  for (const s of servers) {
    if (s.entry.disabled) continue;
    const l = m.get(s.entry.host) ?? [];
    l.push(s);
    m.set(s.entry.host, l);
  }
  return m;
}

export function crossServerFindings(servers: ServerReport[]): Finding[] {
  const out: Finding[] = [];
  for (const [host, list] of byHost(servers)) {
    if (list.length < 2) continue;
    const hostName = HOST_NAMES[host];
    const label = (s: ServerReport) => `\`${s.entry.name}\``;

    // name collisions (exact and look-alike)
    const byKey = new Map<string, { server: ServerReport; name: string }[]>();
    for (const s of list) for (const n of new Set(toolNames(s))) byKey.set(lookKey(n), [...(byKey.get(lookKey(n)) ?? []), { server: s, name: n }]);
    for (const [, hits] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const servs = new Set(hits.map((h) => h.server));
      if (servs.size < 2) continue;
      const names = new Set(hits.map((h) => h.name));
      const lookAlike = names.size > 1;
      out.push(
        makeFinding(collisionRule, hostLocation(list), lookAlike
          ? `${hostName}: ${hits.map((h) => `${label(h.server)} offers \`${h.name}\``).join(', ')} — names that look the same to the model and the user.`
          : `${hostName}: tool \`${hits[0]!.name}\` is offered by ${[...servs].map(label).join(' and ')}; the host may call the wrong one.`, {
          severity: lookAlike ? 'high' : 'medium',
          tags: ['cross-server', host],
          key: `${host}:${[...names].sort().join('|')}`,
        }),
      );
    }

    // shadowing: metadata that names other servers' tools
    for (const s of list) {
      const others = new Map<string, string>();
      for (const o of list) if (o !== s) for (const n of toolNames(o)) others.set(n.toLowerCase().replace(/[-\s.]/g, '_'), o.entry.name);
      if (!others.size) continue;
      const input = s.live ? defsFromListing(s.live) : s.assessment ? defsFromSurface(s.assessment.surface as Surface) : undefined;
      if (!input) continue;
      const own = new Set(toolNames(s).map((n) => n.toLowerCase().replace(/[-\s.]/g, '_')));
      for (const k of own) others.delete(k); // a name both servers have is a collision, not a reference
      for (const f of analyzeMetadata(input, { rules: [crossToolInstructions], otherTools: others })) {
        const refs = (f.notes ?? []).filter((n) => /a tool of another server/.test(n));
        if (!refs.length) continue;
        out.push(
          makeFinding(shadowingRule, { file: s.entry.configPath, line: s.entry.line ?? 1, column: 1 }, `${hostName}: server ${label(s)} ${f.message.replace(/^The /, 'has a ').replace(/\.$/, '')}.`, {
            tags: ['cross-server', 'shadowing', host],
            notes: refs,
            primitive: f.primitive,
            key: `${host}:${s.entry.name}:${f.id}`,
          }),
        );
      }
    }

    // toxic combinations
    const caps = list.map((s) => ({ s, c: s.capabilities ?? classifyCapabilities(s) }));
    const readers = caps.filter((x) => x.c.readsPrivate.length);
    const senders = caps.filter((x) => x.c.sendsOut.length);
    const untrusted = caps.filter((x) => x.c.untrustedContent.length);
    const pairs: string[] = [];
    for (const r of readers) for (const w of senders) if (r.s !== w.s) pairs.push(`${label(r.s)} reads private data (${r.c.readsPrivate.slice(0, 2).join(', ')}) → ${label(w.s)} can send it out (${w.c.sendsOut.slice(0, 2).join(', ')})`);
    if (pairs.length) {
      const withUntrusted = untrusted.length > 0;
      out.push(
        makeFinding(toxicCombinationRule, hostLocation(list), `${hostName}: ${pairs.length} server combination${pairs.length > 1 ? 's' : ''} can move private data out${withUntrusted ? `, and ${untrusted.map((x) => label(x.s)).join(', ')} bring${untrusted.length === 1 ? 's' : ''} untrusted content that can steer the model into doing it` : ''}.`, {
          severity: withUntrusted ? 'high' : 'medium',
          confidence: 'medium',
          tags: ['cross-server', 'toxic-combination', host],
          notes: [...pairs.slice(0, 8), ...(withUntrusted ? [`untrusted content: ${untrusted.map((x) => `${label(x.s)} (${x.c.untrustedContent.slice(0, 2).join(', ')})`).join('; ')}`] : [])],
          key: `${host}:toxic`,
        }),
      );
    }
  }
  return out;
}
