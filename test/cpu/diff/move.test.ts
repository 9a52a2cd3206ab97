// User-mode differential tests against the host CPU: data movement and simple flag instructions.
import { diffSuite } from "./harness";
import { moveSpecs } from "./gen/move";

diffSuite("move", moveSpecs);
