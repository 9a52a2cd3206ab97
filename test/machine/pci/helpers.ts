// Shared test scaffolding: an I/O bus driven the way a guest's IN/OUT instructions drive it, and
// an interrupt sink that records line levels.
import { IoBus } from "../../../src/machine/io";
import type { IrqSink } from "../../../src/machine/irq";

export class RecordingSink implements IrqSink {
  readonly levels = new Map<number, boolean>();
  readonly events: [number, boolean][] = [];
  setIrq(irq: number, level: boolean): void {
    this.levels.set(irq, level);
    this.events.push([irq, level]);
  }
  level(irq: number): boolean {
    return this.levels.get(irq) ?? false;
  }
}

/** CONFIG_ADDRESS for bus 0. */
export function cfgAddr(dev: number, fn: number, reg: number): number {
  return (0x80000000 | (dev << 11) | (fn << 8) | (reg & 0xfc)) >>> 0;
}

export function cfgRead(io: IoBus, dev: number, fn: number, reg: number, size: 1 | 2 | 4): number {
  io.write(0xcf8, 4, cfgAddr(dev, fn, reg));
  return io.read(0xcfc + (reg & 3), size);
}

export function cfgWrite(io: IoBus, dev: number, fn: number, reg: number, size: 1 | 2 | 4, value: number): void {
  io.write(0xcf8, 4, cfgAddr(dev, fn, reg));
  io.write(0xcfc + (reg & 3), size, value);
}
