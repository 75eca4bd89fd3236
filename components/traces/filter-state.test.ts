import { describe, expect, it } from "vitest";
import {
  apiFilters,
  localDayStart,
  patchedSearch,
  readUrlFilters,
  urlSearch,
} from "./filter-state";

describe("trace filter state", () => {
  it("keeps only values the API accepts", () => {
    const f = readUrlFilters(
      new URLSearchParams(
        "model=m1&outcome=meh&correctedBy=none&tool=+refund+&from=2026-1-1&to=2026-03-02",
      ),
    );
    expect(f).toEqual({
      model: "m1",
      outcome: undefined,
      correctedBy: "none",
      tool: "refund",
      from: undefined,
      to: "2026-03-02",
    });
    expect(urlSearch(f)).toBe("?model=m1&correctedBy=none&tool=refund&to=2026-03-02");
    expect(urlSearch({})).toBe("");
  });

  it("keeps the search, trimmed, in the URL and hands it to the API", () => {
    const f = readUrlFilters(new URLSearchParams("q=+Refund+&outcome=failure"));
    expect(f.q).toBe("Refund");
    expect(urlSearch(f)).toBe("?q=Refund&outcome=failure");
    expect(apiFilters(f).q).toBe("Refund");
    expect(readUrlFilters(new URLSearchParams("q=+++")).q).toBeUndefined();
    expect(patchedSearch("?q=refund&tool=x", { q: undefined })).toBe("?tool=x");
  });

  it("turns calendar days into local instants, `to` inclusive", () => {
    const from = localDayStart("2026-03-01")!;
    expect(new Date(from).getHours()).toBe(0);
    expect(new Date(from).getDate()).toBe(1);
    const api = apiFilters({ from: "2026-03-01", to: "2026-03-31" });
    expect(new Date(api.to!).getMonth()).toBe(3);
    expect(new Date(api.to!).getDate()).toBe(1);
    expect(localDayStart("nope")).toBeUndefined();
  });

  it("patches a query string into a normalized one", () => {
    const a = patchedSearch("?outcome=failure&tool=x", { correctedBy: "none" });
    expect(a).toBe("?outcome=failure&correctedBy=none&tool=x");
    expect(patchedSearch(a, { tool: undefined, outcome: undefined })).toBe("?correctedBy=none");
    expect(patchedSearch("", { tool: "  spaced  " })).toBe("?tool=spaced");
  });
});
