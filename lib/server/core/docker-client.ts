/**
 * A dockerode client for DOCKER_HOST's spelling: a socket path (optionally `unix://`) or
 * `tcp://host:port`. Shared by the DOCKER executor (workers/executors), the workers' capability
 * probe and evaluation generation in a container (lib/server/evals/container-generation.ts).
 */
import Dockerode from "dockerode";

export function dockerClient(host: string): Dockerode {
  if (host.startsWith("tcp://") || host.startsWith("http://")) {
    const url = new URL(host.replace(/^tcp:/, "http:"));
    return new Dockerode({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  }
  return new Dockerode({ socketPath: host.replace(/^unix:\/\//, "") });
}
