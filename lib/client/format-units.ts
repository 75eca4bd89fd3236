const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

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
