// Privilege-dependent instructions, compared with lab86 running at CPL 3 with Linux's user
// selectors (CS 0x23, SS/DS/ES 0x2b), IOPL 0, no I/O bitmap, CR0.AM set. These are the cases the
// CPL-0 suites must leave out: IOPL-sensitive instructions and I/O (#GP(0)), INT n against DPL 0
// gates (#GP(n*8+2)), INT1/INT3/INTO, POPF/IRET silently keeping IF and IOPL, alignment checks
// after POPF sets AC, segment-register reads and loads of CS/SS, same-privilege far transfers, and
// LAR/LSL/VERR/VERW on the selectors both sides share.
import type { Spec } from "../harness";
import { BUF_ADDR, CODE_ADDR } from "../layout";
import { EAX, EDX, ESI, ESP, type CaseBuilder } from "./builder";
import { le, rmInstr } from "./forms";

const USER_CS = 0x23;
const USER_DS = 0x2b;

function stackWords(b: CaseBuilder, words: number[]): void {
  b.patch = { off: b.regs[ESP] - BUF_ADDR, bytes: words.flatMap((w) => le(w, 4)) };
}
/** An address on the HLT filler after the code (the code is emitted before this is called). */
function filler(b: CaseBuilder, extra = 0): number {
  return CODE_ADDR + b.bytes.length + extra + b.rng.below(32);
}

const PRIVILEGED: number[][] = [
  [0x0f, 0x00, 0xd0], // lldt ax
  [0x0f, 0x00, 0xd8], // ltr ax
  [0x0f, 0x01, 0x16, 0, 0, 1, 0], // lgdt [0x10000]
  [0x0f, 0x01, 0x1e, 0, 0, 1, 0], // lidt [0x10000]
  [0x0f, 0x01, 0xf0], // lmsw ax
  [0x0f, 0x01, 0x3d, 0, 0, 1, 0], // invlpg [0x10000]
  [0x0f, 0x06], // clts
  [0x0f, 0x08], // invd
  [0x0f, 0x09], // wbinvd
  [0x0f, 0x20, 0xc0], // mov eax, cr0
  [0x0f, 0x22, 0xd8], // mov cr3, eax
  [0x0f, 0x21, 0xf8], // mov eax, dr7
  [0x0f, 0x23, 0xc0], // mov dr0, eax
  [0x0f, 0x30], // wrmsr
  [0x0f, 0x32], // rdmsr
  [0x0f, 0x35], // sysexit
  [0x0f, 0xaa], // rsm
];

export const ring3Specs: Spec[] = [
  { name: "CLI, STI at IOPL 0 (#GP)", owner: "system", count: 16, gen: (b, rng) => b.emit(rng.pick([0xfa, 0xfb])) },
  {
    name: "IN/OUT/INS/OUTS without permission (#GP)", owner: "system", count: 48,
    gen: (b, rng) => {
      b.setReg(ESI, BUF_ADDR + 0x100);
      b.regs[7] = BUF_ADDR + 0x200;
      const op = rng.pick([0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef, 0x6c, 0x6d, 0x6e, 0x6f]);
      if (rng.chance(0.3)) b.emit(0x66);
      b.emit(op);
      if (op < 0xe8 && op >= 0xe4) b.emit(rng.below(256));
    },
  },
  {
    // Vectors 3 and 4 have DPL 3 gates on both sides; 0x80 is Linux's system call and left out.
    name: "INT n from ring 3 (#GP(n*8+2), INT 3, INT 4)", owner: "system", count: 64,
    gen: (b, rng) => {
      let n = rng.chance(0.2) ? rng.pick([3, 4]) : rng.below(256);
      if (n === 0x80) n = 0x81;
      b.emit(0xcd, n);
    },
  },
  // INT1/ICEBP (F1) is left out: under a hypervisor the host's #DB for it can report the EIP of
  // the instruction instead of the next one (KVM on AMD intercepts ICEBP), so the host is not a
  // reliable reference for it.
  {
    name: "POPF at CPL 3 keeps IF and IOPL (9D)", owner: "system", count: 64,
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(0x9d);
      // Any IF/IOPL/NT/AC/ID and reserved bits; TF, RF, VM, VIF, VIP kept clear.
      const v = (rng.u32() & ~(0x100 | 0x10000 | 0x20000 | 0x80000 | 0x100000) & ~0x40000) >>> 0;
      stackWords(b, [v]);
    },
  },
  {
    // With CR0.AM=1 and CPL 3, EFLAGS.AC=1 makes a misaligned access raise #AC(0) (SDM Vol. 3A 6.15).
    name: "POPF sets AC, then a misaligned access (#AC)", owner: "system", count: 48,
    gen: (b, rng) => {
      const ac = rng.chance(0.7) ? 0x40000 : 0;
      b.setReg(ESI, BUF_ADDR + 0x100 + rng.below(8));
      b.emit(0x9d);
      b.emit(...rng.pick([[0x8b, 0x06], [0x66, 0x8b, 0x06], [0x89, 0x06], [0x8a, 0x06], [0xff, 0x36]]));
      if (rng.chance(0.3)) b.emit(0x9c, 0x58); // pushf; pop eax: read the AC bit back
      stackWords(b, [(0x202 | ac | (rng.u32() & 0xcd5)) >>> 0]);
    },
  },
  {
    name: "IRET to ring 3 keeps IF and IOPL (CF)", owner: "system", count: 48,
    // 32-bit frames only: a 16-bit IRET truncates EIP to 16 bits, below the code page.
    gen: (b, rng) => {
      b.emit(0xcf);
      const flags = (rng.u32() & 0x247fd5 & ~0x100) | 2;
      const cs = rng.chance(0.9) ? USER_CS : rng.pick([USER_DS, 0x08, 0]);
      stackWords(b, [filler(b), cs, flags]);
    },
  },
  {
    name: "RETF, RETF Iw to ring 3 (CB, CA)", owner: "system", count: 48,
    gen: (b, rng) => {
      const imm = rng.chance(0.5);
      b.emit(imm ? 0xca : 0xcb);
      if (imm) b.imm16(rng.pick([0, 4, 8, 12]));
      // A data selector or a DPL 0 one as the CS to return to: #GP(selector).
      const cs = rng.chance(0.8) ? USER_CS : rng.pick([USER_DS, 0x10 | 3, 0]);
      stackWords(b, [filler(b), cs]);
    },
  },
  {
    name: "JMP/CALL far to ring 3 (EA, 9A, FF /3, FF /5)", owner: "system", count: 64,
    gen: (b, rng) => {
      const kind = rng.below(4);
      const cs = rng.chance(0.85) ? USER_CS : rng.pick([USER_DS, 0]);
      if (kind <= 1) {
        b.emit(kind === 0 ? 0xea : 0x9a);
        b.imm32(CODE_ADDR + 7 + rng.below(32));
        b.imm16(cs);
      } else {
        const f = rmInstr(b, { op: [0xff], size: 32, digit: kind === 2 ? 3 : 5, mem: "only", addr16: false });
        b.patch = { off: f.target, bytes: [...le(filler(b), 4), ...le(cs, 2)] };
      }
    },
  },
  {
    name: "PUSH CS, PUSH SS (0E, 16)", owner: "system", count: 16,
    gen: (b, rng) => {
      const o16 = rng.chance(0.3);
      b.prefixes({ o16 });
      b.emit(rng.pick([0x0e, 0x16]));
      if (!o16) b.undefMem = [b.regs[ESP] - BUF_ADDR - 2, b.regs[ESP] - BUF_ADDR];
    },
  },
  {
    name: "MOV Ev,CS/SS (8C /1, /2)", owner: "system", count: 32,
    gen: (b, rng) => void rmInstr(b, { op: [0x8c], size: "v", digit: rng.pick([1, 2]), writesRm: true }),
  },
  {
    // SS loads: RPL and DPL must equal CPL (SDM Vol. 3A 5.10.1).
    name: "MOV SS, POP SS (8E /2, 17)", owner: "system", count: 48,
    gen: (b, rng) => {
      const sel = rng.pick([USER_DS, USER_DS, USER_CS, 0, 0x2b & ~3, 0x10 | 3]);
      if (rng.chance(0.5)) {
        b.emit(0x17);
        stackWords(b, [sel]);
      } else {
        b.setReg(EAX, (b.regs[EAX] & 0xffff0000) | sel);
        b.emit(0x8e, 0xd0);
      }
    },
  },
  {
    name: "LAR/LSL/VERR/VERW on shared selectors (0F 02, 0F 03, 0F 00 /4 /5)", owner: "system", count: 64,
    gen: (b, rng) => {
      // (not 0x07: the native FS is an LDT selector, lab86 has no LDT)
      const sel = rng.pick([USER_CS, USER_DS, 0, 3, USER_CS & ~3, USER_DS & ~3]);
      b.setReg(EDX, (rng.u32() & 0xffff0000) | sel);
      b.setReg(EAX, rng.u32());
      const which = rng.below(4);
      if (which === 0) b.emit(0x0f, 0x02, 0xc2); // lar eax, edx
      else if (which === 1) b.emit(0x0f, 0x03, 0xc2); // lsl eax, edx
      else b.emit(0x0f, 0x00, which === 2 ? 0xe2 : 0xea); // verr/verw dx
      // LAR bits 19:16 are undefined (SDM Vol. 2A LAR): mask them in the result.
      if (which === 0) b.emit(0x25, ...le(0xfff0ffff, 4)); // and eax, ~0xf0000 (flags: AND)
      b.undefFlags = which === 0 ? 0x10 : 0;
    },
  },
  {
    // Privileged system instructions at CPL 3: #GP(0) (SDM Vol. 3A 5.9), RSM outside SMM: #UD.
    // Not here: SLDT/STR/SGDT/SIDT/SMSW (the host's UMIP makes Linux fault or emulate them),
    // RDPMC (depends on the host's CR4.PCE), SYSENTER (a Linux system call), RDTSC/CPUID
    // (host-specific values).
    name: "Privileged instructions at CPL 3 (#GP, RSM #UD)", owner: "system", count: 64,
    gen: (b, _rng, i) => b.emit(...PRIVILEGED[i % PRIVILEGED.length]),
  },
  {
    name: "HLT at CPL 3 in the middle of code (#GP)", owner: "system", count: 4,
    gen: (b) => b.emit(0xf4, 0x90),
  },
];
