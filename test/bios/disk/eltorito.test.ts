// El Torito boot under lab86's BIOS: no emulation (the CD as drive E0h with 2048-byte sectors),
// 1.44 MB floppy emulation (the image becomes 00h, the real floppy 01h) and hard-disk emulation
// (the image becomes 80h, the real disk 81h), the INT 13h AH=4Bh/4Dh functions, and discs that
// can't boot. Expected values from El Torito 1.0 / EDD 3.0 and the images' known contents.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program, callInt, sayByte, sayBytes, sayEsDiBytes, sayEquipment, setDap, edd48, SAY_INT1E, DAP } from "./lib";
import { elToritoIso, patternDisk, patternSector, setFirstPartition, IMAGE_LBA } from "./images";
import { runLab86, byLabel, lbaHeader } from "./harness";

const hex = (s: string) => Buffer.from(s, "hex");

/** Read `count` sectors at LBA `lba` of drive `drive` with AH=42h into buf and dump the first 8 bytes. */
const lbaRead = (label: string, drive: string, lba: number, count: number) =>
  setDap({ size: "0x10", count, offset: "buf", segment: 0, lba, lbaHigh: 0 }) +
  callInt(label, { si: "dap", ah: "0x42", dl: drive }) +
  sayBytes(`${label}data`, "buf", 8);

/** CHS read of one sector into buf, dump its first 8 bytes. */
const chsRead = (label: string, drive: string, cx: string, dh: string) =>
  callInt(label, { ax: "0x0201", cx, dh, dl: drive, bx: "buf" }) + sayBytes(`${label}data`, "buf", 8);

/** AH=4Bh (AL = 00h terminate emulation, 01h status) with its 13h-byte specification packet in buf2. */
const specPacket = (label: string, al: string, drive: string) =>
  callInt(label, { si: "buf2", ax: `0x4b${al}`, dl: drive }, "result") + sayBytes(`${label}data`, "buf2", "0x13");

const TAIL = `
  jmp exit
${DAP}`;

describe.skipIf(nasmMissing())("El Torito boot and the CD drive", () => {
  it("boots a no-emulation image at 07C0:0000 with DL = E0h and serves the CD with 2048-byte sectors", async () => {
    const body = `
${sayByte("drive", "[bootdrive]")}
  SAY "cs "
  call .here
.here:
  pop ax
  mov ax, cs
  call hex16
  call nl
${lbaRead("read", "0xe0", 30, 2)}
${sayBytes("read2data", "buf + 2048", 8)}
${lbaRead("end", "0xe0", 39, 2)}
${edd48("0xe0")}
  mov byte [cmd], 8
  mov byte [cmd + 1], 1
  mov word [cmd + 2], buf
  mov word [cmd + 4], 0
  mov word [cmd + 6], 0
${callInt("catalog", { si: "cmd", ax: "0x4d00", dl: "0xe0" }, "result")}
${sayBytes("catalogdata", "buf", "0x30")}
${specPacket("status", "01", "0xe0")}
${callInt("chs", { ax: "0x0201", cx: "0x0001", dx: "0x00e0", bx: "buf" }, "result")}
${setDap({ size: "0x10", count: 1, lba: 30 })}
${callInt("write", { si: "dap", ax: "0x4300", dl: "0xe0" }, "result")}
${callInt("hd80", { ax: "0x0201", cx: "0x0001", dx: "0x0080", bx: "buf" }, "result")}
${sayByte("hdcount", "[0x475]")}
${specPacket("terminate", "00", "0xe0")}
${lbaRead("after", "0xe0", 33, 1)}
  jmp exit
cmd: times 8 db 0
${TAIL}`;
    const code = assemble(program(body));
    const iso = elToritoIso({ mediaType: 0, image: code, sectorCount: 8, totalSectors: 40 });
    const run = await runLab86({ cdrom: new MemoryBackend(iso, true) }, ["cd"]);
    const out = byLabel(run.out);
    expect(run.exit, run.out + "\n" + run.log.join("\n")).toBe(0x21);
    expect(run.log.some((m) => /El Torito no emulation/.test(m))).toBe(true);
    expect(out.get("drive")).toBe("e0");
    expect(out.get("cs")).toBe("0000"); // after the program's far jump from 07C0:0000
    expect(out.get("read")).toMatch(/^c=0 00/);
    expect(out.get("readdata")).toBe(lbaHeader(30));
    expect(out.get("read2data")).toBe(lbaHeader(31));
    expect(out.get("end")).toMatch(/^c=1 04/); // LBA 39 + 2 > 40 sectors
    const p = hex(out.get("edd48data")!);
    expect(p.readUInt16LE(0)).toBe(0x42);
    expect(p.readUInt16LE(2)).toBe(0x74); // removable, change line, lockable, no CHS
    expect(p.readBigUInt64LE(0x10)).toBe(40n);
    expect(p.readUInt16LE(0x18)).toBe(2048);
    expect(p.subarray(0x28, 0x30).toString("latin1")).toBe("ATAPI   ");
    const dpte = hex(out.get("dpte")!);
    expect([dpte.readUInt16LE(0), dpte.readUInt16LE(2), dpte[6]]).toEqual([0x170, 0x376, 15]);
    expect(dpte.readUInt16LE(10) & 0x40).toBe(0x40); // ATAPI device
    // AH=4Dh: the catalog's validation entry (header 01h, key 55h AAh) and the default entry.
    expect(out.get("catalog")).toMatch(/^c=0 00/);
    const cat = hex(out.get("catalogdata")!);
    expect([cat[0], cat[0x1e], cat[0x1f], cat[0x20]]).toEqual([0x01, 0x55, 0xaa, 0x88]);
    expect(cat.readUInt32LE(0x28)).toBe(IMAGE_LBA);
    expect(out.get("status")).toMatch(/^c=0 00/);
    expect(out.get("statusdata")).toBe(`1300e001${"14000000"}00000000c0070800000000`);
    expect(out.get("chs")).toMatch(/^c=1 01/);
    expect(out.get("write")).toMatch(/^c=1 03/);
    expect(out.get("hd80")).toMatch(/^c=1 01/);
    expect(out.get("hdcount")).toBe("00");
    expect(out.get("terminate")).toMatch(/^c=0 00/);
    expect(out.get("afterdata")).toBe(lbaHeader(33));
  });

  it("emulates a 1.44 MB floppy as drive 00h and moves the real floppy to 01h until AX=4B00h", async () => {
    const body = `
${sayByte("drive", "[bootdrive]")}
${sayEquipment("equip")}
${chsRead("emu", "0x00", "0x0001", "1")}
${chsRead("real", "0x01", "0x0001", "0")}
${callInt("params", { ah: "0x08", dl: "0x00" })}
${sayEsDiBytes("table", 11)}
${SAY_INT1E}
${callInt("write", { ax: "0x0301", cx: "0x0001", dx: "0x0000", bx: "buf" }, "result")}
${callInt("edd", { ah: "0x41", bx: "0x55aa", dl: "0x00" }, "result")}
${specPacket("status", "01", "0x00")}
${specPacket("wrongdrive", "01", "0x01")}
${specPacket("terminate", "00", "0x00")}
${chsRead("after", "0x00", "0x0001", "0")}
${sayEquipment("equip2")}
${callInt("again", { si: "buf2", ax: "0x4b01", dl: "0x00" }, "result")}
${TAIL}`;
    const code = assemble(program(body));
    const image = patternDisk(2880, code);
    const iso = elToritoIso({ mediaType: 2, image, sectorCount: 1 });
    const floppy = patternDisk(2880, Uint8Array.of(0x46, 0x44, 0x41, 0x21)); // "FDA!"
    const run = await runLab86({ cdrom: new MemoryBackend(iso, true), fda: new MemoryBackend(floppy) }, ["cd"]);
    const out = byLabel(run.out);
    expect(run.exit, run.out + "\n" + run.log.join("\n")).toBe(0x21);
    expect(out.get("drive")).toBe("00");
    // Equipment word: bit 0 diskettes present, bits 6-7 = count - 1 = 1.
    expect(parseInt(out.get("equip")!, 16) & 0xc1).toBe(0x41);
    expect(out.get("emudata")).toBe(lbaHeader(18)); // C0 H1 S1 of 18-sector tracks
    expect(out.get("realdata")).toBe("46444121" + lbaHeader(0).slice(8));
    expect(out.get("params")).toMatch(/^c=0 0000 0004 4f12 0102$/); // 1.44 MB, two drives
    expect(hex(out.get("table")!)[4]).toBe(18);
    expect(out.get("int1e")).toMatch(/^f000/);
    expect(out.get("write")).toMatch(/^c=1 03/);
    expect(out.get("edd")).toMatch(/^c=1 01/); // no EDD for diskettes
    // Media 2 (1.44 MB), drive 00h, controller 1, LBA 20, load segment 07C0h, 1 sector, then
    // CH/CL/DH of AH=08h: 79, 18, 1.
    expect(out.get("statusdata")).toBe("130200011400000000000000c00701004f1201");
    expect(out.get("wrongdrive")).toMatch(/^c=1 01/);
    expect(out.get("terminate")).toMatch(/^c=0 00/);
    expect(out.get("afterdata")).toBe("46444121" + lbaHeader(0).slice(8)); // the real floppy is 00h again
    expect(parseInt(out.get("equip2")!, 16) & 0xc1).toBe(0x01);
    expect(out.get("again")).toMatch(/^c=1 01/); // emulation over: 00h is a plain floppy
  });

  it("emulates a hard disk as drive 80h with the geometry of its partition table and moves the real disk to 81h", async () => {
    const body = `
${sayByte("drive", "[bootdrive]")}
${callInt("params", { ah: "0x08", dl: "0x80" })}
${chsRead("emu", "0x80", "0x0101", "0")}
${chsRead("real", "0x81", "0x0001", "0")}
${specPacket("status", "01", "0x80")}
${specPacket("terminate", "00", "0x7f")}
${chsRead("after", "0x80", "0x0001", "0")}
${sayByte("hdcount", "[0x475]")}
${TAIL}`;
    const code = assemble(program(body));
    // 20 cylinders, 16 heads, 63 sectors; one partition from C0 H1 S1 to C19 H15 S63.
    const image = patternDisk(20 * 16 * 63, code);
    setFirstPartition(image, { cylinder: 19, head: 15, sector: 63 }, 20 * 16 * 63 - 63);
    const iso = elToritoIso({ mediaType: 4, image, sectorCount: 1 });
    const disk = patternDisk(2048, Uint8Array.of(0x48, 0x44, 0x41, 0x21)); // "HDA!"
    const run = await runLab86({ cdrom: new MemoryBackend(iso, true), hda: new MemoryBackend(disk) }, ["cd", "hd"]);
    const out = byLabel(run.out);
    expect(run.exit, run.out + "\n" + run.log.join("\n")).toBe(0x21);
    expect(out.get("drive")).toBe("80");
    // Maximum cylinder 18 (20, less the reserved one), 63 sectors, 16 heads, 2 disks.
    expect(out.get("params")).toMatch(/^c=0 0000 [0-9a-f]{4} 123f 0f02$/);
    expect(out.get("emudata")).toBe(lbaHeader(16 * 63));
    expect(out.get("realdata")).toBe("48444121" + lbaHeader(0).slice(8));
    // Media 4, drive 80h; CH/CL/DH as AH=08h would give them for 20/16/63: 19, 63, 15.
    expect(out.get("statusdata")).toBe("130480011400000000000000c0070100133f0f");
    expect(out.get("terminate")).toMatch(/^c=0 00/);
    expect(out.get("afterdata")).toBe("48444121" + lbaHeader(0).slice(8));
    expect(out.get("hdcount")).toBe("01");
  });

  it("starts a floppy emulation on request (AH=4Ah) from a no-emulation boot, and ends it (AX=4B00h)", async () => {
    const body = `
  mov byte [buf2], 0x13
  mov byte [buf2 + 1], 2          ; 1.44 MB floppy
  mov byte [buf2 + 2], 0
  mov dword [buf2 + 4], 64        ; image LBA
${callInt("start", { si: "buf2", ah: "0x4a", dl: "0xe0" }, "result")}
${callInt("again", { si: "buf2", ah: "0x4a", dl: "0xe0" }, "result")}
${chsRead("emu", "0x00", "0x0001", "1")}
${callInt("params", { ah: "0x08", dl: "0x00" })}
  xor ax, ax
  mov es, ax
${specPacket("terminate", "00", "0x00")}
${chsRead("after", "0x00", "0x0001", "0")}
${TAIL}`;
    const code = assemble(program(body));
    const iso = elToritoIso({ mediaType: 0, image: code, sectorCount: 8, totalSectors: 64 + 720 });
    iso.set(patternDisk(2880, Uint8Array.of(0x46, 0x4c, 0x50, 0x21)), 64 * 2048); // "FLP!"
    const run = await runLab86({ cdrom: new MemoryBackend(iso, true) }, ["cd"]);
    const out = byLabel(run.out);
    expect(run.exit, run.out + "\n" + run.log.join("\n")).toBe(0x21);
    expect(out.get("start")).toMatch(/^c=0 00/);
    expect(out.get("again")).toMatch(/^c=1 01/); // one emulation at a time
    expect(out.get("emudata")).toBe(lbaHeader(18));
    expect(out.get("params")).toMatch(/^c=0 0000 0004 4f12 0101$/);
    expect(out.get("terminatedata")!.slice(0, 16)).toBe("1302000140000000"); // media 2, drive 00h, LBA 64
    expect(out.get("after")).toMatch(/^c=1 01/); // no diskette drive any more
  });

  const bootable = () => assemble(program(sayByte("booted", "[bootdrive]")));

  for (const [what, opts, message] of [
    ["no boot record volume descriptor", {}, /no El Torito boot record/],
    ["a bad validation entry checksum", { breakChecksum: true }, /validation entry is invalid/],
    ["a default entry that is not bootable", { notBootable: true }, /not bootable/],
  ] as const) {
    it(`skips a CD with ${what}, says why, and boots the next device`, async () => {
      const iso = elToritoIso({ mediaType: 0, image: bootable(), sectorCount: 8, ...opts });
      if (what.startsWith("no boot record")) iso.set(patternSector(17, 2048), 17 * 2048);
      const hd = patternDisk(256, bootable());
      const run = await runLab86({ cdrom: new MemoryBackend(iso, true), hda: new MemoryBackend(hd) }, ["cd", "hd"]);
      expect(run.log.some((m) => message.test(m)), run.log.join("\n")).toBe(true);
      expect(byLabel(run.out).get("booted")).toBe("80");
    });
  }

  it("follows the boot order and skips a disk without the 55AAh signature", async () => {
    const hd = patternDisk(256, new Uint8Array(0));
    const fd = patternDisk(2880, bootable());
    const run = await runLab86({ hda: new MemoryBackend(hd), fda: new MemoryBackend(fd) }, ["cd", "hd", "fd"]);
    expect(run.log.some((m) => /CD-ROM: no disc/.test(m))).toBe(true);
    expect(run.log.some((m) => /drive 0x80: no boot signature/.test(m))).toBe(true);
    expect(byLabel(run.out).get("booted")).toBe("00");
  });
});
