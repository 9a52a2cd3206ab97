// User-mode differential tests with paging: page-edge accesses, #PF error codes and CR2, and no
// partial results (see gen/pagecross.ts).
import { diffSuite } from "./harness";
import { pageCrossSpecs } from "./gen/pagecross";

diffSuite("page edges", pageCrossSpecs, { paging: true });
