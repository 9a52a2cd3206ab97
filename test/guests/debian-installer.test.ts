// The Debian 12 installer (netboot text image: the 686 kernel with a 30 MB initrd) started by
// lab86's BIOS with direct kernel boot, on the default PC (ACPI + APIC). With console=ttyS0 the
// installer runs its newt UI on the serial line; at priority=low it opens with its main menu.
// 512 MiB keeps it out of low-memory mode (below ~390 MiB it stops on a "Low memory" notice
// first, as QEMU shows with the same kernel and initrd).
import { describe, it, expect } from "vitest";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";

describe("Debian 12 installer", () => {
  it("reaches the installer's main menu on the serial console", async (ctx) => {
    const kernel = requireFixture(ctx, "d-i-linux", "installer");
    const initrd = requireFixture(ctx, "d-i-initrd.gz", "installer");
    const con = await bootGuest({
      memoryBytes: 512 << 20,
      kernel: { image: kernel, initrd, cmdline: "console=ttyS0 priority=low quiet nokaslr cryptomgr.notests" },
      bootOrder: ["hd"], acpi: true, apic: true,
    });
    const at = con.waitFor("Debian installer main menu", 900);
    console.log(`[guest] Debian installer: main menu after ${(con.pc.machine.clock.now / 1e9).toFixed(1)} s of guest time`);
    // The menu's first entries, drawn with the terminal's line-drawing characters around them.
    con.waitFor("Configure the keyboard", 10, at);
    expect(con.output.slice(at)).toMatch(/Choose language/);
  }, 3_600_000);
});
