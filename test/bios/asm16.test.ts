// The BIOS's own 16-bit assembler must encode exactly what nasm (the reference) encodes.
import { describe, it, expect } from "vitest";
import { Asm16, AX, BX, CX, DX, SI, DI, BP, SP, DS, ES, SS } from "../../bios/asm16";
import { assemble, nasmMissing } from "../support/nasm";
import { buildBiosRom } from "../../bios/rom";
import { readServiceTable, Service } from "../../bios/services";

describe.skipIf(nasmMissing())("asm16 encodings match nasm", () => {
  it("every instruction form the ROM uses", () => {
    const a = new Asm16(0x100);
    a.label("top").cli().sti().cld().hlt().iret().retf().retf(6).ret().pushf().popf();
    for (const r of [AX, CX, DX, BX, SP, BP, SI, DI]) a.pushReg(r).popReg(r);
    a.pushSeg(ES).pushSeg(SS).pushSeg(DS).popSeg(ES).popSeg(DS);
    a.movRegImm(DX, 0x0ee0).movRegImm(SI, 0x1234).movAlImm(0x20).movSegReg(DS, AX).movSegReg(ES, BX).movRegReg(BX, CX);
    a.outDxAl().outImmAl(0x20).inAlImm(0x60).int(0x1c).jmpFar(0xf000, 0xe05b);
    a.jmpShort("top").jmp("top").jcc(0x4, "fwd").call("fwd").label("fwd").dwLabel("top").db(1, 2).dw(0xbeef);
    const nasm = assemble(`
      bits 16
      org 0x100
      top: cli
      sti
      cld
      hlt
      iret
      retf
      retf 6
      ret
      pushf
      popf
      ${["ax", "cx", "dx", "bx", "sp", "bp", "si", "di"].map((r) => `push ${r}\npop ${r}`).join("\n")}
      push es
      push ss
      push ds
      pop es
      pop ds
      mov dx, 0x0ee0
      mov si, 0x1234
      mov al, 0x20
      mov ds, ax
      mov es, bx
      mov bx, cx
      out dx, al
      out 0x20, al
      in al, 0x60
      int 0x1c
      jmp 0xf000:0xe05b
      jmp short top
      jmp near top
      jz fwd
      call fwd
      fwd: dw top
      db 1, 2
      dw 0xbeef
    `);
    expect(Array.from(a.assemble())).toEqual(Array.from(nasm));
  });
});

describe("BIOS ROM image", () => {
  it("is 64 KiB with the reset vector jumping to POST and a service table naming every stub", () => {
    const rom = buildBiosRom();
    expect(rom.image.length).toBe(0x10000);
    // F000:FFF0 holds JMP FAR F000:post (EA, offset, segment F000).
    expect(rom.image[0xfff0]).toBe(0xea);
    expect(rom.image[0xfff3] | (rom.image[0xfff4] << 8)).toBe(0xf000);
    const post = rom.image[0xfff1] | (rom.image[0xfff2] << 8);
    const table = readServiceTable(rom.image)!;
    const postStub = [...table.values()].find((s) => s.id === Service.Post)!;
    expect(post).toBe(postStub.entryOffset);
    // Each trapping stub's call offset holds OUT DX,AL (EE) and its wait loop starts STI (FB) or CLI (FA).
    for (const s of table.values()) {
      if (s.id === Service.Iret) {
        expect(rom.image[s.entryOffset]).toBe(0xcf);
        continue;
      }
      expect(rom.image[s.callOffset]).toBe(0xee);
      expect([0xfb, 0xfa]).toContain(rom.image[s.waitOffset]);
    }
    expect(new Set([...table.values()].map((s) => s.id)).size).toBe(table.size);
  });
});
