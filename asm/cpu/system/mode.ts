// Small helpers about the processor's operating mode and privilege that every part of the system
// unit needs (SDM Vol. 3A 2.2: real-address mode, protected mode, virtual-8086 mode).
import { FLAGS_BITS } from "../../layout";
import { cr0, cpl, CR0_PE, FLAG_VM, FLAG_IOPL } from "../state";

// @ts-ignore: decorator
@inline export function protectedMode(): bool { return (cr0() & CR0_PE) != 0; }
// VM is never lazy, so FLAGS_BITS holds it directly.
// @ts-ignore: decorator
@inline export function v86Mode(): bool { return (load<u32>(FLAGS_BITS) & FLAG_VM) != 0; }
// Protected mode proper: PE set and not in virtual-8086 mode.
// @ts-ignore: decorator
@inline export function pmodeNotV86(): bool { return protectedMode() && !v86Mode(); }
// @ts-ignore: decorator
@inline export function iopl(): u32 { return (load<u32>(FLAGS_BITS) & FLAG_IOPL) >>> 12; }
// @ts-ignore: decorator
@inline export function currentCpl(): u32 { return cpl(); }

// The EXT bit of selector error codes (SDM Vol. 3A 6.13): set while the processor delivers an
// event external to the program (a hardware interrupt, an exception, INT1), so that a fault
// raised during that delivery reports it.
export let extBit: u32 = 0;
export function setExt(on: bool): void { extBit = on ? 1 : 0; }
// Error code naming a segment selector.
// @ts-ignore: decorator
@inline export function selErr(sel: u32): i32 { return <i32>((sel & 0xfffc) | extBit); }
