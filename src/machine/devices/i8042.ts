// The 8042 keyboard controller of a PC/AT with a PS/2 auxiliary port (IBM PS/2 technical
// reference, "Keyboard/Auxiliary Device Controller"): data port 0x60, status/command port 0x64,
// the command byte, the output port (A20 gate and CPU reset), and scan code translation.
//
// The controller has a single output buffer. When it is empty it takes the next byte from the
// keyboard or the mouse (unless that interface is disabled), and raises IRQ 1 or IRQ 12 while the
// byte waits, if the command byte enables that interrupt.
import type { IoBus } from "../io";
import type { IrqLine } from "../irq";
import { type Device, type Schema, StateError } from "../state";
import type { Ps2Device } from "./ps2-queue";
import { SET2_TO_SET1 } from "./scancodes";

const ST_OBF = 0x01;
const ST_SYS = 0x04;
const ST_A2 = 0x08; // last write was to port 0x64
const ST_INHIBIT_OFF = 0x10; // keyboard not inhibited (the key lock switch is open)
const ST_AUX = 0x20; // the output buffer holds auxiliary-device data

const CB_KBD_INT = 0x01;
const CB_AUX_INT = 0x02;
const CB_SYS = 0x04;
const CB_KBD_OFF = 0x10;
const CB_AUX_OFF = 0x20;
const CB_XLAT = 0x40;

const OP_RESET = 0x01; // 0 resets the processor
const OP_A20 = 0x02;

export interface I8042State {
  ram: Uint8Array; // 32 bytes of controller RAM; byte 0 is the command byte
  outputPort: number;
  outBuffer: number;
  outFull: boolean;
  outAux: boolean;
  pendingCommand: number; // a command waiting for its data byte on port 0x60 (0 if none)
  lastWasCommand: boolean;
  xlatBreak: boolean; // translation saw F0: the next translated byte gets bit 7
}

const I8042_SCHEMA: Schema = {
  ram: { type: "bytes", length: 32 },
  outputPort: "u8",
  outBuffer: "u8",
  outFull: "bool",
  outAux: "bool",
  pendingCommand: "u8",
  lastWasCommand: "bool",
  xlatBreak: "bool",
};

const DATA_COMMANDS = new Set([0xd1, 0xd2, 0xd3, 0xd4]);

export interface I8042Callbacks {
  /** The A20 gate (output port bit 1) changed. */
  onA20?(enabled: boolean): void;
  /** The controller pulsed the CPU reset line (output port bit 0 low, or command 0xFE). */
  onReset?(): void;
}

export class I8042 implements Device<I8042State> {
  readonly name = "i8042";
  readonly schema = I8042_SCHEMA;
  state: I8042State;

  constructor(
    private readonly keyboard: Ps2Device,
    private readonly mouse: Ps2Device,
    private readonly irq1: IrqLine,
    private readonly irq12: IrqLine,
    private readonly callbacks: I8042Callbacks = {},
  ) {
    this.state = I8042.powerOn();
  }

  private static powerOn(): I8042State {
    const ram = new Uint8Array(32);
    ram[0] = CB_KBD_INT | CB_XLAT | CB_AUX_OFF;
    return {
      ram, outputPort: OP_RESET | OP_A20, outBuffer: 0, outFull: false, outAux: false, pendingCommand: 0,
      lastWasCommand: false, xlatBreak: false,
    };
  }

  reset(): void {
    this.state = I8042.powerOn();
    this.updateIrqs();
    this.callbacks.onA20?.(true);
  }

  postLoad(): void {
    const s = this.state;
    if (s.pendingCommand && !(DATA_COMMANDS.has(s.pendingCommand) || (s.pendingCommand >= 0x60 && s.pendingCommand <= 0x7f))) {
      throw new StateError("i8042.pendingCommand", `0x${s.pendingCommand.toString(16)} takes no data byte`);
    }
    if (!(s.outputPort & OP_RESET)) throw new StateError("i8042.outputPort", "holds the CPU in reset");
    if (s.outAux && !s.outFull) throw new StateError("i8042.outAux", "set with an empty output buffer");
    if (s.ram[0] & 0x80) throw new StateError("i8042.ram", "command byte bit 7 must be zero");
    this.updateIrqs();
  }

  get commandByte(): number {
    return this.state.ram[0];
  }

  /** The A20 gate as the output port drives it. */
  get a20(): boolean {
    return (this.state.outputPort & OP_A20) !== 0;
  }

  // ---- ports ----

  readStatus(): number {
    const s = this.state;
    return (s.outFull ? ST_OBF : 0) | (s.ram[0] & CB_SYS ? ST_SYS : 0) | (s.lastWasCommand ? ST_A2 : 0) | ST_INHIBIT_OFF | (s.outFull && s.outAux ? ST_AUX : 0);
  }

  readData(): number {
    const s = this.state;
    const v = s.outBuffer;
    s.outFull = false;
    s.outAux = false;
    // Drop the IRQ line before the next byte loads, so that byte makes a new edge.
    this.updateIrqs();
    this.refill();
    return v;
  }

  writeData(v: number): void {
    const s = this.state;
    s.lastWasCommand = false;
    const cmd = s.pendingCommand;
    s.pendingCommand = 0;
    if (cmd >= 0x60 && cmd <= 0x7f) {
      s.ram[cmd - 0x60] = cmd === 0x60 ? v & 0x7f : v;
      if (cmd === 0x60) this.refill();
      return;
    }
    switch (cmd) {
      case 0xd1:
        this.writeOutputPort(v);
        return;
      case 0xd2:
        this.forceOutput(v, false);
        return;
      case 0xd3:
        this.forceOutput(v, true);
        return;
      case 0xd4:
        this.mouse.receive(v);
        this.refill();
        return;
      default:
        // Writing to the keyboard re-enables its interface: the controller must release the
        // clock line to transmit (guests such as DOS keyboard drivers rely on the reply arriving).
        s.ram[0] &= ~CB_KBD_OFF;
        this.keyboard.receive(v);
        this.refill();
    }
  }

  writeCommand(v: number): void {
    const s = this.state;
    s.lastWasCommand = true;
    s.pendingCommand = 0;
    if (v >= 0x20 && v <= 0x3f) {
      this.controllerReply(s.ram[v - 0x20]);
      return;
    }
    if ((v >= 0x60 && v <= 0x7f) || DATA_COMMANDS.has(v)) {
      s.pendingCommand = v;
      return;
    }
    if (v >= 0xf0) {
      // Pulse output port bits 0-3 low for those bits that are 0 in the command; bit 0 is reset.
      if (!(v & 1)) this.callbacks.onReset?.();
      return;
    }
    switch (v) {
      case 0xa4: this.controllerReply(0xf1); return; // no password installed
      case 0xa7: s.ram[0] |= CB_AUX_OFF; return;
      case 0xa8: s.ram[0] &= ~CB_AUX_OFF; this.refill(); return;
      case 0xa9: this.controllerReply(0x00); return; // auxiliary interface test passed
      case 0xaa:
        // Self test: 0x55. The interfaces come back disabled, as on a real controller after reset.
        s.ram[0] |= CB_KBD_OFF | CB_AUX_OFF;
        this.controllerReply(0x55);
        return;
      case 0xab: this.controllerReply(0x00); return; // keyboard interface test passed
      case 0xad: s.ram[0] |= CB_KBD_OFF; return;
      case 0xae: s.ram[0] &= ~CB_KBD_OFF; this.refill(); return;
      case 0xc0: this.controllerReply(0x80); return; // input port: keyboard not inhibited
      case 0xd0: this.controllerReply(this.readOutputPort()); return;
      case 0xdd: this.setA20(false); return; // HP Vectra style A20 commands
      case 0xdf: this.setA20(true); return;
      case 0xe0: this.controllerReply(0x00); return; // test inputs: clock and data low
      default:
        return; // unknown commands are ignored
    }
  }

  attach(io: IoBus): void {
    io.register("i8042-data", 0x60, 1, { read8: () => this.readData(), write8: (_p, v) => this.writeData(v) });
    io.register("i8042-cmd", 0x64, 1, { read8: () => this.readStatus(), write8: (_p, v) => this.writeCommand(v) });
  }

  /** A PS/2 device has bytes for the host. */
  deviceOutput(): void {
    this.refill();
  }

  // ---- internals ----

  private readOutputPort(): number {
    const s = this.state;
    // Bits 4/5: output buffer full from keyboard/aux (IRQ 1/12 lines); 6/7 keyboard clock/data.
    return (s.outputPort & 0x0f) | (s.outFull && !s.outAux ? 0x10 : 0) | (s.outFull && s.outAux ? 0x20 : 0) | 0xc0;
  }

  private writeOutputPort(v: number): void {
    const s = this.state;
    const old = s.outputPort;
    s.outputPort = (v & 0x0f) | OP_RESET;
    // Every output-port write drives the A20 line, changed or not: the platform lets the source
    // written last decide (QEMU's pckbd does the same), so an unchanged write still counts.
    void old;
    this.callbacks.onA20?.((v & OP_A20) !== 0);
    if (!(v & OP_RESET)) this.callbacks.onReset?.();
  }

  private setA20(on: boolean): void {
    const s = this.state;
    const was = (s.outputPort & OP_A20) !== 0;
    s.outputPort = on ? s.outputPort | OP_A20 : s.outputPort & ~OP_A20;
    void was;
    this.callbacks.onA20?.(on); // every command drives the line (see writeOutputPort)
  }

  /** A controller response replaces whatever waited in the output buffer, as on the real 8042. */
  private controllerReply(v: number): void {
    const s = this.state;
    s.outBuffer = v;
    s.outFull = true;
    s.outAux = false;
    this.updateIrqs();
  }

  private forceOutput(v: number, aux: boolean): void {
    const s = this.state;
    s.outBuffer = v;
    s.outFull = true;
    s.outAux = aux;
    this.updateIrqs();
  }

  /** Fill an empty output buffer from the keyboard first, then the mouse. */
  private refill(): void {
    const s = this.state;
    while (!s.outFull) {
      if (!(s.ram[0] & CB_KBD_OFF) && this.keyboard.hasOutput()) {
        const raw = this.keyboard.takeOutput();
        if (s.ram[0] & CB_XLAT) {
          // Translation to set 1: F0 is swallowed and sets bit 7 of the next byte (a break code).
          if (raw === 0xf0) {
            s.xlatBreak = true;
            continue;
          }
          s.outBuffer = SET2_TO_SET1[raw] | (s.xlatBreak ? 0x80 : 0);
          s.xlatBreak = false;
        } else {
          s.outBuffer = raw;
        }
        s.outFull = true;
        s.outAux = false;
      } else if (!(s.ram[0] & CB_AUX_OFF) && this.mouse.hasOutput()) {
        s.outBuffer = this.mouse.takeOutput();
        s.outFull = true;
        s.outAux = true;
      } else {
        break;
      }
    }
    this.updateIrqs();
  }

  private updateIrqs(): void {
    const s = this.state;
    this.irq1.set(s.outFull && !s.outAux && (s.ram[0] & CB_KBD_INT) !== 0);
    this.irq12.set(s.outFull && s.outAux && (s.ram[0] & CB_AUX_INT) !== 0);
  }
}

