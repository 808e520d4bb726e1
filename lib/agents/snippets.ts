/*
 * The configuration snippets of Settings → Connect an agent (and of docs/agents.md):
 * every way an agent reaches Nexus, filled in with this server's URL and, once one is
 * created, a key. Pure: the page renders them, tests parse them.
 */

export const KEY_PLACEHOLDER = "YOUR_NEXUS_API_KEY";
export const MCP_PATH = "/api/v1/mcp";
export const HOOK_PATH = "/api/v1/integrations/claude-code/hook";
export const CLI_PATH = "/nexus-agent.mjs";
/** The name clients know the MCP server by: tools appear as mcp__nexus__<tool>. */
export const MCP_SERVER_NAME = "nexus";
export const PERMISSION_TOOL = `mcp__${MCP_SERVER_NAME}__permission_prompt`;

export interface SnippetInput {
  /** this server's public URL, no trailing slash */
  baseUrl: string;
  /** a freshly created key (null: the placeholder) */
  key?: string | null;
  /** the agent_id the key is bound to, if any */
  agentId?: string | null;
}

export type SnippetLang = "shell" | "json" | "toml" | "ts";

export interface Snippet {
  id: string;
  title: string;
  lang: SnippetLang;
  /** where it goes (a file), when it is a file */
  file?: string;
  text: string;
}

export interface SnippetSection {
  id: string;
  title: string;
  intro: string;
  snippets: Snippet[];
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Single-quoted for POSIX shells. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function agentSnippets({ baseUrl, key, agentId }: SnippetInput): SnippetSection[] {
  const k = key || KEY_PLACEHOLDER;
  const agent = agentId || "my-agent";
  const mcpUrl = `${baseUrl}${MCP_PATH}`;
  const auth = `Bearer ${k}`;
  const mcpConfig = {
    mcpServers: {
      [MCP_SERVER_NAME]: { type: "http", url: mcpUrl, headers: { Authorization: auth } },
    },
  };

  return [
    {
      id: "claude-hooks",
      title: "Claude Code hooks",
      intro:
        "Every Edit, Write and Bash of Claude Code waits for a reviewer in Nexus. Put the key in the environment Claude Code runs in and the hook in .claude/settings.json. If Nexus cannot be reached, the call is blocked (onFailure: block).",
      snippets: [
        {
          id: "hooks-env",
          title: "Environment",
          lang: "shell",
          text: `export NEXUS_API_KEY=${sq(k)}`,
        },
        {
          id: "hooks-settings",
          title: "Project settings",
          lang: "json",
          file: ".claude/settings.json",
          text: json({
            hooks: {
              PreToolUse: [
                {
                  matcher: "Edit|MultiEdit|Write|NotebookEdit|Bash|AskUserQuestion",
                  hooks: [
                    {
                      type: "http",
                      url: `${baseUrl}${HOOK_PATH}?timeout=590`,
                      headers: { Authorization: "Bearer $NEXUS_API_KEY" },
                      allowedEnvVars: ["NEXUS_API_KEY"],
                      timeout: 600,
                      onFailure: "block",
                    },
                  ],
                },
              ],
            },
          }),
        },
      ],
    },
    {
      id: "claude-mcp",
      title: "Claude Code MCP",
      intro: `Add Nexus as an MCP server: Claude Code gets the tools request_approval, ask_question and permission_prompt. With claude -p, --permission-prompt-tool ${PERMISSION_TOOL} sends every permission Claude Code would ask you for to Nexus instead.`,
      snippets: [
        {
          id: "claude-mcp-add",
          title: "Add the server (once)",
          lang: "shell",
          text: `claude mcp add --transport http ${MCP_SERVER_NAME} ${mcpUrl} \\\n  --header ${sq(`Authorization: ${auth}`)}`,
        },
        {
          id: "claude-mcp-config",
          title: "Or as a file for --mcp-config",
          lang: "json",
          file: "nexus-mcp.json",
          text: json(mcpConfig),
        },
        {
          id: "claude-permission-prompt",
          title: "Non-interactive run: permissions decided in Nexus",
          lang: "shell",
          text: `claude -p "Fix the failing test" \\\n  --mcp-config nexus-mcp.json \\\n  --permission-prompt-tool ${PERMISSION_TOOL}`,
        },
      ],
    },
    {
      id: "mcp-clients",
      title: "Claude Desktop, Cursor, VS Code, Codex",
      intro:
        "The same MCP server for other clients. Each waits while a reviewer decides and gets progress every 10 s; the wait ends after 600 s (or ?timeout=<s> on the URL) with the request expired.",
      snippets: [
        {
          id: "cursor",
          title: "Cursor",
          lang: "json",
          file: "~/.cursor/mcp.json or .cursor/mcp.json",
          text: json({
            mcpServers: { [MCP_SERVER_NAME]: { url: mcpUrl, headers: { Authorization: auth } } },
          }),
        },
        {
          id: "vscode",
          title: "VS Code",
          lang: "json",
          file: ".vscode/mcp.json",
          text: json({
            servers: {
              [MCP_SERVER_NAME]: { type: "http", url: mcpUrl, headers: { Authorization: auth } },
            },
          }),
        },
        {
          id: "codex",
          title: "Codex CLI",
          lang: "toml",
          file: "~/.codex/config.toml",
          text: [
            `# export NEXUS_API_KEY=${sq(k)}`,
            `[mcp_servers.${MCP_SERVER_NAME}]`,
            `url = "${mcpUrl}"`,
            `bearer_token_env_var = "NEXUS_API_KEY"`,
            `tool_timeout_sec = 660`,
          ].join("\n"),
        },
        {
          id: "claude-desktop",
          title: "Claude Desktop (through mcp-remote)",
          lang: "json",
          file: "claude_desktop_config.json",
          text: json({
            mcpServers: {
              [MCP_SERVER_NAME]: {
                command: "npx",
                args: ["-y", "mcp-remote", mcpUrl, "--header", "Authorization:${NEXUS_AUTH}"],
                env: { NEXUS_AUTH: auth },
              },
            },
          }),
        },
      ],
    },
    {
      id: "cli",
      title: "Shell CLI",
      intro:
        "nexus-agent: one Node script (Node 20+) served by this server. Exit 0 approved, 1 rejected, 2 expired, 3 usage or connection error.",
      snippets: [
        {
          id: "cli-install",
          title: "Install and use",
          lang: "shell",
          text: [
            `curl -fsSL ${baseUrl}${CLI_PATH} -o nexus-agent && chmod +x nexus-agent`,
            `export NEXUS_URL=${sq(baseUrl)}`,
            `export NEXUS_API_KEY=${sq(k)}`,
            `./nexus-agent approve src/app.ts --description "Fix the off-by-one"`,
            `./nexus-agent ask "Which port?" --option 8080 --option 9090`,
          ].join("\n"),
        },
      ],
    },
    {
      id: "curl",
      title: "curl",
      intro:
        "The HTTP API: submit, then long-poll until decided (each GET waits up to 60 s; repeat while status is pending).",
      snippets: [
        {
          id: "curl-approval",
          title: "Ask for an approval and wait",
          lang: "shell",
          text: [
            `export NEXUS_API_KEY=${sq(k)}`,
            `id=$(curl -fsS ${baseUrl}/api/v1/approvals \\`,
            `  -H "Authorization: Bearer $NEXUS_API_KEY" -H "Content-Type: application/json" \\`,
            `  -d "$(jq -n --arg diff "$(git diff src/app.ts)" '{file_path: "src/app.ts", diff: $diff, agent_id: "${agent}"}')" \\`,
            `  | jq -r .id)`,
            `curl -fsS "${baseUrl}/api/v1/approvals/$id?wait=60" -H "Authorization: Bearer $NEXUS_API_KEY"`,
          ].join("\n"),
        },
      ],
    },
    {
      id: "typescript",
      title: "TypeScript",
      intro:
        "The client in lib/client/index.ts of Nexus (plain fetch, no dependencies): copy it into your agent.",
      snippets: [
        {
          id: "ts-client",
          title: "Ask and wait",
          lang: "ts",
          text: [
            `// export NEXUS_API_KEY=${sq(k)}`,
            `import { NexusClient } from "./nexus-client";`,
            ``,
            `const nexus = new NexusClient({`,
            `  baseUrl: ${JSON.stringify(baseUrl)},`,
            `  apiKey: process.env.NEXUS_API_KEY!,`,
            `});`,
            `const approval = await nexus.requestApproval({`,
            `  file_path: "src/app.ts",`,
            `  diff,`,
            `  agent_id: ${JSON.stringify(agent)},`,
            `});`,
            `if (approval.status === "approved") applyPatch(diff);`,
            `else console.log(approval.status, approval.comment);`,
          ].join("\n"),
        },
      ],
    },
  ];
}
