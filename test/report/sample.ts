/**
 * A realistic, hand-built Assessment for the report tests: a small file/command MCP server
 * with two tools, one resource, a stdio and an HTTP transport, three findings (a CWE-78 flow
 * with a 4-step trace, a CWE-22 flow behind a weak guard, a protocol-level CWE-798 with a
 * redacted snippet), one warning, and `partial: true`.
 */
import type { Assessment } from '../../src/model.js';

const SAMPLE: Assessment = {
  schemaVersion: '1.0.0',
  tool: { name: 'mcp-risk', version: '0.1.0' },
  target: { input: 'files-mcp@1.4.2', kind: 'npm', name: 'files-mcp', version: '1.4.2' },
  partial: true,
  warnings: [
    {
      code: 'parse-error',
      message: 'Could not parse src/legacy/old.js (unexpected token at 12:7); the file was skipped.',
      file: 'src/legacy/old.js',
    },
  ],
  stats: {
    files: 14,
    lines: 2310,
    bytes: 81234,
    functions: 87,
    languages: { typescript: 12, javascript: 2 },
  },
  surface: {
    sdks: ['@modelcontextprotocol/sdk'],
    tools: [
      {
        kind: 'tool',
        name: 'read_file',
        title: 'Read file',
        description:
          'Read the complete contents of a file from the workspace. Handles text and binary files; binary content is returned base64-encoded. Only files inside the allowed directory can be read.',
        params: [
          { name: 'path', type: 'string', description: 'Path of the file, relative to the workspace root.', required: true },
          { name: 'encoding', type: 'enum', enum: ['utf8', 'base64'], required: false },
        ],
        style: 'server.registerTool',
        location: { file: 'src/tools/read.ts', line: 8, column: 1 },
        handler: { file: 'src/tools/read.ts', line: 18, column: 3 },
      },
      {
        kind: 'tool',
        name: 'run_command',
        description: 'Run a git command in the workspace and return its output.',
        params: [
          { name: 'command', type: 'string', description: 'The git sub-command and its arguments, e.g. "log -n 5".', required: true },
          { name: 'timeoutMs', type: 'integer' },
        ],
        style: 'server.tool',
        location: { file: 'src/tools/run.ts', line: 6, column: 1 },
        handler: { file: 'src/tools/run.ts', line: 9, column: 3 },
      },
    ],
    resources: [
      {
        kind: 'resource',
        name: 'config',
        uri: 'config://app',
        description: 'The server configuration.',
        params: [],
        style: 'server.resource',
        location: { file: 'src/resources/config.ts', line: 4, column: 1 },
      },
    ],
    prompts: [],
    transports: [
      { kind: 'stdio', location: { file: 'src/index.ts', line: 40, column: 3 }, auth: 'unknown' },
      {
        kind: 'http',
        location: { file: 'src/http.ts', line: 12, column: 3 },
        host: '0.0.0.0',
        port: 3000,
        auth: 'absent',
        originCheck: 'absent',
      },
    ],
  },
  findings: [
    {
      id: 'f3a1c9e2b7d40c11',
      ruleId: 'command-injection',
      title: 'OS command injection',
      cwe: 78,
      severity: 'critical',
      confidence: 'high',
      message:
        'Argument `command` of tool `run_command` reaches child_process.exec() inside a shell command line without neutralisation: a client (or a prompt-injected model) can run any command.',
      fix: 'Use execFile("git", args) with an argument array and an allow-list of sub-commands instead of exec() with a string.',
      location: { file: 'src/tools/run.ts', line: 22, column: 5, endLine: 22, endColumn: 42 },
      snippet: '    exec(`git ${cmd}`, { cwd: root }, cb);',
      primitive: { kind: 'tool', name: 'run_command' },
      source: {
        kind: 'tool-argument',
        name: 'command',
        location: { file: 'src/tools/run.ts', line: 9, column: 24 },
      },
      trace: [
        {
          kind: 'source',
          location: { file: 'src/tools/run.ts', line: 9, column: 24 },
          label: 'argument `command` of tool `run_command`',
          snippet: 'async ({ command, timeoutMs }) => {',
        },
        {
          kind: 'step',
          location: { file: 'src/tools/run.ts', line: 11, column: 9 },
          label: 'assigned to `cmd`',
          snippet: '  const cmd = command.trim();',
        },
        {
          kind: 'call',
          location: { file: 'src/tools/run.ts', line: 13, column: 10 },
          label: 'passed to runGit(cmd)',
          snippet: '  return runGit(cmd, timeoutMs);',
        },
        {
          kind: 'sink',
          location: { file: 'src/tools/run.ts', line: 22, column: 5 },
          label: 'child_process.exec() runs a shell command line',
          snippet: '    exec(`git ${cmd}`, { cwd: root }, cb);',
        },
      ],
      tags: ['injection'],
    },
    {
      id: '0b9d27c4e1a5f608',
      ruleId: 'path-traversal',
      title: 'Path traversal',
      cwe: 22,
      severity: 'high',
      confidence: 'medium',
      message: 'Argument `path` of tool `read_file` is resolved against the workspace root and read; the containment check on the way does not hold.',
      fix: 'Resolve the path first (path.resolve + fs.realpath), then check that it is inside the root with path.relative, and reject absolute paths.',
      location: { file: 'src/tools/read.ts', line: 27, column: 18 },
      snippet: '  const data = await fs.readFile(full);',
      primitive: { kind: 'tool', name: 'read_file' },
      source: {
        kind: 'tool-argument',
        name: 'path',
        location: { file: 'src/tools/read.ts', line: 18, column: 12 },
      },
      trace: [
        {
          kind: 'source',
          location: { file: 'src/tools/read.ts', line: 18, column: 12 },
          label: 'argument `path` of tool `read_file`',
        },
        {
          kind: 'guard',
          location: { file: 'src/tools/read.ts', line: 21, column: 7 },
          label: 'checked by `!p.includes("..")` (ineffective)',
        },
        {
          kind: 'sink',
          location: { file: 'src/tools/read.ts', line: 27, column: 18 },
          label: 'fs.readFile() reads path.resolve(root, p)',
        },
      ],
      tags: ['capability', 'weak-guard'],
      notes: ['The check `!p.includes("..")` does not stop absolute paths: path.resolve(root, "/etc/passwd") is /etc/passwd.'],
    },
    {
      id: '7c2e5a90d4b3f1e8',
      ruleId: 'hardcoded-credential',
      title: 'Hard-coded credential',
      cwe: 798,
      severity: 'medium',
      confidence: 'high',
      message: 'An API key is written in the source code; anyone with the package can read it.',
      fix: 'Read the key from the environment or a secret store, and revoke the published one.',
      location: { file: 'src/config.ts', line: 3, column: 24 },
      snippet: 'const UPSTREAM_API_KEY = "sk-l…[REDACTED]";',
      primitive: { kind: 'protocol' },
      tags: [],
    },
  ],
};

/** A fresh deep copy of the sample (tests may modify it). */
export function sampleAssessment(): Assessment {
  return structuredClone(SAMPLE);
}
