import { describe, expect, it } from "vitest";
import { SEED_PRICES } from "@/lib/domain/economics/prices";
import { blankPriceForm, formToPrice, priceToForm, serverPriceErrors } from "./price-form";

describe("the price entry form", () => {
  it("round-trips every seeded price, asOf and source included", () => {
    for (const p of SEED_PRICES) {
      expect(formToPrice(p.kind, priceToForm(p))).toEqual({ ok: true, entry: p });
    }
  });

  it("shows utilisation in percent and stores a share", () => {
    const serving = SEED_PRICES.find((p) => p.kind === "self_hosted")!;
    const form = { ...priceToForm(serving), utilisation: "62.5" };
    expect(priceToForm(serving).utilisation).toBe("50");
    const parsed = formToPrice("self_hosted", form);
    expect(parsed.ok && parsed.entry.kind === "self_hosted" && parsed.entry.utilisation).toBe(
      0.625,
    );
  });

  it("names each missing or bad field", () => {
    const parsed = formToPrice("frontier", {
      ...blankPriceForm("frontier", "2026-01-01"),
      id: "x/y",
      provider: "X",
      model: "Y",
      inputUsdPerMTok: "-3",
      outputUsdPerMTok: "",
      asOf: "2026-02-31",
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toMatchObject({
      inputUsdPerMTok: expect.stringMatching(/>=0/),
      outputUsdPerMTok: "required",
      asOf: "a date, YYYY-MM-DD",
      source: expect.any(String),
    });
  });

  it("maps the API's 422 issues to the edited entry's fields", () => {
    const issues = [
      { path: "entries.3.asOf", message: "bad day" },
      { path: "entries.1.model", message: "not this one" },
      { path: "entries", message: "the list needs a serving price" },
    ];
    expect(serverPriceErrors(issues, 3)).toEqual({
      asOf: "bad day",
      "": "the list needs a serving price",
    });
  });
});
