// 0F AE group (SDM Vol. 2 FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, LFENCE, MFENCE, SFENCE, CLFLUSH)
// and the 0F 18-1F hint space (PREFETCHh, multi-byte NOP).
//
// The FXSAVE image (Vol. 1 Table 10-2): bytes 0-159 are the x87 part (written by the FPU unit's
// fpuFxsave/fpuFxrstor), 24 MXCSR, 28 MXCSR_MASK, 160-287 XMM0-7; 288-511 are reserved and
// left untouched.
import { eaIsReg, eaSeg, eaOff, modrmReg, repPrefix, lockPrefix } from "../decode";
import { faulted, raise, raiseUD, raiseGP, EXC_NM } from "../fault";
import { cr0, CR0_EM, CR0_TS } from "../state";
import { segLin, readSeg32, readSeg64, writeSeg32, writeSeg64, probeSegRead, probeSegWrite } from "../segaccess";
import { fpuFxsave, fpuFxrstor } from "../fpu_api";
import { xmmPtr, mxcsr, setMxcsr, MXCSR_MASK, checkSse } from "./regs";
import { probeRead } from "../memory";

// Offset inside the image: the 512-byte probe above already checked the whole image against the
// segment limit, so no offset wraps.
// @ts-ignore: decorator
@inline function at(d: u32): u32 { return eaOff + d; }

// FXSAVE/FXRSTOR (SDM Vol. 2 FXSAVE, "Protected Mode Exceptions"): #UD with CR0.EM, #NM with
// CR0.TS, #GP(0) if the image is not 16-byte aligned. CR4.OSFXSR does not matter here.
function checkFx(): bool {
  if (eaIsReg || lockPrefix) { raiseUD(); return false; }
  if ((cr0() & CR0_EM) != 0) { raiseUD(); return false; }
  if ((cr0() & CR0_TS) != 0) { raise(EXC_NM, -1); return false; }
  if ((eaOff & 15) != 0) { raiseGP(0); return false; }
  return true;
}

function fxsave(): void {
  if (!checkFx()) return;
  probeSegWrite(eaSeg, eaOff, 512);
  if (faulted) return;
  fpuFxsave(eaSeg, eaOff);
  if (faulted) return;
  writeSeg32(eaSeg, at(24), mxcsr());
  writeSeg32(eaSeg, at(28), MXCSR_MASK);
  for (let i = 0; i < 8; i++) {
    const p = xmmPtr(i);
    writeSeg64(eaSeg, at(160 + (i << 4)), load<u64>(p));
    writeSeg64(eaSeg, at(168 + (i << 4)), load<u64>(p, 8));
  }
}

function fxrstor(): void {
  if (!checkFx()) return;
  probeSegRead(eaSeg, eaOff, 512);
  if (faulted) return;
  const m = readSeg32(eaSeg, at(24));
  if (faulted) return;
  // Setting a reserved MXCSR bit is #GP(0), before any state is loaded (SDM Vol. 2 FXRSTOR).
  if ((m & ~MXCSR_MASK) != 0) { raiseGP(0); return; }
  fpuFxrstor(eaSeg, eaOff);
  if (faulted) return;
  setMxcsr(m);
  for (let i = 0; i < 8; i++) {
    const p = xmmPtr(i);
    store<u64>(p, readSeg64(eaSeg, at(160 + (i << 4))));
    store<u64>(p, readSeg64(eaSeg, at(168 + (i << 4))), 8);
  }
}

export function op0FAE(): void {
  const r = modrmReg;
  if (repPrefix != 0) { raiseUD(); return; }
  if (eaIsReg) {
    // LFENCE (/5), MFENCE (/6), SFENCE (/7): ordering only; memory is already sequential here.
    if (r < 5 || lockPrefix) raiseUD();
    return;
  }
  switch (r) {
    case 0: fxsave(); return;
    case 1: fxrstor(); return;
    case 2: { // LDMXCSR m32
      if (!checkSse()) return;
      const v = readSeg32(eaSeg, eaOff);
      if (faulted) return;
      if ((v & ~MXCSR_MASK) != 0) { raiseGP(0); return; }
      setMxcsr(v);
      return;
    }
    case 3: // STMXCSR m32
      if (!checkSse()) return;
      writeSeg32(eaSeg, eaOff, mxcsr());
      return;
    case 7: { // CLFLUSH m8: faults like a byte read; caches are not modelled.
      if (lockPrefix) { raiseUD(); return; }
      const lin = segLin(eaSeg, eaOff, 1, false);
      if (faulted) return;
      probeRead(lin, 1);
      return;
    }
    default: raiseUD(); return; // XSAVE, XRSTOR, XSAVEOPT: not on this processor
  }
}

// 0F 18 PREFETCHh m8 (and the reserved hint encodings), 0F 19-1F NOP r/m: no architectural
// effect; prefetches never fault (SDM Vol. 2 PREFETCHh).
export function hintNop(): void {
  if (lockPrefix) raiseUD();
}
