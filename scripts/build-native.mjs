#!/usr/bin/env node
/**
 * Builds the native parser addon (native/parser.c + tree-sitter's C runtime + the Python grammar) with node-gyp.
 * Run by `npm install` / `npm ci` (the package's `install` script) and by `npm run build:native`.
 *
 * Optional by design: when it cannot be built (no C compiler, no Node headers, node-gyp missing), it says so and
 * exits 0; mcp-risk then parses with web-tree-sitter (WebAssembly), which gives the same trees more slowly.
 * `MCP_RISK_SKIP_NATIVE=1` skips the build; `MCP_RISK_REQUIRE_NATIVE=1` (CI) makes a failed build an error.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'native');
const out = path.join(dir, 'build', 'Release', 'mcp_risk_parser.node');

function say(msg) {
  process.stderr.write(`mcp-risk native parser: ${msg}\n`);
}

if (process.env.MCP_RISK_SKIP_NATIVE) {
  say('skipped (MCP_RISK_SKIP_NATIVE); the WebAssembly parser will be used');
  process.exit(0);
}

/** npm's own node-gyp: the one npm names in lifecycle scripts, else the copy beside npm, else PATH. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return [process.execPath, c];
  return ['node-gyp'];
}

/** Node's own headers (a distribution or official install has them beside the executable): no download. */
function nodedir() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.join(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

const [cmd, ...pre] = nodeGyp();
const t0 = Date.now();
const r = spawnSync(cmd, [...pre, 'rebuild', '--release', `--directory=${dir}`, ...nodedir()], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status === 0 && existsSync(out)) {
  say(`built ${path.relative(root, out)} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(0);
}
const tail = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim().split('\n').slice(-12).join('\n');
const required = !!process.env.MCP_RISK_REQUIRE_NATIVE;
say(`not built (${r.error ? r.error.message : `node-gyp exit ${r.status}`})${required ? '' : '; the WebAssembly parser will be used'}.\n${tail}`);
process.exit(required ? 1 : 0);
