// memtest86+ booted by the Linux boot protocol (as `qemu -kernel memtest86+ia32.bin`): it completes
// its first pass over 16 MiB with no errors (issue #3). The screen model and the figures behind the
// limits are in memtest-screen.ts.
import { describe, it, expect } from "vitest";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";
import { Screen, statusOf, runScreenUntil, MEMTEST_MEMORY, MEMTEST_NS_PER_INSTRUCTION, FIRST_PASS_VIRTUAL_SECONDS } from "./memtest-screen";

describe("memtest86+ 6.10 by the Linux boot protocol", () => {
  it("completes its first pass without errors", async (ctx) => {
    const image = requireFixture(ctx, "memtest86+ia32.bin", "memtest");
    const con = await bootGuest({
      memoryBytes: MEMTEST_MEMORY, kernel: { image, cmdline: "console=ttyS0,115200" }, bootOrder: ["hd"], acpi: false, apic: false,
      nsPerInstruction: MEMTEST_NS_PER_INSTRUCTION,
    });
    const screen = new Screen();
    await runScreenUntil(con, screen, (t) => t.includes("Memtest86+ v6.10"), 100, "the memtest screen");
    await runScreenUntil(con, screen, () => (statusOf(screen)?.pass ?? 0) >= 1, FIRST_PASS_VIRTUAL_SECONDS, "the end of the first pass");
    expect(statusOf(screen)).toEqual({ pass: 1, errors: 0 });
    expect(screen.text()).toMatch(/Memory\s*:\s*1\dMB/);
  }, 7_200_000);
});
