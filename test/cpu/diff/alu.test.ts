// User-mode differential tests against the host CPU: ALU instructions (see docs/TESTING.md).
import { diffSuite } from "./harness";
import { aluSpecs } from "./gen/alu";

diffSuite("ALU", aluSpecs);
