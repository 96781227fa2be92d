/**
 * Python support: the library models of rules/python/*.json, and the Python fixture servers of
 * test/fixtures/python-servers/* (official SDK FastMCP `sdk`, standalone FastMCP 2 `fastmcp`, low-level
 * `Server` `lowlevel`), each with an expected.json holding the exact findings (CWE, file, line, primitive,
 * name), the CWEs that must be absent and the surface. Vulnerable and safe twins.
 *
 * The first two groups check data only (they pass without the Python front-end); the third runs `assess()`
 * over every folder, as test/analysis/fixtures.test.ts does for the TypeScript/JavaScript servers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import { loadModels, rulesDir, type ModelFile } from '../../src/analysis/models.js';
import { EMITTED_CWES } from '../../src/kb/emitted-cwes.js';
import { checkExpected, key, type Expected } from '../fixture-expectations.js';
import { fromRoot } from '../helpers.js';

const root = fromRoot('test', 'fixtures', 'python-servers');
const names = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'expected.json'))).sort() : [];
const dirs = names.map((d) => path.join(root, d));
const readExpected = (dir: string): Expected & { twin: string } => JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected & { twin: string };

function pyFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${e}` : e;
    if (statSync(path.join(dir, r)).isDirectory()) out.push(...pyFiles(dir, r));
    else if (e.endsWith('.py')) out.push(r);
  }
  return out;
}

// ------------------------------------------------------------------------------------------- models
describe('python models (rules/python)', () => {
  const dir = path.join(rulesDir(), 'python');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const parsed = files.map((f) => ({ f, m: JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as ModelFile }));

  it('load with the shipped loader, apart from the JavaScript models', () => {
    const py = loadModels(['python']);
    assert.deepEqual(py.files, files.map((f) => `python/${f}`));
    assert.ok(py.sinksByCall.size > 200, `only ${py.sinksByCall.size} sink names`);
    const js = loadModels(['javascript']);
    assert.ok(!js.sinksByCall.has('subprocess.run') && !js.sinksByCall.has('builtins.eval'), 'python names leak into the JavaScript models');
    assert.ok(!py.sinksByCall.has('child_process.exec'), 'JavaScript names leak into the Python models');
  });

  it('declare language "python", unique sink ids, Python-spelt names', () => {
    const ids = new Set<string>();
    for (const { f, m } of parsed) {
      assert.equal(m.language, 'python', f);
      const all = [
        ...(m.sinks ?? []).flatMap((s) => s.call ?? []),
        ...(m.sources ?? []).flatMap((s) => [...(s.call ?? []), ...(s.member ?? [])]),
        ...(m.sanitizers ?? []).flatMap((s) => s.call),
        ...(m.propagators ?? []).flatMap((s) => s.call),
        ...(m.types ?? []).flatMap((s) => [...s.call, s.returns]),
      ];
      for (const n of all) {
        assert.match(n, /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*(#[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*)?$/, `${f}: ${n} is not a Python qualified name`);
        assert.ok(!n.startsWith('global.'), `${f}: ${n}: Python built-ins are builtins.<name>`);
      }
      for (const s of m.sinks ?? []) {
        assert.ok(s.id && /^py\//.test(s.id), `${f}: sink without a py/ id`);
        assert.ok(!ids.has(s.id!), `${f}: duplicate sink id ${s.id}`);
        ids.add(s.id!);
        assert.ok(s.label, `${f}: ${s.id} has no label`);
        for (const o of [s.ifOption, s.unlessOption]) if (o) assert.ok(Number.isInteger(o.arg) && typeof o.key === 'string', `${f}: ${s.id} option`);
        const cwe = s.cwe ?? (JSON.parse(readFileSync(path.join(rulesDir(), 'kinds.json'), 'utf8')) as Record<string, { cwe: number }>)[s.kind]!.cwe;
        assert.ok(EMITTED_CWES.includes(cwe), `${f}: ${s.id} emits CWE-${cwe}, which is not in EMITTED_CWES`);
      }
    }
  });

  it('cover the Python libraries MCP servers use', () => {
    const M = loadModels(['python']);
    const sink = (name: string, kind: string) => assert.ok((M.sinksByCall.get(name) ?? []).some((s) => s.kind === kind), `${name} is not a ${kind} sink`);
    for (const n of ['os.system', 'os.popen', 'subprocess.getoutput', 'asyncio.create_subprocess_shell', 'paramiko.SSHClient#exec_command']) sink(n, 'command');
    for (const n of ['subprocess.run', 'subprocess.Popen', 'subprocess.check_output']) {
      sink(n, 'command');
      sink(n, 'argument');
      const cmd = M.sinksByCall.get(n)!.find((s) => s.kind === 'command')!;
      assert.deepEqual(cmd.ifOption, { arg: -2, key: 'shell' }, `${n}: a command sink only with shell=True`);
      assert.ok(M.sinksByCall.get(n)!.find((s) => s.kind === 'argument')!.items, `${n}: argument lists are checked item by item`);
    }
    for (const n of ['builtins.eval', 'builtins.exec']) sink(n, 'code');
    for (const n of ['builtins.open', 'os.remove', 'shutil.rmtree', 'shutil.copy', 'pathlib.Path#read_text', 'pathlib.Path#write_text', 'pathlib.Path#unlink', 'aiofiles.open', 'git.Repo.init']) sink(n, 'path');
    assert.deepEqual(M.sinksByCall.get('pathlib.Path#read_text')![0]!.args, [-1], 'pathlib methods check their receiver');
    for (const n of ['requests.get', 'requests.Session#post', 'httpx.get', 'httpx.AsyncClient#get', 'aiohttp.ClientSession#get', 'urllib.request.urlopen']) sink(n, 'url');
    for (const n of ['sqlite3.Cursor#execute', 'sqlite3.Connection#executescript', 'psycopg2.Cursor#execute', 'psycopg.Connection#execute', 'asyncpg.Connection#fetch', 'pymysql.Cursor#execute', 'sqlalchemy.text', 'aiosqlite.Connection#execute']) sink(n, 'sql');
    for (const n of ['pickle.loads', 'marshal.loads', 'yaml.load', 'yaml.unsafe_load']) sink(n, 'deser');
    assert.ok(!M.sinksByCall.has('yaml.safe_load'), 'yaml.safe_load is not a sink');
    for (const n of ['jinja2.Template', 'jinja2.Environment#from_string', 'mako.template.Template']) sink(n, 'template');
    sink('lxml.etree.fromstring', 'xxe');
    sink('git.Repo#git.diff', 'argument');
    sink('git.Git#checkout', 'argument');
    for (const [call, type] of [
      ['sqlite3.connect', 'sqlite3.Connection'],
      ['sqlite3.Connection#cursor', 'sqlite3.Cursor'],
      ['pathlib.Path', 'pathlib.Path'],
      ['pathlib.Path#resolve', 'pathlib.Path'],
      ['httpx.AsyncClient', 'httpx.AsyncClient'],
      ['git.Repo', 'git.Repo'],
      ['jinja2.Environment', 'jinja2.Environment'],
    ] as const)
      assert.equal(M.types.get(call), type, `${call} returns ${type}`);
    assert.equal(M.types.get('jinja2.sandbox.SandboxedEnvironment'), 'jinja2.SandboxedEnvironment');
    assert.ok(!M.sinksByCall.has('jinja2.SandboxedEnvironment#from_string'), 'the sandboxed environment is not a sink');
    for (const n of ['shlex.quote', 'builtins.int', 'os.path.basename']) assert.ok(M.sanitizers.has(n), `${n} is a sanitizer`);
    assert.deepEqual(M.propagators.get('os.path.realpath')?.sets, ['resolved', 'realpath']);
    assert.deepEqual(M.propagators.get('pathlib.Path#resolve')?.sets, ['resolved', 'realpath']);
    assert.deepEqual(M.propagators.get('os.path.abspath')?.sets, ['resolved']);
    assert.equal(M.propagators.get('os.path.join')?.sets, undefined, 'os.path.join does not normalise');
    assert.ok(M.propagators.get('pathlib.Path'), 'Path(x) keeps the taint of x (a type alone would drop it)');
    assert.ok(M.sourcesByMember.has('os.environ') && M.sourcesByCall.has('os.getenv'));
  });
});

// ------------------------------------------------------------------------------------------- fixtures: data
const STYLE_IMPORT: Record<string, RegExp> = {
  sdk: /^from mcp\.server\.fastmcp import .*\bFastMCP\b/m,
  fastmcp: /^from fastmcp import .*\bFastMCP\b/m,
  lowlevel: /^from mcp\.server(\.lowlevel)? import .*\bServer\b/m,
};

describe('python fixture folders', () => {
  it('exist, vulnerable and safe twins for every class', () => {
    assert.ok(names.length >= 30, `only ${names.length} python fixture folders`);
    const cwes = new Set(names.map((n) => Number(n.split('-')[0])));
    for (const c of [22, 59, 78, 88, 89, 94, 295, 330, 377, 502, 611, 798, 918, 1336]) assert.ok(cwes.has(c), `no fixture for CWE-${c}`);
    const styles = new Set(names.map((n) => n.split('-').at(-2)));
    assert.deepEqual([...styles].sort(), ['fastmcp', 'lowlevel', 'sdk']);
  });

  for (const dir of dirs) {
    const name = path.basename(dir);
    it(`${name}: expected.json is consistent with the folder`, () => {
      const m = /^(\d+)-[a-z0-9-]+-(sdk|fastmcp|lowlevel)-(vuln|safe)$/.exec(name);
      assert.ok(m, `folder name ${name} is not <cwe>-<name>-<sdk|fastmcp|lowlevel>-<vuln|safe>`);
      const [, cwe, style, kind] = m;
      const exp = readExpected(dir);
      assert.ok(exp.description.length > 40, 'description');
      assert.equal(exp.exact, true, 'python fixtures list their findings exactly');
      const twin = path.join(root, exp.twin);
      assert.ok(existsSync(path.join(twin, 'expected.json')), `twin ${exp.twin} missing`);
      assert.equal(readExpected(twin).twin, name, 'twins point at each other');
      assert.equal(exp.twin, name.replace(/-(vuln|safe)$/, kind === 'vuln' ? '-safe' : '-vuln'));
      if (kind === 'vuln') {
        assert.ok(exp.findings.length > 0, 'a vulnerable fixture has findings');
        assert.ok(exp.findings.some((f) => String(f.cwe) === cwe || (cwe === '94' && f.cwe === 95)), `no CWE-${cwe} finding`);
      } else assert.deepEqual(exp.findings, [], 'a safe twin has no findings');
      const files = pyFiles(dir);
      assert.ok(files.length > 0, 'no .py file');
      assert.ok(files.some((f) => STYLE_IMPORT[style!]!.test(readFileSync(path.join(dir, f), 'utf8'))), `no ${style} import`);
      for (const f of exp.findings) {
        assert.ok(files.includes(f.file), `${key(f)}: no such file`);
        const lines = readFileSync(path.join(dir, f.file), 'utf8').split('\n');
        const text = lines[f.line - 1] ?? '';
        assert.ok(f.line >= 1 && f.line <= lines.length, `${key(f)}: line out of range`);
        assert.ok(text.trim() && !text.trim().startsWith('#'), `${key(f)}: blank or comment line`);
        assert.ok(['tool', 'resource', 'prompt', 'protocol'].includes(f.primitive), `${key(f)}: primitive`);
        assert.equal(f.primitive === 'protocol', f.name === undefined, `${key(f)}: a name exactly when the primitive is not protocol`);
        assert.ok(!(exp.absent ?? []).includes(f.cwe), `${key(f)}: CWE both expected and absent`);
        if (f.primitive !== 'protocol') {
          const list = f.primitive === 'tool' ? exp.surface?.tools : f.primitive === 'resource' ? exp.surface?.resources : exp.surface?.prompts;
          assert.ok(list?.includes(f.name!), `${key(f)}: ${f.name} is not in the expected surface`);
        }
      }
    });
  }
});

// ------------------------------------------------------------------------------------------- fixtures: analysis
describe('python fixture servers', () => {
  for (const dir of dirs) {
    it(path.basename(dir), async () => {
      const exp = readExpected(dir);
      const a = await assess(dir);
      const noFrontEnd = a.warnings.filter((w) => /no front-end for python/.test(w.message));
      assert.equal(noFrontEnd.length, 0, 'the Python front-end is not registered (src/languages/python/lower.ts)');
      assert.ok(a.stats.files >= pyFiles(dir).length, `analysed ${a.stats.files} files`);
      checkExpected(a, exp);
    });
  }
});
