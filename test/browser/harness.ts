// Browser tests: a Vite dev server started in-process on a free port, driven through Debian's
// Chromium with playwright-core (no browser download). Without /usr/bin/chromium the tests skip
// locally and fail under CI=true.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { createServer, type ViteDevServer } from "vite";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = resolve(import.meta.dirname, "..", "..");

export function requireChromium(ctx: { skip: (note?: string) => void }): void {
  if (existsSync(CHROMIUM)) return;
  const msg = `${CHROMIUM} is missing: apt-get install chromium`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`skipped: ${msg}`);
  ctx.skip(msg);
}

export interface Harness {
  server: ViteDevServer;
  browser: Browser;
  base: string;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server = await createServer({
    root: ROOT,
    configFile: resolve(ROOT, "vite.config.ts"),
    logLevel: "warn",
    server: { port: 0, host: "127.0.0.1", strictPort: false, hmr: false, watch: null },
    clearScreen: false,
  });
  await server.listen();
  const addr = server.httpServer!.address();
  if (!addr || typeof addr === "string") throw new Error("vite: no port");
  const base = `http://127.0.0.1:${addr.port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const pages: Page[] = [];
  return {
    server, browser, base,
    async newPage() {
      const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
      page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") console.error(`page console: ${m.text()}`);
      });
      pages.push(page);
      return page;
    },
    async close() {
      await browser.close().catch(() => {});
      await server.close();
    },
  };
}

/** Poll `fn` in the page until it returns a truthy value; fails with `what` after `seconds`. */
export async function waitInPage<T>(page: Page, what: string, seconds: number, fn: () => T | Promise<T>): Promise<T> {
  const end = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      last = await page.evaluate(fn);
      if (last) return last as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what} (last: ${String(last).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
