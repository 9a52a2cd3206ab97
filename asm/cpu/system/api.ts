// The system-level entry points that the integer interpreter's dispatch calls. Each lives in a
// file by concept; this module only re-exports them with the contract's signatures:
//   loadSeg(seg, sel)                           segments.ts
//   farJump/farCall(sel, off, op32), farReturn(op32, popBytes)   farxfer.ts (+ protxfer.ts)
//   iret(op32)                                  iret.ts (+ protiret.ts, tasks.ts)
//   softwareInterrupt(vector, kind)             interrupts.ts (kind: 0 INT n, 1 INT3, 2 INTO, 3 INT1)
//   ioAllowed(port, size), opHlt/opCli/opSti/opPushf/opPopf   flagops.ts
//   op0F00, op0F01, opLar, opLsl, opArpl, opClts, opInvd       sysinsn.ts
//   opMovCr(toCr), opMovDr(toDr)                crdr.ts
//   opRdmsr, opWrmsr, opRdtsc, opRdpmc          msr.ts
//   opSysenter, opSysexit                       sysenter.ts
//   opCpuid                                     cpuid.ts
//   opRsm                                       smm.ts
export { loadSeg } from "./segments";
export { farJump, farCall, farReturn } from "./farxfer";
export { iret } from "./iret";
export { softwareInterrupt } from "./interrupts";
export { ioAllowed, opHlt, opCli, opSti, opPushf, opPopf } from "./flagops";
export { op0F00, op0F01, opLar, opLsl, opArpl, opClts, opInvd } from "./sysinsn";
export { opMovCr, opMovDr } from "./crdr";
export { opRdmsr, opWrmsr, opRdtsc, opRdpmc } from "./msr";
export { opSysenter, opSysexit } from "./sysenter";
export { opCpuid } from "./cpuid";
export { opRsm } from "./smm";
