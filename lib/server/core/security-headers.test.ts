/**
 * The security headers reach every page and API response: next.config.ts is loaded by Next.js's
 * own config loader, its header rules are checked by Next.js's route validation, and each rule is
 * matched against page and API paths with Next.js's path matcher, as `next start` does.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { transpileConfig } from "next/dist/build/next-config-ts/transpile-config.js";
import loadCustomRoutes from "next/dist/lib/load-custom-routes.js";
import { getPathMatch } from "next/dist/shared/lib/router/utils/path-match.js";
import type { NextConfig } from "next";

const root = path.resolve(import.meta.dirname, "../../..");

async function headersFor(pathname: string): Promise<Record<string, string>> {
  const loaded = (await transpileConfig({
    nextConfigPath: path.join(root, "next.config.ts"),
    dir: root,
  } as never)) as NextConfig | { default: NextConfig };
  const config = "default" in loaded ? loaded.default : loaded;
  const { headers } = await loadCustomRoutes({ ...config, basePath: "", i18n: null } as never);
  const out: Record<string, string> = {};
  for (const rule of headers) {
    if (!getPathMatch(rule.source)(pathname)) continue;
    for (const h of rule.headers) out[h.key.toLowerCase()] = h.value;
  }
  return out;
}

describe("security headers", () => {
  for (const pathname of [
    "/",
    "/datasets/ds1",
    "/sign-in",
    "/api/v1/health",
    "/api/auth/get-session",
  ]) {
    it(`are set on ${pathname}`, async () => {
      const h = await headersFor(pathname);
      expect(h["x-frame-options"]).toBe("DENY");
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("same-origin");
      const csp = h["content-security-policy"] ?? "";
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
    });
  }
});
