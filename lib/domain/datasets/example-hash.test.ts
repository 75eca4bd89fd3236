import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  evalBuckets,
  exampleHash,
  hashString,
  normalizedExampleHash,
  splitOf,
} from "./example-hash";
import type { NormalizedExample } from "./types";

describe("hashString", () => {
  it("is a deterministic non-negative safe integer that uses the high bits", () => {
    const h = hashString("hello");
    expect(h).toBe(hashString("hello"));
    expect(Number.isSafeInteger(h)).toBe(true);
    expect(h).toBeGreaterThanOrEqual(0);
    let high = false;
    for (let i = 0; i < 20; i++) if (hashString(`row ${i}`) > 2 ** 32) high = true;
    expect(high).toBe(true);
  });

  it("separates near-identical strings and honours the seed", () => {
    expect(hashString("ab")).not.toBe(hashString("ba"));
    expect(hashString("")).not.toBe(hashString(" "));
    expect(hashString("x", 1)).not.toBe(hashString("x"));
  });

  it("has no collisions over 100k distinct rows", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(hashString(`{"messages":[${i}]}`));
    expect(seen.size).toBe(100_000);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and follows JSON.stringify otherwise", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 1, e: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[1,{"e":2,"f":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: () => 1, c: null })).toBe('{"c":null}');
    expect(canonicalJson([undefined, NaN, Infinity, -0])).toBe("[null,null,null,0]");
    expect(canonicalJson('he said "hi"\n')).toBe(JSON.stringify('he said "hi"\n'));
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson({ __proto__: 1 } as unknown)).toBe("{}");
    expect(canonicalJson(JSON.parse('{"__proto__":1}'))).toBe('{"__proto__":1}');
  });
});

describe("exampleHash", () => {
  it("ignores key order", () => {
    expect(exampleHash({ a: 1, b: [1, 2] })).toBe(exampleHash({ b: [1, 2], a: 1 }));
    expect(exampleHash({ a: 1, b: [1, 2] })).not.toBe(exampleHash({ a: 1, b: [2, 1] }));
  });

  it("normalizedExampleHash ignores the source only", () => {
    const a: NormalizedExample = { kind: "completion", prompt: "p", completion: "c", source: "x" };
    expect(normalizedExampleHash(a)).toBe(normalizedExampleHash({ ...a, source: null }));
    expect(normalizedExampleHash(a)).not.toBe(normalizedExampleHash({ ...a, completion: "d" }));
  });
});

describe("splitOf", () => {
  it("uses hash mod 10000 against evalFraction", () => {
    expect(splitOf(999, 0.1)).toBe("eval");
    expect(splitOf(1000, 0.1)).toBe("train");
    expect(splitOf(10_000 + 999, 0.1)).toBe("eval");
    expect(splitOf(0, 0)).toBe("train");
    expect(splitOf(2899, 0.29)).toBe("eval"); // 0.29 × 10000 is 2899.999… in floating point
    expect(evalBuckets(0.29)).toBe(2900);
    expect(evalBuckets(-1)).toBe(0);
    expect(evalBuckets(2)).toBe(10000);
  });

  it("sends about evalFraction of rows to eval", () => {
    let evalRows = 0;
    for (let i = 0; i < 50_000; i++)
      if (splitOf(hashString(`row ${i}`), 0.1) === "eval") evalRows++;
    expect(evalRows / 50_000).toBeGreaterThan(0.09);
    expect(evalRows / 50_000).toBeLessThan(0.11);
  });
});
