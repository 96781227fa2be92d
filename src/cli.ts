#!/usr/bin/env node
/**
 * The `mcp-risk` command line. Exit codes (linters' habits):
 *   0  nothing at or above --fail-on
 *   1  findings at or above --fail-on
 *   2  usage or input error (clear message, no stack trace)
 *   3  internal error (a bug: message printed; stack with MCP_RISK_DEBUG=1)
 */
import { open, readFile } from 'node:fs/promises';
import { explainFinding } from './risk/explain.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UserError } from './acquire/types.js';
import { writeOutputFile } from './output-file.js';
import { assess, assessMany, atOrAbove, type AssessOptions } from './assess.js';
import type { Assessment, Severity } from './model.js';
import { SEVERITIES } from './model.js';
import { render, toSurfaceText, type ReportFormat } from './report/index.js';
import { piecesText, toJsonLinePieces } from './report/json.js';
import { threadWriter } from './report/writer.js';
import { tuneV8 } from './v8-flags.js';
import { registerLandscapeCommands } from './landscape/cli.js';
import { ecosystemOptions, registerEcosystemCommands } from './ecosystem/cli.js';
import { VERSION } from './version.js';

const FORMATS = ['terminal', 'json', 'sarif', 'html', 'markdown'];

/** `--max-…-bytes` values: a positive whole number of bytes, or with a K/M/G (binary) unit: `500000`, `64KiB`, `2M`. */
export function byteSize(v: string): number {
  const m = /^\s*(\d+)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i.exec(v);
  const n = m ? Number(m[1]) * 1024 ** (m[2] ? 'kmg'.indexOf(m[2].toLowerCase()) + 1 : 0) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a size above 0: bytes, or a number with KiB, MiB or GiB');
  return n;
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function acquireOptions(o: Record<string, unknown>): AssessOptions {
  return {
    cacheDir: o.cacheDir as string | undefined,
    include: o.include as string[],
    exclude: o.exclude as string[],
    noDefaultExcludes: o.defaultExcludes === false,
    rules: o.rules as string[],
    maxFileBytes: o.maxFileBytes as number | undefined,
    maxTotalBytes: o.maxTotalBytes as number | undefined,
    ecosystem: ecosystemOptions(o),
  };
}

async function output(text: string, file: string | undefined): Promise<void> {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  await writeOutputFile(file, text);
}

function addTargetOptions(c: Command): Command {
  return c
    .option('--include <pattern>', 'include files a default exclusion would skip (repeatable)', collect, [])
    .option('--exclude <pattern>', 'exclude more files (repeatable)', collect, [])
    .option('--no-default-excludes', 'do not skip node_modules, tests, vendored and minified files')
    .option('--rules <file>', 'extra model file with sources/sinks/sanitizers (repeatable)', collect, [])
    .option('--cache-dir <dir>', 'where downloaded packages and clones are kept')
    .option('--max-file-bytes <size>', 'skip source files larger than this (bytes, or with KiB/MiB/GiB; default 5 MiB)', byteSize)
    .option('--max-total-bytes <size>', 'analyse at most this much source per target, leaving out the largest files (default 12 MiB, or --max-file-bytes if larger)', byteSize);
}

export function buildCli(): Command {
  const program = new Command();
  program
    .name('mcp-risk')
    .description('Static risk assessment of MCP servers: what they expose, what is exploitable, how risky.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ outputError: (s, w) => w(s) });

  addTargetOptions(
    program
      .command('scan')
      .description('analyse a server (folder, npm spec like name@1.2.3 or npm:name, git URL, .tgz); several targets: one report after the other (json: one JSON document per line)')
      .argument('[targets...]', 'what to scan'),
  )
    .option('--targets-from <file>', 'read more targets from a file, one per line (# starts a comment)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .addOption(new Option('--min-severity <severity>', 'hide findings below this severity in the terminal').choices([...SEVERITIES]).default('low'))
    .option('-v, --verbose', 'show ids, full traces and all warnings')
    .option('--explain', 'show every risk factor, where it came from (CWE/CAPEC field, inherited, default) and the arithmetic')
    .addOption(new Option('--aggregation <rule>', 'mcp-in-sos: how R is taken over a CWE\'s CAPECs').choices(['max', 'mean']).default('max'))
    .option('--no-color', 'no colours')
    .option('--import <file>', 'score the findings of another analyzer too: a SARIF 2.1.0 file (Semgrep, CodeQL, …) (repeatable)', collect, [])
    .option('--import-bandit <file>', 'score the findings of a Bandit JSON report (bandit -f json) too (repeatable)', collect, [])
    .option('--link-base <url>', 'html/markdown: link source lines to <url><file>#L<line> (e.g. https://github.com/org/repo/blob/<commit>/)')
    .action(async (args: string[], o: Record<string, unknown>) => {
      const targets = [...args, ...(o.targetsFrom ? await readTargetList(o.targetsFrom as string) : [])];
      if (!targets.length) throw new UserError('missing required argument: a target to scan (or --targets-from FILE)');
      if (o.linkBase !== undefined && !/^https?:\/\/[^\s]+$/i.test(o.linkBase as string)) throw new UserError('--link-base must be an http(s) URL');
      const imports = { sarif: o.import as string[], bandit: o.importBandit as string[] };
      const format = o.format as ReportFormat;
      const color = o.color !== false && !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const renderOpts = { color, minSeverity: o.minSeverity as Severity, verbose: !!o.verbose, explain: !!o.explain, linkBase: o.linkBase as string | undefined };
      const options: AssessOptions = { ...acquireOptions(o), aggregation: o.aggregation as 'max' | 'mean', imports };
      if (targets.length === 1) {
        const a = await assess(targets[0]!, options);
        await output(render(a, format, renderOpts), o.output as string | undefined);
        process.exitCode = exitFor(a, o.failOn as string);
        return;
      }
      await scanMany(targets, options, format, renderOpts, o);
    });

  addTargetOptions(program.command('surface').description('print the MCP surface: tools, resources, prompts, transports').argument('<target>', 'what to inspect'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (target: string, o: Record<string, unknown>) => {
      const a = await assess(target, acquireOptions(o));
      if (o.format === 'json') await output(`${JSON.stringify({ target: a.target, surface: a.surface }, null, 2)}\n`, undefined);
      else await output(toSurfaceText(a, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }), undefined);
    });

  addTargetOptions(
    program
      .command('explain')
      .description('explain the risk of one finding: every factor, where it came from, and the arithmetic')
      .argument('<finding-id>', 'the finding id (from --verbose or the JSON output)')
      .argument('[target]', 'the server to scan (or use --report)'),
  )
    .option('--report <file>', 'a JSON report written by `scan --format json`')
    .action(async (id: string, target: string | undefined, o: Record<string, unknown>) => {
      let a: Assessment;
      if (o.report) {
        let text: string;
        try {
          text = await readFile(o.report as string, 'utf8');
        } catch (e) {
          throw new UserError(`cannot read report ${String(o.report)}: ${(e as Error).message}`);
        }
        try {
          a = JSON.parse(text) as Assessment;
        } catch {
          throw new UserError(`${String(o.report)} is not a JSON report`);
        }
      } else if (target) a = await assess(target, acquireOptions(o));
      else throw new UserError('give a target to scan or --report <file>');
      const f = a.findings.find((x) => x.id === id || x.id.startsWith(id));
      if (!f) throw new UserError(`no finding with id ${id} (ids: ${a.findings.map((x) => x.id).slice(0, 10).join(', ')}${a.findings.length > 10 ? ', …' : ''})`);
      const r = a.risk?.findings.find((x) => x.findingId === f.id);
      if (!r) throw new UserError('the report has no risk section (scanned with the risk stage off?)');
      await output(`${explainFinding(f, r, a.risk)}\n`, undefined);
    });

  const kb = program.command('kb').description('the MITRE knowledge base (CWE, CAPEC) the risk models use');
  kb.command('show')
    .description('print a CWE or CAPEC entry and its links, e.g. `kb show CWE-78`, `kb show CAPEC-88`')
    .argument('<id>', 'CWE-n or CAPEC-n')
    .action(async (id: string) => {
      try {
        const { kbShow } = await import('./kb/commands.js');
        await output(`${kbShow(id)}\n`, undefined);
      } catch (e) {
        throw new UserError((e as Error).message);
      }
    });
  kb.command('build')
    .description('regenerate the knowledge base from MITRE files (CWE XML, CAPEC STIX JSON or XML)')
    .requiredOption('--cwe <file>', 'CWE catalog (cwec_vX.Y.xml)')
    .requiredOption('--capec <file>', 'CAPEC catalog (STIX 2.1 JSON or capec_vX.Y.xml)')
    .option('--out <dir>', 'output folder (default: the packaged data/kb)')
    .action(async (o: { cwe: string; capec: string; out?: string }) => {
      try {
        const { kbBuild } = await import('./kb/commands.js');
        const r = await kbBuild({ cwe: o.cwe, capec: o.capec, out: o.out });
        await output(`${JSON.stringify(r, null, 2)}\n`, undefined);
      } catch (e) {
        throw e instanceof UserError ? e : new UserError(`kb build failed: ${(e as Error).message}`);
      }
    });

  registerLandscapeCommands(program);
  registerEcosystemCommands(program);
  return program;
}

/** Targets listed in a file: one per line, blank lines and `#` comments skipped. */
async function readTargetList(file: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
    .filter((l) => l !== '');
}

/**
 * `scan` with several targets: assessMany() (the next targets are acquired and parsed on a parse thread while one
 * is analysed), each report written as soon as it is made — terminal and markdown one after the other, json as
 * one JSON document per line (JSON Lines). A target that cannot be acquired gets an error line (json: an
 * `{ "target", "error" }` object) and exit code 2 unless a finding asks for 1.
 */
async function scanMany(targets: string[], options: AssessOptions, format: ReportFormat, renderOpts: Parameters<typeof render>[2], o: Record<string, unknown>): Promise<void> {
  if (format === 'sarif' || format === 'html') throw new UserError(`--format ${format} takes one target at a time (json gives one line per target)`);
  const file = o.output as string | undefined;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = file ? await open(file, 'w') : undefined;
  } catch (e) {
    throw new UserError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const writer = handle ? threadWriter(handle.fd) : undefined;
  const write = (text: string | (string | number)[]): void => {
    if (writer) writer.write(text);
    else process.stdout.write(typeof text === 'string' ? text : piecesText(text));
  };
  let exit = 0;
  let failed = 0;
  try {
    await assessMany(targets, options, (i, r) => {
      if (r instanceof Error) {
        failed++;
        const message = r instanceof UserError ? r.message : `internal error: ${r.message}`;
        if (format === 'json') write(`${JSON.stringify({ target: targets[i], error: message })}\n`);
        else process.stderr.write(`mcp-risk: ${targets[i]}: ${message}\n`);
        return;
      }
      if (format === 'json') write(toJsonLinePieces(r));
      else write(`${render(r, format, renderOpts)}\n`);
      exit = Math.max(exit, exitFor(r, o.failOn as string));
    });
  } finally {
    // queued writes finish (or fail) before the file is closed, whatever happened above
    const written = writer?.end().then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    const err = await written;
    await handle?.close().catch(() => undefined);
    if (err) throw new UserError(`cannot write ${file}: ${err.code ?? err.message}`);
  }
  process.exitCode = exit || (failed ? 2 : 0);
}

export function exitFor(a: Assessment, failOn: string): number {
  if (failOn === 'none') return 0;
  return a.findings.some((f) => atOrAbove(f, failOn as Severity)) ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      // help printed because no command was given is a usage error
      if (e.code === 'commander.help') return e.exitCode === 0 ? 0 : 2;
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`mcp-risk: ${e.message}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    process.stderr.write(`mcp-risk: internal error: ${err?.message ?? String(e)}\n`);
    if (process.env.MCP_RISK_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    return 3;
  }
}

// run when executed directly (bin)
const invoked = process.argv[1] ?? '';
if (/cli\.(js|ts)$/.test(invoked) || /mcp-risk$/.test(invoked)) {
  tuneV8();
  // `mcp-risk … | head`: the reader went away; stop quietly, as Unix tools do, without Node's 'error' trace
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
