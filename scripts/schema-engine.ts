/**
 * Prisma's WASM schema engine, driven through the pg driver adapter, so migrations can be
 * written and applied with no network (Prisma 7's CLI would download a native engine first).
 * Used by scripts/db-migrate.ts and scripts/db-diff.ts only.
 */
import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { SchemaEngine, type MigrationList } from "@prisma/schema-engine-wasm";
import pg from "pg";

export const root = path.resolve(import.meta.dirname, "..");
/** RETUNE_PRISMA_DIR points the scripts at another copy of prisma/ (the consistency test uses it). */
const prismaDir = path.resolve(process.env.RETUNE_PRISMA_DIR ?? path.join(root, "prisma"));
export const schemaPath = path.join(prismaDir, "schema.prisma");
export const migrationsDir = path.join(prismaDir, "migrations");
export const filters = { externalTables: [], externalEnums: [] };

type Fields = { fields?: { dataTypeID: number }[] } | undefined;
const PG_CHAR = 18;
const PG_TEXT = 25;

// The engine's catalogue queries return columns of PostgreSQL's internal one-byte "char" type
// (pg_constraint.contype, confdeltype, …), which @prisma/adapter-pg refuses as an unsupported
// column type. node-postgres already hands those values over as strings, so relabelling the
// column as text is exact.
function charAsText<T>(result: T): T {
  for (const field of (result as Fields)?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
  }
  return result;
}

class CatalogueSafePool extends pg.Pool {
  // Only the promise form is used by the adapter.
  override async query(config: unknown, values?: unknown) {
    return charAsText(await super.query(config as string, values as unknown[]));
  }
  // @ts-expect-error: pg's own pool.query() calls connect(callback); keep that path untouched.
  override connect(callback?: (...args: unknown[]) => void) {
    if (callback) return super.connect(callback as never);
    return super.connect().then((client) => {
      const query = client.query.bind(client) as (c: unknown) => Promise<unknown>;
      (client as unknown as { query: unknown }).query = async (c: unknown) =>
        charAsText(await query(c));
      return client;
    });
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** An adapter factory whose shadow database (for diffs against the migration history) is a
 * throwaway database created next to the target one and dropped afterwards. */
function adapterFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const main = new PrismaPg(new CatalogueSafePool({ connectionString: url }) as pg.Pool);
  return {
    provider: "postgres",
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `retune_shadow_${randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadowFactory = new PrismaPg(
        new CatalogueSafePool({ connectionString: withDatabase(url, database) }) as pg.Pool,
        { disposeExternalPool: true },
      );
      const shadow = await shadowFactory.connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

export async function openEngine(url: string): Promise<SchemaEngine> {
  const schema = await readFile(schemaPath, "utf8");
  return SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory(url)),
  );
}

export async function readSchemaFiles() {
  return [{ path: schemaPath, content: await readFile(schemaPath, "utf8") }];
}

/** The migrations folder in the shape the engine takes (as the Prisma CLI reads it). */
export async function readMigrations(): Promise<MigrationList> {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (e: Error) => ({ tag: "error" as const, value: e.message }),
          ),
        },
      })),
    ),
  };
}

export function databaseUrl(): string {
  return process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune";
}

/** Creates the target database when it does not exist yet (a fresh machine has only `postgres`). */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
