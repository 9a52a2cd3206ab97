// The port I/O space and the physical MMIO space, as seen from the CPU's slow path.
//
// Devices register handlers in one place (their `attach`/constructor) with the access widths they
// implement. An access of another width is split into byte accesses, as an ISA bus does; an
// unclaimed port reads as all ones and ignores writes.

export interface PortHandlers {
  read8?: (port: number) => number;
  read16?: (port: number) => number;
  read32?: (port: number) => number;
  write8?: (port: number, value: number) => void;
  write16?: (port: number, value: number) => void;
  write32?: (port: number, value: number) => void;
}

interface PortEntry extends PortHandlers {
  owner: string;
}

export class IoBus {
  private readonly ports: (PortEntry | undefined)[] = new Array(0x10000);

  /** Claim `count` consecutive ports starting at `base` for `owner`. Overlaps are a wiring bug. */
  register(owner: string, base: number, count: number, h: PortHandlers): void {
    for (let p = base; p < base + count; p++) {
      const prev = this.ports[p];
      if (prev) throw new Error(`port 0x${p.toString(16)}: ${owner} overlaps ${prev.owner}`);
      this.ports[p] = { owner, ...h };
    }
  }

  unregister(base: number, count: number): void {
    for (let p = base; p < base + count; p++) this.ports[p] = undefined;
  }

  ownerOf(port: number): string | undefined {
    return this.ports[port & 0xffff]?.owner;
  }

  read(port: number, size: number): number {
    port &= 0xffff;
    const h = this.ports[port];
    if (size === 1) return h?.read8 ? h.read8(port) & 0xff : 0xff;
    if (size === 2) {
      if (h?.read16) return h.read16(port) & 0xffff;
      return this.read(port, 1) | (this.read(port + 1, 1) << 8);
    }
    if (h?.read32) return h.read32(port) >>> 0;
    if (h?.read16) return (h.read16(port) & 0xffff) | ((this.read(port + 2, 2) << 16) >>> 0);
    return (this.read(port, 2) | (this.read(port + 2, 2) << 16)) >>> 0;
  }

  write(port: number, size: number, value: number): void {
    port &= 0xffff;
    const h = this.ports[port];
    if (size === 1) {
      h?.write8?.(port, value & 0xff);
      return;
    }
    if (size === 2) {
      if (h?.write16) return h.write16(port, value & 0xffff);
      this.write(port, 1, value);
      this.write(port + 1, 1, value >>> 8);
      return;
    }
    if (h?.write32) return h.write32(port, value >>> 0);
    if (h?.write16) {
      h.write16(port, value & 0xffff);
      this.write(port + 2, 2, value >>> 16);
      return;
    }
    this.write(port, 2, value);
    this.write(port + 2, 2, value >>> 16);
  }
}

export interface MmioHandlers {
  read: (addr: number, size: number) => number;
  write: (addr: number, size: number, value: number) => void;
}

interface MmioRange extends MmioHandlers {
  owner: string;
  base: number;
  end: number; // exclusive
}

/** Physical MMIO ranges. Pages of these ranges are marked PHYS_MMIO in the CPU's physical map. */
export class MmioBus {
  private ranges: MmioRange[] = [];

  register(owner: string, base: number, size: number, h: MmioHandlers): void {
    const end = base + size;
    for (const r of this.ranges) {
      if (base < r.end && r.base < end) throw new Error(`MMIO ${owner} at 0x${base.toString(16)} overlaps ${r.owner}`);
    }
    this.ranges.push({ owner, base, end, ...h });
  }

  unregister(owner: string): void {
    this.ranges = this.ranges.filter((r) => r.owner !== owner);
  }

  find(addr: number): MmioRange | undefined {
    for (const r of this.ranges) if (addr >= r.base && addr < r.end) return r;
    return undefined;
  }

  read(addr: number, size: number): number {
    const r = this.find(addr);
    if (!r) return size === 4 ? 0xffffffff : (1 << (size * 8)) - 1;
    return r.read(addr, size);
  }

  write(addr: number, size: number, value: number): void {
    this.find(addr)?.write(addr, size, value);
  }
}
