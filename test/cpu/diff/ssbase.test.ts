// User-mode differential tests with SS based at the buffer (the native LDT data segment, CPL 3)
// and DS flat: every EBP- and ESP-based address must go through SS and every other one through
// DS (SDM Vol. 1 3.7.5, default segment selection), which the flat suites cannot tell apart.
import { diffSuite } from "./harness";
import { aluSpecs } from "./gen/alu";
import { shiftSpecs } from "./gen/shift";
import { muldivSpecs } from "./gen/muldiv";
import { bitSpecs, xchgSpecs } from "./gen/bits";
import { moveSpecs } from "./gen/move";
import { stackSpecs } from "./gen/stack";

// Specs that place data relative to the flat stack address (patches at ESP, EBP = a linear
// stack address) do not fit a stack segment based elsewhere.
const FLAT_STACK_ONLY = /^(POPF|ENTER|LEAVE|PUSH (ES|DS|FS)|POP (ES|DS|FS)|MOV (AL,Ob|eAX,Ov|Ob,AL|Ov,eAX))/;

diffSuite(
  "SS-based addressing",
  [...aluSpecs, ...shiftSpecs, ...muldivSpecs, ...bitSpecs, ...xchgSpecs, ...moveSpecs, ...stackSpecs].filter((s) => !FLAT_STACK_ONLY.test(s.name)),
  { ssBuffer: true },
);
