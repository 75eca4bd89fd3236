const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const usdSmall = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 4,
});

/** "1,234,567". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1,234.5" (at most one decimal). */
export function formatDecimal(n: number): string {
  return decimal.format(n);
}

/** "1.2M", "34K", "512" — for axis ticks and dense cells. */
export function formatCompact(n: number): string {
  return compact.format(n);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"] as const;

/** "0 B", "812 B", "1.4 MB" (powers of 1024, one decimal above KB). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** A share in [0, 1] as "42%", or "0.4%" below one percent (never "0%" for a non-zero share). */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return "—";
  const pct = share * 100;
  // Never round a partial share to 0 % or 100 %: 398 of 400 valid is 99.5 %, not 100 %.
  if (pct > 0 && pct < 1) return `${pct.toFixed(1)}%`;
  if (pct > 99 && pct < 100) return `${(Math.floor(pct * 10) / 10).toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** loaded / total as a whole percentage in [0, 100]; 0 when the total is unknown. */
export function percentOf(loaded: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, Math.floor((loaded / total) * 100)));
}

/** "$12.40"; below a cent "$0.0042", and "$0" for nothing (CPU runs cost nothing). */
export function formatUsd(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  if (n === 0) return "$0";
  return n < 0.01 ? usdSmall.format(n) : usd.format(n);
}

/** "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return `${h} h ${String(m).padStart(2, "0")} min`;
  }
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Hours as a duration: 0.02 h → "1 min". */
export function formatHours(hours: number): string {
  return formatDuration(hours * 3600);
}

/** "12.3 GB", "0.41 GB". */
export function formatGb(gb: number | null | undefined): string {
  if (gb === null || gb === undefined || !Number.isFinite(gb)) return "—";
  if (gb > 0 && gb < 0.01) return "<0.01 GB";
  return `${gb >= 10 ? gb.toFixed(1) : gb.toFixed(2)} GB`;
}

/** A metric value for tooltips and tables: 4 significant digits, scientific when tiny. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** An axis tick: three significant digits, or "3.0e-4" for tiny values. */
export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return "";
  if (v !== 0 && Math.abs(v) < 1e-2) return v.toExponential(1);
  return Number(v.toPrecision(3)).toString();
}
