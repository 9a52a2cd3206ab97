// National Semiconductor PC16550D UART (datasheet "PC16550D Universal Asynchronous Receiver/
// Transmitter with FIFOs", June 1995): 16-byte receive and transmit FIFOs, the four-level
// interrupt identification of table IV, modem control and status with loopback.
//
// Bytes written to THR go to the host at once (`onTransmit`), but the transmitter still drains
// its FIFO at the programmed baud rate in virtual time, so THRE/TEMT and the THRE interrupt come
// at the rate a guest expects. Host input (`receive()`) waits in a line buffer and arrives in the
// receive FIFO one character time apart, as on a real line: a guest that keeps up loses nothing,
// one that does not sees overruns.
import type { Timer, VirtualClock } from "../clock";
import type { IoBus } from "../io";
import type { IrqLine } from "../irq";
import { type Device, type Schema, StateError } from "../state";

const FIFO_SIZE = 16;
const LINE_BUFFER = 4096; // host input not yet on the wire
const XTAL_HZ = 1_843_200; // the PC's 1.8432 MHz clock: 115200 baud at divisor 1

const IER_RDA = 1, IER_THRE = 2, IER_RLS = 4, IER_MS = 8;
const LCR_DLAB = 0x80;
const LCR_BREAK = 0x40;
const MCR_DTR = 1, MCR_RTS = 2, MCR_OUT1 = 4, MCR_OUT2 = 8, MCR_LOOP = 0x10;
const LSR_DR = 1, LSR_OE = 2, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40, LSR_FIFO_ERR = 0x80;
const MSR_DCTS = 1, MSR_DDSR = 2, MSR_TERI = 4, MSR_DDCD = 8, MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
const RX_FLAG_BREAK = 1;

// IIR interrupt identifications, datasheet table IV, highest priority first.
export const IIR_NONE = 0x01;
export const IIR_LINE_STATUS = 0x06;
export const IIR_RX_DATA = 0x04;
export const IIR_RX_TIMEOUT = 0x0c;
export const IIR_THRE = 0x02;
export const IIR_MODEM = 0x00;

const TRIGGER_LEVELS = [1, 4, 8, 14];

export interface UartState {
  dll: number;
  dlm: number;
  ier: number;
  lcr: number;
  mcr: number;
  scr: number;
  fifoEnabled: boolean;
  rxTrigger: number; // FCR bits 7-6
  lsrErrors: number; // sticky OE (cleared by reading LSR)
  msrDeltas: number; // DCTS, DDSR, TERI, DDCD
  msrInputs: number; // external CTS/DSR/RI/DCD levels from the host, in MSR bit positions 4-7
  rxFifo: Uint8Array;
  rxFlags: Uint8Array; // per entry: break
  rxHead: number;
  rxCount: number;
  txFifo: Uint8Array;
  txHead: number;
  txCount: number; // bytes in THR/FIFO waiting for the shift register
  txShifting: boolean;
  txShiftByte: number;
  txDoneAt: number; // virtual time the shift register empties (Infinity: idle)
  thrInterrupt: boolean; // THRE interrupt pending (cleared by IIR read or THR write)
  txMulti: boolean; // the transmit FIFO held two bytes at once since THRE was last set
  threDelayedAt: number; // a delayed THRE interrupt is due then (Infinity: none)
  rxTimeoutAt: number; // character timeout deadline (Infinity: not armed)
  rxTimedOut: boolean;
  irq: boolean; // the gated interrupt output
  line: Uint8Array; // host input waiting to arrive, LINE_BUFFER bytes
  lineHead: number;
  lineCount: number;
  lineNextAt: number; // arrival time of the next host character (Infinity: none pending)
  lineRefused: boolean; // receive() could not take everything: tell the host when room frees
}

const UART_SCHEMA: Schema = {
  dll: "u8", dlm: "u8", ier: "u8", lcr: "u8", mcr: "u8", scr: "u8", fifoEnabled: "bool", rxTrigger: "u8",
  lsrErrors: "u8", msrDeltas: "u8", msrInputs: "u8",
  rxFifo: { type: "bytes", length: FIFO_SIZE }, rxFlags: { type: "bytes", length: FIFO_SIZE }, rxHead: "u8", rxCount: "u8",
  txFifo: { type: "bytes", length: FIFO_SIZE }, txHead: "u8", txCount: "u8", txShifting: "bool", txShiftByte: "u8",
  txDoneAt: "f64", thrInterrupt: "bool", txMulti: "bool", threDelayedAt: "f64", rxTimeoutAt: "f64", rxTimedOut: "bool", irq: "bool",
  line: { type: "bytes", length: LINE_BUFFER }, lineHead: "u16", lineCount: "u16", lineNextAt: "f64", lineRefused: "bool",
};

export interface UartCallbacks {
  /** A byte the guest transmitted (not called in loopback mode). */
  onTransmit?(byte: number): void;
  /** DTR/RTS/OUT1/OUT2 outputs changed (MCR bits 0-3; all inactive in loopback). */
  onModemControl?(mcr: number): void;
  /** The host input buffer has room again after `receive()` could not take everything. */
  onReceiveSpace?(): void;
}

export class Uart16550 implements Device<UartState> {
  readonly schema = UART_SCHEMA;
  state: UartState;
  private readonly txTimer: Timer;
  private readonly rxTimer: Timer;
  private readonly lineTimer: Timer;
  private readonly threTimer: Timer;

  constructor(readonly name: string, private readonly clock: VirtualClock, private readonly irq: IrqLine, private readonly callbacks: UartCallbacks = {}) {
    this.state = Uart16550.powerOn();
    this.txTimer = clock.timer(`${name}.tx`, () => this.shiftDone());
    this.rxTimer = clock.timer(`${name}.rx-timeout`, () => this.rxTimeout());
    this.lineTimer = clock.timer(`${name}.rx`, () => this.characterArrives());
    this.threTimer = clock.timer(`${name}.thre`, () => this.delayedThre());
  }

  private static powerOn(): UartState {
    return {
      dll: 0x0c, dlm: 0, ier: 0, lcr: 0, mcr: 0, scr: 0, fifoEnabled: false, rxTrigger: 0, lsrErrors: 0, msrDeltas: 0,
      msrInputs: MSR_CTS | MSR_DSR | MSR_DCD, // a host terminal that is always present and ready
      rxFifo: new Uint8Array(FIFO_SIZE), rxFlags: new Uint8Array(FIFO_SIZE), rxHead: 0, rxCount: 0,
      txFifo: new Uint8Array(FIFO_SIZE), txHead: 0, txCount: 0, txShifting: false, txShiftByte: 0, txDoneAt: Infinity,
      thrInterrupt: false, txMulti: false, threDelayedAt: Infinity, rxTimeoutAt: Infinity, rxTimedOut: false, irq: false,
      line: new Uint8Array(LINE_BUFFER), lineHead: 0, lineCount: 0, lineNextAt: Infinity, lineRefused: false,
    };
  }

  /**
   * Master reset (the MR pin): every register but RBR, THR, SCR and the divisor latch returns to
   * its reset value (datasheet table III). The host cable stays plugged in and its pending input
   * stays on the line.
   */
  reset(): void {
    const old = this.state;
    this.state = Uart16550.powerOn();
    const s = this.state;
    s.msrInputs = old.msrInputs;
    s.dll = old.dll;
    s.dlm = old.dlm;
    s.scr = old.scr;
    s.line = old.line;
    s.lineHead = old.lineHead;
    s.lineCount = old.lineCount;
    s.lineNextAt = old.lineNextAt;
    s.lineRefused = old.lineRefused;
    if (s.lineNextAt !== Infinity) this.lineTimer.armAt(s.lineNextAt);
    this.txTimer.disarm();
    this.rxTimer.disarm();
    if (s.lineNextAt === Infinity) this.lineTimer.disarm();
    this.threTimer.disarm();
    this.updateIrq();
  }

  postLoad(): void {
    const s = this.state;
    const cap = this.fifoCapacity();
    if (s.rxCount > cap) throw new StateError(`${this.name}.rxCount`, `${s.rxCount} exceeds the FIFO size ${cap}`);
    if (s.txCount > cap) throw new StateError(`${this.name}.txCount`, `${s.txCount} exceeds the FIFO size ${cap}`);
    if (s.rxHead >= FIFO_SIZE) throw new StateError(`${this.name}.rxHead`, "out of range");
    if (s.txHead >= FIFO_SIZE) throw new StateError(`${this.name}.txHead`, "out of range");
    if (s.rxTrigger > 3) throw new StateError(`${this.name}.rxTrigger`, "out of range");
    if (s.txShifting !== (s.txDoneAt !== Infinity)) throw new StateError(`${this.name}.txDoneAt`, "disagrees with txShifting");
    if (s.txCount > 0 && !s.txShifting) throw new StateError(`${this.name}.txCount`, "bytes wait while the shift register is idle");
    if (s.msrInputs & 0x0f) throw new StateError(`${this.name}.msrInputs`, "only bits 4-7 are inputs");
    if (s.lineHead >= LINE_BUFFER) throw new StateError(`${this.name}.lineHead`, "out of range");
    if (s.lineCount > LINE_BUFFER) throw new StateError(`${this.name}.lineCount`, `exceeds ${LINE_BUFFER}`);
    if ((s.lineCount > 0) !== (s.lineNextAt !== Infinity)) throw new StateError(`${this.name}.lineNextAt`, "disagrees with lineCount");
    if (s.lineNextAt !== Infinity) this.lineTimer.armAt(s.lineNextAt);
    else this.lineTimer.disarm();
    if (s.txDoneAt !== Infinity) this.txTimer.armAt(s.txDoneAt);
    else this.txTimer.disarm();
    if (s.threDelayedAt !== Infinity && s.txCount > 0) throw new StateError(`${this.name}.threDelayedAt`, "a THRE interrupt is due while the FIFO holds data");
    if (s.threDelayedAt !== Infinity) this.threTimer.armAt(s.threDelayedAt);
    else this.threTimer.disarm();
    if (s.rxTimeoutAt !== Infinity) this.rxTimer.armAt(s.rxTimeoutAt);
    else this.rxTimer.disarm();
    this.updateIrq();
  }

  // ---- host side ----

  /** Room in the host input buffer. */
  receiveSpace(): number {
    return LINE_BUFFER - this.state.lineCount;
  }

  /**
   * Host characters for the line. They reach the receive FIFO one character time apart at the
   * programmed rate; if the guest leaves the FIFO full, arriving characters overrun (LSR OE) and
   * are lost. Returns how many bytes were taken (the rest once onReceiveSpace fires).
   */
  receive(bytes: ArrayLike<number>): number {
    const s = this.state;
    let n = 0;
    while (n < bytes.length && s.lineCount < LINE_BUFFER) {
      s.line[(s.lineHead + s.lineCount) % LINE_BUFFER] = bytes[n++] & 0xff;
      s.lineCount++;
    }
    if (s.lineCount > 0 && s.lineNextAt === Infinity) {
      s.lineNextAt = this.clock.now + this.charTimeNs();
      this.lineTimer.armAt(s.lineNextAt);
    }
    if (n < bytes.length) s.lineRefused = true;
    return n;
  }

  /** The next host character completes its stop bit and enters the receiver. */
  private characterArrives(): void {
    const s = this.state;
    const byte = s.line[s.lineHead];
    s.lineHead = (s.lineHead + 1) % LINE_BUFFER;
    s.lineCount--;
    // In loopback the receiver listens to the transmitter: characters on the line are lost.
    if (!(s.mcr & MCR_LOOP)) {
      this.pushRx(byte, 0);
      this.updateIrq();
    }
    if (s.lineCount > 0) {
      s.lineNextAt += this.charTimeNs();
      this.lineTimer.armAt(s.lineNextAt);
    } else {
      s.lineNextAt = Infinity;
    }
    if (s.lineRefused) {
      s.lineRefused = false;
      this.callbacks.onReceiveSpace?.();
    }
  }

  /** A break condition on the line: a zero character flagged BI. */
  receiveBreak(): void {
    if (this.state.mcr & MCR_LOOP) return;
    this.pushRx(0, RX_FLAG_BREAK);
    this.updateIrq();
  }

  /** CTS/DSR/RI/DCD as driven by the host side of the cable. */
  setModemInputs(inputs: { cts?: boolean; dsr?: boolean; ri?: boolean; dcd?: boolean }): void {
    const s = this.state;
    let v = s.msrInputs;
    const set = (bit: number, on: boolean | undefined): void => {
      if (on !== undefined) v = on ? v | bit : v & ~bit;
    };
    set(MSR_CTS, inputs.cts);
    set(MSR_DSR, inputs.dsr);
    set(MSR_RI, inputs.ri);
    set(MSR_DCD, inputs.dcd);
    const before = this.msrLevels();
    s.msrInputs = v;
    this.modemLevelsChanged(before);
  }

  // ---- registers ----

  read(reg: number): number {
    const s = this.state;
    switch (reg & 7) {
      case 0:
        if (s.lcr & LCR_DLAB) return s.dll;
        return this.popRx();
      case 1:
        return s.lcr & LCR_DLAB ? s.dlm : s.ier;
      case 2: {
        const id = this.interruptId();
        // Reading IIR while it reports THRE clears that interrupt (table IV).
        if (id === IIR_THRE) {
          s.thrInterrupt = false;
          this.updateIrq();
        }
        return id | (s.fifoEnabled ? 0xc0 : 0);
      }
      case 3:
        return s.lcr;
      case 4:
        return s.mcr;
      case 5: {
        const v = this.lsr();
        s.lsrErrors = 0; // OE is cleared by reading LSR; BI belongs to the FIFO entry
        this.clearTopBreakReport();
        this.updateIrq();
        return v;
      }
      case 6: {
        const v = this.msrLevels() | s.msrDeltas;
        s.msrDeltas = 0;
        this.updateIrq();
        return v;
      }
      default:
        return s.scr;
    }
  }

  write(reg: number, v: number): void {
    const s = this.state;
    switch (reg & 7) {
      case 0:
        if (s.lcr & LCR_DLAB) s.dll = v;
        else this.writeThr(v);
        return;
      case 1:
        if (s.lcr & LCR_DLAB) {
          s.dlm = v;
          return;
        }
        {
          const enablingThre = !(s.ier & IER_THRE) && v & IER_THRE;
          s.ier = v & 0x0f;
          // Enabling the THRE interrupt while THR is empty interrupts at once.
          if (enablingThre && s.txCount === 0) {
            s.thrInterrupt = true;
            s.txMulti = false; // THRE interrupt given: the delay rule applies from here
          }
          this.updateIrq();
        }
        return;
      case 2:
        this.writeFcr(v);
        return;
      case 3:
        s.lcr = v;
        return;
      case 4: {
        const before = this.msrLevels();
        const old = s.mcr;
        s.mcr = v & 0x1f;
        if ((old ^ s.mcr) & 0x1f) this.callbacks.onModemControl?.(s.mcr & MCR_LOOP ? 0 : s.mcr & 0x0f);
        this.modemLevelsChanged(before);
        return;
      }
      case 5:
      case 6:
        return; // LSR and MSR are read-only (factory test writes are not modelled)
      default:
        s.scr = v;
    }
  }

  attach(io: IoBus, base: number): void {
    io.register(this.name, base, 8, {
      read8: (p) => this.read(p - base),
      write8: (p, v) => this.write(p - base, v),
    });
  }

  // ---- internals ----

  private fifoCapacity(): number {
    return this.state.fifoEnabled ? FIFO_SIZE : 1;
  }

  /** One character time on the line: start bit, data bits, parity, stop bits at the divisor's baud rate. */
  charTimeNs(): number {
    const s = this.state;
    const dataBits = 5 + (s.lcr & 3);
    const stop = s.lcr & 4 ? (dataBits === 5 ? 1.5 : 2) : 1;
    const bits = 1 + dataBits + (s.lcr & 8 ? 1 : 0) + stop;
    const divisor = (s.dlm << 8) | s.dll || 0x10000;
    return (bits * divisor * 16 * 1e9) / XTAL_HZ;
  }

  private lsr(): number {
    const s = this.state;
    let v = s.lsrErrors;
    if (s.rxCount > 0) {
      v |= LSR_DR;
      if (s.rxFlags[s.rxHead] & RX_FLAG_BREAK) v |= LSR_BI;
    }
    if (s.txCount === 0) v |= LSR_THRE;
    if (s.txCount === 0 && !s.txShifting) v |= LSR_TEMT;
    if (s.fifoEnabled) {
      for (let i = 0; i < s.rxCount; i++) if (s.rxFlags[(s.rxHead + i) % FIFO_SIZE]) v |= LSR_FIFO_ERR;
    }
    return v;
  }

  private clearTopBreakReport(): void {
    // BI is reported once per character: after LSR is read the flag no longer raises line status.
    const s = this.state;
    if (s.rxCount > 0) s.rxFlags[s.rxHead] = 0;
  }

  private msrLevels(): number {
    const s = this.state;
    if (s.mcr & MCR_LOOP) {
      // Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD (datasheet, MCR bit 4).
      return ((s.mcr & MCR_RTS) ? MSR_CTS : 0) | ((s.mcr & MCR_DTR) ? MSR_DSR : 0) | ((s.mcr & MCR_OUT1) ? MSR_RI : 0) | ((s.mcr & MCR_OUT2) ? MSR_DCD : 0);
    }
    return s.msrInputs;
  }

  private modemLevelsChanged(before: number): void {
    const s = this.state;
    const now = this.msrLevels();
    const diff = before ^ now;
    if (diff & MSR_CTS) s.msrDeltas |= MSR_DCTS;
    if (diff & MSR_DSR) s.msrDeltas |= MSR_DDSR;
    if (diff & MSR_DCD) s.msrDeltas |= MSR_DDCD;
    if (before & MSR_RI && !(now & MSR_RI)) s.msrDeltas |= MSR_TERI; // trailing edge of RI only
    this.updateIrq();
  }

  private pushRx(byte: number, flags: number): void {
    const s = this.state;
    if (s.rxCount >= this.fifoCapacity()) {
      // Overrun: the new character in the shift register is lost and OE is set.
      s.lsrErrors |= LSR_OE;
      return;
    }
    const at = (s.rxHead + s.rxCount) % FIFO_SIZE;
    s.rxFifo[at] = byte;
    s.rxFlags[at] = flags;
    s.rxCount++;
    this.restartRxTimeout();
  }

  private popRx(): number {
    const s = this.state;
    if (s.rxCount === 0) return s.rxFifo[s.rxHead];
    const v = s.rxFifo[s.rxHead];
    s.rxFlags[s.rxHead] = 0;
    s.rxHead = (s.rxHead + 1) % FIFO_SIZE;
    s.rxCount--;
    s.rxTimedOut = false;
    this.restartRxTimeout();
    this.updateIrq();
    return v;
  }

  /** The character timeout: 4 character times without input or a read while data waits (FIFO mode). */
  private restartRxTimeout(): void {
    const s = this.state;
    if (s.fifoEnabled && s.rxCount > 0) {
      s.rxTimeoutAt = this.clock.now + 4 * this.charTimeNs();
      this.rxTimer.armAt(s.rxTimeoutAt);
    } else {
      s.rxTimeoutAt = Infinity;
      this.rxTimer.disarm();
    }
  }

  private rxTimeout(): void {
    const s = this.state;
    s.rxTimeoutAt = Infinity;
    if (s.fifoEnabled && s.rxCount > 0) s.rxTimedOut = true;
    this.updateIrq();
  }

  private writeThr(v: number): void {
    const s = this.state;
    if (s.txCount >= this.fifoCapacity()) return; // writing a full FIFO loses the byte
    if (!(s.mcr & MCR_LOOP)) this.callbacks.onTransmit?.(v);
    s.thrInterrupt = false;
    this.cancelDelayedThre();
    s.txFifo[(s.txHead + s.txCount) % FIFO_SIZE] = v;
    s.txCount++;
    if (s.txCount >= 2) s.txMulti = true;
    if (!s.txShifting) this.startShift();
    this.updateIrq();
  }

  /** Move the next byte from THR/FIFO into the shift register. */
  private startShift(): void {
    const s = this.state;
    s.txShiftByte = s.txFifo[s.txHead];
    s.txHead = (s.txHead + 1) % FIFO_SIZE;
    s.txCount--;
    s.txShifting = true;
    s.txDoneAt = this.clock.now + this.charTimeNs();
    this.txTimer.armAt(s.txDoneAt);
    if (s.txCount === 0) this.threSet();
  }

  /**
   * THR/FIFO became empty. In FIFO mode the interrupt is delayed by one character time less the
   * stop bits when the FIFO never held two bytes at once since THRE was last set (PC16550D,
   * "FIFO interrupt mode operation"): a driver writing a burst is not interrupted after its first
   * byte moves to the shift register.
   */
  private threSet(): void {
    const s = this.state;
    if (s.fifoEnabled && !s.txMulti) {
      const stopBits = s.lcr & 4 ? ((s.lcr & 3) === 0 ? 1.5 : 2) : 1;
      const bits = this.charTimeNs() / (1 + 5 + (s.lcr & 3) + (s.lcr & 8 ? 1 : 0) + stopBits);
      s.threDelayedAt = this.clock.now + this.charTimeNs() - stopBits * bits;
      this.threTimer.armAt(s.threDelayedAt);
    } else {
      s.thrInterrupt = true;
    }
    s.txMulti = false;
  }

  private delayedThre(): void {
    const s = this.state;
    s.threDelayedAt = Infinity;
    if (s.txCount === 0) s.thrInterrupt = true;
    this.updateIrq();
  }

  private cancelDelayedThre(): void {
    this.state.threDelayedAt = Infinity;
    this.threTimer.disarm();
  }

  private shiftDone(): void {
    const s = this.state;
    s.txShifting = false;
    s.txDoneAt = Infinity;
    // Loopback: the transmitter's output feeds the receiver; a break condition (LCR bit 6) holds it low.
    if (s.mcr & MCR_LOOP) this.pushRx(s.lcr & LCR_BREAK ? 0 : s.txShiftByte, s.lcr & LCR_BREAK ? RX_FLAG_BREAK : 0);
    if (s.txCount > 0) this.startShift();
    this.updateIrq();
  }

  private writeFcr(v: number): void {
    const s = this.state;
    const enable = (v & 1) !== 0;
    if (enable !== s.fifoEnabled) {
      // Changing the FIFO enable clears both FIFOs (datasheet, FCR bit 0); the first transmitter
      // interrupt after it is immediate.
      s.fifoEnabled = enable;
      s.txMulti = true;
      this.clearRx();
      this.clearTx();
    }
    if (enable) {
      if (v & 2) this.clearRx();
      if (v & 4) this.clearTx();
      s.rxTrigger = v >>> 6;
    }
    this.restartRxTimeout();
    this.updateIrq();
  }

  private clearRx(): void {
    const s = this.state;
    s.rxHead = 0;
    s.rxCount = 0;
    s.rxFlags.fill(0);
    s.rxTimedOut = false;
  }

  private clearTx(): void {
    const s = this.state;
    // The FIFO is emptied (THR becomes empty: a THRE interrupt if it held data); a character
    // already in the shift register finishes.
    if (s.txCount > 0) s.thrInterrupt = true;
    s.txHead = 0;
    s.txCount = 0;
  }

  /** The highest-priority enabled interrupt (datasheet table IV). */
  interruptId(): number {
    const s = this.state;
    if (s.ier & IER_RLS && (s.lsrErrors & LSR_OE || (s.rxCount > 0 && s.rxFlags[s.rxHead] & RX_FLAG_BREAK))) return IIR_LINE_STATUS;
    if (s.ier & IER_RDA) {
      const trigger = s.fifoEnabled ? TRIGGER_LEVELS[s.rxTrigger] : 1;
      if (s.rxCount >= trigger) return IIR_RX_DATA;
      if (s.rxTimedOut && s.rxCount > 0) return IIR_RX_TIMEOUT;
    }
    if (s.ier & IER_THRE && s.thrInterrupt) return IIR_THRE;
    if (s.ier & IER_MS && s.msrDeltas) return IIR_MODEM;
    return IIR_NONE;
  }

  private updateIrq(): void {
    const s = this.state;
    // On a PC the INTRPT output reaches the bus only through the buffer enabled by OUT2; in
    // loopback the OUT2 pin is forced inactive, which disconnects it too.
    const level = this.interruptId() !== IIR_NONE && (s.mcr & (MCR_OUT2 | MCR_LOOP)) === MCR_OUT2;
    s.irq = level;
    this.irq.set(level);
  }
}

/** The standard COM port resources. */
export const COM_PORTS = [
  { name: "com1", base: 0x3f8, irq: 4 },
  { name: "com2", base: 0x2f8, irq: 3 },
  { name: "com3", base: 0x3e8, irq: 4 },
  { name: "com4", base: 0x2e8, irq: 3 },
] as const;
