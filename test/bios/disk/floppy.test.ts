// INT 13h for diskettes under lab86's BIOS: geometry by image size (IBM formats), the diskette
// parameter table behind INT 1Eh and AH=08h, CHS reads across the head boundary, writes, format,
// the media type functions and their errors. Expected values from the IBM PC/AT diskette BIOS
// interface (Ralf Brown's INT 13h tables) and the image contents.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program, callInt, sayByte, sayBytes, sayEsDiBytes, sayEquipment, fillSector, SAY_INT1E } from "./lib";
import { patternDisk } from "./images";
import { runLab86, byLabel, lbaHeader } from "./harness";

const BODY = `
${sayByte("drive", "[bootdrive]")}
${callInt("params", { ah: "0x08", dl: "0x00" })}
  SAY "esdi "
  mov ax, es
  call hex16
  mov ax, di
  call hex16
  call nl
${sayEsDiBytes("table", 11)}
${SAY_INT1E}
  ; the last sector: C(max) H1 S(spt)
${callInt("lasttrack", { ax: "0x0201", cx: "[lastcx]", dx: "0x0100", bx: "buf" })}
${sayBytes("lasttrackdata", "buf", 8)}
  ; 4 sectors from C2 H0 S(spt-1): across the head boundary
${callInt("cross", { ax: "0x0204", cx: "[crosscx]", dx: "0x0000", bx: "buf" })}
${sayBytes("crossdata", "buf + 3 * 512", 8)}
  ; sector spt + 1
${callInt("badsector", { ax: "0x0201", cx: "[badcx]", dx: "0x0000", bx: "buf" })}
${callInt("status", { ah: "0x01", dl: "0x00" }, "result")}
${sayByte("bda441", "[0x441]")}
${callInt("badhead", { ax: "0x0201", cx: "0x0001", dx: "0x0200" })}
${fillSector("buf", "0x3c")}
  ; C1 H0 S3
${callInt("write", { ax: "0x0301", cx: "0x0103", dx: "0x0000", bx: "buf" })}
  ; track 3, head 1
${callInt("format", { ax: "0x0500", cx: "0x0301", dx: "0x0100", bx: "buf" })}
${callInt("verify", { ax: "0x0402", cx: "0x0001", dx: "0x0000" })}
${callInt("media18ok", { ah: "0x18", cx: "[mediacx]", dl: "0x00" })}
  xor ax, ax
  mov es, ax
  ; 80 tracks of 36 sectors (2.88 MB)
${callInt("media18bad", { ah: "0x18", cx: "0x4f24", dl: "0x00" })}
  xor ax, ax
  mov es, ax
${callInt("media17", { ax: "0x1703", dl: "0x00" }, "result")}
${callInt("edd", { ah: "0x41", bx: "0x55aa", dl: "0x00" }, "result")}
${callInt("nodrive", { ax: "0x0201", cx: "0x0001", dx: "0x0001", bx: "buf" }, "result")}
${sayEquipment("equip")}
  ; the relocated diskette vector reads too
${callInt("int40", { ax: "0x0201", cx: "0x0001", dx: "0x0100", bx: "buf" }, "regs", "0x40")}
${sayBytes("int40data", "buf", 8)}
  jmp exit
lastcx: dw LASTCX
crosscx: dw CROSSCX
badcx: dw BADCX
mediacx: dw MEDIACX
`;

const FORMATS = [
  { name: "1.44 MB", sectors: 2880, spt: 18, type: 4 },
  { name: "720 KB", sectors: 1440, spt: 9, type: 3 },
  { name: "2.88 MB", sectors: 5760, spt: 36, type: 6 },
];

describe.skipIf(nasmMissing())("INT 13h diskettes", () => {
  for (const f of FORMATS) {
    it(`serves a ${f.name} image as drive 00h with ${f.spt} sectors per track`, async () => {
      const defs = `LASTCX equ 0x4f${f.spt.toString(16).padStart(2, "0")}
CROSSCX equ 0x02${(f.spt - 1).toString(16).padStart(2, "0")}
BADCX equ 0x00${(f.spt + 1).toString(16).padStart(2, "0")}
MEDIACX equ 0x4f${f.spt.toString(16).padStart(2, "0")}
`;
      const image = patternDisk(f.sectors, assemble(defs + program(BODY)));
      const run = await runLab86({ fda: new MemoryBackend(image) }, ["fd"]);
      const out = byLabel(run.out);
      expect(run.exit, run.out).toBe(0x21);
      expect(out.get("drive")).toBe("00");
      // AH=08h: AX 0, BL drive type, CH 79, CL sectors, DH 1, DL one drive, ES:DI the table INT 1Eh points to.
      const sptHex = f.spt.toString(16).padStart(2, "0");
      expect(out.get("params")).toBe(`c=0 0000 000${f.type} 4f${sptHex} 0101`);
      expect(out.get("esdi")).toBe(out.get("int1e"));
      const table = Buffer.from(out.get("table")!, "hex");
      expect(table[3]).toBe(2); // 512-byte sectors
      expect(table[4]).toBe(f.spt);
      expect(table[8]).toBe(0xf6);
      const spt = f.spt;
      expect(out.get("lasttrack")).toMatch(/^c=0 0001 /);
      expect(out.get("lasttrackdata")).toBe(lbaHeader(f.sectors - 1));
      // C2 H0 S(spt-1) is LBA 4*spt + spt - 2; the 4th sector is 3 further, on head 1.
      expect(out.get("cross")).toMatch(/^c=0 0004 /);
      expect(out.get("crossdata")).toBe(lbaHeader(4 * spt + spt - 2 + 3));
      expect(out.get("badsector")).toMatch(/^c=1 0400 /);
      expect(out.get("status")).toMatch(/^c=1 04/);
      expect(out.get("bda441")).toBe("04");
      expect(out.get("badhead")).toMatch(/^c=1 0400 /);
      expect(out.get("write")).toMatch(/^c=0 0001 /);
      expect(image.subarray((2 * spt + 2) * 512, (2 * spt + 3) * 512).every((b) => b === 0x3c)).toBe(true);
      expect(out.get("format")).toMatch(/^c=0 00/);
      const track = image.subarray((3 * 2 + 1) * spt * 512, (3 * 2 + 2) * spt * 512);
      expect(track.every((b) => b === 0xf6)).toBe(true);
      expect(out.get("verify")).toMatch(/^c=0 0002 /);
      expect(out.get("media18ok")).toMatch(/^c=0 00/);
      // 2.88 MB media can only be formatted in a 2.88 MB drive: 0Ch (unsupported track) elsewhere.
      expect(out.get("media18bad")).toMatch(f.type === 6 ? /^c=0 00/ : /^c=1 0c/);
      expect(out.get("media17")).toMatch(/^c=0 00/);
      expect(out.get("edd")).toMatch(/^c=1 01/);
      expect(out.get("nodrive")).toMatch(/^c=1 01/);
      expect(parseInt(out.get("equip")!, 16) & 0xc1).toBe(0x01); // one diskette drive
      expect(out.get("int40")).toMatch(/^c=0 0001 /);
      expect(out.get("int40data")).toBe(lbaHeader(spt)); // C0 H1 S1
    });
  }
});
