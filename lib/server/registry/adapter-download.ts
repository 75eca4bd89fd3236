/**
 * A model version's adapter as a streamed tar (GET /api/v1/model-versions/{id}/adapter): one
 * entry per file the version lists (the version page's "Adapter files"), with the listed names
 * and sizes, read from the artifact store in chunks. Every file is checked before the first
 * byte goes out, so a version whose stored adapter is gone or changed is a JSON error, not a
 * broken archive.
 */
import path from "node:path";
import { artifactPath } from "@/lib/server/core/artifacts";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import {
  regularFile,
  safeFilename,
  type TarFile,
  tarResponse,
} from "@/lib/server/core/tar-download";
import { toModelVersion } from "./model-versions";

export async function downloadAdapter(p: Principal, id: string): Promise<Response> {
  authorize(p, "team.read");
  const row = await db().modelVersion.findFirst({
    where: { id, teamId: p.teamId },
    include: { model: { select: { name: true } } },
  });
  if (!row) throw notFound("model version", id);
  const v = toModelVersion(row);
  const label = `${v.modelName} v${v.version}`;
  if (!v.adapter || v.adapter.files.length === 0)
    throw new HttpError(
      404,
      "not_found",
      `${label} (model version ${id}) has no adapter files to download: it was registered without a stored adapter`,
    );
  const dir = artifactPath(v.adapter.uri);
  const files: TarFile[] = [];
  const missing: string[] = [];
  for (const listed of v.adapter.files) {
    // Names were read from a folder at registration: one plain segment each.
    if (path.basename(listed.name) !== listed.name || listed.name.startsWith("."))
      throw conflict(
        `${label} lists an adapter file named ${JSON.stringify(listed.name)}, which is not a plain file name`,
      );
    const onDisk = await regularFile(path.join(dir, listed.name));
    if (!onDisk) {
      missing.push(listed.name);
      continue;
    }
    if (onDisk.bytes !== listed.bytes)
      throw conflict(
        `${label}'s adapter file ${listed.name} is ${onDisk.bytes} bytes in the artifact store but ${listed.bytes} were registered; the stored adapter has changed`,
      );
    files.push({ name: listed.name, path: path.join(dir, listed.name), ...onDisk });
  }
  if (missing.length)
    throw new HttpError(
      404,
      "not_found",
      `${label}'s adapter is missing from the artifact store (${missing.join(", ")} not found under ${v.adapter.uri})`,
    );
  return tarResponse(files, `${safeFilename(v.modelName)}-v${v.version}-adapter.tar`);
}
