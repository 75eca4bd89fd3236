import { z } from "zod";
import { apiErrorSchema } from "@/lib/schemas/common";
import { ApiClientError } from "./api";

export type UploadProgress = {
  /** Bytes of the body sent so far. */
  loaded: number;
  /** The body's size; the file's size when the browser cannot tell. */
  total: number;
};

export type UploadOptions<S extends z.ZodType> = {
  url: string;
  /** Sent as the request body itself: the browser streams it from disk. */
  file: Blob;
  contentType: string;
  schema: S;
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting rejects with an ApiClientError whose code is "aborted". */
  signal?: AbortSignal;
};

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * POSTs a file as the raw request body with XMLHttpRequest, because fetch() has no upload
 * progress events. The File object is handed to send() as is, so the browser reads it from disk
 * as it sends; nothing here loads it into memory. Same-origin, so the session cookie goes along.
 * Errors are ApiClientErrors carrying the API's `{ error: { code, message } }`, like apiFetch.
 */
export function uploadFile<S extends z.ZodType>({
  url,
  file,
  contentType,
  schema,
  onProgress,
  signal,
}: UploadOptions<S>): Promise<z.infer<S>> {
  return new Promise((resolve, reject) => {
    const aborted = () => new ApiClientError(0, "aborted", "Upload cancelled; nothing was stored.");
    if (signal?.aborted) {
      reject(aborted());
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("content-type", contentType);
    xhr.setRequestHeader("accept", "application/json");

    xhr.upload.onprogress = (e) => {
      onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    };
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) {
        const error = apiErrorSchema.safeParse(body);
        reject(
          error.success
            ? new ApiClientError(
                xhr.status,
                error.data.error.code,
                error.data.error.message,
                error.data.error.issues,
              )
            : new ApiClientError(
                xhr.status,
                `http_${xhr.status}`,
                xhr.status === 413
                  ? "The file is larger than this server accepts (413)."
                  : `${xhr.status} ${xhr.statusText}`,
              ),
        );
        return;
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        reject(
          new ApiClientError(
            xhr.status,
            "bad_response",
            `unexpected response from ${url}: ${z.prettifyError(parsed.error)}`,
          ),
        );
        return;
      }
      resolve(parsed.data);
    };
    xhr.onerror = () =>
      reject(
        new ApiClientError(
          0,
          "network",
          "The upload was interrupted: the connection to the server failed.",
        ),
      );
    xhr.ontimeout = () => reject(new ApiClientError(0, "timeout", "The upload timed out."));
    xhr.onabort = () => reject(aborted());
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });

    xhr.send(file);
  });
}

/** What the dataset upload endpoint expects for a file with this name. */
export function uploadContentType(fileName: string): string {
  return /\.gz$/i.test(fileName) ? "application/gzip" : "application/x-ndjson";
}
