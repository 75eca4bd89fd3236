/**
 * Holds app/api/v1 and the OpenAPI registry to each other: every exported handler of every
 * route.ts has an entry with the same auth its handler is built with, and every entry has a
 * handler. The route files are read as text, as they are written (`export const GET =
 * teamRoute("team.read", …)`), so this needs no database.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPERATIONS } from "./operations";
import type { Auth } from "./spec";

const API_DIR = path.resolve(import.meta.dirname, "../../../app/api/v1");
const EXPORT =
  /export\s+const\s+(GET|POST|PUT|PATCH|DELETE)\s*=\s*(publicRoute|userRoute|teamRoute)\(\s*(?:"([^"]+)")?/g;

type Found = { key: string; auth: string; file: string };

function routesOnDisk(): Found[] {
  const files = (readdirSync(API_DIR, { recursive: true }) as string[])
    .filter((f) => path.basename(f) === "route.ts")
    .sort();
  return files.flatMap((file) => {
    const source = readFileSync(path.join(API_DIR, file), "utf8");
    const route = `/api/v1/${path.dirname(file)}`
      .replace(/\/\.$/, "")
      .replace(/\[([^\]]+)\]/g, "{$1}");
    const found = [...source.matchAll(EXPORT)].map((m) => ({
      key: `${m[1]} ${route}`,
      auth: m[2] === "teamRoute" ? `team:${m[3]}` : m[2] === "userRoute" ? "user" : "public",
      file,
    }));
    const exported = [
      ...source.matchAll(
        /export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
      ),
    ];
    if (exported.length !== found.length)
      throw new Error(`${file}: an HTTP handler not built as \`export const X = teamRoute(…)\``);
    return found;
  });
}

const authOf = (a: Auth) => (typeof a === "object" ? `team:${a.action}` : a);

describe("the OpenAPI registry covers app/api/v1", () => {
  const onDisk = routesOnDisk();
  const documented = new Map(OPERATIONS.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o]));

  it("finds the route files", () => {
    expect(onDisk.length).toBeGreaterThan(50);
  });

  it("documents every route and method", () => {
    const missing = onDisk.filter((r) => !documented.has(r.key)).map((r) => `${r.key} (${r.file})`);
    expect(missing, "route handlers without an OpenAPI entry (lib/server/openapi)").toEqual([]);
  });

  it("documents nothing that has no route", () => {
    const keys = new Set(onDisk.map((r) => r.key));
    const extra = [...documented.keys()].filter((k) => !keys.has(k));
    expect(extra, "OpenAPI entries without a route handler").toEqual([]);
  });

  it("documents each route's auth as its handler is built", () => {
    const wrong = onDisk
      .filter((r) => documented.has(r.key) && authOf(documented.get(r.key)!.auth) !== r.auth)
      .map((r) => `${r.key}: handler ${r.auth}, documented ${authOf(documented.get(r.key)!.auth)}`);
    expect(wrong).toEqual([]);
  });
});
