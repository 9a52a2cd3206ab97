// Diskette formats a PC floppy drive reads, recognised by image size. Each lists the data rates
// (82077AA DSR/CCR rate select, in kbit/s) at which the controller finds its address marks: a
// BIOS senses the medium by trying rates until READ ID succeeds, so the wrong rate must fail.

export interface FloppyGeometry {
  name: string;
  cylinders: number;
  heads: number;
  sectors: number;
  /** Data rates (kbit/s) at which this medium reads. */
  rates: number[];
}

export const FLOPPY_FORMATS: FloppyGeometry[] = [
  // 5.25" double density reads at 250 kbit/s in a 360K drive, 300 kbit/s in a 1.2M drive.
  { name: "360K", cylinders: 40, heads: 2, sectors: 9, rates: [250, 300] },
  { name: "720K", cylinders: 80, heads: 2, sectors: 9, rates: [250] },
  { name: "1.2M", cylinders: 80, heads: 2, sectors: 15, rates: [500] },
  { name: "1.44M", cylinders: 80, heads: 2, sectors: 18, rates: [500] },
  { name: "2.88M", cylinders: 80, heads: 2, sectors: 36, rates: [1000] },
];

/** Rate select values 0-3 (DSR bits 1:0) in kbit/s (82077AA table 3). */
export const RATE_KBPS = [500, 300, 250, 1000];

export function imageBytes(g: FloppyGeometry): number {
  return g.cylinders * g.heads * g.sectors * 512;
}

/** The format of an image of `bytes` bytes; throws naming the size when none matches. */
export function geometryForSize(bytes: number): FloppyGeometry {
  const g = FLOPPY_FORMATS.find((f) => imageBytes(f) === bytes);
  if (!g) throw new Error(`floppy image size ${bytes} bytes matches no supported format (${FLOPPY_FORMATS.map((f) => `${f.name}: ${imageBytes(f)}`).join(", ")})`);
  return g;
}
