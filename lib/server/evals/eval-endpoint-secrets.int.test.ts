/**
 * An endpoint eval run cannot carry a team secret anywhere an ADMIN did not allow, nor reach an
 * internal address, nor keep what an endpoint answered beyond a sanitised summary. The "other"
 * listener is a second fake on loopback (allowlisted as an address, so only the secret's origin
 * binding stands between it and the key); internal names resolve through an injected resolver,
 * and a probe on every TCP connection proves nothing but loopback was ever connected to.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopback, probeConnections } from "@/test/connection-probe";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/test/fakes/openai-server";
import type { Principal } from "@/lib/server/core/principal";
import {
  API_KEY,
  endpoint,
  execute,
  fake,
  p,
  setUpEvals,
  suiteId,
  tearDownEvals,
} from "./eval-fixtures";

const { db } = await import("@/lib/server/core/db");
const { putSecret } = await import("@/lib/server/core/secrets");
const { configureOutboundForTests } = await import("@/lib/server/core/outbound");
const { createWebhook } = await import("@/lib/server/webhooks/webhooks");
const { createEvalRun } = await import("./create-runs");
const { getEvalRun, listEvalCases } = await import("./read-runs");

const probe = probeConnections();
let listener: FakeOpenAiServer;
const engineer = (): Principal => ({ ...p, actor: { kind: "user", role: "ENGINEER" } });
const writeKey = (): Principal => ({ ...p, actor: { kind: "apiKey", scopes: ["write"] } });

beforeAll(async () => {
  await setUpEvals();
  listener = await startFakeOpenAiServer({ apiKey: null });
});
afterAll(async () => {
  await listener?.close();
  await tearDownEvals();
  expect(probe.connected.filter((a) => !isLoopback(a))).toEqual([]);
  probe.stop();
});

const target = (url: string, apiKeySecret = "vllm-key") => ({
  endpoint: { ...endpoint(apiKeySecret).endpoint, url },
});
const origin = (url: string) => new URL(url).origin;

async function refused(pr: Principal, t: ReturnType<typeof target>, path: string) {
  const e = await createEvalRun(pr, { suiteId, target: t, force: true }).catch(
    (err: unknown) => err,
  );
  expect(e).toMatchObject({ status: 422, issues: [{ path }] });
  return (e as Error).message;
}

describe("an endpoint target's API key", () => {
  it("is refused at create time for an origin the secret does not allow, whoever asks", async () => {
    for (const who of [p, engineer(), writeKey()]) {
      const message = await refused(who, target(listener.url), "target.endpoint.apiKeySecret");
      expect(message).toContain(
        `secret "vllm-key" may be sent only to ${origin(fake.url)}, not to ${origin(listener.url)}`,
      );
    }
    // Only ADMINs and OWNERs decide where a secret goes; a write key cannot even try.
    await expect(
      putSecret(engineer(), "vllm-key", { allowedOrigins: [origin(listener.url)] }),
    ).rejects.toMatchObject({ status: 403 });
    expect(listener.requests).toHaveLength(0);
  });

  it("goes nowhere when the secret has no allowed origins; webhook signing secrets never go", async () => {
    await putSecret(p, "unbound-key", { value: "sk-unbound-0123456789abcdef" });
    const message = await refused(
      p,
      target(fake.url, "unbound-key"),
      "target.endpoint.apiKeySecret",
    );
    expect(message).toContain('secret "unbound-key" has no allowed origins, so it is sent nowhere');
    expect(message).toContain("Settings → Secrets");
    const { id } = await createWebhook(p, { url: `${fake.url}/hook`, events: ["*"] });
    const hook = await refused(
      p,
      target(fake.url, `webhook-${id}`),
      "target.endpoint.apiKeySecret",
    );
    expect(hook).toContain(`secret "webhook-${id}" is a webhook signing secret and is never sent`);
  });

  it("reaches the allowed origin, and is re-checked by the worker right before sending", async () => {
    const before = fake.requests.length;
    const ok = await createEvalRun(p, { suiteId, target: target(fake.url), force: true });
    expect(await execute(ok.run.id)).toMatchObject({ status: "SUCCEEDED" });
    const sent = fake.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.authorization === `Bearer ${API_KEY}`)).toBe(true);

    // Created while allowed; the ADMIN then narrows the secret's origins: nothing is sent.
    const { run } = await createEvalRun(p, { suiteId, target: target(fake.url), force: true });
    await putSecret(p, "vllm-key", { allowedOrigins: ["https://api.example.test"] });
    const count = fake.requests.length;
    try {
      expect(await execute(run.id)).toMatchObject({ status: "FAILED" });
    } finally {
      await putSecret(p, "vllm-key", { allowedOrigins: [origin(fake.url)] });
    }
    expect(fake.requests.length).toBe(count);
    expect((await getEvalRun(p, run.id)).error).toContain(
      `secret "vllm-key" may be sent only to https://api.example.test, not to ${origin(fake.url)}`,
    );
    expect(listener.requests).toHaveLength(0);
  });

  it("never leaves the run in what an endpoint answered: errors are a bounded, redacted summary", async () => {
    const respond = fake.respond;
    const echoed = `Bearer ${API_KEY} and sk-someone-elses-key-0123456789 ${"x".repeat(5000)}`;
    fake.respond = () => ({ status: 400, body: { error: { message: echoed } } });
    try {
      const { run } = await createEvalRun(p, { suiteId, target: target(fake.url), force: true });
      expect(await execute(run.id)).toMatchObject({ status: "SUCCEEDED" });
      const { cases } = await listEvalCases(p, run.id, { limit: 100 });
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) {
        const error = c.output.error ?? "";
        expect(error).toContain("HTTP 400: ");
        expect(error).toContain("[redacted]");
        expect(error.length).toBeLessThan(300);
        expect(error).not.toContain(API_KEY);
        expect(error).not.toContain("sk-someone-elses-key");
      }
      const rows = await db().evalCaseResult.findMany({ where: { evalRunId: run.id } });
      expect(JSON.stringify(rows)).not.toContain("x".repeat(250));
    } finally {
      fake.respond = respond;
    }
  });
});

describe("an endpoint target's address", () => {
  const resolve = async (hostname: string) => {
    if (hostname === "vllm.internal.test") return [{ address: "10.1.2.3", family: 4 }];
    if (hostname === "vllm.metadata.test") return [{ address: "169.254.169.254", family: 4 }];
    throw Object.assign(new Error(`test resolver: ${hostname} unknown`), { code: "ENOTFOUND" });
  };

  it("is refused with 422 naming the rule when internal, unless allowlisted", async () => {
    const restore = configureOutboundForTests({ allow: "", resolve });
    try {
      expect(await refused(p, target(fake.url), "target.endpoint.url")).toContain(
        "target.endpoint.url: 127.0.0.1 is a loopback address (127.0.0.0/8), which server-side requests may not reach; allow it with RETUNE_OUTBOUND_ALLOW",
      );
      expect(
        await refused(p, target("http://vllm.internal.test/v1"), "target.endpoint.url"),
      ).toContain("vllm.internal.test resolves to 10.1.2.3, a private address (10.0.0.0/8)");
      expect(
        await refused(p, target("http://vllm.metadata.test/v1"), "target.endpoint.url"),
      ).toContain(
        "resolves to 169.254.169.254, a link-local (cloud metadata) address (169.254.0.0/16)",
      );
      expect(await refused(p, target("http://[fd00::1]:8000/v1"), "target.endpoint.url")).toContain(
        "fd00::1 is a unique-local (private) address (fc00::/7)",
      );
    } finally {
      restore();
    }
  });

  it("is refused at connect time when its name resolves to an internal address by then", async () => {
    const port = new URL(fake.url).port;
    const url = `http://vllm.rebind.test:${port}/v1`;
    await putSecret(p, "vllm-key", { allowedOrigins: [origin(fake.url), origin(url)] });
    let restore = configureOutboundForTests({
      resolve: async () => [{ address: "127.0.0.1", family: 4 }], // allowlisted in tests
    });
    const { run } = await createEvalRun(p, { suiteId, target: target(url), force: true });
    restore();
    restore = configureOutboundForTests({
      resolve: async () => [{ address: "10.1.2.3", family: 4 }],
    });
    const count = fake.requests.length;
    try {
      expect(await execute(run.id)).toMatchObject({ status: "FAILED" });
    } finally {
      restore();
      await putSecret(p, "vllm-key", { allowedOrigins: [origin(fake.url)] });
    }
    expect(fake.requests.length).toBe(count);
    expect((await getEvalRun(p, run.id)).error).toContain(
      "vllm.rebind.test resolves to 10.1.2.3, a private address (10.0.0.0/8)",
    );
  });

  it("does not follow a redirect: the run fails naming where it pointed", async () => {
    const respond = fake.respond;
    const to = "http://169.254.169.254/latest/meta-data/iam";
    fake.respond = () => ({ status: 307, headers: { location: to }, body: {} });
    probe.clear();
    try {
      const { run } = await createEvalRun(p, { suiteId, target: target(fake.url), force: true });
      expect(await execute(run.id)).toMatchObject({ status: "FAILED" });
      expect((await getEvalRun(p, run.id)).error).toContain(
        `answered HTTP 307, a redirect to ${to} that is not followed`,
      );
    } finally {
      fake.respond = respond;
    }
    expect(probe.connected.every(isLoopback)).toBe(true);
  });
});
