import { expect, type Page, type Request } from "@playwright/test";

/**
 * Watches a page for what a normal visit must not produce (issue 18): a console error, an
 * uncaught exception, a failed request, a same-origin answer of 400 or more. Shared by the page
 * sweep and the specs that hold a page to the same bar, so the rule for what counts as a failed
 * request is written once.
 */
export class Watcher {
  readonly problems: string[] = [];
  readonly reached = new Set<string>();
  private readonly inFlight = new Set<Request>();
  /** Requests of a document the page navigated away from: the navigation cancels them. */
  private readonly leftBehind = new WeakSet<Request>();
  private leaving = false;

  constructor(
    readonly page: Page,
    origin: string,
  ) {
    const here = () => {
      const u = new URL(page.url());
      return u.pathname + u.search;
    };
    const report = (what: string) => this.problems.push(`${here()}: ${what}`);
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const at = msg.location().url;
      report(`console error: ${msg.text()}${at ? ` (${at})` : ""}`);
    });
    page.on("pageerror", (e) => report(`uncaught: ${e.message}`));
    page.on("request", (req) => {
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        // The page is leaving its document: what it still has in flight will be cancelled,
        // and so will what it starts before the next document commits (a poll's timer).
        for (const r of this.inFlight) this.leftBehind.add(r);
        this.leaving = true;
      } else if (this.leaving) this.leftBehind.add(req);
      // A page has loaded without its links' prefetches: a full page load per visit fetches
      // again what a person's client-side navigation would have cached.
      if (req.headers()["next-router-prefetch"] !== "1") this.inFlight.add(req);
    });
    page.on("requestfinished", (req) => this.inFlight.delete(req));
    page.on("requestfailed", (req) => {
      this.inFlight.delete(req);
      const failure = req.failure()?.errorText ?? "failed";
      // net::ERR_ABORTED is the browser dropping a request nobody waits for any more, not a
      // failure, in two cases: the page navigated away while it was in flight, or it was one of
      // Next's RSC requests, which its router aborts itself when a newer one supersedes it or a
      // prefetched link leaves the viewport. Any other abort counts.
      const rsc = req.headers()["rsc"] === "1";
      if (failure === "net::ERR_ABORTED" && (rsc || this.leftBehind.has(req))) return;
      report(`request failed: ${req.method()} ${req.url()} ${failure}`);
    });
    page.on("response", (res) => {
      if (res.status() >= 400 && new URL(res.url()).origin === origin)
        report(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
    });
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame()) return;
      this.leaving = false;
      // Redirects and client-side navigations count as reached too.
      this.reached.add(new URL(frame.url()).pathname);
    });
  }

  /**
   * Opens `url` and waits until it has loaded: its main heading drawn, no loading state left
   * (every query answered) and none of its requests still in flight. (Playwright's "networkidle"
   * would add half a second of quiet to every page.)
   */
  async visit(url: string) {
    const { page } = this;
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await expect(page.locator(".loading-state")).toHaveCount(0);
    await expect
      .poll(() => [...this.inFlight].map((r) => r.url()), { intervals: [50] })
      .toEqual([]);
  }

  /** The links of the page's navigation landmarks named `names`, as they are rendered. */
  async navLinks(names: string[]): Promise<string[]> {
    const hrefs: string[] = [];
    for (const name of names) {
      const nav = this.page.getByRole("navigation", { name, exact: true });
      if ((await nav.count()) === 0) continue;
      hrefs.push(
        ...(await nav
          .getByRole("link")
          .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""))),
      );
    }
    return hrefs;
  }
}
