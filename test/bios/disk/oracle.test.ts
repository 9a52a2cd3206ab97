// BIOS conventions that are not in any specification (the CHS geometry INT 13h reports for a disk
// of a given size, the answers for a 1.44 MB floppy and for an El Torito CD), checked against
// QEMU 7.2 with SeaBIOS 1.16: the same boot program and images run on both. The expected values
// are also written out, as QEMU reported them, so the test fails if QEMU's convention ever moves.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing, missingTool } from "../../support/nasm";
import { qemuCheck } from "../../support/qemu";
import { program, callInt, sayByte, sayBytes, sayEsDiBytes } from "./lib";
import { SparseBackend, elToritoIso, patternDisk, setFirstPartition } from "./images";
import { runLab86, runQemu, byLabel } from "./harness";

const DISK_PROBE = `
${callInt("params", { ah: "0x08", dl: "0x80" })}
${callInt("type", { ah: "0x15", dl: "0x80" })}
  SAY "edd48 "
  mov word [buf], 0x1e
  mov si, buf + 2
  mov ah, 0x48
  mov dl, 0x80
  mov si, buf
  int 0x13
  mov si, buf + 2
  mov cx, 0x18
  call dump
`;

const FLOPPY_PROBE = `
${callInt("params", { ah: "0x08", dl: "0x00" })}
${sayEsDiBytes("table", 11)}
${callInt("type", { ah: "0x15", dl: "0x00" }, "result")}
${callInt("changeline", { ah: "0x16", dl: "0x00" }, "result")}
${callInt("chs", { ax: "0x0201", cx: "0x0112", dx: "0x0100", bx: "buf" })}
${sayBytes("chsdata", "buf", 8)}
`;

const CD_PROBE = `
${sayByte("drive", "[bootdrive]")}
${callInt("edd41", { ah: "0x41", bx: "0x55aa", dl: "[bootdrive]" })}
${callInt("spec", { si: "buf", ax: "0x4b01", dl: "[bootdrive]" }, "result")}
${sayBytes("specdata", "buf", "0x13")}
${callInt("params", { dl: "[bootdrive]", ah: "0x08" }, "result")}
${callInt("type", { dl: "[bootdrive]", ah: "0x15" }, "result")}
`;

const MIB = 1 << 20;

/** SeaBIOS 1.16 on QEMU 7.2, for disks holding just a boot sector (no partition table). */
const QEMU_DISK_ANSWERS: Record<number, { params: string; type: string }> = {
  32: { params: "0000 7e00 3f3f 0f01", type: "0300 7e00 0000 fc00" }, // 65/16/63, no translation
  600: { params: "0000 7e00 5fbf 1f01", type: "0300 7e00 0012 b400" }, // LBA-assist: 609/32/63
  8000: { params: "0000 7e00 f9ff fe01", type: "0300 7e00 00f9 8b7a" }, // 1019/255/63
  9000: { params: "0000 7e00 feff fe01", type: "0300 7e00 00fa c53f" }, // capped at 1024/255/63
};

describe.skipIf(nasmMissing())("INT 13h conventions shared with QEMU + SeaBIOS", () => {
  const probe = assemble(program(DISK_PROBE));
  const qemu = !missingTool(qemuCheck());

  for (const mib of Object.keys(QEMU_DISK_ANSWERS).map(Number)) {
    it(`reports the same geometry for a ${mib} MiB disk (AH=08h, AH=15h, AH=48h)`, async () => {
      const lab = byLabel((await runLab86({ hda: new SparseBackend(mib * MIB, probe) }, ["hd"])).out);
      expect(lab.get("params")).toBe(`c=0 ${QEMU_DISK_ANSWERS[mib].params}`);
      expect(lab.get("type")).toBe(`c=0 ${QEMU_DISK_ANSWERS[mib].type}`);
      if (!qemu) return;
      const ref = byLabel(runQemu({ hda: { size: mib * MIB, head: probe } }, "c"));
      expect(lab.get("params")).toBe(ref.get("params"));
      expect(lab.get("type")).toBe(ref.get("type"));
      // Flags, physical geometry, sector count and size: bytes 2-19h of the result buffer.
      expect(lab.get("edd48")).toBe(ref.get("edd48"));
    });
  }

  // Partitioned disks: QEMU takes the layout from the MBR's first partition (end head, end
  // sector); more than 16 heads means "made under a translating BIOS": ATA default geometry with
  // large (bit-shift) translation; up to 16 heads is taken as the physical geometry.
  const PARTITIONED: { mib: number; end: [number, number, number]; params: string }[] = [
    { mib: 1024, end: [254, 63, 1023], params: "0000 7e00 06bf 3f01" }, // large: 520/64/63 (LBA-assist would give 1024/32/63)
    { mib: 1024, end: [15, 63, 1023], params: "0000 7e00 feff 0f01" }, // untranslated 16/63, capped at 1024 cylinders
    { mib: 300, end: [7, 17, 600], params: "0000 7e00 fed1 0701" }, // an 8-head, 17-sector layout
  ];
  for (const { mib, end, params } of PARTITIONED) {
    it(`takes the geometry of a ${mib} MiB disk partitioned with ${end[0] + 1} heads, ${end[1]} sectors from its MBR`, async () => {
      const head = probe.slice(0, 512);
      const [h, sec, cyl] = end;
      setFirstPartition(head, { cylinder: cyl, head: h, sector: sec }, 100000);
      const image = Uint8Array.from(probe);
      image.set(head);
      const lab = byLabel((await runLab86({ hda: new SparseBackend(mib * MIB, image) }, ["hd"])).out);
      expect(lab.get("params")).toBe(`c=0 ${params}`);
      if (!qemu) return;
      const ref = byLabel(runQemu({ hda: { size: mib * MIB, head: image } }, "c"));
      for (const k of ["params", "type", "edd48"]) expect(lab.get(k), k).toBe(ref.get(k));
    });
  }

  it("answers like SeaBIOS for a 1.44 MB floppy (AH=08h and its parameter table, 15h, 16h, CHS)", async () => {
    const boot = assemble(program(FLOPPY_PROBE));
    const image = patternDisk(2880, boot);
    const lab = byLabel((await runLab86({ fda: new MemoryBackend(image) }, ["fd"])).out);
    // BL = 4 (1.44 MB), CH = 79, CL = 18, DH = 1, DL = 1 drive.
    expect(lab.get("params")).toMatch(/^c=0 0000 0004 4f12 0101$/);
    // C1 H1 S18 -> LBA (1*2+1)*18+17 = 71.
    expect(lab.get("chsdata")).toBe("4c42412047000000");
    const table = Buffer.from(lab.get("table")!, "hex");
    expect(table[3]).toBe(2); // 512-byte sectors
    expect(table[4]).toBe(18); // sectors per track
    expect(table[8]).toBe(0xf6); // format fill byte
    if (!qemu) return;
    const ref = byLabel(runQemu({ fda: { bytes: image } }, "a"));
    for (const k of ["params", "type", "changeline", "chs", "chsdata"]) expect(lab.get(k), k).toBe(ref.get(k));
    // The table's sectors per track and sector size code agree; timing bytes are the BIOS's own.
    expect(lab.get("table")!.slice(6, 10)).toBe(ref.get("table")!.slice(6, 10));
  });

  for (const [media, name] of [[0, "no emulation"], [2, "1.44 MB floppy emulation"]] as const) {
    it(`answers like SeaBIOS for an El Torito CD with ${name} (AH=41h, 4B01h packet, 08h, 15h)`, async () => {
      const code = assemble(program(CD_PROBE));
      let image = code;
      if (media === 2) {
        image = new Uint8Array(1474560);
        image.set(code);
      }
      const iso = elToritoIso({ mediaType: media, image, sectorCount: media === 0 ? 8 : 1 });
      const lab = byLabel((await runLab86({ cdrom: new MemoryBackend(iso, true) }, ["cd"])).out);
      expect(lab.get("drive")).toBe(media === 0 ? "e0" : "00");
      // Packet: size 13h, media type, drive, controller 1 (secondary IDE), image LBA 20, load
      // segment 07C0h, sector count; then the emulated geometry as AH=08h gives it (79, 18, 1).
      const geometry = media === 0 ? "000000" : "4f1201";
      expect(lab.get("specdata")).toBe(`13${media.toString(16).padStart(2, "0")}${media === 0 ? "e0" : "00"}011400000000000000c007${media === 0 ? "0800" : "0100"}${geometry}`);
      if (!qemu) return;
      const ref = byLabel(runQemu({ cdrom: { bytes: iso } }, "d"));
      for (const k of ["drive", "edd41", "spec", "params", "type"]) expect(lab.get(k), k).toBe(ref.get(k));
      // Bytes 00h-0Fh agree; SeaBIOS 1.16 stores the head count at 10h and the cylinder at 12h,
      // the reverse of the El Torito packet (and Ralf Brown's table 00281): we follow the spec.
      expect(lab.get("specdata")!.slice(0, 32)).toBe(ref.get("specdata")!.slice(0, 32));
    });
  }
});
