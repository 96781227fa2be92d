#!/usr/bin/env node
/**
 * The `mcp-risk` command line. Exit codes (linters' habits):
 *   0  nothing at or above --fail-on
 *   1  findings at or above --fail-on
 *   2  usage or input error (clear message, no stack trace)
 *   3  internal error (a bug: message printed; stack with MCP_RISK_DEBUG=1)
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError, Option } from 'commander';
import { UserError } from './acquire/types.js';
import { assess, atOrAbove, type AssessOptions } from './assess.js';
import type { Assessment, Severity } from './model.js';
import { SEVERITIES } from './model.js';
import { render, toSurfaceText } from './report/index.js';
import { VERSION } from './version.js';

const FORMATS = ['terminal', 'json', 'sarif'];

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
    maxFileBytes: o.maxFileBytes ? Number(o.maxFileBytes) : undefined,
  };
}

async function output(text: string, file: string | undefined): Promise<void> {
  if (file) await writeFile(file, text);
  else process.stdout.write(text);
}

function addTargetOptions(c: Command): Command {
  return c
    .option('--include <pattern>', 'include files a default exclusion would skip (repeatable)', collect, [])
    .option('--exclude <pattern>', 'exclude more files (repeatable)', collect, [])
    .option('--no-default-excludes', 'do not skip node_modules, tests, vendored and minified files')
    .option('--rules <file>', 'extra model file with sources/sinks/sanitizers (repeatable)', collect, [])
    .option('--cache-dir <dir>', 'where downloaded packages and clones are kept')
    .option('--max-file-bytes <n>', 'skip source files larger than this (default 5 MiB)');
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
      .description('analyse a server (folder, npm spec like name@1.2.3 or npm:name, git URL, .tgz)')
      .argument('<target>', 'what to scan'),
  )
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .addOption(new Option('--min-severity <severity>', 'hide findings below this severity in the terminal').choices([...SEVERITIES]).default('low'))
    .option('-v, --verbose', 'show ids, full traces and all warnings')
    .option('--no-color', 'no colours')
    .action(async (target: string, o: Record<string, unknown>) => {
      const a = await assess(target, acquireOptions(o));
      const format = o.format as string;
      const color = o.color !== false && !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text = render(a, format as 'terminal' | 'json' | 'sarif', { color, minSeverity: o.minSeverity as Severity, verbose: !!o.verbose });
      await output(text, o.output as string | undefined);
      process.exitCode = exitFor(a, o.failOn as string);
    });

  addTargetOptions(program.command('surface').description('print the MCP surface: tools, resources, prompts, transports').argument('<target>', 'what to inspect'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (target: string, o: Record<string, unknown>) => {
      const a = await assess(target, acquireOptions(o));
      if (o.format === 'json') await output(`${JSON.stringify({ target: a.target, surface: a.surface }, null, 2)}\n`, undefined);
      else await output(toSurfaceText(a, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }), undefined);
    });

  return program;
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
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
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
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
