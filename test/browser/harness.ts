// Browser tests: a Vite dev server started in-process on a free port, driven through Debian's
// Chromium with playwright-core (no browser download). Without /usr/bin/chromium the tests skip
// locally and fail under CI=true.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { build, createServer, type ViteDevServer } from "vite";
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
  /** Serve `bytes` at base + path (e.g. "/test-media/disk.img") for the page and its workers. */
  serve(path: string, bytes: Uint8Array | string, type?: string, slow?: boolean): void;
  /** Serve the files under `dir` at base + prefix (e.g. "/prod/"). */
  serveDir(prefix: string, dir: string): void;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const media = new Map<string, { bytes: Uint8Array | string; type: string; slow: boolean }>();
  const dirs = new Map<string, string>();
  const TYPES: Record<string, string> = { html: "text/html", js: "text/javascript", css: "text/css", wasm: "application/wasm", json: "application/json" };
  const server = await createServer({
    plugins: [{
      name: "lab86-test-media",
      configureServer(s) {
        s.middlewares.use((req, res, next) => {
          const url = (req.url ?? "").split("?")[0];
          for (const [prefix, dir] of dirs) {
            if (!url.startsWith(prefix)) continue;
            const file = join(dir, url.slice(prefix.length) || "index.html");
            if (!file.startsWith(dir) || !existsSync(file)) break;
            res.setHeader("content-type", TYPES[file.slice(file.lastIndexOf(".") + 1)] ?? "application/octet-stream");
            res.end(readFileSync(file));
            return;
          }
          const m = media.get(url);
          if (!m) return next();
          res.setHeader("content-type", m.type);
          res.setHeader("content-length", String(typeof m.bytes === "string" ? Buffer.byteLength(m.bytes) : m.bytes.length));
          if (!m.slow || typeof m.bytes === "string") return void res.end(m.bytes);
          // A slow link: 64 KiB every 40 ms, so that a download is seen in progress.
          const bytes = m.bytes;
          let at = 0;
          const more = () => {
            if (res.destroyed) return;
            const chunk = bytes.subarray(at, at + 65536);
            at += chunk.length;
            if (at >= bytes.length) res.end(chunk);
            else {
              res.write(chunk);
              setTimeout(more, 40);
            }
          };
          more();
        });
      },
    }],
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
    serve(path, bytes, type = "application/octet-stream", slow = false) {
      media.set(path, { bytes, type, slow });
    },
    serveDir(prefix, dir) {
      dirs.set(prefix, dir);
    },
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
export async function waitInPage<T, A = undefined>(page: Page, what: string, seconds: number, fn: (arg: A) => T | Promise<T>, arg?: A): Promise<NonNullable<T>> {
  const end = Date.now() + seconds * 1000;
  let last: unknown;
  for (;;) {
    try {
      // playwright's overloads cannot infer an optional argument; the page sees `arg` as given.
      last = await (page.evaluate as (f: unknown, a: unknown) => Promise<unknown>)(fn, arg);
      if (last) return last as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out after ${seconds} s waiting for ${what} (last: ${String(last).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Assemble a test program with nasm (flat binary). */
export function nasm(source: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab86-nasm-"));
  try {
    execFileSync("nasm", ["-f", "bin", "-i", `${dirname(source)}/`, "-o", join(dir, "out.bin"), source]);
    return new Uint8Array(readFileSync(join(dir, "out.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A hard disk image of `sectors` sectors whose first sector is `boot`. */
export function diskImage(boot: Uint8Array, sectors = 2048): Uint8Array {
  const img = new Uint8Array(sectors * 512);
  img.set(boot, 0);
  return img;
}

export const HERE = import.meta.dirname;

/** `npm run build:lib` into a temporary directory: the one-file <vm-frame> module's text. */
export async function buildLibrary(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "lab86-lib-"));
  try {
    await build({ root: ROOT, configFile: resolve(ROOT, "vite.config.ts"), mode: "lib", logLevel: "warn", build: { outDir: dir } });
    return readFileSync(join(dir, "vm-frame.js"), "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `npm run build` (the app) into a temporary directory, for pages served under `base`. */
export async function buildApp(base: string): Promise<{ dir: string; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "lab86-app-"));
  await build({ root: ROOT, configFile: resolve(ROOT, "vite.config.ts"), base, logLevel: "warn", build: { outDir: dir } });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An El Torito CD image (no emulation, 4 sectors loaded at 0x7C00) booting `boot`; needs xorriso. */
export function cdImage(boot: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab86-cd-"));
  try {
    mkdirSync(join(dir, "tree"));
    const sector = new Uint8Array(2048);
    sector.set(boot);
    writeFileSync(join(dir, "tree", "boot.bin"), sector);
    execFileSync("xorriso", ["-as", "mkisofs", "-quiet", "-o", join(dir, "cd.iso"), "-b", "boot.bin",
      "-no-emul-boot", "-boot-load-size", "4", join(dir, "tree")], { stdio: "ignore" });
    return new Uint8Array(readFileSync(join(dir, "cd.iso")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
