/**
 * Child process of `bench/speed.ts`: lints the same files as mcp-risk with ESLint 9 (Node API, flat config)
 * and eslint-plugin-security's `recommended` config, one package at a time, and reports on fd 3.
 *
 *   node build/bench/lib/run-eslint.js --manifest FILE [--from N]
 *
 * Configuration: no config file (`overrideConfigFile: true`), no cache, no ignore patterns (mcp-risk's
 * acquire stage already chose the files), input paths taken literally (no globbing), inline `eslint-*`
 * comments off (the same rules everywhere), one thread (ESLint's default). `.js/.mjs/.cjs` use ESLint's
 * default parser (espree), `.jsx` the same with JSX on, `.ts/.mts/.cts/.tsx` the typescript-eslint parser
 * without type information (no `project`).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ESLint, type Linter } from 'eslint';
import { childArgs, cpuMsSince, maxRssBytes, report, type Manifest } from './speed-protocol.js';

const require = createRequire(import.meta.url);

interface SecurityPlugin {
  meta: { name: string; version: string };
  configs: { recommended: Linter.Config };
}
const security = require('eslint-plugin-security') as SecurityPlugin;
// The parser only (not the whole typescript-eslint plugin set), resolved the way typescript-eslint resolves it.
const requireFromTsEslint = createRequire(require.resolve('typescript-eslint'));
const tsParser = requireFromTsEslint('@typescript-eslint/parser') as Linter.Parser & { version: string };
const typescriptVersion = (requireFromTsEslint('typescript') as { version: string }).version;

const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs'];
const JSX_FILES = ['**/*.jsx'];
const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];

const config: Linter.Config[] = [
  { files: JS_FILES },
  { files: JSX_FILES, languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  // typescript-estree picks JSX from the extension (.tsx) itself.
  { files: TS_FILES, languageOptions: { parser: tsParser } },
  security.configs.recommended,
];

const { manifest: manifestFile, from } = childArgs(process.argv.slice(2));
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;

const eslint = new ESLint({
  cwd: manifest.cacheDir,
  overrideConfigFile: true,
  overrideConfig: config,
  cache: false,
  ignore: false,
  globInputPaths: false,
  errorOnUnmatchedPattern: false,
  allowInlineConfig: false,
});

interface Tally {
  findings: number;
  fatal: number;
  other: number;
  byRule: Record<string, number>;
  fatalSample?: string;
}

function tally(results: ESLint.LintResult[]): Tally {
  const t: Tally = { findings: 0, fatal: 0, other: 0, byRule: {} };
  for (const r of results) {
    for (const m of r.messages) {
      if (m.fatal) {
        t.fatal++;
        t.fatalSample ??= `${r.filePath}:${m.line}: ${m.message}`;
      } else if (m.ruleId?.startsWith('security/')) {
        t.findings++;
        t.byRule[m.ruleId] = (t.byRule[m.ruleId] ?? 0) + 1;
      } else {
        t.other++;
      }
    }
  }
  return t;
}

// Warm-up: loads espree, typescript-estree (and TypeScript itself) and the rules once.
const w0 = performance.now();
const warm = tally(await eslint.lintFiles(manifest.warmup.files.map((f) => f.abs)));
if (warm.fatal || warm.other) process.stderr.write(`eslint warm-up: ${JSON.stringify(warm)}\n`);
report({
  t: 'ready',
  warmupMs: performance.now() - w0,
  rss: process.memoryUsage().rss,
  maxRss: maxRssBytes(),
  versions: {
    eslint: ESLint.version,
    'eslint-plugin-security': security.meta.version,
    '@typescript-eslint/parser': tsParser.version,
    typescript: typescriptVersion,
    node: process.version,
  },
});

const loop0 = performance.now();
for (let i = from; i < manifest.packages.length; i++) {
  const pkg = manifest.packages[i];
  report({ t: 'start', i });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const files = pkg.acquired.files.map((f) => f.abs);
    const results = files.length ? await eslint.lintFiles(files) : [];
    const ms = performance.now() - t0;
    const cpuMs = cpuMsSince(c0);
    const t = tally(results);
    report({
      t: 'pkg',
      i,
      ms,
      cpuMs,
      findings: t.findings,
      extra: { files: results.length, fatal: t.fatal, other: t.other, byRule: t.byRule, ...(t.fatalSample ? { fatalSample: t.fatalSample } : {}) },
      rss: process.memoryUsage().rss,
      maxRss: maxRssBytes(),
    });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    report({ t: 'error', i, ms: performance.now() - t0, message: err.message, stack: err.stack, maxRss: maxRssBytes() });
  }
}
report({ t: 'end', maxRss: maxRssBytes(), loopMs: performance.now() - loop0 });
