// Applies prisma/migrations to DATABASE_URL (creating the database if needed), offline.
import { databaseUrl, ensureDatabase, filters, openEngine, readMigrations } from "./schema-engine";

const url = databaseUrl();
await ensureDatabase(url);
const engine = await openEngine(url);
const { appliedMigrationNames } = await engine.applyMigrations({
  migrationsList: await readMigrations(),
  filters,
});
const where = new URL(url);
console.log(
  appliedMigrationNames.length
    ? `db:migrate applied ${appliedMigrationNames.join(", ")} to ${where.host}${where.pathname}`
    : `db:migrate: ${where.host}${where.pathname} is up to date`,
);
process.exit(0);
