/**
 * Report stage: an Assessment written as a terminal report, JSON (schemas/assessment.schema.json),
 * SARIF 2.1.0, a self-contained HTML page or Markdown (pull-request comments, tickets).
 */
import type { Assessment, Severity } from '../model.js';
import { toJson, type AssessmentExtras } from './json.js';
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import { toSarif } from './sarif.js';
import { toTerminal } from './terminal.js';

export {
  ASSESSMENT_SCHEMA_ID,
  ASSESSMENT_SCHEMA_VERSION,
  toJson,
  toJsonValue,
  type AssessmentExtras,
} from './json.js';
export {
  FINGERPRINT_KEY,
  INFORMATION_URI,
  SARIF_LEVEL,
  SARIF_SCHEMA_URI,
  SARIF_VERSION,
  SECURITY_SEVERITY,
  SRCROOT,
  pathToUri,
  toSarif,
} from './sarif.js';
export { clean, toSurfaceText, toTerminal, truncate, type SurfaceTextOptions, type TerminalOptions } from './terminal.js';
export { SEVERITY_RANK, atLeast, cweName, cweUrl, maxSeverity } from './common.js';
export { toHtml, type HtmlOptions } from './html.js';
export { mdCode, mdRich, mdText, toMarkdown, type MarkdownOptions } from './markdown.js';

export type ReportFormat = 'terminal' | 'json' | 'sarif' | 'html' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['terminal', 'json', 'sarif', 'html', 'markdown'];

export interface RenderOptions {
  /** Terminal only: write ANSI colours (default false). */
  color?: boolean;
  /** Terminal only: hide findings below this severity (JSON and SARIF always hold every finding). */
  minSeverity?: Severity;
  /** Terminal only: more detail. */
  verbose?: boolean;
  /** Terminal only: every risk factor and the arithmetic. */
  explain?: boolean;
  /** HTML and Markdown: links to source lines are `<linkBase><file>#L<line>` (http(s) URLs only). */
  linkBase?: string;
}

/** The report in the given format, as text ending with a newline. */
export function render(a: Assessment & AssessmentExtras, format: ReportFormat, opts: RenderOptions = {}): string {
  switch (format) {
    case 'terminal':
      return toTerminal(a, { color: opts.color ?? false, minSeverity: opts.minSeverity, verbose: opts.verbose, explain: opts.explain });
    case 'json':
      return toJson(a);
    case 'sarif':
      return JSON.stringify(toSarif(a), null, 2) + '\n';
    case 'html':
      return toHtml(a, { linkBase: opts.linkBase });
    case 'markdown':
      return toMarkdown(a, { linkBase: opts.linkBase });
    default: {
      const never: never = format;
      throw new Error(`unknown report format: ${String(never)}`);
    }
  }
}
