// SeaBIOS (Debian's QEMU build) as the system firmware with SeaVGABIOS, booting SYSLINUX from the
// hard disk and then Linux to a shell. SeaBIOS finds our fw_cfg (the boot order, the IRQ 0
// override) but no QEMU table loader, so it takes the RAM size from CMOS and builds its own ACPI,
// MP, PIR and SMBIOS tables for the i440FX/PIIX4 it finds on PCI; the guest must then run with
// ACPI (entered through the FADT's SMI_CMD port) and the timer on I/O APIC pin 2.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest } from "../support/guest";

const PROMPT = "lab86:/# ";

describe("SeaBIOS + SYSLINUX + Linux", () => {
  it("SeaBIOS boots the SYSLINUX disk; Linux enters ACPI mode, routes through the I/O APIC and powers off through S5", async (ctx) => {
    const bios = requireFixture(ctx, "seabios.bin", "seabios");
    const vgaBios = requireFixture(ctx, "vgabios-stdvga.bin", "seabios");
    const image = requireFixture(ctx, "linux-syslinux.img", "linux-hd");
    let debug = "";
    const con = await bootGuest({
      memoryBytes: 128 << 20,
      bios, vgaBios,
      hda: new MemoryBackend(image),
      bootOrder: ["hd"], acpi: true, apic: true,
      // SeaBIOS's debug console (QEMU's isa-debugcon at 402h).
      debugcon: [{ port: 0x402, onByte: (b) => void (debug += String.fromCharCode(b)) }],
    });
    let at = con.waitFor("SYSLINUX 6.04", 10);
    expect(debug).toMatch(/SeaBIOS \(version 1\.16/);
    expect(debug).toMatch(/Found QEMU fw_cfg/);
    expect(debug).toMatch(/RamSize: 0x08000000 \[cmos\]/);
    expect(debug).toMatch(/boot order:\r?\n1: \/pci@i0cf8\/\*@1,1\/drive@0\/disk@0\r?\n(?!2:)/);
    expect(debug).toMatch(/ata0-0: LAB86 HARDDISK/);
    expect(debug).toMatch(/Booting from Hard Disk/);
    // The image's APPEND line has no cryptomgr.notests: the crypto self-tests run (~3 G instructions).
    at = con.waitFor(PROMPT, 300, at);
    console.log(`[guest] SeaBIOS + SYSLINUX + Linux: prompt after ${(con.pc.machine.clock.now / 1e9).toFixed(1)} s of guest time`);
    // What a command printed, each line marked by the shell with "@@ " so that the terminal's
    // echo of the command line (wrapped over several lines when long) never matches.
    const out = (line: string) => {
      con.type(`${line} | sed "s/^/$(echo @@) /"\n`);
      const end = con.waitFor(PROMPT, 30, at);
      const text = con.output.slice(at, end).split(/\r?\n/).filter((l) => l.startsWith("@@ ")).map((l) => l.slice(3)).join("\n");
      at = end;
      return text;
    };
    const tables = out("dmesg | grep -E 'ACPI: (RSDP|APIC|FACP)|MP-table|Unable to enable ACPI|Interpreter (enabled|disabled)|INT_SRC_OVR|MP-BIOS bug'");
    expect(tables).toMatch(/ACPI: RSDP 0x000000000*F[0-9A-F]{4} 000014 \(v00 BOCHS \)/);
    expect(tables).toMatch(/ACPI: APIC 0x/);
    expect(tables).toMatch(/found SMP MP-table at/);
    expect(tables).toMatch(/ACPI: Interpreter enabled/);
    expect(tables).not.toMatch(/Unable to enable ACPI|Interpreter disabled/);
    expect(tables).toMatch(/INT_SRC_OVR \(bus 0 bus_irq 0 global_irq 2 dfl dfl\)/);
    expect(tables).not.toMatch(/MP-BIOS bug/);
    const irqs = out("cat /proc/interrupts");
    expect(irqs).toMatch(/^\s*0:\s+\d+\s+IO-APIC\s+2-edge\s+timer/m);
    expect(irqs).toMatch(/^\s*9:\s+\d+\s+IO-APIC\s+9-fasteoi\s+acpi/m);
    expect(irqs).toMatch(/^\s*4:\s+\d+\s+IO-APIC\s+4-edge\s+ttyS0/m);
    // SeaBIOS's DSDT \_S5 through the PIIX4 PM block.
    con.type("poweroff -f\n");
    expect(() => con.waitFor("never printed", 30, at)).toThrow(/stopped: the guest powered off/);
  }, 1_800_000);
});
