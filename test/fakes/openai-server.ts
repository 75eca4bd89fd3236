/**
 * A fake OpenAI-compatible inference server for tests: a node:http server on 127.0.0.1 that
 * answers POST /v1/chat/completions the way vLLM does (tool calls as
 * `{id, type: "function", function: {name, arguments: <JSON string>}}`, finish_reason
 * "tool_calls" or "stop", a `usage` block). No GPU or vLLM runs where the tests run
 * (docs/architecture.md, "Environment"), so a scripted responder decides each answer and the test asserts the requests
 * the real client sent. It checks the bearer key like a server started with `--api-key`, and
 * counts requests in flight so a test can see the client's concurrency.
 *
 * Log-probabilities: a request with `logprobs: true` gets `choices[0].logprobs.content`, one
 * `{token, logprob, bytes, top_logprobs}` per generated token as OpenAI and vLLM send it (vLLM
 * scores every generated token, tool-call text included). The tokens are the answer's JSON text
 * (its content, or its calls' names and arguments) cut in 4-character pieces, each with a value
 * derived from its characters, so the same answer always has the same confidence; a reply may
 * script the values. `logprobs: "refused"` answers such a request 400 naming the parameter, as OpenAI does for
 * models without log-probabilities; "ignored" answers without them.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedChatRequest = {
  /** 1-based, in arrival order. */
  n: number;
  method: string;
  path: string;
  authorization: string | null;
  /** Parsed JSON body (null when the body was not JSON). */
  body: {
    model?: string;
    messages?: unknown[];
    tools?: unknown[];
    temperature?: number;
    max_tokens?: number;
    logprobs?: boolean;
    [key: string]: unknown;
  } | null;
};

export type FakeToolCall = { name: string; arguments: string | Record<string, unknown> };

/**
 * What the responder tells the fake to answer:
 * - `{ toolCalls }`: an assistant message with tool calls (an object `arguments` is JSON-encoded,
 *   a string is sent as is, so a test can send a malformed one);
 * - `{ text }`: a plain answer;
 * - `{ status, body?, headers? }`: an HTTP error (e.g. 429 with Retry-After, 500, 400).
 * `delayMs` holds the answer back (to observe concurrency); `usage` overrides token counts;
 * `logprobs` scripts the generated tokens' log-probabilities sent when the request asks for them
 * (null: none, like an endpoint that does not score that answer).
 */
export type FakeReply = { delayMs?: number; logprobs?: number[] | null } & (
  | {
      toolCalls: FakeToolCall[];
      content?: string | null;
      usage?: { prompt_tokens: number; completion_tokens: number };
    }
  | { text: string; usage?: { prompt_tokens: number; completion_tokens: number } }
  | { status: number; body?: unknown; headers?: Record<string, string> }
);

export type Responder = (req: RecordedChatRequest) => FakeReply | Promise<FakeReply>;

/** How the fake treats `logprobs: true`: as vLLM does, refused with a 400, or silently ignored. */
export type LogprobsMode = "supported" | "refused" | "ignored";

export type FakeOpenAiServer = {
  /** Base URL including /v1, as a vLLM endpoint is configured: `http://127.0.0.1:<port>/v1`. */
  url: string;
  requests: RecordedChatRequest[];
  /** Most requests in flight at once so far. */
  readonly maxInFlight: number;
  /** Replaceable between requests. */
  respond: Responder;
  /** Replaceable between requests. */
  logprobs: LogprobsMode;
  close(): Promise<void>;
};

export const replies = {
  toolCall: (name: string, args: Record<string, unknown> | string): FakeReply => ({
    toolCalls: [{ name, arguments: args }],
  }),
  text: (text: string): FakeReply => ({ text }),
  error: (status: number, message: string, headers?: Record<string, string>): FakeReply => ({
    status,
    body: { object: "error", message, type: "BadRequestError", code: status },
    ...(headers ? { headers } : {}),
  }),
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Rough token count, like a tokenizer would give for short English: one per 4 characters. */
function approxTokens(value: unknown): number {
  return Math.max(1, Math.ceil(JSON.stringify(value ?? "").length / 4));
}

/** The answer's "tokens": its JSON text in 4-character pieces. */
function pieces(value: unknown): string[] {
  const text = JSON.stringify(value ?? "");
  const out: string[] = [];
  for (let i = 0; i < text.length; i += 4) out.push(text.slice(i, i + 4));
  return out.length > 0 ? out : [text];
}

/** A deterministic log-probability per piece, from its characters: in (-1, 0]. */
function pieceLogprob(piece: string): number {
  let sum = 0;
  for (const ch of piece) sum += ch.codePointAt(0)!;
  return -(sum % 97) / 100;
}

/** OpenAI's `choices[].logprobs` object for the given tokens and values. */
function logprobsBlock(tokens: readonly string[], values: readonly number[]) {
  return {
    content: values.map((logprob, i) => {
      const token = tokens[i] ?? `<${i}>`;
      return { token, logprob, bytes: [...Buffer.from(token, "utf8")], top_logprobs: [] };
    }),
    refusal: null,
  };
}

/**
 * Starts the fake on a free port. `apiKey`: the key the server requires (null: none, as vLLM
 * without `--api-key`); a wrong key gets 401 with a body that echoes it, as some providers do,
 * so tests can check the client never repeats it.
 */
export async function startFakeOpenAiServer(
  opts: { apiKey?: string | null; respond?: Responder; logprobs?: LogprobsMode } = {},
): Promise<FakeOpenAiServer> {
  const requests: RecordedChatRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const fake = {
    url: "",
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    respond: opts.respond ?? (() => replies.text("ok")),
    logprobs: opts.logprobs ?? "supported",
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  } satisfies FakeOpenAiServer;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://fake").pathname;
    const raw = await readBody(req);
    if (req.method !== "POST" || path !== "/v1/chat/completions") {
      return sendJson(res, 404, { detail: "Not Found" });
    }
    let body: RecordedChatRequest["body"] = null;
    try {
      body = JSON.parse(raw) as RecordedChatRequest["body"];
    } catch {
      body = null;
    }
    const recorded: RecordedChatRequest = {
      n: requests.length + 1,
      method: req.method,
      path,
      authorization: req.headers.authorization ?? null,
      body,
    };
    requests.push(recorded);

    if (opts.apiKey) {
      const sent = /^Bearer (.+)$/.exec(recorded.authorization ?? "")?.[1];
      if (sent !== opts.apiKey) {
        return sendJson(res, 401, {
          error: { message: `Incorrect API key provided: ${sent ?? "(none)"}`, code: 401 },
        });
      }
    }
    if (!body) return sendJson(res, 400, { object: "error", message: "body is not JSON" });
    if (body.logprobs === true && fake.logprobs === "refused") {
      return sendJson(res, 400, {
        error: {
          message: `logprobs is not supported with this model (${body.model ?? "unknown"}).`,
          type: "invalid_request_error",
          param: "logprobs",
          code: "unsupported_parameter",
        },
      });
    }

    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const reply = await fake.respond(recorded);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      if ("status" in reply) {
        return sendJson(res, reply.status, reply.body ?? { message: "error" }, reply.headers);
      }
      const toolCalls =
        "toolCalls" in reply
          ? reply.toolCalls.map((c) => ({
              id: `chatcmpl-tool-${randomBytes(8).toString("hex")}`,
              type: "function" as const,
              function: {
                name: c.name,
                arguments:
                  typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments),
              },
            }))
          : null;
      const content = "text" in reply ? reply.text : (reply.content ?? null);
      const usage = reply.usage ?? {
        prompt_tokens: approxTokens(body.messages),
        completion_tokens: approxTokens(toolCalls ?? content),
      };
      // Without the calls' random ids: the same answer gets the same log-probabilities.
      const generated = pieces(toolCalls ? toolCalls.map((c) => c.function) : content);
      const logprobs =
        body.logprobs === true && fake.logprobs === "supported" && reply.logprobs !== null
          ? logprobsBlock(generated, reply.logprobs ?? generated.map(pieceLogprob))
          : null;
      sendJson(res, 200, {
        id: `chatcmpl-${randomBytes(12).toString("hex")}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? "unknown",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content,
              ...(toolCalls ? { tool_calls: toolCalls } : {}),
            },
            logprobs,
            finish_reason: toolCalls ? "tool_calls" : "stop",
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
    } finally {
      inFlight--;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(e) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}
