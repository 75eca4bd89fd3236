/** Money and volume as the economics pages write them. */
const wholeUsd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const perCallUsd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 5,
  maximumFractionDigits: 5,
});
const priceUsd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/** "$35,010"; a negative amount (a saving that is a loss) as "−$1,200". */
export function formatMoney(usd: number): string {
  if (!Number.isFinite(usd)) return "—";
  return usd < 0 ? `−${wholeUsd.format(-usd)}` : wholeUsd.format(usd);
}

/** "$0.01167": what one call costs. */
export const formatPerCall = (usd: number) => perCallUsd.format(usd);

/** "$3.00", "$0.8048": a list price. */
export const formatPrice = (usd: number) => priceUsd.format(usd);

/** "3,000,000". */
export const formatCalls = (n: number) => count.format(Math.ceil(n));

/** "3M", "250K": axis ticks. */
export const formatCallsCompact = (n: number) => compact.format(n);

/** "$35K": axis ticks. */
export const formatMoneyCompact = (usd: number) => `$${compact.format(usd)}`;

/** "4.2 months". */
export function formatMonths(m: number): string {
  return `${m < 10 ? m.toFixed(1) : Math.round(m)} month${m === 1 ? "" : "s"}`;
}

/** 0.8 → "80%"; one decimal when it matters (0.125 → "12.5%"). */
export function formatPct(share: number): string {
  const pct = share * 100;
  return `${Number.isInteger(Math.round(pct * 10) / 10) ? Math.round(pct) : pct.toFixed(1)}%`;
}
