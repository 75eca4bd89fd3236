/**
 * Next.js Proxy (formerly middleware): hands a console page's own path to the server
 * components that render it, as the `x-retune-path` request header. Layouts do not receive the
 * path, and the console layout needs it to send a signed-out visitor to
 * `/sign-in?next=<the page they opened>`, so a deep link (a webhook alert's /monitors/{id})
 * lands where it pointed after sign-in. The API, Next's assets and the auth pages are not
 * matched: they never redirect to sign-in, and the ingest path stays free of this hop.
 */
import { NextResponse, type NextRequest } from "next/server";

export const PATH_HEADER = "x-retune-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  // Set here, never trusted from the client: a request that sends its own value loses it.
  headers.set(PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!api/|_next/|sign-in|sign-up|invite/|onboarding|icon\\.svg|favicon\\.ico).*)"],
};
