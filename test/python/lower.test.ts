/**
 * The Python front-end: tree-sitter-python syntax tree → the same IR as TypeScript (src/languages/python/lower.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSource } from '../../src/languages/index.js';
import type { Expr, IRFunction, IRModule, Stmt } from '../../src/languages/ir.js';
import { forEachExprInBody } from '../../src/languages/ir.js';
import { decodePyEscapes } from '../../src/languages/python/lower.js';

async function lower(text: string): Promise<IRModule> {
  const r = await parseSource('m.py', 'python', text);
  assert.ok(r.module, `no module: ${r.problems.join('; ')}`);
  return r.module;
}

/** The IR without source spans, for shape comparisons. */
function shape<T>(x: T): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === 'loc' ? undefined : v)));
}

function fnNamed(m: IRModule, name: string): IRFunction {
  const f = m.functions.find((x) => x.name === name);
  assert.ok(f, `no function ${name}: ${m.functions.map((x) => x.name).join(', ')}`);
  return f;
}

/** The value of `let name = …` at module level. */
function valueOf(m: IRModule, name: string, body: Stmt[] = m.functions[0]!.body): Expr {
  const s = body.find((x) => x.k === 'let' && x.target.k === 'id' && x.target.name === name);
  assert.ok(s && s.k === 'let' && s.value, `no let ${name}`);
  return s.value;
}

describe('python lowering: module and functions', () => {
  it('the module top level is function 0; def binds its name to a function value', async () => {
    const m = await lower('"""Module doc."""\nimport os\n\ndef f(a):\n    return a\n');
    assert.equal(m.language, 'python');
    assert.equal(m.functions[0]!.name, '<module>');
    assert.equal(m.functions[0]!.doc, 'Module doc.');
    assert.deepEqual(m.exports, []);
    assert.deepEqual(shape(m.functions[0]!.body), [{ k: 'let', target: { k: 'id', name: 'f' }, value: { k: 'fn', fn: 1 } }]);
    const f = fnNamed(m, 'f');
    assert.equal(f.parent, 0);
    assert.deepEqual(shape(f.body), [{ k: 'return', value: { k: 'var', name: 'a' } }]);
  });

  it('parameters: positional, defaults, *args, keyword-only, **kwargs, type hints; docstring; async', async () => {
    const m = await lower(
      [
        'async def handler(a, b: int = 3, *args: str, c, d: Literal["x", "y"] = "x", e: Annotated[str, Field(description="E")], **kw) -> str:',
        '    """Run it.',
        '',
        '    More text.',
        '    """',
        '    return a',
        'def g(x, /, *, y=None): pass',
      ].join('\n'),
    );
    const f = fnNamed(m, 'handler');
    assert.equal(f.isAsync, true);
    assert.equal(f.doc, 'Run it.\n\nMore text.');
    assert.deepEqual(shape(f.params), [
      { pattern: { k: 'id', name: 'a' } },
      { pattern: { k: 'id', name: 'b' }, default: { k: 'lit', kind: 'number', value: 3 }, type: 'int' },
      { pattern: { k: 'id', name: 'args' }, rest: true, type: 'str' },
      { pattern: { k: 'id', name: 'c' } },
      { pattern: { k: 'id', name: 'd' }, default: { k: 'lit', kind: 'string', value: 'x' }, type: 'Literal["x", "y"]' },
      { pattern: { k: 'id', name: 'e' }, type: 'Annotated[str, Field(description="E")]' },
      { pattern: { k: 'id', name: 'kw' }, kwrest: true },
    ]);
    // the docstring is not a statement
    assert.equal(f.body.length, 1);
    // `/` and `*` separators are not parameters
    assert.deepEqual(
      fnNamed(m, 'g').params.map((p) => (p.pattern.k === 'id' ? p.pattern.name : '?')),
      ['x', 'y'],
    );
  });

  it('decorators are kept on the function, unevaluated: @mcp.tool(), @server.call_tool(), @app.get("/x"), @mcp.tool', async () => {
    const m = await lower(
      ['@mcp.tool()', 'def a(): pass', '@server.call_tool()', 'async def b(name, arguments): pass', '@app.get("/x")', 'def c(): pass', '@mcp.tool', 'def d(): pass', '@mcp.tool(name="n", description="D")', 'def e(): pass'].join('\n'),
    );
    assert.deepEqual(shape(fnNamed(m, 'a').decorators), [{ expr: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'mcp' }, prop: 'tool' }, args: [] } }]);
    assert.deepEqual(shape(fnNamed(m, 'b').decorators), [{ expr: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'server' }, prop: 'call_tool' }, args: [] } }]);
    assert.deepEqual(shape(fnNamed(m, 'c').decorators), [
      { expr: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'app' }, prop: 'get' }, args: [{ value: { k: 'lit', kind: 'string', value: '/x' } }] } },
    ]);
    assert.deepEqual(shape(fnNamed(m, 'd').decorators), [{ expr: { k: 'member', obj: { k: 'var', name: 'mcp' }, prop: 'tool' } }]);
    assert.deepEqual(shape(fnNamed(m, 'e').decorators![0]!.expr), {
      k: 'call',
      callee: { k: 'member', obj: { k: 'var', name: 'mcp' }, prop: 'tool' },
      args: [
        { value: { k: 'lit', kind: 'string', value: 'n' }, name: 'name' },
        { value: { k: 'lit', kind: 'string', value: 'D' }, name: 'description' },
      ],
    });
    // decorated or not, the name is bound to the function itself
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'fn', fn: fnNamed(m, 'a').index });
  });

  it('lambdas and nested functions are functions with their parent', async () => {
    const m = await lower('def outer(x):\n    def inner(y):\n        return x + y\n    k = lambda q, *r: q\n    return inner\n');
    const outer = fnNamed(m, 'outer');
    const inner = fnNamed(m, 'inner');
    assert.equal(inner.parent, outer.index);
    const lam = m.functions.find((f) => f.name.startsWith('<lambda@'))!;
    assert.equal(lam.parent, outer.index);
    assert.deepEqual(shape(lam.params), [{ pattern: { k: 'id', name: 'q' } }, { pattern: { k: 'id', name: 'r' }, rest: true }]);
    assert.deepEqual(shape(lam.body), [{ k: 'return', value: { k: 'var', name: 'q' } }]);
  });

  it('classes: methods with self first, __init__, class-level fields, decorators, the base class', async () => {
    const m = await lower(
      [
        '@dataclass',
        'class Runner(str, Base):',
        '    """Runs."""',
        '    prefix = "echo"',
        '    count: int',
        '    def __init__(self, base):',
        '        self.base = base',
        '    @staticmethod',
        '    def helper(x):',
        '        return x',
        '    @property',
        '    def name(self):',
        '        return self.base',
      ].join('\n'),
    );
    assert.equal(m.classes.length, 1);
    const c = m.classes[0]!;
    assert.equal(c.name, 'Runner');
    assert.deepEqual(shape(c.superClass), { k: 'var', name: 'Base' });
    assert.deepEqual(shape(c.decorators), [{ expr: { k: 'var', name: 'dataclass' } }]);
    assert.deepEqual(Object.keys(c.methods).sort(), ['__init__', 'helper', 'name']);
    const init = m.functions[c.methods.__init__!]!;
    assert.equal(init.name, 'Runner.__init__');
    assert.equal(init.cls, 0);
    assert.deepEqual(
      init.params.map((p) => (p.pattern.k === 'id' ? p.pattern.name : '?')),
      ['self', 'base'],
    );
    assert.deepEqual(shape(init.body), [
      { k: 'expr', expr: { k: 'assign', op: '=', target: { k: 'expr', expr: { k: 'member', obj: { k: 'var', name: 'self' }, prop: 'base' } }, value: { k: 'var', name: 'base' } } },
    ]);
    // a static method has no `self`: no cls
    assert.equal(m.functions[c.methods.helper!]!.cls, undefined);
    assert.deepEqual(shape(c.fields), [
      { k: 'expr', expr: { k: 'assign', op: '=', target: { k: 'expr', expr: { k: 'member', obj: { k: 'this' }, prop: 'prefix' } }, value: { k: 'lit', kind: 'string', value: 'echo' } } },
      { k: 'expr', expr: { k: 'assign', op: '=', target: { k: 'expr', expr: { k: 'member', obj: { k: 'this' }, prop: 'count' } }, value: { k: 'other', what: 'annotation', children: [] } } },
    ]);
    assert.deepEqual(shape(valueOf(m, 'Runner')), { k: 'class', cls: 0 });
  });
});

describe('python lowering: expressions', () => {
  it('calls keep keyword arguments; *x and **x are spread arguments', async () => {
    const m = await lower('subprocess.run(cmd, *extra, shell=True, **opts)\n');
    const s = m.functions[0]!.body[0]!;
    assert.deepEqual(shape(s), {
      k: 'expr',
      expr: {
        k: 'call',
        callee: { k: 'member', obj: { k: 'var', name: 'subprocess' }, prop: 'run' },
        args: [
          { value: { k: 'var', name: 'cmd' } },
          { value: { k: 'var', name: 'extra' }, spread: true },
          { value: { k: 'lit', kind: 'bool', value: true }, name: 'shell' },
          { value: { k: 'var', name: 'opts' }, spread: true, name: '**' },
        ],
      },
    });
  });

  it('attribute and subscript access (literal index as prop), slices', async () => {
    const m = await lower('a = args["cmd"]\nb = xs[0]\nc = obj.attr\nd = s[1:]\ne = d[k]\n');
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'member', obj: { k: 'var', name: 'args' }, index: { k: 'lit', kind: 'string', value: 'cmd' }, prop: 'cmd' });
    assert.deepEqual(shape(valueOf(m, 'b')), { k: 'member', obj: { k: 'var', name: 'xs' }, index: { k: 'lit', kind: 'number', value: 0 }, prop: '0' });
    assert.deepEqual(shape(valueOf(m, 'c')), { k: 'member', obj: { k: 'var', name: 'obj' }, prop: 'attr' });
    const d = valueOf(m, 'd');
    assert.equal(d.k === 'member' && d.index?.k === 'other' && d.index.what, 'slice');
    assert.deepEqual(shape(valueOf(m, 'e')), { k: 'member', obj: { k: 'var', name: 'd' }, index: { k: 'var', name: 'k' } });
  });

  it('strings: escapes decoded, adjacent literals joined, raw strings, bytes, f-strings as tpl', async () => {
    const m = await lower(
      [
        'a = "x\\ty" \'z\'',
        "b = r'\\d+'",
        "c = b'\\x41B'",
        'd = f"run {cmd!r:>10} {{literal}}\\n"',
        'e = "pre-" f"{x}"',
        'f = """one\ntwo"""',
        "g = '\\u00e9\\x41\\101\\q'",
      ].join('\n'),
    );
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'lit', kind: 'string', value: 'x\tyz' });
    assert.deepEqual(shape(valueOf(m, 'b')), { k: 'lit', kind: 'string', value: '\\d+' });
    assert.deepEqual(shape(valueOf(m, 'c')), { k: 'lit', kind: 'bytes', value: 'AB' });
    assert.deepEqual(shape(valueOf(m, 'd')), {
      k: 'tpl',
      parts: [
        { k: 'lit', kind: 'string', value: 'run ' },
        { k: 'var', name: 'cmd' },
        { k: 'lit', kind: 'string', value: ' {literal}\n' },
      ],
    });
    assert.deepEqual(shape(valueOf(m, 'e')), { k: 'tpl', parts: [{ k: 'lit', kind: 'string', value: 'pre-' }, { k: 'var', name: 'x' }] });
    assert.deepEqual(shape(valueOf(m, 'f')), { k: 'lit', kind: 'string', value: 'one\ntwo' });
    assert.deepEqual(shape(valueOf(m, 'g')), { k: 'lit', kind: 'string', value: 'éAA\\q' });
    assert.equal(decodePyEscapes('\\N{EM DASH}\\\\', false), '\u2014\\');
  });

  it('% formatting stays a bin %, .format() a method call, + a bin +', async () => {
    const m = await lower('a = "ls %s" % path\nb = "ls {}".format(path)\nc = "ls " + path\n');
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'bin', op: '%', left: { k: 'lit', kind: 'string', value: 'ls %s' }, right: { k: 'var', name: 'path' } });
    assert.deepEqual(shape(valueOf(m, 'b')), {
      k: 'call',
      callee: { k: 'member', obj: { k: 'lit', kind: 'string', value: 'ls {}' }, prop: 'format' },
      args: [{ value: { k: 'var', name: 'path' } }],
    });
    assert.equal((valueOf(m, 'c') as { op: string }).op, '+');
  });

  it('numbers, True/False/None, ternary, and/or, not, unary minus', async () => {
    const m = await lower('a = 1_000\nb = 0x1F\nc = 2.5e1\nd = True\ne = None\nf = x if c else y\ng = a and b or c\nh = not a\ni = -a\n');
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'lit', kind: 'number', value: 1000 });
    assert.deepEqual(shape(valueOf(m, 'b')), { k: 'lit', kind: 'number', value: 31 });
    assert.deepEqual(shape(valueOf(m, 'c')), { k: 'lit', kind: 'number', value: 25 });
    assert.deepEqual(shape(valueOf(m, 'd')), { k: 'lit', kind: 'bool', value: true });
    assert.deepEqual(shape(valueOf(m, 'e')), { k: 'lit', kind: 'null', value: null });
    assert.deepEqual(shape(valueOf(m, 'f')), { k: 'cond', test: { k: 'var', name: 'c' }, then: { k: 'var', name: 'x' }, else: { k: 'var', name: 'y' } });
    assert.deepEqual(shape(valueOf(m, 'g')), {
      k: 'bin',
      op: 'or',
      left: { k: 'bin', op: 'and', left: { k: 'var', name: 'a' }, right: { k: 'var', name: 'b' } },
      right: { k: 'var', name: 'c' },
    });
    assert.deepEqual(shape(valueOf(m, 'h')), { k: 'unary', op: 'not', arg: { k: 'var', name: 'a' } });
    assert.deepEqual(shape(valueOf(m, 'i')), { k: 'unary', op: '-', arg: { k: 'var', name: 'a' } });
  });

  it('comparisons keep the python operator; chained comparisons are an and of the pairs', async () => {
    const m = await lower('a = x == "y"\nb = x is not None\nc = x not in ALLOWED\nd = 0 < n <= 10\ne = x in y\n');
    assert.deepEqual(shape(valueOf(m, 'a')), { k: 'bin', op: '==', left: { k: 'var', name: 'x' }, right: { k: 'lit', kind: 'string', value: 'y' } });
    assert.equal((valueOf(m, 'b') as { op: string }).op, 'is not');
    assert.equal((valueOf(m, 'c') as { op: string }).op, 'not in');
    assert.equal((valueOf(m, 'e') as { op: string }).op, 'in');
    assert.deepEqual(shape(valueOf(m, 'd')), {
      k: 'bin',
      op: 'and',
      left: { k: 'bin', op: '<', left: { k: 'lit', kind: 'number', value: 0 }, right: { k: 'var', name: 'n' } },
      right: { k: 'bin', op: '<=', left: { k: 'var', name: 'n' }, right: { k: 'lit', kind: 'number', value: 10 } },
    });
  });

  it('lists, tuples, sets, dicts (with ** spread), await, walrus', async () => {
    const m = await lower('async def f():\n    a = [1, *b]\n    t = (x, y)\n    d = {"k": v, **rest, n: 2}\n    r = await g()\n    if (w := read()):\n        pass\n');
    const body = fnNamed(m, 'f').body;
    assert.deepEqual(shape(valueOf(m, 'a', body)), { k: 'arr', elems: [{ value: { k: 'lit', kind: 'number', value: 1 } }, { value: { k: 'var', name: 'b' }, spread: true }] });
    assert.deepEqual(shape(valueOf(m, 't', body)), { k: 'arr', elems: [{ value: { k: 'var', name: 'x' } }, { value: { k: 'var', name: 'y' } }] });
    assert.deepEqual(shape(valueOf(m, 'd', body)), {
      k: 'obj',
      props: [
        { key: 'k', value: { k: 'var', name: 'v' } },
        { value: { k: 'var', name: 'rest' }, spread: true },
        { computed: { k: 'var', name: 'n' }, value: { k: 'lit', kind: 'number', value: 2 } },
      ],
    });
    assert.deepEqual(shape(valueOf(m, 'r', body)), { k: 'await', arg: { k: 'call', callee: { k: 'var', name: 'g' }, args: [] } });
    const ifs = body.find((s) => s.k === 'if')!;
    assert.deepEqual(shape(ifs.k === 'if' && ifs.test), { k: 'assign', op: '=', target: { k: 'id', name: 'w' }, value: { k: 'call', callee: { k: 'var', name: 'read' }, args: [] } });
  });

  it('comprehensions: a nested function called with the first iterable, loops and ifs around return [elem]', async () => {
    const m = await lower('def f(cmd):\n    return [c.strip() for c in cmd.split(";") if c]\n');
    const f = fnNamed(m, 'f');
    const ret = f.body[0]!;
    assert.ok(ret.k === 'return' && ret.value?.k === 'call' && ret.value.callee.k === 'fn');
    const comp = m.functions[ret.value.callee.fn]!;
    assert.match(comp.name, /^<listcomp@2>$/);
    assert.equal(comp.parent, f.index);
    assert.deepEqual(shape(ret.value.args), [{ value: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'cmd' }, prop: 'split' }, args: [{ value: { k: 'lit', kind: 'string', value: ';' } }] } }]);
    assert.deepEqual(shape(comp.params), [{ pattern: { k: 'id', name: '.0' } }]);
    assert.deepEqual(shape(comp.body), [
      {
        k: 'loop',
        each: { target: { k: 'id', name: 'c' }, iter: { k: 'var', name: '.0' }, kind: 'of' },
        body: [
          {
            k: 'if',
            test: { k: 'var', name: 'c' },
            then: [{ k: 'return', value: { k: 'arr', elems: [{ value: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'c' }, prop: 'strip' }, args: [] } }] } }],
            else: [],
          },
        ],
      },
    ]);
    const m2 = await lower('d = {k: v for k, v in items}\ng = sum(x for x in xs)\n');
    const dv = valueOf(m2, 'd');
    assert.ok(dv.k === 'call' && dv.callee.k === 'fn');
    assert.match(m2.functions[dv.callee.fn]!.name, /^<dictcomp@1>$/);
    const gv = valueOf(m2, 'g');
    assert.ok(gv.k === 'call' && gv.args[0]!.value.k === 'call' && gv.args[0]!.value.callee.k === 'fn');
  });
});

describe('python lowering: statements', () => {
  it('assignments: names are lets; tuples are array patterns; attributes are expr targets; augmented and chained', async () => {
    const m = await lower('def f(x):\n    a, *rest = x\n    self.y = x\n    n += 1\n    p = q = x\n');
    assert.deepEqual(shape(fnNamed(m, 'f').body), [
      { k: 'let', target: { k: 'arrpat', elems: [{ k: 'id', name: 'a' }], rest: { k: 'id', name: 'rest' } }, value: { k: 'var', name: 'x' } },
      { k: 'expr', expr: { k: 'assign', op: '=', target: { k: 'expr', expr: { k: 'member', obj: { k: 'var', name: 'self' }, prop: 'y' } }, value: { k: 'var', name: 'x' } } },
      { k: 'expr', expr: { k: 'assign', op: '+=', target: { k: 'id', name: 'n' }, value: { k: 'lit', kind: 'number', value: 1 } } },
      { k: 'let', target: { k: 'id', name: 'q' }, value: { k: 'var', name: 'x' } },
      { k: 'let', target: { k: 'id', name: 'p' }, value: { k: 'var', name: 'q' } },
    ]);
  });

  it('global/nonlocal names are assigned in the enclosing scope, not declared', async () => {
    const m = await lower('COUNT = 0\ndef bump(v):\n    global COUNT\n    COUNT = v\n    other = v\n');
    assert.deepEqual(shape(fnNamed(m, 'bump').body), [
      { k: 'expr', expr: { k: 'assign', op: '=', target: { k: 'id', name: 'COUNT' }, value: { k: 'var', name: 'v' } } },
      { k: 'let', target: { k: 'id', name: 'other' }, value: { k: 'var', name: 'v' } },
    ]);
  });

  it('with x as y binds y to x (open() stays a call); async with too', async () => {
    const m = await lower('async def f(p):\n    with open(p) as fh, lock:\n        data = fh.read()\n    async with session.get(u) as resp:\n        pass\n');
    assert.deepEqual(shape(fnNamed(m, 'f').body), [
      { k: 'let', target: { k: 'id', name: 'fh' }, value: { k: 'call', callee: { k: 'var', name: 'open' }, args: [{ value: { k: 'var', name: 'p' } }] } },
      { k: 'expr', expr: { k: 'var', name: 'lock' } },
      { k: 'let', target: { k: 'id', name: 'data' }, value: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'fh' }, prop: 'read' }, args: [] } },
      {
        k: 'let',
        target: { k: 'id', name: 'resp' },
        value: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'session' }, prop: 'get' }, args: [{ value: { k: 'var', name: 'u' } }] },
      },
    ]);
  });

  it('if/elif/else nest; for/while with else run the else block after the loop', async () => {
    const m = await lower('if a:\n    x = 1\nelif b:\n    x = 2\nelse:\n    x = 3\nfor k, v in d.items():\n    pass\nelse:\n    done = 1\nwhile n:\n    break\n');
    const [ifs, loop, after, wl] = m.functions[0]!.body;
    assert.ok(ifs && ifs.k === 'if' && ifs.else[0]?.k === 'if');
    assert.deepEqual(shape(ifs.else[0]!.k === 'if' && ifs.else[0]!.else), [{ k: 'let', target: { k: 'id', name: 'x' }, value: { k: 'lit', kind: 'number', value: 3 } }]);
    assert.deepEqual(shape(loop), {
      k: 'loop',
      body: [],
      each: { target: { k: 'arrpat', elems: [{ k: 'id', name: 'k' }, { k: 'id', name: 'v' }] }, iter: { k: 'call', callee: { k: 'member', obj: { k: 'var', name: 'd' }, prop: 'items' }, args: [] }, kind: 'of' },
    });
    assert.deepEqual(shape(after), { k: 'let', target: { k: 'id', name: 'done' }, value: { k: 'lit', kind: 'number', value: 1 } });
    assert.deepEqual(shape(wl), { k: 'loop', body: [{ k: 'break' }], test: { k: 'var', name: 'n' } });
  });

  it('try/except as e/else/finally; several except clauses; raise is throw', async () => {
    const m = await lower(
      'try:\n    a()\nexcept ValueError as e:\n    raise RuntimeError("x") from e\nelse:\n    b()\nfinally:\n    c()\ntry:\n    a()\nexcept (A, B) as e:\n    x = 1\nexcept C:\n    x = 2\n',
    );
    const [t1, t2] = m.functions[0]!.body;
    assert.ok(t1 && t1.k === 'try');
    assert.deepEqual(shape(t1.param), { k: 'id', name: 'e' });
    assert.equal(t1.body.length, 2, 'else runs after the body');
    assert.deepEqual(shape(t1.handler), [{ k: 'throw', value: { k: 'call', callee: { k: 'var', name: 'RuntimeError' }, args: [{ value: { k: 'lit', kind: 'string', value: 'x' } }] } }]);
    assert.equal(t1.finalizer.length, 1);
    assert.ok(t2 && t2.k === 'try' && t2.param === undefined);
    const h = t2.handler[0]!;
    assert.ok(h.k === 'if' && h.test.k === 'other' && h.test.what === 'except-match');
    assert.deepEqual(shape(h.then[0]), { k: 'let', target: { k: 'id', name: 'e' }, value: { k: 'other', what: 'exception', children: [] } });
    assert.ok(h.else[0]?.k === 'if');
  });

  it('assert c is if (not c) throw: a guard', async () => {
    const m = await lower('assert name in ALLOWED, "bad"\n');
    assert.deepEqual(shape(m.functions[0]!.body), [
      {
        k: 'if',
        test: { k: 'unary', op: 'not', arg: { k: 'bin', op: 'in', left: { k: 'var', name: 'name' }, right: { k: 'var', name: 'ALLOWED' } } },
        then: [{ k: 'throw', value: { k: 'lit', kind: 'string', value: 'bad' } }],
        else: [],
      },
    ]);
  });

  it('match is a switch: literal and | patterns as cases, _ as default, captures bound', async () => {
    const m = await lower('match name:\n    case "a" | "b":\n        run(1)\n    case "c":\n        pass\n    case other:\n        run(other)\n    case _:\n        pass\n');
    const sw = m.functions[0]!.body[0]!;
    assert.ok(sw.k === 'switch');
    assert.deepEqual(shape(sw.disc), { k: 'var', name: 'name' });
    assert.deepEqual(
      sw.cases.map((c) => [c.test && c.test.k === 'lit' ? c.test.value : c.test === null ? null : '?', c.body.length]),
      [
        ['a', 0],
        ['b', 1],
        ['c', 1],
        [null, 2],
        [null, 1],
      ],
    );
    assert.deepEqual(shape(sw.cases[3]!.body[0]), { k: 'let', target: { k: 'id', name: 'other' }, value: { k: 'var', name: 'name' } });
  });

  it('if __name__ == "__main__": is an ordinary if', async () => {
    const m = await lower('if __name__ == "__main__":\n    mcp.run()\n');
    const s = m.functions[0]!.body[0]!;
    assert.ok(s.k === 'if' && s.test.k === 'bin' && s.test.op === '==');
    assert.equal(s.then.length, 1);
  });

  it('imports: import x, import x.y, import x.y as z, from x import y as z, relative imports, star imports', async () => {
    const m = await lower(
      [
        'import os',
        'import os.path',
        'import xml.etree.ElementTree as ET',
        'from subprocess import run as sh, PIPE',
        'from . import helpers',
        'from .mod import thing',
        'from ..pkg.sub import other',
        'from x import *',
        'from __future__ import annotations',
        'def f():',
        '    import shlex',
      ].join('\n'),
    );
    assert.deepEqual(
      m.imports.map((i) => [i.local, i.module, i.imported]),
      [
        ['os', 'os', '*'],
        ['os', 'os', '*'],
        ['ET', 'xml.etree.ElementTree', '*'],
        ['sh', 'subprocess', 'run'],
        ['PIPE', 'subprocess', 'PIPE'],
        ['helpers', '.', 'helpers'],
        ['thing', '.mod', 'thing'],
        ['other', '..pkg.sub', 'other'],
        ['', 'x', '*'],
        ['shlex', 'shlex', '*'],
      ],
    );
  });
});

describe('python lowering: bad input', () => {
  it('syntax errors become problems, never exceptions; the rest of the file is still lowered', async () => {
    const r = await parseSource('bad.py', 'python', 'def ok(x):\n    return os.system(x)\n\ndef broken(:\n    pass\n\nclass C(\n');
    assert.ok(r.module);
    assert.ok(r.problems.length > 0);
    assert.ok(r.module.functions.some((f) => f.name === 'ok'));
  });

  it('nesting deeper than the limit is cut with a problem, not a crash', async () => {
    const deep = `x = ${'('.repeat(3000)}1${')'.repeat(3000)}\ny = ${'['.repeat(3000)}${']'.repeat(3000)}\nos.system(z)\n`;
    const r = await parseSource('deep.py', 'python', deep);
    assert.ok(r.problems.some((p) => /nesting deeper than 600/.test(p)), r.problems.join('; '));
    assert.ok(r.module && r.module.functions[0]!.body.length === 3, 'the statements after the deep ones are kept');
  });

  it('odd inputs: empty file, only comments, python 2 print, binary-looking text', async () => {
    for (const text of ['', '# just a comment\n', 'print "hello"\nexec "x = 1"\n', '\u0000\u0001\u0002 def', 'lambda: (yield)\n']) {
      const r = await parseSource('odd.py', 'python', text);
      assert.ok(r.module || r.problems.length, `no result for ${JSON.stringify(text)}`);
      if (r.module) {
        let n = 0;
        for (const f of r.module.functions) forEachExprInBody(f.body, () => n++);
        assert.ok(n >= 0);
      }
    }
  });
});
