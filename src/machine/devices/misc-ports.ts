// Small platform ports: system control port A (0x92, "fast A20 and init", PS/2 technical
// reference / PIIX4 4.1.28), the PIIX reset control register (0xCF9, PIIX4 4.1.21), the POST
// code port (0x80), the Bochs debug console (0xE9) and QEMU's isa-debug-exit device (0xF4).
import type { IoBus } from "../io";
import { type Device, type Schema, StateError } from "../state";

/** Port 0x92: bit 0 fast reset (a 0->1 write pulses the CPU's INIT), bit 1 A20 gate. */
export class SystemControlPortA implements Device<{ value: number }> {
  readonly name = "port92";
  readonly schema: Schema = { value: "u8" };
  state = { value: 0x02 };

  constructor(private readonly callbacks: { onA20?(enabled: boolean): void; onReset?(): void } = {}) {}

  reset(): void {
    this.state = { value: 0x02 };
  }

  postLoad(): void {
    if (this.state.value & 1) throw new StateError("port92.value", "the reset bit reads back as 0 once the pulse is over");
  }

  get a20(): boolean {
    return (this.state.value & 2) !== 0;
  }

  read(): number {
    return this.state.value;
  }

  write(v: number): void {
    const old = this.state.value;
    // Bit 0 self-clears after the reset pulse, so it reads back as 0.
    this.state.value = v & ~1;
    // Every write drives A20 (QEMU's port 92 does the same); the platform lets the last source win.
    this.callbacks.onA20?.((v & 2) !== 0);
    if (v & 1 && !(old & 1)) this.callbacks.onReset?.();
  }

  attach(io: IoBus): void {
    io.register(this.name, 0x92, 1, { read8: () => this.read(), write8: (_p, v) => this.write(v) });
  }
}

/**
 * 0xCF9 reset control: bit 1 selects a hard (system) reset over a soft one (CPU INIT); a 0->1
 * transition of bit 2 performs it; bit 3 (full reset, on later chipsets) also forces hard.
 * The PCI host bridge owns 0xCF8 and 0xCFC-0xCFF; a byte access to 0xCF9 lands here.
 */
export class ResetControl implements Device<{ value: number }> {
  readonly name = "reset-control";
  readonly schema: Schema = { value: "u8" };
  state = { value: 0 };

  constructor(private readonly onReset: (hard: boolean) => void) {}

  reset(): void {
    this.state = { value: 0 };
  }

  postLoad(): void {
    if (this.state.value & ~0x0a) throw new StateError("reset-control.value", "only bits 1 and 3 are stored");
  }

  read(): number {
    return this.state.value;
  }

  write(v: number): void {
    this.state.value = v & 0x0a;
    if (v & 4) this.onReset((v & 0x0a) !== 0);
  }

  attach(io: IoBus): void {
    io.register(this.name, 0xcf9, 1, { read8: () => this.read(), write8: (_p, v) => this.write(v) });
  }
}

/** Port 0x80: BIOS POST codes (the last value reads back, like the page register there). */
export class PostCodePort implements Device<{ last: number }> {
  readonly name = "post";
  readonly schema: Schema = { last: "u8" };
  state = { last: 0 };

  constructor(private readonly onPost?: (code: number) => void) {}

  reset(): void {
    this.state = { last: 0 };
  }

  attach(io: IoBus): void {
    io.register(this.name, 0x80, 1, {
      read8: () => this.state.last,
      write8: (_p, v) => {
        this.state.last = v;
        this.onPost?.(v);
      },
    });
  }
}

/** Port 0xE9 (or another): each byte written goes to the host's debug console; reads return 0xE9 (the Bochs presence check). */
export class DebugConsolePort implements Device<Record<string, never>> {
  readonly name: string;
  readonly schema: Schema = {};
  state = {};

  constructor(private readonly onByte: (byte: number) => void, readonly port = 0xe9) {
    this.name = port === 0xe9 ? "debugcon" : `debugcon-${port.toString(16)}`;
  }

  reset(): void {}

  attach(io: IoBus): void {
    io.register(this.name, this.port, 1, { read8: () => 0xe9, write8: (_p, v) => this.onByte(v) });
  }
}

/** Port 0xF4 (QEMU isa-debug-exit): writing v ends the run with exit status (v << 1) | 1. */
export class DebugExitPort implements Device<Record<string, never>> {
  readonly name = "debug-exit";
  readonly schema: Schema = {};
  state = {};

  constructor(private readonly onExit: (status: number) => void) {}

  reset(): void {}

  attach(io: IoBus): void {
    const exit = (_p: number, v: number): void => this.onExit(((v << 1) | 1) >>> 0);
    io.register(this.name, 0xf4, 1, { read8: () => 0xff, write8: exit, write16: exit, write32: exit });
  }
}
