// State images against the host CPU (32-bit protected mode, both operand sizes): FNSTENV,
// FNSAVE (then FNINIT), FLDENV, FRSTOR, the x87 part of FXSAVE/FXRSTOR, and the MMX aliasing of
// the register file (TOP=0, tags, exponent field all ones, EMMS). Instruction and data
// pointers hold addresses that differ between the host process and lab86 and are not compared
// here (exceptions.test.ts checks them); everything else, reserved fields included, must match.
import { describe, it } from "vitest";
import * as L from "../../../asm/layout";
import { toolsMissing } from "./support";
import type { Kernel, Case } from "./native";
import { Rng, genF80, genCw, mkCase, compareWithHost, SCALE } from "./cases";

const kernels: Kernel[] = [];
const ignores: ((j: number) => boolean)[] = [];
// FOP (bytes 18-19) too: when the host process is preempted between the instruction and the
// FNSAVE, the operating system's XSAVE/XRSTOR on an AMD CPU drops FOP (exceptions.test.ts checks
// FOP on lab86 against the SDM).
const ptr32 = (j: number) => (j >= 12 && j < 26);
const ptr16 = (j: number) => j >= 6 && j < 14;
// FXSAVE's FOP too: the AMD hosts store FOP, FIP and FDP only while an exception is pending,
// the P6 always (SDM Vol. 2A FXSAVE); lab86 follows the P6.
const ptrFx = (j: number) => j >= 6 && j < 24;
function add(name: string, body: string, ignore: (j: number) => boolean): void {
  kernels.push({ name, body });
  ignores.push(ignore);
}
const LD3 = "fld tword [C]\nfld tword [B]\nfld tword [A]\nfadd st0, st1";
// All eight registers loaded (MMX makes every register valid, so none may hold stale contents).
const FULL = `${"fld tword [C]\n".repeat(6)}fld tword [B]\nfld tword [A]\nfadd st0, st1`;
// Eight known values, two freed again: the edited tag words mark the freed ones valid.
const LD8 = `${FULL}\nffree st6\nffree st7`;
add("fnstenv", `${LD3}\nfnstenv [MEM]`, ptr32);
add("o16 fnstenv", `${LD3}\no16 fnstenv [MEM]`, ptr16);
add("fnsave", `${LD3}\nfnsave [MEM]`, ptr32);
add("o16 fnsave", `${LD3}\no16 fnsave [MEM]`, ptr16);
add("fnsave+frstor", `${LD3}\nfnsave [MEM]\nfrstor [MEM]`, ptr32);
add("o16 fnsave+frstor", `${LD3}\no16 fnsave [MEM]\no16 frstor [MEM]`, ptr16);
add("fnstenv+fldenv", `${LD3}\nfnstenv [MEM]\nfinit\nfldenv [MEM]`, ptr32);
add("frstor edited tags", `${LD8}\nfnsave [MEM]\nmov word [MEM+8], 0x5a3c\nfrstor [MEM]`, ptr32);
add("fxsave", `${LD3}\nfxsave [MEM]`, ptrFx);
add("fxsave+fxrstor", `${LD3}\nfxsave [MEM]\nfninit\nfxrstor [MEM]`, ptrFx);
add("fxrstor edited tags", `${LD8}\nfxsave [MEM]\nmov byte [MEM+4], 0xe7\nfxrstor [MEM]`, ptrFx);
add("mmx aliasing", `${FULL}\nmovq mm2, [A]\npaddd mm2, mm2\nfnsave [MEM]`, ptr32);
add("mmx then emms", `${FULL}\nmovq mm5, [B]\nemms\nfnsave [MEM]`, ptr32);
// Arbitrary control, status and tag words loaded from an image (A holds them).
const EDIT = "mov ax, [A]\nmov [MEM], ax\nmov ax, [A+2]\nmov [MEM+4], ax\nmov ax, [A+4]\nmov [MEM+8], ax";
add("fldenv arbitrary words", `${FULL}\nfnstenv [MEM]\n${EDIT}\nfldenv [MEM]`, ptr32);
add("frstor arbitrary words", `${FULL}\nfnsave [MEM]\n${EDIT}\nfrstor [MEM]`, ptr32);
add("fincstp fnsave", `${LD3}\nfincstp\nfincstp\nffree st4\nfnsave [MEM]`, ptr32);

// Bytes of a saved image that belong to an empty register: those hold stale contents, which the
// host's operating system does not preserve (it may reset an x87 in its initial state to zeros).
function emptyRegisterByte(name: string, j: number, img: DataView): boolean {
  const fx = name.startsWith("fx"), o16 = name.startsWith("o16");
  const env = fx ? 0 : o16 ? 14 : 28;
  const stride = fx ? 16 : 10;
  const regs = fx ? 32 : env;
  if (j < regs || j >= regs + 8 * stride) return false;
  if (name.includes("fnstenv")) return false;
  const i = Math.floor((j - regs) / stride);
  const sw = img.getUint16(fx ? 2 : o16 ? 2 : 4, true);
  const phys = (((sw >> 11) & 7) + i) & 7;
  if (fx) return ((img.getUint8(4) >> phys) & 1) === 0;
  const tw = img.getUint16(o16 ? 4 : 8, true);
  return ((tw >> (2 * phys)) & 3) === 3;
}

const skip = toolsMissing(true);
describe.skipIf(skip)("x87 state images match the host CPU", () => {
  const check = compareWithHost(kernels, {
    setup: (cpu) => cpu.set(L.CR4, cpu.get(L.CR4) | (1 << 9)), // OSFXSR
    compare: {
      memIgnore: (j, c, img) => ignores[c.k](j) || (kernels[c.k].name.startsWith("fx") && j >= 24 && j < 32)
        || emptyRegisterByte(kernels[c.k].name, j, img),
    },
  });

  it("FNSTENV, FNSAVE, FLDENV, FRSTOR, FXSAVE, FXRSTOR in both operand sizes", () => {
    const r = new Rng(41);
    const cases: Case[] = [];
    for (let n = 0; n < 1200 * SCALE; n++) {
      const k = n % kernels.length;
      let a = genF80(r);
      if (kernels[k].name.includes("arbitrary")) {
        a = new Uint8Array(16);
        for (let i = 0; i < 6; i++) a[i] = r.u32() & 0xff;
      }
      cases.push(mkCase(k, genCw(r), a, genF80(r), genF80(r)));
    }
    check(cases);
  });
});
