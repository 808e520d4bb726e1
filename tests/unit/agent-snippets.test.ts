import fs from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { agentSnippets, KEY_PLACEHOLDER } from "@/lib/agents/snippets";

/* The snippets people paste: Settings → Connect an agent, and docs/agents.md. */

const all = (sections: ReturnType<typeof agentSnippets>) => sections.flatMap((s) => s.snippets);

describe("Connect an agent snippets", () => {
  const base = "https://nexus.example.com";
  const key = "nxs_AbC-d_9";

  test("every JSON snippet parses; the MCP ones point at /api/v1/mcp with the key", () => {
    const snippets = all(agentSnippets({ baseUrl: base, key }));
    const json = snippets.filter((s) => s.lang === "json");
    expect(json.length).toBeGreaterThanOrEqual(5);
    for (const s of json) expect(() => JSON.parse(s.text), s.id).not.toThrow();
    const byId = Object.fromEntries(snippets.map((s) => [s.id, s]));
    expect(JSON.parse(byId["claude-mcp-config"]!.text).mcpServers.nexus).toEqual({
      type: "http",
      url: `${base}/api/v1/mcp`,
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(JSON.parse(byId.vscode!.text).servers.nexus.url).toBe(`${base}/api/v1/mcp`);
    expect(JSON.parse(byId.cursor!.text).mcpServers.nexus.headers.Authorization).toBe(
      `Bearer ${key}`,
    );
    const hook = JSON.parse(byId["hooks-settings"]!.text).hooks.PreToolUse[0].hooks[0];
    expect(hook).toMatchObject({
      type: "http",
      url: `${base}/api/v1/integrations/claude-code/hook?timeout=590`,
      onFailure: "block",
    });
  });

  test("the key is in every tab once created (the placeholder before), never a placeholder left", () => {
    // files that get committed (.claude/settings.json) name $NEXUS_API_KEY instead
    for (const section of agentSnippets({ baseUrl: base, key })) {
      expect(section.snippets.map((s) => s.text).join("\n"), section.id).toContain(key);
      for (const s of section.snippets) expect(s.text, s.id).not.toContain(KEY_PLACEHOLDER);
    }
    for (const section of agentSnippets({ baseUrl: base }))
      expect(section.snippets.map((s) => s.text).join("\n"), section.id).toContain(KEY_PLACEHOLDER);
  });

  test("a bound key's agent_id is used where a snippet names the agent", () => {
    const byId = Object.fromEntries(
      all(agentSnippets({ baseUrl: base, key, agentId: "laptop" })).map((s) => [s.id, s]),
    );
    expect(byId["curl-approval"]!.text).toContain('agent_id: "laptop"');
    expect(byId["ts-client"]!.text).toContain('agent_id: "laptop"');
  });
});

test("docs/agents.md: the MCP section's JSON blocks parse", () => {
  const doc = fs.readFileSync(path.join(__dirname, "../../docs/agents.md"), "utf8");
  const start = doc.indexOf("## Claude Code: `--permission-prompt-tool` and MCP clients");
  const section = doc.slice(start, doc.indexOf("\n## ", start + 1));
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  for (const b of blocks) expect(() => JSON.parse(b)).not.toThrow();
});
