// User-mode differential tests with lab86 at CPL 3: the privilege-dependent instructions the
// CPL-0 suites leave out (see gen/ring3.ts).
import { diffSuite } from "./harness";
import { ring3Specs } from "./gen/ring3";

diffSuite("ring 3", ring3Specs, { ring3: true });
