// Debug traps inside repeated string instructions (SDM Vol. 3A 17.3.1): a single-step or data
// breakpoint trap is taken after the iteration that caused it, with EIP still at the instruction
// (so IRET resumes it) and the registers of the iterations done so far; while the instruction is
// suspended between iterations RF is set, so the pushed EFLAGS has RF=1 and an instruction
// breakpoint on it does not fire again when it resumes.
import { describe, it, expect } from "vitest";
import { pm, OUT } from "./sys";
import { nasmMissing } from "../../support/nasm";

// The #DB handler logs, per trap: the return EIP, the pushed EFLAGS, ECX and EDI.
const LOGGING_HANDLER = `
    dbh:
      push eax
      push ebx
      mov eax, [OUTA]
      shl eax, 4
      mov ebx, [esp + 8]
      mov [OUTA + 0x40 + eax], ebx
      mov ebx, [esp + 16]
      mov [OUTA + 0x44 + eax], ebx
      mov [OUTA + 0x48 + eax], ecx
      mov [OUTA + 0x4c + eax], edi
      inc dword [OUTA]
      mov eax, dr6
      mov [OUTA + 4], eax
      pop ebx
      pop eax
      iretd
`;

function trap(s: Awaited<ReturnType<typeof pm>>, i: number) {
  const base = OUT + 0x40 + i * 16;
  return { eip: s.r32(base), eflags: s.r32(base + 4), ecx: s.r32(base + 8), edi: s.r32(base + 12) };
}

describe.skipIf(nasmMissing())("debug traps inside REP string instructions", () => {
  it("single-step traps after each iteration with EIP at the instruction and RF set in the image", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov dword [OUTA], 0
      mov dword [OUTA + 8], rep1
      mov dword [OUTA + 12], after
      mov esi, 0x5000
      mov edi, 0x6000
      mov ecx, 3
      cld
      pushfd
      or dword [esp], 0x100
      popfd
    rep1:
      rep movsb
    after:
      pushfd
      and dword [esp], ~0x100
      popfd
      hlt
    ${LOGGING_HANDLER}
    `, "", { slices: 200 });
    const rep1 = s.r32(OUT + 8), after = s.r32(OUT + 12);
    // Three iterations, then PUSHFD, AND and the POPF that clears TF.
    expect(s.r32(OUT)).toBe(6);
    const t = [0, 1, 2].map((i) => trap(s, i));
    expect(t.map((x) => x.eip)).toEqual([rep1, rep1, after]);
    expect(t.map((x) => x.ecx)).toEqual([2, 1, 0]);
    expect(t.map((x) => x.edi)).toEqual([0x6001, 0x6002, 0x6003]);
    // RF is set while the instruction is suspended, clear once it completed.
    expect(t.map((x) => (x.eflags >>> 16) & 1)).toEqual([1, 1, 0]);
    expect(s.r32(OUT + 4) & 0x4000).toBe(0x4000); // BS
  });

  it("a data write breakpoint traps after the iteration that wrote it; the instruction then resumes", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov dword [OUTA], 0
      mov dword [OUTA + 8], rep1
      mov eax, 0x5004
      mov dr0, eax
      mov eax, 0x000d0001       ; L0, R/W0 = 01 (write), LEN0 = 11 (4 bytes)
      mov dr7, eax
      mov edi, 0x5000
      mov ecx, 4
      mov eax, 0x11223344
      cld
    rep1:
      rep stosd
      mov [OUTA + 12], ecx
      mov [OUTA + 16], edi
      hlt
    ${LOGGING_HANDLER}
    `, "", { slices: 200 });
    expect(s.r32(OUT)).toBe(1);
    const t = trap(s, 0);
    expect(t.eip).toBe(s.r32(OUT + 8)); // still at the REP STOSD
    expect(t.ecx).toBe(2); // after the second iteration, which wrote 0x5004
    expect(t.edi).toBe(0x5008);
    expect((t.eflags >>> 16) & 1).toBe(1);
    expect(s.r32(OUT + 4) & 0xf).toBe(1); // B0
    // Resumed and finished.
    expect(s.r32(OUT + 12)).toBe(0);
    expect(s.r32(OUT + 16)).toBe(0x5010);
    for (let a = 0x5000; a < 0x5010; a += 4) expect(s.r32(a)).toBe(0x11223344);
  });

  it("an instruction breakpoint on a long REP STOSB faults once, not again at each restart", async () => {
    const s = await pm(`
      SET_GATE 1, dbh, 0x8e00
      mov dword [OUTA], 0
      mov eax, rep1
      mov dr0, eax
      mov eax, 0x00000001       ; L0, R/W0 = 00 (execute)
      mov dr7, eax
      mov edi, 0x10000
      mov ecx, 3000
      mov al, 0x5a
      cld
    rep1:
      rep stosb
      mov [OUTA + 12], ecx
      hlt
    dbh:
      inc dword [OUTA]
      or dword [esp + 8], 0x10000   ; resume with RF, as a debugger does
      iretd
    `, "", { slices: 200 });
    expect(s.r32(OUT)).toBe(1);
    expect(s.r32(OUT + 12)).toBe(0);
    expect(s.r32(0x10000 + 2999) & 0xff).toBe(0x5a);
  });
});
