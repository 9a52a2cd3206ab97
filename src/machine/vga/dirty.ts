// Which parts of VRAM changed since the last render, in 512-byte blocks: fine enough that a
// character written on a text screen re-converts only the few character rows sharing its block.
//
// Writes through the device's MMIO handlers mark blocks here directly. Pages the CPU writes through
// a direct mapping (the VBE linear framebuffer, or the chain-4 window) never reach the device; the
// machine folds the CPU's PAGE_DIRTY flags in through markRange() before rendering (direct-map.ts).
export const VRAM_BLOCK_SHIFT = 9;

export class VramDirty {
  readonly blocks: Uint8Array;
  /** True when any block is marked: lets render() return at once when nothing was written. */
  any = false;

  constructor(vramBytes: number) {
    this.blocks = new Uint8Array(vramBytes >>> VRAM_BLOCK_SHIFT);
  }

  mark(vramIndex: number): void {
    this.blocks[vramIndex >>> VRAM_BLOCK_SHIFT] = 1;
    this.any = true;
  }

  markRange(vramIndex: number, bytes: number): void {
    if (bytes <= 0) return;
    const first = vramIndex >>> VRAM_BLOCK_SHIFT;
    const last = Math.min(this.blocks.length - 1, (vramIndex + bytes - 1) >>> VRAM_BLOCK_SHIFT);
    for (let p = first; p <= last; p++) this.blocks[p] = 1;
    this.any = true;
  }

  /** True if any block overlapping [vramIndex, vramIndex + bytes) is marked. */
  rangeDirty(vramIndex: number, bytes: number): boolean {
    if (!this.any || bytes <= 0) return false;
    const first = vramIndex >>> VRAM_BLOCK_SHIFT;
    const last = Math.min(this.blocks.length - 1, (vramIndex + bytes - 1) >>> VRAM_BLOCK_SHIFT);
    for (let p = first; p <= last; p++) if (this.blocks[p]) return true;
    return false;
  }

  clear(): void {
    if (!this.any) return;
    this.blocks.fill(0);
    this.any = false;
  }
}
