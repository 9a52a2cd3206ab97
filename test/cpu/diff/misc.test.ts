// User-mode differential tests against the host CPU: exceptions and rarely used instructions.
import { diffSuite } from "./harness";
import { miscSpecs } from "./gen/misc";

diffSuite("misc", miscSpecs);
