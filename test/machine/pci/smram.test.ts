// SMRAM on the i440FX PC (82441FX 3.2.21, SMRAM control register 72h): what the CPU sees at
// 0xA0000-0xBFFFF is DRAM while D_OPEN is set, or while the CPU is in SMM with G_SMRAME set;
// otherwise the VGA. The CPU reports SMM entry before it writes the state save map, so a map at
// SMBASE A0000H lands in DRAM; RSM gives the VGA back. A snapshot taken in SMM restores the view,
// whichever of the CPU and the host bridge is loaded first.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import * as L from "../../../asm/layout";
import { Pc } from "../../../src/machine/pc";
import { loadDevice, saveDevice, type Device } from "../../../src/machine/state";
import { DEBUG_WASM } from "../../support/cpu";
import { cfgRead, cfgWrite } from "./helpers";

const D_OPEN = 0x40, D_LCK = 0x10, G_SMRAME = 0x08, C_BASE_SEG = 0x02;
const JMP_SELF = [0xeb, 0xfe];
const RSM = [0x0f, 0xaa];

async function pc(): Promise<Pc> {
  const p = await Pc.create({
    memoryBytes: 32 << 20, wasm: readFileSync(DEBUG_WASM),
    bootOrder: [], acpi: true, apic: true, rtcBaseTime: 0, uuid: new Uint8Array(16),
  });
  p.machine.tripleFault = "stop";
  return p;
}
const smram = (p: Pc, v: number) => cfgWrite(p.machine.io, 0, 0, 0x72, 1, v);
const read8 = (p: Pc, a: number) => p.machine.phys.read(a, 1)[0];
/** Does the CPU's physical map show DRAM at `a`? Probe with a byte the VGA side cannot hold. */
function dramVisible(p: Pc, a = 0xa0000): boolean {
  const ram = p.machine.cpu.ram();
  ram[a] = 0x5a;
  const seen = read8(p, a) === 0x5a;
  p.machine.phys.write(a, Uint8Array.of(0xa5));
  const wrote = ram[a] === 0xa5;
  expect(wrote).toBe(seen); // reads and writes take the same path
  return seen;
}
/** Put a handler at SMBASE + 8000H in DRAM and latch an SMI; run one slice. */
function enterSmm(p: Pc, smbase: number, code: number[]): void {
  const cpu = p.machine.cpu;
  cpu.set(L.SMBASE, smbase);
  cpu.ram().set(code, smbase + 0x8000);
  p.machine.raiseSmi();
  p.machine.runSlice(Infinity, 1000);
}

describe("i440FX SMRAM", () => {
  it("D_OPEN shows DRAM at 0xA0000-0xBFFFF to code outside SMM; closing gives the VGA back", async () => {
    const p = await pc();
    expect(cfgRead(p.machine.io, 0, 0, 0x72, 1)).toBe(C_BASE_SEG);
    expect(dramVisible(p)).toBe(false);
    smram(p, D_OPEN | G_SMRAME | C_BASE_SEG);
    expect(dramVisible(p, 0xa0000)).toBe(true);
    expect(dramVisible(p, 0xbf000)).toBe(true);
    smram(p, G_SMRAME | C_BASE_SEG);
    expect(dramVisible(p)).toBe(false);
    expect(dramVisible(p, 0xbf000)).toBe(false);
  });

  it("in SMM with G_SMRAME the CPU sees DRAM: the state save map at SMBASE A0000H goes there, and RSM closes it", async () => {
    const p = await pc();
    const cpu = p.machine.cpu;
    smram(p, G_SMRAME | C_BASE_SEG);
    expect(dramVisible(p)).toBe(false);
    enterSmm(p, 0xa0000, JMP_SELF);
    expect(cpu.get(L.IN_SMM)).toBe(1);
    expect(cpu.eip).toBe(0x8000); // spinning in the handler, fetched from DRAM
    const ram = new DataView(cpu.ram().buffer, cpu.ramOffset);
    expect(ram.getUint32(0xafefc, true)).toBe(0x00020000); // revision ID in the DRAM map
    expect(ram.getUint32(0xafef8, true)).toBe(0xa0000);
    expect(ram.getUint32(0xafff0, true)).toBe(0xfff0); // EIP at reset
    expect(dramVisible(p, 0xb0000)).toBe(true);
    cpu.ram().set(RSM, 0xa8000);
    p.machine.runSlice(Infinity, 1);
    expect(cpu.get(L.IN_SMM)).toBe(0);
    expect(cpu.eip).toBe(0xfff0);
    expect(dramVisible(p, 0xb0000)).toBe(false);
  });

  it("without G_SMRAME, SMM sees the VGA like everyone else; D_LCK keeps D_OPEN from opening", async () => {
    const p = await pc();
    smram(p, C_BASE_SEG);
    enterSmm(p, 0x30000, JMP_SELF);
    expect(p.machine.cpu.get(L.IN_SMM)).toBe(1);
    expect(dramVisible(p)).toBe(false);
    smram(p, D_LCK | G_SMRAME | C_BASE_SEG);
    expect(dramVisible(p)).toBe(true); // in SMM with G_SMRAME
    smram(p, D_OPEN | D_LCK | G_SMRAME | C_BASE_SEG);
    expect(cfgRead(p.machine.io, 0, 0, 0x72, 1) & D_OPEN).toBe(0);
    p.machine.cpu.ram().set(RSM, 0x38000);
    p.machine.runSlice(Infinity, 1);
    expect(p.machine.cpu.get(L.IN_SMM)).toBe(0);
    expect(dramVisible(p)).toBe(false);
  });

  for (const order of ["the CPU first", "the host bridge first"]) {
    it(`a snapshot taken in SMM restores the SMRAM view (${order}) and RSM returns`, async () => {
      const a = await pc();
      smram(a, G_SMRAME | C_BASE_SEG);
      enterSmm(a, 0xa0000, JMP_SELF);
      expect(a.machine.cpu.get(L.IN_SMM)).toBe(1);
      const bridge = (p: Pc) => p.machine.devices.find((d) => d.name === "i440fx") as Device;
      const cpuState = a.machine.cpu.saveState();
      const bridgeState = saveDevice(bridge(a));
      const ram = a.machine.cpu.ram().slice();

      const b = await pc();
      b.machine.cpu.ram().set(ram);
      if (order === "the CPU first") {
        b.machine.cpu.loadState(cpuState);
        loadDevice(bridge(b), bridgeState);
      } else {
        loadDevice(bridge(b), bridgeState);
        b.machine.cpu.loadState(cpuState);
      }
      const cpu = b.machine.cpu;
      expect([cpu.get(L.IN_SMM), cpu.get(L.SMBASE), cpu.get(L.SMI_PENDING)]).toEqual([1, 0xa0000, 0]);
      expect(read8(b, 0xa8000)).toBe(JMP_SELF[0]);
      cpu.ram().set(RSM, 0xa8000);
      b.machine.runSlice(Infinity, 1);
      expect(cpu.get(L.IN_SMM)).toBe(0);
      expect(cpu.eip).toBe(0xfff0);
      expect(read8(b, 0xa8000)).not.toBe(RSM[0]);
    });
  }
});
