/**
 * Executors by kind, built once per process from the environment. DOCKER and KUBERNETES exist
 * only where configured; a job sent to one that is not fails with the reason (the API refuses
 * such launches up front, so this is for installations whose configuration changed).
 */
import type { ExecutorKind, Executor } from "./types";
import { createLocalExecutor } from "./local";
import { configuredDockerExecutor, configuredKubernetesExecutor } from "./configured";

const cache = new Map<ExecutorKind, Executor>();

export function executorFor(kind: ExecutorKind): Executor {
  let e = cache.get(kind);
  if (!e) {
    e =
      kind === "LOCAL"
        ? createLocalExecutor()
        : kind === "DOCKER"
          ? configuredDockerExecutor()
          : configuredKubernetesExecutor();
    cache.set(kind, e);
  }
  return e;
}

/** Tests swap in an executor (e.g. one talking to a fake Docker Engine). */
export function setExecutorForTests(kind: ExecutorKind, executor: Executor | null) {
  if (executor) cache.set(kind, executor);
  else cache.delete(kind);
}
