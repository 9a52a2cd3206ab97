// Protected-mode IRET (placeholder while being written).
import { raiseUD } from "../fault";
export function pmIret(op32: bool): void { raiseUD(); }
