// The PC: an i440FX/PIIX3-class machine assembled from the device modules, as machine
// configuration data (PcConfig) rather than code paths. The same composition runs in the CLI,
// the tests and the browser's worker.
import * as L from "../../asm/layout";
import { Machine } from "./machine";
import { IrqLine, type IrqSink } from "./irq";
import type { BlockBackend } from "./block";
import { PamMode } from "./memory-map";
import { PicPair, attachPic } from "./devices/pic8259";
import { Pit8254 } from "./devices/pit8254";
import { attachPit, SystemControlPortB } from "./devices/isa-pit";
import { Rtc146818 } from "./devices/rtc146818";
import { setMemorySize, setEquipment, updateChecksum } from "./devices/cmos-layout";
import { Uart16550, COM_PORTS } from "./devices/uart16550";
import { Ps2System } from "./devices/isa-ps2";
import { Dma8237 } from "./devices/dma8237";
import { PciBus } from "./pci/pci-bus";
import { I440fxHostBridge } from "./pci/i440fx";
import { Piix3IsaBridge } from "./pci/piix3-isa";
import { PiixIde } from "./pci/piix-ide";
import { Piix4Pm } from "./pci/piix4-pm";
import { AcpiPm } from "./pci/acpi-pm";
import { CompletionQueue } from "./storage/completion";
import { IdeChannel } from "./storage/ata/channel";
import { AtaDisk } from "./storage/ata/ata-disk";
import { AtapiCdrom } from "./storage/atapi/atapi-cdrom";
import { Vga, VGA_WINDOW_BASE, VGA_WINDOW_SIZE } from "./vga/vga";
import { VgaPci } from "./vga/pci-glue";
import { BiosFirmware, type BootDevice } from "../../bios/firmware";
import { buildBiosRom } from "../../bios/rom";
import { installBios } from "../../bios/install";

export interface PcConfig {
  memoryBytes: number;
  /** The CPU module (build/cpu.wasm) bytes or compiled module. */
  wasm: BufferSource | WebAssembly.Module;
  /** System firmware; lab86's own BIOS when absent. */
  bios?: Uint8Array;
  /** VGA option ROM (exposed in the VGA's PCI ROM BAR and at 0xC0000), e.g. vgabios-stdvga.bin. */
  vgaBios?: Uint8Array;
  kernel?: { image: Uint8Array; initrd?: Uint8Array; cmdline: string };
  hda?: BlockBackend;
  hdb?: BlockBackend;
  cdrom?: BlockBackend;
  fda?: BlockBackend;
  bootOrder: BootDevice[];
  acpi: boolean;
  apic: boolean;
  /** Wall-clock time at virtual time zero (ms since the epoch): host time, or fixed for deterministic runs. */
  rtcBaseTime: number;
  /** SMBIOS UUID (16 bytes). */
  uuid: Uint8Array;
  /** Bytes the guest sends on COM1..COM4. */
  onSerialOutput?: (port: number, byte: number) => void;
  /** Ports whose writes are a debug console (0xE9 by default in the CLI). */
  debugcon?: { port: number; onByte: (b: number) => void }[];
  /** The guest wrote to the isa-debug-exit port (0xF4): exit status (v << 1) | 1, as QEMU. */
  onDebugExit?: (status: number) => void;
  log?: (message: string) => void;
  /** Virtual ns per instruction (default 10). */
  nsPerInstruction?: number;
}

/** VRAM for the Bochs VBE adapter: 16 MiB, enough for 1920x1080x32 with double buffering. */
export const VRAM_BYTES = 16 << 20;

export class Pc {
  readonly irqSink: IrqSink;

  private constructor(
    readonly machine: Machine,
    readonly pic: PicPair,
    readonly pit: Pit8254,
    readonly rtc: Rtc146818,
    readonly uarts: Uart16550[],
    readonly ps2: Ps2System,
    readonly vga: Vga,
    readonly firmware: BiosFirmware | null,
    readonly ide: [IdeChannel, IdeChannel],
    /** Block-device completions; the machine drains them between slices. */
    readonly completions: CompletionQueue,
  ) {
    this.irqSink = pic;
  }

  static async create(cfg: PcConfig): Promise<Pc> {
    const log = cfg.log ?? (() => {});
    const machine = await Machine.create({ memoryBytes: cfg.memoryBytes, wasm: cfg.wasm, extraBytes: VRAM_BYTES, nsPerInstruction: cfg.nsPerInstruction });
    const { io, mmio, clock, cpu } = machine;
    const add = <D extends Parameters<Machine["addDevice"]>[0]>(d: D) => machine.addDevice(d);

    // Interrupts: the 8259 pair drives the CPU's INTR (the I/O APIC joins in the APIC configuration).
    const pic = add(new PicPair({ onIntr: (level) => machine.setIntr(level) }));
    attachPic(io, pic);
    machine.intrAck = () => pic.acknowledge();
    const irq = (n: number) => new IrqLine(pic, n);

    const pit = add(new Pit8254(clock, { onOut0: (level) => pic.setIrq(0, level) }));
    attachPit(io, pit);
    add(new SystemControlPortB(clock, pit)).attach(io);

    const rtc = add(new Rtc146818(clock, irq(8), { baseTime: cfg.rtcBaseTime }));
    rtc.attach(io);

    const uarts = COM_PORTS.map((c, i) => {
      const u = add(new Uart16550(`com${i + 1}`, clock, irq(c.irq), { onTransmit: (b) => cfg.onSerialOutput?.(i, b) }));
      u.attach(io, c.base);
      return u;
    });

    const ps2 = new Ps2System(irq(1), irq(12), {
      onA20: (on) => cpu.setA20(on),
      onReset: () => machine.requestReset(),
    });
    for (const d of ps2.devices) add(d);
    ps2.attach(io);

    const dma = add(new Dma8237(machine.phys));
    dma.attach(io);

    // PCI: host bridge, ISA bridge, IDE, PM; VGA in slot 2.
    const pci = add(new PciBus(io));
    const host = add(new I440fxHostBridge(cfg.memoryBytes));
    host.onPamChange = (base, size, readDram, writeDram) => machine.map.setPam(base, size, pamMode(readDram, writeDram));
    pci.register(host, 0, 0);
    const isa = add(new Piix3IsaBridge(pci, pic));
    pci.register(isa, 1, 0);
    const completions = new CompletionQueue();
    machine.onSliceEnd.push(() => completions.drain());
    const ide: [IdeChannel, IdeChannel] = [
      add(new IdeChannel("ide0", irq(14), completions)),
      add(new IdeChannel("ide1", irq(15), completions)),
    ];
    if (cfg.hda) new AtaDisk(cfg.hda).attachTo(ide[0], 0);
    if (cfg.hdb) new AtaDisk(cfg.hdb).attachTo(ide[0], 1);
    new AtapiCdrom(cfg.cdrom ?? null).attachTo(ide[1], 0);
    pci.register(add(new PiixIde(io, ide)), 1, 1);
    const acpiPm = add(new AcpiPm(clock, irq(9)));
    acpiPm.onPowerOff = () => machine.requestStop({ kind: "stopped", why: "the guest powered off" });
    pci.register(add(new Piix4Pm(io, acpiPm)), 1, 3);

    const vram = new Uint8Array(cpu.memory.buffer, cpu.ramOffset + cfg.memoryBytes, VRAM_BYTES);
    const vga = add(new Vga(vram, clock));
    vga.attachIo(io);
    mmio.register("vga-window", VGA_WINDOW_BASE, VGA_WINDOW_SIZE, vga.window);
    pci.register(add(new VgaPci(vga, io, mmio, cfg.vgaBios ?? null)), 2, 0);

    // Small ISA devices: fast A20 and reset (0x92), reset control (0xCF9), POST codes (0x80),
    // debug consoles, isa-debug-exit.
    registerMiscPorts(machine, cfg);

    // CMOS contents that BIOSes (ours reads its config directly; SeaBIOS reads CMOS) expect.
    setMemorySize(rtc, Math.min(cfg.memoryBytes, 0xe0000000));
    setEquipment(rtc, { floppies: cfg.fda ? 1 : 0, fpu: true });
    updateChecksum(rtc);

    const bios = cfg.bios ?? buildBiosRom().image;
    machine.map.loadBios(bios);
    if (cfg.vgaBios) machine.map.loadOptionRom(0xc0000, cfg.vgaBios);
    let firmware: BiosFirmware | null = null;
    if (!cfg.bios) {
      firmware = add(new BiosFirmware({
        cpu, mem: machine.phys, io, ramBytes: cfg.memoryBytes,
        config: { acpi: cfg.acpi, apic: cfg.apic, bootOrder: cfg.bootOrder, uuid: cfg.uuid },
        drives: { floppies: [cfg.fda ?? null], disks: [cfg.hda ?? null, cfg.hdb ?? null], cdrom: cfg.cdrom ?? null },
        shadowRom: (addr, size, writable) => machine.map.shadow(addr, size, writable),
        log,
      }, bios));
      installBios(firmware, { kernel: cfg.kernel });
    } else if (cfg.kernel) {
      throw new Error("--kernel needs lab86's own BIOS (alternative firmware boots from disks and CDs)");
    }
    cpu.set(L.CPU_CONFIG, cfg.apic ? L.CPU_CONFIG_APIC : 0);
    const pc = new Pc(machine, pic, pit, rtc, uarts, ps2, vga, firmware, ide, completions);
    machine.reset();
    return pc;
  }
}

function pamMode(readDram: boolean, writeDram: boolean): PamMode {
  if (readDram) return writeDram ? PamMode.Ram : PamMode.ReadRam;
  return writeDram ? PamMode.WriteRam : PamMode.Rom;
}

function registerMiscPorts(machine: Machine, cfg: PcConfig): void {
  const { io, cpu } = machine;
  let port92 = 0x02; // A20 on
  io.register("port92", 0x92, 1, {
    read8: () => port92,
    write8: (_p, v) => {
      if ((v ^ port92) & 2) cpu.setA20((v & 2) !== 0);
      port92 = v & 0x02;
      if (v & 1) machine.requestReset();
    },
  });
  for (const d of cfg.debugcon ?? []) {
    io.register("debugcon", d.port, 1, { read8: () => 0xe9, write8: (_p, v) => d.onByte(v) });
  }
  if (cfg.onDebugExit) {
    const exit = cfg.onDebugExit;
    io.register("debug-exit", 0xf4, 1, { write8: (_p, v) => exit((v << 1) | 1) });
  }
}
