/**
 * Integration tests run against the real PostgreSQL and Redis, on a database and a BullMQ
 * prefix of their own, created here and removed afterwards. Test workers inherit the env.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";

const base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export default async function setup() {
  const run = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const url = new URL(base);
  url.pathname = `/retune_test_${run}`;
  const prefix = `retune-test-${run}`;
  process.env.DATABASE_URL = url.toString();
  process.env.REDIS_URL = redisUrl;
  process.env.BULLMQ_PREFIX = prefix;
  process.env.APP_URL = "http://localhost:3999";
  // Webhook receivers and fake inference endpoints listen on loopback, which server-side requests
  // may reach only when allowlisted (lib/server/core/outbound.ts); nothing else is admitted.
  process.env.RETUNE_OUTBOUND_ALLOW = "127.0.0.1,::1";
  // The tiny local base model is built once and shared by every test run on this checkout.
  process.env.BASE_MODEL_DIR ??= path.resolve("data/base-models");
  Object.assign(process.env, { NODE_ENV: "test" });
  execFileSync("npm", ["run", "--silent", "db:migrate"], { stdio: "inherit", env: process.env });

  return async () => {
    const admin = new URL(base);
    admin.pathname = "/postgres";
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "retune_test_${run}" WITH (FORCE)`);
    await client.end();
    const redis = new Redis(redisUrl);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  };
}
