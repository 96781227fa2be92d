/**
 * Schema validators for the two machine-readable reports, set up once:
 *   JSON  → schemas/assessment.schema.json (JSON Schema 2020-12, ajv strict mode + formats)
 *   SARIF → test/schemas/sarif-2.1.0-rtm.5.json (draft-04; the official schema needs
 *           `strict: false` and `unicodeRegExp: false`, see test/report/sarif.test.ts)
 */
import { readFileSync } from 'node:fs';
import Ajv2020Module from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { fromRoot } from '../helpers.js';

// CommonJS packages: under NodeNext the default import is module.exports, whose `default` is the export.
const Ajv2020 = Ajv2020Module.default;
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

function loadJson(rel: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fromRoot(rel), 'utf8')) as Record<string, unknown>;
}

const ajv2020 = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv2020);
const assessmentValidator: ValidateFunction = ajv2020.compile(loadJson('schemas/assessment.schema.json'));

const ajv04 = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv04);
const sarifValidator: ValidateFunction = ajv04.compile(loadJson('test/schemas/sarif-2.1.0-rtm.5.json'));

function errors(v: ValidateFunction, doc: unknown): ErrorObject[] {
  return v(doc) ? [] : [...(v.errors ?? [])];
}

/** Schema errors of a JSON report (parsed), [] when valid. */
export function assessmentErrors(doc: unknown): ErrorObject[] {
  return errors(assessmentValidator, doc);
}

/** Schema errors of a SARIF log (parsed), [] when valid. */
export function sarifErrors(doc: unknown): ErrorObject[] {
  return errors(sarifValidator, doc);
}

/** The errors, short enough for an assertion message. */
export function describeErrors(es: readonly ErrorObject[]): string {
  return es
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`)
    .join('\n');
}
