import { formatBytes } from "@/lib/client/format-units";

/**
 * A link that downloads a streamed tar, its size on the label: "Download (.tar, 5.0 MB)".
 * `what` names the download: in the visible label when `named` ("Download adapter (.tar, …)",
 * where it sits beside other downloads), else only for assistive technology, after the visible
 * words so that the accessible name still starts with what is seen.
 */
export function TarDownloadLink({
  href,
  bytes,
  what,
  named = false,
}: {
  href: string;
  bytes: number;
  what?: string;
  named?: boolean;
}) {
  const tail = `(.tar, ${formatBytes(bytes)})`;
  const label = named && what ? `Download ${what} ${tail}` : `Download ${tail}`;
  return (
    <a
      className="btn btn-sm"
      href={href}
      download
      aria-label={what && !named ? `${label} ${what}` : undefined}
    >
      {label}
    </a>
  );
}
