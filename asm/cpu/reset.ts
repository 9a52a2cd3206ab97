// Power-on / RESET state (SDM Vol. 3A 9.1.1, Table 9-1).
import {
  CPU_STATE, CPU_STATE_USED, EIP, FLAGS_BITS, CR0, DR, GDTR_LIMIT, IDTR_LIMIT, A20_MASK, RAM_SIZE,
  SEG_CS, SEG_ES, SEG_GS, SEG_LDTR, SEG_TR, REG32, FPU_CW, FPU_TW, MXCSR, MSR_APIC_BASE, MSR_PAT,
} from "../layout";
import { setSegCache } from "./state";
import { setCpl, tlbFlushAll } from "./memory";
import { clearFault } from "./fault";

export function resetCpu(): void {
  const ram = load<u32>(RAM_SIZE);
  const a20 = load<u32>(A20_MASK);
  memory.fill(CPU_STATE, 0, CPU_STATE_USED);
  store<u32>(RAM_SIZE, ram);
  store<u32>(A20_MASK, a20 == 0 ? 0xffffffff : a20);
  store<u32>(REG32 + 2 * 4, 0x0663); // EDX: family 6, model 6, stepping 3 (matches CPUID 1)
  store<u32>(EIP, 0xfff0);
  store<u32>(FLAGS_BITS, 0x2);
  store<u32>(CR0, 0x60000010); // CD, NW, ET
  store<u32>(DR + 6 * 4, 0xffff0ff0);
  store<u32>(DR + 7 * 4, 0x400);
  store<u32>(GDTR_LIMIT, 0xffff);
  store<u32>(IDTR_LIMIT, 0xffff);
  for (let s = SEG_ES; s <= SEG_GS; s++) setSegCache(s, 0, 0, 0xffff, 0x93);
  setSegCache(SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x93);
  setSegCache(SEG_LDTR, 0, 0, 0xffff, 0x82);
  setSegCache(SEG_TR, 0, 0, 0xffff, 0x8b);
  store<u32>(FPU_CW, 0x40);
  store<u32>(FPU_TW, 0x5555); // FINIT-like tags would be 0xffff; after RESET the SDM gives 0x5555
  store<u32>(MXCSR, 0x1f80);
  store<u64>(MSR_APIC_BASE, 0xfee00900); // enabled, BSP
  store<u64>(MSR_PAT, 0x0007040600070406);
  setCpl(0);
  clearFault();
  tlbFlushAll();
}
