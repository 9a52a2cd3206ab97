// The DAC contents the IBM VGA BIOS loads on a mode set, as 6-bit R,G,B triples. The BIOS code
// (INT 10h) reuses these; the tests hand-check colours against the values documented here.
//
//  - EGA_DAC (64 entries): 350/400-line modes 0-3 (at 400 lines), 0Fh?, 10h, 12h. Entry bits are the
//    EGA's rgbRGB: bits 2/1/0 give 2/3 intensity (0x2A) of red/green/blue, bits 5/4/3 add 1/3 (0x15).
//  - CGA_DAC (64 entries): 200-line modes 4, 5, 6, 0Dh, 0Eh. Entry bits are CGA IRGB: bits 2/1/0
//    give 0x2A red/green/blue, bit 4 adds 0x15 to every component; bits 3 and 5 are ignored. Entry
//    6 is brown (green halved), as on the CGA monitor.
//  - MONO_DAC (64 entries): mode 7. Bit 3 gives video (0x2A), bit 4 intensity (0x15), as grey.
//  - VGA256_DAC (256 entries): mode 13h. 0-15 the 16 CGA colours, 16-31 a grey ramp, 32-247 nine
//    24-hue wheels (three intensities x three saturations), 248-255 black.

export type Rgb6 = [number, number, number];

export const EGA_DAC: Rgb6[] = Array.from({ length: 64 }, (_, i) => [
  ((i >> 2) & 1) * 0x2a + ((i >> 5) & 1) * 0x15,
  ((i >> 1) & 1) * 0x2a + ((i >> 4) & 1) * 0x15,
  (i & 1) * 0x2a + ((i >> 3) & 1) * 0x15,
]);

function cgaColour(i: number): Rgb6 {
  const bright = (i >> 4) & 1 ? 0x15 : 0;
  const r = (i >> 2) & 1 ? 0x2a : 0;
  const g = (i & 7) === 6 && !bright ? 0x15 : (i >> 1) & 1 ? 0x2a : 0;
  const b = i & 1 ? 0x2a : 0;
  return [r + bright, g + bright, b + bright];
}

export const CGA_DAC: Rgb6[] = Array.from({ length: 64 }, (_, i) => cgaColour(i));

export const MONO_DAC: Rgb6[] = Array.from({ length: 64 }, (_, i) => {
  const v = ((i >> 3) & 1) * 0x2a + ((i >> 4) & 1) * 0x15;
  return [v, v, v];
});

const GREY_RAMP = [0x00, 0x05, 0x08, 0x0b, 0x0e, 0x11, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28, 0x2d, 0x32, 0x38, 0x3f];

/** One 24-hue wheel from five component levels lo..hi: blue, to magenta, red, yellow, green, cyan. */
function hueWheel(l: number[]): Rgb6[] {
  const [a, b, c, d, e] = l;
  return [
    [a, a, e], [b, a, e], [c, a, e], [d, a, e], [e, a, e], [e, a, d], [e, a, c], [e, a, b],
    [e, a, a], [e, b, a], [e, c, a], [e, d, a], [e, e, a], [d, e, a], [c, e, a], [b, e, a],
    [a, e, a], [a, e, b], [a, e, c], [a, e, d], [a, e, e], [a, d, e], [a, c, e], [a, b, e],
  ];
}

const WHEEL_LEVELS = [
  [0x00, 0x10, 0x1f, 0x2f, 0x3f], [0x1f, 0x27, 0x2f, 0x37, 0x3f], [0x2d, 0x31, 0x36, 0x3a, 0x3f],
  [0x00, 0x07, 0x0e, 0x15, 0x1c], [0x0e, 0x11, 0x15, 0x18, 0x1c], [0x14, 0x16, 0x18, 0x1a, 0x1c],
  [0x00, 0x04, 0x08, 0x0c, 0x10], [0x08, 0x0a, 0x0c, 0x0e, 0x10], [0x0b, 0x0c, 0x0d, 0x0f, 0x10],
];

export const VGA256_DAC: Rgb6[] = [
  ...Array.from({ length: 16 }, (_, i) => cgaColour((i & 7) | ((i & 8) << 1))),
  ...GREY_RAMP.map((v): Rgb6 => [v, v, v]),
  ...WHEEL_LEVELS.flatMap(hueWheel),
  ...Array.from({ length: 8 }, (): Rgb6 => [0, 0, 0]),
];

/** 6-bit DAC component to 8 bits, replicating the top bits so 0x3F becomes 0xFF. */
export function dac6to8(v: number): number {
  v &= 0x3f; // values stored in 8-bit DAC mode keep only their 6 low bits' meaning
  return (v << 2) | (v >> 4);
}
