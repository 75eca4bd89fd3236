/** An error meant for the API caller: status, a stable code, and a message naming what and where. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const unauthenticated = (message = "sign in or send Authorization: Bearer <api key>") =>
  new HttpError(401, "unauthenticated", message);
export const forbidden = (message: string) => new HttpError(403, "forbidden", message);
/** Another team's id is indistinguishable from an unknown one. */
export const notFound = (what: string, id: string) =>
  new HttpError(404, "not_found", `${what} ${id} not found`);
export const conflict = (message: string) => new HttpError(409, "conflict", message);
export const badRequest = (message: string, issues?: { path: string; message: string }[]) =>
  new HttpError(400, "bad_request", message, issues);
