// INT 13h and El Torito boot with backends that answer later (the browser's HTTP and IndexedDB
// storage): the service parks the CPU in its stub's wait loop and finishes after an interrupt,
// with the same results as a synchronous image.
import { describe, it, expect } from "vitest";
import { MemoryBackend } from "../../../src/machine/block";
import { assemble, nasmMissing } from "../../support/nasm";
import { program, callInt, sayByte, sayBytes, fillSector, setDap, DAP } from "./lib";
import { patternDisk, elToritoIso } from "./images";
import { runLab86, byLabel, lbaHeader, AsyncBackend } from "./harness";

const BODY = `
${sayByte("drive", "[bootdrive]")}
${callInt("chs", { ax: "0x0202", cx: "0x0105", dh: 0, dl: "[bootdrive]", bx: "buf" })}
${sayBytes("chsdata", "buf + 512", 8)}
${fillSector("buf", "0x77")}
${callInt("write", { ax: "0x0301", cx: "0x0002", dh: 1, dl: "[bootdrive]", bx: "buf" })}
${setDap({ size: "0x10", count: 2, offset: "buf2", lba: "DAPLBA" })}
${callInt("lba", { si: "dap", ah: "0x42", dl: "[bootdrive]" })}
${sayBytes("lbadata", "buf2", 8)}
  jmp exit
${DAP}`;

describe.skipIf(nasmMissing())("INT 13h with asynchronous backends", () => {
  it("boots a hard disk and reads and writes it by CHS and LBA", async () => {
    const image = patternDisk(4096, assemble("DAPLBA equ 3000\n" + program(BODY)));
    const backend = new AsyncBackend(new MemoryBackend(image));
    const run = await runLab86({ hda: backend }, ["hd"], 10, { yieldToHost: true });
    const out = byLabel(run.out);
    expect(run.exit, run.out).toBe(0x21);
    expect(out.get("drive")).toBe("80");
    expect(out.get("chs")).toMatch(/^c=0 0002 /);
    expect(out.get("chsdata")).toBe(lbaHeader(16 * 63 + 5)); // the sector after C1 H0 S5 (LBA 16*63 + 4)
    expect(out.get("write")).toMatch(/^c=0 0001 /);
    expect(image.subarray(64 * 512, 65 * 512).every((b) => b === 0x77)).toBe(true); // C0 H1 S2
    expect(out.get("lbadata")).toBe(lbaHeader(3000));
    expect(backend.reads).toBeGreaterThan(3);
    expect(backend.writes).toBe(1);
  });

  it("boots a no-emulation CD", async () => {
    const code = assemble(program(`
${sayByte("drive", "[bootdrive]")}
${setDap({ size: "0x10", count: 1, offset: "buf", lba: 25 })}
${callInt("lba", { si: "dap", ah: "0x42", dl: "0xe0" })}
${sayBytes("lbadata", "buf", 8)}
  jmp exit
${DAP}`));
    const iso = elToritoIso({ mediaType: 0, image: code, sectorCount: 8, totalSectors: 30 });
    const run = await runLab86({ cdrom: new AsyncBackend(new MemoryBackend(iso, true)) }, ["cd"], 10, { yieldToHost: true });
    const out = byLabel(run.out);
    expect(run.exit, run.out + run.log.join("\n")).toBe(0x21);
    expect(out.get("drive")).toBe("e0");
    expect(out.get("lbadata")).toBe(lbaHeader(25));
  });
});
