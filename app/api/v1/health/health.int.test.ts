/**
 * GET /api/v1/health with real PostgreSQL and Redis: anonymous callers (load balancers) get the
 * overall status and whether each store answers, never worker hostnames, PIDs, queues or raw
 * errors; a team member or an API key gets the full report the status page draws.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { healthSchema, publicHealthSchema } from "@/lib/schemas/health";
import { bus } from "@/lib/server/core/queues";
import { beat, clearBeat, workerIdentity } from "@/lib/server/core/heartbeat";
import { keyFor, ownerOfNewTeam, sessionHeaders, type TestUser } from "@/test/principals";
import { GET } from "./route";

const ctx = { params: Promise.resolve({}) };
const get = (headers: Record<string, string> = {}) =>
  GET(new Request("http://localhost:3999/api/v1/health", { headers }), ctx);

let owner: TestUser;
let teamId: string;
let key: string;
const worker = workerIdentity(["outbox"]);

beforeAll(async () => {
  const o = await ownerOfNewTeam("health");
  owner = o.owner;
  teamId = o.team.id;
  key = (await keyFor(teamId, owner.id, ["telemetry"])).key;
  await beat(bus().connection(), bus().config.prefix, { ...worker, capabilities: null });
  return () => clearBeat(bus().connection(), bus().config.prefix, worker.id);
});

describe("GET /api/v1/health", () => {
  it("tells an anonymous caller only the status and which stores answer", async () => {
    const callers: Record<string, string>[] = [
      {},
      { authorization: "Bearer rt_thisKeyDoesNotExist0000000000000000" },
    ];
    for (const headers of callers) {
      const res = await get(headers);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(publicHealthSchema.strict().parse(body)).toMatchObject({
        status: "ok",
        db: { ok: true },
        redis: { ok: true },
      });
      const text = JSON.stringify(body);
      expect(text).not.toContain(worker.hostname);
      expect(text).not.toContain("pid");
      expect(text).not.toContain("queues");
    }
  });

  it("gives a signed-in team member and an API key the full report, workers included", async () => {
    for (const headers of [sessionHeaders(owner, teamId), { authorization: `Bearer ${key}` }]) {
      const res = await get(headers);
      expect(res.status).toBe(200);
      const h = healthSchema.parse(await res.json());
      expect(h.queues.length).toBeGreaterThan(0);
      expect(h.workers.find((w) => w.id === worker.id)).toMatchObject({
        hostname: worker.hostname,
        pid: worker.pid,
      });
    }
  });
});
