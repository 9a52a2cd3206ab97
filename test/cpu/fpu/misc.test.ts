// Comparisons, classification, constants and the exact non-arithmetic instructions against the
// host CPU, bit-exact: FCOM/FCOMP/FCOMPP/FUCOM*/FICOM*/FCOMI*/FUCOMI* (C3 C2 C0 and EFLAGS), FTST,
// FXAM, FLD constants under every RC, FCHS, FABS, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, FXCH,
// FFREE, FINCSTP, FDECSTP, FCMOVcc.
import { describe, it } from "vitest";
import { toolsMissing } from "./support";
import { kernelList, type Case } from "./native";
import { Rng, genF80, genF64, genF32, genInt, genCw, mkCase, compareWithHost, f80, INT, ALL_RC_CWS, SCALE } from "./cases";

const { kernels, groups, add } = kernelList();
const LD2 = "fld tword [B]\nfld tword [A]";
for (const op of ["fcom st1", "fcomp st1", "fcompp", "fucom st1", "fucomp st1", "fucompp", "fcomi st0, st1", "fcomip st0, st1", "fucomi st0, st1", "fucomip st0, st1"]) {
  add("cmp", op, `${LD2}\n${op}`);
}
add("cmp32", "fcom m32", "fld tword [A]\nfcom dword [B]");
add("cmp32", "fcomp m32", "fld tword [A]\nfcomp dword [B]");
add("cmp64", "fcom m64", "fld tword [A]\nfcom qword [B]");
add("cmpi", "ficom m32", "fld tword [A]\nficom dword [B]");
add("cmpi16", "ficomp m16", "fld tword [A]\nficomp word [B]");
add("one", "ftst", "fld tword [A]\nftst");
add("one", "fxam", "fld tword [A]\nfxam");
add("one", "fchs", "fld tword [A]\nfchs");
add("one", "fabs", "fld tword [A]\nfabs");
add("one", "frndint", "fld tword [A]\nfrndint");
add("one", "fxtract", "fld tword [A]\nfxtract");
add("two", "fscale", `${LD2}\nfscale`);
add("two", "fprem", `${LD2}\nfprem`);
add("two", "fprem1", `${LD2}\nfprem1`);
add("const", "fld1", "fld1");
add("const", "fldl2t", "fldl2t");
add("const", "fldl2e", "fldl2e");
add("const", "fldpi", "fldpi");
add("const", "fldlg2", "fldlg2");
add("const", "fldln2", "fldln2");
add("const", "fldz", "fldz");
add("stack", "fxch", `fld tword [C]\n${LD2}\nfxch st2`);
add("stack", "ffree", `fld tword [C]\n${LD2}\nffree st1`);
add("stack", "fincstp", `fld tword [C]\n${LD2}\nfincstp`);
add("stack", "fdecstp", `${LD2}\nfdecstp`);
add("stack", "fxam empty", "fxam");
add("stack", "fcom empty", "fld tword [A]\nfcom st2");
add("stack", "fxch empty", "fld tword [A]\nfxch st3");
add("stack", "fcomi empty", "fld tword [A]\nfcomi st0, st3");
add("stack", "fucomip empty", "fucomip st0, st1");
add("stack", "fcmove empty", "fld tword [A]\nfcmove st0, st4");
add("stack", "ffreep", `fld tword [C]\n${LD2}\nffreep st1`);
add("stack", "fstp st(i) empty", "fld tword [A]\nfstp st0\nfstp st3");
add("stack", "fld st(i) empty", "fld tword [A]\nfld st4");
add("stack", "fchs empty", "fchs");
add("stack", "fsqrt empty", "fsqrt");
add("stack", "fprem empty st1", "fld tword [A]\nfprem");
add("stack", "fxtract full", `fld tword [A]\n${"fld st0\n".repeat(7)}fxtract`);
add("stack", "fptan full", `fld tword [A]\n${"fld st0\n".repeat(7)}fptan`);
add("stack", "fsincos full", `fld tword [A]\n${"fld st0\n".repeat(7)}fsincos`);
// Encodings the SDM marks reserved but the processor executes as aliases.
add("alias", "fstp1 (d9 d8+i)", `fld tword [C]\n${LD2}\ndb 0xd9, 0xda`);
add("alias", "fxch4 (dd c8+i)", `fld tword [C]\n${LD2}\ndb 0xdd, 0xca`);
add("alias", "fxch7 (df c8+i)", `fld tword [C]\n${LD2}\ndb 0xdf, 0xc9`);
add("alias", "fstp8 (df d0+i)", `fld tword [C]\n${LD2}\ndb 0xdf, 0xd2`);
add("alias", "fstp9 (df d8+i)", `fld tword [C]\n${LD2}\ndb 0xdf, 0xd9`);
add("alias", "fcom2 (dc d0+i)", `fld tword [C]\n${LD2}\ndb 0xdc, 0xd2`);
add("alias", "fcomp3 (dc d8+i)", `fld tword [C]\n${LD2}\ndb 0xdc, 0xd9`);
add("alias", "fcomp5 (de d0+i)", `fld tword [C]\n${LD2}\ndb 0xde, 0xd2`);
add("alias", "fneni fndisi fnsetpm", `${LD2}\ndb 0xdb, 0xe0, 0xdb, 0xe1, 0xdb, 0xe4`);
add("cw", "fldcw/fnstcw reserved bits", "fldcw [A]\nfnstcw [MEM]\nfldcw [CW]");
for (const cc of ["b", "e", "be", "u", "nb", "ne", "nbe", "nu"]) add("fcmov", `fcmov${cc}`, `${LD2}\nfcmov${cc} st0, st1`);

const skip = toolsMissing(true);
describe.skipIf(skip)("x87 comparisons and exact operations match the host CPU", () => {
  const check = compareWithHost(kernels);

  it("comparisons set C3 C2 C0 or ZF PF CF (OF SF AF cleared)", () => {
    const r = new Rng(21);
    const cases: Case[] = [];
    for (let n = 0; n < 8000 * SCALE; n++) {
      const g = r.pick(["cmp", "cmp", "cmp32", "cmp64", "cmpi", "cmpi16"]);
      const a = genF80(r);
      const b = g === "cmp" ? (r.int(4) === 0 ? a : genF80(r)) : g === "cmp32" ? genF32(r) : g === "cmp64" ? genF64(r) : genInt(r, g === "cmpi" ? 32 : 16);
      cases.push(mkCase(r.pick(groups[g]), genCw(r), a, b, undefined, r.bool() ? 0x8d7 : 0x2));
    }
    check(cases);
  });
  it("single-operand operations: FTST FXAM FCHS FABS FRNDINT FXTRACT", () => {
    const r = new Rng(22);
    const cases: Case[] = [];
    for (let n = 0; n < 8000 * SCALE; n++) cases.push(mkCase(r.pick(groups.one), genCw(r), genF80(r)));
    check(cases);
  });
  it("FSCALE, FPREM and FPREM1 including partial remainders", () => {
    const r = new Rng(23);
    const cases: Case[] = [];
    for (let n = 0; n < 9000 * SCALE; n++) {
      const k = r.pick(groups.two);
      const name = kernels[k].name;
      let a = genF80(r), b = genF80(r);
      if (name === "fscale" && r.int(3) > 0) b = f80((r.bool() ? 0x8000 : 0) | (0x3fff + r.int(17)), INT | (r.u64() >> 1n));
      if (name !== "fscale" && r.int(3) > 0) {
        const ea = 0x3fff + r.int(200) - 20;
        a = f80((r.bool() ? 0x8000 : 0) | ea, INT | (r.u64() >> 1n));
        b = f80((r.bool() ? 0x8000 : 0) | (ea - r.int(140) + 2), r.bool() ? INT : INT | (r.u64() >> 1n));
      }
      cases.push(mkCase(k, genCw(r), a, b));
    }
    check(cases);
  });
  it("constants round by RC", () => {
    const cases: Case[] = [];
    for (const k of groups.const) for (const cw of ALL_RC_CWS) for (const pc of [0, 0x200]) cases.push(mkCase(k, cw & ~0x300 | pc | 0x200, f80(0, 0n)));
    check(cases);
  });
  it("stack manipulation and empty-register responses", () => {
    const r = new Rng(24);
    const cases: Case[] = [];
    for (let n = 0; n < 400 * SCALE; n++) cases.push(mkCase(r.pick(groups.stack), genCw(r), genF80(r), genF80(r), genF80(r)));
    check(cases);
  });
  it("aliases of reserved encodings, and the control word's reserved bits", () => {
    const r = new Rng(26);
    const cases: Case[] = [];
    for (let n = 0; n < 300 * SCALE; n++) cases.push(mkCase(r.pick(groups.alias), genCw(r), genF80(r), genF80(r), genF80(r)));
    for (let n = 0; n < 300 * SCALE; n++) {
      const a = new Uint8Array(16);
      a[0] = r.u32() & 0xff; a[1] = r.u32() & 0xff;
      cases.push(mkCase(groups.cw[0], genCw(r), a));
    }
    check(cases);
  });
  it("precision control 01 (reserved) leaves the exact operations alone", () => {
    const r = new Rng(27);
    const cases: Case[] = [];
    for (let n = 0; n < 300 * SCALE; n++) cases.push(mkCase(r.pick(groups.two.concat(groups.one)), 0x17f | (r.int(4) << 10), genF80(r), genF80(r)));
    check(cases);
  });
  it("FCMOVcc follows CF ZF PF", () => {
    const r = new Rng(25);
    const cases: Case[] = [];
    for (let n = 0; n < 400 * SCALE; n++) cases.push(mkCase(r.pick(groups.fcmov), 0x37f, genF80(r), genF80(r), undefined, 0x2 | (r.u32() & 0x45)));
    check(cases);
  });
});
