// The PC: an i440FX/PIIX3-class machine assembled from the device modules, as machine
// configuration data (PcConfig) rather than code paths. The same composition runs in the CLI,
// the tests and the browser's worker.
import * as L from "../../asm/layout";
import { Machine } from "./machine";
import type { IrqLine, IrqSink } from "./irq";
import type { BlockBackend } from "./block";
import { PamMode } from "./memory-map";
import { setMemorySize, setEquipment, setBootOrder, setCpuCount, updateChecksum } from "./devices/cmos-layout";
import { LegacyChipset } from "./devices/legacy-chipset";
import { DebugConsolePort } from "./devices/misc-ports";
import { FwCfg, seabiosBootOrder } from "./devices/fw-cfg";
import type { Rtc146818 } from "./devices/rtc146818";
import type { Uart16550 } from "./devices/uart16550";
import type { Ps2System } from "./devices/isa-ps2";
import type { Pit8254 } from "./devices/pit8254";
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
import { FloppyController } from "./storage/floppy/fdc";
import { setFloppyTypes, FLOPPY_NONE, FLOPPY_360K, FLOPPY_720K, FLOPPY_1200K, FLOPPY_1440K, FLOPPY_2880K } from "./devices/cmos-layout";
import { Vga, VGA_WINDOW_BASE, VGA_WINDOW_SIZE } from "./vga/vga";
import { VgaPci } from "./vga/pci-glue";
import { DirectMapper } from "./vga/direct-map";
import type { FrameUpdate } from "./vga/render";
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
  private constructor(
    readonly machine: Machine,
    readonly chipset: LegacyChipset,
    readonly vga: Vga,
    readonly firmware: BiosFirmware | null,
    readonly ide: [IdeChannel, IdeChannel],
    /** Block-device completions; the machine drains them between slices. */
    readonly completions: CompletionQueue,
    private readonly vramMapper: DirectMapper,
  ) {}

  /**
   * Render the display: fold the CPU's direct writes to VRAM into the VGA's dirty tracking, then
   * convert what changed (see vga/render.ts). Call at the page's frame rate.
   */
  renderFrame(): FrameUpdate {
    const cpu = this.machine.cpu;
    this.vramMapper.collect(this.vga, {
      pageFlags: new Uint8Array(cpu.memory.buffer, L.PAGE_FLAGS, L.PHYS_PAGES),
      // Dropping write entries makes the next write refill the TLB, which marks the page dirty.
      invalidateWrites: () => cpu.exports.flushTlb(),
    });
    return this.vga.render();
  }

  get pit(): Pit8254 {
    return this.chipset.pit;
  }
  get rtc(): Rtc146818 {
    return this.chipset.rtc;
  }
  get uarts(): Uart16550[] {
    return this.chipset.uarts;
  }
  get ps2(): Ps2System {
    return this.chipset.ps2;
  }

  static async create(cfg: PcConfig): Promise<Pc> {
    const log = cfg.log ?? (() => {});
    const machine = await Machine.create({ memoryBytes: cfg.memoryBytes, wasm: cfg.wasm, extraBytes: VRAM_BYTES, nsPerInstruction: cfg.nsPerInstruction });
    const { io, mmio, clock, cpu } = machine;
    const add = <D extends Parameters<Machine["addDevice"]>[0]>(d: D) => machine.addDevice(d);

    // The legacy chipset: 8259 pair with the local APIC and I/O APIC (unless --no-apic), PIT,
    // RTC, UARTs, 8042, DMA and the small ports, behind one interrupt router.
    const debugByte = cfg.debugcon?.find((d) => d.port === 0xe9)?.onByte;
    const chipset = new LegacyChipset(io, mmio, clock, {
      apic: cfg.apic,
      // QEMU resets the BSP's LINT0 to ExtINT so that 8259 interrupts reach a CPU whose firmware
      // never programs the local APIC (test ROMs, simple kernels); our BIOS sets it anyway.
      lint0ExtIntAtReset: true,
      rtcBaseTime: cfg.rtcBaseTime,
      memory: machine.phys,
      onIntr: (level) => machine.setIntr(level),
      onNmi: () => machine.setNmi(),
      onSmi: () => machine.raiseSmi(),
      onA20: (on) => cpu.setA20(on),
      onReset: () => machine.requestReset(),
      onSerialTransmit: (port, b) => cfg.onSerialOutput?.(port, b),
      onDebugConsole: (b) => debugByte?.(b),
      onDebugExit: (status) => cfg.onDebugExit?.(status),
    });
    for (const d of chipset.devices) add(d);
    machine.intrAck = () => chipset.intrAck();
    for (const d of cfg.debugcon ?? []) {
      if (d.port === 0xe9) continue;
      const con = add(new DebugConsolePort(d.onByte, d.port));
      con.attach(io);
    }
    const router = chipset.router;
    const lines = new Map<number, IrqLine>();
    const irq = (n: number) => router.line(n);
    // PCI INTx arrive through the PIIX3's PIRQ routing onto ISA IRQs, wired-OR with ISA devices.
    const pciSink: IrqSink = {
      setIrq: (n, level) => {
        let l = lines.get(n);
        if (!l) lines.set(n, (l = router.line(n)));
        l.set(level);
      },
    };
    // FERR# (an unmasked x87 exception with CR0.NE=0) raises IRQ 13 through the PIC, as on the
    // PC/AT; a write to port F0h clears it (the IGNNE# latch). The CPU flags FERR in FPU_FERR.
    const irq13 = router.line(13);
    machine.onSliceEnd.push(() => irq13.set(cpu.get(L.FPU_FERR) !== 0));
    io.register("ferr", 0xf0, 1, {
      write8: () => {
        cpu.set(L.FPU_FERR, 0);
        irq13.set(false);
      },
    });
    // WRMSR to IA32_APIC_BASE only stores the value; the router learns it between slices.
    let apicBase = -1;
    machine.onSliceEnd.push(() => {
      const v = cpu.get(L.MSR_APIC_BASE);
      if (v !== apicBase) {
        apicBase = v;
        router.setApicBase(v);
      }
    });

    // PCI: host bridge, ISA bridge, IDE, PM; VGA in slot 2.
    const pci = add(new PciBus(io));
    const host = add(new I440fxHostBridge(cfg.memoryBytes));
    host.onPamChange = (base, size, readDram, writeDram) => machine.map.setPam(base, size, pamMode(readDram, writeDram));
    pci.register(host, 0, 0);
    // SMRAM (82441FX 3.2.21): the VGA hole shows DRAM while the SMRAM register opens it, or while
    // the CPU is in SMM with G_SMRAME. The CPU reports its transitions (before writing the state
    // save map, after RSM), the host bridge its register changes; both re-derive the view.
    const updateSmram = () => machine.map.setSmramVisible(host.smramVisible(cpu.get(L.IN_SMM) !== 0));
    host.onSmramChange = updateSmram;
    machine.onSmmChange = updateSmram;
    const isa = add(new Piix3IsaBridge(pci, pciSink));
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
    pci.register(add(new PiixIde(io, ide, machine.phys)), 1, 1);
    const fdc = add(new FloppyController(io, clock, irq(6), chipset.dma, completions));
    if (cfg.fda) fdc.insert(0, cfg.fda);
    const acpiPm = add(new AcpiPm(clock, irq(9)));
    acpiPm.onPowerOff = () => machine.requestStop({ kind: "stopped", why: "the guest powered off" });
    const pm = add(new Piix4Pm(io, acpiPm));
    pm.onSmi = () => machine.raiseSmi();
    pci.register(pm, 1, 3);

    const vram = new Uint8Array(cpu.memory.buffer, cpu.ramOffset + cfg.memoryBytes, VRAM_BYTES);
    const vga = add(new Vga(vram, clock));
    vga.attachIo(io);
    mmio.register("vga-window", VGA_WINDOW_BASE, VGA_WINDOW_SIZE, vga.window);
    const vgaPci = add(new VgaPci(vga, io, mmio, cfg.vgaBios ?? null));
    pci.register(vgaPci, 2, 0);
    // The LFB, the VBE bank window and mode 13h's window are plain VRAM bytes: map them straight
    // into the CPU's physical map, and learn which pages the CPU wrote from PAGE_DIRTY.
    const mapper = new DirectMapper(machine.map.vgaSide, cpu.ramOffset + cfg.memoryBytes, () => vgaPci.directMappings());
    vga.onMappingChange = () => mapper.update();
    vgaPci.onBarMoved = () => mapper.update();

    // CMOS contents that BIOSes expect (ours reads its configuration directly; SeaBIOS reads CMOS).
    setMemorySize(chipset.rtc, Math.min(cfg.memoryBytes, 0xe0000000));
    setEquipment(chipset.rtc, { floppies: cfg.fda ? 1 : 0, fpu: true });
    setFloppyTypes(chipset.rtc, cfg.fda ? floppyType(cfg.fda.byteLength) : FLOPPY_NONE, FLOPPY_NONE);
    // The boot order as QEMU stores it (0x3D/0x38): the Bochs BIOS's INT 19h boots from it, and
    // SeaBIOS takes it as the default priorities under its fw_cfg "bootorder" file.
    setBootOrder(chipset.rtc, cfg.bootOrder.slice(0, 3).map((d) => CMOS_BOOT_DEVICE[d]));
    setCpuCount(chipset.rtc, 1);
    updateChecksum(chipset.rtc);

    const bios = cfg.bios ?? buildBiosRom().image;
    machine.map.loadBios(bios);
    if (cfg.vgaBios) machine.map.loadOptionRom(0xc0000, cfg.vgaBios);
    let firmware: BiosFirmware | null = null;
    if (!cfg.bios) {
      firmware = add(new BiosFirmware({
        cpu, mem: machine.phys, io, mmio, ramBytes: cfg.memoryBytes,
        config: { acpi: cfg.acpi, apic: cfg.apic, bootOrder: cfg.bootOrder, uuid: cfg.uuid },
        drives: { floppies: [cfg.fda ?? null], disks: [cfg.hda ?? null, cfg.hdb ?? null], cdrom: cfg.cdrom ?? null },
        shadowRom: (addr, size, writable) => machine.map.shadow(addr, size, writable),
        log,
      }, bios));
      installBios(firmware, { kernel: cfg.kernel });
    } else if (cfg.kernel) {
      throw new Error("--kernel needs lab86's own BIOS (alternative firmware boots from disks and CDs)");
    } else {
      // Alternative firmware is SeaBIOS as QEMU builds it: give it QEMU's fw_cfg (devices/fw-cfg.ts).
      const fwCfg = add(new FwCfg({
        ramBytes: cfg.memoryBytes, uuid: cfg.uuid, cpus: 1, irq0Override: cfg.apic,
        files: [{ name: "bootorder", data: seabiosBootOrder(cfg.bootOrder) }],
      }));
      fwCfg.attach(io);
    }
    cpu.set(L.CPU_CONFIG, cfg.apic ? L.CPU_CONFIG_APIC : 0);
    const pc = new Pc(machine, chipset, vga, firmware, ide, completions, mapper);
    machine.reset();
    mapper.update();
    return pc;
  }
}

const CMOS_BOOT_DEVICE = { cd: "cdrom", hd: "disk", fd: "floppy" } as const;

/** The CMOS drive type whose drive reads a diskette image of this size. */
function floppyType(bytes: number): number {
  if (bytes <= 368640) return FLOPPY_360K;
  if (bytes <= 737280) return FLOPPY_720K;
  if (bytes <= 1228800) return FLOPPY_1200K;
  if (bytes <= 1474560) return FLOPPY_1440K;
  return FLOPPY_2880K;
}

function pamMode(readDram: boolean, writeDram: boolean): PamMode {
  if (readDram) return writeDram ? PamMode.Ram : PamMode.ReadRam;
  return writeDram ? PamMode.WriteRam : PamMode.Rom;
}
