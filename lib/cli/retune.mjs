#!/usr/bin/env node
/**
 * The `retune` command (package.json "bin"). The CLI is TypeScript (lib/cli/main.ts). Loading it
 * through tsx costs ~0.5 s of every start (its loader thread, then a transform per file), so it
 * runs from an esbuild bundle kept in node_modules/.cache/retune-cli, rebuilt (in ~0.2 s) when a
 * file it was built from, tsconfig.json or this launcher changed since. Where that cache cannot
 * be written or esbuild is missing, tsx loads the sources instead: slower to start, same CLI.
 */
import { readdir, mkdir, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cacheDir = path.join(root, "node_modules", ".cache", "retune-cli");
const metaFile = path.join(cacheDir, "meta.json");
const self = path.relative(root, fileURLToPath(import.meta.url));

const mtimes = (files) =>
  Promise.all(
    files.map((f) =>
      stat(path.join(root, f)).then(
        (s) => s.mtimeMs,
        () => -1,
      ),
    ),
  );

/** The cached bundle's entry, when every file it was built from is unchanged; else null. */
async function cachedBundle() {
  try {
    const meta = JSON.parse(await readFile(metaFile, "utf8"));
    const files = Object.keys(meta.inputs);
    const now = await mtimes(files);
    return files.every((f, i) => meta.inputs[f] === now[i]) ? path.join(cacheDir, meta.main) : null;
  } catch {
    return null;
  }
}

async function buildBundle() {
  const { build } = await import("esbuild");
  const started = Date.now();
  await mkdir(cacheDir, { recursive: true });
  const result = await build({
    entryPoints: { main: path.join(root, "lib", "cli", "main.ts") },
    absWorkingDir: root,
    bundle: true,
    // Dynamic imports (zod schemas, yaml) stay separate chunks, loaded only by the commands that use them.
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    alias: { "@": root },
    outdir: cacheDir,
    // Content-hashed names: a rebuild never overwrites a chunk another running CLI may still load.
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  // Each file lands whole (written aside, then renamed), so a CLI starting meanwhile from an
  // identical earlier build never reads a half-written chunk.
  for (const out of result.outputFiles) {
    const tmp = `${out.path}.${process.pid}.tmp`;
    await writeFile(tmp, out.contents);
    await rename(tmp, out.path);
  }
  const files = [...Object.keys(result.metafile.inputs), "tsconfig.json", self];
  const now = await mtimes(files);
  const main = Object.keys(result.metafile.outputs).find(
    (o) => result.metafile.outputs[o].entryPoint,
  );
  const entry = path.join(root, main);
  // A source edited while building may not be in this bundle: use it, but do not cache it.
  if (now.every((m) => m < started)) {
    const meta = {
      main: path.relative(cacheDir, entry),
      inputs: Object.fromEntries(files.map((f, i) => [f, now[i]])),
    };
    const tmp = `${metaFile}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(meta));
    await rename(tmp, metaFile);
    await pruneOld(new Set(Object.keys(result.metafile.outputs).map((o) => path.join(root, o))));
  }
  return entry;
}

/** Bundles of earlier sources, once no CLI started from them can still be running a command. */
async function pruneOld(keep) {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of await readdir(cacheDir)) {
    const file = path.join(cacheDir, name);
    if (!name.endsWith(".js") || keep.has(file)) continue;
    const { mtimeMs } = await stat(file).catch(() => ({ mtimeMs: Date.now() }));
    if (mtimeMs < dayAgo) await unlink(file).catch(() => {});
  }
}

async function loadMain() {
  const bundle = (await cachedBundle()) ?? (await buildBundle().catch(() => null));
  if (bundle) return import(pathToFileURL(bundle).href);
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: path.join(root, "tsconfig.json") });
  return import("./main.ts");
}

const { main } = await loadMain();
process.exitCode = await main(process.argv);
