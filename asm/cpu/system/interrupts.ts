// PLACEHOLDER: replaced by the system helper. Exception and interrupt delivery.
import { EIP, INSN_START_EIP, EXIT_TRIPLE_FAULT } from "../../layout";
import { clearFault } from "../fault";
import { hostIntrAck } from "../host";
import { endSlice } from "../run";

export function deliverPendingException(): void {
  store<u32>(EIP, load<u32>(INSN_START_EIP));
  clearFault();
  endSlice(EXIT_TRIPLE_FAULT);
}
export function deliverExternalInterrupt(): void { hostIntrAck(); }
export function deliverNmi(): void {}
export function afterInstruction(): void {}
