// Block storage as a disk controller sees it. Asynchronous from the start: a read or write may
// complete at once (a value) or later (a Promise). Controllers must handle both without knowing
// which backend (an in-memory image, HTTP ranges, IndexedDB copy-on-write) is behind them.

export interface BlockBackend {
  /** Size in bytes (a multiple of 512 for disks, of 2048 for CD images). */
  readonly byteLength: number;
  /** True for media that must never be written (CD-ROMs, published base images). */
  readonly readOnly: boolean;
  read(offset: number, length: number): Uint8Array | Promise<Uint8Array>;
  write(offset: number, data: Uint8Array): void | Promise<void>;
  /** Make every completed write durable (ATA FLUSH CACHE, SCSI SYNCHRONIZE CACHE). */
  flush(): void | Promise<void>;
}

/** A whole image held in memory. Used by the CLI and tests; writes stay in memory. */
export class MemoryBackend implements BlockBackend {
  constructor(private readonly data: Uint8Array, readonly readOnly = false) {}
  get byteLength(): number {
    return this.data.length;
  }
  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || offset + length > this.data.length) throw new RangeError(`read beyond end of image (${offset}+${length} > ${this.data.length})`);
    return this.data.slice(offset, offset + length);
  }
  write(offset: number, data: Uint8Array): void {
    if (this.readOnly) throw new Error("write to read-only medium");
    if (offset < 0 || offset + data.length > this.data.length) throw new RangeError("write beyond end of image");
    this.data.set(data, offset);
  }
  flush(): void {}
}
