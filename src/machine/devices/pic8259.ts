// Intel 8259A programmable interrupt controller, as the cascaded pair of a PC/AT (master at
// 0x20/0x21, slave at 0xA0/0xA1 on master input 2) with the PIIX edge/level control registers at
// 0x4D0/0x4D1. References: Intel 8259A datasheet (order 231468), PIIX4 datasheet 3.3.13 (ELCR).
import type { IoBus } from "../io";
import type { IrqSink } from "../irq";
import { type Device, type Schema, StateError } from "../state";

/** One 8259A. All fields are plain data so that the pair's state is a schema-described object. */
export interface PicChipState {
  irr: number; // interrupt request register
  isr: number; // in-service register
  imr: number; // interrupt mask register (OCW1)
  lines: number; // current levels of the IR0..7 inputs (edge detection)
  elcr: number; // PIIX ELCR: 1 = level triggered input
  vectorBase: number; // ICW2 & 0xF8
  icw3: number; // master: inputs with a slave; slave: its cascade identity
  initStep: number; // 0: operational; 2, 3, 4: the next port-1 write is that ICW
  needIcw4: boolean; // ICW1.IC4
  single: boolean; // ICW1.SNGL
  autoEoi: boolean; // ICW4.AEOI
  specialFullyNested: boolean; // ICW4.SFNM
  rotateOnAutoEoi: boolean; // OCW2 R=1 SL=0 EOI=0
  lowestPriority: number; // the IR with the lowest priority (7 after ICW1); highest = lowestPriority + 1
  specialMask: boolean; // OCW3 SMM
  readIsr: boolean; // OCW3 RIS: a port-0 read returns ISR instead of IRR
  poll: boolean; // OCW3 P: the next port-0 read is a poll
  intOut: boolean; // the INT output, derived; kept to report changes
}

const CHIP_SCHEMA: Schema = {
  irr: "u8",
  isr: "u8",
  imr: "u8",
  lines: "u8",
  elcr: "u8",
  vectorBase: "u8",
  icw3: "u8",
  initStep: "u8",
  needIcw4: "bool",
  single: "bool",
  autoEoi: "bool",
  specialFullyNested: "bool",
  rotateOnAutoEoi: "bool",
  lowestPriority: "u8",
  specialMask: "bool",
  readIsr: "bool",
  poll: "bool",
  intOut: "bool",
};

export interface PicPairState {
  chips: PicChipState[]; // [master, slave]
}

const PAIR_SCHEMA: Schema = { chips: { type: "struct[]", length: 2, of: CHIP_SCHEMA } };

/** ELCR bits that PIIX reserves as 0: IRQ 0, 1, 2 on the master, IRQ 8 and 13 on the slave. */
const ELCR_WRITABLE = [0xf8, 0xde];
const CASCADE_INPUT = 2;

function powerOnChip(): PicChipState {
  return {
    irr: 0, isr: 0, imr: 0, lines: 0, elcr: 0, vectorBase: 0, icw3: 0, initStep: 0, needIcw4: false, single: false,
    autoEoi: false, specialFullyNested: false, rotateOnAutoEoi: false, lowestPriority: 7, specialMask: false,
    readIsr: false, poll: false, intOut: false,
  };
}

/** Priority rank of IR `irq` (0 = highest) given the current rotation. */
function rank(c: PicChipState, irq: number): number {
  return (irq - c.lowestPriority - 1) & 7;
}

/** The highest-priority IR whose bit is set in `bits`, or -1. */
function highest(c: PicChipState, bits: number): number {
  for (let r = 0; r < 8; r++) {
    const irq = (c.lowestPriority + 1 + r) & 7;
    if (bits & (1 << irq)) return irq;
  }
  return -1;
}

/**
 * The IR the chip would present at INTA, or -1: the highest unmasked request whose priority is
 * above every in-service level (fully nested mode). In special mask mode only masked-off ISR bits
 * stop blocking (8259A "Special Mask Mode"). In special fully nested mode the master ignores the
 * in-service bit of a cascade input so a slave can nest a higher-priority request.
 */
function pending(c: PicChipState, isMaster: boolean): number {
  const req = highest(c, c.irr & ~c.imr);
  if (req < 0) return -1;
  let inService = c.isr;
  if (c.specialMask) inService &= ~c.imr;
  if (isMaster && c.specialFullyNested) inService &= ~c.icw3;
  const svc = highest(c, inService);
  if (svc >= 0 && rank(c, svc) <= rank(c, req)) return -1;
  return req;
}

/** Edge/level input sampling (8259A "Edge and Level Triggered Modes"). */
function setLine(c: PicChipState, irq: number, level: boolean): void {
  const bit = 1 << irq;
  const was = (c.lines & bit) !== 0;
  if (level) c.lines |= bit;
  else c.lines &= ~bit;
  if (c.elcr & bit) {
    // Level mode: the request follows the input.
    if (level) c.irr |= bit;
    else c.irr &= ~bit;
  } else if (level && !was) {
    // Edge mode: a rising edge latches the request until it is acknowledged.
    c.irr |= bit;
  }
}

/** The INTA sequence on one chip: move the request to in-service and return its IR (7 if spurious). */
function acknowledgeChip(c: PicChipState, isMaster: boolean): { irq: number; spurious: boolean } {
  const irq = pending(c, isMaster);
  if (irq < 0) return { irq: 7, spurious: true }; // datasheet: "default IR7", ISR untouched
  const bit = 1 << irq;
  if (!(c.elcr & bit)) c.irr &= ~bit;
  if (c.autoEoi) {
    if (c.rotateOnAutoEoi) c.lowestPriority = irq;
  } else {
    c.isr |= bit;
  }
  return { irq, spurious: false };
}

function nonSpecificEoi(c: PicChipState, rotate: boolean): void {
  // In special mask mode, masked in-service levels are not cleared by a non-specific EOI.
  const irq = highest(c, c.specialMask ? c.isr & ~c.imr : c.isr);
  if (irq < 0) return;
  c.isr &= ~(1 << irq);
  if (rotate) c.lowestPriority = irq;
}

function writeCommand(c: PicChipState, v: number): void {
  if (v & 0x10) {
    // ICW1. The LTIM bit is ignored: PIIX replaces it by the ELCR (PIIX4 3.3.13).
    c.needIcw4 = (v & 1) !== 0;
    c.single = (v & 2) !== 0;
    c.initStep = 2;
    c.imr = 0;
    c.isr = 0;
    c.irr = c.lines & c.elcr; // the edge sense latches are reset: edge inputs need a new rising edge
    c.lowestPriority = 7;
    c.specialMask = false;
    c.readIsr = false;
    c.poll = false;
    c.rotateOnAutoEoi = false;
    c.autoEoi = false;
    c.specialFullyNested = false;
    c.icw3 = 0;
    return;
  }
  if (v & 0x08) {
    // OCW3
    if (v & 0x04) c.poll = true;
    if (v & 0x02) c.readIsr = (v & 1) !== 0;
    if (v & 0x40) c.specialMask = (v & 0x20) !== 0;
    return;
  }
  // OCW2: R SL EOI
  const level = v & 7;
  switch (v >>> 5) {
    case 0b001: nonSpecificEoi(c, false); break;
    case 0b011: c.isr &= ~(1 << level); break;
    case 0b101: nonSpecificEoi(c, true); break;
    case 0b100: c.rotateOnAutoEoi = true; break;
    case 0b000: c.rotateOnAutoEoi = false; break;
    case 0b111: c.isr &= ~(1 << level); c.lowestPriority = level; break;
    case 0b110: c.lowestPriority = level; break;
    default: break; // 0b010: no operation
  }
}

function writeData(c: PicChipState, v: number): void {
  switch (c.initStep) {
    case 2:
      c.vectorBase = v & 0xf8;
      c.initStep = c.single ? (c.needIcw4 ? 4 : 0) : 3;
      return;
    case 3:
      c.icw3 = v;
      c.initStep = c.needIcw4 ? 4 : 0;
      return;
    case 4:
      // ICW4: bit 0 uPM (8086 mode; 8080 mode is not wired on a PC), bit 1 AEOI, bit 4 SFNM.
      c.autoEoi = (v & 2) !== 0;
      c.specialFullyNested = (v & 0x10) !== 0;
      c.initStep = 0;
      return;
    default:
      c.imr = v; // OCW1
  }
}

export interface PicCallbacks {
  /** The master's INT output changed: mirror it into the CPU's INTR input. */
  onIntr?(level: boolean): void;
}

/** The cascaded 8259A pair of a PC/AT. IRQ 0-7 on the master, 8-15 on the slave. */
export class PicPair implements Device<PicPairState>, IrqSink {
  readonly name = "pic";
  readonly schema = PAIR_SCHEMA;
  state: PicPairState;

  constructor(private readonly callbacks: PicCallbacks = {}) {
    this.state = { chips: [powerOnChip(), powerOnChip()] };
  }

  reset(): void {
    this.state = { chips: [powerOnChip(), powerOnChip()] };
    this.update();
  }

  postLoad(): void {
    this.state.chips.forEach((c, i) => {
      const at = `pic.chips[${i}]`;
      if (c.vectorBase & 7) throw new StateError(`${at}.vectorBase`, "low three bits must be zero");
      if (c.lowestPriority > 7) throw new StateError(`${at}.lowestPriority`, `${c.lowestPriority} is not an IR number`);
      if (![0, 2, 3, 4].includes(c.initStep)) throw new StateError(`${at}.initStep`, `${c.initStep} is not an ICW number`);
      if (c.elcr & ~ELCR_WRITABLE[i]) throw new StateError(`${at}.elcr`, "sets a reserved bit");
      if (c.irr & c.elcr & ~c.lines) throw new StateError(`${at}.irr`, "a level-triggered request is set while its input is low");
    });
    this.update();
  }

  get master(): PicChipState {
    return this.state.chips[0];
  }
  get slave(): PicChipState {
    return this.state.chips[1];
  }

  /** IrqSink: ISA IRQ 0-15 input levels. IRQ 2 is the cascade and is not a device input. */
  setIrq(irq: number, level: boolean): void {
    if (irq < 0 || irq > 15) throw new Error(`pic: no IRQ ${irq}`);
    if (irq === CASCADE_INPUT) return;
    if (irq < 8) setLine(this.master, irq, level);
    else setLine(this.slave, irq - 8, level);
    this.update();
  }

  /** The master's INT output (the CPU's INTR input). */
  hasInterrupt(): boolean {
    return this.master.intOut;
  }

  /** The vector the master would deliver next, without acknowledging it, or -1. */
  peekVector(): number {
    const irq = pending(this.master, true);
    if (irq < 0) return -1;
    if (!this.master.single && this.master.icw3 & (1 << irq)) {
      const s = pending(this.slave, false);
      return this.slave.vectorBase + (s < 0 ? 7 : s);
    }
    return this.master.vectorBase + irq;
  }

  /** The INTA cycle: returns the interrupt vector (spurious IRQ 7 / 15 when nothing is pending). */
  acknowledge(): number {
    const m = acknowledgeChip(this.master, true);
    let vector: number;
    if (!m.spurious && !this.master.single && this.master.icw3 & (1 << m.irq)) {
      const s = acknowledgeChip(this.slave, false);
      vector = this.slave.vectorBase + s.irq;
    } else {
      vector = this.master.vectorBase + m.irq;
    }
    this.update();
    return vector;
  }

  /** The interrupt controller's registers as the ports see them (index 0 master, 1 slave). */
  readPort(chip: number, a0: number): number {
    const c = this.state.chips[chip];
    if (a0 === 1) return c.imr;
    if (c.poll) {
      // Poll command: this read is the acknowledge. Bit 7 = interrupt present, bits 0-2 = level.
      c.poll = false;
      const irq = pending(c, chip === 0);
      if (irq < 0) return 0;
      acknowledgeChip(c, chip === 0);
      this.update();
      return 0x80 | irq;
    }
    return c.readIsr ? c.isr : c.irr;
  }

  writePort(chip: number, a0: number, value: number): void {
    const c = this.state.chips[chip];
    if (a0 === 0) writeCommand(c, value);
    else writeData(c, value);
    this.update();
  }

  readElcr(chip: number): number {
    return this.state.chips[chip].elcr;
  }

  writeElcr(chip: number, value: number): void {
    const c = this.state.chips[chip];
    c.elcr = value & ELCR_WRITABLE[chip];
    // Re-sample the inputs under their new trigger mode.
    for (let i = 0; i < 8; i++) {
      const bit = 1 << i;
      if (c.elcr & bit) {
        if (c.lines & bit) c.irr |= bit;
        else c.irr &= ~bit;
      }
    }
    this.update();
  }

  /** Recompute the slave's INT (wired to master IR2) and the master's INT. */
  private update(): void {
    const s = this.slave;
    s.intOut = pending(s, false) >= 0;
    // The cascade input follows the slave's INT level (an edge latch there could miss a second
    // request that arrives while INT stays high across an INTA).
    const m = this.master;
    const bit = 1 << CASCADE_INPUT;
    if (s.intOut) {
      m.lines |= bit;
      m.irr |= bit;
    } else {
      m.lines &= ~bit;
      m.irr &= ~bit;
    }
    const out = pending(m, true) >= 0;
    if (out !== m.intOut) {
      m.intOut = out;
      this.callbacks.onIntr?.(out);
    }
  }
}

/** Claim the PIC and ELCR ports: 8-bit registers (wider accesses are split by the bus). */
export function attachPic(io: IoBus, pic: PicPair): void {
  io.register("pic-master", 0x20, 2, {
    read8: (p) => pic.readPort(0, p & 1),
    write8: (p, v) => pic.writePort(0, p & 1, v),
  });
  io.register("pic-slave", 0xa0, 2, {
    read8: (p) => pic.readPort(1, p & 1),
    write8: (p, v) => pic.writePort(1, p & 1, v),
  });
  io.register("pic-elcr", 0x4d0, 2, {
    read8: (p) => pic.readElcr(p & 1),
    write8: (p, v) => pic.writeElcr(p & 1, v),
  });
}
