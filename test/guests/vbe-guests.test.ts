// Real guests that draw through the Bochs VBE (DISPI) adapter and its linear framebuffer, with
// lab86's BIOS: GRUB's gfxterm (grub-mkrescue CD), SYSLINUX's vesamenu.c32 (ISOLINUX CD), and
// Linux's vesafb (the kernel's real-mode setup sets VESA mode 115h through INT 10h 4F02h when
// booted with vga=0x315). Each test checks the adapter's registers and pixels of the frame the
// page would show (Pc.renderFrame, the same code the browser's worker runs).
//
// Expected geometry and colours come from the guests' configuration (scripts/fixtures.ts) and from
// QEMU 7.2's screendumps of the same CDs (stdvga, SeaBIOS): the GRUB menu's border, highlight bar
// and text rows, and vesamenu's selection bar, match them pixel for pixel. Glyph shapes are not
// compared where they come from the VGA BIOS's font (vesamenu reads it with INT 10h AX=1130h, and
// lab86's BIOS has its own font).
//
// The three guests reach the adapter by different paths: GRUB's all_video includes its own Bochs
// DISPI driver, which it prefers to INT 10h, and programs the registers and the PCI BAR's LFB
// directly (DISPI ENABLE reads 01h, without the LFB bit that both lab86's BIOS and SeaVGABIOS set
// on INT 10h 4F02h); vesamenu and the kernel's setup code go through INT 10h 4F00h/4F01h/4F02h.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_ENABLED } from "../../src/machine/vga/vbe";
import { requireFixture } from "../support/fixtures";
import { bootGuest, type GuestConsole } from "../support/guest";
import { waitForAsync } from "./async-wait";

const PROMPT = "lab86:/# ";

/** The rendered frame: size and a pixel reader returning 0xRRGGBB. */
function frame(con: GuestConsole) {
  con.pc.renderFrame();
  const f = con.pc.vga.frame;
  const rgb = (x: number, y: number): number => {
    const i = (y * f.width + x) * 4;
    return (f.rgba[i] << 16) | (f.rgba[i + 1] << 8) | f.rgba[i + 2];
  };
  return { width: f.width, height: f.height, rgb };
}

/** Run the guest in steps of 0.1 s of guest time until the frame satisfies `ok`. */
async function runUntilFrame(con: GuestConsole, ok: (f: ReturnType<typeof frame>) => boolean, maxVirtualSeconds: number, what: string): Promise<ReturnType<typeof frame>> {
  const m = con.pc.machine;
  const end = m.clock.now + maxVirtualSeconds * 1e9;
  for (;;) {
    const f = frame(con);
    if (f.width > 0 && ok(f)) return f;
    if (m.clock.now >= end) throw new Error(`${what} did not appear within ${maxVirtualSeconds} s of guest time (frame ${f.width}x${f.height})`);
    const stepEnd = Math.min(end, m.clock.now + 1e8);
    while (m.clock.now < stepEnd) {
      const stop = m.runSlice(stepEnd, 200_000);
      if (stop && stop.kind !== "budget") throw new Error(`the machine stopped (${stop.kind}) before ${what}`);
    }
    await new Promise((resume) => setImmediate(resume));
  }
}

/** The DISPI registers the guest programmed. */
function dispi(con: GuestConsole) {
  const r = con.pc.vga.state.vbe;
  return { width: r[VBE_XRES], height: r[VBE_YRES], bpp: r[VBE_BPP], enabled: (r[VBE_ENABLE] & VBE_ENABLED) !== 0 };
}

/** Every pixel of the rectangle [x0,x1]x[y0,y1] (inclusive) has colour `c`. */
function filled(f: ReturnType<typeof frame>, x0: number, y0: number, x1: number, y1: number, c: number): boolean {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (f.rgb(x, y) !== c) return false;
  return true;
}

/** How many pixels of the rectangle have colour `c`. */
function count(f: ReturnType<typeof frame>, x0: number, y0: number, x1: number, y1: number, c: number): number {
  let n = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (f.rgb(x, y) === c) n++;
  return n;
}

function cd(iso: Uint8Array) {
  return bootGuest({ memoryBytes: 128 << 20, cdrom: new MemoryBackend(iso, true), bootOrder: ["cd"], acpi: false, apic: false });
}

describe("VBE graphics in real guests", () => {
  it("GRUB's gfxterm draws its menu at 800x600x32, then boots Linux", async (ctx) => {
    const con = await cd(requireFixture(ctx, "linux-grub.iso", "grub-iso"));
    const BACKGROUND = 0x204080, WHITE = 0xfefefe, BLUE = 0x0000a8, YELLOW = 0xfefe54, GREY = 0xa8a8a8;
    let at = await waitForAsync(con, "lab86 GRUB gfxterm", 20);
    // GRUB draws into its back page and flips (DISPI Y offset) when the menu is complete.
    const f = await runUntilFrame(con, (f) => f.width === 800 && f.rgb(400, 80) === BLUE && f.rgb(400, 466) === WHITE, 20, "GRUB's menu");
    expect(dispi(con)).toEqual({ width: 800, height: 600, bpp: 32, enabled: true });
    expect([f.width, f.height]).toEqual([800, 600]);
    // The menu box: a two-pixel white border (QEMU: rows 65-66 and 465-466, columns 21-22 and 773-774).
    expect(filled(f, 23, 65, 772, 66, WHITE)).toBe(true);
    expect(filled(f, 23, 465, 772, 466, WHITE)).toBe(true);
    expect(filled(f, 21, 67, 22, 464, WHITE)).toBe(true);
    expect(filled(f, 773, 67, 774, 464, WHITE)).toBe(true);
    // The highlighted entry: blue bar at rows 74-89 from column 26 to 769, the title in yellow over it.
    expect(count(f, 26, 74, 769, 89, BLUE) + count(f, 26, 74, 769, 89, YELLOW)).toBe(744 * 16);
    expect(count(f, 27, 77, 177, 89, YELLOW)).toBeGreaterThan(150);
    expect(count(f, 178, 74, 769, 89, YELLOW)).toBe(0);
    // background_color everywhere nothing is drawn: inside the box, above it, below the help text.
    expect(filled(f, 40, 100, 760, 450, BACKGROUND)).toBe(true);
    expect(filled(f, 0, 0, 799, 20, BACKGROUND)).toBe(true);
    expect(filled(f, 0, 570, 799, 599, BACKGROUND)).toBe(true);
    // "GNU GRUB  version ..." in light grey, rows 29-41.
    expect(count(f, 200, 29, 600, 41, GREY)).toBeGreaterThan(100);
    // Enter on the serial terminal boots the entry.
    con.type("\n");
    at = await waitForAsync(con, "Loading the lab86 kernel", 10, at);
    at = await waitForAsync(con, PROMPT, 240, at);
    con.type("echo $((6*7))\n");
    const end = await waitForAsync(con, PROMPT, 30, at);
    expect(con.output.slice(at, end)).toMatch(/\r\n42\r\n/);
  }, 1_800_000);

  it("SYSLINUX's vesamenu draws its menu at 640x480 in 24-bit colour", async (ctx) => {
    const con = await cd(requireFixture(ctx, "linux-vesamenu.iso", "vesamenu-iso"));
    const BACKGROUND = 0x204080, ORANGE = 0xff8000, YELLOW = 0xffff00;
    const at = await waitForAsync(con, "Automatic boot in", 30);
    const f = await runUntilFrame(con, (f) => f.width === 640 && f.rgb(300, 60) === ORANGE, 10, "vesamenu's menu");
    expect(dispi(con)).toEqual({ width: 640, height: 480, bpp: 24, enabled: true });
    // MENU BACKGROUND #ff204080 around and inside the menu box.
    expect(filled(f, 0, 0, 639, 10, BACKGROUND)).toBe(true);
    expect(filled(f, 0, 340, 639, 479, BACKGROUND)).toBe(true);
    expect(filled(f, 100, 80, 540, 240, BACKGROUND)).toBe(true);
    // MENU COLOR sel: the selected entry on an orange bar, rows 56-71, columns 96-543 (as in QEMU).
    expect(f.rgb(96, 56)).toBe(ORANGE);
    expect(f.rgb(543, 71)).toBe(ORANGE);
    expect(f.rgb(95, 60)).not.toBe(ORANGE);
    expect(f.rgb(544, 60)).not.toBe(ORANGE);
    expect(f.rgb(300, 55)).not.toBe(ORANGE);
    expect(f.rgb(300, 72)).not.toBe(ORANGE);
    expect(count(f, 96, 56, 543, 71, ORANGE)).toBeGreaterThan(448 * 16 - 1500);
    // MENU TITLE in yellow (MENU COLOR title #ffffff00), centred above the entries.
    expect(count(f, 250, 20, 390, 40, YELLOW)).toBeGreaterThan(100);
    expect(count(f, 0, 41, 639, 479, YELLOW)).toBe(0);
    // Enter boots the entry through vesamenu.
    con.type("\n");
    await waitForAsync(con, "Loading /kernel", 10, at);
  }, 1_800_000);

  it("Linux's vesafb drives VESA mode 115h set by the kernel's real-mode setup (vga=0x315)", async (ctx) => {
    const con = await cd(requireFixture(ctx, "linux-vesafb.iso", "linux-vesafb-iso"));
    let at = await waitForAsync(con, PROMPT, 300);
    expect(dispi(con)).toEqual({ width: 800, height: 600, bpp: 24, enabled: true });
    const shell = async (line: string) => {
      con.type(`${line}\n`);
      const end = await waitForAsync(con, PROMPT, 30, at);
      const out = con.output.slice(at, end);
      at = end;
      return out;
    };
    expect(await shell("cat /proc/fb; cat /sys/class/graphics/fb0/virtual_size /sys/class/graphics/fb0/bits_per_pixel")).toMatch(/0 VESA VGA\r\n800,600\r\n24\r\n/);
    expect(await shell("dmesg | grep vesafb: | head -1")).toMatch(/vesafb: mode is 800x600x24, linelength=2400/);
    // The framebuffer console draws text on tty1 (the VGA font in light grey on black)...
    await shell("echo lab86-fbcon > /dev/tty1");
    // ...and bytes written to /dev/fb0 land in the frame: rows 580-599 all white.
    await shell("head -c 48000 /dev/zero | tr '\\000' '\\377' | dd of=/dev/fb0 bs=2400 seek=580 2>/dev/null");
    const f = await runUntilFrame(con, (f) => f.width === 800 && f.rgb(400, 590) === 0xffffff, 2, "the white rows");
    expect(filled(f, 0, 580, 799, 599, 0xffffff)).toBe(true);
    expect(filled(f, 0, 560, 799, 579, 0x000000)).toBe(true);
    const text = count(f, 0, 0, 11 * 8 - 1, 15, 0xaaaaaa);
    expect(text).toBeGreaterThan(150);
    expect(text + count(f, 0, 0, 11 * 8 - 1, 15, 0x000000)).toBe(88 * 16);
  }, 1_800_000);
});
