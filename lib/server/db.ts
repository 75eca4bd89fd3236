import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const globalForDb = globalThis as unknown as { retuneDb?: PrismaClient };

/** One client per process (Next.js dev reloads modules; the global keeps the pool). */
export function db(): PrismaClient {
  globalForDb.retuneDb ??= new PrismaClient({
    adapter: new PrismaPg({ connectionString: env().DATABASE_URL, max: env().DATABASE_POOL_SIZE }),
  });
  return globalForDb.retuneDb;
}

export async function disconnectDb(): Promise<void> {
  await globalForDb.retuneDb?.$disconnect();
  globalForDb.retuneDb = undefined;
}

export { Prisma } from "./generated/prisma/client";
