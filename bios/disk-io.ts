// Reads for firmware services from block backends that may answer now or later (block.ts). A
// service asks `read()`; a synchronous backend answers at once; an asynchronous one starts the
// read, the service parks the CPU in its stub's wait loop (BiosFirmware.block) and is run again
// after the next interrupt, when the finished read is returned from this cache. The cache is host
// memory only: after a snapshot restore the service simply issues the read again.
import type { BlockBackend } from "../src/machine/block";

interface Pending {
  done: boolean;
  data?: Uint8Array;
  error?: Error;
}

export class FirmwareDiskReader {
  private readonly pending = new Map<string, Pending>();
  private readonly ids = new WeakMap<BlockBackend, number>();
  private nextId = 1;

  private key(b: BlockBackend, offset: number, length: number): string {
    let id = this.ids.get(b);
    if (id === undefined) this.ids.set(b, (id = this.nextId++));
    return `${id}:${offset}:${length}`;
  }

  /** The data, or null if it is on its way (call again later). Throws the backend's error. */
  read(b: BlockBackend, offset: number, length: number): Uint8Array | null {
    const k = this.key(b, offset, length);
    const p = this.pending.get(k);
    if (p) {
      if (!p.done) return null;
      this.pending.delete(k);
      if (p.error) throw p.error;
      return p.data!;
    }
    const r = b.read(offset, length);
    if (r instanceof Uint8Array) return r;
    const entry: Pending = { done: false };
    this.pending.set(k, entry);
    r.then(
      (data) => Object.assign(entry, { done: true, data }),
      (error: Error) => Object.assign(entry, { done: true, error }),
    );
    return null;
  }
}
