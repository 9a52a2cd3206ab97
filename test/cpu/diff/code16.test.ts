// The user-mode differential tests again, in a 16-bit code segment (CS.D=0): default 16-bit
// operands and addresses, 0x66 and 0x67 selecting 32 bits. Natively the segment is a Linux LDT
// entry; in lab86 a GDT code segment with the same base and limit. Only specs that build their
// prefixes through the case builder are mode-independent; the others are left out here (raw
// 0x66/0x67 bytes, rel16/rel32 branch forms, x87/SSE snippets written for 32-bit addressing,
// BSWAP whose 16-bit form is undefined).
import { diffSuite } from "./harness";
import { aluSpecs } from "./gen/alu";
import { shiftSpecs } from "./gen/shift";
import { muldivSpecs, bcdSpecs } from "./gen/muldiv";
import { bitSpecs, xchgSpecs } from "./gen/bits";
import { controlSpecs } from "./gen/control";
import { moveSpecs } from "./gen/move";
import { stackSpecs } from "./gen/stack";
import { miscSpecs } from "./gen/misc";

const RAW_PREFIXES = /^(MOV (AL,Ob|eAX,Ov|Ob,AL|Ov,eAX)|LEA Gv,M|XLAT|BSWAP|FS limit|Last segment override)/;
const controlInCode16 = controlSpecs.filter((s) => /^(CMOV|SET|J\w+ rel8|JMP rel8|LOOP|JECXZ|RET)/.test(s.name));

diffSuite(
  "16-bit code",
  [...aluSpecs, ...shiftSpecs, ...muldivSpecs, ...bcdSpecs, ...bitSpecs, ...xchgSpecs, ...controlInCode16, ...moveSpecs, ...stackSpecs, ...miscSpecs].filter(
    (s) => !RAW_PREFIXES.test(s.name),
  ),
  { code16: true },
);
