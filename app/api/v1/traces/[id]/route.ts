import { teamRoute } from "@/lib/server/core/http";
import { getTrace } from "@/lib/server/telemetry/traces";

/** One trace (by id or by the client's trace id) with its messages, tools and metadata. */
export const GET = teamRoute("team.read", (p, _req, { id }) => getTrace(p, id!));
