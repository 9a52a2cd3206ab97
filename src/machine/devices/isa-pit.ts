// ISA glue of the 8254: ports 0x40-0x43, and system control port B at 0x61 (IBM PC/AT technical
// reference; PIIX4 datasheet 4.1.31 NMI Status and Control Register), which holds counter 2's
// gate and the speaker data enable, and reads back counter 2's OUT and the DRAM refresh toggle.
import type { VirtualClock } from "../clock";
import type { IoBus } from "../io";
import { type Device, type Schema, StateError } from "../state";
import type { Pit8254 } from "./pit8254";
import { TickRate } from "./tick-rate";

export function attachPit(io: IoBus, pit: Pit8254): void {
  io.register("pit", 0x40, 4, {
    read8: (p) => (p === 0x43 ? 0xff : pit.readCounter(p - 0x40)), // the control register is write-only
    write8: (p, v) => (p === 0x43 ? pit.writeControl(v) : pit.writeCounter(p - 0x40, v)),
  });
}

// The refresh request toggles once per refresh cycle: counter 1 of the AT was programmed by the
// BIOS with 18 clocks (15.085 us). Guests (BIOS and DOS delay loops, Linux's early calibration
// fallback) poll bit 4 to wait fixed times, so it follows virtual time at that rate.
const refreshRate = new TickRate(1193182, 18);

export interface PortBState {
  speakerData: boolean; // bit 1: speaker data enable (ANDed with counter 2's OUT)
  parityCheckOff: boolean; // bit 2: 1 disables the PCI SERR#/parity NMI source
  channelCheckOff: boolean; // bit 3: 1 disables the IOCHK# NMI source
  channelCheck: boolean; // bit 6: IOCHK# NMI source latched
  parityError: boolean; // bit 7: SERR#/parity NMI source latched
}

const PORTB_SCHEMA: Schema = {
  speakerData: "bool",
  parityCheckOff: "bool",
  channelCheckOff: "bool",
  channelCheck: "bool",
  parityError: "bool",
};

export interface PortBCallbacks {
  /** Speaker state changed: the tone is counter 2's OUT gated by `enabled` (bits 0 and 1 both set). */
  onSpeaker?(enabled: boolean): void;
  /** The NMI request from IOCHK#/SERR# (bits 6/7 while enabled by bits 3/2), towards the NMI mask of port 0x70. */
  onNmiSource?(level: boolean): void;
}

export class SystemControlPortB implements Device<PortBState> {
  readonly name = "port61";
  readonly schema = PORTB_SCHEMA;
  state: PortBState = { speakerData: false, parityCheckOff: false, channelCheckOff: false, channelCheck: false, parityError: false };

  constructor(private readonly clock: VirtualClock, private readonly pit: Pit8254, private readonly callbacks: PortBCallbacks = {}) {}

  reset(): void {
    this.state = { speakerData: false, parityCheckOff: false, channelCheckOff: false, channelCheck: false, parityError: false };
    this.pit.setGate(2, false);
  }

  postLoad(): void {
    // The gate bit lives in the PIT's counter 2 state; nothing here can contradict it.
    if (this.state.channelCheck && this.state.channelCheckOff) throw new StateError("port61.channelCheck", "latched while the source is disabled");
    if (this.state.parityError && this.state.parityCheckOff) throw new StateError("port61.parityError", "latched while the source is disabled");
    this.updateNmi();
  }

  read(): number {
    const s = this.state;
    const refresh = refreshRate.tickAt(this.clock.now) & 1;
    return (
      (this.pit.gate(2) ? 1 : 0) |
      (s.speakerData ? 2 : 0) |
      (s.parityCheckOff ? 4 : 0) |
      (s.channelCheckOff ? 8 : 0) |
      (refresh << 4) |
      (this.pit.out(2) ? 0x20 : 0) |
      (s.channelCheck ? 0x40 : 0) |
      (s.parityError ? 0x80 : 0)
    );
  }

  write(v: number): void {
    const s = this.state;
    s.speakerData = (v & 2) !== 0;
    s.parityCheckOff = (v & 4) !== 0;
    s.channelCheckOff = (v & 8) !== 0;
    // Setting an enable-off bit clears the corresponding latched NMI source.
    if (s.parityCheckOff) s.parityError = false;
    if (s.channelCheckOff) s.channelCheck = false;
    this.pit.setGate(2, (v & 1) !== 0);
    this.callbacks.onSpeaker?.((v & 3) === 3);
    this.updateNmi();
  }

  /** A bus agent signals IOCHK# (an ISA card's channel check): latched in bit 6 while enabled. */
  signalChannelCheck(): void {
    if (this.state.channelCheckOff) return;
    this.state.channelCheck = true;
    this.updateNmi();
  }

  /** A PCI agent signals SERR# (system error): latched in bit 7 while enabled. */
  signalSystemError(): void {
    if (this.state.parityCheckOff) return;
    this.state.parityError = true;
    this.updateNmi();
  }

  private updateNmi(): void {
    this.callbacks.onNmiSource?.(this.state.channelCheck || this.state.parityError);
  }

  attach(io: IoBus): void {
    io.register("port61", 0x61, 1, { read8: () => this.read(), write8: (_p, v) => this.write(v) });
  }
}
