/** The monitor area's formatters live in lib/client (the home page shows monitor values too). */
export {
  formatCondition,
  formatCostUsd,
  formatMonitorTick,
  formatMonitorValue,
  formatMs,
  formatPercent,
  isShareMetric,
} from "@/lib/client/monitor-format";
