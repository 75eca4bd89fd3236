import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Workers and scripts import lib/server directly; keep these packages out of the bundle so the
  // server uses the same node_modules copies at run time.
  serverExternalPackages: ["bullmq", "ioredis", "pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default nextConfig;
