/**
 * LOCAL: the trainer as a detached process group on this host. Everything about the run lives in
 * its attempt folder — `trainer.log` (stdout and stderr), `pid` (the group leader's pid and start
 * time) and `exit` (the exit status, written by the wrapper shell when the trainer ends) — so a
 * worker that restarts re-attaches to the run instead of losing or duplicating it.
 *
 * The wrapper is `sh -c '"$@" >log 2>&1; echo $? >exit'` with the argv passed as positional
 * parameters: nothing from the job spec is ever parsed by a shell. It starts under `nice` with a
 * thread cap (lib/server/training/trainer-process.ts), so the trainer leaves the web and worker
 * processes on this host their CPU.
 */
import { spawn } from "node:child_process";
import { open, readdir, readFile, rename, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import {
  cappedEnv,
  nicedArgv,
  trainerCpuLimits,
  type TrainerCpuLimits,
} from "@/lib/server/training/trainer-process";
import type { Executor, LaunchSpec, LogChunk, RunRef, RunState } from "./types";

const WRAPPER =
  '"$@" >"$RETUNE_LOG" 2>&1; code=$?; echo "$code" >"$RETUNE_EXIT.tmp" && mv "$RETUNE_EXIT.tmp" "$RETUNE_EXIT"';

const dirOf = (ref: { jobDir: string; attempt: number }) =>
  path.join(ref.jobDir, `attempt-${ref.attempt}`);

type PidFile = { pid: number; startTime: string | null };

/**
 * From /proc/<pid>/stat: the state (a zombie has ended, it only waits to be reaped) and field 22,
 * the start time, which tells a reused pid from ours.
 */
async function procStat(pid: number): Promise<{ state: string; startTime: string } | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!stat) return null;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state: fields[0] ?? "", startTime: fields[19] ?? "" };
}

async function startTimeOf(pid: number): Promise<string | null> {
  return (await procStat(pid))?.startTime ?? null;
}

async function readPid(dir: string): Promise<PidFile | null> {
  const text = await readFile(path.join(dir, "pid"), "utf8").catch(() => null);
  if (!text) return null;
  try {
    return JSON.parse(text) as PidFile;
  } catch {
    return null;
  }
}

/** The wrapper shell (the session and group leader) is alive and is ours, not a reused pid. */
async function leaderAlive(p: PidFile): Promise<boolean> {
  try {
    process.kill(p.pid, 0);
  } catch {
    return false;
  }
  const now = await procStat(p.pid);
  if (!now || now.state === "Z") return false;
  return p.startTime === null || now.startTime === p.startTime;
}

/**
 * Live processes of the run's session other than a live leader: the trainer and anything it
 * started. The wrapper is spawned detached (setsid), so its pid is the session id of all of them;
 * while any of them lives the kernel does not hand that id to a new process, so a match is ours.
 */
async function sessionMembers(sid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields: state, ppid, pgrp, session, ...
    if (fields[0] !== "Z" && fields[3] === String(sid)) out.push(Number(entry));
  }
  return out;
}

/**
 * A process of the run may still be alive. The leader alone is not enough: SIGTERM ends the
 * wrapper shell at once while the trainer may take a moment (or a handler) to go, and a retry
 * started in that gap ran two trainers of one job on one output folder (issue 14).
 */
async function alive(p: PidFile): Promise<boolean> {
  if (await leaderAlive(p)) return true;
  return (await sessionMembers(p.pid)).length > 0;
}

async function readExit(dir: string): Promise<number | null> {
  const text = await readFile(path.join(dir, "exit"), "utf8").catch(() => null);
  if (text === null) return null;
  const n = Number.parseInt(text.trim(), 10);
  return Number.isFinite(n) ? n : null;
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

/** The run's process group, and any member of its session that left the group. */
async function killRun(pid: number, signal: NodeJS.Signals) {
  killGroup(pid, signal);
  for (const member of await sessionMembers(pid)) {
    try {
      process.kill(member, signal);
    } catch {
      /* already gone */
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `limits` (default: this host's, from TRAINER_CPU_THREADS, TRAINING_MAX_CONCURRENT_LOCAL and
 * TRAINER_NICE) set the priority and thread cap every run starts with.
 */
export function createLocalExecutor(limits?: TrainerCpuLimits): Executor {
  return {
    kind: "LOCAL",

    async start(spec: LaunchSpec) {
      const dir = dirOf(spec);
      await mkdir(dir, { recursive: true });
      // One start per attempt: the exclusive create of `claim` decides between racing workers.
      const claim = await open(path.join(dir, "claim"), "wx").catch((e: NodeJS.ErrnoException) => {
        if (e.code === "EEXIST") return null;
        throw e;
      });
      if (!claim) {
        // Started before (or being started by a racing worker): wait briefly for its pid.
        for (let i = 0; i < 50; i++) {
          const p = await readPid(dir);
          if (p || (await readExit(dir)) !== null)
            return { externalId: String(p?.pid ?? "exited") };
          await sleep(100);
        }
        return { externalId: "unknown" };
      }
      await claim.close();
      // Niced and thread-capped (lib/server/training/trainer-process.ts): the wrapper, the
      // trainer and everything it starts share the priority; a lower thread count the plan asks
      // for is kept.
      const cpu = limits ?? trainerCpuLimits();
      const [file, ...args] = nicedArgv(
        ["/bin/sh", "-c", WRAPPER, "retune-run", ...spec.command],
        cpu,
      );
      const child = spawn(file!, args, {
        cwd: spec.jobDir,
        detached: true,
        stdio: "ignore",
        env: {
          ...cappedEnv(
            {
              PATH: process.env.PATH ?? "/usr/bin:/bin",
              HOME: process.env.HOME ?? "/tmp",
              LANG: process.env.LANG ?? "C.UTF-8",
              ...passThrough(),
              ...spec.env,
            },
            cpu,
          ),
          RETUNE_LOG: path.join(dir, "trainer.log"),
          RETUNE_EXIT: path.join(dir, "exit"),
        } as unknown as NodeJS.ProcessEnv,
      });
      child.on("error", () => {}); // a missing `nice` or /bin/sh: reported just below
      const pid = child.pid;
      if (pid === undefined)
        throw new Error(`could not start the trainer process (is \`${file}\` on PATH?)`);
      child.unref();
      const record: PidFile = { pid, startTime: await startTimeOf(pid) };
      await writeFile(path.join(dir, "pid.tmp"), JSON.stringify(record));
      await rename(path.join(dir, "pid.tmp"), path.join(dir, "pid"));
      return { externalId: String(pid) };
    },

    async status(ref: RunRef): Promise<RunState> {
      const dir = dirOf(ref);
      const code = await readExit(dir);
      // The wrapper wrote the trainer's status, but something the trainer started may live on:
      // the run ends (and its slot frees) only when the whole session is gone.
      const recorded = code !== null ? await readPid(dir) : null;
      if (recorded && (await alive(recorded))) return { phase: "RUNNING" };
      if (code !== null) {
        if (code === 0) return { phase: "SUCCEEDED", exitCode: 0 };
        const signal =
          code > 128
            ? ` (signal ${code - 128}${code === 137 ? ", SIGKILL: killed or out of memory" : ""})`
            : "";
        return {
          phase: "FAILED",
          exitCode: code,
          message: `the trainer exited with status ${code}${signal}`,
        };
      }
      const p = await readPid(dir);
      if (!p) {
        const claimed = await open(path.join(dir, "claim")).then(
          (f) => f.close().then(() => true),
          () => false,
        );
        return claimed
          ? { phase: "PENDING" }
          : { phase: "LOST", message: "the run was never started on this host" };
      }
      if (await alive(p)) return { phase: "RUNNING" };
      // The exit file may land just after the process ends: look once more.
      const late = await readExit(dir);
      if (late !== null) return this.status(ref);
      return {
        phase: "LOST",
        message: `the trainer process ${p.pid} is gone without an exit status (its wrapper was killed)`,
      };
    },

    async readLogs(ref: RunRef, fromOffset: number): Promise<LogChunk> {
      const file = await open(path.join(dirOf(ref), "trainer.log")).catch(() => null);
      if (!file) return { text: "", nextOffset: fromOffset };
      try {
        const { size } = await file.stat();
        if (size <= fromOffset) return { text: "", nextOffset: fromOffset };
        const buf = Buffer.alloc(Math.min(size - fromOffset, 4 * 1024 * 1024));
        const { bytesRead } = await file.read(buf, 0, buf.length, fromOffset);
        const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
        return { text: buf.subarray(0, end).toString("utf8"), nextOffset: fromOffset + end };
      } finally {
        await file.close();
      }
    },

    async cancel(ref: RunRef) {
      const p = await readPid(dirOf(ref));
      if (!p || !(await alive(p))) return;
      await killRun(p.pid, "SIGTERM");
      for (let i = 0; i < 50 && (await alive(p)); i++) await sleep(100);
      await killRun(p.pid, "SIGKILL");
      for (let i = 0; i < 20 && (await alive(p)); i++) await sleep(50);
    },
  };
}

/**
 * Environment the trainer may need from ours (proxies, caches, the test knob), nothing else.
 * CUDA_VISIBLE_DEVICES narrows the GPUs a LOCAL trainer sees, as it narrows the ones the
 * worker's heartbeat reports (workers/capabilities.ts); empty hides them all.
 */
function passThrough(): Record<string, string> {
  const keys = [
    "CUDA_VISIBLE_DEVICES",
    "HF_HOME",
    "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE",
    "RETUNE_TRAINER_STEP_DELAY_MS",
    "OMP_NUM_THREADS",
    "TMPDIR",
  ];
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = process.env[k];
    if (v || (k === "CUDA_VISIBLE_DEVICES" && v === "")) out[k] = v;
  }
  return out;
}
