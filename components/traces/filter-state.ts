import { searchTextSchema } from "@/lib/schemas/search";
import { CORRECTORS, TRACE_OUTCOMES } from "@/lib/schemas/traces";
import type { TraceFilters } from "@/lib/client/hooks/traces";

/**
 * The trace browser's filters as they sit in the URL (so a filtered view can be linked): dates
 * are calendar days in the viewer's time zone, `to` inclusive; the API wants instants.
 */
export type UrlFilters = {
  /** The search: a substring of the trace id or of a called tool's name. */
  q?: string;
  model?: string;
  outcome?: (typeof TRACE_OUTCOMES)[number];
  correctedBy?: (typeof CORRECTORS)[number] | "none";
  tool?: string;
  from?: string;
  to?: string;
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function oneOf<T extends string>(v: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === v);
}

function day(v: string | null): string | undefined {
  return v && DAY.test(v) ? v : undefined;
}

function search(v: string | null): string | undefined {
  const parsed = searchTextSchema.safeParse(v ?? undefined);
  return parsed.success ? parsed.data : undefined;
}

export function readUrlFilters(params: Pick<URLSearchParams, "get">): UrlFilters {
  return {
    q: search(params.get("q")),
    model: params.get("model")?.trim() || undefined,
    outcome: oneOf(params.get("outcome"), TRACE_OUTCOMES),
    correctedBy: oneOf(params.get("correctedBy"), [...CORRECTORS, "none"] as const),
    tool: params.get("tool")?.trim() || undefined,
    from: day(params.get("from")),
    to: day(params.get("to")),
  };
}

export function urlSearch(f: UrlFilters): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v) p.set(k, v);
  const qs = p.toString();
  return qs ? `?${qs}` : "";
}

/** Local midnight of `yyyy-mm-dd` plus `addDays`, as an ISO instant. */
export function localDayStart(d: string, addDays = 0): string | undefined {
  const m = DAY.exec(d);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + addDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function apiFilters(f: UrlFilters): TraceFilters {
  return {
    q: f.q,
    model: f.model,
    outcome: f.outcome,
    correctedBy: f.correctedBy,
    tool: f.tool,
    from: f.from ? localDayStart(f.from) : undefined,
    // Inclusive: everything before the next day's midnight.
    to: f.to ? localDayStart(f.to, 1) : undefined,
  };
}

/** `base` changed by `patch`, as a normalized query string (comparable with `===`). */
export function patchedSearch(base: string, patch: Partial<UrlFilters>): string {
  const merged = { ...readUrlFilters(new URLSearchParams(base)), ...patch };
  return urlSearch(readUrlFilters(new URLSearchParams(urlSearch(merged))));
}

export const hasFilters = (f: UrlFilters) => Object.values(f).some(Boolean);
