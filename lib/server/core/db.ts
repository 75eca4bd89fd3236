import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/server/generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { retuneDb?: PrismaClient; retunePool?: pg.Pool };

/**
 * The process's PostgreSQL pool, shared by Prisma (through its pg adapter) and by the few hot
 * paths that speak SQL directly (`sql()`): one set of connections, one DATABASE_POOL_SIZE.
 */
function sharedPool(): pg.Pool {
  if (!globalForDb.retunePool) {
    const pool = new pg.Pool({
      connectionString: env().DATABASE_URL,
      max: env().DATABASE_POOL_SIZE,
      // pg's default closes a connection idle for 10 s; the next burst then pays a backend fork
      // and authentication per connection (tens of ms each, queued behind one another), which
      // showed as the launch API's p99 after every quiet spell (npm run bench:dispatch).
      idleTimeoutMillis: 5 * 60_000,
      // Idle connections must not keep a script or test process alive for those minutes.
      allowExitOnIdle: true,
    });
    // An idle connection the server closes (a restart, a terminated backend) is an 'error' event
    // on the pool; unhandled, it would kill the process. The pool replaces the connection.
    pool.on("error", (e) => console.error(`postgres: idle connection lost: ${e.message}`));
    // A checked-out client has no listener of the pool's: a backend terminated while the client
    // is held (an advisory-lock connection, a transaction) emits 'error' on the client itself,
    // and an 'error' event nobody listens to kills the process (issue 14: workers died under
    // pg_terminate_backend). The query in flight still rejects, so its caller sees the failure,
    // and pg-pool discards the broken client when it is released.
    pool.on("connect", (client) => {
      client.on("error", (e) => console.error(`postgres: connection lost: ${e.message}`));
    });
    globalForDb.retunePool = pool;
  }
  return globalForDb.retunePool;
}

/** One client per process (Next.js dev reloads modules; the global keeps the pool). */
export function db(): PrismaClient {
  globalForDb.retuneDb ??= new PrismaClient({ adapter: new PrismaPg(sharedPool()) });
  return globalForDb.retuneDb;
}

/**
 * Plain SQL on the shared pool, for the launch and dispatch hot paths only: a Prisma query costs
 * ~1 ms of CPU here against ~0.2 ms for the same statement through pg (npm run bench:dispatch).
 * Everything else goes through Prisma.
 */
export function sql(): pg.Pool {
  return sharedPool();
}

export async function disconnectDb(): Promise<void> {
  const { retuneDb, retunePool } = globalForDb;
  globalForDb.retuneDb = undefined;
  globalForDb.retunePool = undefined;
  await retuneDb?.$disconnect();
  // A pool handed to the adapter stays open after $disconnect; ending it twice throws.
  await retunePool?.end().catch(() => {});
}

/**
 * A failure of the connection, not of the statement: the server restarted or terminated the
 * backend (SQLSTATE class 08, 57P01–57P03), the socket broke, or Prisma could not reach the
 * server (P1001, P1002, P1017). The work that hit it is retried (a BullMQ attempt, the next
 * tick); a worker never exits for one.
 */
export function isTransientDbError(e: unknown): boolean {
  const seen = new Set<unknown>();
  for (let cur = e; cur && typeof cur === "object" && !seen.has(cur);) {
    seen.add(cur);
    const { code, message } = cur as { code?: unknown; message?: unknown };
    if (typeof code === "string") {
      if (/^(08|57P0[123])/.test(code) || ["P1001", "P1002", "P1017"].includes(code)) return true;
      if (["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT"].includes(code)) return true;
    }
    if (
      typeof message === "string" &&
      /terminating connection|Connection terminated|connection (was )?closed|server closed the connection/i.test(
        message,
      )
    )
      return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

export { Prisma } from "@/lib/server/generated/prisma/client";
