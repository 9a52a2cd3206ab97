// User-mode differential tests against the host CPU: stack and string instructions.
import { diffSuite } from "./harness";
import { stackSpecs } from "./gen/stack";
import { stringSpecs } from "./gen/string";

diffSuite("stack-string", [...stackSpecs, ...stringSpecs]);
