// NMI blocking (SDM Vol. 3A 6.7.1): after an NMI is delivered, further NMIs are held until the
// next IRET. The run loop (run.ts) leaves NMI_PENDING set while NMI_BLOCKED is 1, so an NMI
// arriving meanwhile is taken right after that IRET.
import { NMI_BLOCKED } from "../../layout";

// Called when the run loop takes a pending NMI (only while not blocked): block further NMIs.
export function nmiBlock(): void { store<u32>(NMI_BLOCKED, 1); }
// Every IRET unblocks NMIs.
export function nmiUnblockOnIret(): void { store<u32>(NMI_BLOCKED, 0); }
