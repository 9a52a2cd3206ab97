// Protected-mode far transfers (placeholder while being written).
import { raiseUD } from "../fault";
export function pmFarJump(sel: u32, off: u32, op32: bool): void { raiseUD(); }
export function pmFarCall(sel: u32, off: u32, op32: bool): void { raiseUD(); }
export function pmFarReturn(op32: bool, popBytes: u32): void { raiseUD(); }
