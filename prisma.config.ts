import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection string here rather than from schema.prisma. Migrations are
// applied by scripts/db-migrate.ts on the WASM schema engine, which works offline; users with
// internet access can still run `prisma migrate deploy` against the same folder.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune" },
});
