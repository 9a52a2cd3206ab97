// The <vm-frame> library's entry point (npm run build:lib): importing it defines the element.
import { defineVmFrame } from "./vm-frame";

export { VmFrame, defineVmFrame } from "./vm-frame";
export type { VmState } from "./protocol";
export type { LabManifest } from "./manifest";
export { validateManifest, ManifestError } from "./manifest";

defineVmFrame();
