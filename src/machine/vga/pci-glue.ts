// The adapter as a PCI function, in the shape of QEMU's "std VGA" / Bochs VBE card that guest
// drivers (Linux bochs-drm, the Bochs/QEMU VGA BIOS, Windows VBE drivers) look for:
// vendor 0x1234, device 0x1111, class 03:00:00 (VGA-compatible controller).
//
// BAR0 is the linear framebuffer (prefetchable 32-bit memory, the whole VRAM); the expansion ROM
// BAR carries the VGA BIOS image. The legacy resources (ports 0x3B0-0x3DF, 0x1CE-0x1D0, memory
// 0xA0000-0xBFFFF) are always decoded, as for any VGA-class device.
//
// The PCI bus (src/machine/pci/) wires this to its PciFunction base class: it builds config space
// from VGA_PCI_IDENTITY and the BAR sizes, and calls the hooks below when the guest moves a BAR or
// toggles memory decoding in the command register.
import type { Vga, DirectMapping } from "./vga";
import type { MmioHandlers } from "../io";

export const VGA_PCI_IDENTITY = {
  vendorId: 0x1234,
  deviceId: 0x1111,
  revision: 0x02,
  classCode: 0x030000,
  subsystemVendorId: 0x1af4,
  subsystemId: 0x1100,
  headerType: 0x00,
} as const;

/** BAR0: prefetchable 32-bit memory (PCI Local Bus Spec 6.2.5.1, bits 3:0 = 1000b). */
export const VGA_BAR0_FLAGS = 0x08;

export interface VgaPciHooks {
  /** Size of BAR0 in bytes (the VRAM size, a power of two). */
  readonly lfbBytes: number;
  /** Handlers for LFB accesses that reach the host (the machine may map the pages directly instead). */
  readonly lfb: MmioHandlers;
  /** BAR0 was assigned (or memory decoding toggled): the LFB now lives at `base`, or nowhere (null). */
  setLfbBase(base: number | null): void;
  /** Every guest-physical range that can be mapped onto VRAM now: the LFB and the legacy window. */
  directMappings(): DirectMapping[];
}

export function vgaPciHooks(vga: Vga): VgaPciHooks {
  let base: number | null = null;
  return {
    lfbBytes: vga.vram.length,
    lfb: vga.lfbHandlers(() => base ?? 0),
    setLfbBase(b: number | null): void {
      base = b;
      vga.onMappingChange?.();
    },
    directMappings(): DirectMapping[] {
      const legacy = vga.directMappings();
      return base === null ? legacy : [{ phys: base, bytes: vga.vram.length, vramOffset: 0 }, ...legacy];
    },
  };
}
