/**
 * Assessments for the HTML/Markdown report tests: a real scan with imports (the ts-server fixture with
 * the Semgrep and CodeQL SARIF files), and a hostile one whose every string tries to break out of the
 * report (HTML, attributes, script, Markdown links/images/tables/mentions, bidi controls).
 */
import path from 'node:path';
import { assess } from '../../src/assess.js';
import type { Assessment } from '../../src/model.js';
import { scoreAssessment } from '../../src/risk/index.js';
import { sampleAssessment } from '../report/sample.js';
import { fromRoot } from '../helpers.js';

const DIR = fromRoot('test', 'fixtures', 'imports');

let cached: Promise<Assessment> | undefined;

/** mcp-risk on test/fixtures/imports/ts-server with --import semgrep.sarif --import codeql.sarif (cached per process). */
export function scanWithImports(): Promise<Assessment> {
  cached ??= assess(path.join(DIR, 'ts-server'), { imports: { sarif: [path.join(DIR, 'semgrep.sarif'), path.join(DIR, 'codeql.sarif')] } });
  return cached.then((a) => structuredClone(a));
}

/** The sample assessment of test/report with a risk section. */
export function scoredSample(): Assessment {
  const a = sampleAssessment();
  const risk = scoreAssessment(a.findings, { networkExposedWithoutAuth: true, capabilities: { shell: true, fs: true, network: false } });
  a.risk = risk;
  a.kb = { cwe: risk.kb.cwe, capec: risk.kb.capec };
  return a;
}

/** Strings that must come out of a report as text, never as markup. */
export const PAYLOADS = {
  script: '</script><script>window.__pwned = "script"</script>',
  img: '"><img src=x onerror="window.__pwned=\'img\'">',
  attr: "x' onmouseover='window.__pwned=1' data-x='",
  svg: '</code></pre><svg onload="window.__pwned=\'svg\'"></svg>',
  iframe: '<iframe src="javascript:window.__pwned=\'iframe\'"></iframe>',
  mdLink: '[click me](https://evil.example/phish)',
  mdImage: '![pixel](https://evil.example/p.png)',
  mention: '@octocat please merge',
  pipe: 'a | b | c',
  comment: '<!-- hidden -->',
  bidi: 'admin\u202Enimda',
  backticks: '`` x ` y ``',
} as const;

/** A scored assessment whose names, descriptions, snippets, messages, paths and imports carry the payloads. */
export function hostileAssessment(): Assessment {
  const a = scoredSample();
  const P = PAYLOADS;
  a.target = { input: `${P.img}`, kind: 'npm', name: `${P.script}`, version: P.attr };
  const tool = a.surface.tools[0]!;
  tool.name = `${P.img}${P.mention}`;
  tool.description = `${P.script} ${P.mdLink} ${P.mdImage} ${P.bidi}`;
  tool.params[0]!.name = P.attr;
  a.surface.resources[0]!.uri = P.iframe;
  a.surface.sdks = [P.svg];
  const f = a.findings[0]!;
  f.title = `${P.svg}${P.pipe}`;
  f.message = `Argument \`${P.img}\` reaches exec() ${P.mdLink} ${P.mention} ${P.comment}`;
  f.snippet = `${P.script}\n${P.svg}\n${P.bidi}`;
  f.fix = `${P.mdImage} ${P.iframe}`;
  f.primitive = { kind: 'tool', name: `${P.attr}${P.pipe}` };
  f.location = { ...f.location, file: `src/${P.img}.ts` };
  f.trace![0]!.label = `${P.iframe} ${P.backticks}`;
  f.trace![1]!.snippet = P.svg;
  f.notes = [P.script, P.mdLink];
  f.tags = [...f.tags, P.img];
  a.findings[1]!.tool = `${P.img} Scanner`;
  a.warnings = [{ code: P.img, message: `${P.script} ${P.mdLink}`, file: P.svg }];
  a.unmapped = [
    {
      id: 'u1',
      tool: P.script,
      ruleId: P.backticks,
      title: P.mdLink,
      message: `${P.pipe} ${P.mention}`,
      severity: 'low',
      confidence: 'low',
      location: { file: P.pipe, line: 3, column: 1 },
      snippet: P.svg,
      primitive: { kind: 'tool', name: P.img },
      reason: 'no-cwe',
    },
  ];
  return a;
}

/** Table cells of a Markdown table row (unescaped pipes only). */
export function cells(row: string): string[] {
  return row
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}
