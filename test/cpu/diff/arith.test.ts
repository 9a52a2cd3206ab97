// User-mode differential tests against the host CPU: shifts, rotates, multiply, divide, BCD.
import { diffSuite } from "./harness";
import { shiftSpecs } from "./gen/shift";
import { muldivSpecs, bcdSpecs } from "./gen/muldiv";

diffSuite("shift-muldiv-bcd", [...shiftSpecs, ...muldivSpecs, ...bcdSpecs]);
