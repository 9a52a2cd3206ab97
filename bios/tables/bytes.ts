// A little-endian byte builder for firmware tables.

export class Bytes {
  private buf: number[] = [];
  get length(): number {
    return this.buf.length;
  }
  u8(...v: number[]): this {
    for (const b of v) this.buf.push(b & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v, v >>> 8);
  }
  u32(v: number): this {
    return this.u8(v, v >>> 8, v >>> 16, v >>> 24);
  }
  u64(v: number): this {
    return this.u32(v >>> 0).u32(Math.floor(v / 0x100000000));
  }
  ascii(s: string, len?: number): this {
    const n = len ?? s.length;
    for (let i = 0; i < n; i++) this.buf.push(i < s.length ? s.charCodeAt(i) & 0x7f : 0x20);
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.buf.push(b[i] & 0xff);
    return this;
  }
  set32(at: number, v: number): this {
    for (let i = 0; i < 4; i++) this.buf[at + i] = (v >>> (8 * i)) & 0xff;
    return this;
  }
  set8(at: number, v: number): this {
    this.buf[at] = v & 0xff;
    return this;
  }
  align(n: number): this {
    while (this.buf.length % n) this.buf.push(0);
    return this;
  }
  toArray(): Uint8Array {
    return Uint8Array.from(this.buf);
  }
}

/** The byte that makes the 8-bit sum of `data` zero. */
export function checksum(data: Uint8Array, start = 0, end = data.length): number {
  let s = 0;
  for (let i = start; i < end; i++) s = (s + data[i]) & 0xff;
  return (0x100 - s) & 0xff;
}
