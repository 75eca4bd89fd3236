/**
 * Inference for evals through an OpenAI-compatible chat-completions endpoint: vLLM serving a base
 * model with LoRA adapters (the adapter picked by `model`), or a frontier API as a baseline.
 *
 * Deterministic decoding (temperature 0), bounded concurrency, retries for what is worth retrying
 * (429, 5xx, dropped connections), and one output per case: a case the endpoint refuses (400 for
 * a prompt over the context length, say) records its error instead of failing the run, while a
 * rejected API key (401/403) or an unreachable host stops the run, since every other case would
 * fail the same way. The API key is sent only in the Authorization header and is scrubbed from
 * every error message and output, including bodies that echo it back.
 *
 * Requests go through core/outbound.ts: internal addresses are refused at connect time unless
 * allowlisted, and a redirect is never followed (it stops the run, naming where it pointed).
 * What an error keeps of the endpoint's answer is a bounded, sanitised summary
 * (core/response-summary.ts), never the raw body.
 *
 * Confidence: every request asks for `logprobs: true`, so the output carries the mean and minimum
 * log-probability of the generated tokens (OpenAI's and vLLM's `choices[0].logprobs.content[]`),
 * the signals routing calibration thresholds. Asking costs no tokens, and whether a run's outputs
 * will serve as candidate or frontier is not known when it runs. Some APIs refuse the parameter
 * for some models (OpenAI's reasoning models answer 400 naming `logprobs`): such a case is sent
 * again without it, and so is every later case of the run, so a refusal never fails the run; its
 * outputs then carry no `logprobs` (confidence unknown). An endpoint that ignores the parameter,
 * or sends none for tool-call tokens (OpenAI does not score them), leaves them absent too.
 */
import type { ChatMessage, ToolDef } from "@/lib/domain/datasets";
import { confidenceSignals } from "@/lib/domain/economics/routing";
import type { CaseOutput, OutputLogprobs, ToolCall } from "@/lib/schemas/eval-metrics";
import type { EndpointTarget } from "@/lib/schemas/evals";
import { outboundFetch, refusalIn } from "@/lib/server/core/outbound";
import { responseSummary, summarizeText } from "@/lib/server/core/response-summary";

/** One case to generate for: the conversation up to the turn under test, and its tools. */
export type EndpointCase = {
  messages: readonly ChatMessage[];
  tools?: readonly ToolDef[] | null;
};

export type GenerateOptions = {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Per request (each try), default 60 s. */
  timeoutMs?: number;
  /** Tries per case for 429, 5xx and network errors, default 3. */
  maxTries?: number;
  /** First backoff delay, doubled per try (with jitter), default 500 ms. */
  retryBaseMs?: number;
  /** Longest Retry-After honoured, default 30 s. */
  maxRetryAfterMs?: number;
  /** Default 256. */
  maxTokens?: number;
  /** Ask for token log-probabilities (default true); dropped for the run once refused. */
  logprobs?: boolean;
  /** Told once when the endpoint refused `logprobs` and the run goes on without them. */
  onLogprobsRefused?(why: string): void;
};

/** The endpoint refused the credentials or cannot be reached: the run stops. */
export class EndpointError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
    this.name = "EndpointError";
  }
}

/** `${base}/chat/completions`, whatever the base ends with; a query string (Azure) is kept. */
export function chatCompletionsUrl(base: string): URL {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, "")}/chat/completions`;
  return u;
}

/** Scheme, host and path only: user-info and query strings may hold credentials. */
function displayUrl(u: URL): string {
  return `${u.origin}${u.pathname}`;
}

const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

type Attempt =
  | { kind: "ok"; body: unknown; latencyMs: number }
  | { kind: "retry"; why: string; status: number | null; retryAfterMs: number | null }
  | { kind: "case-error"; why: string; latencyMs: number; status: number | null }
  | { kind: "fatal"; error: EndpointError };

function retryAfterMs(header: string | null): number | null {
  if (!header) return null;
  const s = Number(header);
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

type Message = { content?: unknown; tool_calls?: unknown };

/**
 * `choices[0].logprobs.content[].logprob` summarised; undefined when the endpoint sent none, or
 * sent something that is not a finite number for some token (then nothing vouches for the mean).
 */
function logprobsOf(choice: { logprobs?: unknown } | undefined): OutputLogprobs | undefined {
  const content = (choice?.logprobs as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const values: number[] = [];
  for (const t of content as { logprob?: unknown }[]) {
    if (typeof t?.logprob !== "number" || !Number.isFinite(t.logprob)) return undefined;
    values.push(t.logprob);
  }
  const { meanLogprob, minLogprob } = confidenceSignals(values);
  return meanLogprob === null || minLogprob === null
    ? undefined
    : { mean: meanLogprob, min: minLogprob, tokens: values.length };
}

/** A 400/422 that names the parameter: the endpoint does not do log-probabilities for this model. */
function refusesLogprobs(a: Attempt): a is Extract<Attempt, { kind: "case-error" }> {
  return (
    a.kind === "case-error" && (a.status === 400 || a.status === 422) && /logprob/i.test(a.why)
  );
}

function parseArguments(raw: string): Record<string, unknown> | null {
  if (raw.trim() === "") return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === "object" && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** vLLM's (and OpenAI's) response shape into a CaseOutput; null when it is not that shape. */
function toOutput(body: unknown, latencyMs: number): CaseOutput | null {
  const b = body as {
    choices?: { message?: Message; logprobs?: unknown }[];
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  } | null;
  const message = b?.choices?.[0]?.message;
  if (!message || typeof message !== "object") return null;
  const text = typeof message.content === "string" ? message.content : "";
  const count = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : null);
  const logprobs = logprobsOf(b?.choices?.[0]);
  const base = {
    text,
    latencyMs,
    promptTokens: count(b?.usage?.prompt_tokens),
    completionTokens: count(b?.usage?.completion_tokens),
    ...(logprobs ? { logprobs } : {}),
  };
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  if (calls.length === 0) return { ...base, toolCalls: [] };

  const rawArguments: string[] = [];
  const toolCalls: ToolCall[] = [];
  let allParsed = true;
  for (const c of calls as { function?: { name?: unknown; arguments?: unknown } }[]) {
    const name = typeof c?.function?.name === "string" ? c.function.name : null;
    const args = c?.function?.arguments;
    // Some servers send arguments as an object rather than OpenAI's JSON string.
    const raw = typeof args === "string" ? args : args === undefined ? "" : JSON.stringify(args);
    rawArguments.push(raw);
    const parsed = parseArguments(raw);
    if (name === null || parsed === null) allParsed = false;
    else toolCalls.push({ name, arguments: parsed });
  }
  return { ...base, toolCalls: allParsed ? toolCalls : null, rawArguments };
}

/**
 * Generates one output per case, in case order. Throws EndpointError when the endpoint rejects
 * the API key (401/403) or cannot be reached; rethrows the abort reason when `signal` aborts.
 */
export async function generateViaEndpoint(
  target: EndpointTarget,
  apiKey: string | null,
  cases: readonly EndpointCase[],
  opts: GenerateOptions = {},
): Promise<CaseOutput[]> {
  const url = chatCompletionsUrl(target.url);
  const where = displayUrl(url);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const maxTries = Math.max(1, opts.maxTries ?? 3);
  const retryBaseMs = opts.retryBaseMs ?? 500;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? 30_000;
  const maxTokens = opts.maxTokens ?? 256;
  // Cleared for the rest of the run by the first refusal (lanes read it before each request).
  let askLogprobs = opts.logprobs ?? true;
  const redact = (s: string) => (apiKey ? s.split(apiKey).join("[redacted]") : s);
  const summary = (res: Awaited<ReturnType<typeof outboundFetch>>) =>
    responseSummary(res, [apiKey]);

  // Stops every in-flight request once one case proves the run cannot go on.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;

  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;

  async function attempt(body: string): Promise<Attempt> {
    const started = performance.now();
    let res: Awaited<ReturnType<typeof outboundFetch>>;
    try {
      res = await outboundFetch(url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      const refused = refusalIn(e);
      if (refused) {
        return {
          kind: "fatal",
          error: new EndpointError(`inference endpoint ${where} refused: ${refused.message}`, null),
        };
      }
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === "TimeoutError") {
        return {
          kind: "retry",
          why: `timed out after ${timeoutMs} ms`,
          status: null,
          retryAfterMs: null,
        };
      }
      const code = err.cause?.code;
      const why = redact(`${err.message}${err.cause?.message ? `: ${err.cause.message}` : ""}`);
      if (code && UNREACHABLE.has(code)) {
        return {
          kind: "fatal",
          error: new EndpointError(`inference endpoint ${where} is unreachable (${why})`, null),
        };
      }
      return { kind: "retry", why, status: null, retryAfterMs: null };
    }
    if (res.status >= 300 && res.status < 400) {
      // Following it could carry the API key (or the prompts) somewhere nobody configured.
      const location = res.headers.get("location");
      await res.body?.cancel().catch(() => {});
      const to = location ? summarizeText(displayUrl(new URL(location, url)), [apiKey]) : null;
      return {
        kind: "fatal",
        error: new EndpointError(
          `inference endpoint ${where} answered HTTP ${res.status}, a redirect${to ? ` to ${to}` : ""} ` +
            `that is not followed; configure the URL it points to instead`,
          res.status,
        ),
      };
    }
    if (res.status === 401 || res.status === 403) {
      return {
        kind: "fatal",
        error: new EndpointError(
          `inference endpoint ${where} refused the API key (${await summary(res)}); ` +
            `check the secret named by apiKeySecret${target.apiKeySecret ? ` ("${target.apiKeySecret}")` : ""}`,
          res.status,
        ),
      };
    }
    if (res.status === 429 || res.status >= 500) {
      return {
        kind: "retry",
        why: await summary(res),
        status: res.status,
        retryAfterMs: retryAfterMs(res.headers.get("retry-after")),
      };
    }
    if (!res.ok) {
      return {
        kind: "case-error",
        why: await summary(res),
        latencyMs: performance.now() - started,
        status: res.status,
      };
    }
    let json: unknown;
    try {
      json = await res.json();
    } catch (e) {
      if (signal.aborted) throw signal.reason;
      return {
        kind: "case-error",
        // The parser's message quotes the body: summarised like a body.
        why: `response is not JSON (${summarizeText((e as Error).message, [apiKey])})`,
        latencyMs: performance.now() - started,
        status: null,
      };
    }
    return { kind: "ok", body: json, latencyMs: performance.now() - started };
  }

  async function runCase(c: EndpointCase): Promise<CaseOutput> {
    const request = (logprobs: boolean) =>
      JSON.stringify({
        model: target.model,
        messages: c.messages,
        ...(c.tools && c.tools.length > 0 ? { tools: c.tools } : {}),
        temperature: 0,
        max_tokens: maxTokens,
        ...(logprobs ? { logprobs: true } : {}),
      });
    const failed = (why: string, latencyMs: number | null): CaseOutput => ({
      text: "",
      toolCalls: null,
      latencyMs,
      promptTokens: null,
      completionTokens: null,
      error: `${where}: ${why}`,
    });
    for (let tryNo = 1; ; tryNo++) {
      const sent = askLogprobs;
      const a = await attempt(request(sent));
      if (a.kind === "fatal") throw a.error;
      if (sent && refusesLogprobs(a)) {
        // Not a try of the case: the same request again without the refused parameter. Another
        // lane may have met the refusal first; it is reported once.
        if (askLogprobs) opts.onLogprobsRefused?.(a.why);
        askLogprobs = false;
        tryNo--;
        continue;
      }
      if (a.kind === "case-error") return failed(a.why, a.latencyMs);
      if (a.kind === "ok") {
        return (
          toOutput(a.body, a.latencyMs) ?? failed("response has no choices[0].message", a.latencyMs)
        );
      }
      if (tryNo >= maxTries) return failed(`${a.why} (after ${tryNo} tries)`, null);
      const backoff = retryBaseMs * 2 ** (tryNo - 1) * (0.75 + Math.random() * 0.5);
      const wait = a.retryAfterMs === null ? backoff : Math.min(a.retryAfterMs, maxRetryAfterMs);
      await abortableSleep(wait, signal);
    }
  }

  const outputs: CaseOutput[] = new Array<CaseOutput>(cases.length);
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  async function lane() {
    while (failure === null) {
      const i = next++;
      if (i >= cases.length) return;
      try {
        outputs[i] = await runCase(cases[i]!);
      } catch (e) {
        failure ??= e;
        stop.abort(e);
        return;
      }
      done++;
      opts.onProgress?.(done, cases.length);
    }
  }
  const lanes = Math.max(1, Math.min(target.maxConcurrency, cases.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure !== null) {
    // A later lane's error is usually just our own abort: report the first cause.
    throw failure;
  }
  return outputs;
}
