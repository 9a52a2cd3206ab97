// memtest86+ 6.10 (ia32) on lab86, shared by memtest-iso.test.ts (from an ISOLINUX CD, El Torito
// no emulation) and memtest-linux.test.ts (by the Linux boot protocol, PcConfig.kernel), with its
// console on COM1 (console=ttyS0,115200). Each must reach its test screen and run its first pass
// over all of (small) memory without an error. What it
// shows was taken from QEMU 7.2 + SeaBIOS with the same ISO and 16 MiB: the header
// "Memtest86+ v6.10", "#<n> [<test name>]" for the running test, and the status line
// "Pass: <n>  Errors: <n>", whose pass count becomes 1 when tests 0-10 have all run (the last,
// the bit fade test, waits 2 x 80 s). Memtest positions its text with VT100 cursor moves, so
// the checks read a model of its 80x25 screen.
import type { GuestConsole } from "../support/guest";
import { runUntilAsync } from "./async-wait";

/** The 80x25 screen a VT100 would show for memtest's output (cursor moves, clears; attributes ignored). */
export class Screen {
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

export function statusOf(screen: Screen): { pass: number; errors: number } | null {
  const m = /Pass:\s+(\d+)\s+Errors:\s+(\d+)/.exec(screen.text());
  return m ? { pass: Number(m[1]), errors: Number(m[2]) } : null;
}

/** Run until the screen satisfies `done`, checking that no error was ever counted. */
export async function runScreenUntil(con: GuestConsole, screen: Screen, done: (text: string) => boolean, maxVirtualSeconds: number, what: string): Promise<void> {
  await runUntilAsync(con, () => {
    screen.update(con.output);
    const s = statusOf(screen);
    if (s && s.errors !== 0) throw new Error(`memtest counted ${s.errors} errors:\n${screen.text()}`);
    return done(screen.text()) ? true : null;
  }, maxVirtualSeconds, what);
}

/** Guest RAM for both memtest tests: small, so that a full pass stays cheap. */
export const MEMTEST_MEMORY = 16 << 20;

/**
 * A 10 MIPS virtual CPU (100 ns per instruction): the tests cost the same instructions, but the
 * bit fade test's two 80 s waits (it spins on RDTSC, so idle skipping can't shorten them) cost a
 * tenth as many as on the default 100 MIPS machine.
 */
export const MEMTEST_NS_PER_INSTRUCTION = 100;

/** About 2150 s of guest time at 10 MIPS (21.5 G instructions) reach test 10, whose two fades wait 80 s each. */
export const FIRST_PASS_VIRTUAL_SECONDS = 4000;

