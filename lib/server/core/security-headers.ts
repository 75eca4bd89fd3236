/**
 * Response headers for every page and API response (next.config.ts `headers()`). The CSP is
 * Next.js's "without nonces" policy (node_modules/next/dist/docs/01-app/02-guides/
 * content-security-policy.md): inline scripts stay allowed because Next.js inlines its
 * hydration data and nonces would force every page to render dynamically; everything else —
 * scripts, styles, images, fonts, fetches — comes from this origin only, nothing may frame the
 * console (clickjacking), and no plugin or <base> can be injected. The app loads nothing from
 * another origin; widen a directive here if it ever does.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    // React's development build evaluates strings for its debugging aids; production does not.
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    // Charts and React set style attributes.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(dev: boolean): { key: string; value: string }[] {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(dev) },
    // frame-ancestors for browsers that predate CSP level 2.
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    // Console URLs carry team resource ids: send none of it to other sites.
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  ];
}
