"use client";

import { useSyncExternalStore } from "react";

/*
 * The reviewer's per-hunk decisions on the page's diff, shared by the diff (its hunk
 * controls) and the decision form (which sends them): one small store per page, read
 * with useSyncExternalStore so that a change re-renders only the hunk it touches.
 * Hunks are named as the API names them: file (the diff's path) and index in the file.
 */

export interface HunkName {
  file: string;
  index: number;
}

export interface HunkChoiceState {
  accepted: boolean;
  note: string;
  /** the new side as the reviewer edited it (null: not edited) */
  edit: string | null;
}

const DEFAULT: HunkChoiceState = { accepted: true, note: "", edit: null };
const keyOf = (file: string, index: number) => `${index}\u0000${file}`;

let requestId = "";
let all: HunkName[] = [];
let choices = new Map<string, HunkChoiceState>();
let focus: string | null = null;
/** bumped on every change: the form's snapshot */
let version = 0;
const listeners = new Set<() => void>();

function emit() {
  version++;
  for (const l of listeners) l();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The page's request and its hunks, in order (a new request starts afresh). */
export function setHunks(id: string, names: HunkName[]) {
  if (id !== requestId) {
    choices = new Map();
    focus = null;
  }
  requestId = id;
  all = names;
  emit();
}

export function hunkChoice(file: string, index: number): HunkChoiceState {
  return choices.get(keyOf(file, index)) ?? DEFAULT;
}

export function updateHunk(file: string, index: number, change: Partial<HunkChoiceState>) {
  const key = keyOf(file, index);
  const next = { ...hunkChoice(file, index), ...change };
  if (!next.accepted) next.edit = null; // only an accepted hunk can be edited
  choices.set(key, next);
  emit();
}

/** Accept or reject every hunk of a file. */
export function decideFile(file: string, accepted: boolean) {
  for (const h of all) {
    if (h.file === file) {
      const current = hunkChoice(h.file, h.index);
      choices.set(keyOf(h.file, h.index), {
        ...current,
        accepted,
        edit: accepted ? current.edit : null,
      });
    }
  }
  emit();
}

export function useHunkChoice(file: string, index: number): HunkChoiceState {
  return useSyncExternalStore(
    subscribe,
    () => hunkChoice(file, index),
    () => DEFAULT,
  );
}

export function useHunkFocused(file: string, index: number): boolean {
  const key = keyOf(file, index);
  return useSyncExternalStore(
    subscribe,
    () => focus === key,
    () => false,
  );
}

/** The index of the focused hunk when it is in `file` (its diff opens there), else -1. */
export function useFocusedIndexIn(file: string): number {
  return useSyncExternalStore(
    subscribe,
    () => {
      const h = focusedHunk();
      return h && h.file === file ? h.index : -1;
    },
    () => -1,
  );
}

export function focusedHunk(): HunkName | null {
  if (focus === null) return null;
  const at = focus.indexOf("\u0000");
  return { index: Number(focus.slice(0, at)), file: focus.slice(at + 1) };
}

export function setFocus(file: string, index: number) {
  focus = keyOf(file, index);
  emit();
}

/** Move the focus to the next (+1) or previous (−1) hunk. */
export function moveFocus(step: 1 | -1) {
  if (all.length === 0) return;
  const at = focus === null ? -1 : all.findIndex((h) => keyOf(h.file, h.index) === focus);
  const next = at === -1 ? (step === 1 ? 0 : all.length - 1) : at + step;
  const h = all[Math.max(0, Math.min(all.length - 1, next))]!;
  setFocus(h.file, h.index);
}

export interface HunkSummary {
  total: number;
  rejected: number;
  edited: number;
  /** the decision body's `hunks` and `edits` as JSON ("" when every hunk is accepted as is) */
  payload: string;
}

let cached: { version: number; summary: HunkSummary } | null = null;
const EMPTY: HunkSummary = { total: 0, rejected: 0, edited: 0, payload: "" };

function summary(): HunkSummary {
  if (cached?.version === version) return cached.summary;
  const hunks: { file: string; index: number; accepted: boolean; note?: string }[] = [];
  const edits: { file: string; index: number; new_text: string }[] = [];
  let rejected = 0;
  for (const h of all) {
    const c = choices.get(keyOf(h.file, h.index));
    if (!c) continue;
    if (!c.accepted) rejected++;
    if (!c.accepted || c.note.trim()) {
      hunks.push({
        file: h.file,
        index: h.index,
        accepted: c.accepted,
        ...(c.note.trim() ? { note: c.note } : {}),
      });
    }
    if (c.accepted && c.edit !== null)
      edits.push({ file: h.file, index: h.index, new_text: c.edit });
  }
  const payload =
    hunks.length || edits.length
      ? JSON.stringify({ ...(hunks.length ? { hunks } : {}), ...(edits.length ? { edits } : {}) })
      : "";
  cached = { version, summary: { total: all.length, rejected, edited: edits.length, payload } };
  return cached.summary;
}

export function useHunkSummary(): HunkSummary {
  return useSyncExternalStore(subscribe, summary, () => EMPTY);
}
