// The legacy PC devices of a PIIX-class southbridge, wired to each other as on the board: the
// interrupt controllers and router, PIT with port 0x61, RTC/CMOS with the NMI mask, four
// 16550A UARTs, the 8042 with keyboard and mouse, the 8237 pair, and the small control ports.
// The machine gives it its buses, clock and memory and a few outputs; it may equally build the
// devices itself from their own modules.
import type { VirtualClock } from "../clock";
import type { PhysicalMemory } from "../dma-api";
import type { IoBus, MmioBus } from "../io";
import type { Device } from "../state";
import { Dma8237 } from "./dma8237";
import { InterruptRouter } from "./intr-router";
import { attachPic } from "./pic8259";
import { Pit8254 } from "./pit8254";
import { attachPit, SystemControlPortB } from "./isa-pit";
import { Rtc146818 } from "./rtc146818";
import { COM_PORTS, Uart16550 } from "./uart16550";
import { Ps2System } from "./isa-ps2";
import { DebugConsolePort, DebugExitPort, PostCodePort, ResetControl, SystemControlPortA } from "./misc-ports";

/**
 * Which reset a guest asked for: "cpu" is the 8042's reset line (the processor's RESET only),
 * "init" the soft reset of port 0x92 bit 0 and of 0xCF9 with bit 1 clear, "system" the hard
 * reset of 0xCF9 (processor and devices).
 */
export type ResetKind = "cpu" | "init" | "system";

export interface LegacyChipsetOptions {
  /** Local APIC and I/O APIC present (false: --no-apic). */
  apic: boolean;
  /** LINT0 in ExtINT mode from reset, for firmware that does not program the local APIC. */
  lint0ExtIntAtReset?: boolean;
  /** RTC wall time at virtual time 0, ms since the epoch (UTC). */
  rtcBaseTime: number;
  memory: PhysicalMemory;
  /** The CPU's INTR input (mirror into INTR_LINE). */
  onIntr(level: boolean): void;
  /** An NMI edge for the CPU (set NMI_PENDING). */
  onNmi(): void;
  /** An SMI for the CPU (set SMI_PENDING). */
  onSmi?(): void;
  /** The A20 gate: the 8042 output port bit 1 OR port 0x92 bit 1. */
  onA20(enabled: boolean): void;
  onReset(kind: ResetKind): void;
  onSerialTransmit?(port: number, byte: number): void;
  onPostCode?(code: number): void;
  onDebugConsole?(byte: number): void;
  onDebugExit?(status: number): void;
  onKeyboardLeds?(leds: number): void;
  onSpeaker?(enabled: boolean): void;
  onInit?(): void;
  onStartup?(vector: number): void;
}

export class LegacyChipset {
  readonly router: InterruptRouter;
  readonly pit: Pit8254;
  readonly portB: SystemControlPortB;
  readonly rtc: Rtc146818;
  readonly uarts: Uart16550[];
  readonly ps2: Ps2System;
  readonly dma: Dma8237;
  readonly port92: SystemControlPortA;
  readonly resetControl: ResetControl;
  readonly postCode: PostCodePort;
  readonly debugConsole: DebugConsolePort;
  readonly debugExit: DebugExitPort;
  private a20 = true;

  constructor(io: IoBus, mmio: MmioBus, clock: VirtualClock, private readonly options: LegacyChipsetOptions) {
    let rtc: Rtc146818 | undefined;
    this.router = new InterruptRouter(clock, {
      apic: options.apic,
      onIntr: options.onIntr,
      onNmi: options.onNmi,
      onSmi: options.onSmi,
      onInit: options.onInit,
      onStartup: options.onStartup,
      nmiMasked: () => rtc?.nmiMasked ?? false,
      lint0ExtIntAtReset: options.lint0ExtIntAtReset,
    });
    const router = this.router;
    attachPic(io, router.pic);
    router.attachMmio(mmio);

    const irq0 = router.line(0);
    this.pit = new Pit8254(clock, { onOut0: (level) => irq0.set(level) });
    attachPit(io, this.pit);
    this.portB = new SystemControlPortB(clock, this.pit, {
      onSpeaker: options.onSpeaker,
      onNmiSource: (level) => router.setNmiSource(level),
    });
    this.portB.attach(io);

    rtc = new Rtc146818(clock, router.line(8), { baseTime: options.rtcBaseTime, onNmiMask: () => router.nmiMaskChanged() });
    this.rtc = rtc;
    rtc.attach(io);

    this.uarts = COM_PORTS.map((p, i) => {
      const u = new Uart16550(p.name, clock, router.line(p.irq), { onTransmit: (b) => options.onSerialTransmit?.(i, b) });
      u.attach(io, p.base);
      return u;
    });

    this.ps2 = new Ps2System(router.line(1), router.line(12), {
      onA20: () => this.setA20(this.ps2.controller.a20),
      onReset: () => options.onReset("cpu"),
      onLeds: options.onKeyboardLeds,
      clock,
    });
    this.ps2.attach(io);

    this.dma = new Dma8237(options.memory);
    this.dma.attach(io);

    this.port92 = new SystemControlPortA({ onA20: () => this.setA20(this.port92.a20), onReset: () => options.onReset("init") });
    this.port92.attach(io);
    this.resetControl = new ResetControl((hard) => options.onReset(hard ? "system" : "init"));
    this.resetControl.attach(io);
    this.postCode = new PostCodePort(options.onPostCode);
    this.postCode.attach(io);
    this.debugConsole = new DebugConsolePort((b) => options.onDebugConsole?.(b));
    this.debugConsole.attach(io);
    this.debugExit = new DebugExitPort((s) => options.onDebugExit?.(s));
    this.debugExit.attach(io);
  }

  /** Every device, for reset and snapshots. Interrupt controllers first, so restored lines land on restored inputs. */
  get devices(): Device<object>[] {
    return [
      ...this.router.devices, this.pit, this.portB, this.rtc, ...this.uarts, ...this.ps2.devices, this.dma,
      this.port92, this.resetControl, this.postCode, this.debugConsole, this.debugExit,
    ] as unknown as Device<object>[];
  }

  /** After a restore: re-announce INTR to the CPU (the A20 mask is part of the CPU's own state). */
  afterRestore(): void {
    this.router.refresh(true);
  }

  /** INTA for the CPU. */
  intrAck(): number {
    return this.router.intrAck();
  }

  /**
   * The A20 gate follows whichever source changed last: the 8042's output port or port 0x92.
   * The PIIX ORs the two in hardware, but QEMU and Bochs, where guests are developed and
   * tested, let the last write win: a guest that turns A20 off through port 0x92 while the
   * 8042 still has it on gets wraparound (test/roms/realmode.asm checks this against Bochs).
   */
  private setA20(on: boolean): void {
    if (on === this.a20) return;
    this.a20 = on;
    this.options.onA20(on);
  }
}
