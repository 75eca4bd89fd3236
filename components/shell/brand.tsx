import Link from "next/link";

/** The retune wordmark; a link home unless `asLink` is false. */
export function Brand({ asLink = true }: { asLink?: boolean }) {
  const mark = (
    <>
      <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" className="brand-mark">
        <rect x="1" y="1" width="16" height="16" rx="4" fill="currentColor" />
        <path
          d="M5 12.5V6.5h4.2a2 2 0 010 4H7m2.2 0L12.5 12.5"
          stroke="var(--bg)"
          strokeWidth="1.6"
          fill="none"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <span>retune</span>
    </>
  );
  return asLink ? (
    <Link href="/" className="brand">
      {mark}
    </Link>
  ) : (
    <span className="brand">{mark}</span>
  );
}
