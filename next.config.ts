import type { NextConfig } from "next";
import { securityHeaders } from "./lib/server/core/security-headers";

const nextConfig: NextConfig = {
  // Workers and scripts import lib/server directly; keep these packages out of the bundle so the
  // server uses the same node_modules copies at run time.
  // esbuild: the dataset analyser bundles its worker thread at run time (a native binary that
  // cannot be bundled itself); the BFCL import route reaches that code.
  serverExternalPackages: ["bullmq", "ioredis", "pg", "@prisma/adapter-pg", "undici", "esbuild"],
  typedRoutes: false,
  // `npm test` runs tsc over the whole tree (npm run check) before it builds; it sets
  // RETUNE_TYPECHECKED so the build does not typecheck the same files again (over a minute on
  // 2 cores). Every other build (the demo, a deployment) typechecks.
  typescript: { ignoreBuildErrors: process.env.RETUNE_TYPECHECKED === "1" },
  poweredByHeader: false,
  experimental: {
    // Turbopack keeps a build cache in .next for the next build (on by default in Next 16.4).
    // A CI machine builds once and is thrown away: writing it there is time spent for nothing
    // (16 s of a 90 s build on 2 cores).
    turbopackFileSystemCacheForBuild: process.env.CI !== "true",
  },
  // CSP, framing, MIME sniffing and referrer rules on every page and API response; set here
  // rather than in proxy.ts, which would buffer request bodies (uploads) to hand them on.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders(process.env.NODE_ENV === "development") },
    ];
  },
};

export default nextConfig;
