// SeaBIOS, an independent BIOS, drives the storage models through its own ATA, ATAPI and floppy
// drivers: it must detect the devices, boot from them and read them through INT 13h.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Pc } from "../../../src/machine/pc";
import { MemoryBackend } from "../../../src/machine/block";
import { updateChecksum } from "../../../src/machine/devices/cmos-layout";
import { FloppyController } from "../../../src/machine/storage/floppy/fdc";
import { requireFixture } from "../../support/fixtures";
import { assembleFile, nasmMissing } from "../../support/nasm";

const WASM = "build/cpu.wasm";

async function boot(ctx: { skip: (note?: string) => void }, opts: { hda?: Uint8Array; cdrom?: Uint8Array; floppy?: { image: Uint8Array; cmosType: number } }, until: RegExp) {
  const bios = requireFixture(ctx, "seabios.bin", "seabios");
  const vgaBios = requireFixture(ctx, "vgabios-stdvga.bin", "seabios");
  let serial = "";
  const fda = opts.floppy ? new MemoryBackend(opts.floppy.image) : undefined;
  const pc = await Pc.create({
    memoryBytes: 64 << 20,
    wasm: readFileSync(WASM),
    bios,
    vgaBios,
    hda: opts.hda ? new MemoryBackend(opts.hda) : undefined,
    cdrom: opts.cdrom ? new MemoryBackend(opts.cdrom, true) : undefined,
    fda,
    bootOrder: opts.floppy ? ["fd", "cd", "hd"] : opts.cdrom ? ["cd", "hd", "fd"] : ["hd", "cd", "fd"],
    acpi: true,
    apic: false,
    rtcBaseTime: Date.UTC(2024, 0, 1),
    uuid: new Uint8Array(16),
    onSerialOutput: (_port: number, b: number) => {
      serial += String.fromCharCode(b);
    },
  });
  const m = pc.machine;
  if (opts.floppy && fda) {
    // Wire a floppy controller as a PC does (IRQ 6, DMA 2) unless the composition already has one.
    if (!m.devices.some((d) => d.name === "fdc")) {
      const fdc = m.addDevice(new FloppyController(m.io, m.clock, pc.chipset.router.line(6), pc.chipset.dma, pc.completions));
      fdc.insert(0, fda);
    }
    pc.chipset.rtc.writeNvram(0x10, opts.floppy.cmosType << 4);
    updateChecksum(pc.chipset.rtc);
    m.reset();
  }
  // Bounded by virtual time (60 s of guest time), not by the host clock.
  while (m.clock.now < 60e9 && !until.test(serial)) m.runFor(20_000_000);
  return serial;
}

describe.skipIf(nasmMissing())("SeaBIOS on the storage models", () => {
  const formats = [
    { name: "1.44M", size: 1474560, spt: 18, cmosType: 4 },
    { name: "720K", size: 737280, spt: 9, cmosType: 3 },
    { name: "2.88M", size: 2949120, spt: 36, cmosType: 5 },
  ];
  for (const f of formats) {
    it(`boots a ${f.name} diskette and reads and writes it through INT 13h`, async (ctx) => {
      const spt = Math.min(f.spt, 18);
      const image = new Uint8Array(f.size);
      for (let o = 512; o < f.size; o += 2) {
        image[o] = (o >> 9) & 0xff;
        image[o + 1] = (o >> 17) & 0xff;
      }
      image.set(assembleFile("test/machine/storage/guest/fdread.asm", { defines: { SPT: spt } }), 0);
      let sum = 0;
      for (let c = 0; c < 4; c++)
        for (let h = 0; h < 2; h++)
          for (let o = (c * 2 + h) * f.spt * 512; o < ((c * 2 + h) * f.spt + spt) * 512; o += 2) sum = (sum + image[o] + (image[o + 1] << 8)) & 0xffff;
      const serial = await boot(ctx, { floppy: { image, cmosType: f.cmosType } }, /DONE|FAIL/);
      expect(serial).toBe(`FDBOOT ${sum.toString(16).toUpperCase().padStart(4, "0")} DONE\n`);
      const written = ((5 * 2 + 1) * f.spt + 6) * 512;
      expect(image[written + 510]).toBe(0x55);
      expect(image[written + 511]).toBe(0xaa);
    });
  }

  it("boots ISOLINUX from the CD and loads a kernel through ATAPI", async (ctx) => {
    const iso = requireFixture(ctx, "linux-isolinux.iso", "linux");
    const serial = await boot(ctx, { cdrom: iso }, /Loading \/initrd\.\.\.ok|rror/);
    expect(serial).toMatch(/ISOLINUX[\s\S]*Loading \/kernel\.\.\. ok[\s\S]*Loading \/initrd\.\.\.ok/);
  });

  it("boots SYSLINUX from the hard disk and loads a kernel through ATA", async (ctx) => {
    const img = requireFixture(ctx, "linux-syslinux.img", "linux");
    const serial = await boot(ctx, { hda: img }, /Loading \/initrd\.\.\.ok|rror/);
    expect(serial).toMatch(/SYSLINUX[\s\S]*Loading \/kernel\.\.\. ok[\s\S]*Loading \/initrd\.\.\.ok/);
  });
});
