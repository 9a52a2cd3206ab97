// The Bochs BIOS (Debian's bochsbios, BIOS-bochs-latest) with the LGPL VGA BIOS as the system
// firmware, booting SYSLINUX from the hard disk and ISOLINUX from the CD, then Linux to a shell.
// Its POST relocates SMBASE to A0000H through an SMI raised at the PIIX4's APMC port (APMC_EN)
// and installs an SMM handler in SMRAM that switches ACPI mode on the FADT's SMI_CMD commands, so
// these boots need lab86's SMM, the i440FX SMRAM register and the PIIX4's SMI.
//
// The Bochs BIOS's MADT has no interrupt source override for the SCI (IRQ 9), so Linux programs
// that I/O APIC pin active low, ACPI's default; these boots also check that lab86's I/O APIC, like
// QEMU's, does not let that polarity bit invert the line (src/machine/devices/ioapic.ts).
import { describe, it, expect } from "vitest";
import * as L from "../../asm/layout";
import { MemoryBackend } from "../../src/machine/block";
import { requireFixture } from "../support/fixtures";
import { bootGuest, type GuestConsole } from "../support/guest";
import { waitForAsync } from "./async-wait";

const PROMPT = "lab86:/# ";

async function bochsBios(ctx: Parameters<typeof requireFixture>[0], media: { hda?: Uint8Array; cdrom?: Uint8Array }) {
  const bios = requireFixture(ctx, "bochs-bios.bin", "bochsbios");
  const vgaBios = requireFixture(ctx, "vgabios-lgpl.bin", "bochsbios");
  let debug = "";
  const con = await bootGuest({
    memoryBytes: 128 << 20,
    bios, vgaBios,
    hda: media.hda ? new MemoryBackend(media.hda) : undefined,
    cdrom: media.cdrom ? new MemoryBackend(media.cdrom) : undefined,
    bootOrder: [media.hda ? "hd" : "cd"], acpi: true, apic: true,
    // The Bochs BIOS's info messages (port 402h, rombios BX_INFO).
    debugcon: [{ port: 0x402, onByte: (b) => void (debug += String.fromCharCode(b)) }],
  });
  let smmEntries = 0;
  const machine = con.pc.machine;
  const report = machine.onSmmChange;
  machine.onSmmChange = (inSmm) => {
    if (inSmm) smmEntries++;
    report(inSmm);
  };
  return { con, debug: () => debug, smmEntries: () => smmEntries };
}

/** Run a shell command and return its output lines (marked "@@ " so the echoed command never matches). */
async function shell(con: GuestConsole, at: { pos: number }, line: string): Promise<string> {
  con.type(`${line} | sed "s/^/$(echo @@) /"\n`);
  const end = await waitForAsync(con, PROMPT, 30, at.pos);
  const text = con.output.slice(at.pos, end).split(/\r?\n/).filter((l) => l.startsWith("@@ ")).map((l) => l.slice(3)).join("\n");
  at.pos = end;
  return text;
}

describe("the Bochs BIOS + SYSLINUX/ISOLINUX + Linux", () => {
  it("boots the SYSLINUX disk to a shell; its SMM handler puts Linux in ACPI mode", async (ctx) => {
    const image = requireFixture(ctx, "linux-syslinux.img", "linux-hd");
    const g = await bochsBios(ctx, { hda: image });
    const con = g.con;
    const at = { pos: await waitForAsync(con, "SYSLINUX 6.04", 20) };
    expect(g.debug()).toMatch(/Starting rombios32/);
    expect(g.debug()).toMatch(/ata0-0: PCHS=65\/16\/63/);
    // POST's SMI relocated SMBASE (rombios32 smm_init), and closed SMRAM with G_SMRAME set.
    expect(g.smmEntries()).toBe(1);
    expect(con.pc.machine.cpu.get(L.SMBASE)).toBe(0xa0000);
    at.pos = await waitForAsync(con, PROMPT, 300, at.pos);
    console.log(`[guest] Bochs BIOS + SYSLINUX + Linux: prompt after ${(con.pc.machine.clock.now / 1e9).toFixed(1)} s of guest time`);
    const dmesg = await shell(con, at, "dmesg | grep -E 'ACPI: (RSDP|FACP)|Interpreter|ACPI mode|nobody cared'");
    expect(dmesg).toMatch(/ACPI: RSDP 0x000000000*F[0-9A-F]{4} 000014 \(v00 BOCHS \)/);
    expect(dmesg).toMatch(/ACPI: Interpreter enabled/);
    expect(dmesg).not.toMatch(/Hardware did not enter ACPI mode|nobody cared/);
    // Linux wrote ACPI_ENABLE to SMI_CMD (B2h): one more SMI, served by the handler in SMRAM.
    expect(g.smmEntries()).toBe(2);
    const irqs = await shell(con, at, "cat /proc/interrupts");
    expect(irqs).toMatch(/^\s*9:\s+\d+\s+IO-APIC\s+9-fasteoi\s+acpi/m);
    expect(irqs).toMatch(/^\s*0:\s+\d+\s+IO-APIC\s+2-edge\s+timer/m);
    expect(await shell(con, at, "echo $((6 * 7)) > /tmp/x; cat /tmp/x")).toBe("42");
  }, 1_800_000);

  it("boots the ISOLINUX CD to a shell", async (ctx) => {
    const iso = requireFixture(ctx, "linux-isolinux.iso", "linux-iso");
    const g = await bochsBios(ctx, { cdrom: iso });
    const con = g.con;
    const at = { pos: await waitForAsync(con, "ISOLINUX 6.04", 20) };
    at.pos = await waitForAsync(con, PROMPT, 300, at.pos);
    console.log(`[guest] Bochs BIOS + ISOLINUX + Linux: prompt after ${(con.pc.machine.clock.now / 1e9).toFixed(1)} s of guest time`);
    expect(await shell(con, at, "uname -sr")).toMatch(/^Linux 6\.1\.0-/);
    expect(g.smmEntries()).toBe(2);
  }, 1_800_000);
});
