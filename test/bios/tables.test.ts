// Firmware tables checked by independent tools: ACPICA's iasl disassembles our DSDT, and
// dmidecode decodes our SMBIOS table from a dump file.
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildAcpiTables, buildDsdt, type AcpiConfig } from "../../bios/tables/acpi";
import { buildSmbios } from "../../bios/tables/smbios";
import { checkTool, missingTool } from "../support/nasm";

const cfg: AcpiConfig = {
  base: 0x7ff0000, pmBase: 0xb000, sciIrq: 9, apic: true,
  ioApicAddress: 0xfec00000, localApicAddress: 0xfee00000, pirqIrqs: [10, 10, 11, 11],
  pciMemWindow: [0xe0000000, 0xfebfffff],
};

function sum(b: Uint8Array): number {
  return b.reduce((s, x) => (s + x) & 0xff, 0);
}
function tmp(): string {
  mkdirSync("build/tmp", { recursive: true });
  return mkdtempSync("build/tmp/tables-");
}

describe("ACPI tables", () => {
  it("RSDP, RSDT, FADT and MADT have valid signatures, lengths, checksums and pointers", () => {
    const { blob, rsdp } = buildAcpiTables(cfg);
    expect(new TextDecoder().decode(rsdp.subarray(0, 8))).toBe("RSD PTR ");
    expect(sum(rsdp)).toBe(0);
    const dv = new DataView(blob.buffer);
    const at = (addr: number) => addr - cfg.base;
    const rsdt = at(new DataView(rsdp.buffer).getUint32(16, true));
    const table = (o: number) => ({ sig: new TextDecoder().decode(blob.subarray(o, o + 4)), len: dv.getUint32(o + 4, true) });
    expect(table(rsdt).sig).toBe("RSDT");
    expect(sum(blob.subarray(rsdt, rsdt + table(rsdt).len))).toBe(0);
    const entries = (table(rsdt).len - 36) / 4;
    const sigs = [];
    for (let i = 0; i < entries; i++) {
      const o = at(dv.getUint32(rsdt + 36 + 4 * i, true));
      const t = table(o);
      sigs.push(t.sig);
      expect(sum(blob.subarray(o, o + t.len))).toBe(0);
      if (t.sig === "FACP") {
        expect(t.len).toBe(116); // ACPI 1.0 FADT
        expect(dv.getUint16(o + 46, true)).toBe(9); // SCI_INT
        expect(dv.getUint32(o + 76, true)).toBe(0xb008); // PM_TMR_BLK
        const dsdt = at(dv.getUint32(o + 40, true));
        expect(table(dsdt).sig).toBe("DSDT");
        const facs = at(dv.getUint32(o + 36, true));
        expect(table(facs).sig).toBe("FACS");
        expect((facs + cfg.base) % 64).toBe(0);
      }
      if (t.sig === "APIC") {
        expect(dv.getUint32(o + 36, true)).toBe(0xfee00000);
        // The IRQ 0 -> GSI 2 override is present (type 2, source 0, GSI 2).
        let found = false;
        for (let e = o + 44; e < o + t.len; e += blob[e + 1]) {
          if (blob[e] === 2 && blob[e + 3] === 0) found = dv.getUint32(e + 4, true) === 2;
        }
        expect(found).toBe(true);
      }
    }
    expect(sigs).toEqual(["FACP", "APIC"]);
    expect(buildAcpiTables({ ...cfg, apic: false }).blob.length).toBeLessThan(blob.length);
  });

  it.skipIf(missingTool(checkTool("iasl", ["-v"], "acpica-tools")))("the DSDT disassembles with iasl into _S5 and a PCI root bridge with _PRT", () => {
    const dir = tmp();
    writeFileSync(join(dir, "dsdt.aml"), buildDsdt(cfg));
    execFileSync("iasl", ["-d", "dsdt.aml"], { cwd: dir, stdio: "pipe" });
    const dsl = readFileSync(join(dir, "dsdt.dsl"), "utf8");
    expect(dsl).toMatch(/Name \(\\_S5, Package \(0x04\)/);
    expect(dsl).toMatch(/Device \(PCI0\)/);
    expect(dsl).toMatch(/EisaId \("PNP0A03"\)/);
    // Slot 1 INTA -> PIRQB (swizzle (1 + 0) & 3 = 1) -> IRQ 10.
    expect(dsl).toMatch(/0x0001FFFF,\s*\n\s*Zero,\s*\n\s*Zero,\s*\n\s*0x0A/);
    // Slot 2 INTA -> PIRQC -> IRQ 11.
    expect(dsl).toMatch(/0x0002FFFF,\s*\n\s*Zero,\s*\n\s*Zero,\s*\n\s*0x0B/);
  });
});

describe("SMBIOS", () => {
  const uuid = Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);

  it("entry point checksums and table fields", () => {
    const { entryPoint, table, count } = buildSmbios({ tableAddress: 0x7fe0000, ramBytes: 128 << 20, uuid, biosVersion: "0.1", biosDate: "11/21/2026" });
    expect(entryPoint.length).toBe(31);
    expect(sum(entryPoint)).toBe(0);
    expect(sum(entryPoint.subarray(0x10))).toBe(0);
    const dv = new DataView(entryPoint.buffer);
    expect(dv.getUint16(0x16, true)).toBe(table.length);
    expect(dv.getUint16(0x1c, true)).toBe(count);
  });

  it.skipIf(missingTool(checkTool("dmidecode", ["--version"], "dmidecode")))("dmidecode decodes it, with the machine UUID and memory size", () => {
    const { entryPoint, table } = buildSmbios({ tableAddress: 0x7fe0000, ramBytes: 128 << 20, uuid, biosVersion: "0.1", biosDate: "11/21/2026" });
    // dmidecode --from-dump: the entry point at 0, the table at 0x20 (the address field says where).
    const dump = new Uint8Array(0x20 + table.length);
    dump.set(entryPoint);
    dump.set(table, 0x20);
    new DataView(dump.buffer).setUint32(0x18, 0x20, true);
    dump[0x15] = 0;
    dump[0x15] = (0x100 - dump.subarray(0x10, 0x1f).reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
    dump[4] = 0;
    dump[4] = (0x100 - dump.subarray(0, 0x1f).reduce((s, x) => (s + x) & 0xff, 0)) & 0xff;
    const dir = tmp();
    writeFileSync(join(dir, "dmi.bin"), dump);
    const out = execFileSync("dmidecode", ["--from-dump", join(dir, "dmi.bin")], { encoding: "utf8" });
    expect(out).toMatch(/SMBIOS 2\.8 present/);
    expect(out).toMatch(/UUID: 12345678-9abc-def0-0123-456789abcdef/i);
    expect(out).toMatch(/Manufacturer: lab86/);
    expect(out).toMatch(/Size: 128 MB/);
    expect(out).toMatch(/Selectable boot is supported/);
    expect(out).not.toMatch(/Invalid|wrong|Bad checksum|broken/i);
  });
});
