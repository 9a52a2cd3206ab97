// User-mode differential tests against the host CPU: bit instructions and exchanges.
import { diffSuite } from "./harness";
import { bitSpecs, xchgSpecs } from "./gen/bits";

diffSuite("bits-xchg", [...bitSpecs, ...xchgSpecs]);
