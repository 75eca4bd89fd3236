import { teamRoute } from "@/lib/server/core/http";
import { downloadAdapter } from "@/lib/server/registry/adapter-download";

/** The version's adapter files as a tar, streamed from the artifact store. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => downloadAdapter(p, id!));
