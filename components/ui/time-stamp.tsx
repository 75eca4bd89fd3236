import { formatAgo, formatDateTime } from "@/lib/client/format";

type TimeStampProps = {
  iso: string;
  /** "relative": "42 s ago", with the absolute time as a tooltip. */
  format?: "absolute" | "relative";
};

/**
 * A date in the viewer's time zone. The server renders in its own zone, so the text may differ
 * on hydration; suppressHydrationWarning lets the browser's version win without a warning.
 */
export function TimeStamp({ iso, format = "absolute" }: TimeStampProps) {
  const absolute = formatDateTime(iso);
  return (
    <time dateTime={iso} title={absolute} suppressHydrationWarning>
      {format === "relative" ? formatAgo(iso) : absolute}
    </time>
  );
}
