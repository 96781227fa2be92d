#!/usr/bin/env node
/**
 * devops-helper: a small MCP server for a platform team.
 *
 * DELIBERATELY VULNERABLE: this is the demo input of mcp-risk (see README.md).
 * Do not install it in an MCP client.
 */
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import Database from "better-sqlite3";
import { exec, execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";

const execAsync = promisify(exec);
const execFileAsync = promisify(execFile);

const WORKSPACE = path.resolve(process.env.WORKSPACE ?? process.cwd());
const db = new Database(process.env.DEPLOY_DB ?? path.join(WORKSPACE, "deployments.db"), {
  readonly: true,
});

// Token of the platform bot, used to open issues. (Fake value.)
const GITHUB_TOKEN = "ghp_Ll3CveQ5qDya8A3OWCwM3KL3idUNS9P5WkKD";

/** Read-only system programs the model may run (without arguments). */
const ALLOWED_CHECKS = ["uptime", "df", "free", "who"];

function text(value: string) {
  return { content: [{ type: "text" as const, text: value }] };
}

const server = new McpServer({
  name: "devops-helper",
  version: "0.1.0",
});

server.registerTool(
  "git_log",
  {
    title: "Git log",
    description: "Show the latest commits of a branch of the workspace repository",
    inputSchema: {
      branch: z.string().default("main"),
      count: z.number().int().min(1).max(50).default(10),
    },
  },
  async ({ branch, count }) => {
    const { stdout } = await execAsync(`git log --oneline -n ${count} ${branch}`, { cwd: WORKSPACE });
    return text(stdout);
  },
);

server.registerTool(
  "read_file",
  {
    title: "Read file",
    description: "Read a file of the workspace",
    inputSchema: { path: z.string().describe("Path relative to the workspace") },
  },
  async ({ path: relativePath }) => {
    const file = path.resolve(WORKSPACE, relativePath);
    if (!file.startsWith(WORKSPACE)) {
      throw new Error("Path is outside the workspace");
    }
    return text(await readFile(file, "utf8"));
  },
);

server.registerTool(
  "fetch_url",
  {
    title: "Fetch URL",
    description: "Fetch a URL (dashboards, runbooks, status pages) and return the body",
    inputSchema: { url: z.string().url() },
  },
  async ({ url }) => {
    const response = await fetch(url);
    return text(await response.text());
  },
);

server.registerTool(
  "search_deployments",
  {
    title: "Search deployments",
    description: "List the latest deployments of a service",
    inputSchema: { service: z.string().describe("Service name, e.g. checkout") },
  },
  async ({ service }) => {
    const sql =
      "SELECT id, service, version, environment, deployed_at FROM deployments WHERE service = '" +
      service +
      "' ORDER BY deployed_at DESC LIMIT 20";
    const rows = db.prepare(sql).all();
    return text(JSON.stringify(rows, null, 2));
  },
);

server.registerTool(
  "run_check",
  {
    title: "Run health check",
    description: `Run one of these programs: ${ALLOWED_CHECKS.join(", ")}`,
    inputSchema: { check: z.string() },
  },
  async ({ check }) => {
    if (!ALLOWED_CHECKS.includes(check)) {
      return { ...text(`Unknown check: ${check}`), isError: true };
    }
    const { stdout } = await execFileAsync(check, [], { timeout: 30_000 });
    return text(stdout);
  },
);

server.registerTool(
  "create_issue",
  {
    title: "Create issue",
    description: "Open an issue in the platform repository",
    inputSchema: { title: z.string().max(200), body: z.string().max(10_000) },
  },
  async ({ title, body }) => {
    const response = await fetch("https://api.github.com/repos/acme/platform/issues", {
      method: "POST",
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${GITHUB_TOKEN}`,
      },
      body: JSON.stringify({ title, body }),
    });
    const issue = (await response.json()) as { html_url?: string };
    return text(issue.html_url ?? `GitHub answered HTTP ${response.status}`);
  },
);

server.registerResource(
  "workspace-file",
  new ResourceTemplate("file://{path}", { list: undefined }),
  {
    title: "Workspace file",
    description: "A file of the workspace",
    mimeType: "text/plain",
  },
  async (uri, { path: filePath }) => {
    const content = await readFile(path.join(WORKSPACE, decodeURIComponent(String(filePath))), "utf8");
    return { contents: [{ uri: uri.href, mimeType: "text/plain", text: content }] };
  },
);

server.registerPrompt(
  "deployment_summary",
  {
    title: "Deployment summary",
    description: "Summarize the recent deployments of a service",
    argsSchema: { service: z.string() },
  },
  ({ service }) => {
    const rows = db
      .prepare("SELECT version, environment, deployed_at FROM deployments WHERE service = ? ORDER BY deployed_at DESC LIMIT 10")
      .all(service);
    return {
      messages: [
        {
          role: "user",
          content: {
            type: "text",
            text: `Summarize these deployments of ${service} and point out anything unusual:\n${JSON.stringify(rows, null, 2)}`,
          },
        },
      ],
    };
  },
);

const transport = new StdioServerTransport();
await server.connect(transport);
