import { accepted, teamRoute } from "@/lib/server/core/http";
import { listVersions, uploadVersion } from "@/lib/server/datasets/datasets";
import { type DatasetVersionList, uploadQuerySchema } from "@/lib/schemas/datasets";

export const GET = teamRoute("team.read", async (p, _req, { id }): Promise<DatasetVersionList> => ({
  versions: await listVersions(p, id!),
}));

/** The request body is the file itself, streamed to the artifact store (never buffered). */
export const POST = teamRoute("resource.write", async (p, req, { id }) => {
  const query = uploadQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams));
  return accepted(
    await uploadVersion(p, id!, {
      body: req.body,
      contentType: req.headers.get("content-type"),
      query,
    }),
  );
});
