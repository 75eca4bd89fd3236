/**
 * The DOCKER and KUBERNETES executors as this installation configures them (DOCKER_HOST;
 * KUBERNETES_NAMESPACE + KUBERNETES_JOBS_PVC + KUBECONFIG or the in-cluster account). When one is
 * not configured, its executor fails every call with the reason instead of pretending to run.
 */
import { dockerClient } from "@/lib/server/core/docker-client";
import { env } from "@/lib/server/core/env";
import { createDockerExecutor } from "./docker";
import { createKubernetesExecutor, loadKubeConfig } from "./kubernetes";
import type { Executor, ExecutorKind } from "./types";

function unavailable(kind: ExecutorKind, reason: string): Executor {
  const fail = async (): Promise<never> => {
    throw new Error(`the ${kind} executor is not configured: ${reason}`);
  };
  return { kind, start: fail, status: fail, readLogs: fail, cancel: fail };
}

export { dockerClient };

export function configuredDockerExecutor(): Executor {
  const host = env().DOCKER_HOST;
  if (!host) return unavailable("DOCKER", "set DOCKER_HOST");
  return createDockerExecutor({ docker: dockerClient(host) });
}

/** Loading a kubeconfig is asynchronous; the executor waits for it on first use. */
export function configuredKubernetesExecutor(): Executor {
  const { KUBERNETES_NAMESPACE: namespace, KUBERNETES_JOBS_PVC: jobsPvc } = env();
  if (!namespace || !jobsPvc)
    return unavailable("KUBERNETES", "set KUBERNETES_NAMESPACE and KUBERNETES_JOBS_PVC");
  let ready: Promise<Executor> | undefined;
  const get = () =>
    (ready ??= loadKubeConfig().then((kubeConfig) =>
      createKubernetesExecutor({ kubeConfig, namespace, jobsPvc }),
    ));
  return {
    kind: "KUBERNETES",
    start: async (spec) => (await get()).start(spec),
    status: async (ref) => (await get()).status(ref),
    readLogs: async (ref, from) => (await get()).readLogs(ref, from),
    cancel: async (ref) => (await get()).cancel(ref),
  };
}
