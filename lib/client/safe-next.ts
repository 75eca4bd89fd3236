/** The home page: what needs attention (app/(console)/page.tsx). */
export const DEFAULT_AFTER_SIGN_IN = "/";

/**
 * The `?next=` target after sign-in or sign-up, if it is a path on this site. Anything else
 * (absolute URLs, `//host`, `/\host`) would make the sign-in page an open redirect, and the
 * auth pages themselves would send a signed-in user round in a loop.
 */
export function safeNext(next: string | string[] | null | undefined): string {
  const value = Array.isArray(next) ? next[0] : next;
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (/^\/(sign-in|sign-up)(\/|\?|#|$)/.test(value)) return DEFAULT_AFTER_SIGN_IN;
  return value;
}
