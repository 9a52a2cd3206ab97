// ISOLINUX 6.04 on an El Torito no-emulation CD booted by lab86's BIOS (boot order: CD): the
// boot image loads at 07C0:0000 with DL = E0h, ISOLINUX reads the rest of the disc through INT 13h
// AH=42h with 2048-byte sectors, then the Debian 686 kernel and the busybox initramfs come up on
// ttyS0 and run a command.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";
import { waitForAsync } from "./async-wait";

const PROMPT = "lab86:/# ";

describe("ISOLINUX + Linux from a CD", () => {
  it("boots ISOLINUX through El Torito, then the kernel to a shell, and runs a command", async (ctx) => {
    const iso = requireFixture(ctx, "linux-isolinux.iso", "linux-iso");
    const con = await bootGuest({
      memoryBytes: 128 << 20,
      cdrom: new MemoryBackend(iso, true),
      bootOrder: ["cd", "hd"], acpi: false, apic: false,
    });
    let at = await waitForAsync(con, "ISOLINUX 6.04", 5);
    at = await waitForAsync(con, "Loading /kernel... ok", 10, at);
    at = await waitForAsync(con, "Loading /initrd...ok", 10, at);
    at = await waitForAsync(con, PROMPT, 240, at);
    expect(con.output).toMatch(/lab86-initramfs: 6\.1\.0-\d+-686 up/);
    con.type("echo $((6*7)); cat /proc/cmdline\n");
    const end = await waitForAsync(con, PROMPT, 30, at);
    const reply = con.output.slice(at, end);
    expect(reply).toMatch(/\r\n42\r\n/);
    expect(reply).toMatch(/console=ttyS0/);
  }, 3_600_000);
});
