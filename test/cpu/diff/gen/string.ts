// String instructions MOVS CMPS STOS LODS SCAS, bytes/words/dwords, without prefix and with
// REP/REPE/REPNE, DF 0 and 1, small counts (0..12) and segment overrides on the source. ESI and
// EDI point so that the whole run stays inside the buffer; for CMPS, ESI=EDI half the time so
// REPE runs to the end, and for SCAS the AL/AX/EAX value is taken from the scanned range.
import type { Spec } from "../harness";
import { BUF_ADDR, DATA_LIMIT, initialBuffer } from "../layout";
import { EAX, ECX, EDI, ESI, DF, type CaseBuilder } from "./builder";

const OPS: [string, number, boolean, boolean][] = [
  // name, opcode (byte form), reads source (DS:ESI), uses destination (ES:EDI)
  ["MOVS", 0xa4, true, true],
  ["CMPS", 0xa6, true, true],
  ["STOS", 0xaa, false, true],
  ["LODS", 0xac, true, false],
  ["SCAS", 0xae, false, true],
];

function stringCase(b: CaseBuilder, op: number, src: boolean, dst: boolean, rep: 0 | 0xf2 | 0xf3): void {
  const rng = b.rng;
  const wide = rng.below(3); // 0: byte, 1: word/dword by 0x66, 2: dword
  const size = wide === 0 ? 1 : wide === 1 ? 2 : 4;
  const count = rep ? rng.pick([0, 1, 2, 3, rng.below(13)]) : 1;
  const down = rng.chance(0.3);
  b.eflags = down ? b.eflags | DF : b.eflags & ~DF;
  const span = count * size + 8;
  const start = () => (down ? rng.range(span, DATA_LIMIT - 8) : rng.range(0, DATA_LIMIT - span));
  // ECX's upper bits are random when the count is not used.
  b.setReg(ECX, rep ? count : rng.value(32));
  const si = start();
  let di = start();
  if (op === 0xa6 && rng.chance(0.5)) di = si;
  // A source override: FS addresses the buffer from offset 0, the others from BUF_ADDR.
  const seg = src ? rng.pick([0, 0, 0, 0x26, 0x2e, 0x36, 0x3e, 0x64]) : 0;
  b.setReg(ESI, seg === 0x64 ? si : BUF_ADDR + si);
  b.setReg(EDI, BUF_ADDR + di);
  if (op === 0xae) {
    // SCAS: the accumulator holds a value found somewhere in (or just past) the scanned range.
    const buf = initialBuffer(b);
    const k = rng.below(count + 2);
    const at = down ? di - k * size : di + k * size;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v * 256 + buf[at + i]) >>> 0;
    if (rng.chance(0.7)) b.setReg(EAX, size === 4 ? v : ((b.regs[EAX] & ~(size === 1 ? 0xff : 0xffff)) | v) >>> 0);
  }
  const pre: number[] = [];
  if (rep) pre.push(rep);
  if (wide === 1) pre.push(0x66);
  if (seg) pre.push(seg);
  if (rng.chance(0.5)) pre.reverse();
  b.emit(...pre, op + (size === 1 ? 0 : 1));
}

export const stringSpecs: Spec[] = [];
for (const [name, op, src, dst] of OPS) {
  stringSpecs.push(
    { name: `${name} (${op.toString(16).toUpperCase()}/${(op + 1).toString(16).toUpperCase()})`, owner: "integer", gen: (b) => stringCase(b, op, src, dst, 0) },
    { name: `REP ${name} (F3)`, owner: "integer", count: 96, gen: (b) => stringCase(b, op, src, dst, 0xf3) },
    { name: `REPNE ${name} (F2)`, owner: "integer", count: 96, gen: (b) => stringCase(b, op, src, dst, 0xf2) },
  );
}
stringSpecs.push({
  // 16-bit addressing: SI and CX (the upper halves must be ignored); the source through FS.
  name: "LODS with 0x67 (SI, CX)", owner: "integer",
  gen: (b, rng) => {
    const count = rng.below(6);
    const down = rng.chance(0.3);
    b.eflags = down ? b.eflags | DF : b.eflags & ~DF;
    b.setReg(ECX, ((rng.u32() & 0xffff0000) | count) >>> 0);
    b.setReg(ESI, ((rng.u32() & 0xffff0000) | (down ? rng.range(64, DATA_LIMIT - 8) : rng.below(DATA_LIMIT - 64))) >>> 0);
    b.emit(0x67, 0x64, ...(rng.chance(0.5) ? [0xf3] : []), rng.pick([0xac, 0xad]));
  },
});
