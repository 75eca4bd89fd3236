/** The chat-completions client against a fake vLLM server speaking real HTTP. */
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage, ToolDef } from "@/lib/domain/datasets";
import type { EndpointTarget } from "@/lib/schemas/evals";
import { replies, startFakeOpenAiServer, type FakeOpenAiServer } from "@/test/fakes/openai-server";
import { chatCompletionsUrl, EndpointError, generateViaEndpoint } from "./inference-endpoint";

const KEY = "sk-test-0123456789abcdef-very-secret";
const weatherTool: ToolDef = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
};
const ask = (content: string): ChatMessage[] => [
  { role: "system", content: "You are a helpful agent." },
  { role: "user", content },
];

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(respond: FakeOpenAiServer["respond"], apiKey: string | null = KEY) {
  server = await startFakeOpenAiServer({ apiKey, respond });
  return server;
}
const target = (s: FakeOpenAiServer, extra: Partial<EndpointTarget> = {}): EndpointTarget => ({
  url: s.url,
  model: "support-agent-v3",
  maxConcurrency: 4,
  ...extra,
});

describe("chatCompletionsUrl", () => {
  it("appends /chat/completions to the base as given", () => {
    expect(chatCompletionsUrl("http://vllm:8000/v1").href).toBe(
      "http://vllm:8000/v1/chat/completions",
    );
    expect(chatCompletionsUrl("http://vllm:8000/v1/").href).toBe(
      "http://vllm:8000/v1/chat/completions",
    );
    expect(chatCompletionsUrl("http://vllm:8000").href).toBe("http://vllm:8000/chat/completions");
    expect(chatCompletionsUrl("https://x.example/openai/v1?api-version=2").href).toBe(
      "https://x.example/openai/v1/chat/completions?api-version=2",
    );
  });
});

describe("generateViaEndpoint", () => {
  it("sends model, messages, tools, temperature 0, max_tokens and logprobs with the bearer key", async () => {
    const s = await start(() => replies.text("hello"));
    const messages = ask("hi");
    await generateViaEndpoint(target(s), KEY, [{ messages, tools: [weatherTool] }]);
    expect(s.requests).toHaveLength(1);
    const r = s.requests[0]!;
    expect(r.path).toBe("/v1/chat/completions");
    expect(r.authorization).toBe(`Bearer ${KEY}`);
    expect(r.body).toEqual({
      model: "support-agent-v3",
      messages,
      tools: [weatherTool],
      temperature: 0,
      max_tokens: 256,
      logprobs: true,
    });
  });

  it("omits tools when a case has none, and sends no Authorization without a key", async () => {
    const s = await start(() => replies.text("hello"), null);
    await generateViaEndpoint(target(s, { url: `${s.url}/` }), null, [
      { messages: ask("a"), tools: [] },
      { messages: ask("b") },
    ]);
    expect(s.requests.map((r) => r.body && "tools" in r.body)).toEqual([false, false]);
    expect(s.requests.map((r) => r.authorization)).toEqual([null, null]);
  });

  it("parses vLLM tool calls, parallel calls and text answers, with tokens and latency", async () => {
    const s = await start((r) => {
      const q = (r.body?.messages?.at(-1) as { content: string }).content;
      if (q === "one") return replies.toolCall("get_weather", { city: "Paris" });
      if (q === "two")
        return {
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris" } },
            { name: "get_weather", arguments: '{"city": "Oslo"}' },
          ],
          usage: { prompt_tokens: 40, completion_tokens: 12 },
        };
      return replies.text("No tool needed.");
    });
    const progress: [number, number][] = [];
    const out = await generateViaEndpoint(
      target(s),
      KEY,
      ["one", "two", "three"].map((q) => ({ messages: ask(q), tools: [weatherTool] })),
      { onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(out[0]).toMatchObject({
      text: "",
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
      rawArguments: ['{"city":"Paris"}'],
    });
    expect(out[1]).toMatchObject({
      toolCalls: [
        { name: "get_weather", arguments: { city: "Paris" } },
        { name: "get_weather", arguments: { city: "Oslo" } },
      ],
      rawArguments: ['{"city":"Paris"}', '{"city": "Oslo"}'],
      promptTokens: 40,
      completionTokens: 12,
    });
    expect(out[2]).toMatchObject({ text: "No tool needed.", toolCalls: [] });
    expect(out[2]).not.toHaveProperty("rawArguments");
    for (const o of out) {
      expect(o.error).toBeUndefined();
      expect(o.latencyMs).toBeGreaterThanOrEqual(0);
      expect(o.promptTokens).toBeGreaterThan(0);
      expect(o.completionTokens).toBeGreaterThan(0);
    }
    expect(progress.map(([d]) => d)).toEqual([1, 2, 3]);
    expect(progress.every(([, t]) => t === 3)).toBe(true);
  });

  it("keeps raw arguments and sets toolCalls null when any argument string does not parse", async () => {
    const s = await start(() => ({
      toolCalls: [
        { name: "get_weather", arguments: '{"city": "Paris"}' },
        { name: "get_weather", arguments: '{"city": "Oslo"' },
      ],
      content: "calling",
    }));
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }]);
    expect(out).toMatchObject({
      text: "calling",
      toolCalls: null,
      rawArguments: ['{"city": "Paris"}', '{"city": "Oslo"'],
    });
    expect(out!.error).toBeUndefined();
  });

  it("summarises the generated tokens' log-probabilities as mean, min and count", async () => {
    const s = await start((r) => {
      const q = (r.body?.messages?.at(-1) as { content: string }).content;
      if (q === "scripted")
        return {
          ...replies.toolCall("get_weather", { city: "Paris" }),
          logprobs: [-0.5, -0.25, 0],
        };
      if (q === "unscored") return { ...replies.text("no scores"), logprobs: null };
      return replies.text("Some answer text.");
    });
    const out = await generateViaEndpoint(
      target(s, { maxConcurrency: 1 }),
      KEY,
      ["scripted", "default", "unscored"].map((q) => ({ messages: ask(q) })),
    );
    expect(out[0]!.logprobs).toEqual({ mean: -0.25, min: -0.5, tokens: 3 });
    // The fake's own values: one per 4-character piece of '"Some answer text."' (20 characters).
    expect(out[1]!.logprobs?.tokens).toBe(5);
    expect(out[1]!.logprobs!.min).toBeLessThanOrEqual(out[1]!.logprobs!.mean);
    expect(out[1]!.logprobs!.mean).toBeLessThanOrEqual(0);
    // None sent: the confidence is unknown, not zero.
    expect(out[2]).not.toHaveProperty("logprobs");
    expect(out[2]).toMatchObject({ text: "no scores", toolCalls: [] });
  });

  it("asks for no logprobs when told not to, and reads none", async () => {
    const s = await start(() => replies.text("hello"));
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }], {
      logprobs: false,
    });
    expect(s.requests[0]!.body).not.toHaveProperty("logprobs");
    expect(out).not.toHaveProperty("logprobs");
  });

  it("goes on without logprobs for the rest of the run once the endpoint refuses them", async () => {
    const s = await start(() => replies.toolCall("get_weather", { city: "Paris" }));
    s.logprobs = "refused";
    const refusals: string[] = [];
    const out = await generateViaEndpoint(
      target(s, { maxConcurrency: 1 }),
      KEY,
      ["a", "b", "c"].map((q) => ({ messages: ask(q), tools: [weatherTool] })),
      { onLogprobsRefused: (why) => refusals.push(why) },
    );
    // The first case once with and once without; the others only without.
    expect(s.requests.map((r) => r.body?.logprobs ?? false)).toEqual([true, false, false, false]);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/HTTP 400.*logprobs/);
    for (const o of out) {
      expect(o.error).toBeUndefined();
      expect(o.toolCalls).toEqual([{ name: "get_weather", arguments: { city: "Paris" } }]);
      expect(o).not.toHaveProperty("logprobs");
    }
  });

  it("reads no confidence from an endpoint that ignores logprobs", async () => {
    const s = await start(() => replies.text("hello"));
    s.logprobs = "ignored";
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }]);
    expect(s.requests).toHaveLength(1);
    expect(out).toMatchObject({ text: "hello", toolCalls: [] });
    expect(out).not.toHaveProperty("logprobs");
  });

  it("retries a 429, honouring Retry-After, then succeeds", async () => {
    const s = await start((r) =>
      r.n === 1
        ? replies.error(429, "rate limited", { "retry-after": "1" })
        : replies.text("after the wait"),
    );
    const started = Date.now();
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }], {
      retryBaseMs: 1,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(s.requests).toHaveLength(2);
    expect(out).toMatchObject({ text: "after the wait", toolCalls: [] });
  });

  it("retries 5xx up to 3 tries, then records the error on the case and goes on", async () => {
    const s = await start((r) => {
      const q = (r.body?.messages?.at(-1) as { content: string }).content;
      return q === "bad" ? replies.error(500, "engine crashed") : replies.text("fine");
    });
    const out = await generateViaEndpoint(
      target(s, { maxConcurrency: 1 }),
      KEY,
      [{ messages: ask("bad") }, { messages: ask("good") }],
      { retryBaseMs: 1 },
    );
    expect(s.requests).toHaveLength(4);
    expect(out[0]).toMatchObject({ text: "", toolCalls: null });
    expect(out[0]!.error).toMatch(/HTTP 500.*engine crashed.*after 3 tries/);
    expect(out[1]).toMatchObject({ text: "fine", toolCalls: [] });
  });

  it("records other 4xx on the case without retrying", async () => {
    const s = await start(() =>
      replies.error(400, "This model's maximum context length is 4096 tokens"),
    );
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }]);
    expect(s.requests).toHaveLength(1);
    expect(out).toMatchObject({ text: "", toolCalls: null, promptTokens: null });
    expect(out!.error).toContain("HTTP 400");
    expect(out!.error).toContain("maximum context length");
  });

  it("stops on 401 with an error naming the endpoint and never the key", async () => {
    const s = await start(() => replies.text("unreachable"), "sk-the-right-key-0000000000");
    const err = await generateViaEndpoint(
      target(s, { apiKeySecret: "vllm-key" }),
      KEY,
      Array.from({ length: 10 }, () => ({ messages: ask("x") })),
    ).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EndpointError);
    const e = err as EndpointError;
    expect(e.status).toBe(401);
    expect(e.message).toContain(`${s.url}/chat/completions`);
    expect(e.message).toContain("vllm-key");
    // The fake echoes the key it was sent, as some providers do; the client scrubs it.
    expect(e.message).toContain("[redacted]");
    expect(e.message).not.toContain(KEY);
    expect(JSON.stringify(e)).not.toContain(KEY);
    expect(String(e.stack)).not.toContain(KEY);
    // The run stopped instead of sending every case with the wrong key.
    expect(s.requests.length).toBeLessThanOrEqual(4);
  });

  it("never puts the key in case errors either", async () => {
    const s = await start(() => replies.error(422, `bad request from key ${KEY}`));
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }]);
    expect(out!.error).toContain("[redacted]");
    expect(JSON.stringify(out)).not.toContain(KEY);
  });

  it("keeps at most maxConcurrency requests in flight and returns outputs in case order", async () => {
    const s = await start((r) => ({
      text: `answer ${(r.body?.messages?.at(-1) as { content: string }).content}`,
      delayMs: 30,
    }));
    const cases = Array.from({ length: 12 }, (_, i) => ({ messages: ask(String(i)) }));
    const out = await generateViaEndpoint(target(s, { maxConcurrency: 3 }), KEY, cases);
    expect(s.maxInFlight).toBe(3);
    expect(out.map((o) => o.text)).toEqual(cases.map((_, i) => `answer ${i}`));
  });

  it("fails clearly when the endpoint is unreachable", async () => {
    const s = await start(() => replies.text("x"));
    const url = s.url;
    await s.close();
    server = undefined;
    await expect(
      generateViaEndpoint({ url, model: "m", maxConcurrency: 2 }, KEY, [{ messages: ask("x") }]),
    ).rejects.toThrow(
      /inference endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions is unreachable/,
    );
  });

  it("times out a request that hangs and retries it", async () => {
    const s = await start((r) =>
      r.n === 1 ? { text: "slow", delayMs: 500 } : replies.text("quick"),
    );
    const [out] = await generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }], {
      timeoutMs: 100,
      retryBaseMs: 1,
    });
    expect(out).toMatchObject({ text: "quick" });
    expect(s.requests).toHaveLength(2);
  });

  it("stops when the caller aborts", async () => {
    const s = await start(() => ({ text: "x", delayMs: 200 }));
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("eval cancelled")), 50);
    await expect(
      generateViaEndpoint(target(s), KEY, [{ messages: ask("x") }], { signal: ac.signal }),
    ).rejects.toThrow("eval cancelled");
  });
});
