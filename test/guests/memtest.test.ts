// memtest86+ 6.10 (ia32) on lab86: from an ISOLINUX CD (El Torito no emulation) and by the Linux
// boot protocol (PcConfig.kernel), with its console on COM1 (console=ttyS0,115200). It must reach
// its test screen and run its first pass over all of (small) memory without an error. What it
// shows was taken from QEMU 7.2 + SeaBIOS with the same ISO and 16 MiB: the header
// "Memtest86+ v6.10", "#<n> [<test name>]" for the running test, and the status line
// "Pass: <n>  Errors: <n>", whose pass count becomes 1 when tests 0-10 have all run (the last,
// the bit fade test, waits 2 x 80 s). Memtest positions its text with VT100 cursor moves, so
// the checks read a model of its 80x25 screen.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest, type GuestConsole } from "../support/guest";
import { waitForAsync, runUntilAsync } from "./async-wait";

/** The 80x25 screen a VT100 would show for memtest's output (cursor moves, clears; attributes ignored). */
class Screen {
  private readonly rows: string[][] = Array.from({ length: 25 }, () => Array(80).fill(" "));
  private row = 0;
  private col = 0;
  private parsed = 0;

  update(output: string): void {
    let i = this.parsed;
    while (i < output.length) {
      const c = output[i];
      if (c === "\x1b") {
        if (output.length - i < 16 && !/^\x1b(\[[0-9;?]*[A-Za-z]|[()].|[^[()])/.test(output.slice(i))) break; // incomplete: wait for the rest
        const m = /^\x1b\[([0-9;?]*)([A-Za-z])/.exec(output.slice(i, i + 16));
        if (m) {
          this.control(m[1], m[2]);
          i += m[0].length;
        } else {
          i += output[i + 1] === "(" || output[i + 1] === ")" ? 3 : 2; // character set selection, or a two-byte sequence
        }
        continue;
      }
      if (c === "\r") this.col = 0;
      else if (c === "\n") this.row = Math.min(24, this.row + 1);
      else if (c >= " ") {
        if (this.col < 80) this.rows[this.row][this.col] = c;
        this.col++;
      }
      i++;
    }
    this.parsed = i;
  }

  private control(params: string, final: string): void {
    const p = params.split(";").map((x) => Number(x) || 0);
    if (final === "H" || final === "f") {
      this.row = Math.min(24, Math.max(1, p[0] || 1) - 1);
      this.col = Math.min(79, Math.max(1, p[1] || 1) - 1);
    } else if (final === "J" && p[0] === 2) {
      for (const r of this.rows) r.fill(" ");
    }
  }

  text(): string {
    return this.rows.map((r) => r.join("").trimEnd()).join("\n");
  }
}

function statusOf(screen: Screen): { pass: number; errors: number } | null {
  const m = /Pass:\s+(\d+)\s+Errors:\s+(\d+)/.exec(screen.text());
  return m ? { pass: Number(m[1]), errors: Number(m[2]) } : null;
}

/** Run until the screen satisfies `done`, checking that no error was ever counted. */
async function runScreenUntil(con: GuestConsole, screen: Screen, done: (text: string) => boolean, maxVirtualSeconds: number, what: string): Promise<void> {
  await runUntilAsync(con, () => {
    screen.update(con.output);
    const s = statusOf(screen);
    if (s && s.errors !== 0) throw new Error(`memtest counted ${s.errors} errors:\n${screen.text()}`);
    return done(screen.text()) ? true : null;
  }, maxVirtualSeconds, what);
}

const MEMORY = 16 << 20;

describe("memtest86+ 6.10", () => {
  it("boots from an ISOLINUX CD and runs its tests on serial without errors", async (ctx) => {
    const iso = requireFixture(ctx, "memtest86+ia32.iso", "memtest-iso");
    const con = await bootGuest({ memoryBytes: MEMORY, cdrom: new MemoryBackend(iso, true), bootOrder: ["cd"], acpi: false, apic: false });
    const at = await waitForAsync(con, "ISOLINUX 6.04", 5);
    await waitForAsync(con, "Loading /kernel... ok", 10, at);
    const screen = new Screen();
    await runScreenUntil(con, screen, (t) => t.includes("Memtest86+ v6.10"), 10, "the memtest screen");
    // Tests 0-3 (address tests, moving inversions of ones and zeros) cover memory in about 7 s
    // of guest time at 100 MIPS; test 4 starting means they all ran.
    await runScreenUntil(con, screen, (t) => /#4\s+\[Moving inversions, 8 bit pattern\]/.test(t), 30, "test #4");
    const text = screen.text();
    expect(text).toMatch(/Memory\s*:\s*1\dMB/);
    expect(statusOf(screen)).toEqual({ pass: 0, errors: 0 });
  }, 1_800_000);

  it("boots by the Linux boot protocol and completes its first pass without errors", async (ctx) => {
    const image = requireFixture(ctx, "memtest86+ia32.bin", "memtest");
    // A 10 MIPS virtual CPU (100 ns per instruction): the tests cost the same instructions, but
    // the bit fade test's two 80 s waits (it spins on RDTSC, so idle skipping can't shorten them)
    // cost a tenth as many as on the default 100 MIPS machine.
    const con = await bootGuest({
      memoryBytes: MEMORY, kernel: { image, cmdline: "console=ttyS0,115200" }, bootOrder: ["hd"], acpi: false, apic: false,
      nsPerInstruction: 100,
    });
    const screen = new Screen();
    await runScreenUntil(con, screen, (t) => t.includes("Memtest86+ v6.10"), 100, "the memtest screen");
    // About 2150 s of guest time (21.5 G instructions) reach test 10, whose two fades wait 80 s each.
    await runScreenUntil(con, screen, () => (statusOf(screen)?.pass ?? 0) >= 1, 4000, "the end of the first pass");
    expect(statusOf(screen)).toEqual({ pass: 1, errors: 0 });
  }, 7_200_000);
});
