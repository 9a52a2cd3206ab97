// NMI blocking (SDM Vol. 3A 6.7.1): after an NMI is delivered, further NMIs are held until the
// next IRET; one arriving meanwhile is latched and taken after that IRET.
import { NMI_BLOCKED, NMI_LATCHED, NMI_PENDING } from "../../layout";

// Called when the run loop takes a pending NMI. Returns true when it may be delivered now (and
// blocks further NMIs), false when it was latched instead.
export function nmiBlock(): bool {
  if (load<u32>(NMI_BLOCKED) != 0) { store<u32>(NMI_LATCHED, 1); return false; }
  store<u32>(NMI_BLOCKED, 1);
  return true;
}
// Every IRET unblocks NMIs (even one that faults afterwards is not specified; we unblock when the
// IRET completes) and re-raises a latched one.
export function nmiUnblockOnIret(): void {
  store<u32>(NMI_BLOCKED, 0);
  if (load<u32>(NMI_LATCHED) != 0) {
    store<u32>(NMI_LATCHED, 0);
    store<u32>(NMI_PENDING, 1);
  }
}
