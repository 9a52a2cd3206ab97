// Instruction length, for the 15-byte limit (SDM Vol. 2A 2.3.11: "an instruction longer than
// 15 bytes raises #GP"). Only instructions with many prefixes can exceed it, so step() measures
// the rest of such an instruction here, after its prefixes, by peeking at the code bytes
// without executing anything (EIP is restored).
import { eip, setEip } from "../state";
import { faulted } from "../fault";
import { fetch8, opsize32, addrsize32 } from "../decode";

// Bytes of ModRM + SIB + displacement, the ModRM byte being m.
function modrmLength(m: u32): u32 {
  const mod = m >> 6;
  const rm = m & 7;
  if (mod == 3) return 1;
  if (!addrsize32) {
    if (mod == 0) return rm == 6 ? 3 : 1;
    return mod == 1 ? 2 : 3;
  }
  let n: u32 = 1;
  if (rm == 4) {
    n++;
    const sib = fetch8();
    if (mod == 0 && (sib & 7) == 5) n += 4;
  } else if (mod == 0 && rm == 5) n += 4;
  if (mod == 1) n += 1;
  else if (mod == 2) n += 4;
  return n;
}

// Length of the instruction from its opcode byte `op` (already fetched) onwards.
function lengthFrom(op: u32): u32 {
  const opn: u32 = opsize32 ? 4 : 2;
  if (op == 0x0f) {
    const op2 = fetch8();
    if ((op2 >= 0x80 && op2 <= 0x8f)) return 2 + opn;
    if ((op2 >= 0x30 && op2 <= 0x37) || (op2 >= 0xc8 && op2 <= 0xcf) || op2 == 0x77
      || (op2 >= 0x05 && op2 <= 0x0b) || op2 == 0x0e || (op2 >= 0xa0 && op2 <= 0xa2)
      || (op2 >= 0xa8 && op2 <= 0xaa)) return 2;
    let n: u32 = 2;
    if (op2 == 0x38 || op2 == 0x3a) { fetch8(); n++; }
    n += modrmLength(fetch8());
    if ((op2 >= 0x70 && op2 <= 0x73) || op2 == 0xa4 || op2 == 0xac || op2 == 0xba || op2 == 0x3a
      || (op2 >= 0xc2 && op2 <= 0xc6)) n++;
    return n;
  }
  const hi = op >> 4, lo = op & 0xf;
  if (op < 0x40) {
    if ((lo & 7) < 4) return 1 + modrmLength(fetch8());
    if ((lo & 7) == 4) return 2;
    if ((lo & 7) == 5) return 1 + opn;
    return 1;
  }
  if (hi == 7 || (op >= 0xb0 && op <= 0xb7) || (op >= 0xe0 && op <= 0xe7) || op == 0x6a
    || op == 0xa8 || op == 0xcd || op == 0xd4 || op == 0xd5 || op == 0xeb) return 2;
  if ((op >= 0xb8 && op <= 0xbf) || op == 0x68 || op == 0xa9 || op == 0xe8 || op == 0xe9) return 1 + opn;
  if (op >= 0xa0 && op <= 0xa3) return 1 + (addrsize32 ? 4 : 2);
  if (op == 0xc2 || op == 0xca) return 3;
  if (op == 0xc8) return 4;
  if (op == 0x9a || op == 0xea) return 3 + opn;
  if (op == 0x62 || op == 0x63 || (op >= 0x84 && op <= 0x8f) || op == 0xc4 || op == 0xc5
    || (op >= 0xd0 && op <= 0xd3) || (op >= 0xd8 && op <= 0xdf) || op == 0xfe || op == 0xff) {
    return 1 + modrmLength(fetch8());
  }
  if (op == 0x69 || op == 0x81 || op == 0xc7) return 1 + modrmLength(fetch8()) + opn;
  if (op == 0x6b || op == 0x80 || op == 0x82 || op == 0x83 || op == 0xc0 || op == 0xc1 || op == 0xc6) {
    return 2 + modrmLength(fetch8());
  }
  if (op == 0xf6 || op == 0xf7) {
    const m = fetch8();
    const n = 1 + modrmLength(m);
    if (((m >> 3) & 7) < 2) return n + (op == 0xf6 ? 1 : opn);
    return n;
  }
  return 1;
}

// True when `prefixes` prefix bytes plus the rest exceed 15 bytes. A fault while peeking (the
// bytes lie beyond the CS limit or on an absent page) is left for the caller to deliver.
export function prefixedTooLong(op: u32, prefixes: i32): bool {
  const ip = eip();
  const n = lengthFrom(op);
  if (faulted) return true;
  setEip(ip);
  return <u32>prefixes + n > 15;
}
