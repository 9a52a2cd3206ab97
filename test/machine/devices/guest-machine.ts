// A Machine with the legacy chipset and a test ROM as its BIOS, for guests that drive the devices
// through the real CPU (INTR/INTA, port and MMIO accesses); a write to the debug-exit port stops
// the run and records its value.
import { readFileSync } from "node:fs";
import { Machine } from "../../../src/machine/machine";
import { LegacyChipset } from "../../../src/machine/devices/legacy-chipset";
import { DEBUG_WASM } from "../../support/cpu";

export interface GuestMachineOptions {
  memoryBytes: number;
  /** The I/O APIC and local APIC too, with their MMIO windows mapped. */
  apic: boolean;
  rtcBaseTime: number;
  /** Bytes COM1 transmits. */
  onSerial?: (byte: number) => void;
}

export async function guestMachine(rom: Uint8Array, opts: GuestMachineOptions): Promise<{ machine: Machine; chipset: LegacyChipset; out: { exit: number } }> {
  const machine = await Machine.create({ memoryBytes: opts.memoryBytes, wasm: readFileSync(DEBUG_WASM) });
  const out = { exit: -1 };
  const chipset = new LegacyChipset(machine.io, machine.mmio, machine.clock, {
    apic: opts.apic,
    rtcBaseTime: opts.rtcBaseTime,
    memory: machine.phys,
    onIntr: (l) => machine.setIntr(l),
    onNmi: () => machine.setNmi(),
    onA20: (on) => machine.cpu.setA20(on),
    onReset: () => machine.requestReset(),
    onSerialTransmit: (port, b) => {
      if (port === 0) opts.onSerial?.(b);
    },
    onDebugExit: (status) => {
      out.exit = status;
      machine.requestStop({ kind: "stopped", why: "debug exit" });
    },
  });
  for (const d of chipset.devices) machine.addDevice(d);
  machine.intrAck = () => chipset.intrAck();
  if (opts.apic) {
    machine.map.mapMmio(0xfee00000, 0x1000);
    machine.map.mapMmio(0xfec00000, 0x1000);
  }
  machine.map.loadBios(rom);
  machine.reset();
  return { machine, chipset, out };
}

/**
 * The start of a real-mode test ROM (org 0, run at F000:0000 from the reset vector): interrupts
 * off, DS = SS = 0, SP = 7000h, and an IVT entry F000:label for each [vector, label].
 */
export const romStart = (handlers: [string, string][]) => `
bits 16
org 0
start:
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7000
${handlers.map(([vector, label]) => `  mov word [${vector}*4], ${label}\n  mov word [${vector}*4+2], 0xF000`).join("\n")}`;

/**
 * nasm lines that initialise both 8259s as a PC BIOS does (ICW1-ICW4: edge triggered, cascade on
 * IR2, 8086 mode) with the master's vectors from `masterBase` and the slave's from `slaveBase`.
 */
export const picInit = (masterBase: string, slaveBase: string) => `
  mov al, 0x11
  out 0x20, al
  out 0xa0, al
  mov al, ${masterBase}
  out 0x21, al
  mov al, ${slaveBase}
  out 0xa1, al
  mov al, 4
  out 0x21, al
  mov al, 2
  out 0xa1, al
  mov al, 1
  out 0x21, al
  out 0xa1, al`;
