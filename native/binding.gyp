# The native parser addon (see parser.c): tree-sitter's C runtime (from the `tree-sitter` npm package's vendor
# folder) and the grammars of tree-sitter-python, tree-sitter-typescript (TypeScript and TSX) and
# tree-sitter-javascript, built by scripts/build-native.mjs with node-gyp. Paths are found with Node's module
# resolution and made relative (gyp wants relative source paths).
{
  "variables": {
    "ts_lib": "<!(node -p \"const p=require('path');p.relative('.',p.join(p.dirname(require.resolve('tree-sitter/package.json')),'vendor','tree-sitter','lib'))\")",
    "py_src": "<!(node -p \"const p=require('path');p.relative('.',p.join(p.dirname(require.resolve('tree-sitter-python/package.json')),'src'))\")",
    "ts_src": "<!(node -p \"const p=require('path');p.relative('.',p.join(p.dirname(require.resolve('tree-sitter-typescript/package.json')),'typescript','src'))\")",
    "tsx_src": "<!(node -p \"const p=require('path');p.relative('.',p.join(p.dirname(require.resolve('tree-sitter-typescript/package.json')),'tsx','src'))\")",
    "js_src": "<!(node -p \"const p=require('path');p.relative('.',p.join(p.dirname(require.resolve('tree-sitter-javascript/package.json')),'src'))\")",
  },
  "target_defaults": {
    "cflags_c": ["-std=c11"],
    "xcode_settings": { "OTHER_CFLAGS": ["-std=c11"] },
    "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c11", "/utf-8"] } },
  },
  "targets": [
    {
      "target_name": "ts_runtime",
      "type": "static_library",
      "sources": ["<(ts_lib)/src/lib.c"],
      "include_dirs": ["<(ts_lib)/src", "<(ts_lib)/include"],
      "defines": ["_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
    },
    { "target_name": "ts_python", "type": "static_library", "sources": ["<(py_src)/parser.c", "<(py_src)/scanner.c"], "include_dirs": ["<(py_src)"] },
    { "target_name": "ts_typescript", "type": "static_library", "sources": ["<(ts_src)/parser.c", "<(ts_src)/scanner.c"], "include_dirs": ["<(ts_src)"] },
    { "target_name": "ts_tsx", "type": "static_library", "sources": ["<(tsx_src)/parser.c", "<(tsx_src)/scanner.c"], "include_dirs": ["<(tsx_src)"] },
    { "target_name": "ts_javascript", "type": "static_library", "sources": ["<(js_src)/parser.c", "<(js_src)/scanner.c"], "include_dirs": ["<(js_src)"] },
    {
      "target_name": "mcp_risk_parser",
      "dependencies": ["ts_runtime", "ts_python", "ts_typescript", "ts_tsx", "ts_javascript"],
      "sources": ["parser.c"],
      "include_dirs": ["<(ts_lib)/include"],
    },
  ],
}
