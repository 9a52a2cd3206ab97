// Just enough ACPI Machine Language (ACPI 6.x ch. 20) to write our DSDT: names, integers,
// strings, packages, devices and scopes. Encoded by hand from the grammar; no compiler is needed.

const enc = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** PkgLength encoding (20.2.4): 1 to 4 bytes, the count including the length bytes themselves. */
export function pkgLength(bodyLen: number): number[] {
  for (let n = 1; n <= 4; n++) {
    const total = bodyLen + n;
    if (n === 1 && total < 0x40) return [total];
    if (n > 1 && total < 1 << (4 + 8 * (n - 1))) {
      const out = [((n - 1) << 6) | (total & 0x0f)];
      for (let i = 1; i < n; i++) out.push((total >> (4 + 8 * (i - 1))) & 0xff);
      return out;
    }
  }
  throw new Error("AML package too large");
}

/** A NameString: a path like "\\_SB_.PCI0" or a single 4-character segment like "_S5_". */
export function nameString(path: string): number[] {
  let out: number[] = [];
  let p = path;
  if (p.startsWith("\\")) {
    out.push(0x5c);
    p = p.slice(1);
  }
  const segs = p.split(".").filter(Boolean).map((s) => s.padEnd(4, "_"));
  for (const s of segs) if (s.length !== 4) throw new Error(`AML name segment '${s}' is not 4 characters`);
  if (segs.length === 2) out.push(0x2e);
  else if (segs.length > 2) out.push(0x2f, segs.length);
  for (const s of segs) out = out.concat(enc(s));
  return out;
}

export function integer(v: number): number[] {
  if (v === 0) return [0x00];
  if (v === 1) return [0x01];
  if (v <= 0xff) return [0x0a, v];
  if (v <= 0xffff) return [0x0b, v & 0xff, v >> 8];
  return [0x0c, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}

export function string(s: string): number[] {
  return [0x0d, ...enc(s), 0];
}

/** EISAID("PNP0A03") as the 32-bit compressed form (ACPI 6.x 19.6.35). */
export function eisaId(id: string): number[] {
  const c = (i: number) => id.charCodeAt(i) - 0x40;
  const hi = (c(0) << 10) | (c(1) << 5) | c(2);
  const prod = parseInt(id.slice(3), 16);
  // Bytes: big-endian vendor word, then big-endian product word.
  const v = ((hi >> 8) & 0xff) | ((hi & 0xff) << 8) | (((prod >> 8) & 0xff) << 16) | ((prod & 0xff) << 24);
  return integer(v >>> 0);
}

export function name(n: string, value: number[]): number[] {
  return [0x08, ...nameString(n), ...value];
}

export function pkg(elements: number[][]): number[] {
  const body = [elements.length, ...elements.flat()];
  return [0x12, ...pkgLength(body.length), ...body];
}

export function scope(path: string, body: number[][]): number[] {
  const b = [...nameString(path), ...body.flat()];
  return [0x10, ...pkgLength(b.length), ...b];
}

export function device(n: string, body: number[][]): number[] {
  const b = [...nameString(n), ...body.flat()];
  return [0x5b, 0x82, ...pkgLength(b.length), ...b];
}

export function buffer(data: number[]): number[] {
  const body = [...integer(data.length), ...data];
  return [0x11, ...pkgLength(body.length), ...body];
}

// Resource descriptors for _CRS buffers (ACPI 6.x 6.4). General flags of the address space
// descriptors: bit 2 MinFixed, bit 3 MaxFixed, bit 0 clear = the device produces the range.
const PRODUCER_FIXED = 0x0c;
const le16 = (v: number) => [v & 0xff, (v >> 8) & 0xff];
const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];

/** WordBusNumber (6.4.3.5.3, type 2) producing buses min..max. */
export function wordBusNumber(min: number, max: number): number[] {
  return [0x88, 13, 0, 2, PRODUCER_FIXED, 0, ...le16(0), ...le16(min), ...le16(max), ...le16(0), ...le16(max - min + 1)];
}

/** WordIO (6.4.3.5.3, type 1) producing ports min..max, ISA and non-ISA ranges (EntireRange). */
export function wordIo(min: number, max: number): number[] {
  return [0x88, 13, 0, 1, PRODUCER_FIXED, 3, ...le16(0), ...le16(min), ...le16(max), ...le16(0), ...le16(max - min + 1)];
}

/** DWordMemory (6.4.3.5.2, type 0), read/write; `cacheable` sets memory attribute 1. */
export function dwordMemory(min: number, max: number, cacheable: boolean): number[] {
  return [0x87, 23, 0, 0, PRODUCER_FIXED, cacheable ? 3 : 1, ...le32(0), ...le32(min), ...le32(max), ...le32(0), ...le32((max - min + 1) >>> 0)];
}

/** I/O port descriptor (6.4.2.5), 16-bit decode, fixed at `base`. */
export function ioPort(base: number, length: number): number[] {
  return [0x47, 1, ...le16(base), ...le16(base), 1, length];
}

/** IRQ descriptor without flags (6.4.2.1): edge triggered, active high, exclusive. */
export function irqNoFlags(irq: number): number[] {
  return [0x22, ...le16(1 << irq)];
}

/** DMA descriptor (6.4.2.2): compatibility timing, 8-bit transfers. */
export function dma(channel: number): number[] {
  return [0x2a, 1 << channel, 0];
}

/** End tag (6.4.2.9), checksum 0: treated as valid. */
export function endTag(): number[] {
  return [0x79, 0];
}
