// System Management Mode (SDM Vol. 3C, chapter "System Management Mode"): SMI entry at an
// instruction boundary, the state save map of processors without Intel 64, RSM, SMBASE
// relocation, auto HALT restart, and NMI blocking while in SMM.
//
// The SMI is latched in SMI_PENDING by the host (a chipset's APMC port, an APIC message in SMI
// delivery mode), which then calls requestExit(): the run loop enters SMM at the start of the next
// slice (run.ts), so the per-instruction loop pays nothing. An SMI that arrives in SMM stays
// latched and is taken after RSM.
//
// The platform decides what the CPU sees at SMRAM (SMIACT#): hostSmmChange() is called on entry
// before the state is saved, and after RSM has restored it.
import {
  REG32, EIP, CR0, CR3, CR4, DR, GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT, SEGS, SEG_SIZE,
  SEG_SEL, SEG_BASE, SEG_LIMIT, SEG_ATTRS, SEG_ES, SEG_CS, SEG_SS, SEG_GS, SEG_LDTR, SEG_TR,
  SMBASE, IN_SMM, SMI_PENDING, SMM_NMI_BLOCKED, NMI_BLOCKED, HALTED, SHUTDOWN, INHIBIT_IRQ,
  DEBUG_TRAP, RF_PENDING, FLAGS_BITS, EXIT_HLT, EXIT_HLT_NOIRQ, EXIT_HOST_REQUEST,
} from "../../layout";
import {
  setSegCache, CR0_PE, CR0_EM, CR0_TS, CR0_PG, CR0_NW, CR0_CD, CR0_ET, FLAG_IF, FLAG_VM, FLAG_RF, ATTR_DPL_SHIFT,
} from "../state";
import { raiseUD } from "../fault";
import { getEflags, setEflags } from "../flags";
import { physRead16, physRead32, physWrite16, physWrite32, setCpl, tlbFlushAll } from "../memory";
import { hostSmmChange } from "../host";
import { endSlice } from "../run";
import { refreshBreakpoints, debugAfterEvent, keepRfForNextInstruction } from "./debug";
import { tripleFault } from "./interrupts";
import { CR0_IMPLEMENTED, CR4_IMPLEMENTED } from "./crdr";

// SMM revision identifier: revision 0, bit 17 = SMBASE relocation supported; bit 16 (I/O
// instruction restart) is clear, so the I/O instruction restart field is only initialised.
export const SMM_REVISION_ID: u32 = 0x00020000;

// The state save map (SDM table "SMRAM State Save Map"), as offsets from SMBASE + 8000H. The
// segment cache fields, GDTR/IDTR, LDTR/TR and CR4 sit in the map's reserved area at the offsets
// QEMU uses, which SMM handlers written for it (SeaBIOS) read.
const MAP: u32 = 0x8000;
const SM_CR0: u32 = 0x7ffc;
const SM_CR3: u32 = 0x7ff8;
const SM_EFLAGS: u32 = 0x7ff4;
const SM_EIP: u32 = 0x7ff0;
const SM_GPR: u32 = 0x7fd0; // EAX at 7FD0H up to EDI at 7FECH, in encoding order
const SM_DR6: u32 = 0x7fcc;
const SM_DR7: u32 = 0x7fc8;
const SM_TR_SEL: u32 = 0x7fc4;
const SM_LDTR_SEL: u32 = 0x7fc0;
const SM_SEG_SEL: u32 = 0x7fa8; // ES CS SS DS FS GS, 4 bytes each
const SM_LDTR_CACHE: u32 = 0x7f78; // attributes, limit, base
const SM_GDTR_BASE: u32 = 0x7f74;
const SM_GDTR_LIMIT: u32 = 0x7f70;
const SM_TR_CACHE: u32 = 0x7f5c;
const SM_IDTR_BASE: u32 = 0x7f58;
const SM_IDTR_LIMIT: u32 = 0x7f54;
const SM_CR4: u32 = 0x7f14;
const SM_AUTO_HALT: u32 = 0x7f02;
const SM_IO_RESTART: u32 = 0x7f00;
const SM_REVISION: u32 = 0x7efc;
const SM_SMBASE: u32 = 0x7ef8;
// A segment cache is three dwords: attributes (descriptor bits 8..23 without the limit's 19..16),
// limit, base. ES, CS, SS from 7F84H; DS, FS, GS from 7F2CH.
const ATTR_SAVED: u32 = 0xf0ff;
// @ts-ignore: decorator
@inline function segCacheOffset(s: i32): u32 { return s < 3 ? 0x7f84 + <u32>s * 12 : 0x7f2c + <u32>(s - 3) * 12; }

// @ts-ignore: decorator
@inline function segField(s: i32, field: i32): usize { return SEGS + s * SEG_SIZE + field; }

function saveCache(map: u32, s: i32, at: u32): void {
  physWrite32(map + at, load<u32>(segField(s, SEG_ATTRS)) & ATTR_SAVED);
  physWrite32(map + at + 4, load<u32>(segField(s, SEG_LIMIT)));
  physWrite32(map + at + 8, load<u32>(segField(s, SEG_BASE)));
}
function restoreCache(map: u32, s: i32, sel: u32, at: u32): void {
  setSegCache(s, sel, physRead32(map + at + 8), physRead32(map + at + 4), physRead32(map + at) & ATTR_SAVED);
}

// ---- SMI entry ----

// Called by run() at the start of a slice with SMI_PENDING set. Outside SMM, and unless the
// processor is shut down, the SMI is taken now; otherwise it stays latched.
export function serviceSmi(): void {
  if (load<u32>(IN_SMM) != 0 || load<u32>(SHUTDOWN) != 0) return;
  enterSmm();
}

function enterSmm(): void {
  const halted = load<u32>(HALTED) != 0;
  store<u32>(SMI_PENDING, 0);
  store<u32>(IN_SMM, 1);
  hostSmmChange(1);
  const smbase = load<u32>(SMBASE);
  const map = smbase + MAP;
  physWrite32(map + SM_CR0, load<u32>(CR0));
  physWrite32(map + SM_CR3, load<u32>(CR3));
  physWrite32(map + SM_EFLAGS, getEflags());
  physWrite32(map + SM_EIP, load<u32>(EIP));
  for (let r = 0; r < 8; r++) physWrite32(map + SM_GPR + (<u32>r << 2), load<u32>(REG32 + (r << 2)));
  physWrite32(map + SM_DR6, load<u32>(DR + 24));
  physWrite32(map + SM_DR7, load<u32>(DR + 28));
  physWrite32(map + SM_TR_SEL, load<u32>(segField(SEG_TR, SEG_SEL)));
  saveCache(map, SEG_TR, SM_TR_CACHE);
  physWrite32(map + SM_LDTR_SEL, load<u32>(segField(SEG_LDTR, SEG_SEL)));
  saveCache(map, SEG_LDTR, SM_LDTR_CACHE);
  physWrite32(map + SM_GDTR_BASE, load<u32>(GDTR_BASE));
  physWrite32(map + SM_GDTR_LIMIT, load<u32>(GDTR_LIMIT));
  physWrite32(map + SM_IDTR_BASE, load<u32>(IDTR_BASE));
  physWrite32(map + SM_IDTR_LIMIT, load<u32>(IDTR_LIMIT));
  for (let s = SEG_ES; s <= SEG_GS; s++) {
    physWrite32(map + SM_SEG_SEL + (<u32>s << 2), load<u32>(segField(s, SEG_SEL)));
    saveCache(map, s, segCacheOffset(s));
  }
  physWrite32(map + SM_CR4, load<u32>(CR4));
  // Auto HALT restart: bit 0 says the SMI interrupted HLT (EIP already points past it).
  physWrite16(map + SM_AUTO_HALT, halted ? 1 : 0);
  physWrite16(map + SM_IO_RESTART, 0);
  physWrite32(map + SM_REVISION, SMM_REVISION_ID);
  physWrite32(map + SM_SMBASE, smbase);

  // NMIs are blocked in SMM until RSM (or an IRET in the handler).
  store<u32>(SMM_NMI_BLOCKED, load<u32>(NMI_BLOCKED));
  store<u32>(NMI_BLOCKED, 1);
  store<u32>(HALTED, 0);
  store<u32>(INHIBIT_IRQ, 0);
  store<u32>(DEBUG_TRAP, 0);
  store<u32>(RF_PENDING, 0);

  // The SMM execution environment (SDM table "Processor Register Initialization in SMM"): a
  // real-address-like mode with 4 GiB segment limits, CS at SMBASE, EIP 8000H.
  setEflags(0x2);
  store<u32>(CR0, load<u32>(CR0) & ~(CR0_PE | CR0_EM | CR0_TS | CR0_PG));
  store<u32>(CR4, 0);
  store<u32>(DR + 28, 0x400);
  setSegCache(SEG_CS, smbase >>> 4, smbase, 0xffffffff, 0x93);
  for (let s = SEG_ES; s <= SEG_GS; s++) if (s != SEG_CS) setSegCache(s, 0, 0, 0xffffffff, 0x93);
  store<u32>(EIP, 0x8000);
  modeChanged(0);
  debugAfterEvent(); // the handler's first instruction starts with TF clear
}

// After CR0/CR4, EFLAGS, the segment caches or DR7 were replaced wholesale: re-derive the
// privilege masks and the armed breakpoints, and drop every translation. (The segment caches
// were written through setSegCache, so the decoder re-derives CS.D and its fetch window.)
function modeChanged(newCpl: u32): void {
  setCpl(newCpl);
  refreshBreakpoints();
  tlbFlushAll();
}

// ---- RSM (0F AA) ----

export function opRsm(): void {
  if (load<u32>(IN_SMM) == 0) { raiseUD(); return; }
  const map = load<u32>(SMBASE) + MAP;
  const cr0 = physRead32(map + SM_CR0);
  const cr4 = physRead32(map + SM_CR4);
  // Invalid state in the map shuts the processor down (SDM "Exiting From SMM"): reserved CR4
  // bits, or CR0 combinations that MOV CR0 would refuse.
  if ((cr4 & ~CR4_IMPLEMENTED) != 0 || ((cr0 & CR0_PG) != 0 && (cr0 & CR0_PE) == 0) ||
      ((cr0 & CR0_NW) != 0 && (cr0 & CR0_CD) == 0)) {
    leaveSmm();
    tripleFault();
    return;
  }
  for (let r = 0; r < 8; r++) store<u32>(REG32 + (r << 2), physRead32(map + SM_GPR + (<u32>r << 2)));
  store<u32>(EIP, physRead32(map + SM_EIP));
  setEflags(physRead32(map + SM_EFLAGS));
  store<u32>(CR0, (cr0 & CR0_IMPLEMENTED) | CR0_ET);
  store<u32>(CR3, physRead32(map + SM_CR3));
  store<u32>(CR4, cr4);
  store<u32>(DR + 24, (physRead32(map + SM_DR6) & 0xe00f) | 0xffff0ff0);
  store<u32>(DR + 28, (physRead32(map + SM_DR7) & 0xffff23ff) | 0x400);
  for (let s = SEG_ES; s <= SEG_GS; s++) {
    restoreCache(map, s, physRead32(map + SM_SEG_SEL + (<u32>s << 2)), segCacheOffset(s));
  }
  restoreCache(map, SEG_LDTR, physRead32(map + SM_LDTR_SEL), SM_LDTR_CACHE);
  restoreCache(map, SEG_TR, physRead32(map + SM_TR_SEL), SM_TR_CACHE);
  store<u32>(GDTR_BASE, physRead32(map + SM_GDTR_BASE));
  store<u32>(GDTR_LIMIT, physRead32(map + SM_GDTR_LIMIT) & 0xffff);
  store<u32>(IDTR_BASE, physRead32(map + SM_IDTR_BASE));
  store<u32>(IDTR_LIMIT, physRead32(map + SM_IDTR_LIMIT) & 0xffff);
  // SMBASE relocation: the handler may have written a new base into the map.
  const autoHalt = (physRead16(map + SM_AUTO_HALT) & 1) != 0;
  store<u32>(SMBASE, physRead32(map + SM_SMBASE));
  // The privilege level is SS.DPL in protected mode, 3 in virtual-8086 mode, 0 in real mode.
  let newCpl: u32 = 0;
  if ((cr0 & CR0_PE) != 0) {
    newCpl = (load<u32>(FLAGS_BITS) & FLAG_VM) != 0 ? 3 : (load<u32>(segField(SEG_SS, SEG_ATTRS)) >>> ATTR_DPL_SHIFT) & 3;
  }
  modeChanged(newCpl);
  // Like IRET, a restored TF traps after the next instruction (the run loop samples it after
  // RSM), and a restored RF holds for that one instruction.
  if ((load<u32>(FLAGS_BITS) & FLAG_RF) != 0) keepRfForNextInstruction();
  store<u32>(NMI_BLOCKED, load<u32>(SMM_NMI_BLOCKED));
  leaveSmm();
  if (autoHalt) {
    // The handler left the auto HALT restart bit set: back to the HALT state (EIP is past HLT).
    store<u32>(HALTED, 1);
    endSlice((load<u32>(FLAGS_BITS) & FLAG_IF) != 0 ? EXIT_HLT : EXIT_HLT_NOIRQ);
  } else if (load<u32>(SMI_PENDING) != 0) {
    endSlice(EXIT_HOST_REQUEST); // an SMI latched in SMM: run() takes it at the next slice
  }
}

function leaveSmm(): void {
  store<u32>(IN_SMM, 0);
  store<u32>(SMM_NMI_BLOCKED, 0);
  hostSmmChange(0);
}
