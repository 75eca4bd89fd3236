/**
 * Shared setup of the multi-turn eval integration tests (evals/eval-multi-turn and
 * registry/multi-turn-gate .int.test.ts): a three-turn refund workflow per order as dataset
 * rows, a suite over them with turns "all", and the fake endpoint's model reading each prompt
 * (teacher-forced history) to answer the next step, right or wrong in known ways.
 * Not a test file: call `setUpEvals` (eval-fixtures.ts) first.
 */
import { replies, type FakeReply, type RecordedChatRequest } from "@/test/fakes/openai-server";
import { endpoint, execute, fake, p, uploadRows } from "./eval-fixtures";

const { createEvalSuite } = await import("./suites");
const { createEvalRun } = await import("./create-runs");

const tools = [
  {
    type: "function",
    function: {
      name: "lookup_order",
      description: "Find an order by its id.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string" } },
        required: ["order_id"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "refund",
      description: "Refund an order.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string" }, amount: { type: "number" } },
        required: ["order_id", "amount"],
        additionalProperties: false,
      },
    },
  },
];

const ORDERS = [
  { id: "ORD-1", total: 30 },
  { id: "ORD-2", total: 45 },
  { id: "ORD-3", total: 12 },
  { id: "ORD-4", total: 99 },
];

/** A three-turn workflow per order: look it up, refund its total, confirm in text. */
export function workflowRows(): string[] {
  return ORDERS.map(({ id, total }, i) => {
    const call = (n: number, name: string, args: unknown) => ({
      role: "assistant",
      content: null,
      tool_calls: [
        { id: `c${i}${n}`, type: "function", function: { name, arguments: JSON.stringify(args) } },
      ],
    });
    return JSON.stringify({
      messages: [
        { role: "user", content: `Please refund order ${id}.` },
        call(1, "lookup_order", { order_id: id }),
        {
          role: "tool",
          tool_call_id: `c${i}1`,
          content: JSON.stringify({ order_id: id, total }),
        },
        call(2, "refund", { order_id: id, amount: total }),
        { role: "tool", tool_call_id: `c${i}2`, content: '{"ok":true}' },
        { role: "assistant", content: `Order ${id} was refunded.` },
      ],
      tools,
      metadata: {
        intent: "refunds",
        category: "workflow",
        // The first row states its first turn's acceptable calls the BFCL way.
        ...(i === 0
          ? { possible_answer: [{ lookup_order: { order_id: [id, id.toLowerCase()] } }] }
          : {}),
      },
    });
  });
}

export type Msg = {
  role: string;
  content: string | null;
  tool_calls?: { function: { name: string; arguments: string } }[];
};

/**
 * The endpoint's model, reading the conversation it is sent: the next step of the workflow.
 * `flawed` gets ORD-2's refund amount wrong (turn 2) and calls a tool again instead of
 * confirming ORD-3 (turn 3): 10 of 12 turns right, 2 of 4 conversations.
 */
export function workflowModel(flawed: boolean) {
  return (req: RecordedChatRequest): FakeReply => {
    const msgs = (req.body?.messages ?? []) as Msg[];
    const order = /order (ORD-\d+)/.exec(String(msgs[0]?.content))?.[1] ?? "?";
    const last = msgs.at(-1)!;
    if (last.role === "user") return replies.toolCall("lookup_order", { order_id: order });
    const previous = msgs.at(-2)!.tool_calls?.[0]?.function.name;
    if (previous === "lookup_order") {
      const { total } = JSON.parse(last.content ?? "{}") as { total: number };
      const amount = flawed && order === "ORD-2" ? total + 1 : total;
      return replies.toolCall("refund", { order_id: order, amount });
    }
    if (flawed && order === "ORD-3") return replies.toolCall("lookup_order", { order_id: order });
    return replies.text(`Order ${order} was refunded.`);
  };
}

/** Uploads the workflow rows and makes an "all"-turn suite of them; returns the suite id. */
export async function setUpWorkflowSuite(): Promise<string> {
  const versionId = await uploadRows(p, workflowRows());
  const suite = await createEvalSuite(p, {
    name: `refund workflow ${Math.random().toString(36).slice(2)}`,
    datasetVersionId: versionId,
    split: "all",
    scorers: ["tool_call", "json_validity", "schema_validity"],
    turns: "all",
  });
  return suite.id;
}

/**
 * Runs the suite against the fake endpoint answering as `workflowModel(flawed)`; returns the run
 * id and the conversations the endpoint was sent.
 */
export async function runWorkflow(
  suiteId: string,
  flawed: boolean,
): Promise<{ runId: string; status: string; sent: Msg[][] }> {
  fake.respond = workflowModel(flawed);
  const before = fake.requests.length;
  const { run } = await createEvalRun(p, { suiteId, target: endpoint(), force: true });
  const { status } = await execute(run.id);
  const sent = fake.requests.slice(before).map((r) => r.body!.messages as Msg[]);
  return { runId: run.id, status, sent };
}
