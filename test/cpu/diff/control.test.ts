// User-mode differential tests against the host CPU: CMOVcc, SETcc, Jcc, loops, jumps, calls.
import { diffSuite } from "./harness";
import { controlSpecs } from "./gen/control";

diffSuite("control", controlSpecs);
