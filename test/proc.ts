/**
 * What Linux's /proc says of a process, for tests that check how a trainer was started: its
 * niceness, its scheduling policy and its environment.
 */
import { readFile } from "node:fs/promises";

/** The fields of /proc/<pid>/stat after the command name (field 3 is index 0). */
async function statFields(pid: number): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Field 19: the niceness the process runs at. */
export async function niceOf(pid: number): Promise<number> {
  return Number((await statFields(pid))[16]);
}

/** Field 41: the scheduling policy (0 SCHED_OTHER, 5 SCHED_IDLE). */
export async function policyOf(pid: number): Promise<number> {
  return Number((await statFields(pid))[38]);
}

export async function environOf(pid: number): Promise<Record<string, string>> {
  const text = await readFile(`/proc/${pid}/environ`, "utf8");
  return Object.fromEntries(
    text
      .split("\0")
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
  );
}
