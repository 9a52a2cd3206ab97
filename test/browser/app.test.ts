// The browser app and <vm-frame> in Debian's Chromium (playwright-core), against a Vite dev
// server started in-process. Timeouts are upper bounds so that a hang fails, not timing checks.
// Only the first test boots Linux (minutes of wall time on the interpreter); the rest boot
// small nasm-assembled boot sectors served by the harness.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { startHarness, requireChromium, waitInPage, nasm, diskImage, buildLibrary, buildApp, cdImage, HERE, CHROMIUM, type Harness } from "./harness";
import { typeWithKeys } from "./keys";
import { fixturePath } from "../support/fixtures";

const PROMPT = "lab86:/# ";
let h: Harness | null = null;

/** The default lab's fixtures: skip locally without them, fail under CI=true. */
function requireLinuxFixtures(ctx: { skip: (note?: string) => void }): void {
  for (const f of ["vmlinuz-686", "initramfs-busybox.cpio.gz"]) {
    if (!existsSync(fixturePath(f))) {
      const msg = `fixture fixtures/out/${f} is missing: run 'npm run fixtures -- linux'`;
      if (process.env.CI === "true") throw new Error(msg);
      ctx.skip(msg);
    }
  }
}

/** One production build (npm run build: the app, lib/vm-frame.js and lab/) shared by the tests, served at /prod/. */
let site: Promise<{ dir: string; remove: () => void }> | null = null;
function prodSite(h: Harness): Promise<{ dir: string; remove: () => void }> {
  site ??= buildApp("/prod/").then((app) => {
    h.serveDir("/prod/", app.dir);
    return app;
  });
  return site;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) return;
  h = await startHarness();
  h.serve("/test-media/vbe.img", diskImage(nasm(join(HERE, "vbe-fill.asm"))));
  h.serve("/test-media/ticks.img", diskImage(nasm(join(HERE, "ticks.asm"))));
  h.serve("/test-media/triple.img", diskImage(nasm(join(HERE, "triple-fault.asm"))));
  h.serve("/test-media/mouse.img", diskImage(nasm(join(HERE, "mouse.asm"))));
  h.serve("/test-media/echo.img", diskImage(nasm(join(HERE, "echo.asm"))));
  h.serve("/test-media/ticks.iso", cdImage(nasm(join(HERE, "ticks.asm"))));
  h.serve("/test-media/blank.img", diskImage(new Uint8Array(512)));
}, 120_000);

afterAll(async () => {
  await h?.close();
  (await site?.catch(() => null))?.remove();
});

function harness(ctx: { skip: (note?: string) => void }): Harness {
  requireChromium(ctx);
  if (!h) throw new Error("the browser harness did not start");
  return h;
}

/** The text screen's rows, trimmed, from the app's debug API. */
const screenRows = () => window.lab86.textScreen().then((t) => t?.rows.map((r) => r.trimEnd()) ?? []);

describe("the app", () => {
  it("boots the default lab to a shell on the VGA screen and the serial console; typed commands run", async (ctx) => {
    const h = harness(ctx);
    requireLinuxFixtures(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/`);
    // The prompt on the screen (tty1) and in the xterm (ttyS0).
    await waitInPage(page, "the shell prompt on the VGA text screen", 900, async () =>
      (await window.lab86.textScreen())?.rows.some((r) => r.startsWith("lab86:/# ")));
    await waitInPage(page, "the shell prompt in the serial terminal", 120, () =>
      window.lab86.serialLines().some((l) => l.startsWith("lab86:/# ")));
    expect(await page.locator("#state").textContent()).toBe("running");

    // Real key events on the screen: Shift for $, ( and *.
    // Focus (a click would also capture the mouse, and then every click goes to the guest).
    await page.locator(".lab86-surface").focus();
    await typeWithKeys(page, "echo $((6*7))\n");
    const rows = await waitInPage(page, "the command's output on the screen", 120, async () => {
      const r = (await window.lab86.textScreen())?.rows.map((x) => x.trimEnd()) ?? [];
      const i = r.findIndex((x) => x.endsWith("echo $((6*7))"));
      return i >= 0 && r[i + 1] === "42" && r[i + 2]?.startsWith("lab86:/#") ? r : null;
    });
    expect(rows.some((r) => r === "42")).toBe(true);

    // The key-combination menu: Ctrl+Alt+F2 shows the second virtual console (which a write
    // has opened: Linux switches only to allocated consoles), Ctrl+Alt+F1 brings the shell back.
    await typeWithKeys(page, "echo on the second console >/dev/tty2\n");
    await page.locator("#combo").selectOption({ label: "Ctrl+Alt+F2" });
    await waitInPage(page, "virtual console 2", 60, () =>
      window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() === "on the second console" && !t.rows.some((r) => r.trimEnd() === "42")));
    await page.locator("#combo").selectOption({ label: "Ctrl+Alt+F1" });
    await waitInPage(page, "virtual console 1", 60, () =>
      window.lab86.textScreen().then((t) => t?.rows.some((r) => r.trimEnd() === "42")));

    // Typing in the serial terminal goes to COM1.
    await page.locator("#tab-serial").click();
    await page.locator("#serial-view .xterm").click();
    await typeWithKeys(page, "echo $((7*8)) on ttyS0\n");
    await waitInPage(page, "the command's output in the serial terminal", 120, () =>
      window.lab86.serialLines().some((l) => l === "56 on ttyS0"));
    await page.close();
  }, 1_200_000);

  it("shows a VBE mode the guest sets through the DISPI ports in the canvas", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/vbe.img&memory=32`);
    // The boot sector halts with interrupts off once the screen is filled.
    await waitInPage(page, "the guest to fill the screen and halt", 120, () => window.lab86.state() === "stopped");
    expect(await page.locator(".lab86-screen").getAttribute("data-mode")).toBe("640x480");
    const pixels = await page.evaluate(async () => {
      const png = await window.lab86.vm()!.screenshot();
      const bmp = await createImageBitmap(png!);
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext("2d")!;
      g.drawImage(bmp, 0, 0);
      const sample = (x: number, y: number) => Array.from(g.getImageData(x, y, 1, 1).data);
      const region = g.getImageData(100, 100, 200, 100).data;
      let same = true;
      for (let i = 0; i < region.length; i += 4) {
        if (region[i] !== 0x33 || region[i + 1] !== 0x66 || region[i + 2] !== 0x99) same = false;
      }
      return { width: bmp.width, height: bmp.height, corner: sample(0, 0), last: sample(639, 479), same };
    });
    expect(pixels).toEqual({ width: 640, height: 480, corner: [0x33, 0x66, 0x99, 255], last: [0x33, 0x66, 0x99, 255], same: true });
    // The Screenshot button downloads the same picture as a PNG file.
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("#screenshot").click()]);
    expect(download.suggestedFilename()).toMatch(/^lab86-.*\.png$/);
    const png = readFileSync((await download.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([640, 480]); // IHDR width, height
    // Full screen: the screen area takes the display, the canvas keeps the mode's 4:3 shape.
    await page.locator("#fullscreen").click();
    await waitInPage(page, "full screen", 30, () => document.fullscreenElement?.id === "views");
    const shape = await waitInPage(page, "the canvas to fill the screen", 30, () => {
      const r = document.querySelector(".lab86-screen")!.getBoundingClientRect();
      return r.height >= window.innerHeight - 1 ? { w: r.width, h: r.height } : null;
    });
    expect(Math.abs(shape.w / shape.h - 4 / 3)).toBeLessThan(0.01);
    await page.evaluate(() => document.exitFullscreen());
    await page.close();
  }, 300_000);

  it("captures the mouse on click (pointer lock) and sends relative motion, buttons and the wheel to the PS/2 mouse", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/mouse.img&memory=16`);
    const row0 = () => page.evaluate(() => window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() ?? ""));
    await waitInPage(page, "the mouse program", 120, () => window.lab86.textScreen().then((t) => t?.rows[0].startsWith("MOUSE 0000 0000 0 0000")));
    await page.mouse.move(500, 400);
    await page.mouse.down();
    await page.mouse.up();
    await waitInPage(page, "pointer lock", 30, () => document.pointerLockElement?.className === "lab86-surface");
    // The capturing click itself is not the guest's.
    expect(await row0()).toBe("MOUSE 0000 0000 0 0000");
    await page.mouse.move(540, 380); // 40 right, 20 up: PS/2 counts Y upwards
    await waitInPage(page, "the motion", 30, () => window.lab86.textScreen().then((t) => t?.rows[0].startsWith("MOUSE 0028 0014 ")));
    await page.mouse.down();
    await waitInPage(page, "the left button", 30, () => window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() === "MOUSE 0028 0014 1 0000"));
    await page.mouse.up();
    await page.mouse.move(530, 390, { steps: 2 }); // 10 left, 10 down
    await waitInPage(page, "release and motion back", 30, () => window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() === "MOUSE 001E 000A 0 0000"));
    // The wheel: one notch towards the user, then three away (Chromium: 100 px a notch).
    await page.mouse.wheel(0, 100);
    await waitInPage(page, "one wheel click", 30, () => window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() === "MOUSE 001E 000A 0 0001"));
    await page.mouse.wheel(0, -300);
    await waitInPage(page, "three wheel clicks back", 30, () => window.lab86.textScreen().then((t) => t?.rows[0].trimEnd() === "MOUSE 001E 000A 0 FFFE"));
    await page.close();
  }, 300_000);

  it("boots local files chosen in the pickers (hard disk, floppy) and image URLs typed in the form (CD, hard disk)", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?autostart=0`);
    const ticking = () => window.lab86.textScreen().then((t) => /^TICKS /.test(t?.rows[0] ?? ""));
    await page.locator("#src-files").check();
    await page.locator("#file-hda").setInputFiles({ name: "ticks.img", mimeType: "application/octet-stream", buffer: Buffer.from(diskImage(nasm(join(HERE, "ticks.asm")))) });
    await page.locator("#memory").selectOption("16");
    await page.locator("#start").click();
    await waitInPage(page, "the boot sector from the local file", 120, ticking);
    await page.locator("#power").click();
    await waitInPage(page, "power off", 30, () => window.lab86.state() === "stopped");

    // A 1.44 MB floppy image instead (the hard disk input cleared).
    await page.locator("summary").click(); // the media panel folds while a machine runs
    await page.locator("#file-hda").setInputFiles([]);
    await page.locator("#file-fda").setInputFiles({ name: "ticks.ima", mimeType: "application/octet-stream", buffer: Buffer.from(diskImage(nasm(join(HERE, "ticks.asm")), 2880)) });
    await page.locator("#start").click();
    await waitInPage(page, "the boot sector from the floppy", 120, () =>
      window.lab86.state() === "running" && window.lab86.serialText().includes("ticks-boot"));
    await page.locator("#power").click();
    await waitInPage(page, "power off", 30, () => window.lab86.state() === "stopped");

    await page.locator("summary").click();
    await page.locator("#src-url").check();
    // A CD image by URL: the .iso name selects the CD-ROM drive and boots from it.
    await page.locator("#url").fill("/test-media/ticks.iso");
    await page.locator("#start").click();
    await waitInPage(page, "the boot sector from the CD", 120, () =>
      window.lab86.state() === "running" && window.lab86.serialText().includes("ticks-boot"));
    await page.locator("#power").click();
    await waitInPage(page, "power off", 30, () => window.lab86.state() === "stopped");

    await page.locator("summary").click();
    await page.locator("#url").fill("/test-media/ticks.img");
    await page.locator("#start").click();
    await waitInPage(page, "the boot sector from the URL", 120, () =>
      window.lab86.state() === "running" && window.lab86.serialText().includes("ticks-boot"));
    await waitInPage(page, "the tick counter", 60, ticking);
    await page.close();
  }, 300_000);

  it("pastes text as keystrokes and releases held keys when focus leaves", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/echo.img&memory=16`);
    await waitInPage(page, "the echo program", 120, () => window.lab86.serialText().includes("echo-boot"));
    const text = "Hello, World! ~{}|<>?:\"_+ 0123456789 `-=[]\\;',./";
    const bad = await page.evaluate((t) => window.lab86.vm()!.typeText(t + "\n"), text);
    expect(bad).toEqual([]);
    await waitInPage(page, "the pasted text on the screen", 60, (t) =>
      window.lab86.textScreen().then((s) => s?.rows.some((r) => r.trimEnd().endsWith(t))), text);

    // Shift held while the screen loses focus: its release must reach the guest, or the next
    // keys would come out shifted.
    await page.locator(".lab86-surface").focus();
    await page.keyboard.down("Shift");
    await page.locator("#memory").focus();
    await page.keyboard.up("Shift");
    await page.locator(".lab86-surface").focus();
    await page.keyboard.press("KeyQ");
    await page.keyboard.press("Enter");
    await waitInPage(page, "an unshifted q", 60, () => window.lab86.textScreen().then((s) => s?.rows.some((r) => r.trimEnd() === "q")));
    await page.close();
  }, 300_000);

  it("works as a production build (npm run build): worker and CPU module from the bundle, the default lab from the site", async (ctx) => {
    const h = harness(ctx);
    await prodSite(h);
    const page = await h.newPage();
    await page.goto(`${h.base}/prod/index.html?hda=/test-media/ticks.img&memory=16`);
    await waitInPage(page, "the boot sector under the production build", 120, () =>
      window.lab86.textScreen().then((t) => /^TICKS /.test(t?.rows[0] ?? "")));
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => new URL(s.src, location.href).pathname));
    expect(scripts.some((p) => /^\/prod\/assets\/index-[\w-]+\.js$/.test(p))).toBe(true);
    // The site's copy of the default lab (prod/lab/default.json, there when the fixtures were).
    const labInSite = existsSync(fixturePath("vmlinuz-686")) && existsSync(fixturePath("initramfs-busybox.cpio.gz"));
    const expected = labInSite ? "Debian 12 kernel + busybox (lab86 default lab)" : "not available on this server";
    await waitInPage(page, "the default lab's note", 30, (expected) => document.getElementById("default-note")!.textContent === expected, expected);
    await page.close();
  }, 300_000);

  it("shows a progress bar while an image downloads", async (ctx) => {
    const h = harness(ctx);
    h.serve("/test-media/slow.img", diskImage(nasm(join(HERE, "ticks.asm")), 8192), "application/octet-stream", true);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/slow.img&memory=16`);
    const seen = await waitInPage(page, "the download in progress", 60, () => {
      const bar = document.getElementById("progress-bar") as HTMLProgressElement;
      const text = document.getElementById("progress-text")!.textContent ?? "";
      return !document.getElementById("progress")!.hidden && bar.value > 0 && bar.value < bar.max ? { text, value: bar.value, max: bar.max } : null;
    });
    expect(seen.max).toBe(4 << 20);
    expect(seen.text).toMatch(/^Downloading the hard disk: \d+\.\d MiB of 4\.0 MiB$/);
    await waitInPage(page, "the boot sector", 120, () => window.lab86.serialText().includes("ticks-boot"));
    expect(await page.locator("#progress").isHidden()).toBe(true);
    await page.close();
  }, 300_000);

  it("says in the page when an image URL cannot be downloaded", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/no-such-disk.img`);
    await waitInPage(page, "the error state", 60, () => window.lab86.state() === "error");
    const error = page.locator("#error");
    expect(await error.isVisible()).toBe(true);
    expect(await error.textContent()).toMatch(/hard disk: cannot download .*no-such-disk\.img: HTTP 404/);
    await page.close();
  }, 120_000);

  it("says so when there is no bootable device, when the guest triple-faults and when a kernel is not one", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/blank.img&memory=16`);
    await waitInPage(page, "the error state", 120, () => window.lab86.state() === "error");
    expect(await page.locator("#error").textContent()).toMatch(/No bootable device/);
    await page.goto(`${h.base}/?hda=/test-media/triple.img&memory=16`);
    await waitInPage(page, "the error state", 120, () => window.lab86.state() === "error");
    expect(await page.locator("#error").textContent()).toMatch(/triple fault/);
    // A "kernel" that is a disk image.
    await page.goto(`${h.base}/?kernel=/test-media/ticks.img&memory=16`);
    await waitInPage(page, "the error state", 120, () => window.lab86.state() === "error");
    expect(await page.locator("#error").textContent()).toMatch(/kernel cannot be booted: .*bzImage/);
    await page.close();
  }, 300_000);

  it("pauses (the guest's clock stops), resumes, resets and sends Ctrl+Alt+Del", async (ctx) => {
    const h = harness(ctx);
    const page = await h.newPage();
    await page.goto(`${h.base}/?hda=/test-media/ticks.img&memory=16`);
    const ticks = async () => {
      const row = (await page.evaluate(screenRows))[0] ?? "";
      const m = /^TICKS ([0-9A-F]{8})/.exec(row);
      return m ? parseInt(m[1], 16) : null;
    };
    await waitInPage(page, "the tick counter", 120, async () => /^TICKS /.test((await window.lab86.textScreen())?.rows[0] ?? ""));
    await page.locator("#pause").click();
    await waitInPage(page, "the paused state", 30, () => window.lab86.state() === "paused");
    expect(await page.locator("#pause").textContent()).toBe("Resume");
    const before = await ticks();
    expect(before).not.toBeNull();
    await page.waitForTimeout(1500); // 27 BIOS ticks if the guest were running
    expect(await ticks()).toBe(before);
    await page.locator("#pause").click();
    await waitInPage(page, "the running state", 30, () => window.lab86.state() === "running");
    for (let i = 0; i < 60 && (await ticks())! <= before!; i++) await page.waitForTimeout(500);
    expect(await ticks()).toBeGreaterThan(before!);
    // Reset: the boot sector runs again (its COM1 greeting appears a second time).
    await page.locator("#reset").click();
    await waitInPage(page, "the boot sector to run again", 120, () => window.lab86.serialText().split("ticks-boot").length === 3);
    // The Ctrl+Alt+Del button: the boot sector leaves IRQ 1 to our BIOS, whose keyboard handler
    // reboots (test/bios/keyboard.test.ts checks the warm-boot flag), so it runs a third time.
    await page.locator("#cad").click();
    await waitInPage(page, "the boot sector to run after Ctrl+Alt+Del", 120, () => window.lab86.serialText().split("ticks-boot").length === 4);
    await page.close();
  }, 300_000);
});

describe("the app without the default lab", () => {
  it("says why the default lab is unavailable and offers the pickers", async (ctx) => {
    requireChromium(ctx);
    process.env.LAB86_FIXTURES_OUT = "/nonexistent/lab86-fixtures";
    process.env.LAB86_NO_FIXTURE_BUILD = "1";
    const h2 = await startHarness().finally(() => {
      delete process.env.LAB86_FIXTURES_OUT;
      delete process.env.LAB86_NO_FIXTURE_BUILD;
    });
    try {
      const page = await h2.newPage();
      await page.goto(`${h2.base}/`);
      const error = await waitInPage(page, "the explanation", 30, () => document.getElementById("error")!.hidden ? null : document.getElementById("error")!.textContent);
      expect(error).toMatch(/default lab VM could not be built on this host: .*vmlinuz-686.* is missing.*npm run fixtures -- linux/s);
      expect(error).toMatch(/Choose boot media below/);
      expect(await page.locator("#src-files").isChecked()).toBe(true);
      expect(await page.locator("#media").getAttribute("open")).not.toBeNull();
      expect(await page.evaluate(() => window.lab86.state())).toBe("idle");
    } finally {
      await h2.close();
    }
  }, 120_000);
});

describe("<vm-frame>", () => {
  it("the example page (public/examples/two-frames.html) in the production build boots two machines from lib/vm-frame.js and lab/default.json", async (ctx) => {
    const h = harness(ctx);
    requireLinuxFixtures(ctx);
    await prodSite(h);
    const page = await h.newPage();
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(`${h.base}/prod/examples/two-frames.html`);
    type Frame = HTMLElementTagNameMap["vm-frame"];
    const prompt = (id: string) => (document.getElementById(id) as Frame).textScreen().then((t) => t?.rows.some((r) => r.startsWith("lab86:/# ")));
    for (const id of ["left", "right"]) await waitInPage(page, `the shell prompt in the ${id} frame`, 900, prompt, id);
    await waitInPage(page, "the prompt on the right frame's serial line", 120, () =>
      (document.getElementById("right") as Frame).serialOutput.includes("lab86:/# "));
    // The one-file library build and the site's lab, nothing from the sources or the dev server's lab.
    expect(requests).toContain("/prod/lib/vm-frame.js");
    expect(requests).toEqual(expect.arrayContaining(["/prod/lab/default.json", "/prod/lab/default/vmlinuz", "/prod/lab/default/initrd"]));
    expect(requests.filter((p) => p.startsWith("/src/") || p.startsWith("/lab/"))).toEqual([]);
    expect(await page.locator("#note").isHidden()).toBe(true);
    expect(await page.locator("#left-state").textContent()).toBe("running");
    expect(await page.locator("#right-state").textContent()).toBe("running");
    expect(Number(await page.locator("#right-serial").textContent())).toBeGreaterThan(0);

    // The page's button types into the left machine only.
    await page.locator("#hello").click();
    await waitInPage(page, "uname's output in the left frame", 120, () =>
      // Joined without separators: the 80-column screen wraps uname's long line.
      (document.getElementById("left") as Frame).textScreen().then((t) => /Linux \S+ \d+\.\d+\.\S+ .*GNU\/Linux/.test(t?.rows.join("") ?? "")));
    const right = await page.evaluate(() => (document.getElementById("right") as Frame).textScreen().then((t) => t?.rows.join("\n") ?? ""));
    expect(right).not.toContain("uname");
    await page.close();
  }, 1_200_000);

  it("the example page says why the frames have nothing to boot when the site was built without the default lab", async (ctx) => {
    const h = harness(ctx);
    const built = await prodSite(h);
    const bare = mkdtempSync(join(tmpdir(), "lab86-site-"));
    try {
      cpSync(built.dir, bare, { recursive: true, filter: (src) => !src.startsWith(join(built.dir, "lab")) });
      h.serveDir("/bare/", bare);
      const page = await h.newPage();
      await page.goto(`${h.base}/bare/examples/two-frames.html`);
      const note = await waitInPage(page, "the page's note", 60, () => document.getElementById("note")!.hidden ? null : document.getElementById("note")!.textContent);
      expect(note).toMatch(/built without the default lab.*npm run fixtures -- linux/s);
      type Frame = HTMLElementTagNameMap["vm-frame"];
      const message = await waitInPage(page, "the frame's error", 60, () =>
        document.getElementById("left")!.shadowRoot!.querySelector(".message:not([hidden])")?.textContent);
      expect(message).toMatch(/cannot download the lab manifest .*\/bare\/lab\/default\.json: HTTP 404/);
      expect(await page.evaluate(() => (document.getElementById("right") as Frame).state)).toBe("error");
      await page.close();
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  }, 300_000);

  it("runs two independent machines on one page from the one-file library build, with state and serial events", async (ctx) => {
    const h = harness(ctx);
    // The library as a page would load it: one module, its worker and the CPU inside.
    h.serve("/test-media/lib/vm-frame.js", await buildLibrary(), "text/javascript");
    h.serve("/test-media/two.html", `<!doctype html><meta charset="utf-8">
      <script type="module" src="/test-media/lib/vm-frame.js"></script>
      <vm-frame id="a" src="/test-media/labs/ticks-lab.json" serial></vm-frame>
      <vm-frame id="b" hda="/test-media/ticks.img" memory="16"></vm-frame>
      <vm-frame id="bad" src="/test-media/bad-lab.json"></vm-frame>
      <script type="module">
        window.events = { a: [], b: [], serialA: "", serialB: "" };
        for (const id of ["a", "b"]) {
          const f = document.getElementById(id);
          f.addEventListener("statechange", (e) => window.events[id].push(e.detail));
          f.addEventListener("serial", (e) => (window.events[id === "a" ? "serialA" : "serialB"] += e.detail));
        }
      </script>`, "text/html");
    // Media URLs in a manifest are relative to the manifest.
    h.serve("/test-media/labs/ticks-lab.json", JSON.stringify({ name: "ticks", memory: 16, hda: "../ticks.img" }), "application/json");
    h.serve("/test-media/bad-lab.json", JSON.stringify({ memory: 64, hda: "disk.img", cdrom: 42 }), "application/json");
    const page = await h.newPage();
    await page.goto(`${h.base}/test-media/two.html`);
    await page.waitForFunction(() => customElements.get("vm-frame") !== undefined);
    await page.evaluate(() => {
      void document.querySelector<HTMLElementTagNameMap["vm-frame"]>("#a")!.start();
      void document.querySelector<HTMLElementTagNameMap["vm-frame"]>("#b")!.start();
      void document.querySelector<HTMLElementTagNameMap["vm-frame"]>("#bad")!.start();
    });
    type W = { events: { a: string[]; b: string[]; serialA: string; serialB: string } };
    for (const id of ["a", "b"]) {
      await waitInPage(page, `frame ${id}'s tick counter`, 180, (id) =>
        (document.getElementById(id) as HTMLElementTagNameMap["vm-frame"]).textScreen().then((t) => /^TICKS /.test(t?.rows[0] ?? "")), id);
    }
    await waitInPage(page, "serial events from both frames", 60, () => {
      const e = (window as unknown as W).events;
      return e.serialA.includes("ticks-boot") && e.serialB.includes("ticks-boot");
    });
    const events = await page.evaluate(() => (window as unknown as W).events);
    expect(events.a.slice(0, 2)).toEqual(["loading", "running"]);
    expect(events.b.slice(0, 2)).toEqual(["loading", "running"]);

    // Only the frame with the serial attribute has the serial tab, and its terminal shows COM1.
    const tabs = await page.evaluate(() => ["a", "b"].map((id) => !document.getElementById(id)!.shadowRoot!.querySelector<HTMLElement>(".tabs")!.hidden));
    expect(tabs).toEqual([true, false]);
    await page.evaluate(() => document.getElementById("a")!.shadowRoot!.querySelector<HTMLButtonElement>("button[data-tab=serial]")!.click());
    await waitInPage(page, "COM1 in frame a's terminal", 30, () =>
      document.getElementById("a")!.shadowRoot!.querySelector(".xterm-rows")?.textContent?.includes("ticks-boot"));

    // Pausing one leaves the other running: they are separate machines.
    await page.evaluate(() => (document.getElementById("a") as HTMLElementTagNameMap["vm-frame"]).pause());
    await waitInPage(page, "frame a paused", 30, () => (window as unknown as W).events.a.at(-1) === "paused");
    expect(await page.evaluate(() => (document.getElementById("b") as HTMLElementTagNameMap["vm-frame"]).state)).toBe("running");

    // Resetting one reboots only that one.
    await page.evaluate(() => (document.getElementById("b") as HTMLElementTagNameMap["vm-frame"]).reset());
    await waitInPage(page, "frame b rebooted", 120, () => (window as unknown as W).events.serialB.split("ticks-boot").length === 3);
    expect((await page.evaluate(() => (window as unknown as W).events)).serialA.split("ticks-boot").length).toBe(2);

    // The frame with a broken manifest names the faulty field.
    const message = await waitInPage(page, "the manifest error", 30, () =>
      document.getElementById("bad")!.shadowRoot!.querySelector(".message:not([hidden])")?.textContent);
    expect(message).toMatch(/"cdrom" must be a string, not 42/);
    expect(await page.evaluate(() => (document.getElementById("bad") as HTMLElementTagNameMap["vm-frame"]).state)).toBe("error");
    await page.close();
  }, 600_000);
});
