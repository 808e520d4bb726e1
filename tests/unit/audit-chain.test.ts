import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import {
  canonicalEntry,
  canonicalJson,
  checkLinks,
  entryHash,
  GENESIS_HASH,
  type AuditEntryContent,
  type ChainLink,
} from "@/lib/audit/chain";

const entry = (id: number, extra: Partial<AuditEntryContent> = {}): AuditEntryContent => ({
  id,
  at: "2026-12-01T18:00:00.123456Z",
  event: "key.created",
  actor: "ana@example.com",
  subjectType: "key",
  subjectId: `k${id}`,
  details: { role: "agent" },
  ...extra,
});

function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e = entry(i * 10);
    const hash = entryHash(e, i, prev);
    links.push({ seq: i, entryId: e.id, prevHash: prev, hash, entry: e });
    prev = hash;
  }
  return links;
}

describe("canonical JSON (RFC 8785 for the values an entry holds)", () => {
  test("keys sorted by UTF-16 code units at every depth, no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
    // "é" (U+00E9) sorts after "z"; an astral key sorts by its surrogates (U+D83D < U+FF5E)
    expect(canonicalJson({ é: 1, z: 2, "😀": 3, "～": 4 })).toBe('{"z":2,"é":1,"😀":3,"～":4}');
  });

  test("strings and numbers as JSON.stringify writes them; undefined members left out", () => {
    expect(canonicalJson({ s: 'a"\\\n\u0001', n: 1e21, f: 0.1, i: -0, u: undefined })).toBe(
      '{"f":0.1,"i":0,"n":1e+21,"s":"a\\"\\\\\\n\\u0001"}',
    );
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN/);
  });

  test("an entry's canonical text names every field, prev and seq included", () => {
    expect(canonicalEntry(entry(7), 3, GENESIS_HASH)).toBe(
      `{"actor":"ana@example.com","at":"2026-12-01T18:00:00.123456Z","details":{"role":"agent"},"event":"key.created","id":7,"prev":"${GENESIS_HASH}","seq":3,"subject_id":"k7","subject_type":"key"}`,
    );
  });

  test("the hash is SHA-256 of that text in UTF-8, lower-case hex", () => {
    const e = entry(1, { actor: "zoë" });
    const expected = createHash("sha256")
      .update(Buffer.from(canonicalEntry(e, 1, GENESIS_HASH), "utf8"))
      .digest("hex");
    expect(entryHash(e, 1, GENESIS_HASH)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("checking links", () => {
  test("an intact chain has no break", () => {
    expect(checkLinks(chain(5), { seq: 0, hash: GENESIS_HASH })).toBeNull();
  });

  test("a changed field, a deleted entry, a missing link, a reordered pair: the first broken one is named", () => {
    const changed = chain(4);
    changed[2]!.entry = { ...changed[2]!.entry!, details: { role: "reviewer" } };
    expect(checkLinks(changed, { seq: 0, hash: GENESIS_HASH })).toMatchObject({
      seq: 3,
      entryId: 30,
    });

    const deleted = chain(4);
    deleted[1]!.entry = null;
    expect(checkLinks(deleted, { seq: 0, hash: GENESIS_HASH })).toMatchObject({
      seq: 2,
      reason: "the entry was deleted",
    });

    const gap = chain(4);
    gap.splice(1, 1);
    expect(checkLinks(gap, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ seq: 3 });

    const swapped = chain(3);
    [swapped[0]!.entry, swapped[1]!.entry] = [swapped[1]!.entry, swapped[0]!.entry];
    expect(checkLinks(swapped, { seq: 0, hash: GENESIS_HASH })).toMatchObject({ seq: 1 });
  });

  test("a rewritten link (new hash for changed content) breaks the next one", () => {
    const links = chain(3);
    const e = { ...links[1]!.entry!, actor: "mallory" };
    links[1] = { ...links[1]!, entry: e, hash: entryHash(e, 2, links[1]!.prevHash) };
    expect(checkLinks(links, { seq: 0, hash: GENESIS_HASH })).toMatchObject({
      seq: 3,
      reason: expect.stringContaining("previous hash"),
    });
  });
});
