/**
 * A fake Kubernetes API server for tests: a node:http server on 127.0.0.1 that speaks enough of
 * the REST API for @kubernetes/client-node to drive it for real — batch/v1 Jobs (create, read,
 * list, delete with propagation) and core/v1 Pods (list by label selector, read, log) — with
 * bearer-token auth, `Status` error bodies (409 AlreadyExists, 404 NotFound, 422 Invalid) and the
 * validation the real server would apply to what retune sends (names, labels, restartPolicy, GPU
 * limits). No cluster runs where the tests run (docs/architecture.md, "Environment"). Tests assert the requests the
 * client sends and play the Job controller and kubelet through the helpers here.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";

export type RecordedKubeRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
};

export type KubeConfigOptions = {
  clusters: Array<{ name: string; server: string; skipTLSVerify: boolean }>;
  users: Array<{ name: string; token: string }>;
  contexts: Array<{ name: string; cluster: string; user: string }>;
  currentContext: string;
};

// The stored objects are plain JSON, as the API server keeps them.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type FakeKubeApiServer = {
  url: string;
  token: string;
  requests: RecordedKubeRequest[];
  /** Jobs by `namespace/name`. */
  jobs: Map<string, Json>;
  /** Pods by `namespace/name`, with their log. */
  pods: Map<string, { pod: Json; log: string }>;
  /** What `KubeConfig.loadFromOptions` takes to point at this server with the fake's token. */
  kubeConfigOptions(): KubeConfigOptions;
  /**
   * A KubeConfig pointing here. Async because @kubernetes/client-node is loaded on demand: 2.x
   * cannot load on Node.js < 22.19 (see workers/executors/kubernetes.ts).
   */
  kubeConfig(): Promise<KubeConfig>;
  /** Plays the Job controller: sets `status` of a Job. */
  setJobStatus(namespace: string, name: string, status: Json): void;
  /** Plays the Job controller: creates the Job's pod (labels as the real controller sets them). */
  createPod(namespace: string, jobName: string, phase?: string): string;
  /** Plays the kubelet: pod phase and container statuses. */
  setPodStatus(namespace: string, podName: string, status: Json): void;
  appendLog(namespace: string, podName: string, text: string): void;
  close(): Promise<void>;
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function labelErrors(labels: Record<string, string> | undefined, field: string): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    const slash = key.lastIndexOf("/");
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (name.length > 63 || !LABEL_NAME.test(name)) {
      errors.push(
        `${field}: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
      );
    }
    if (value.length > 63 || !LABEL_VALUE.test(value)) {
      errors.push(
        `${field}: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      );
    }
  }
  return errors;
}

/** What the real API server would reject in the parts of a Job retune sets. */
function validateJob(job: Json): string[] {
  const errors: string[] = [];
  const name = String(job.metadata?.name ?? "");
  if (!DNS1123_LABEL.test(name) || name.length > 63) {
    errors.push(
      `metadata.name: Invalid value: "${name}": must be no more than 63 characters and a lowercase RFC 1123 label`,
    );
  }
  errors.push(...labelErrors(job.metadata?.labels, "metadata.labels"));
  const template = job.spec?.template ?? {};
  errors.push(...labelErrors(template.metadata?.labels, "spec.template.metadata.labels"));
  const restart = template.spec?.restartPolicy;
  if (restart !== "Never" && restart !== "OnFailure") {
    errors.push(
      `spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`,
    );
  }
  if (typeof job.spec?.backoffLimit === "number" && job.spec.backoffLimit < 0) {
    errors.push("spec.backoffLimit: Invalid value: must be greater than or equal to 0");
  }
  const containers: Json[] = template.spec?.containers ?? [];
  if (containers.length === 0) errors.push("spec.template.spec.containers: Required value");
  containers.forEach((c, i) => {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    for (const [key, value] of Object.entries(requests)) {
      if (key.includes("/") && !key.startsWith("kubernetes.io/") && limits[key] !== value) {
        errors.push(
          `spec.template.spec.containers[${i}].resources.requests[${key}]: Invalid value: must be equal to ${key} limit`,
        );
      }
    }
  });
  return errors;
}

function status(code: number, reason: string, message: string, details: Json = {}): Json {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    details,
    code,
  };
}

function parseSelector(selector: string | undefined): (labels: Record<string, string>) => boolean {
  const terms = (selector ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  return (labels) =>
    terms.every((term) => {
      const neq = /^([^!=]+)!=(.*)$/.exec(term);
      if (neq) return labels[neq[1]!] !== neq[2];
      const eq = /^([^!=]+)==?(.*)$/.exec(term);
      if (eq) return labels[eq[1]!] === eq[2];
      if (term.startsWith("!")) return !(term.slice(1) in labels);
      return term in labels;
    });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : null;
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** Starts the fake on an ephemeral port of 127.0.0.1. */
export async function startFakeKubeApiServer(): Promise<FakeKubeApiServer> {
  const token = `fake-${randomBytes(8).toString("hex")}`;
  const requests: RecordedKubeRequest[] = [];
  const jobs = new Map<string, Json>();
  const pods = new Map<string, { pod: Json; log: string }>();
  let resourceVersion = 1;

  function handle(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const url = new URL(req.url ?? "/", "http://kube");
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? "GET";
    requests.push({
      method,
      path: url.pathname,
      query,
      body,
      authorization: req.headers.authorization,
    });

    if (req.headers.authorization !== `Bearer ${token}`) {
      sendJson(res, 401, status(401, "Unauthorized", "Unauthorized"));
      return;
    }

    const jobsRoute = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(
      url.pathname,
    );
    if (jobsRoute) {
      const ns = decodeURIComponent(jobsRoute[1]!);
      const name = jobsRoute[2] ? decodeURIComponent(jobsRoute[2]) : undefined;
      if (!name && method === "POST") {
        const job = (body ?? {}) as Json;
        const jobName = String(job.metadata?.name ?? "");
        const errors = validateJob(job);
        if (errors.length) {
          sendJson(
            res,
            422,
            status(422, "Invalid", `Job.batch "${jobName}" is invalid: ${errors.join(", ")}`, {
              name: jobName,
              group: "batch",
              kind: "Job",
            }),
          );
          return;
        }
        if (jobs.has(`${ns}/${jobName}`)) {
          sendJson(
            res,
            409,
            status(409, "AlreadyExists", `jobs.batch "${jobName}" already exists`, {
              name: jobName,
              group: "batch",
              kind: "jobs",
            }),
          );
          return;
        }
        const stored: Json = {
          ...job,
          metadata: {
            ...job.metadata,
            namespace: ns,
            uid: randomUUID(),
            resourceVersion: String(resourceVersion++),
            creationTimestamp: new Date().toISOString(),
          },
          status: {},
        };
        jobs.set(`${ns}/${jobName}`, stored);
        sendJson(res, 201, stored);
        return;
      }
      if (!name && method === "GET") {
        const match = parseSelector(query.labelSelector);
        const items = [...jobs.entries()]
          .filter(([k, j]) => k.startsWith(`${ns}/`) && match(j.metadata?.labels ?? {}))
          .map(([, j]) => j);
        sendJson(res, 200, {
          kind: "JobList",
          apiVersion: "batch/v1",
          metadata: { resourceVersion: String(resourceVersion) },
          items,
        });
        return;
      }
      if (name) {
        const job = jobs.get(`${ns}/${name}`);
        if (!job) {
          sendJson(
            res,
            404,
            status(404, "NotFound", `jobs.batch "${name}" not found`, {
              name,
              group: "batch",
              kind: "jobs",
            }),
          );
          return;
        }
        if (method === "GET") {
          sendJson(res, 200, job);
          return;
        }
        if (method === "DELETE") {
          const policy = query.propagationPolicy ?? (body as Json | null)?.propagationPolicy;
          jobs.delete(`${ns}/${name}`);
          // batch/v1 Jobs default to orphaning their pods when deleted through the API.
          for (const [key, p] of pods) {
            if (p.pod.metadata?.labels?.["job-name"] !== name || !key.startsWith(`${ns}/`))
              continue;
            if (policy === "Background" || policy === "Foreground") pods.delete(key);
            else delete p.pod.metadata.ownerReferences;
          }
          sendJson(res, 200, {
            kind: "Status",
            apiVersion: "v1",
            metadata: {},
            status: "Success",
            details: { name, group: "batch", kind: "jobs", uid: job.metadata?.uid },
          });
          return;
        }
      }
    }

    const podsRoute = /^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(\/log)?)?$/.exec(
      url.pathname,
    );
    if (podsRoute && method === "GET") {
      const ns = decodeURIComponent(podsRoute[1]!);
      const name = podsRoute[2] ? decodeURIComponent(podsRoute[2]) : undefined;
      if (!name) {
        const match = parseSelector(query.labelSelector);
        const items = [...pods.entries()]
          .filter(([k, p]) => k.startsWith(`${ns}/`) && match(p.pod.metadata?.labels ?? {}))
          .map(([, p]) => p.pod);
        sendJson(res, 200, {
          kind: "PodList",
          apiVersion: "v1",
          metadata: { resourceVersion: String(resourceVersion) },
          items,
        });
        return;
      }
      const entry = pods.get(`${ns}/${name}`);
      if (!entry) {
        sendJson(
          res,
          404,
          status(404, "NotFound", `pods "${name}" not found`, { name, kind: "pods" }),
        );
        return;
      }
      if (!podsRoute[3]) {
        sendJson(res, 200, entry.pod);
        return;
      }
      const containers: Json[] = entry.pod.spec?.containers ?? [];
      const container =
        query.container ?? (containers.length === 1 ? containers[0]!.name : undefined);
      if (!container || !containers.some((c) => c.name === container)) {
        sendJson(
          res,
          400,
          status(
            400,
            "BadRequest",
            `container ${container ?? "(unspecified)"} is not valid for pod ${name}`,
          ),
        );
        return;
      }
      if (entry.pod.status?.phase === "Pending") {
        sendJson(
          res,
          400,
          status(
            400,
            "BadRequest",
            `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`,
          ),
        );
        return;
      }
      res.writeHead(200, {
        "Content-Type": "text/plain",
        "Content-Length": Buffer.byteLength(entry.log),
      });
      res.end(entry.log);
      return;
    }

    sendJson(res, 404, status(404, "NotFound", "the server could not find the requested resource"));
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => handle(req, res, body))
      .catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 500, status(500, "InternalError", String(err)));
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const kubeConfigOptions = (): KubeConfigOptions => ({
    clusters: [{ name: "fake", server: url, skipTLSVerify: true }],
    users: [{ name: "retune", token }],
    contexts: [{ name: "fake", cluster: "fake", user: "retune" }],
    currentContext: "fake",
  });
  const mustJob = (ns: string, name: string) => {
    const job = jobs.get(`${ns}/${name}`);
    if (!job) throw new Error(`fake kube: no job ${ns}/${name}`);
    return job;
  };
  const mustPod = (ns: string, name: string) => {
    const pod = pods.get(`${ns}/${name}`);
    if (!pod) throw new Error(`fake kube: no pod ${ns}/${name}`);
    return pod;
  };

  return {
    url,
    token,
    requests,
    jobs,
    pods,
    kubeConfigOptions,
    async kubeConfig() {
      const { KubeConfig } = await import("@kubernetes/client-node");
      const kc = new KubeConfig();
      kc.loadFromOptions(kubeConfigOptions());
      return kc;
    },
    setJobStatus(ns, name, jobStatus) {
      mustJob(ns, name).status = jobStatus;
    },
    createPod(ns, jobName, phase = "Pending") {
      const job = mustJob(ns, jobName);
      const podName = `${jobName}-${randomBytes(3).toString("hex").slice(0, 5)}`;
      const pod: Json = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name: podName,
          namespace: ns,
          uid: randomUUID(),
          creationTimestamp: new Date().toISOString(),
          labels: {
            ...job.spec?.template?.metadata?.labels,
            "batch.kubernetes.io/controller-uid": job.metadata.uid,
            "batch.kubernetes.io/job-name": jobName,
            "controller-uid": job.metadata.uid,
            "job-name": jobName,
          },
          ownerReferences: [
            {
              apiVersion: "batch/v1",
              kind: "Job",
              name: jobName,
              uid: job.metadata.uid,
              controller: true,
            },
          ],
        },
        spec: job.spec?.template?.spec ?? {},
        status: { phase },
      };
      pods.set(`${ns}/${podName}`, { pod, log: "" });
      return podName;
    },
    setPodStatus(ns, podName, podStatus) {
      mustPod(ns, podName).pod.status = podStatus;
    },
    appendLog(ns, podName, text) {
      mustPod(ns, podName).log += text;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
