// SYSLINUX 6.04 on a hard-disk image (MBR, FAT16 partition) booted by lab86's BIOS: the MBR and
// SYSLINUX load through INT 13h (EDD packets), then the Debian 686 kernel and the busybox
// initramfs come up on ttyS0 and run a command. SYSLINUX talks on COM1 (SERIAL 0 115200).
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";
import { waitForAsync } from "./async-wait";

const PROMPT = "lab86:/# ";

describe("SYSLINUX + Linux from a hard disk", () => {
  it("boots SYSLINUX from drive 80h, then the kernel to a shell, and runs a command", async (ctx) => {
    const image = requireFixture(ctx, "linux-syslinux.img", "linux-hd");
    const con = await bootGuest({
      memoryBytes: 128 << 20,
      hda: new MemoryBackend(image),
      bootOrder: ["hd"], acpi: false, apic: false,
    });
    let at = await waitForAsync(con, "SYSLINUX 6.04", 5);
    at = await waitForAsync(con, "Loading /kernel... ok", 10, at);
    at = await waitForAsync(con, "Loading /initrd...ok", 10, at);
    at = await waitForAsync(con, PROMPT, 240, at);
    expect(con.output).toMatch(/lab86-initramfs: 6\.1\.0-\d+-686 up/);
    // SYSLINUX passed its APPEND line (and the image name) to the kernel.
    con.type("echo $((6*7)); cat /proc/cmdline\n");
    const end = await waitForAsync(con, PROMPT, 30, at);
    const reply = con.output.slice(at, end);
    expect(reply).toMatch(/\r\n42\r\n/);
    expect(reply).toMatch(/BOOT_IMAGE=\/kernel initrd=\/initrd console=ttyS0/);
  }, 3_600_000);
});
