// INT 13h for fixed disks under lab86's BIOS, seen by a real-mode program booted from the disk.
// Expected values come from the IBM PC/AT and EDD 3.0 interfaces and from the known image
// contents (every sector starts with "LBA " and its number); geometry conventions were taken from
// QEMU 7.2 with SeaBIOS 1.16 (see oracle.test.ts, which checks them against QEMU live).
import { describe, it, expect, beforeAll } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program } from "./lib";
import { patternDisk, SparseBackend } from "./images";
import { runLab86, byLabel, lbaHeader, type Run } from "./harness";

// 4 MiB disk: 8192 sectors; its ATA default geometry is 8 cylinders, 16 heads, 63 sectors (no translation).
const SECTORS = 8192;

const BODY = `
  SAY "drive "
  mov al, [bootdrive]
  call hex8
  call nl

  SAY "chsread "            ; C=2 H=3 S=5, two sectors -> LBA (2*16+3)*63+4 = 2209, 2210
  mov ax, 0x0202
  mov cx, 0x0205
  mov dx, 0x0380
  mov bx, buf
  int 0x13
  call regs
  SAY "chsdata0 "
  mov si, buf
  mov cx, 8
  call dump
  SAY "chsdata1 "
  mov si, buf + 512
  mov cx, 8
  call dump

  SAY "chshigh "            ; C=7 (last) H=15 S=63 -> LBA 8063 (the last CHS-addressable sector)
  mov ax, 0x0201
  mov cx, 0x073f
  mov dx, 0x0f80
  mov bx, buf
  int 0x13
  call regs
  SAY "chshighdata "
  mov si, buf
  mov cx, 8
  call dump

  SAY "count0 "
  mov ax, 0x0200
  mov cx, 0x0001
  mov dx, 0x0080
  mov bx, buf
  int 0x13
  call regs
  SAY "sector0 "
  mov ax, 0x0201
  mov cx, 0x0000
  mov dx, 0x0080
  int 0x13
  call regs
  SAY "cylinder8 "
  mov ax, 0x0201
  mov cx, 0x0801
  mov dx, 0x0080
  int 0x13
  call regs
  SAY "head16 "
  mov ax, 0x0201
  mov cx, 0x0001
  mov dx, 0x1080
  int 0x13
  call regs
  SAY "status "
  mov ah, 0x01
  mov dl, 0x80
  int 0x13
  call regs
  SAY "bda474 "
  mov al, [0x474]
  call hex8
  call nl
  SAY "badfn "
  mov ah, 0x99
  mov dl, 0x80
  int 0x13
  call regs
  SAY "nodrive "
  mov ax, 0x0201
  mov cx, 0x0001
  mov dx, 0x0082
  mov bx, buf
  int 0x13
  call regs
  SAY "reset "
  mov ah, 0x00
  mov dl, 0x80
  int 0x13
  call regs

  ; write LBA 63 (C0 H1 S1) with A5h, read it back through AH=42h
  mov di, buf
  mov cx, 512
  mov al, 0xa5
  rep stosb
  SAY "chswrite "
  mov ax, 0x0301
  mov cx, 0x0001
  mov dx, 0x0180
  mov bx, buf
  int 0x13
  call regs
  mov di, buf
  mov cx, 512
  xor al, al
  rep stosb
  mov byte [dap], 0x10
  mov word [dap + 2], 1
  mov word [dap + 4], buf
  mov word [dap + 6], 0
  mov dword [dap + 8], 63
  SAY "lbaread63 "
  mov si, dap
  mov ah, 0x42
  mov dl, 0x80
  int 0x13
  call regs
  SAY "lbadata63 "
  mov si, buf
  mov cx, 4
  call dump

  SAY "verify "
  mov ax, 0x0404
  mov cx, 0x0001
  mov dx, 0x0080
  int 0x13
  call regs

  ; EDD
  SAY "edd41 "
  mov ah, 0x41
  mov bx, 0x55aa
  mov dl, 0x80
  int 0x13
  call regs
  SAY "lbaread "             ; LBA 8000, 3 sectors
  mov word [dap + 2], 3
  mov word [dap + 4], buf2
  mov dword [dap + 8], 8000
  mov si, dap
  mov ah, 0x42
  mov dl, 0x80
  int 0x13
  call regs
  SAY "lbacount "
  mov ax, [dap + 2]
  call hex16
  call nl
  SAY "lbadata "
  mov si, buf2
  mov cx, 8
  call dump
  SAY "lbadata2 "
  mov si, buf2 + 1024
  mov cx, 8
  call dump
  SAY "lbaend "              ; LBA 8190 + 3 runs past the end (8192)
  mov word [dap + 2], 3
  mov dword [dap + 8], 8190
  mov si, dap
  mov ah, 0x42
  mov dl, 0x80
  int 0x13
  call regs
  SAY "lbaendcount "
  mov ax, [dap + 2]
  call hex16
  call nl
  SAY "lbatoomany "          ; more than 7Fh blocks
  mov word [dap + 2], 0x80
  mov dword [dap + 8], 0
  mov si, dap
  mov ah, 0x42
  mov dl, 0x80
  int 0x13
  call regs
  SAY "flat "                ; 64-bit flat buffer address 0x200000 (FFFF:FFFF in the packet)
  mov byte [dap], 0x18
  mov word [dap + 2], 2
  mov word [dap + 4], 0xffff
  mov word [dap + 6], 0xffff
  mov dword [dap + 8], 100
  mov dword [dap + 0x10], 0x200000
  mov dword [dap + 0x14], 0
  mov si, dap
  mov ah, 0x42
  mov dl, 0x80
  int 0x13
  call regs
  mov byte [dap], 0x10
  SAY "lbawrite "            ; AH=43h: write buf (A5h) to LBA 4000
  mov word [dap + 2], 1
  mov word [dap + 4], buf
  mov word [dap + 6], 0
  mov dword [dap + 8], 4000
  mov di, buf
  mov cx, 512
  mov al, 0x5a
  rep stosb
  mov si, dap
  mov ax, 0x4300
  mov dl, 0x80
  int 0x13
  call regs
  SAY "seek47 "
  mov dword [dap + 8], 8191
  mov si, dap
  mov ah, 0x47
  mov dl, 0x80
  int 0x13
  call regs

  SAY "edd48 "
  mov word [buf], 0x42
  mov si, buf
  mov ah, 0x48
  mov dl, 0x80
  int 0x13
  call regs
  SAY "edd48data "
  mov si, buf
  mov cx, 0x42
  call dump
  SAY "dpte "
  push ds
  lds si, [buf + 0x1a]
  mov cx, 16
  call dump
  pop ds
  SAY "edd48small "
  mov word [buf], 0x1a
  mov si, buf
  mov ah, 0x48
  mov dl, 0x80
  int 0x13
  call regs
  SAY "edd48smallsize "
  mov ax, [buf]
  call hex16
  call nl

  SAY "params "
  mov ah, 0x08
  mov dl, 0x80
  int 0x13
  call regs
  SAY "type "
  mov ah, 0x15
  mov dl, 0x80
  int 0x13
  call regs
  SAY "ready "
  mov ah, 0x10
  mov dl, 0x80
  int 0x13
  call regs
  SAY "seek "
  mov ah, 0x0c
  mov cx, 0x0501
  mov dx, 0x0080
  int 0x13
  call regs
  SAY "seekbad "
  mov ah, 0x0c
  mov cx, 0x0901
  mov dx, 0x0080
  int 0x13
  call regs
  SAY "int41 "
  push ds
  lds si, [0x41 * 4]
  mov cx, 16
  call dump
  pop ds
  SAY "hdcount "
  mov al, [0x475]
  call hex8
  call nl

  ; the second disk (read-only)
  SAY "hdb "
  mov ax, 0x0201
  mov cx, 0x0001
  mov dx, 0x0081
  mov bx, buf
  int 0x13
  call regs
  SAY "hdbdata "
  mov si, buf
  mov cx, 8
  call dump
  SAY "hdbwrite "
  mov ax, 0x0301
  mov cx, 0x0002
  mov dx, 0x0081
  mov bx, buf
  int 0x13
  call regs
  jmp exit
dap: times 0x18 db 0
`;

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
  SAY "dpte "
  push ds
  lds si, [buf + 0x1a]
  mov cx, 16
  call dump
  pop ds
`;
  // EDD 3.0 DPTE option bits: 3 CHS translation, 4 LBA translation, 9-10 translation type (00 bit-shift, 01 LBA-assisted).
  for (const [what, mib, partitioned, options] of [
    ["an untranslated 32 MiB disk", 32, false, 0x0010],
    ["a 600 MiB disk with LBA-assist translation", 600, false, 0x0218],
    ["a 1 GiB disk partitioned under a translating BIOS (bit-shift)", 1024, true, 0x0018],
  ] as const) {
    it(`reports ${what}`, async () => {
      const boot = assemble(program(DPTE_PROBE));
      if (partitioned) {
        boot.set([0x80, 1, 1, 0, 0x06, 254, 0xff, 0xff], 0x1be);
        new DataView(boot.buffer).setUint32(0x1be + 8, 63, true);
        new DataView(boot.buffer).setUint32(0x1be + 12, 100000, true);
      }
      const run = await runLab86({ hda: new SparseBackend(mib << 20, boot) }, ["hd"]);
      const dpte = Buffer.from(byLabel(run.out).get("dpte")!, "hex");
      expect(dpte.readUInt16LE(10)).toBe(options);
    });
  }
});
