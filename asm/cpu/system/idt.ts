// Protected-mode event delivery (placeholder while being written).
import { raiseUD } from "../fault";
export function protectedModeEvent(vector: u32, errcode: i32, kind: i32): void { raiseUD(); }
