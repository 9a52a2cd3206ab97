// User-mode differential tests against the host CPU: x87 and SSE smoke (the seams with the
// integer unit; the deep suites are in test/cpu/fpu and test/cpu/simd).
import { diffSuite } from "./harness";
import { x87Specs, sseSpecs } from "./gen/fpsimd";

diffSuite("x87-sse-smoke", [...x87Specs, ...sseSpecs]);
