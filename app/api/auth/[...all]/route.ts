import { toNextJsHandler } from "better-auth/next-js";
import { auth } from "@/lib/server/core/auth";
import { boundedRequest } from "@/lib/server/core/json-body";

const handler = () => toNextJsHandler(auth());

/**
 * Better Auth reads bodies whole (sign-up is unauthenticated): each body is first read within
 * the JSON limit, so an endless chunked body is a 413 after 1 MB, not a buffer of all of it.
 */
export const GET = (req: Request) => handler().GET(req);
export const POST = async (req: Request) => {
  const bounded = await boundedRequest(req);
  return bounded instanceof Response ? bounded : handler().POST(bounded);
};
