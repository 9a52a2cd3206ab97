// The PIIX4's APM ports (82371AB 7.2.1): APMC (B2h) and the APMS scratch byte (B3h), the ACPI
// mode switch a FADT with SMI_CMD = B2h asks for (SeaBIOS's: F1h enable, F0h disable), and SMI#
// on APMC writes when APMC_EN (DEVACTB bit 25, config 58h) is set.
import { describe, it, expect } from "vitest";
import { IoBus } from "../../../src/machine/io";
import { IrqLine } from "../../../src/machine/irq";
import { VirtualClock } from "../../../src/machine/clock";
import { loadDevice, saveDevice } from "../../../src/machine/state";
import { AcpiPm } from "../../../src/machine/pci/acpi-pm";
import { Piix4Pm } from "../../../src/machine/pci/piix4-pm";
import { RecordingSink } from "./helpers";

function setup() {
  const io = new IoBus();
  const pm = new AcpiPm(new VirtualClock(), new IrqLine(new RecordingSink(), 9));
  const fn = new Piix4Pm(io, pm);
  return { io, pm, fn };
}

describe("PIIX4 APM control ports", () => {
  it("APMS is a read/write scratch byte and APMC reads back the last command", () => {
    const { io } = setup();
    io.write(0xb3, 1, 0x5a);
    expect(io.read(0xb3, 1)).toBe(0x5a);
    io.write(0xb2, 1, 0x42);
    expect(io.read(0xb2, 1)).toBe(0x42);
    expect(io.read(0xb3, 1)).toBe(0x5a);
  });

  it("ACPI_ENABLE (F1h) sets SCI_EN and ACPI_DISABLE (F0h) clears it; other commands leave it", () => {
    const { io, pm } = setup();
    expect(pm.read(0x04, 2) & 1).toBe(0);
    io.write(0xb2, 1, 0x12);
    expect(pm.read(0x04, 2) & 1).toBe(0);
    io.write(0xb2, 1, 0xf1);
    expect(pm.read(0x04, 2) & 1).toBe(1);
    io.write(0xb2, 1, 0x12);
    expect(pm.read(0x04, 2) & 1).toBe(1);
    io.write(0xb2, 1, 0xf0);
    expect(pm.read(0x04, 2) & 1).toBe(0);
  });

  it("the ports' bytes survive a snapshot and reset to zero", () => {
    const a = setup();
    a.io.write(0xb2, 1, 0xf1);
    a.io.write(0xb3, 1, 0x77);
    const b = setup();
    loadDevice(b.fn, saveDevice(a.fn));
    expect([b.io.read(0xb2, 1), b.io.read(0xb3, 1)]).toEqual([0xf1, 0x77]);
    b.fn.reset();
    expect([b.io.read(0xb2, 1), b.io.read(0xb3, 1)]).toEqual([0, 0]);
  });

  it("a write to APMC raises SMI only while APMC_EN is set, after the hardware ACPI switch", () => {
    const { io, pm, fn } = setup();
    const smis: number[] = [];
    fn.onSmi = () => smis.push(pm.read(0x04, 2) & 1);
    io.write(0xb2, 1, 0xf1);
    expect(smis).toEqual([]);
    fn.writeConfig(0x58, 4, 1 << 25);
    io.write(0xb2, 1, 0xf0);
    io.write(0xb2, 1, 0x00);
    io.write(0xb2, 1, 0xf1);
    expect(smis).toEqual([0, 0, 1]); // SCI_EN as the SMM handler finds it
    io.write(0xb3, 1, 0x01); // APMS never raises SMI
    fn.writeConfig(0x5b, 1, 0x00);
    io.write(0xb2, 1, 0x00);
    expect(smis.length).toBe(3);
  });
});
