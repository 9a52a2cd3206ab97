// Test helper: a bare CPU with RAM and a ROM, no devices. Port writes are recorded.
import { readFileSync, existsSync } from "node:fs";
import { Cpu } from "../../src/machine/cpu";
import * as L from "../../asm/layout";

export const DEBUG_WASM = "build/cpu.debug.wasm";

export interface BareCpu {
  cpu: Cpu;
  portWrites: { port: number; size: number; value: number }[];
  portReads: Map<number, number>;
  pendingVector: number;
}

/** Map RAM at 0 and `rom` at the top of the first megabyte and below 4 GiB, as a PC does. */
export async function bareCpu(rom: Uint8Array, ramMiB = 16): Promise<BareCpu> {
  if (!existsSync(DEBUG_WASM)) throw new Error(`${DEBUG_WASM} is missing: run 'npm run build:wasm'`);
  const st: BareCpu = { cpu: undefined as unknown as Cpu, portWrites: [], portReads: new Map(), pendingVector: 0x20 };
  const cpu = await Cpu.create(readFileSync(DEBUG_WASM), ramMiB << 20, 0, {
    ioRead: (port) => st.portReads.get(port) ?? 0xffffffff,
    ioWrite: (port, size, value) => void st.portWrites.push({ port, size, value }),
    mmioRead: () => 0xffffffff,
    mmioWrite: () => {},
    intrAck: () => st.pendingVector,
  });
  st.cpu = cpu;
  cpu.mapPhys(0, cpu.ramBytes, cpu.ramOffset, 0);
  const size = rom.length;
  cpu.u8.set(rom, L.ROM);
  cpu.mapPhys(0x100000 - size, size, L.ROM, L.PHYS_READONLY);
  cpu.mapPhys(0x1_0000_0000 - size, size, L.ROM, L.PHYS_READONLY);
  cpu.reset();
  return st;
}

/** A 64 KiB ROM image whose reset vector (offset 0xfff0) jumps to `code` placed at offset 0. */
export function romWith(code: number[] | Uint8Array): Uint8Array {
  const rom = new Uint8Array(0x10000).fill(0xf4);
  rom.set(code, 0);
  // FFFF:0000 reset vector at F000:FFF0: JMP F000:0000
  rom.set([0xea, 0x00, 0x00, 0x00, 0xf0], 0xfff0);
  return rom;
}
