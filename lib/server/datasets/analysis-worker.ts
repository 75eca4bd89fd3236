/**
 * A worker thread of the parallel analyzer: checks the blocks of lines it is handed (their bytes
 * transferred, not copied) and keeps its own statistics, returned at the end.
 */
import { parentPort, workerData } from "node:worker_threads";
import { DatasetStatsAccumulator } from "@/lib/domain/datasets/stats";
import { lineChecker } from "./analysis";
import { type BlockInit, type BlockMessage, blockChecker } from "./block-check";

const init = workerData as BlockInit;
const checker = await lineChecker(init);
const stats = new DatasetStatsAccumulator();
const checkBlock = blockChecker(checker, stats, init);

parentPort!.on("message", (msg: BlockMessage | { type: "finish" }) => {
  if (msg.type === "finish") {
    parentPort!.postMessage({
      type: "stats",
      snapshot: stats.snapshot(),
      tokenizer: checker.counter.name,
      exact: checker.counter.exact,
    });
    return;
  }
  parentPort!.postMessage(checkBlock(msg));
});
parentPort!.postMessage({ type: "ready" });
