import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chrtPath } from "@/lib/server/training/trainer-process";
import { createLocalExecutor } from "./local";
import type { LaunchSpec, RunRef } from "./types";
import { environOf, niceOf, policyOf } from "@/test/proc";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function launch(command: string[]): LaunchSpec & { ref: RunRef } {
  const jobDir = mkdtempSync(path.join(tmpdir(), "retune-local-"));
  dirs.push(jobDir);
  const spec: LaunchSpec = {
    jobId: "job-1",
    attempt: 1,
    teamId: "t",
    backend: "PEFT",
    image: "unused",
    command,
    env: { GREETING: "hello" },
    jobDir,
    gpu: null,
    timeoutSeconds: 60,
  };
  return { ...spec, ref: { jobId: "job-1", attempt: 1, jobDir, externalId: null } };
}

const until = async (what: string, check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out: ${what}`);
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function readPidFile(file: string): Promise<number> {
  let text = "";
  await until(file, async () => {
    text = await readFile(file, "utf8").catch(() => "");
    return text.endsWith("\n");
  });
  return Number(text.trim());
}

describe("LOCAL executor", () => {
  const ex = createLocalExecutor();

  it("runs argv without a shell parsing it, and records output and exit status in the run folder", async () => {
    const hostile = "$(touch pwned); `id`; echo nope";
    const s = launch([
      "/bin/sh",
      "-c",
      'echo "arg=$1 env=$GREETING"; echo line2; exit 3',
      "sh",
      hostile,
    ]);
    await ex.start(s);
    await until("exit", async () => (await ex.status(s.ref)).phase === "FAILED");
    const state = await ex.status(s.ref);
    expect(state.exitCode).toBe(3);
    expect(state.message).toMatch(/status 3/);
    const logs = await ex.readLogs(s.ref, 0);
    expect(logs.text).toBe(`arg=${hostile} env=hello\nline2\n`);
    expect(logs.nextOffset).toBe(Buffer.byteLength(logs.text));
    expect((await ex.readLogs(s.ref, logs.nextOffset)).text).toBe("");
    expect(() => readFileSync(path.join(s.jobDir, "pwned"))).toThrow();
  });

  it("returns only complete lines and resumes from an offset", async () => {
    const s = launch(["/bin/sh", "-c", "printf 'one\\ntw'; sleep 0.3; printf 'o\\nthree\\n'"]);
    await ex.start(s);
    await until("first line", async () => (await ex.readLogs(s.ref, 0)).text === "one\n");
    const first = await ex.readLogs(s.ref, 0);
    await until("done", async () => (await ex.status(s.ref)).phase === "SUCCEEDED");
    expect((await ex.readLogs(s.ref, first.nextOffset)).text).toBe("two\nthree\n");
  });

  it("starts once per attempt: a second start finds the first run", async () => {
    const s = launch(["/bin/sh", "-c", "echo started >> count.txt; sleep 0.5"]);
    const [a, b] = await Promise.all([ex.start(s), ex.start(s)]);
    expect(a.externalId).toBe(b.externalId);
    await until("done", async () => (await ex.status(s.ref)).phase === "SUCCEEDED");
    expect(readFileSync(path.join(s.jobDir, "count.txt"), "utf8")).toBe("started\n");
  });

  it("cancel stops the whole process group, children included", async () => {
    const s = launch(["/bin/sh", "-c", "sleep 30 & echo $! > child.pid; wait"]);
    const { externalId } = await ex.start(s);
    await until("child", async () => {
      try {
        return readFileSync(path.join(s.jobDir, "child.pid"), "utf8").trim().length > 0;
      } catch {
        return false;
      }
    });
    const child = Number(readFileSync(path.join(s.jobDir, "child.pid"), "utf8"));
    expect((await ex.status(s.ref)).phase).toBe("RUNNING");
    await ex.cancel(s.ref);
    expect(alive(Number(externalId))).toBe(false);
    await until("child gone", async () => !alive(child), 3_000);
    await ex.cancel(s.ref); // idempotent
  });

  it("runs the trainer niced and thread-capped, the wrapper and what it starts alike", async () => {
    const capped = createLocalExecutor({ threads: 2, nice: 7, idle: false });
    const s = launch(["/bin/sh", "-c", "echo $$ > trainer.pid; exec sleep 30"]);
    s.env = { OMP_NUM_THREADS: "16" }; // more than the cap: the cap wins
    const { externalId } = await capped.start(s);
    const trainerPid = await readPidFile(path.join(s.jobDir, "trainer.pid"));
    for (const pid of [Number(externalId), trainerPid]) {
      expect(await niceOf(pid)).toBe(Math.max(7, os.getPriority()));
      expect(await policyOf(pid)).toBe(0); // idle: false: niceness only
      expect(await environOf(pid)).toMatchObject({
        OMP_NUM_THREADS: "2",
        MKL_NUM_THREADS: "2",
        OPENBLAS_NUM_THREADS: "2",
      });
    }
    await capped.cancel(s.ref);
  });

  it("by default runs at TRAINER_NICE (10) under SCHED_IDLE, keeping a lower thread count the plan asks for", async () => {
    const s = launch(["/bin/sh", "-c", "echo $$ > trainer.pid; exec sleep 30"]);
    s.env = { OMP_NUM_THREADS: "1" };
    await ex.start(s);
    const trainerPid = await readPidFile(path.join(s.jobDir, "trainer.pid"));
    expect(await niceOf(trainerPid)).toBe(Math.max(10, os.getPriority()));
    // TRAINER_SCHED=idle where chrt exists (Linux hosts; the test machines have util-linux).
    expect(await policyOf(trainerPid)).toBe(chrtPath() ? 5 : 0);
    expect(await environOf(trainerPid)).toMatchObject({
      OMP_NUM_THREADS: "1",
      MKL_NUM_THREADS: "1",
    });
    await ex.cancel(s.ref);
  });

  it("a run whose wrapper was killed is LOST, not RUNNING forever", async () => {
    const s = launch(["/bin/sleep", "30"]);
    const { externalId } = await ex.start(s);
    process.kill(-Number(externalId), "SIGKILL");
    await until("lost", async () => (await ex.status(s.ref)).phase === "LOST");
    expect((await ex.status(s.ref)).message).toMatch(/without an exit status/);
  });
});
