/**
 * A deterministic tool-calling JSONL generator (seeded PRNG): realistic rows with a shared system
 * prompt, a varying subset of tools with JSON-Schema parameters, a user request, an assistant
 * tool call, the tool's answer and a final assistant reply. Same seed + size → same bytes.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";

/** A seeded PRNG (mulberry32): the same seed gives the same rows on every run. */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = [
  "Paris",
  "Lagos",
  "Osaka",
  "Lima",
  "Oslo",
  "Austin",
  "Pune",
  "Quito",
  "Perth",
  "Leeds",
  "Turin",
  "Kyoto",
];
const PRODUCTS = [
  "router",
  "laptop stand",
  "espresso grinder",
  "trail shoes",
  "desk lamp",
  "headset",
  "monitor arm",
  "backpack",
];
const NAMES = [
  "Amara",
  "Bjorn",
  "Chen",
  "Dalia",
  "Emeka",
  "Farah",
  "Goran",
  "Hana",
  "Ines",
  "Jonas",
  "Keiko",
  "Luis",
];
const VERBS = ["check", "look up", "find", "tell me", "get", "show me"];

const TOOLS = [
  {
    name: "get_weather",
    description: "Current weather for a city.",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { type: "string", enum: ["c", "f"] } },
      required: ["city"],
      additionalProperties: false,
    },
  },
  {
    name: "lookup_order",
    description: "Find an order by its id.",
    parameters: {
      type: "object",
      properties: { order_id: { type: "string", pattern: "^ORD-[0-9]{6}$" } },
      required: ["order_id"],
      additionalProperties: false,
    },
  },
  {
    name: "search_products",
    description: "Search the catalogue.",
    parameters: {
      type: "object",
      properties: {
        query: { type: "string" },
        max_price: { type: "number", minimum: 0 },
        limit: { type: "integer", minimum: 1, maximum: 50 },
      },
      required: ["query"],
      additionalProperties: false,
    },
  },
  {
    name: "create_ticket",
    description: "Open a support ticket.",
    parameters: {
      type: "object",
      properties: {
        subject: { type: "string" },
        priority: { type: "string", enum: ["low", "normal", "high"] },
        customer: { type: "string" },
      },
      required: ["subject", "priority"],
      additionalProperties: false,
    },
  },
  {
    name: "refund_order",
    description: "Refund an order, fully or partly.",
    parameters: {
      type: "object",
      properties: {
        order_id: { type: "string" },
        amount: { type: "number", exclusiveMinimum: 0 },
        reason: { type: "string" },
      },
      required: ["order_id", "reason"],
      additionalProperties: false,
    },
  },
  {
    name: "schedule_callback",
    description: "Book a phone callback.",
    parameters: {
      type: "object",
      properties: {
        customer: { type: "string" },
        day: { type: "string", enum: ["mon", "tue", "wed", "thu", "fri"] },
        hour: { type: "integer", minimum: 8, maximum: 18 },
      },
      required: ["customer", "day", "hour"],
      additionalProperties: false,
    },
  },
].map((f) => ({ type: "function" as const, function: f }));

const SYSTEM =
  "You are the support agent of Northwind Outfitters. Use the tools to answer; never invent order data. " +
  "Keep answers short, friendly and specific. If a request needs a human, open a ticket.";

export function makeRow(rand: () => number, i: number): string {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const tool = TOOLS[i % TOOLS.length]!;
  const others = TOOLS.filter((t) => t !== tool && rand() < 0.5);
  const tools = [tool, ...others];
  const who = pick(NAMES);
  let user: string;
  let args: Record<string, unknown>;
  let result: unknown;
  let reply: string;
  switch (tool.function.name) {
    case "get_weather": {
      const city = pick(CITIES);
      args = { city, unit: rand() < 0.5 ? "c" : "f" };
      const t = Math.round(rand() * 30);
      user = `Hi, I'm ${who}. Can you ${pick(VERBS)} the weather in ${city} before my trip on the ${1 + Math.floor(rand() * 28)}th?`;
      result = { city, temperature: t, conditions: pick(["sunny", "rain", "cloudy", "windy"]) };
      reply = `It's ${t} degrees in ${city} right now, ${who}. Pack accordingly and have a great trip!`;
      break;
    }
    case "lookup_order":
    case "refund_order": {
      const id = `ORD-${String(Math.floor(rand() * 1e6)).padStart(6, "0")}`;
      args =
        tool.function.name === "lookup_order"
          ? { order_id: id }
          : {
              order_id: id,
              reason: pick(["damaged", "late", "wrong size"]),
              amount: Math.round(rand() * 20000) / 100,
            };
      user = `${pick(VERBS)} order ${id} please — the ${pick(PRODUCTS)} I bought ${1 + Math.floor(rand() * 9)} days ago.`;
      result = {
        order_id: id,
        status: pick(["shipped", "processing", "delivered"]),
        items: 1 + Math.floor(rand() * 3),
      };
      reply = `Order ${id} is ${(result as { status: string }).status}. Anything else I can help you with today?`;
      break;
    }
    case "search_products": {
      const q = pick(PRODUCTS);
      args = { query: q, max_price: Math.round(rand() * 500), limit: 1 + Math.floor(rand() * 10) };
      user = `Do you have a ${q} under ${(args.max_price as number) || 50} dollars? ${pick(["Thanks!", "Cheers.", "Quick question."])}`;
      result = {
        hits: Math.floor(rand() * 40),
        top: `${pick(["Aurora", "Summit", "Kestrel"])} ${q}`,
      };
      reply = `We have ${(result as { hits: number }).hits} matches; the ${(result as { top: string }).top} is the most popular.`;
      break;
    }
    case "create_ticket": {
      args = {
        subject: `${pick(PRODUCTS)} stopped working`,
        priority: pick(["low", "normal", "high"]),
        customer: who,
      };
      user = `My ${pick(PRODUCTS)} stopped working after the update. I'm ${who}, can someone help?`;
      result = { ticket: `T-${Math.floor(rand() * 1e5)}` };
      reply = `I've opened ticket ${(result as { ticket: string }).ticket}; a specialist will reply within a day.`;
      break;
    }
    default: {
      args = {
        customer: who,
        day: pick(["mon", "tue", "wed", "thu", "fri"]),
        hour: 8 + Math.floor(rand() * 10),
      };
      user = `Could someone call me back? I'm ${who}, ${pick(["mornings", "afternoons"])} work best.`;
      result = { booked: true };
      reply = `Done — we'll call you on ${args.day as string} at ${args.hour as number}:00.`;
    }
  }
  const callId = `call_${i.toString(36)}`;
  return JSON.stringify({
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: user },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: callId,
            type: "function",
            function: { name: tool.function.name, arguments: JSON.stringify(args) },
          },
        ],
      },
      { role: "tool", tool_call_id: callId, content: JSON.stringify(result) },
      { role: "assistant", content: reply },
    ],
    tools,
    metadata: { source: rand() < 0.8 ? "production_traces" : "synthetic" },
  });
}

/** Writes about `targetBytes` of JSONL; returns rows and bytes written. */
export async function generateToolJsonl(path: string, targetBytes: number, seed = 42) {
  const rand = mulberry32(seed);
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let bytes = 0;
  let rows = 0;
  let batch: string[] = [];
  let batchBytes = 0;
  while (bytes < targetBytes) {
    const line = makeRow(rand, rows) + "\n";
    rows++;
    bytes += Buffer.byteLength(line);
    batch.push(line);
    batchBytes += line.length;
    if (batchBytes > 1 << 20) {
      if (!out.write(batch.join(""))) await once(out, "drain");
      batch = [];
      batchBytes = 0;
    }
  }
  out.end(batch.join(""));
  await once(out, "finish");
  return { rows, bytes };
}

/** `count` generated rows as JSONL text (each line ends with \n), deterministic for a seed. */
export function toolJsonlText(count: number, seed = 42): string {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => makeRow(rand, i) + "\n").join("");
}

const LEARNABLE_TOOLS = TOOLS.filter(
  (t) => t.function.name === "get_weather" || t.function.name === "search_products",
).map((t) =>
  t.function.name === "get_weather"
    ? {
        ...t,
        function: {
          ...t.function,
          parameters: {
            type: "object",
            properties: { city: { type: "string" } },
            required: ["city"],
            additionalProperties: false,
          },
        },
      }
    : {
        ...t,
        function: {
          ...t.function,
          parameters: {
            type: "object",
            properties: { query: { type: "string" } },
            required: ["query"],
            additionalProperties: false,
          },
        },
      },
);

/**
 * Rows whose every argument is stated in the request (a city or a product from a closed list),
 * with two tools to choose between: what the tiny CPU model can learn in a CI-sized run, so an
 * evaluation of its candidate measures real tool-call accuracy above the bare base model's.
 */
export function learnableToolJsonlText(rows: number, seed = 11): string {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const weather = i % 2 === 0;
    const value = weather ? pick(CITIES) : pick(PRODUCTS);
    const user = weather
      ? `${pick(["What's", "How is", "Tell me"])} the weather in ${value}?`
      : `${pick(["Do you have", "Search for", "I need"])} a ${value}?`;
    const name = weather ? "get_weather" : "search_products";
    const args = weather ? { city: value } : { query: value };
    const result = weather ? { city: value, temperature: 20 } : { hits: 3, top: value };
    lines.push(
      JSON.stringify({
        messages: [
          { role: "system", content: "You are a concise support agent. Use tools when needed." },
          { role: "user", content: user },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: `c${i}`,
                type: "function",
                function: { name, arguments: JSON.stringify(args) },
              },
            ],
          },
          { role: "tool", tool_call_id: `c${i}`, content: JSON.stringify(result) },
          {
            role: "assistant",
            content: weather ? `It's 20 degrees in ${value}.` : `We have 3 matches for ${value}.`,
          },
        ],
        tools: LEARNABLE_TOOLS,
        metadata: { intent: weather ? "weather" : "shopping" },
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}
