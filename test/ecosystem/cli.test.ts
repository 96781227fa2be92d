/**
 * The command line of the ecosystem checks: `mcp-risk host` (explicit files and discovery, malformed
 * files, exit codes, JSON, no secret printed, hostile names) and `scan` with metadata findings and
 * `--registry-checks --offline`.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { HostReport } from '../../src/ecosystem/types.js';
import type { Assessment } from '../../src/model.js';
import { assertNoCrashOutput, runCli } from '../cli/run.js';
import { fromRoot } from '../helpers.js';
import { FIXTURE_SECRETS } from './fixtures.js';

const HOSTS = fromRoot('test', 'fixtures', 'ecosystem', 'hosts');
const ALL = [
  'claude-desktop/claude_desktop_config.json',
  'claude-code/.claude.json',
  'claude-code/project/.mcp.json',
  'cursor/.cursor/mcp.json',
  'vscode/.vscode/mcp.json',
  'vscode/User/settings.json',
  'windsurf/mcp_config.json',
  'cline/cline_mcp_settings.json',
  'gemini/.gemini/settings.json',
  'malformed/claude_desktop_config.json',
  'malformed/cline_mcp_settings.json',
  'malformed/empty.json',
].map((f) => path.join(HOSTS, f));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'mcp-risk-hostcli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const offline = ['--offline', '--no-static', '--cache-dir', path.join(tmp, 'cache')];

describe('mcp-risk host', () => {
  it('every host’s file at once: JSON report, an error per malformed file, no secret printed, exit 1 on high findings', async () => {
    const r = await runCli(['host', ...ALL.flatMap((f) => ['--config', f]), ...offline, '-f', 'json'], { cwd: tmp });
    assertNoCrashOutput(r, 'host json');
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(r.stdout) as HostReport;
    assert.equal(j.configs.length, ALL.length);
    assert.deepEqual(
      j.configs.filter((c) => c.error).map((c) => path.basename(c.path)),
      ['claude_desktop_config.json', 'empty.json'],
    );
    assert.deepEqual([...new Set(j.servers.map((s) => s.entry.host))].sort(), ['claude-code', 'claude-desktop', 'cline', 'cursor', 'gemini-cli', 'vscode', 'windsurf']);
    assert.equal(j.servers.find((s) => s.entry.name === 'linear')!.status, 'not-assessable');
    assert.equal(j.servers.find((s) => s.entry.name === 'old-tool')!.status, 'disabled');
    for (const s of FIXTURE_SECRETS) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `secret ${s.slice(0, 4)}… printed`);
    const secrets = j.servers.flatMap((s) => s.findings).filter((f) => f.ruleId === 'mcp-risk/host-config-plaintext-secret');
    assert.equal(secrets.length, 6);
    assert.ok(secrets.every((f) => f.cwe === 522 && f.location.line >= 1));
  });

  it('terminal output', async () => {
    const r = await runCli(['host', '--config', ALL[0]!, '--config', ALL[9]!, ...offline, '--fail-on', 'none'], { cwd: tmp });
    assertNoCrashOutput(r, 'host terminal');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /✓ Claude Desktop \(explicit\) .*claude-desktop\/claude_desktop_config\.json — 7 servers/);
    assert.match(r.stdout, /✗ Claude Desktop \(explicit\) .*malformed\/claude_desktop_config\.json — invalid JSON: .*\(line 7, column 5\)/);
    assert.match(r.stdout, /HIGH\s+CWE-522 Plaintext credential/);
    assert.match(r.stdout, /sqlite .*docker mcp\/sqlite .*not-assessable/);
  });

  it('discovers the configs under HOME and the project folder', async () => {
    const home = path.join(tmp, 'home');
    mkdirSync(path.join(home, '.cursor'), { recursive: true });
    mkdirSync(path.join(home, 'proj', '.vscode'), { recursive: true });
    cpSync(path.join(HOSTS, 'cursor', '.cursor', 'mcp.json'), path.join(home, '.cursor', 'mcp.json'));
    cpSync(path.join(HOSTS, 'vscode', '.vscode', 'mcp.json'), path.join(home, 'proj', '.vscode', 'mcp.json'));
    const r = await runCli(['host', '--project', path.join(home, 'proj'), ...offline, '-f', 'json', '--fail-on', 'none'], { cwd: tmp, env: { HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: undefined, APPDATA: undefined } });
    assertNoCrashOutput(r, 'host discovery');
    const j = JSON.parse(r.stdout) as HostReport;
    const found = j.configs.filter((c) => c.found).map((c) => `${c.host}:${c.scope}`);
    assert.deepEqual(found.sort(), ['cursor:user', 'vscode:project']);
    assert.ok(j.configs.length > 10, 'every location is listed, found or not');
  });

  it('nothing found is not an error; a missing --config file is (exit 2)', async () => {
    const empty = path.join(tmp, 'empty-home');
    mkdirSync(empty, { recursive: true });
    const r = await runCli(['host', '--project', empty, ...offline], { cwd: tmp, env: { HOME: empty, USERPROFILE: empty, XDG_CONFIG_HOME: undefined, APPDATA: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /no MCP host configuration found/);
    const m = await runCli(['host', '--config', path.join(tmp, 'nope.json')], { cwd: tmp });
    assert.equal(m.code, 2);
    assert.match(m.stderr, /configuration file not found/);
    const t = await runCli(['host', '--live-timeout', '0'], { cwd: tmp });
    assert.equal(t.code, 2);
  });

  it('hostile names and values are printed escaped', async () => {
    const cfg = path.join(tmp, 'hostile', 'mcp.json');
    mkdirSync(path.dirname(cfg), { recursive: true });
    writeFileSync(cfg, JSON.stringify({ mcpServers: { 'evil\u001b[2J\u202ename': { command: 'mcp-server-\u001b[31mred' } } }));
    const r = await runCli(['host', '--config', cfg, ...offline], { cwd: tmp });
    assertNoCrashOutput(r, 'hostile');
    assert.doesNotMatch(r.stdout, /\u001b|\u202e/);
    assert.match(r.stdout, /evil\\x1b\[2J<U\+202E>name/);
  });
});

describe('mcp-risk scan: ecosystem checks', () => {
  it('metadata findings on a poisoned server (JSON, exit 1)', async () => {
    const r = await runCli(['scan', fromRoot('test', 'fixtures', 'ecosystem', 'poisoned-server'), '-f', 'json'], { cwd: tmp });
    assertNoCrashOutput(r, 'scan poisoned');
    assert.equal(r.code, 1);
    const a = JSON.parse(r.stdout) as Assessment;
    assert.ok(a.findings.some((f) => f.ruleId === 'mcp-risk/metadata-sensitive-read' && f.primitive.name === 'add'));
  });
  it('--registry-checks --offline: the offline signs only', async () => {
    const pkg = path.join(tmp, 'pkg');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'server-filesystem', version: '1.0.0', scripts: { postinstall: 'node x.js' } }));
    writeFileSync(path.join(pkg, 'index.js'), '');
    const { create } = await import('tar');
    await create({ gzip: true, file: path.join(tmp, 'pkg.tgz'), cwd: tmp }, ['pkg']);
    const r = await runCli(['scan', path.join(tmp, 'pkg.tgz'), '--registry-checks', '--offline', '--cache-dir', path.join(tmp, 'cache'), '-f', 'json', '--fail-on', 'none'], { cwd: tmp, env: { MCP_RISK_GITHUB_API: 'http://127.0.0.1:9', MCP_RISK_NPM_REGISTRY: 'http://127.0.0.1:9' } });
    assertNoCrashOutput(r, 'scan registry');
    const a = JSON.parse(r.stdout) as Assessment;
    assert.deepEqual(a.findings.map((f) => f.ruleId).sort(), ['mcp-risk/supply-chain-install-script', 'mcp-risk/supply-chain-name-squatting', 'mcp-risk/supply-chain-no-repository']);
    assert.deepEqual(a.warnings.filter((w) => w.code === 'registry-check-failed'), [], 'no network attempted');
  });
});
