import { teamRoute } from "@/lib/server/core/http";
import { getModelCardMarkdown } from "@/lib/server/registry/model-cards";

/** The model card as Markdown with YAML front matter, as a download. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => {
  const { text, filename } = await getModelCardMarkdown(p, id!);
  return new Response(text, {
    headers: {
      "content-type": "text/markdown; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
    },
  });
});
