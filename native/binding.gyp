# The native parser addon (see parser.c): tree-sitter's C runtime (from the `tree-sitter` npm package's vendor
# folder) and the Python grammar (from `tree-sitter-python`), built by scripts/build-native.mjs with node-gyp.
{
  "variables": {
    "ts_lib": "<!(node -p \"require('path').relative('.', require('path').join(require('path').dirname(require.resolve('tree-sitter/package.json')), 'vendor', 'tree-sitter', 'lib'))\")",
    "py_src": "<!(node -p \"require('path').relative('.', require('path').join(require('path').dirname(require.resolve('tree-sitter-python/package.json')), 'src'))\")",
  },
  "target_defaults": {
    "cflags_c": ["-std=c11", "-O2"],
    "cflags!": ["-O3"],
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
    {
      "target_name": "ts_python",
      "type": "static_library",
      "sources": ["<(py_src)/parser.c", "<(py_src)/scanner.c"],
      "include_dirs": ["<(py_src)"],
    },
    {
      "target_name": "mcp_risk_parser",
      "dependencies": ["ts_runtime", "ts_python"],
      "sources": ["parser.c"],
      "include_dirs": ["<(ts_lib)/include"],
    },
  ],
}
