// The MP Specification 1.4 tables, decoded field by field as the spec lays them out (chapter 4),
// and the DSDT's root bridge resources and legacy devices as iasl disassembles them.
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildMpTables, type MpConfig } from "../../bios/tables/mptable";
import { buildDsdt } from "../../bios/tables/acpi";
import { checkTool, missingTool } from "../support/nasm";

const cfg: MpConfig = {
  tableAddress: 0x7ff7000, localApicAddress: 0xfee00000, ioApicAddress: 0xfec00000, ioApicId: 1,
  ioApicVersion: 0x11, localApicVersion: 0x14, cpuSignature: 0x683, cpuFeatures: 0x381,
  pirqIrqs: [10, 10, 11, 11], pciInterrupts: [{ slot: 1, pin: 1 }, { slot: 2, pin: 1 }, { slot: 3, pin: 2 }],
  levelIrqs: [9, 10, 11],
};

const sum = (b: Uint8Array) => b.reduce((s, x) => (s + x) & 0xff, 0);
const ascii = (b: Uint8Array) => new TextDecoder().decode(b);

describe("MP table", () => {
  const { floating, table } = buildMpTables(cfg);
  const dv = new DataView(table.buffer);

  it("floating pointer: signature, table address, length, revision, checksum, virtual wire", () => {
    expect(floating.length).toBe(16);
    expect(ascii(floating.subarray(0, 4))).toBe("_MP_");
    expect(new DataView(floating.buffer).getUint32(4, true)).toBe(0x7ff7000);
    expect(floating[8]).toBe(1); // 16-byte units
    expect(floating[9]).toBe(4); // revision 1.4
    expect(sum(floating)).toBe(0);
    expect(floating[11]).toBe(0); // a configuration table follows, no default configuration
    expect(floating[12] & 0x80).toBe(0); // IMCRP clear
  });

  it("configuration table header and entries", () => {
    expect(ascii(table.subarray(0, 4))).toBe("PCMP");
    expect(dv.getUint16(4, true)).toBe(table.length);
    expect(table[6]).toBe(4);
    expect(sum(table)).toBe(0);
    expect(dv.getUint32(36, true)).toBe(0xfee00000);
    const count = dv.getUint16(34, true);
    const sizes: Record<number, number> = { 0: 20, 1: 8, 2: 8, 3: 8, 4: 8 };
    const entries: Uint8Array[] = [];
    for (let o = 44, i = 0; i < count; i++) {
      entries.push(table.subarray(o, o + sizes[table[o]]));
      o += sizes[table[o]];
    }
    expect(44 + entries.reduce((n, e) => n + e.length, 0)).toBe(table.length);
    // Sorted by type, as 4.3 requires.
    expect(entries.map((e) => e[0])).toEqual([...entries.map((e) => e[0])].sort());
    const cpu = entries.filter((e) => e[0] === 0);
    expect(cpu).toHaveLength(1);
    expect(cpu[0][3]).toBe(3); // enabled, bootstrap processor
    const buses = entries.filter((e) => e[0] === 1).map((e) => [e[1], ascii(e.subarray(2, 8))]);
    expect(buses).toEqual([[0, "PCI   "], [1, "ISA   "]]);
    const ioapic = entries.find((e) => e[0] === 2)!;
    expect([ioapic[1], ioapic[2], ioapic[3], new DataView(ioapic.buffer, ioapic.byteOffset).getUint32(4, true)]).toEqual([1, 0x11, 1, 0xfec00000]);
    // I/O interrupt entries: [type, flags, bus, bus irq, apic id, pin]
    const io = entries.filter((e) => e[0] === 3).map((e) => [e[1], e[2] | (e[3] << 8), e[4], e[5], e[6], e[7]]);
    expect(io).toContainEqual([3, 0, 1, 0, 1, 0]); // ExtINT on pin 0
    expect(io).toContainEqual([0, 0, 1, 0, 1, 2]); // ISA IRQ 0 on pin 2
    expect(io).toContainEqual([0, 0, 1, 4, 1, 4]); // COM1
    expect(io).toContainEqual([0, 0x0d, 1, 9, 1, 9]); // the SCI: level, active high
    expect(io.some((e) => e[2] === 1 && e[3] === 2)).toBe(false); // no ISA IRQ 2
    // PCI: slot 2 INTA -> PIRQC -> IRQ 11; slot 3 INTB -> PIRQA -> IRQ 10.
    expect(io).toContainEqual([0, 0x0d, 0, (2 << 2) | 0, 1, 11]);
    expect(io).toContainEqual([0, 0x0d, 0, (3 << 2) | 1, 1, 10]);
    const local = entries.filter((e) => e[0] === 4).map((e) => [e[1], e[6], e[7]]);
    expect(local).toEqual([[3, 0xff, 0], [1, 0xff, 1]]);
  });
});

describe("DSDT root bridge", () => {
  it.skipIf(missingTool(checkTool("iasl", ["-v"], "acpica-tools")))("iasl shows the PCI0 _CRS windows and the legacy PnP devices", () => {
    mkdirSync("build/tmp", { recursive: true });
    const dir = mkdtempSync("build/tmp/dsdt-");
    writeFileSync(join(dir, "dsdt.aml"), buildDsdt({
      base: 0x7ff0000, pmBase: 0xb000, sciIrq: 9, apic: true, ioApicAddress: 0xfec00000, localApicAddress: 0xfee00000,
      pirqIrqs: [10, 10, 11, 11], pciMemWindow: [0xe0000000, 0xfebfffff],
    }));
    execFileSync("iasl", ["-d", "dsdt.aml"], { cwd: dir, stdio: "pipe" });
    const dsl = readFileSync(join(dir, "dsdt.dsl"), "utf8");
    expect(dsl).toMatch(/WordBusNumber \(ResourceProducer, MinFixed, MaxFixed, PosDecode,\s*\n\s*0x0000,[^\n]*\n\s*0x0000,[^\n]*\n\s*0x00FF,/);
    expect(dsl).toMatch(/WordIO \(ResourceProducer[^\n]*\n\s*0x0000,[^\n]*\n\s*0x0D00,[^\n]*\n\s*0xFFFF,/);
    expect(dsl).toMatch(/DWordMemory \(ResourceProducer[^\n]*\n\s*0x00000000,[^\n]*\n\s*0xE0000000,[^\n]*\n\s*0xFEBFFFFF,/);
    for (const hid of ["PNP0303", "PNP0F13", "PNP0501", "PNP0B00", "PNP0700"]) expect(dsl).toContain(`EisaId ("${hid}")`);
    expect(dsl).toMatch(/IO \(Decode16,\s*\n\s*0x03F8,\s*\/\/ Range Minimum\s*\n\s*0x03F8,/);
    expect(dsl).toMatch(/IRQNoFlags \(\)\s*\n\s*\{4\}/);
    expect(dsl).not.toMatch(/Error|Warning/);
  });
});

describe("FADT interrupt model", () => {
  it("INT_MODEL (offset 44) is 1 with APICs and 0 for the dual 8259 model", async () => {
    const { buildAcpiTables } = await import("../../bios/tables/acpi");
    const fadtModel = (apic: boolean) => {
      const base = 0x7ff0000;
      const { blob, rsdp } = buildAcpiTables({
        base, pmBase: 0xb000, sciIrq: 9, apic, ioApicAddress: 0xfec00000, localApicAddress: 0xfee00000,
        pirqIrqs: [10, 10, 11, 11], pciMemWindow: [0xe0000000, 0xfebfffff],
      });
      const dv = new DataView(blob.buffer);
      const rsdt = new DataView(rsdp.buffer).getUint32(16, true) - base;
      const fadt = dv.getUint32(rsdt + 36, true) - base;
      expect(ascii(blob.subarray(fadt, fadt + 4))).toBe("FACP");
      return blob[fadt + 44];
    };
    expect(fadtModel(true)).toBe(1);
    expect(fadtModel(false)).toBe(0);
  });
});
