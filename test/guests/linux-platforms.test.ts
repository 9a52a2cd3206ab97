// Debian 12's i386 kernel with the busybox initramfs on lab86's BIOS across the platform matrix
// (ACPI and the APICs on and off; both off is in linux.test.ts): each boot checks, from inside
// the guest, that the kernel used what the firmware described (MADT, MP table, DSDT, FADT).
import { describe, it, expect } from "vitest";
import { requireFixture } from "../support/fixtures";
import { bootGuest, type GuestConsole } from "../support/guest";

const PROMPT = "lab86:/# ";
const CMDLINE = "console=ttyS0 quiet nokaslr cryptomgr.notests";
/** A cap on wall time for a full boot on a loaded 2-core CI machine (the waits inside are virtual). */
const BOOT_TIMEOUT_MS = 900_000;

/** One line in the test log: how much guest time the boot took (never asserted). */
function logBoot(what: string, con: GuestConsole): void {
  console.log(`[guest] Linux (${what}): prompt after ${(con.pc.machine.clock.now / 1e9).toFixed(1)} s of guest time`);
}

/** Run a shell command line and return what it printed (after the echoed line, up to the next prompt). */
function run(con: GuestConsole, line: string, from: number, maxVirtualSeconds = 30): { text: string; at: number } {
  con.type(line + "\n");
  const at = con.waitFor(PROMPT, maxVirtualSeconds, from);
  // Without the terminal's echo of the command line itself.
  const echoed = con.output.indexOf("\n", from);
  return { text: con.output.slice(echoed + 1, at), at };
}

describe("Linux 6.1 (Debian 686) + busybox across the platform matrix", () => {
  it("ACPI and APIC on (the default PC): I/O APIC routing, SCI, PM timer, no firmware complaints, and poweroff through S5", async (ctx) => {
    const kernel = requireFixture(ctx, "vmlinuz-686", "linux");
    const initrd = requireFixture(ctx, "initramfs-busybox.cpio.gz", "linux");
    const con = await bootGuest({
      memoryBytes: 128 << 20,
      kernel: { image: kernel, initrd, cmdline: CMDLINE },
      bootOrder: ["hd"], acpi: true, apic: true,
    });
    let at = con.waitFor(PROMPT, 120);
    logBoot("ACPI + APIC", con);
    expect(con.output).toMatch(/lab86-initramfs: 6\.1\.0-\d+-686 up, 1 cpu/);
    // The PIT through the MADT's IRQ 0 -> GSI 2 override, the SCI level triggered on pin 9.
    const irqs = run(con, "cat /proc/interrupts", at);
    expect(irqs.text).toMatch(/^\s*0:\s+\d+\s+IO-APIC\s+2-edge\s+timer/m);
    expect(irqs.text).toMatch(/^\s*9:\s+\d+\s+IO-APIC\s+9-fasteoi\s+acpi/m);
    expect(irqs.text).toMatch(/^\s*4:\s+\d+\s+IO-APIC\s+4-edge\s+ttyS0/m);
    const cs = run(con, "cat /sys/devices/system/clocksource/clocksource0/available_clocksource", irqs.at);
    expect(cs.text).toMatch(/acpi_pm/);
    // Every table parsed without a complaint; the DSDT's _CRS gave the root bus its windows, and
    // the legacy devices came from ACPI PnP.
    const bugs = run(con, "dmesg | grep -c -i -E 'firmware bug|acpi error|acpi warning|acpi bios|no compatible bridge window'", cs.at);
    expect(bugs.text).toMatch(/^0\r?$/m);
    const pnp = run(con, "dmesg | grep -E 'PnP ACPI: found|root bus resource \\[mem|ttyS[0-3] at'", bugs.at);
    expect(pnp.text).toMatch(/PnP ACPI: found 8 devices/);
    expect(pnp.text).toMatch(/root bus resource \[mem 0xe0000000-0xfebfffff window\]/);
    // All four UARTs come from ACPI PnP (named by PnP device, not by the legacy probe).
    expect(pnp.text.match(/00:0\d: ttyS[0-3] at I\/O/g)).toHaveLength(4);
    at = pnp.at;
    con.type("poweroff -f\n");
    expect(() => con.waitFor("never printed", 30, at)).toThrow(/stopped: the guest powered off/);
  }, BOOT_TIMEOUT_MS);

  it("ACPI off, APIC on: the MP table gives the I/O APIC and its routing", async (ctx) => {
    const kernel = requireFixture(ctx, "vmlinuz-686", "linux");
    const initrd = requireFixture(ctx, "initramfs-busybox.cpio.gz", "linux");
    const con = await bootGuest({
      memoryBytes: 96 << 20,
      kernel: { image: kernel, initrd, cmdline: CMDLINE },
      bootOrder: ["hd"], acpi: false, apic: true,
    });
    const at = con.waitFor(PROMPT, 120);
    logBoot("APIC, no ACPI", con);
    const irqs = run(con, "cat /proc/interrupts; dmesg | grep -E 'MP-table|MPTABLE|Processor #|IOAPIC\\[0\\]'", at);
    expect(irqs.text).toMatch(/found SMP MP-table at \[mem 0x0009fc60-0x0009fc6f\]/);
    expect(irqs.text).toMatch(/IOAPIC\[0\]: apic_id 1, version 17, address 0xfec00000, GSI 0-23/);
    expect(irqs.text).toMatch(/^\s*0:\s+\d+\s+IO-APIC\s+2-edge\s+timer/m);
    expect(irqs.text).toMatch(/^\s*4:\s+\d+\s+IO-APIC\s+4-edge\s+ttyS0/m);
    // Only the 8259 cascade stays on the PIC, as with the I/O APIC on any PC.
    expect(irqs.text).not.toMatch(/XT-PIC\s+(?!\s|cascade)/);
  }, BOOT_TIMEOUT_MS);

  it("ACPI on, APIC off: the 8259s with the SCI, the PM timer and ACPI power-off", async (ctx) => {
    const kernel = requireFixture(ctx, "vmlinuz-686", "linux");
    const initrd = requireFixture(ctx, "initramfs-busybox.cpio.gz", "linux");
    const con = await bootGuest({
      memoryBytes: 64 << 20,
      kernel: { image: kernel, initrd, cmdline: CMDLINE },
      bootOrder: ["hd"], acpi: true, apic: false,
    });
    const at = con.waitFor(PROMPT, 120);
    logBoot("ACPI, no APIC", con);
    const irqs = run(con, "cat /proc/interrupts; cat /sys/devices/system/clocksource/clocksource0/available_clocksource", at);
    expect(irqs.text).toMatch(/^\s*0:\s+\d+\s+XT-PIC\s+timer/m);
    expect(irqs.text).toMatch(/^\s*9:\s+\d+\s+XT-PIC\s+acpi/m);
    expect(irqs.text).not.toMatch(/IO-APIC/);
    expect(irqs.text).toMatch(/acpi_pm/);
    con.type("poweroff -f\n");
    expect(() => con.waitFor("never printed", 30, irqs.at)).toThrow(/stopped: the guest powered off/);
  }, BOOT_TIMEOUT_MS);
});
