// What a BIOS service sees of the CPU while it runs: the caller's registers, with DX and the
// interrupt frame read from the stack (see the stub layout in rom.ts), and guest memory through
// segment:offset addresses. Services run in real mode or V86 mode (segment bases from the caches).
import * as L from "../asm/layout";
import type { Cpu } from "../src/machine/cpu";
import type { PhysicalMemory } from "../src/machine/dma-api";

const FLAG_CF = 1 << 0;
const FLAG_ZF = 1 << 6;
const FLAG_IF = 1 << 9;

export class ServiceContext {
  /** Linear address of the stack top at the trap: [DX][IP][CS][FLAGS] for interrupt stubs. */
  private readonly frame: number;

  constructor(readonly cpu: Cpu, readonly mem: PhysicalMemory, readonly hasFrame: boolean) {
    const ss = cpu.seg(L.SEG_SS);
    const sp = (ss.attrs & 0x4000) ? cpu.reg(4) : cpu.reg(4) & 0xffff;
    this.frame = (ss.base + sp) >>> 0;
  }

  private r16(i: number): number {
    return this.cpu.reg(i) & 0xffff;
  }
  private w16(i: number, v: number): void {
    this.cpu.setReg(i, (this.cpu.reg(i) & 0xffff0000) | (v & 0xffff));
  }
  private read16(lin: number): number {
    const b = this.mem.read(lin, 2);
    return b[0] | (b[1] << 8);
  }
  private write16(lin: number, v: number): void {
    this.mem.write(lin, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }

  get ax(): number { return this.r16(0); }
  set ax(v: number) { this.w16(0, v); }
  get bx(): number { return this.r16(3); }
  set bx(v: number) { this.w16(3, v); }
  get cx(): number { return this.r16(1); }
  set cx(v: number) { this.w16(1, v); }
  get dx(): number { return this.hasFrame ? this.read16(this.frame) : this.r16(2); }
  set dx(v: number) {
    if (this.hasFrame) this.write16(this.frame, v);
    else this.w16(2, v);
  }
  get si(): number { return this.r16(6); }
  set si(v: number) { this.w16(6, v); }
  get di(): number { return this.r16(7); }
  set di(v: number) { this.w16(7, v); }
  get bp(): number { return this.r16(5); }
  set bp(v: number) { this.w16(5, v); }

  get al(): number { return this.ax & 0xff; }
  set al(v: number) { this.ax = (this.ax & 0xff00) | (v & 0xff); }
  get ah(): number { return this.ax >>> 8; }
  set ah(v: number) { this.ax = (this.ax & 0xff) | ((v & 0xff) << 8); }
  get bl(): number { return this.bx & 0xff; }
  set bl(v: number) { this.bx = (this.bx & 0xff00) | (v & 0xff); }
  get bh(): number { return this.bx >>> 8; }
  set bh(v: number) { this.bx = (this.bx & 0xff) | ((v & 0xff) << 8); }
  get cl(): number { return this.cx & 0xff; }
  set cl(v: number) { this.cx = (this.cx & 0xff00) | (v & 0xff); }
  get ch(): number { return this.cx >>> 8; }
  set ch(v: number) { this.cx = (this.cx & 0xff) | ((v & 0xff) << 8); }
  get dl(): number { return this.dx & 0xff; }
  set dl(v: number) { this.dx = (this.dx & 0xff00) | (v & 0xff); }
  get dh(): number { return this.dx >>> 8; }
  set dh(v: number) { this.dx = (this.dx & 0xff) | ((v & 0xff) << 8); }

  /** 32-bit registers, for the services that use them (E820: EAX EBX ECX EDX; EDX from the frame). */
  get eax(): number { return this.cpu.reg(0); }
  set eax(v: number) { this.cpu.setReg(0, v); }
  get ebx(): number { return this.cpu.reg(3); }
  set ebx(v: number) { this.cpu.setReg(3, v); }
  get ecx(): number { return this.cpu.reg(1); }
  set ecx(v: number) { this.cpu.setReg(1, v); }
  get edx(): number { return ((this.cpu.reg(2) & 0xffff0000) | this.dx) >>> 0; }
  set edx(v: number) {
    this.cpu.setReg(2, (v & 0xffff0000) | (this.cpu.reg(2) & 0xffff));
    this.dx = v & 0xffff;
  }
  get edi(): number { return this.cpu.reg(7); }

  segBase(seg: number): number {
    return this.cpu.seg(seg).base;
  }
  get es(): number { return this.cpu.seg(L.SEG_ES).sel; }
  get ds(): number { return this.cpu.seg(L.SEG_DS).sel; }
  /** Set a segment register in real-mode fashion (selector and base = sel << 4). */
  setSeg(seg: number, sel: number): void {
    const s = this.cpu.seg(seg);
    this.cpu.setSeg(seg, sel, (sel & 0xffff) << 4, s.limit, s.attrs);
  }
  /** Linear address of seg:off in real/V86 terms. */
  lin(seg: number, off: number): number {
    return (this.segBase(seg) + (off & 0xffff)) >>> 0;
  }

  // ---- the caller's FLAGS, in the interrupt frame ----
  private get savedFlags(): number {
    return this.read16(this.frame + 6);
  }
  private set savedFlags(v: number) {
    this.write16(this.frame + 6, v);
  }
  setCF(on: boolean): void {
    this.savedFlags = on ? this.savedFlags | FLAG_CF : this.savedFlags & ~FLAG_CF;
  }
  setZF(on: boolean): void {
    this.savedFlags = on ? this.savedFlags | FLAG_ZF : this.savedFlags & ~FLAG_ZF;
  }
  /** Whether the caller ran with interrupts enabled. */
  get callerIF(): boolean {
    return (this.savedFlags & FLAG_IF) !== 0;
  }
  /** Status convention of most services: AH = status, CF = (status != 0). */
  status(ah: number): void {
    this.ah = ah;
    this.setCF(ah !== 0);
  }
}
