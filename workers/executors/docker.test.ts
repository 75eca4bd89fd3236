import Docker from "dockerode";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeDockerEngine, type FakeDockerEngine } from "@/test/fakes/docker-engine";
import { createDockerExecutor, dockerContainerName } from "./docker";
import type { LaunchSpec, RunRef } from "./types";

const IMAGE = "axolotlai/axolotl:0.18.0-py3.12-cu130-2.12.0";

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  jobId: "cjld2cjxh0000qzrmn831i7rn",
  attempt: 1,
  teamId: "team_1",
  backend: "AXOLOTL",
  image: IMAGE,
  command: ["axolotl", "train", "/job/config.yml"],
  env: { HF_HOME: "/job/.hf", HF_TOKEN: "hf_secret value; $(rm -rf /)" },
  jobDir: "/srv/retune/artifacts/training/cjld2cjxh0000qzrmn831i7rn",
  gpu: { type: "A100-80GB", count: 2 },
  timeoutSeconds: 3600,
  ...over,
});

const refOf = (s: LaunchSpec, externalId: string | null): RunRef => ({
  jobId: s.jobId,
  attempt: s.attempt,
  jobDir: s.jobDir,
  externalId,
});

let engine: FakeDockerEngine;
let docker: Docker;

beforeEach(async () => {
  engine = await startFakeDockerEngine({ images: [IMAGE] });
  // A pinned API version, as production should use: the fake must accept the /v1.xx prefix.
  docker = new Docker({ socketPath: engine.socketPath, version: "v1.45" });
});

afterEach(async () => {
  await engine.close();
});

const creates = () => engine.requests.filter((r) => r.path === "/containers/create");

describe("docker executor: start", () => {
  it("creates the container the Engine API way and starts it", async () => {
    const executor = createDockerExecutor({ docker, shmSizeBytes: 8 * 1024 ** 3 });
    const s = spec();
    const { externalId } = await executor.start(s);

    expect(creates()).toHaveLength(1);
    const create = creates()[0]!;
    expect(create.version).toBe("v1.45");
    // Only the name travels in the URL: the Env (with its token) must not end up in daemon logs.
    expect(create.query).toEqual({ name: "retune-cjld2cjxh0000qzrmn831i7rn-1" });
    expect(create.body).toEqual({
      Image: IMAGE,
      Cmd: ["axolotl", "train", "/job/config.yml"],
      Env: ["HF_HOME=/job/.hf", "HF_TOKEN=hf_secret value; $(rm -rf /)", "AXOLOTL_DO_NOT_TRACK=1"],
      Labels: {
        "retune.job-id": s.jobId,
        "retune.attempt": "1",
        "retune.team-id": "team_1",
        "retune.backend": "AXOLOTL",
      },
      WorkingDir: "/job",
      Tty: false,
      OpenStdin: false,
      HostConfig: {
        Binds: [`${s.jobDir}:/job`],
        DeviceRequests: [{ Driver: "nvidia", Count: 2, Capabilities: [["gpu"]] }],
        ShmSize: 8589934592,
        IpcMode: "private",
        Ulimits: [
          { Name: "memlock", Soft: -1, Hard: -1 },
          { Name: "stack", Soft: 67108864, Hard: 67108864 },
        ],
        AutoRemove: false,
        RestartPolicy: { Name: "no" },
      },
    });

    const started = engine.requests.filter((r) => r.path.endsWith("/start"));
    expect(started.map((r) => r.path)).toEqual([`/containers/${externalId}/start`]);
    expect(engine.find(externalId)?.State.Status).toBe("running");
  });

  it("CPU runs get no device request and no memlock ulimit, non-Axolotl runs no telemetry switch, 16 GiB shm by default", async () => {
    const executor = createDockerExecutor({ docker });
    await executor.start(
      spec({ gpu: null, backend: "PEFT", env: { A: "1" }, command: ["python", "sft.py"] }),
    );
    const body = creates()[0]!.body as { Env: string[]; HostConfig: Record<string, unknown> };
    expect(body.Env).toEqual(["A=1"]);
    expect(body.HostConfig.DeviceRequests).toBeUndefined();
    expect(body.HostConfig.ShmSize).toBe(16 * 1024 ** 3);
    // Unlimited locked memory is for GPU runs; an engine that may not grant it refuses the run.
    expect(body.HostConfig.Ulimits).toEqual([{ Name: "stack", Soft: 67108864, Hard: 67108864 }]);
  });

  it("mounts a named volume subpath when the worker runs in a container", async () => {
    const executor = createDockerExecutor({
      docker,
      jobMount: { kind: "volume", name: "retune-artifacts", subPathRoot: "training" },
    });
    const s = spec();
    await executor.start(s);
    const host = (creates()[0]!.body as { HostConfig: Record<string, unknown> }).HostConfig;
    expect(host.Binds).toBeUndefined();
    expect(host.Mounts).toEqual([
      {
        Type: "volume",
        Source: "retune-artifacts",
        Target: "/job",
        VolumeOptions: { Subpath: `training/${s.jobId}` },
      },
    ]);
  });

  it("a second start finds the first container by its labels and creates nothing", async () => {
    const executor = createDockerExecutor({ docker });
    const first = await executor.start(spec());
    const again = await createDockerExecutor({ docker }).start(spec());
    expect(again.externalId).toBe(first.externalId);
    expect(creates()).toHaveLength(1);

    const list = engine.requests.filter((r) => r.path === "/containers/json");
    expect(list).toHaveLength(2);
    expect(list[0]!.query.all).toBe("true");
    expect(JSON.parse(list[0]!.query.filters!)).toEqual({
      label: ["retune.job-id=cjld2cjxh0000qzrmn831i7rn", "retune.attempt=1"],
    });
    // Another attempt of the same job is a different run.
    const second = await executor.start(spec({ attempt: 2 }));
    expect(second.externalId).not.toBe(first.externalId);
    expect(creates()).toHaveLength(2);
  });

  it("never restarts a finished run found again", async () => {
    const executor = createDockerExecutor({ docker });
    const { externalId } = await executor.start(spec());
    engine.exit(externalId, 0);
    await executor.start(spec());
    expect(engine.requests.filter((r) => r.path.endsWith("/start"))).toHaveLength(1);
    expect(engine.find(externalId)?.State.Status).toBe("exited");
  });

  it("starts a container its creator left unstarted", async () => {
    const s = spec();
    const orphan = engine.addContainer(dockerContainerName(s.jobId, 1), {
      Image: IMAGE,
      Labels: { "retune.job-id": s.jobId, "retune.attempt": "1" },
    });
    const { externalId } = await createDockerExecutor({ docker }).start(s);
    expect(externalId).toBe(orphan.Id);
    expect(creates()).toHaveLength(0);
    expect(orphan.State.Status).toBe("running");
  });

  it("a 409 name conflict (another worker raced us) returns that worker's container", async () => {
    const s = spec();
    let rival: string | null = null;
    engine.beforeCreate = (name) => {
      // The rival's create lands between our label lookup and our create.
      const c = engine.addContainer(name!, {
        Image: IMAGE,
        Labels: { "retune.job-id": s.jobId, "retune.attempt": "1" },
      });
      c.State.Status = "running";
      rival = c.Id;
      engine.beforeCreate = null;
    };
    const { externalId } = await createDockerExecutor({ docker }).start(s);
    expect(externalId).toBe(rival);
    expect(engine.containers.size).toBe(1);
    expect(engine.requests.filter((r) => r.path.endsWith("/start"))).toHaveLength(0);
  });

  it("pulls a missing image, then creates", async () => {
    engine.images.clear();
    const { externalId } = await createDockerExecutor({ docker }).start(spec());
    const pulls = engine.requests.filter((r) => r.path === "/images/create");
    expect(pulls.map((r) => r.query)).toEqual([
      { fromImage: "axolotlai/axolotl", tag: "0.18.0-py3.12-cu130-2.12.0" },
    ]);
    expect(creates()).toHaveLength(2);
    expect(engine.find(externalId)?.State.Status).toBe("running");
  });

  it("reports a failed pull from the progress stream, and refuses to pull when told not to", async () => {
    engine.images.clear();
    engine.failPull(IMAGE, "manifest unknown");
    await expect(createDockerExecutor({ docker }).start(spec())).rejects.toThrow(
      /pulling .*axolotl.* failed: manifest unknown/,
    );
    await expect(createDockerExecutor({ docker, pullImages: false }).start(spec())).rejects.toThrow(
      /not on the Docker host and pulling is off/,
    );
    expect(engine.containers.size).toBe(0);
  });
});

describe("docker executor: status", () => {
  it("maps every container state", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    const { externalId } = await executor.start(s);
    const ref = refOf(s, externalId);
    const c = engine.find(externalId)!;

    c.State.Status = "created";
    expect(await executor.status(ref)).toEqual({ phase: "PENDING" });
    c.State.Status = "running";
    expect(await executor.status(ref)).toEqual({ phase: "RUNNING" });
    engine.exit(externalId, 0);
    expect(await executor.status(ref)).toEqual({ phase: "SUCCEEDED", exitCode: 0 });
    engine.exit(externalId, 1);
    expect(await executor.status(ref)).toEqual({
      phase: "FAILED",
      exitCode: 1,
      message: "trainer exited with code 1",
    });
    engine.exit(externalId, 137, { oomKilled: true });
    const oom = await executor.status(ref);
    expect(oom).toMatchObject({ phase: "FAILED", exitCode: 137 });
    expect(oom.message).toMatch(/OOMKilled/);

    engine.containers.delete(externalId);
    expect((await executor.status(ref)).phase).toBe("LOST");
  });

  it("a start that failed (no nvidia runtime) is FAILED, not pending forever", async () => {
    engine.failNextStart('could not select device driver "nvidia" with capabilities: [[gpu]]');
    const executor = createDockerExecutor({ docker });
    const s = spec();
    await expect(executor.start(s)).rejects.toThrow(/could not select device driver/);
    const state = await executor.status(refOf(s, null));
    expect(state.phase).toBe("FAILED");
    expect(state.message).toMatch(/failed to start: could not select device driver "nvidia"/);
  });

  it("finds the container by labels when the external id was never recorded", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    await executor.start(s);
    expect(await executor.status(refOf(s, null))).toEqual({ phase: "RUNNING" });
    expect((await executor.status(refOf(spec({ attempt: 9 }), null))).phase).toBe("LOST");
  });
});

describe("docker executor: logs", () => {
  it("demultiplexes stdout and stderr in order and returns complete lines from an offset", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    const { externalId } = await executor.start(s);
    const ref = refOf(s, externalId);

    expect(await executor.readLogs(ref, 0)).toEqual({ text: "", nextOffset: 0 });

    engine.write(externalId, "stdout", "{'loss': '1.5', 'epoch': '0.1'}\n");
    engine.write(externalId, "stderr", "  3%|▎ | 3/100\n{'lo"); // multi-byte UTF-8, a partial line
    const first = await executor.readLogs(ref, 0);
    expect(first.text).toBe("{'loss': '1.5', 'epoch': '0.1'}\n  3%|▎ | 3/100\n");
    expect(first.nextOffset).toBe(Buffer.byteLength(first.text));

    // The line's rest arrives in another frame (even on the other stream): it joins up.
    engine.write(externalId, "stdout", "ss': '1.2'}\nnext");
    const second = await executor.readLogs(ref, first.nextOffset);
    expect(second.text).toBe("{'loss': '1.2'}\n");
    expect(second.nextOffset).toBe(first.nextOffset + Buffer.byteLength("{'loss': '1.2'}\n"));

    // Nothing new: same offset back.
    expect(await executor.readLogs(ref, second.nextOffset)).toEqual({
      text: "",
      nextOffset: second.nextOffset,
    });

    const logReqs = engine.requests.filter((r) => r.path.endsWith("/logs"));
    expect(logReqs[0]!.query).toMatchObject({ stdout: "true", stderr: "true", follow: "false" });
  });

  it("a gone container has no more logs", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    expect(await executor.readLogs(refOf(s, "deadbeef".repeat(8)), 42)).toEqual({
      text: "",
      nextOffset: 42,
    });
    expect(await executor.readLogs(refOf(s, null), 0)).toEqual({ text: "", nextOffset: 0 });
  });
});

describe("docker executor: cancel", () => {
  it("kills then force-removes, and is a no-op the second time", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    const { externalId } = await executor.start(s);
    const ref = refOf(s, externalId);

    await executor.cancel(ref);
    const calls = engine.requests
      .filter((r) => r.method !== "GET" && r.path !== "/containers/create")
      .map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)}`);
    expect(calls.slice(-2)).toEqual([
      `POST /containers/${externalId}/kill {}`,
      `DELETE /containers/${externalId} {"force":"true"}`,
    ]);
    expect(engine.containers.size).toBe(0);
    expect((await executor.status(ref)).phase).toBe("LOST");

    await expect(executor.cancel(ref)).resolves.toBeUndefined();
    await expect(executor.cancel(refOf(s, null))).resolves.toBeUndefined();
  });

  it("removes a finished container (kill answers 409 not running)", async () => {
    const executor = createDockerExecutor({ docker });
    const s = spec();
    const { externalId } = await executor.start(s);
    engine.exit(externalId, 0);
    await executor.cancel(refOf(s, externalId));
    expect(engine.containers.size).toBe(0);
  });
});
