// Debian 12's i386 kernel with the busybox initramfs, booted by lab86's BIOS (--kernel path),
// reaching a shell on ttyS0 that runs a command.
import { describe, it, expect } from "vitest";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";
import { waitForAsync } from "./async-wait";

const PROMPT = "lab86:/# ";

describe("Linux 6.1 (Debian 686) + busybox", () => {
  it("boots to a shell on ttyS0 and runs a command (our BIOS, ACPI and APIC off)", async (ctx) => {
    const kernel = requireFixture(ctx, "vmlinuz-686", "linux");
    const initrd = requireFixture(ctx, "initramfs-busybox.cpio.gz", "linux");
    const con = await bootGuest({
      memoryBytes: 128 << 20,
      kernel: { image: kernel, initrd, cmdline: "console=ttyS0 quiet nokaslr cryptomgr.notests" },
      bootOrder: ["hd"], acpi: false, apic: false,
    });
    const at = await waitForAsync(con, PROMPT, 120);
    expect(con.output).toMatch(/lab86-initramfs: 6\.1\.0-\d+-686 up, 1 cpu/);
    con.type("echo $((6*7)) $(cat /proc/cpuinfo | grep -c sse2)\n");
    const end = await waitForAsync(con, PROMPT, 30, at);
    expect(con.output.slice(at, end)).toMatch(/\r\n42 1\r\n/);
  }, 30 * 60_000); // a hang guard only: the wait itself is bounded in guest time
});
