// The lab86 side of the user-mode differential tests: a bare CPU (test/support/cpu.ts) put
// directly into flat 32-bit protected mode through the state views, running each case at the
// same linear addresses as the native runner.
//
// Exceptions: the IDT's 32 interrupt gates point at one HLT stub per vector, so a fault ends the
// case at a known address and the exception frame on the stack gives the faulting EIP, EFLAGS
// and error code. The case runs at CPL 0 (the native one runs at CPL 3), so the generators leave
// out instructions whose behaviour depends on privilege (see docs/TESTING.md).
import { bareCpu, romWith } from "../../support/cpu";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";
import {
  BUF_ADDR, BUF_SIZE, CODE_ADDR, FS_SELECTOR, VEC_NONE, VEC_STRAY, VEC_TIMEOUT, fillBuffer,
  type DiffCase, type Outcome,
} from "./layout";

const GDT_ADDR = 0x30000;
const IDT_ADDR = 0x30800;
const STUB_ADDR = 0x31000; // HLT at STUB_ADDR + 8 * vector
const TSS_ADDR = 0x31800;
const STUB_STRIDE = 8;
const VECTORS = 32;
const BUDGET = 20000;

// Selectors match what 32-bit Linux gives a process for DS/ES (0x2b), so PUSH DS or MOV r/m,DS
// read the same value on both sides. CS and SS stay RPL 0 selectors because the case runs at
// CPL 0 and a CPU may derive CPL from them.
const SEL_CODE = 0x08;
const SEL_STACK = 0x10;
const SEL_USER_DATA = 0x2b;
// Ring-3 cases use the selectors of a 32-bit Linux process: code 0x23, data and stack 0x2b.
const SEL_USER_CODE = 0x23;
const ATTR_USER_CODE32 = 0x40fb;
const RING0_STACK = 0x38000; // TSS.ESP0: exception frames from ring 3 go here, outside the buffer
// Paging for `paging` cases: only the pages the native process has around the case are user
// pages (buffer, code); the harness's own pages are supervisor-only; everything else is absent.
const PAGE_DIR = 0x32000;
const PAGE_TABLE = 0x33000;
const SEL_CODE16 = 0x38; // 16-bit code, base CODE_ADDR, limit 0xffff (the native side's LDT 0x0f)
const ATTR_CODE16 = 0x009b;
const ATTR_CODE32 = 0x409b;
const ATTR_DATA32 = 0x4093;
const ATTR_USER_DATA32 = 0x40f3;
const ATTR_FS = 0x40f3; // mirrors the native LDT entry: DPL 3 data, byte limit 0xfff

// Vectors that push an error code (SDM Vol. 3A 6.13).
const HAS_ERRCODE = new Set([8, 10, 11, 12, 13, 14, 17]);

function descriptor(base: number, limit: number, access: number, flags: number): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((flags & 0xf) << 20) | (((limit >>> 16) & 0xf) << 16) | (access << 8) | ((base >>> 16) & 0xff);
  return [lo >>> 0, hi >>> 0];
}

export class Lab86Side {
  private constructor(readonly cpu: Cpu, private readonly ram: Uint8Array, private readonly ramDv: DataView) {}

  static async create(): Promise<Lab86Side> {
    const { cpu } = await bareCpu(romWith([0xf4]), 16);
    const ram = cpu.ram();
    const side = new Lab86Side(cpu, ram, new DataView(ram.buffer, ram.byteOffset, ram.byteLength));
    side.buildTables();
    return side;
  }

  private w32(addr: number, v: number): void {
    this.ramDv.setUint32(addr, v >>> 0, true);
  }
  private r32(addr: number): number {
    return this.ramDv.getUint32(addr, true);
  }

  private buildTables(): void {
    const gdt: [number, number][] = [
      [0, 0],
      descriptor(0, 0xfffff, 0x9b, 0xc),
      descriptor(0, 0xfffff, 0x93, 0xc),
      [0, 0],
      descriptor(0, 0xfffff, 0xfb, 0xc),
      descriptor(0, 0xfffff, 0xf3, 0xc),
      descriptor(TSS_ADDR, 0x67, 0x8b, 0),
      descriptor(CODE_ADDR, 0xffff, 0x9b, 0),
    ];
    gdt.forEach(([lo, hi], i) => {
      this.w32(GDT_ADDR + i * 8, lo);
      this.w32(GDT_ADDR + i * 8 + 4, hi);
    });
    for (let v = 0; v < VECTORS; v++) {
      const off = STUB_ADDR + v * STUB_STRIDE;
      // 32-bit interrupt gates; DPL 3 only for #BP and #OF, as Linux sets them, so INT n from
      // ring 3 raises #GP(n * 8 + 2) for the same vectors on both sides.
      const dpl = v === 3 || v === 4 ? 0xe000 : 0x8000;
      this.w32(IDT_ADDR + v * 8, ((SEL_CODE << 16) | (off & 0xffff)) >>> 0);
      this.w32(IDT_ADDR + v * 8 + 4, ((off & 0xffff0000) | dpl | 0x0e00) >>> 0);
    }
    this.ram.fill(0xf4, STUB_ADDR, STUB_ADDR + VECTORS * STUB_STRIDE);
    this.w32(TSS_ADDR + 4, RING0_STACK); // ESP0, for exceptions from ring-3 cases
    this.w32(TSS_ADDR + 8, SEL_STACK);
    this.ramDv.setUint16(TSS_ADDR + 0x66, 0x68, true); // I/O map base past the limit: no bitmap
    this.ram.fill(0, PAGE_DIR, PAGE_TABLE + 0x1000);
    this.w32(PAGE_DIR, PAGE_TABLE | 7);
    for (const page of [BUF_ADDR, CODE_ADDR]) this.w32(PAGE_TABLE + (page >>> 12) * 4, page | 7);
    for (const page of [GDT_ADDR, STUB_ADDR, RING0_STACK - 0x1000, PAGE_DIR, PAGE_TABLE]) this.w32(PAGE_TABLE + (page >>> 12) * 4, page | 3);
  }

  private loadState(c: DiffCase): void {
    const cpu = this.cpu;
    for (let r = 0; r < 8; r++) cpu.setReg(r, c.regs[r]);
    cpu.eip = (c.code16 ? 0 : CODE_ADDR) + (c.codeOffset ?? 0);
    // PE MP ET NE AM (and PG, WP for paging cases), as Linux sets them; AM matters at CPL 3.
    cpu.set(L.CR0, c.paging ? 0x80050033 : 0x40033);
    cpu.set(L.CR3, PAGE_DIR);
    cpu.set(L.CR4, 0x600); // OSFXSR OSXMMEXCPT
    const ring3 = c.ring3 || c.paging || c.ssBuffer;
    cpu.set(L.CPL, ring3 ? 3 : 0);
    if (c.code16) cpu.setSeg(L.SEG_CS, SEL_CODE16, CODE_ADDR, 0xffff, ATTR_CODE16);
    else if (ring3) cpu.setSeg(L.SEG_CS, SEL_USER_CODE, 0, 0xffffffff, ATTR_USER_CODE32);
    else cpu.setSeg(L.SEG_CS, SEL_CODE, 0, 0xffffffff, ATTR_CODE32);
    if (c.ssBuffer) cpu.setSeg(L.SEG_SS, FS_SELECTOR, BUF_ADDR, BUF_SIZE - 1, ATTR_FS);
    else if (ring3) cpu.setSeg(L.SEG_SS, SEL_USER_DATA, 0, 0xffffffff, ATTR_USER_DATA32);
    else cpu.setSeg(L.SEG_SS, SEL_STACK, 0, 0xffffffff, ATTR_DATA32);
    cpu.setSeg(L.SEG_DS, SEL_USER_DATA, 0, 0xffffffff, ATTR_USER_DATA32);
    cpu.setSeg(L.SEG_ES, SEL_USER_DATA, 0, 0xffffffff, ATTR_USER_DATA32);
    cpu.setSeg(L.SEG_FS, FS_SELECTOR, BUF_ADDR, BUF_SIZE - 1, ATTR_FS);
    cpu.setSeg(L.SEG_GS, 0, 0, 0, 0);
    cpu.setSeg(L.SEG_LDTR, 0, 0, 0, 0x82);
    cpu.setSeg(L.SEG_TR, 0x30, TSS_ADDR, 0x67, 0x8b);
    cpu.set(L.GDTR_BASE, GDT_ADDR);
    cpu.set(L.GDTR_LIMIT, 8 * 8 - 1);
    cpu.set(L.IDTR_BASE, IDT_ADDR);
    cpu.set(L.IDTR_LIMIT, VECTORS * 8 - 1);
    cpu.set(L.HALTED, 0);
    cpu.set(L.INHIBIT_IRQ, 0);
    cpu.set(L.EXC_PENDING, 0);
    cpu.set(L.EXC_VECTOR, 0);
    cpu.set(L.DOUBLE_FAULT_DEPTH, 0);
    cpu.set(L.INTR_LINE, 0);
    cpu.set(L.NMI_PENDING, 0);
    cpu.set(L.DEBUG_TRAP, 0);
    cpu.set(L.RF_PENDING, 0);
    // x87 and SSE as after FNINIT and LDMXCSR 0x1f80 (what the native trampoline does).
    cpu.set(L.FPU_CW, 0x37f);
    cpu.set(L.FPU_SW, 0);
    cpu.set(L.FPU_TW, 0xffff);
    for (const f of [L.FPU_IP, L.FPU_CS, L.FPU_DP, L.FPU_DS, L.FPU_OPCODE]) cpu.set(f, 0);
    cpu.set(L.MXCSR, 0x1f80);
    cpu.setEflags((c.eflags & 0x244cd5) | 0x202); // user-changeable bits, IF=1 as in a Linux process
    (cpu.exports.afterStateLoad as () => void)();
  }

  run(c: DiffCase): Outcome {
    const cpu = this.cpu;
    const words = new Uint32Array(this.ram.buffer, this.ram.byteOffset + BUF_ADDR, BUF_SIZE / 4);
    fillBuffer(words, c.seed);
    const buf = this.ram.subarray(BUF_ADDR, BUF_ADDR + BUF_SIZE);
    if (c.patch) buf.set(c.patch.bytes, c.patch.off);
    const initial = buf.slice();
    this.ram.fill(0xf4, CODE_ADDR, CODE_ADDR + 4096);
    const codeOff = c.codeOffset ?? 0;
    this.ram.set(c.code.subarray(0, 4096 - codeOff), CODE_ADDR + codeOff);
    this.loadState(c);

    let reason: number;
    try {
      reason = cpu.run(BUDGET);
    } catch (e) {
      return this.collect(initial, VEC_STRAY, `lab86 threw: ${(e as Error).message}`);
    }
    const eip = cpu.eip;
    if (reason === L.EXIT_HLT || reason === L.EXIT_HLT_NOIRQ) {
      // EIP is an offset in CS; the HLT stubs are in the flat segment.
      const inCode16 = cpu.seg(L.SEG_CS).sel === SEL_CODE16;
      const at = (eip - 1 + (inCode16 ? CODE_ADDR : 0)) >>> 0;
      if (at >= CODE_ADDR && at < CODE_ADDR + 4096) {
        const o = this.collect(initial, VEC_NONE);
        o.eip = at;
        return o;
      }
      if (at >= STUB_ADDR && at < STUB_ADDR + VECTORS * STUB_STRIDE && (at - STUB_ADDR) % STUB_STRIDE === 0) {
        return this.collectException((at - STUB_ADDR) / STUB_STRIDE, initial);
      }
      return this.collect(initial, VEC_STRAY, `stopped at a HLT at ${at.toString(16)}`);
    }
    if (reason === L.EXIT_TRIPLE_FAULT) {
      // Exception delivery is not usable (or the IDT itself faulted): fall back to the last
      // vector the CPU raised, with the state it left.
      const o = this.collect(initial, cpu.get(L.EXC_VECTOR), "exception delivery ended in a triple fault; vector from EXC_VECTOR");
      if (c.code16) o.eip = (o.eip + CODE_ADDR) >>> 0;
      o.errcode = cpu.get(L.EXC_ERRCODE);
      return o;
    }
    if (reason === L.EXIT_BUDGET) return this.collect(initial, VEC_TIMEOUT, `still running after ${BUDGET} instructions`);
    return this.collect(initial, VEC_STRAY, `run() returned exit reason ${reason}`);
  }

  private collect(initial: Uint8Array, vector: number, note?: string): Outcome {
    const cpu = this.cpu;
    const regs: number[] = [];
    for (let r = 0; r < 8; r++) regs.push(cpu.reg(r));
    const mem = new Map<number, number>();
    const buf = this.ram.subarray(BUF_ADDR, BUF_ADDR + BUF_SIZE);
    for (let i = 0; i < BUF_SIZE; i++) if (buf[i] !== initial[i]) mem.set(i, buf[i]);
    return { regs, eflags: cpu.eflags(), eip: cpu.eip, vector, errcode: 0, mem, note };
  }

  private collectException(vector: number, initial: Uint8Array): Outcome {
    const esp = this.cpu.reg(4);
    const o = this.collect(initial, vector);
    let p = esp;
    if (HAS_ERRCODE.has(vector)) {
      o.errcode = this.r32(p);
      p += 4;
    }
    if (vector === 14) o.cr2 = this.cpu.get(L.CR2);
    const cs = this.r32(p + 4) & 0xffff;
    o.eip = (this.r32(p) + (cs === SEL_CODE16 ? CODE_ADDR : 0)) >>> 0;
    o.eflags = this.r32(p + 8);
    if ((cs & 3) !== 0) {
      // From ring 3: the frame is on the ring-0 stack and holds the faulting ESP.
      o.regs[4] = this.r32(p + 12);
      // A ring-3 case ends like the native one: #GP at a HLT in the code page.
      if (vector === 13 && o.eip >= CODE_ADDR && o.eip < CODE_ADDR + 4096 && this.ram[o.eip] === 0xf4) {
        o.vector = VEC_NONE;
        o.errcode = 0;
      }
      return o;
    }
    o.regs[4] = (p + 12) >>> 0; // ESP at the fault: the frame sits just below it
    // The frame lies below the faulting ESP, where the native side (whose kernel takes the
    // exception on another stack) writes nothing: leave those bytes out of the comparison.
    o.ignoreMem = [esp - BUF_ADDR, p + 12 - BUF_ADDR];
    return o;
  }
}
