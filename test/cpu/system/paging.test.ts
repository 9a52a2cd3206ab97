// Paging as the system unit drives it (SDM Vol. 3A chapter 4): #PF error codes and CR2, CR0.WP,
// user/supervisor, accessed and dirty bits, INVLPG and CR3 reloads, 4 MiB pages, PAE with NX,
// and a page fault while delivering a page fault (#DF).
import { describe, it, expect } from "vitest";
import { pm, OUT, L, VEC, ERR, EIPR, COUNT } from "./sys";
import { nasmMissing } from "../../support/nasm";

const PD = 0x10000, PT = 0x11000;

// Identity-map the first 4 MiB with 4 KiB user-writable pages (PD at 0x10000, PT at 0x11000).
const PAGING_ON = `
      mov edi, ${PT}
      mov eax, 0x007
      mov ecx, 1024
    .fill:
      mov [edi], eax
      add eax, 0x1000
      add edi, 4
      loop .fill
      mov dword [${PD}], ${PT} | 7
      mov eax, ${PD}
      mov cr3, eax
      mov eax, cr0
      or eax, 0x80000000
      mov cr0, eax
`;
const pte = (page: number) => `[${PT} + ${page} * 4]`;

describe.skipIf(nasmMissing())("paging", () => {
  it("a not-present page raises #PF with CR2 = the address and P=0 in the error code", async () => {
    const s = await pm(`${PAGING_ON}
      mov dword ${pte(0x200)}, 0
      mov eax, [0x200123]
      hlt
    `);
    expect(s.r32(VEC)).toBe(14);
    expect(s.r32(ERR)).toBe(0);
    expect(s.cpu.get(L.CR2)).toBe(0x200123);
  });

  it("CR0.WP decides whether CPL 0 may write a read-only page", async () => {
    const s = await pm(`${PAGING_ON}
      mov dword ${pte(0x200)}, 0x200005
      mov dword [0x200000], 1
      mov eax, cr0
      or eax, 0x10000
      mov cr0, eax
      mov dword [0x200004], 2
      hlt
    `);
    expect(s.r32(0x200000)).toBe(1);
    expect(s.r32(VEC)).toBe(14);
    expect(s.r32(ERR)).toBe(3); // present, write, supervisor
  });

  it("CPL 3 reading a supervisor page gets error code U|P", async () => {
    const s = await pm(`${PAGING_ON}
      mov dword ${pte(0x200)}, 0x200003
      TO_RING3 r3
    r3:
      mov eax, [ss:0x200010]
      hlt
    `);
    expect(s.r32(VEC)).toBe(14);
    expect(s.r32(ERR)).toBe(5);
    expect(s.cpu.get(L.CR2)).toBe(0x200010);
  });

  it("sets the accessed bit on reads and the dirty bit on writes, in PDE and PTE", async () => {
    const s = await pm(`${PAGING_ON}
      mov eax, [0x201000]
      mov dword [0x202000], 7
      mov eax, ${pte(0x201)}
      mov [OUTA], eax
      mov eax, ${pte(0x202)}
      mov [OUTA + 4], eax
      mov eax, [${PD}]
      mov [OUTA + 8], eax
      hlt
    `);
    expect(s.r32(OUT) & 0x60).toBe(0x20);
    expect(s.r32(OUT + 4) & 0x60).toBe(0x60);
    expect(s.r32(OUT + 8) & 0x20).toBe(0x20);
  });

  it("INVLPG and a CR3 reload make a changed PTE take effect", async () => {
    const s = await pm(`${PAGING_ON}
      mov dword [0x300000], 0x33
      mov dword [0x301000], 0x44
      mov eax, [0x200000]
      mov dword ${pte(0x200)}, 0x300007
      invlpg [0x200000]
      mov eax, [0x200000]
      mov [OUTA], eax
      mov dword ${pte(0x200)}, 0x301007
      mov eax, cr3
      mov cr3, eax
      mov eax, [0x200000]
      mov [OUTA + 4], eax
      hlt
    `);
    expect(s.r32(OUT)).toBe(0x33);
    expect(s.r32(OUT + 4)).toBe(0x44);
  });

  it("4 MiB pages with CR4.PSE", async () => {
    const s = await pm(`
      mov eax, 0x10
      mov cr4, eax
      mov dword [${PD}], 0x000087         ; 0-4 MiB identity
      mov dword [${PD} + 4], 0x000087     ; 4-8 MiB -> 0-4 MiB
      mov eax, ${PD}
      mov cr3, eax
      mov eax, cr0
      or eax, 0x80000000
      mov cr0, eax
      mov dword [0x123450], 0xfeed
      mov eax, [0x523450]
      mov [OUTA], eax
      hlt
    `, "", { ramMiB: 16 });
    expect(s.r32(OUT)).toBe(0xfeed);
  });

  it("PAE with EFER.NXE: fetching from an NX page raises #PF with I/D set", async () => {
    const PDPT = 0x12000, PD2 = 0x13000, PT2 = 0x14000;
    const s = await pm(`
      ; PDPT[0] -> PD2; PD2[0] -> PT2 (64-bit entries); identity-map 2 MiB.
      mov dword [${PDPT}], ${PD2} | 1
      mov dword [${PD2}], ${PT2} | 7
      mov edi, ${PT2}
      mov eax, 0x007
      mov ecx, 512
    .fill:
      mov [edi], eax
      mov dword [edi + 4], 0
      add eax, 0x1000
      add edi, 8
      loop .fill
      mov dword [${PT2} + 0x100 * 8 + 4], 0x80000000  ; page 0x100000: NX
      mov byte [0x100000], 0xc3                     ; RET
      mov ecx, 0xc0000080
      rdmsr
      or eax, 0x800
      wrmsr
      mov eax, 0x20
      mov cr4, eax
      mov eax, ${PDPT}
      mov cr3, eax
      mov eax, cr0
      or eax, 0x80000000
      mov cr0, eax
      mov eax, [0x100000]       ; reading is fine
      mov [OUTA], eax
      call 0x100000
      hlt
    `);
    expect(s.r32(OUT) & 0xff).toBe(0xc3);
    expect(s.r32(VEC)).toBe(14);
    expect(s.r32(ERR)).toBe(0x11); // present, instruction fetch
    expect(s.cpu.get(L.CR2)).toBe(0x100000);
  });

  it("#PF whose frame cannot be pushed (stack page gone) is #DF, and #DF cannot be pushed either: shutdown", async () => {
    const s = await pm(`${PAGING_ON}
      ; Unmap the page holding the ring-0 stack (0x8000-0x8fff): the #PF frame cannot be pushed.
      mov dword ${pte(8)}, 0
      mov eax, cr3
      mov cr3, eax
      mov eax, [0x400000]       ; beyond the mapped 4 MiB
      hlt
    `);
    // The #DF frame cannot be pushed either: the processor shuts down.
    expect(s.exit).toBe(L.EXIT_TRIPLE_FAULT);
  });

  it("#GP whose IDT entry is on a not-present page: #PF (serial), whose entry faults too: #DF", async () => {
    // New IDT base B = 0x3fefa0: entries 0..11 lie on page 0x3fe (mapped, copied from the
    // scaffold's IDT), entries 12.. on page 0x3ff (not present).
    const s = await pm(`${PAGING_ON}
      mov dword ${pte(0x3ff)}, 0
      mov esi, IDT_BASE
      mov edi, 0x3fefa0
      mov ecx, 12 * 2
      rep movsd
      mov word [OUTA], 0x7ff
      mov dword [OUTA + 2], 0x3fefa0
      lidt [OUTA]
      mov ax, 0x1f8
      mov ds, ax
      hlt
    `);
    expect(s.r32(VEC)).toBe(8);
    expect(s.r32(ERR)).toBe(0);
    expect(s.cpu.get(L.CR2)).toBe(0x3fefa0 + 14 * 8); // the second #PF: reading entry 14
  });

  it("PAE: enabling paging with a reserved bit in a present PDPTE raises #GP(0) at the MOV", async () => {
    const s = await pm(`
      mov dword [0x12000], 0x13000 | 1 | 2     ; R/W is reserved in a PDPTE
      mov eax, 0x20
      mov cr4, eax
      mov eax, 0x12000
      mov cr3, eax
      mov eax, cr0
      or eax, 0x80000000
    fault:
      mov cr0, eax
      hlt
    `);
    expect(s.r32(VEC)).toBe(13);
    expect(s.r32(ERR)).toBe(0);
    expect(s.cpu.get(L.CR0) & 0x80000000).toBe(0);
  });
});
