import { ruleQuerySchema } from "@/lib/schemas/routing-calibration";
import { teamRoute } from "@/lib/server/core/http";
import { getRoutingRule } from "@/lib/server/registry/routing-calibration";

/**
 * The newest calibration's escalation rule. `?format=json` (default): the rule with what the
 * curve claims for it and both snippets; `typescript` or `python`: the snippet alone, as text.
 */
export const GET = teamRoute("team.read", async (p, req, { id }) => {
  const { format } = ruleQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  const exported = await getRoutingRule(p, id!);
  if (format === "json") return exported;
  const [text, type, ext] =
    format === "typescript"
      ? [exported.snippets.typescript, "text/x-typescript", "ts"]
      : [exported.snippets.python, "text/x-python", "py"];
  return new Response(text, {
    headers: {
      "content-type": `${type}; charset=utf-8`,
      "content-disposition": `inline; filename="escalation_rule.${ext}"`,
      "cache-control": "no-store",
    },
  });
});
