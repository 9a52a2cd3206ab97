// The VBE modes lab86 offers: the VESA-numbered modes 100h-11Bh (VBE 2.0 Core Functions,
// section 4.4; the 4-bit ones are planar), and higher resolutions and 32-bit colour under the
// numbers the Bochs/QEMU VGA BIOSes use (the same geometry as SeaVGABIOS for each number, which
// test/bios/video/oracle.test.ts checks), so guests and their users see familiar numbers. Only
// modes that fit in the adapter's memory are listed (vbeModesFor).

export interface VbeModeDef {
  mode: number;
  width: number;
  height: number;
  bpp: number;
}

const M = (mode: number, width: number, height: number, bpp: number): VbeModeDef => ({ mode, width, height, bpp });

export const VBE_MODES: VbeModeDef[] = [
  M(0x100, 640, 400, 8), M(0x101, 640, 480, 8), M(0x102, 800, 600, 4), M(0x103, 800, 600, 8),
  M(0x104, 1024, 768, 4), M(0x105, 1024, 768, 8), M(0x106, 1280, 1024, 4), M(0x107, 1280, 1024, 8),
  M(0x10d, 320, 200, 15), M(0x10e, 320, 200, 16), M(0x10f, 320, 200, 24),
  M(0x110, 640, 480, 15), M(0x111, 640, 480, 16), M(0x112, 640, 480, 24),
  M(0x113, 800, 600, 15), M(0x114, 800, 600, 16), M(0x115, 800, 600, 24),
  M(0x116, 1024, 768, 15), M(0x117, 1024, 768, 16), M(0x118, 1024, 768, 24),
  M(0x119, 1280, 1024, 15), M(0x11a, 1280, 1024, 16), M(0x11b, 1280, 1024, 24),
  M(0x11c, 1600, 1200, 8), M(0x11d, 1600, 1200, 15), M(0x11e, 1600, 1200, 16), M(0x11f, 1600, 1200, 24),
  M(0x140, 320, 200, 32), M(0x141, 640, 400, 32), M(0x142, 640, 480, 32), M(0x143, 800, 600, 32),
  M(0x144, 1024, 768, 32), M(0x145, 1280, 1024, 32), M(0x146, 320, 200, 8), M(0x147, 1600, 1200, 32),
  M(0x148, 1152, 864, 8), M(0x149, 1152, 864, 15), M(0x14a, 1152, 864, 16), M(0x14b, 1152, 864, 24), M(0x14c, 1152, 864, 32),
  M(0x175, 1280, 768, 16), M(0x176, 1280, 768, 24), M(0x177, 1280, 768, 32),
  M(0x178, 1280, 800, 16), M(0x179, 1280, 800, 24), M(0x17a, 1280, 800, 32),
  M(0x17b, 1280, 960, 16), M(0x17c, 1280, 960, 24), M(0x17d, 1280, 960, 32),
  M(0x17e, 1440, 900, 16), M(0x17f, 1440, 900, 24), M(0x180, 1440, 900, 32),
  M(0x181, 1400, 1050, 16), M(0x182, 1400, 1050, 24), M(0x183, 1400, 1050, 32),
  M(0x184, 1680, 1050, 16), M(0x185, 1680, 1050, 24), M(0x186, 1680, 1050, 32),
  M(0x187, 1920, 1200, 16), M(0x188, 1920, 1200, 24), M(0x189, 1920, 1200, 32),
  M(0x18a, 2560, 1600, 16), M(0x18b, 2560, 1600, 24), M(0x18c, 2560, 1600, 32),
  M(0x18d, 1280, 720, 16), M(0x18e, 1280, 720, 24), M(0x18f, 1280, 720, 32),
  M(0x190, 1920, 1080, 16), M(0x191, 1920, 1080, 24), M(0x192, 1920, 1080, 32),
  M(0x193, 1600, 900, 16), M(0x194, 1600, 900, 24), M(0x195, 1600, 900, 32),
  M(0x196, 2560, 1440, 16), M(0x197, 2560, 1440, 24), M(0x198, 2560, 1440, 32),
];

export function bytesPerLine(bpp: number, width: number): number {
  if (bpp === 4) return width >> 3;
  return width * (bpp === 15 ? 2 : bpp >> 3);
}

/** Bytes a mode's picture takes: per plane for the planar modes, whose planes are a quarter of VRAM each. */
export function modeFits(m: VbeModeDef, vramBytes: number): boolean {
  const memory = m.bpp === 4 ? vramBytes / 4 : vramBytes;
  return bytesPerLine(m.bpp, m.width) * m.height <= memory;
}

export function vbeModesFor(vramBytes: number): VbeModeDef[] {
  return VBE_MODES.filter((m) => modeFits(m, vramBytes));
}
