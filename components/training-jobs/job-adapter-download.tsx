"use client";

import { adapterTarHref } from "@/lib/client/download-links";
import { useModelVersion } from "@/lib/client/hooks/training-jobs";
import { TarDownloadLink } from "@/components/ui/tar-download-link";

/**
 * The adapter a finished job registered, as a tar: the version's stored copy (the files at the
 * top of the output folder when the run ended), so it stays downloadable if the job folder goes.
 */
export function JobAdapterDownload({ versionId }: { versionId: string | null }) {
  const version = useModelVersion(versionId);
  const files = version.data?.adapter?.files ?? [];
  if (!versionId || files.length === 0) return null;
  return (
    <TarDownloadLink
      href={adapterTarHref(versionId)}
      bytes={files.reduce((n, f) => n + f.bytes, 0)}
      what="adapter"
      named
    />
  );
}
