/**
 * One price entry as the edit dialog's text fields, and back: numbers parsed, utilisation typed
 * in percent, the result checked by the same schema the API applies. Pure, beside its dialog.
 */
import {
  frontierPriceSchema,
  servingPriceSchema,
  type PriceEntry,
  type THROUGHPUT_BASES,
} from "@/lib/schemas/economics";

export type PriceKind = PriceEntry["kind"];

export type PriceFieldSpec = {
  key: string;
  label: string;
  type: "text" | "number" | "date" | "basis" | "textarea";
  hint?: string;
};

const COMMON_HEAD: PriceFieldSpec[] = [
  {
    key: "id",
    label: "Id",
    type: "text",
    hint: "Unique within its kind; planner requests name the entry by it.",
  },
];
const COMMON_TAIL: PriceFieldSpec[] = [
  { key: "asOf", label: "As of", type: "date", hint: "The day the price was read." },
  { key: "source", label: "Source", type: "textarea", hint: "Where the figure comes from." },
];

export const PRICE_FIELDS: Record<PriceKind, PriceFieldSpec[]> = {
  frontier: [
    ...COMMON_HEAD,
    { key: "provider", label: "Provider", type: "text" },
    { key: "model", label: "Model", type: "text" },
    { key: "inputUsdPerMTok", label: "Input $ per million tokens", type: "number" },
    { key: "outputUsdPerMTok", label: "Output $ per million tokens", type: "number" },
    ...COMMON_TAIL,
  ],
  self_hosted: [
    ...COMMON_HEAD,
    {
      key: "label",
      label: "Label",
      type: "text",
      hint: "Model and GPU, e.g. Llama 3.1 8B on 1× L4.",
    },
    { key: "gpuType", label: "GPU type", type: "text" },
    { key: "usdPerGpuHour", label: "$ per GPU-hour", type: "number" },
    { key: "gpusPerReplica", label: "GPUs per replica", type: "number" },
    {
      key: "replicas",
      label: "Replicas always on",
      type: "number",
      hint: "Billed whether busy or not; 0 scales to zero.",
    },
    {
      key: "throughputTokensPerSec",
      label: "Throughput (tokens/s per replica)",
      type: "number",
      hint: "Input + output tokens over concurrent requests.",
    },
    { key: "throughputBasis", label: "Throughput is", type: "basis" },
    {
      key: "utilisation",
      label: "Utilisation (%)",
      type: "number",
      hint: "Average load as a share of capacity; 50% is a common planning value.",
    },
    ...COMMON_TAIL,
  ],
};

export const THROUGHPUT_BASIS_LABEL: Record<(typeof THROUGHPUT_BASES)[number], string> = {
  measured: "Measured (load test or telemetry)",
  configured: "Configured (an assumption)",
};

export type PriceFormValues = Record<string, string>;

const NUMERIC = new Set(
  Object.values(PRICE_FIELDS)
    .flat()
    .filter((f) => f.type === "number")
    .map((f) => f.key),
);

export function blankPriceForm(kind: PriceKind, today: string): PriceFormValues {
  return kind === "frontier"
    ? {
        id: "",
        provider: "",
        model: "",
        inputUsdPerMTok: "",
        outputUsdPerMTok: "",
        asOf: today,
        source: "",
      }
    : {
        id: "",
        label: "",
        gpuType: "",
        usdPerGpuHour: "",
        gpusPerReplica: "1",
        replicas: "1",
        throughputTokensPerSec: "",
        throughputBasis: "configured",
        utilisation: "50",
        asOf: today,
        source: "",
      };
}

export function priceToForm(entry: PriceEntry): PriceFormValues {
  const out: PriceFormValues = {};
  for (const f of PRICE_FIELDS[entry.kind]) {
    const v = (entry as Record<string, unknown>)[f.key];
    out[f.key] = f.key === "utilisation" ? String(Math.round(Number(v) * 1000) / 10) : String(v);
  }
  return out;
}

export type PriceFormParse =
  { ok: true; entry: PriceEntry } | { ok: false; errors: Record<string, string> };

export function formToPrice(kind: PriceKind, values: PriceFormValues): PriceFormParse {
  const body: Record<string, unknown> = { kind };
  for (const f of PRICE_FIELDS[kind]) {
    const raw = (values[f.key] ?? "").trim();
    if (!NUMERIC.has(f.key)) body[f.key] = raw;
    else if (raw === "") body[f.key] = undefined;
    else {
      const n = Number(raw.replace(/,/g, ""));
      body[f.key] = f.key === "utilisation" ? n / 100 : n;
    }
  }
  const parsed = (kind === "frontier" ? frontierPriceSchema : servingPriceSchema).safeParse(body);
  if (parsed.success) return { ok: true, entry: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "id");
    const message =
      issue.code === "invalid_type"
        ? raw(values[key]) === ""
          ? "required"
          : "enter a number"
        : key === "utilisation"
          ? "between 0 (exclusive) and 100"
          : issue.message
              .replace(/^Too small: /, "")
              .replace(/^Invalid ISO date$/, "a date, YYYY-MM-DD");
    errors[key] ??= message;
  }
  return { ok: false, errors };
}

const raw = (v: string | undefined) => (v ?? "").trim();

/**
 * A 422 from PUT /economics/prices names `entries.<i>.<field>`: the issues of entry `index`, by
 * field, for the dialog that edited it; list-wide issues (`entries`) under "".
 */
export function serverPriceErrors(
  issues: readonly { path: string; message: string }[],
  index: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues) {
    const m = /^entries\.(\d+)\.(\w+)/.exec(i.path);
    if (m && Number(m[1]) === index) out[m[2]!] ??= i.message;
    else if (i.path === "entries" || !m) out[""] ??= i.message;
  }
  return out;
}
