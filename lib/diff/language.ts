/*
 * File extension → Prism language name for the diff's highlighter (lib/diff/highlight.ts:
 * refractor, grammars loaded per language). Unknown → undefined (no highlighting). The
 * table renders the colours as React elements around the text, never as HTML.
 */
const BY_EXTENSION: Record<string, string> = {
  ts: "typescript",
  tsx: "typescript",
  mts: "typescript",
  cts: "typescript",
  js: "javascript",
  jsx: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  json: "json",
  py: "python",
  go: "go",
  rs: "rust",
  rb: "ruby",
  java: "java",
  kt: "kotlin",
  kts: "kotlin",
  swift: "swift",
  c: "c",
  h: "c",
  cc: "cpp",
  cpp: "cpp",
  cxx: "cpp",
  hpp: "cpp",
  cs: "csharp",
  php: "php",
  pl: "perl",
  lua: "lua",
  r: "r",
  sql: "sql",
  css: "css",
  scss: "scss",
  sass: "sass",
  less: "less",
  html: "markup",
  htm: "markup",
  xml: "markup",
  svg: "markup",
  vue: "markup",
  md: "markdown",
  markdown: "markdown",
  yml: "yaml",
  yaml: "yaml",
  toml: "ini",
  ini: "ini",
  cfg: "ini",
  sh: "bash",
  bash: "bash",
  zsh: "bash",
  makefile: "makefile",
  mk: "makefile",
  dockerfile: "bash",
};

export function languageForPath(path: string): string | undefined {
  const name = (path.split("/").pop() ?? path).toLowerCase();
  if (BY_EXTENSION[name]) return BY_EXTENSION[name];
  const dot = name.lastIndexOf(".");
  return dot > 0 ? BY_EXTENSION[name.slice(dot + 1)] : undefined;
}
