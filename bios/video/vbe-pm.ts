// The VBE 2.0 protected-mode interface (AX=4F0Ah, VBE Core 2.0 section 4.13): a table of 32-bit
// code for Set Window (4F05h), Set Display Start (4F07h) and Set Primary Palette (4F09h) that an
// operating system copies into a 32-bit code segment (or runs from the ROM) and calls with a near
// CALL. The code drives the Bochs DISPI registers and the DAC directly, so it needs nothing from
// the firmware. Machine code is written out here byte by byte (Intel SDM Vol. 2 encodings, for
// a 32-bit code segment): the ROM is built from our sources with no external assembler.
//
// Register conventions (VBE 2.0, 4.13): undefined registers may be destroyed except ESI, EBP,
// DS and SS. Set Display Start takes the start address in 4-byte units in DX:CX (bits 31-16 in
// DX), the form Linux's vesafb panning uses; Set Primary Palette takes CX entries from index DX
// at ES:EDI, each blue, green, red, alignment. Set Display Start assumes packed pixels: the
// planar 4-bit modes, whose lines count bytes per plane, are not panned correctly by it.

interface Piece {
  bytes: number[];
  /** Label name defined at the start of this piece. */
  label?: string;
  /** This piece ends with a rel8 jump to the label: patched once sizes are known. */
  jumpTo?: string;
}

function code(pieces: Piece[]): number[] {
  const at = new Map<string, number>();
  let pos = 0;
  for (const p of pieces) {
    if (p.label) at.set(p.label, pos);
    pos += p.bytes.length;
  }
  const out: number[] = [];
  for (const p of pieces) {
    const bytes = [...p.bytes];
    if (p.jumpTo) {
      const rel = at.get(p.jumpTo)! - (out.length + bytes.length);
      if (rel < -128 || rel > 127) throw new Error("vbe-pm: jump out of range");
      bytes[bytes.length - 1] = rel & 0xff;
    }
    out.push(...bytes);
  }
  return out;
}

const MOV_DX_INDEX = [0x66, 0xba, 0xce, 0x01]; // mov dx, 01CEh
const OUT_DX_AX = [0x66, 0xef];
const IN_AX_DX = [0x66, 0xed];
const MOV_AX = (v: number) => [0x66, 0xb8, v & 0xff, v >> 8];
const RET_OK = [...MOV_AX(0x004f), 0xc3];

/** Set Window: DX = bank (window A) into DISPI BANK. */
const SET_WINDOW = code([
  {
    bytes: [
      0x52, // push edx
      ...MOV_DX_INDEX, ...MOV_AX(5), ...OUT_DX_AX, // DISPI index 5 (BANK)
      0x58, // pop eax
      0x42, // inc edx: the data port
      ...OUT_DX_AX,
      ...RET_OK,
    ],
  },
]);

/** Set Display Start: DX:CX = start in 4-byte units -> DISPI X_OFFSET/Y_OFFSET from the pitch. */
const SET_DISPLAY_START = code([
  {
    bytes: [
      0x0f, 0xb7, 0xc2, // movzx eax, dx
      0xc1, 0xe0, 0x10, // shl eax, 16
      0x66, 0x89, 0xc8, // mov ax, cx
      0xc1, 0xe0, 0x02, // shl eax, 2: bytes
      0x89, 0xc1, // mov ecx, eax
      // bytes per pixel = (BPP + 7) / 8 (15 -> 2)
      ...MOV_DX_INDEX, ...MOV_AX(3), ...OUT_DX_AX,
      0x42, // inc edx
      0x31, 0xc0, // xor eax, eax
      ...IN_AX_DX,
      0x83, 0xc0, 0x07, // add eax, 7
      0xc1, 0xe8, 0x03, // shr eax, 3
      0x89, 0xc3, // mov ebx, eax
      // pitch = VIRT_WIDTH * bytes per pixel
      0x4a, // dec edx
      ...MOV_AX(6), ...OUT_DX_AX,
      0x42, // inc edx
      0x31, 0xc0, // xor eax, eax
      ...IN_AX_DX,
      0x0f, 0xaf, 0xc3, // imul eax, ebx
      0x85, 0xc0, // test eax, eax
      0x74, 0x00, // jz fail (no VBE mode)
    ],
    jumpTo: "fail",
  },
  {
    bytes: [
      0x91, // xchg eax, ecx: eax = start, ecx = pitch
      0x31, 0xd2, // xor edx, edx
      0xf7, 0xf1, // div ecx: eax = line, edx = byte in line
      0x89, 0xc1, // mov ecx, eax
      0x89, 0xd0, // mov eax, edx
      0x31, 0xd2, // xor edx, edx
      0xf7, 0xf3, // div ebx: eax = pixel in line
      0x89, 0xc3, // mov ebx, eax
      ...MOV_DX_INDEX, ...MOV_AX(8), ...OUT_DX_AX, // X_OFFSET
      0x42, // inc edx
      0x89, 0xd8, // mov eax, ebx
      ...OUT_DX_AX,
      0x4a, // dec edx
      ...MOV_AX(9), ...OUT_DX_AX, // Y_OFFSET
      0x42, // inc edx
      0x89, 0xc8, // mov eax, ecx
      ...OUT_DX_AX,
      ...RET_OK,
    ],
  },
  { label: "fail", bytes: [...MOV_AX(0x014f), 0xc3] },
]);

/** Set Primary Palette: CX entries from index DL at ES:EDI (blue, green, red, alignment). */
const SET_PALETTE = code([
  {
    bytes: [
      0x88, 0xd0, // mov al, dl
      0x66, 0xba, 0xc8, 0x03, // mov dx, 03C8h
      0xee, // out dx, al
      0x42, // inc edx: 03C9h
      0x0f, 0xb7, 0xc9, // movzx ecx, cx
      0xe3, 0x00, // jecxz done
    ],
    jumpTo: "done",
  },
  {
    label: "next",
    bytes: [
      0x26, 0x8a, 0x47, 0x02, // mov al, es:[edi+2]: red
      0xee,
      0x26, 0x8a, 0x47, 0x01, // mov al, es:[edi+1]: green
      0xee,
      0x26, 0x8a, 0x07, // mov al, es:[edi]: blue
      0xee,
      0x83, 0xc7, 0x04, // add edi, 4
      0xe2, 0x00, // loop next
    ],
    jumpTo: "next",
  },
  { label: "done", bytes: RET_OK },
]);

/**
 * The table: offsets of the three functions and of the port/memory list, then the code, then
 * the list (the DISPI ports; no memory-mapped registers).
 */
export function buildVbePmTable(): Uint8Array {
  const header = 8;
  const w = SET_WINDOW.length, d = SET_DISPLAY_START.length, p = SET_PALETTE.length;
  const ports = [0xce, 0x01, 0xcf, 0x01, 0xff, 0xff, 0xff, 0xff];
  const t = [
    header & 0xff, header >> 8,
    (header + w) & 0xff, (header + w) >> 8,
    (header + w + d) & 0xff, (header + w + d) >> 8,
    (header + w + d + p) & 0xff, (header + w + d + p) >> 8,
    ...SET_WINDOW, ...SET_DISPLAY_START, ...SET_PALETTE, ...ports,
  ];
  return Uint8Array.from(t);
}
