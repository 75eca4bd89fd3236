/**
 * schema.prisma and prisma/migrations must agree, and migrations must apply with no network
 * (the WASM schema engine; Prisma 7's CLI would try to download a native engine).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, appendFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function npmRun(args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync("npm", ["run", "--silent", ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

describe("migrations", () => {
  it("match schema.prisma", () => {
    const r = npmRun(["db:diff", "--", "--check"]);
    expect(r.status, r.stderr + r.stdout).toBe(0);
  });

  it("are reported missing when schema.prisma changes without one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "retune-prisma-"));
    try {
      cpSync(path.join(root, "prisma"), dir, { recursive: true });
      appendFileSync(path.join(dir, "schema.prisma"), "\nmodel Forgotten {\n  id String @id\n}\n");
      const r = npmRun(["db:diff", "--", "--check"], { RETUNE_PRISMA_DIR: dir });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('CREATE TABLE "Forgotten"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const canIsolate = spawnSync("unshare", ["-n", "true"]).status === 0;
  it.skipIf(!canIsolate)("apply in a network namespace with no network at all", async () => {
    // No interfaces but a down loopback: PostgreSQL is reached over its Unix socket.
    const name = `retune_offline_${Date.now().toString(36)}`;
    const url = `postgresql://postgres@localhost/${name}?host=/var/run/postgresql`;
    const out = execFileSync("unshare", ["-n", "npm", "run", "--silent", "db:migrate"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url },
      encoding: "utf8",
    });
    expect(out).toContain("applied");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`,
      );
      expect(rows[0].n).toBeGreaterThan(0);
      const tables = await client.query(`SELECT to_regclass('"Team"')::text AS t`);
      expect(tables.rows[0].t).toBe('"Team"');
    } finally {
      await client.end();
      const admin = new pg.Client({
        connectionString: "postgresql://postgres@localhost/postgres?host=/var/run/postgresql",
      });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
