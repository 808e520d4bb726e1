"use client";

import { useState } from "react";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_OPEN_DEPTH = 3;

function Scalar({ value }: { value: Exclude<Json, Json[] | { [key: string]: Json }> }) {
  if (value === null) return <span className="text-zinc-500">null</span>;
  if (typeof value === "string")
    return (
      <span className="break-all text-green-800 dark:text-green-300">{JSON.stringify(value)}</span>
    );
  if (typeof value === "number")
    return <span className="text-blue-800 dark:text-blue-300">{value}</span>;
  return <span className="text-purple-800 dark:text-purple-300">{String(value)}</span>;
}

function Node({ name, value, depth }: { name: string | null; value: Json; depth: number }) {
  const label =
    name === null ? null : (
      <span className="text-zinc-700 dark:text-zinc-300">{JSON.stringify(name)}: </span>
    );
  if (value === null || typeof value !== "object") {
    return (
      <li className="pl-4">
        {label}
        <Scalar value={value} />
      </li>
    );
  }
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) {
    return (
      <li className="pl-4">
        {label}
        {open}
        {close}
      </li>
    );
  }
  return (
    <li className="pl-4">
      <details open={depth < MAX_OPEN_DEPTH}>
        <summary className="-ml-4 cursor-pointer list-none rounded hover:bg-zinc-100 dark:hover:bg-zinc-800 [&::-webkit-details-marker]:hidden">
          <span
            aria-hidden="true"
            className="inline-block w-4 text-center text-zinc-500 transition-transform [details[open]>summary>&]:rotate-90"
          >
            ▸
          </span>
          {label}
          {open}
          <span className="hidden text-zinc-500 [details:not([open])>summary>&]:inline">
            {" "}
            {entries.length} {Array.isArray(value) ? "item" : "key"}
            {entries.length === 1 ? "" : "s"} {close}
          </span>
        </summary>
        <ul>
          {entries.map(([k, v]) => (
            <Node key={k} name={Array.isArray(value) ? null : k} value={v} depth={depth + 1} />
          ))}
        </ul>
        <span className="block -ml-4 pl-4">{close}</span>
      </details>
    </li>
  );
}

/** JSON context, readable: a collapsible tree or pretty-printed text, with a copy button. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const [mode, setMode] = useState<"tree" | "text">("tree");
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const text = JSON.stringify(value, null, 2) ?? "null";
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
    setTimeout(() => setCopied("idle"), 2000);
  };
  const tab = (m: "tree" | "text", name: string) => (
    <button
      type="button"
      aria-pressed={mode === m}
      onClick={() => setMode(m)}
      className={`px-2 py-0.5 text-xs ${mode === m ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
    >
      {name}
    </button>
  );
  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 dark:border-zinc-800">
        <span className="text-sm font-medium">{label}</span>
        <div
          role="group"
          aria-label="Context format"
          className="ml-auto inline-flex overflow-hidden rounded border border-zinc-300 dark:border-zinc-700"
        >
          {tab("tree", "Tree")}
          {tab("text", "JSON text")}
        </div>
        <button
          type="button"
          onClick={copy}
          className="rounded border border-zinc-300 px-2 py-0.5 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Copy JSON
        </button>
        <span aria-live="polite" className="text-xs text-zinc-600 dark:text-zinc-400">
          {copied === "copied"
            ? "Copied"
            : copied === "failed"
              ? "Copy failed: select the text instead"
              : ""}
        </span>
      </div>
      {mode === "tree" ? (
        <ul className="max-h-[28rem] overflow-auto py-2 pr-3 font-mono text-xs leading-5">
          <Node name={null} value={value as Json} depth={0} />
        </ul>
      ) : (
        <pre
          tabIndex={0}
          aria-label={`${label} as JSON text`}
          className="max-h-[28rem] overflow-auto p-3 font-mono text-xs leading-5"
        >
          {text}
        </pre>
      )}
    </div>
  );
}
