import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  configPath,
  DEFAULT_URL,
  normalizeUrl,
  readConfig,
  resolveSettings,
  writeConfig,
} from "./config";

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe("config file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "retune-cli-config-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("is $RETUNE_CONFIG, else under $XDG_CONFIG_HOME, else ~/.config", () => {
    expect(configPath({ RETUNE_CONFIG: "/x/c.json" })).toBe("/x/c.json");
    expect(configPath({ XDG_CONFIG_HOME: "/xdg" })).toBe("/xdg/retune/config.json");
    expect(configPath({})).toMatch(/\.config\/retune\/config\.json$/);
  });

  it("is written readable by its owner only, in a folder only its owner may enter", async () => {
    const file = path.join(dir, "xdg", "retune", "config.json");
    await writeConfig(file, { url: "http://a", apiKey: "rt_secret" }, {});
    expect(await mode(file)).toBe(0o600);
    expect(await mode(path.dirname(file))).toBe(0o700);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({
      url: "http://a",
      apiKey: "rt_secret",
    });
    expect((await readConfig(file)).looseMode).toBeNull();
  });

  it("tightens a file that others could read, and the default folder", async () => {
    const folder = path.join(dir, "retune");
    const file = path.join(folder, "config.json");
    await mkdir(folder, { mode: 0o755 });
    await writeFile(file, JSON.stringify({ url: "http://a", apiKey: "old" }), { mode: 0o644 });
    await chmod(file, 0o644);
    expect((await readConfig(file)).looseMode).toBe("644");
    await writeConfig(file, { url: "http://a", apiKey: "new" }, {});
    expect(await mode(file)).toBe(0o600);
    expect(await mode(folder)).toBe(0o700);
    expect((await readConfig(file)).config?.apiKey).toBe("new");
  });

  it("leaves an existing folder of $RETUNE_CONFIG as it is, and makes a missing one 0700", async () => {
    const shared = path.join(dir, "shared");
    await mkdir(shared, { mode: 0o755 });
    await chmod(shared, 0o755);
    await writeConfig(
      path.join(shared, "c.json"),
      { url: "http://a", apiKey: "k" },
      { RETUNE_CONFIG: "set" },
    );
    expect(await mode(shared)).toBe(0o755);
    expect(await mode(path.join(shared, "c.json"))).toBe(0o600);
    const fresh = path.join(dir, "new", "c.json");
    await writeConfig(fresh, { url: "http://a", apiKey: "k" }, { RETUNE_CONFIG: "set" });
    expect(await mode(path.dirname(fresh))).toBe(0o700);
  });

  it("reads a missing file as no config, and refuses a broken one with its name", async () => {
    expect((await readConfig(path.join(dir, "none.json"))).config).toBeNull();
    const bad = path.join(dir, "bad.json");
    await writeFile(bad, "{ nope");
    await expect(readConfig(bad)).rejects.toThrow(/bad\.json is not JSON/);
    await writeFile(bad, JSON.stringify({ url: "http://a" }));
    await expect(readConfig(bad)).rejects.toThrow(/no url and apiKey/);
  });
});

describe("normalizeUrl", () => {
  it("names the server whatever form the URL takes", () => {
    expect(normalizeUrl("http://localhost:3000/")).toBe("http://localhost:3000");
    expect(normalizeUrl("https://retune.example.com/api/v1/")).toBe("https://retune.example.com");
    expect(normalizeUrl("https://example.com/retune")).toBe("https://example.com/retune");
  });

  it("refuses what is not an http(s) URL as a usage error", () => {
    expect(() => normalizeUrl("localhost:3000")).toThrow(/not an http\(s\) URL/);
    expect(() => normalizeUrl("not a url")).toThrow(/not a URL/);
    try {
      normalizeUrl("nope");
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe("resolveSettings", () => {
  const saved = { url: "http://saved:3000", apiKey: "rt_saved" };
  const base = { savedPath: "/c.json" };

  it("uses the saved server and key by default", () => {
    expect(resolveSettings({ ...base, env: {}, saved })).toEqual({
      url: "http://saved:3000",
      apiKey: "rt_saved",
      keySource: "/c.json",
    });
  });

  it("lets RETUNE_URL and RETUNE_API_KEY override the file, and --url override both", () => {
    const env = { RETUNE_URL: "http://env:1/", RETUNE_API_KEY: "rt_env" };
    expect(resolveSettings({ ...base, env, saved })).toMatchObject({
      url: "http://env:1",
      apiKey: "rt_env",
      keySource: "RETUNE_API_KEY",
    });
    expect(resolveSettings({ ...base, env, saved, flagUrl: "http://flag:2" }).url).toBe(
      "http://flag:2",
    );
  });

  it("never sends the saved key to another server", () => {
    const s = resolveSettings({ ...base, env: { RETUNE_URL: "https://elsewhere.example" }, saved });
    expect(s).toEqual({ url: "https://elsewhere.example", apiKey: null, keySource: null });
    // The same server spelled differently is the same server.
    expect(
      resolveSettings({ ...base, env: { RETUNE_URL: "http://saved:3000/api/v1" }, saved }).apiKey,
    ).toBe("rt_saved");
  });

  it("falls back to the demo's address with no config at all", () => {
    expect(resolveSettings({ ...base, env: {}, saved: null })).toEqual({
      url: DEFAULT_URL,
      apiKey: null,
      keySource: null,
    });
  });
});
