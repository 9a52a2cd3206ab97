// PLACEHOLDER: replaced by the integer interpreter (decode + dispatch). Executes one instruction.
import { EIP, SEG_CS, HALTED, EXIT_HLT, EXIT_HLT_NOIRQ, FLAGS_BITS } from "../layout";
import { segBase } from "./state";
import { fetchLin8 } from "./memory";
import { raiseUD } from "./fault";
import { endSlice } from "./run";

export function step(): void {
  const ip = load<u32>(EIP);
  const op = fetchLin8(segBase(SEG_CS) + ip);
  if (op == 0x90) { store<u32>(EIP, ip + 1); return; }
  if (op == 0xf4) { store<u32>(EIP, ip + 1); store<u32>(HALTED, 1); endSlice((load<u32>(FLAGS_BITS) & 0x200) != 0 ? EXIT_HLT : EXIT_HLT_NOIRQ); return; }
  raiseUD();
}
