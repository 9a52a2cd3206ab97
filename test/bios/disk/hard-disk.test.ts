// INT 13h for fixed disks under lab86's BIOS, seen by a real-mode program booted from the disk.
// Expected values come from the IBM PC/AT and EDD 3.0 interfaces and from the known image
// contents (every sector starts with "LBA " and its number); geometry conventions were taken from
// QEMU 7.2 with SeaBIOS 1.16 (see oracle.test.ts, which checks them against QEMU live).
import { describe, it, expect, beforeAll } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program, callInt, sayByte, sayWord, sayBytes, sayFarBytes, fillSector, setDap, edd48, DAP } from "./lib";
import { patternDisk, setFirstPartition, SparseBackend } from "./images";
import { runLab86, byLabel, lbaHeader, type Run } from "./harness";

// 4 MiB disk: 8192 sectors; its ATA default geometry is 8 cylinders, 16 heads, 63 sectors (no translation).
const SECTORS = 8192;

const BODY = `
${sayByte("drive", "[bootdrive]")}

  ; C=2 H=3 S=5, two sectors -> LBA (2*16+3)*63+4 = 2209, 2210
${callInt("chsread", { ax: "0x0202", cx: "0x0205", dx: "0x0380", bx: "buf" })}
${sayBytes("chsdata0", "buf", 8)}
${sayBytes("chsdata1", "buf + 512", 8)}

  ; C=7 (last) H=15 S=63 -> LBA 8063 (the last CHS-addressable sector)
${callInt("chshigh", { ax: "0x0201", cx: "0x073f", dx: "0x0f80", bx: "buf" })}
${sayBytes("chshighdata", "buf", 8)}

${callInt("count0", { ax: "0x0200", cx: "0x0001", dx: "0x0080", bx: "buf" })}
${callInt("sector0", { ax: "0x0201", cx: "0x0000", dx: "0x0080" })}
${callInt("cylinder8", { ax: "0x0201", cx: "0x0801", dx: "0x0080" })}
${callInt("head16", { ax: "0x0201", cx: "0x0001", dx: "0x1080" })}
${callInt("status", { ah: "0x01", dl: "0x80" })}
${sayByte("bda474", "[0x474]")}
${callInt("badfn", { ah: "0x99", dl: "0x80" })}
${callInt("nodrive", { ax: "0x0201", cx: "0x0001", dx: "0x0082", bx: "buf" })}
${callInt("reset", { ah: "0x00", dl: "0x80" })}

  ; write LBA 63 (C0 H1 S1) with A5h, read it back through AH=42h
${fillSector("buf", "0xa5")}
${callInt("chswrite", { ax: "0x0301", cx: "0x0001", dx: "0x0180", bx: "buf" })}
${fillSector("buf", "0")}
${setDap({ size: "0x10", count: 1, offset: "buf", segment: 0, lba: 63 })}
${callInt("lbaread63", { si: "dap", ah: "0x42", dl: "0x80" })}
${sayBytes("lbadata63", "buf", 4)}

${callInt("verify", { ax: "0x0404", cx: "0x0001", dx: "0x0080" })}

  ; EDD
${callInt("edd41", { ah: "0x41", bx: "0x55aa", dl: "0x80" })}
  ; LBA 8000, 3 sectors
${setDap({ count: 3, offset: "buf2", lba: 8000 })}
${callInt("lbaread", { si: "dap", ah: "0x42", dl: "0x80" })}
${sayWord("lbacount", "[dap + 2]")}
${sayBytes("lbadata", "buf2", 8)}
${sayBytes("lbadata2", "buf2 + 1024", 8)}
  ; LBA 8190 + 3 runs past the end (8192)
${setDap({ count: 3, lba: 8190 })}
${callInt("lbaend", { si: "dap", ah: "0x42", dl: "0x80" })}
${sayWord("lbaendcount", "[dap + 2]")}
  ; more than 7Fh blocks
${setDap({ count: "0x80", lba: 0 })}
${callInt("lbatoomany", { si: "dap", ah: "0x42", dl: "0x80" })}
  ; 64-bit flat buffer address 0x200000 (FFFF:FFFF in the packet)
${setDap({ size: "0x18", count: 2, offset: "0xffff", segment: "0xffff", lba: 100, flat: "0x200000", flatHigh: 0 })}
${callInt("flat", { si: "dap", ah: "0x42", dl: "0x80" })}
  ; AH=43h: write buf (5Ah) to LBA 4000
${setDap({ size: "0x10", count: 1, offset: "buf", segment: 0, lba: 4000 })}
${fillSector("buf", "0x5a")}
${callInt("lbawrite", { si: "dap", ax: "0x4300", dl: "0x80" })}
${setDap({ lba: 8191 })}
${callInt("seek47", { si: "dap", ah: "0x47", dl: "0x80" })}

${edd48("0x80")}
  mov word [buf], 0x1a
${callInt("edd48small", { si: "buf", ah: "0x48", dl: "0x80" })}
${sayWord("edd48smallsize", "[buf]")}

${callInt("params", { ah: "0x08", dl: "0x80" })}
${callInt("type", { ah: "0x15", dl: "0x80" })}
${callInt("ready", { ah: "0x10", dl: "0x80" })}
${callInt("seek", { ah: "0x0c", cx: "0x0501", dx: "0x0080" })}
${callInt("seekbad", { ah: "0x0c", cx: "0x0901", dx: "0x0080" })}
${sayFarBytes("int41", "[0x41 * 4]", 16)}
${sayByte("hdcount", "[0x475]")}

  ; the second disk (read-only)
${callInt("hdb", { ax: "0x0201", cx: "0x0001", dx: "0x0081", bx: "buf" })}
${sayBytes("hdbdata", "buf", 8)}
${callInt("hdbwrite", { ax: "0x0301", cx: "0x0002", dx: "0x0081", bx: "buf" })}
  jmp exit
${DAP}`;

describe.skipIf(nasmMissing())("INT 13h fixed disks", () => {
  let run: Run;
  let out: Map<string, string>;
  let hda: Uint8Array;
  beforeAll(async () => {
    const boot = assemble(program(BODY));
    hda = patternDisk(SECTORS, boot);
    const hdb = patternDisk(2048, new Uint8Array(0));
    hdb.set([0x48, 0x44, 0x42, 0x21], 0); // "HDB!" in its first sector
    run = await runLab86({ hda: new MemoryBackend(hda), hdb: new MemoryBackend(hdb, true) }, ["hd"]);
    out = byLabel(run.out);
  });

  it("boots the disk with DL = 80h and the program runs to the end", () => {
    expect(run.exit, run.out).toBe(0x21);
    expect(out.get("drive")).toBe("80");
  });

  it("reads by CHS with 16 heads and 63 sectors per track (AH=02h), AL = sectors read", () => {
    expect(out.get("chsread")).toMatch(/^c=0 0002 /);
    expect(out.get("chsdata0")).toBe(lbaHeader(2209));
    expect(out.get("chsdata1")).toBe(lbaHeader(2210));
    expect(out.get("chshigh")).toMatch(/^c=0 0001 /);
    expect(out.get("chshighdata")).toBe(lbaHeader(8063));
  });

  it("rejects bad CHS requests with the PC/AT status codes and records the status (AH=01h, 40:74h)", () => {
    expect(out.get("count0")).toMatch(/^c=1 0100 /); // invalid parameter
    expect(out.get("sector0")).toMatch(/^c=1 0400 /); // sector not found
    expect(out.get("cylinder8")).toMatch(/^c=1 0400 /);
    expect(out.get("head16")).toMatch(/^c=1 0400 /);
    expect(out.get("status")).toMatch(/^c=1 04/); // the last status, still 04h
    expect(out.get("bda474")).toBe("04");
    expect(out.get("badfn")).toMatch(/^c=1 01/);
    expect(out.get("nodrive")).toMatch(/^c=1 01/);
    expect(out.get("reset")).toMatch(/^c=0 00/);
  });

  it("writes by CHS (AH=03h) to the image, and reads it back by LBA", () => {
    expect(out.get("chswrite")).toMatch(/^c=0 0001 /);
    expect(hda.subarray(63 * 512, 64 * 512).every((b) => b === 0xa5)).toBe(true);
    expect(out.get("lbaread63")).toMatch(/^c=0 00/);
    expect(out.get("lbadata63")).toBe("a5a5a5a5");
    expect(out.get("verify")).toMatch(/^c=0 0004 /);
  });

  it("has the EDD 3.0 extensions (AH=41h: version 30h, BX=AA55h, CX=0007h)", () => {
    expect(out.get("edd41")).toMatch(/^c=0 30.. aa55 0007 /);
  });

  it("reads and writes through the disk address packet (AH=42h/43h/47h)", () => {
    expect(out.get("lbaread")).toMatch(/^c=0 00/);
    expect(out.get("lbacount")).toBe("0003");
    expect(out.get("lbadata")).toBe(lbaHeader(8000));
    expect(out.get("lbadata2")).toBe(lbaHeader(8002));
    expect(out.get("lbaend")).toMatch(/^c=1 04/);
    expect(out.get("lbaendcount")).toBe("0000");
    expect(out.get("lbatoomany")).toMatch(/^c=1 01/);
    expect(out.get("flat")).toMatch(/^c=0 00/);
    expect(Buffer.from(run.read(0x200000, 8)).toString("hex")).toBe(lbaHeader(100));
    expect(Buffer.from(run.read(0x200200, 8)).toString("hex")).toBe(lbaHeader(101));
    expect(out.get("lbawrite")).toMatch(/^c=0 00/);
    expect(hda.subarray(4000 * 512, 4001 * 512).every((b) => b === 0x5a)).toBe(true);
    expect(out.get("seek47")).toMatch(/^c=0 00/);
  });

  it("reports drive parameters with the EDD 3.0 result buffer, DPTE and device path (AH=48h)", () => {
    expect(out.get("edd48")).toMatch(/^c=0 00/);
    const b = Buffer.from(out.get("edd48data")!, "hex");
    expect(b.readUInt16LE(0)).toBe(0x42);
    expect(b.readUInt16LE(2)).toBe(0x0002); // CHS information valid
    expect([b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)]).toEqual([8, 16, 63]);
    expect(b.readBigUInt64LE(0x10)).toBe(8192n);
    expect(b.readUInt16LE(0x18)).toBe(512);
    expect(b.readUInt16LE(0x1e)).toBe(0xbedd);
    expect(b[0x20]).toBe(0x24);
    expect(b.subarray(0x24, 0x28).toString("latin1")).toBe("PCI ");
    expect(b.subarray(0x28, 0x30).toString("latin1")).toBe("ATA     ");
    expect([b[0x30], b[0x31], b[0x32]]).toEqual([0, 1, 1]); // PIIX IDE at 00:01.1
    expect(b[0x38]).toBe(0); // master
    expect(b.subarray(0x1e, 0x42).reduce((s, x) => s + x, 0) & 0xff).toBe(0);
    const dpte = Buffer.from(out.get("dpte")!, "hex");
    expect(dpte.readUInt16LE(0)).toBe(0x1f0);
    expect(dpte.readUInt16LE(2)).toBe(0x3f6);
    expect(dpte[4] & 0xf0).toBe(0xe0); // master, LBA
    expect(dpte[6]).toBe(14);
    expect(dpte[14]).toBe(0x11);
    expect(dpte.reduce((s, x) => s + x, 0) & 0xff).toBe(0);
    expect(out.get("edd48small")).toMatch(/^c=0 00/);
    expect(out.get("edd48smallsize")).toBe("001a");
  });

  it("reports the geometry (AH=08h with the last cylinder reserved, AH=15h) and the INT 41h table", () => {
    // 8 cylinders -> maximum usable cylinder 6; DH = 15, DL = two disks; AX = 0.
    expect(out.get("params")).toMatch(/^c=0 0000 [0-9a-f]{4} 063f 0f02$/);
    // AH=03h fixed disk; CX:DX = 7 * 16 * 63 = 7056 sectors.
    expect(out.get("type")).toMatch(/^c=0 03.. [0-9a-f]{4} 0000 1b90$/);
    expect(out.get("ready")).toMatch(/^c=0 00/);
    expect(out.get("seek")).toMatch(/^c=0 00/);
    expect(out.get("seekbad")).toMatch(/^c=1 40/);
    const fdpt = Buffer.from(out.get("int41")!, "hex");
    expect(fdpt.readUInt16LE(0)).toBe(8);
    expect(fdpt[2]).toBe(16);
    expect(fdpt[8]).toBe(0x08); // more than 8 heads
    expect(fdpt[14]).toBe(63);
    expect(out.get("hdcount")).toBe("02");
  });

  it("serves the second disk as 81h and refuses writes to read-only media (03h)", () => {
    expect(out.get("hdb")).toMatch(/^c=0 0001 /);
    expect(out.get("hdbdata")).toBe("48444221" + lbaHeader(0).slice(8));
    expect(out.get("hdbwrite")).toMatch(/^c=1 0300 /);
  });
});

describe.skipIf(nasmMissing())("EDD DPTE translation flags", () => {
  const DPTE_PROBE = `
  mov word [buf], 0x1e
  mov si, buf
  mov ah, 0x48
  mov dl, 0x80
  int 0x13
${sayFarBytes("dpte", "[buf + 0x1a]", 16)}`;
  // EDD 3.0 DPTE option bits: 3 CHS translation, 4 LBA translation, 9-10 translation type (00 bit-shift, 01 LBA-assisted).
  for (const [what, mib, partitioned, options] of [
    ["an untranslated 32 MiB disk", 32, false, 0x0010],
    ["a 600 MiB disk with LBA-assist translation", 600, false, 0x0218],
    ["a 1 GiB disk partitioned under a translating BIOS (bit-shift)", 1024, true, 0x0018],
  ] as const) {
    it(`reports ${what}`, async () => {
      const boot = assemble(program(DPTE_PROBE));
      if (partitioned) {
        setFirstPartition(boot, { cylinder: 1023, head: 254, sector: 63 }, 100000);
      }
      const run = await runLab86({ hda: new SparseBackend(mib << 20, boot) }, ["hd"]);
      const dpte = Buffer.from(byLabel(run.out).get("dpte")!, "hex");
      expect(dpte.readUInt16LE(10)).toBe(options);
    });
  }
});
