// Which parts of VRAM changed since the last render, at 4 KiB page granularity.
//
// Writes through the device's MMIO handlers mark pages here directly. Pages the CPU writes through
// a direct mapping (the VBE linear framebuffer, or the chain-4 window) never reach the device; the
// machine folds the CPU's PAGE_DIRTY flags in through markRange() before rendering (direct-map.ts).
export const VRAM_PAGE_SHIFT = 12;

export class VramDirty {
  readonly pages: Uint8Array;
  /** True when any page is marked: lets render() return at once when nothing was written. */
  any = false;

  constructor(vramBytes: number) {
    this.pages = new Uint8Array(vramBytes >>> VRAM_PAGE_SHIFT);
  }

  mark(vramIndex: number): void {
    this.pages[vramIndex >>> VRAM_PAGE_SHIFT] = 1;
    this.any = true;
  }

  markRange(vramIndex: number, bytes: number): void {
    if (bytes <= 0) return;
    const first = vramIndex >>> VRAM_PAGE_SHIFT;
    const last = Math.min(this.pages.length - 1, (vramIndex + bytes - 1) >>> VRAM_PAGE_SHIFT);
    for (let p = first; p <= last; p++) this.pages[p] = 1;
    this.any = true;
  }

  /** True if any page overlapping [vramIndex, vramIndex + bytes) is marked. */
  rangeDirty(vramIndex: number, bytes: number): boolean {
    if (!this.any || bytes <= 0) return false;
    const first = vramIndex >>> VRAM_PAGE_SHIFT;
    const last = Math.min(this.pages.length - 1, (vramIndex + bytes - 1) >>> VRAM_PAGE_SHIFT);
    for (let p = first; p <= last; p++) if (this.pages[p]) return true;
    return false;
  }

  clear(): void {
    if (!this.any) return;
    this.pages.fill(0);
    this.any = false;
  }
}
