// lab86's BIOS, the TypeScript half: a device on SERVICE_PORT that runs the service whose ROM stub
// trapped (rom.ts). Services program the chipset through the same ports a guest would, so the
// device models stay the single source of truth, and they keep their data where a PC BIOS keeps
// it (IVT, BDA, EBDA, ROM tables), so snapshots need no firmware state beyond `state` below.
import * as L from "../asm/layout";
import type { Cpu } from "../src/machine/cpu";
import type { IoBus, MmioBus } from "../src/machine/io";
import type { PhysicalMemory } from "../src/machine/dma-api";
import type { BlockBackend } from "../src/machine/block";
import type { Device, Schema } from "../src/machine/state";
import { StateError } from "../src/machine/state";
import { ServiceContext } from "./context";
import { Service, SERVICE_PORT, BIOS_SEGMENT, readServiceTable, type ServiceStub } from "./services";
import { e820Map, type E820Entry } from "../src/machine/boot/e820";
import { FirmwareDiskReader } from "./disk-io";

export type BootDevice = "cd" | "hd" | "fd";

export interface FirmwareConfig {
  acpi: boolean;
  apic: boolean;
  bootOrder: BootDevice[];
  /** SMBIOS system UUID (16 bytes), unique per lab instance. */
  uuid: Uint8Array;
}

export interface FirmwareDrives {
  floppies: (BlockBackend | null)[];
  disks: (BlockBackend | null)[];
  cdrom: BlockBackend | null;
}

/** What the firmware needs from the machine. */
export interface FirmwareHost {
  cpu: Cpu;
  mem: PhysicalMemory;
  io: IoBus;
  /** Memory-mapped registers that need full-width accesses (local APIC, I/O APIC). */
  mmio: MmioBus;
  ramBytes: number;
  config: FirmwareConfig;
  drives: FirmwareDrives;
  /** Make [addr, addr+size) of 0xC0000-0xFFFFF shadow RAM: copy the ROM side in and set PAM to RAM. */
  shadowRom(addr: number, size: number, writable: boolean): void;
  /** Ask the run loop to end this slice (a service changed CS:IP in a way the CPU must see now). */
  log(message: string): void;
}

export type ServiceHandler = (ctx: ServiceContext, fw: BiosFirmware) => void;
/** Work other firmware modules add to POST (PCI enumeration, ACPI/SMBIOS tables, video), by order. */
export type PostHook = (fw: BiosFirmware) => void;

interface FirmwareState {
  /** 0: not started, 1: POST running option ROMs, 2: booting, 3: booted. */
  postStage: number;
  /** Next legacy option ROM address to scan (0xC0000-0xE0000, 2 KiB steps). */
  nextRomScan: number;
}

const SCHEMA: Schema = {
  postStage: "u8",
  nextRomScan: "u32",
};

export class BiosFirmware implements Device<FirmwareState> {
  readonly name = "bios";
  readonly schema = SCHEMA;
  state: FirmwareState = { postStage: 0, nextRomScan: 0xc0000 };
  private stubs: Map<number, ServiceStub> = new Map();
  private readonly handlers = new Map<Service, ServiceHandler>();
  private readonly postHooks: { order: number; hook: PostHook }[] = [];
  /** The memory map reported by E820 (table builders reserve ACPI memory from it). */
  e820: E820Entry[];
  /** Offset in F000 of the INT 15h C0h system configuration table (0 until a module writes one). */
  configTableOffset = 0;
  readonly diskReader = new FirmwareDiskReader();
  /** Direct kernel boot (lab86 run --kernel); tried before the boot order when set. */
  kernelBoot: ((ctx: ServiceContext, fw: BiosFirmware) => boolean | null) | null = null;
  /** El Torito boot (installed by the CD-ROM module); null when absent. */
  cdBoot: ((ctx: ServiceContext, fw: BiosFirmware) => boolean | null) | null = null;
  /** Called when no device could boot (the CLI ends the run with an error). */
  onNoBootDevice: (() => void) | null = null;

  constructor(readonly host: FirmwareHost, rom: Uint8Array) {
    const table = readServiceTable(rom);
    if (!table) throw new Error("the BIOS image has no lab86 service table");
    this.stubs = table;
    this.e820 = e820Map(host.ramBytes);
    host.io.register("bios", SERVICE_PORT, 1, { write8: () => this.trap() });
  }

  /** Register the handler of a service (called by the service modules). */
  on(id: Service, h: ServiceHandler): void {
    this.handlers.set(id, h);
  }

  addPostHook(order: number, hook: PostHook): void {
    this.postHooks.push({ order, hook });
    this.postHooks.sort((a, b) => a.order - b.order);
  }
  runPostHooks(): void {
    for (const { hook } of this.postHooks) hook(this);
  }

  stub(id: Service): ServiceStub {
    for (const s of this.stubs.values()) if (s.id === id) return s;
    throw new Error(`BIOS ROM has no stub for service ${id}`);
  }

  reset(): void {
    this.state = { postStage: 0, nextRomScan: 0xc0000 };
  }

  postLoad(): void {
    if (this.state.postStage > 3) throw new StateError("bios.postStage", `${this.state.postStage} is not a POST stage`);
    if (this.state.nextRomScan < 0xc0000 || this.state.nextRomScan > 0xe0000 || this.state.nextRomScan % 0x800) {
      throw new StateError("bios.nextRomScan", `0x${this.state.nextRomScan.toString(16)} is not an option ROM scan address`);
    }
  }

  private trap(): void {
    const cpu = this.host.cpu;
    const cs = cpu.seg(L.SEG_CS);
    const at = cpu.get(L.INSN_START_EIP);
    const stub = cs.base === BIOS_SEGMENT << 4 ? this.stubs.get(at) : undefined;
    if (!stub) {
      this.host.log(`BIOS service port written from ${cs.sel.toString(16)}:${at.toString(16)}, not from a BIOS stub: ignored`);
      return;
    }
    const framed = stub.id !== Service.Post && stub.id !== Service.PostResume;
    const ctx = new ServiceContext(cpu, this.host.mem, framed);
    const h = this.handlers.get(stub.id);
    if (h) h(ctx, this);
    else if (framed) ctx.setCF(true); // an unimplemented service fails the way a PC BIOS does
  }

  /** Park the calling CPU in the stub's wait loop; the service runs again after the next interrupt. */
  block(id: Service): void {
    this.host.cpu.eip = this.stub(id).waitOffset;
  }

  /** Continue execution at seg:off (real mode), e.g. an option ROM's entry or the boot sector. */
  jumpTo(seg: number, off: number): void {
    const cpu = this.host.cpu;
    const cs = cpu.seg(L.SEG_CS);
    cpu.setSeg(L.SEG_CS, seg, seg << 4, cs.limit, cs.attrs);
    cpu.eip = off;
  }
}
