// The adapter as a PCI function, in the shape of the QEMU/Bochs "standard VGA" that guest
// drivers look for (Linux bochs-drm, the Bochs/SeaBIOS VGA BIOS, Windows VBE drivers):
// vendor 0x1234, device 0x1111, class 03:00:00 (VGA-compatible controller).
//
// BAR0 is the linear framebuffer: prefetchable 32-bit memory covering all of VRAM. The expansion
// ROM BAR carries the VGA BIOS image. The legacy resources (ports 0x3B4/5, 0x3BA, 0x3C0-0x3CF,
// 0x3D4/5, 0x3DA, 0x1CE-0x1D0 and memory 0xA0000-0xBFFFF) are claimed by Vga.attachIo and the
// machine's MMIO registration, and always decode: PC firmware relies on the boot VGA being
// reachable before PCI enumeration.
//
// The machine should map BAR0 straight onto VRAM in the CPU's physical map when it moves
// (onBarMoved with index 0) and report CPU writes with collectDirectWrites (direct-map.ts); the
// MMIO handlers registered for BAR0 serve accesses only while it is not mapped directly.
import type { IoBus, MmioBus } from "../io";
import type { Schema } from "../state";
import { PciFunction, pciConfigSchema, CMD_IO, CMD_MEMORY, type PciConfigState, type PciIdentity } from "../pci/pci-function";
import type { Vga, DirectMapping } from "./vga";

/** Command register bit 5: VGA palette snoop (PCI 2.x 6.2.2), writable on VGA-class functions. */
const CMD_VGA_PALETTE_SNOOP = 0x0020;

export const VGA_PCI_IDENTITY: PciIdentity = {
  vendorId: 0x1234,
  deviceId: 0x1111,
  revision: 0x02,
  classCode: 0x030000,
  subsystemVendorId: 0x1af4,
  subsystemId: 0x1100,
  commandMask: CMD_IO | CMD_MEMORY | CMD_VGA_PALETTE_SNOOP,
};

export class VgaPci extends PciFunction<PciConfigState> {
  readonly name = "vga-pci";
  readonly schema: Schema = pciConfigSchema;

  constructor(
    private readonly vga: Vga,
    io: IoBus | null,
    mmio: MmioBus | null,
    /** The VGA BIOS option ROM, or null for none. */
    rom: Uint8Array | null,
  ) {
    super(VGA_PCI_IDENTITY, [{ kind: "mem", size: vga.vram.length, prefetchable: true, mmio: vga.lfb }, null, null, null, null, null], io, mmio, rom);
    this.reset();
  }

  reset(): void {
    this.resetPci({});
  }

  /** The guest-physical address of the linear framebuffer, or null while BAR0 does not decode. */
  lfbBase(): number | null {
    return this.barBase(0);
  }

  /** Every range the CPU may map straight onto VRAM now: the LFB and the legacy window's linear view. */
  directMappings(): DirectMapping[] {
    const base = this.lfbBase();
    const legacy = this.vga.directMappings();
    return base === null ? legacy : [{ phys: base, bytes: this.vga.vram.length, vramOffset: 0 }, ...legacy];
  }
}
