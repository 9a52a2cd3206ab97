// A writer for the "newc" cpio format (the Linux initramfs format: Documentation/
// driver-api/early-userspace/buffer-format.rst): each entry is a 110-byte ASCII header of 13
// eight-digit hex fields after the magic 070701, the NUL-terminated name, and the data, each
// padded to a multiple of 4 bytes; the archive ends with an entry named TRAILER!!!.

export interface CpioEntry {
  name: string;
  /** Full st_mode: file type bits | permissions (e.g. 0o100755 for an executable file). */
  mode: number;
  data?: Uint8Array;
  /** For device nodes. */
  rdevMajor?: number;
  rdevMinor?: number;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFLNK = 0o120000;
export const S_IFCHR = 0o020000;

const enc = new TextEncoder();

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, "0");
}

export function writeCpio(entries: CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (b: Uint8Array) => {
    chunks.push(b);
    size += b.length;
  };
  const pad = () => {
    const n = (4 - (size % 4)) % 4;
    if (n) push(new Uint8Array(n));
  };
  let ino = 1;
  for (const e of [...entries, { name: "TRAILER!!!", mode: 0 }]) {
    const data = e.data ?? new Uint8Array(0);
    const name = enc.encode(e.name + "\0");
    const header =
      "070701" +
      [ino++, e.mode, 0, 0, (e.mode & 0o170000) === S_IFDIR ? 2 : 1, 0, data.length, 0, 0, e.rdevMajor ?? 0, e.rdevMinor ?? 0, name.length, 0]
        .map(hex8)
        .join("");
    push(enc.encode(header));
    push(name);
    pad();
    push(data);
    pad();
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
