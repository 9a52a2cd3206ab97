// memtest86+ from an ISOLINUX CD (El Torito no emulation): ISOLINUX loads it, and it completes its
// first pass over 16 MiB with no errors (issue #3). The screen model and the figures behind the
// limits are in memtest-screen.ts.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";
import { waitForAsync } from "./async-wait";
import { Screen, statusOf, runScreenUntil, MEMTEST_MEMORY, MEMTEST_NS_PER_INSTRUCTION, FIRST_PASS_VIRTUAL_SECONDS } from "./memtest-screen";

describe("memtest86+ 6.10 from an ISOLINUX CD", () => {
  it("boots from the CD and completes its first pass without errors", async (ctx) => {
    const iso = requireFixture(ctx, "memtest86+ia32.iso", "memtest-iso");
    const con = await bootGuest({
      memoryBytes: MEMTEST_MEMORY, cdrom: new MemoryBackend(iso, true), bootOrder: ["cd"], acpi: false, apic: false,
      nsPerInstruction: MEMTEST_NS_PER_INSTRUCTION,
    });
    const at = await waitForAsync(con, "ISOLINUX 6.04", 50);
    await waitForAsync(con, "Loading /kernel... ok", 100, at);
    const screen = new Screen();
    await runScreenUntil(con, screen, (t) => t.includes("Memtest86+ v6.10"), 100, "the memtest screen");
    // Tests 0-3 (address tests, moving inversions of ones and zeros) have covered memory once
    // test 4 starts; the pass count becomes 1 after test 10.
    await runScreenUntil(con, screen, (t) => /#4\s+\[Moving inversions, 8 bit pattern\]/.test(t), 1000, "test #4");
    expect(statusOf(screen)).toEqual({ pass: 0, errors: 0 });
    await runScreenUntil(con, screen, () => (statusOf(screen)?.pass ?? 0) >= 1, FIRST_PASS_VIRTUAL_SECONDS, "the end of the first pass");
    expect(statusOf(screen)).toEqual({ pass: 1, errors: 0 });
    expect(screen.text()).toMatch(/Memory\s*:\s*1\dMB/);
  }, 7_200_000);
});
