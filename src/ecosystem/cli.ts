/**
 * Command-line hooks of the ecosystem checks:
 *
 *   mcp-risk host [--config FILE]… [--project DIR] [--live] [--offline] [--no-registry-checks] [--no-static]
 *                 [--pin-file FILE] [--update-pins] [-f terminal|json] [-o FILE] [--fail-on SEV]
 *   scan … [--registry-checks] [--offline]          (options added to the existing `scan` command)
 *
 * `registerEcosystemCommands(program)` adds them; `ecosystemOptions(o)` maps the parsed scan options
 * to `AssessOptions.ecosystem`.
 */
import { writeOutputFile } from '../output-file.js';
import os from 'node:os';
import { Command, Option } from 'commander';
import { UserError } from '../acquire/types.js';
import type { Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { SEVERITY_RANK } from '../report/common.js';
import type { EcosystemOptions } from './index.js';
// the host pipeline (live introspection, registry look-ups) is loaded by the `host` command only

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

/** `scan --registry-checks --offline` → AssessOptions.ecosystem. */
export function ecosystemOptions(o: Record<string, unknown>): EcosystemOptions {
  return { registryChecks: o.registryChecks === true, offline: o.offline === true };
}

export function registerEcosystemCommands(program: Command): void {
  const scan = program.commands.find((c) => c.name() === 'scan');
  if (scan && !scan.options.some((x) => x.long === '--registry-checks')) {
    scan.option('--registry-checks', 'supply-chain signs of an npm package: install scripts, repository, name squatting, README secrets, GitHub owner/redirect look-ups');
    if (!scan.options.some((x) => x.long === '--offline')) scan.option('--offline', 'no network look-ups for --registry-checks (the offline signs still run)');
  }

  program
    .command('host')
    .description('find the MCP configurations of Claude Desktop, Claude Code, Cursor, VS Code, Windsurf, Cline and Gemini CLI, and assess every configured server')
    .option('--config <file>', 'assess this configuration file instead of discovering them (repeatable)', collect, [])
    .option('--project <dir>', 'project folder whose .mcp.json / .cursor / .vscode / .gemini configs are read (default: the current folder)')
    .option('--live', 'start (stdio) or contact (HTTP/SSE) every server and list its tools — this RUNS the configured commands')
    .option('--live-timeout <seconds>', 'time allowed per server with --live', '30')
    .option('--pin-file <file>', 'pin file for --live definitions', 'mcp-risk.lock')
    .option('--update-pins', 'accept changed definitions into the pin file')
    .option('--offline', 'no network: no registry look-ups; npm packages only from the cache')
    .option('--no-registry-checks', 'skip supply-chain signs (install scripts, squatting, repository checks)')
    .option('--no-static', 'do not download and analyse the servers’ code (configuration and --live checks only)')
    .option('--cache-dir <dir>', 'where downloaded packages and clones are kept')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['terminal', 'json']).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .addOption(new Option('--min-severity <severity>', 'hide findings below this severity in the terminal').choices([...SEVERITIES]).default('low'))
    .option('-v, --verbose', 'list every location looked at, capabilities, notes and ids')
    .option('--no-color', 'no colours')
    .action(async (o: Record<string, unknown>) => {
      const timeout = Number(o.liveTimeout);
      if (!Number.isFinite(timeout) || timeout <= 0) throw new UserError('--live-timeout must be a positive number of seconds');
      const configs = o.config as string[];
      const { allHostFindings, runHost } = await import('./host-run.js');
      const { toHostJson, toHostTerminal } = await import('./render.js');
      const report = await runHost({
        configs,
        environment: { platform: process.platform, home: os.homedir(), cwd: (o.project as string | undefined) ?? process.cwd(), env: process.env },
        live: o.live === true,
        liveTimeoutMs: timeout * 1000,
        offline: o.offline === true,
        registryChecks: o.registryChecks !== false,
        static: o.static !== false,
        pinFile: o.pinFile as string,
        updatePins: o.updatePins === true,
        cacheDir: o.cacheDir as string | undefined,
        progress: o.verbose ? (m) => process.stderr.write(`mcp-risk: ${m}\n`) : undefined,
      });
      if (configs.length && report.configs.every((c) => !c.found)) throw new UserError(`configuration file not found: ${configs.join(', ')}`);
      const color = o.color !== false && !o.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text = o.format === 'json' ? toHostJson(report) : toHostTerminal(report, { color, verbose: !!o.verbose, minSeverity: o.minSeverity as Severity });
      if (o.output) await writeOutputFile(o.output as string, text);
      else process.stdout.write(text);
      const failOn = o.failOn as string;
      process.exitCode = failOn !== 'none' && allHostFindings(report).some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn as Severity]) ? 1 : 0;
    });
}
