// Page-table walks: 32-bit paging with 4 KiB and 4 MiB (PSE) pages, and PAE paging with NX
// (SDM Vol. 3A, chapter 4). A walk that faults changes nothing in memory: accessed and dirty bits
// are written only once the whole translation has passed its checks.
import { CR3, CR2, MSR_EFER, A20_MASK } from "../layout";
import {
  cr0, cr4, CR0_WP, CR4_PSE, CR4_PAE, CR4_PGE,
} from "./state";
import { raise, faulted, EXC_PF } from "./fault";
import { physRead32, physWrite32 } from "./memory";
import {
  TLB_READ_SUP, TLB_WRITE_SUP, TLB_READ_USER, TLB_WRITE_USER, TLB_EXEC_SUP, TLB_EXEC_USER, TLB_GLOBAL,
} from "../layout";

export const ACCESS_READ = 0;
export const ACCESS_WRITE = 1;
export const ACCESS_EXEC = 2;

const PTE_P: u32 = 1;
const PTE_W: u32 = 2;
const PTE_U: u32 = 4;
const PTE_A: u32 = 0x20;
const PTE_D: u32 = 0x40;
const PTE_PS: u32 = 0x80;
const PTE_G: u32 = 0x100;

// Page-fault error code bits (SDM Vol. 3A 4.7)
const PF_P: i32 = 1;
const PF_W: i32 = 2;
const PF_U: i32 = 4;
const PF_RSVD: i32 = 8;
const PF_ID: i32 = 16;

const EFER_NXE: u64 = 1 << 11;

// TLB permission bits of the last successful walk (read by memory.translate).
export let walkPerms: u32 = 0;

function pageFault(lin: u32, access: i32, user: bool, code: i32): void {
  let e = code;
  if (access == ACCESS_WRITE) e |= PF_W;
  if (user) e |= PF_U;
  if (access == ACCESS_EXEC && (cr4() & CR4_PAE) != 0 && (load<u64>(MSR_EFER) & EFER_NXE) != 0) e |= PF_ID;
  store<u32>(CR2, lin);
  raise(EXC_PF, e);
}

// Combine the U/W bits of all levels into TLB permissions, and check the access against them.
// Returns false (after raising #PF) if the access is not allowed.
function checkPerms(lin: u32, access: i32, user: bool, uw: u32, nx: bool, global: bool): bool {
  const wp = (cr0() & CR0_WP) != 0;
  let perms: u32 = TLB_READ_SUP;
  if (!nx) perms |= TLB_EXEC_SUP;
  if ((uw & PTE_W) != 0 || !wp) perms |= TLB_WRITE_SUP;
  if ((uw & PTE_U) != 0) {
    perms |= TLB_READ_USER;
    if (!nx) perms |= TLB_EXEC_USER;
    if ((uw & PTE_W) != 0) perms |= TLB_WRITE_USER;
  }
  if (global && (cr4() & CR4_PGE) != 0) perms |= TLB_GLOBAL;
  let need: u32;
  if (access == ACCESS_READ) need = user ? TLB_READ_USER : TLB_READ_SUP;
  else if (access == ACCESS_WRITE) need = user ? TLB_WRITE_USER : TLB_WRITE_SUP;
  else need = user ? TLB_EXEC_USER : TLB_EXEC_SUP;
  if ((perms & need) == 0) { pageFault(lin, access, user, PF_P); return false; }
  walkPerms = perms;
  return true;
}

function setBits32(addr: u32, entry: u32, bits: u32): void {
  if ((entry & bits) != bits) physWrite32(addr, entry | bits);
}

// Returns the physical address for lin, or raises #PF and returns 0.
export function walk(lin: u32, access: i32, user: bool): u32 {
  if ((cr4() & CR4_PAE) != 0) return walkPae(lin, access, user);
  const a20 = load<u32>(A20_MASK);
  const pdeAddr = ((load<u32>(CR3) & 0xfffff000) | ((lin >>> 20) & 0xffc)) & a20;
  const pde = physRead32(pdeAddr);
  if ((pde & PTE_P) == 0) { pageFault(lin, access, user, 0); return 0; }
  if ((pde & PTE_PS) != 0 && (cr4() & CR4_PSE) != 0) {
    // 4 MiB page. Bits 13..21 are reserved without PSE-36 (we report 32 physical bits).
    if ((pde & 0x3fe000) != 0) { pageFault(lin, access, user, PF_P | PF_RSVD); return 0; }
    if (!checkPerms(lin, access, user, pde, false, (pde & PTE_G) != 0)) return 0;
    setBits32(pdeAddr, pde, access == ACCESS_WRITE ? PTE_A | PTE_D : PTE_A);
    return (pde & 0xffc00000) | (lin & 0x3fffff);
  }
  const pteAddr = ((pde & 0xfffff000) | ((lin >>> 10) & 0xffc)) & a20;
  const pte = physRead32(pteAddr);
  if ((pte & PTE_P) == 0) { pageFault(lin, access, user, 0); return 0; }
  if (!checkPerms(lin, access, user, pde & pte, false, (pte & PTE_G) != 0)) return 0;
  setBits32(pdeAddr, pde, PTE_A);
  setBits32(pteAddr, pte, access == ACCESS_WRITE ? PTE_A | PTE_D : PTE_A);
  return (pte & 0xfffff000) | (lin & 0xfff);
}

// PAE: CR3 points at four 64-bit PDPTEs; PDEs and PTEs are 64-bit; bit 63 is NX when EFER.NXE.
// Physical address bits 32..35 are accepted (36-bit physical addresses, as a PAE processor
// without CPUID leaf 80000008h implies) but dropped: RAM and MMIO live below 4 GiB and the
// physical map covers only that, so an entry pointing above 4 GiB aliases the page 4 GiB lower.
// (No supported configuration maps anything there.)
function walkPae(lin: u32, access: i32, user: bool): u32 {
  const a20 = load<u32>(A20_MASK);
  const nxe = (load<u64>(MSR_EFER) & EFER_NXE) != 0;
  // Reserved: bits 36..62, and bit 63 unless NXE.
  const rsvdHi: u32 = nxe ? 0x7ffffff0 : 0xfffffff0;
  const pdptAddr = ((load<u32>(CR3) & 0xffffffe0) + ((lin >>> 27) & 0x18)) & a20;
  const pdpte = physRead32(pdptAddr);
  const pdpteHi = physRead32(pdptAddr + 4);
  if ((pdpte & PTE_P) == 0) { pageFault(lin, access, user, 0); return 0; }
  // PDPTE reserved bits: 1,2,5..8 and the high bits (no NX in a PDPTE).
  if ((pdpte & 0x1e6) != 0 || (pdpteHi & 0xfffffff0) != 0) { pageFault(lin, access, user, PF_P | PF_RSVD); return 0; }
  const pdeAddr = ((pdpte & 0xfffff000) + ((lin >>> 18) & 0xff8)) & a20;
  const pde = physRead32(pdeAddr);
  const pdeHi = physRead32(pdeAddr + 4);
  if ((pde & PTE_P) == 0) { pageFault(lin, access, user, 0); return 0; }
  if ((pdeHi & rsvdHi) != 0) { pageFault(lin, access, user, PF_P | PF_RSVD); return 0; }
  let nx = nxe && (pdeHi & 0x80000000) != 0;
  if ((pde & PTE_PS) != 0) {
    // 2 MiB page: bits 13..20 reserved.
    if ((pde & 0x1fe000) != 0) { pageFault(lin, access, user, PF_P | PF_RSVD); return 0; }
    if (!checkPerms(lin, access, user, pde, nx, (pde & PTE_G) != 0)) return 0;
    setBits32(pdeAddr, pde, access == ACCESS_WRITE ? PTE_A | PTE_D : PTE_A);
    return (pde & 0xffe00000) | (lin & 0x1fffff);
  }
  const pteAddr = ((pde & 0xfffff000) + ((lin >>> 9) & 0xff8)) & a20;
  const pte = physRead32(pteAddr);
  const pteHi = physRead32(pteAddr + 4);
  if ((pte & PTE_P) == 0) { pageFault(lin, access, user, 0); return 0; }
  if ((pteHi & rsvdHi) != 0) { pageFault(lin, access, user, PF_P | PF_RSVD); return 0; }
  nx = nx || (nxe && (pteHi & 0x80000000) != 0);
  if (!checkPerms(lin, access, user, pde & pte, nx, (pte & PTE_G) != 0)) return 0;
  setBits32(pdeAddr, pde, PTE_A);
  setBits32(pteAddr, pte, access == ACCESS_WRITE ? PTE_A | PTE_D : PTE_A);
  if (faulted) return 0;
  return (pte & 0xfffff000) | (lin & 0xfff);
}
