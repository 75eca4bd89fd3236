/**
 * A fake Docker Engine for tests: a node:http server on a unix socket that speaks enough of the
 * Engine API (https://docs.docker.com/reference/api/engine/) for dockerode to drive it for real —
 * containers create/list/inspect/start/logs/kill/delete and image pulls — with the `/v1.xx` version
 * prefix optional, as on a real daemon. No Docker engine runs where the tests run (docs/architecture.md, "Environment"),
 * so tests assert the requests the real client sends and drive container state from here.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";

export type RecordedDockerRequest = {
  method: string;
  /** Path without the version prefix, e.g. `/containers/create`. */
  path: string;
  /** The `v1.xx` prefix the client used, or null. */
  version: string | null;
  query: Record<string, string>;
  /** Parsed JSON body, or null when there was none. */
  body: unknown;
};

type StateStatus = "created" | "running" | "paused" | "restarting" | "exited" | "dead";

export type FakeContainer = {
  Id: string;
  Name: string;
  Created: string;
  /** The create request body, as received. */
  config: Record<string, unknown>;
  State: {
    Status: StateStatus;
    ExitCode: number;
    OOMKilled: boolean;
    Error: string;
    StartedAt: string;
    FinishedAt: string;
  };
  /** Output in the order written: 1 = stdout, 2 = stderr; each entry is one frame. */
  frames: Array<{ stream: 1 | 2; data: Buffer }>;
};

export type FakeDockerEngine = {
  socketPath: string;
  requests: RecordedDockerRequest[];
  containers: Map<string, FakeContainer>;
  /** Image references present on the "host" (normalised to `repo:tag`). */
  images: Set<string>;
  /** `Runtimes` of `GET /info` (add `nvidia` for a host with the NVIDIA Container Toolkit). */
  runtimes: Record<string, { path: string }>;
  /** Finds a container by id, id prefix or name (with or without the leading slash). */
  find(idOrName: string): FakeContainer | undefined;
  /** Appends output; each call is one multiplexed frame (so a test can split lines across frames). */
  write(idOrName: string, stream: "stdout" | "stderr", text: string): void;
  /** The trainer process ends. */
  exit(idOrName: string, exitCode: number, opts?: { oomKilled?: boolean }): void;
  /** Makes the next start fail like a missing nvidia runtime does: 500, State.Error set. */
  failNextStart(message: string): void;
  /** Makes pulls of this image answer 200 with an error event in the progress stream. */
  failPull(image: string, message: string): void;
  /** Hook run before each create is handled (e.g. to create a competing container). */
  beforeCreate: ((name: string | undefined) => void) | null;
  /** Adds a container directly, as another worker would have. */
  addContainer(name: string, config: Record<string, unknown>, status?: StateStatus): FakeContainer;
  close(): Promise<void>;
};

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** `ubuntu` → `ubuntu:latest`; a tag or digest is kept. */
export function normalizeImage(ref: string): string {
  const lastSegment = ref.slice(ref.lastIndexOf("/") + 1);
  return lastSegment.includes(":") || lastSegment.includes("@") ? ref : `${ref}:latest`;
}

function frame(stream: 0 | 1 | 2, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

function truthy(v: string | undefined): boolean {
  return v === "1" || v === "true" || v === "True";
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Api-Version": "1.47",
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { message });
}

function summary(c: FakeContainer) {
  return {
    Id: c.Id,
    Names: [`/${c.Name}`],
    Image: c.config.Image,
    Command: ((c.config.Cmd as string[] | undefined) ?? []).join(" "),
    Created: Math.floor(Date.parse(c.Created) / 1000),
    Labels: (c.config.Labels as Record<string, string> | undefined) ?? {},
    State: c.State.Status,
    Status: c.State.Status === "running" ? "Up" : `Exited (${c.State.ExitCode})`,
  };
}

function inspect(c: FakeContainer) {
  const s = c.State;
  return {
    Id: c.Id,
    Created: c.Created,
    Path: ((c.config.Cmd as string[] | undefined) ?? [])[0] ?? "",
    Args: ((c.config.Cmd as string[] | undefined) ?? []).slice(1),
    State: {
      Status: s.Status,
      Running: s.Status === "running",
      Paused: s.Status === "paused",
      Restarting: s.Status === "restarting",
      OOMKilled: s.OOMKilled,
      Dead: s.Status === "dead",
      Pid: s.Status === "running" ? 4242 : 0,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: s.StartedAt,
      FinishedAt: s.FinishedAt,
    },
    Image: `sha256:${"0".repeat(64)}`,
    Name: `/${c.Name}`,
    RestartCount: 0,
    Config: {
      Image: c.config.Image,
      Cmd: c.config.Cmd,
      Env: c.config.Env,
      Labels: c.config.Labels ?? {},
      WorkingDir: c.config.WorkingDir ?? "",
      Tty: c.config.Tty ?? false,
    },
    HostConfig: c.config.HostConfig ?? {},
  };
}

/** Starts the fake on a fresh unix socket. */
export async function startFakeDockerEngine(
  opts: { images?: string[]; runtimes?: Record<string, { path: string }> } = {},
): Promise<FakeDockerEngine> {
  // Unix socket paths are limited to ~107 bytes, so keep the folder short.
  const dir = mkdtempSync(path.join(tmpdir(), "fde-"));
  const socketPath = path.join(dir, "docker.sock");
  const requests: RecordedDockerRequest[] = [];
  const containers = new Map<string, FakeContainer>();
  const images = new Set((opts.images ?? []).map(normalizeImage));
  const pullFailures = new Map<string, string>();
  let nextStartError: string | null = null;

  function find(idOrName: string): FakeContainer | undefined {
    const key = idOrName.replace(/^\//, "");
    const byId = containers.get(key);
    if (byId) return byId;
    for (const c of containers.values()) if (c.Name === key) return c;
    if (key.length >= 12) {
      const matches = [...containers.values()].filter((c) => c.Id.startsWith(key));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  function addContainer(
    name: string,
    config: Record<string, unknown>,
    status: StateStatus = "created",
  ): FakeContainer {
    const c: FakeContainer = {
      Id: randomBytes(32).toString("hex"),
      Name: name,
      Created: new Date().toISOString(),
      config,
      State: {
        Status: status,
        ExitCode: 0,
        OOMKilled: false,
        Error: "",
        StartedAt: status === "created" ? ZERO_TIME : new Date().toISOString(),
        FinishedAt: ZERO_TIME,
      },
      frames: [],
    };
    containers.set(c.Id, c);
    return c;
  }

  function matchesFilters(c: FakeContainer, filtersJson: string | undefined): boolean {
    if (!filtersJson) return true;
    const filters = JSON.parse(filtersJson) as Record<string, string[] | Record<string, boolean>>;
    // The Engine accepts both {"label":["a=b"]} and the legacy {"label":{"a=b":true}}.
    const list = (v: string[] | Record<string, boolean> | undefined) =>
      Array.isArray(v) ? v : Object.keys(v ?? {});
    const labels = (c.config.Labels as Record<string, string> | undefined) ?? {};
    for (const want of list(filters.label)) {
      const eq = want.indexOf("=");
      const ok = eq < 0 ? want in labels : labels[want.slice(0, eq)] === want.slice(eq + 1);
      if (!ok) return false;
    }
    const names = list(filters.name);
    if (names.length && !names.some((n) => c.Name.includes(n.replace(/^\//, "")))) return false;
    const statuses = list(filters.status);
    if (statuses.length && !statuses.includes(c.State.Status)) return false;
    return true;
  }

  const engine: FakeDockerEngine = {
    socketPath,
    requests,
    containers,
    images,
    runtimes: opts.runtimes ?? {
      runc: { path: "runc" },
      "io.containerd.runc.v2": { path: "runc" },
    },
    find,
    beforeCreate: null,
    addContainer,
    write(idOrName, stream, text) {
      const c = find(idOrName);
      if (!c) throw new Error(`fake docker: no container ${idOrName}`);
      c.frames.push({ stream: stream === "stdout" ? 1 : 2, data: Buffer.from(text, "utf8") });
    },
    exit(idOrName, exitCode, exitOpts = {}) {
      const c = find(idOrName);
      if (!c) throw new Error(`fake docker: no container ${idOrName}`);
      c.State.Status = "exited";
      c.State.ExitCode = exitCode;
      c.State.OOMKilled = exitOpts.oomKilled ?? false;
      c.State.FinishedAt = new Date().toISOString();
    },
    failNextStart(message) {
      nextStartError = message;
    },
    failPull(image, message) {
      pullFailures.set(normalizeImage(image), message);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://docker");
    const versioned = /^\/(v\d+\.\d+)(\/.*)$/.exec(url.pathname);
    const route = versioned ? (versioned[2] ?? "/") : url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    const method = req.method ?? "GET";
    requests.push({ method, path: route, version: versioned?.[1] ?? null, query, body });

    if (route === "/_ping") {
      res.writeHead(200, { "Content-Type": "text/plain", "Api-Version": "1.47" });
      res.end("OK");
      return;
    }
    if (method === "GET" && route === "/version") {
      sendJson(res, 200, { Version: "27.5.1", ApiVersion: "1.47", MinAPIVersion: "1.24" });
      return;
    }
    if (method === "GET" && route === "/info") {
      sendJson(res, 200, {
        ID: "fake-engine",
        ServerVersion: "27.5.1",
        Containers: containers.size,
        Images: images.size,
        Runtimes: engine.runtimes,
        DefaultRuntime: "runc",
      });
      return;
    }

    if (method === "POST" && route === "/containers/create") {
      const name = query.name;
      engine.beforeCreate?.(name);
      const config = (body ?? {}) as Record<string, unknown>;
      if (name !== undefined && !/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/.test(name)) {
        sendError(
          res,
          400,
          `Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`,
        );
        return;
      }
      if (name !== undefined) {
        const taken = find(name);
        if (taken) {
          sendError(
            res,
            409,
            `Conflict. The container name "/${name}" is already in use by container ` +
              `"${taken.Id}". You have to remove (or rename) that container to be able to reuse that name.`,
          );
          return;
        }
      }
      const image = typeof config.Image === "string" ? config.Image : "";
      if (!images.has(normalizeImage(image))) {
        sendError(res, 404, `No such image: ${normalizeImage(image)}`);
        return;
      }
      const hostConfig = (config.HostConfig ?? {}) as Record<string, unknown>;
      for (const dr of (hostConfig.DeviceRequests ?? []) as Array<Record<string, unknown>>) {
        if (dr.Count !== undefined && dr.DeviceIDs !== undefined) {
          sendError(res, 400, "cannot set both Count and DeviceIDs on device request");
          return;
        }
      }
      const c = addContainer(name ?? randomBytes(6).toString("hex"), config);
      sendJson(res, 201, { Id: c.Id, Warnings: [] });
      return;
    }

    if (method === "GET" && route === "/containers/json") {
      const all = truthy(query.all);
      const list = [...containers.values()]
        .filter((c) => all || c.State.Status === "running")
        .filter((c) => matchesFilters(c, query.filters))
        .map(summary);
      sendJson(res, 200, list);
      return;
    }

    if (method === "POST" && route === "/images/create") {
      const ref = normalizeImage(
        query.tag ? `${query.fromImage}:${query.tag}` : (query.fromImage ?? ""),
      );
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write(
        `${JSON.stringify({ status: `Pulling from ${query.fromImage}`, id: query.tag })}\n`,
      );
      const failure = pullFailures.get(ref);
      if (failure) {
        res.end(`${JSON.stringify({ errorDetail: { message: failure }, error: failure })}\n`);
        return;
      }
      images.add(ref);
      res.end(`${JSON.stringify({ status: `Status: Downloaded newer image for ${ref}` })}\n`);
      return;
    }

    // GET /images/{name}/json: `docker image inspect`; the name may hold "/" and ":".
    const inspected = method === "GET" ? /^\/images\/(.+)\/json$/.exec(route) : null;
    if (inspected) {
      const ref = normalizeImage(decodeURIComponent(inspected[1]!));
      if (images.has(ref)) sendJson(res, 200, { Id: `sha256:${ref.length}`, RepoTags: [ref] });
      else sendError(res, 404, `No such image: ${ref}`);
      return;
    }

    const m = /^\/containers\/([^/]+)(?:\/(json|start|logs|kill|wait))?$/.exec(route);
    if (!m) {
      sendError(res, 404, `page not found: ${method} ${route}`);
      return;
    }
    const idOrName = decodeURIComponent(m[1] ?? "");
    const action = m[2] ?? (method === "DELETE" ? "delete" : "");
    const c = find(idOrName);
    if (!c) {
      sendError(res, 404, `No such container: ${idOrName}`);
      return;
    }

    if (method === "GET" && action === "json") {
      sendJson(res, 200, inspect(c));
    } else if (method === "POST" && action === "start") {
      if (c.State.Status === "running") {
        res.writeHead(304);
        res.end();
        return;
      }
      if (nextStartError) {
        c.State.Error = nextStartError;
        sendError(res, 500, nextStartError);
        nextStartError = null;
        return;
      }
      c.State.Status = "running";
      c.State.Error = "";
      c.State.StartedAt = new Date().toISOString();
      res.writeHead(204);
      res.end();
    } else if (method === "GET" && action === "logs") {
      if (truthy(query.follow)) {
        sendError(res, 400, "fake docker engine: follow=1 is not supported");
        return;
      }
      const wanted = new Set<number>();
      if (truthy(query.stdout)) wanted.add(1);
      if (truthy(query.stderr)) wanted.add(2);
      const payload = Buffer.concat(
        c.frames.filter((f) => wanted.has(f.stream)).map((f) => frame(f.stream, f.data)),
      );
      // API 1.42+ names the stream type; older engines said application/octet-stream.
      res.writeHead(200, {
        "Content-Type": "application/vnd.docker.multiplexed-stream",
        "Content-Length": payload.length,
      });
      res.end(payload);
    } else if (method === "POST" && action === "kill") {
      if (c.State.Status !== "running" && c.State.Status !== "paused") {
        sendError(res, 409, `Cannot kill container: ${idOrName}: container ${c.Id} is not running`);
        return;
      }
      c.State.Status = "exited";
      c.State.ExitCode = 137;
      c.State.FinishedAt = new Date().toISOString();
      res.writeHead(204);
      res.end();
    } else if (method === "DELETE" && action === "delete") {
      if (c.State.Status === "running" && !truthy(query.force)) {
        sendError(
          res,
          409,
          `cannot remove container "/${c.Name}": container is running: stop the container before removing or force remove`,
        );
        return;
      }
      containers.delete(c.Id);
      res.writeHead(204);
      res.end();
    } else {
      sendError(res, 404, `page not found: ${method} ${route}`);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, String(err));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return engine;
}
