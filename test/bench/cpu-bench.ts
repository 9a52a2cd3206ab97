// Interpreter throughput: runs a fixed guest instruction mix (ALU, loads and stores through the
// TLB, string instructions, branches, calls) on the release build and prints MIPS.
// Run with `npm run bench:cpu` after `npm run build:wasm`. Instructions are counted as retired
// architectural instructions: a REP string instruction counts once, however many iterations.
import { readFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Cpu } from "../../src/machine/cpu";
import * as L from "../../asm/layout";

const WASM = "build/cpu.wasm";
const CODE = 0x10000;
const OUTER = 200_000;

// Each outer iteration: 16 inner loop passes of 13 instructions, a call with 5 instructions in
// the callee, a REP MOVSD of 16 dwords, a REP STOSB of 32 bytes, plus loop overhead.
const SOURCE = `
bits 32
org ${CODE}
  mov esp, 0x80000
  mov ebp, ${OUTER}
outer:
  mov esi, 0x100000
  mov edi, 0x140000
  mov ecx, 16
inner:
  mov eax, [esi]
  add eax, ecx
  mov [edi], eax
  xor edx, eax
  shl edx, 1
  lea esi, [esi+4]
  add edi, 4
  cmp eax, 0x12345678
  je never
  movzx ebx, byte [esi+1]
  sub ebx, edx
  dec ecx
  jnz inner
  push ebx
  call func
  add esp, 4
  mov esi, 0x100000
  mov edi, 0x180000
  mov ecx, 16
  cld
  rep movsd
  mov ecx, 32
  mov al, 0x5a
  rep stosb
  test ebp, 1
  setnz dl
  dec ebp
  jnz outer
  hlt
never:
  ud2
func:
  push ebp
  mov ebp, esp
  mov eax, [ebp+8]
  imul eax, eax, 3
  pop ebp
  ret
`;

function assemble(src: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab86-bench-"));
  try {
    writeFileSync(join(dir, "b.asm"), src);
    const r = spawnSync("nasm", ["-f", "bin", "-o", join(dir, "b.bin"), join(dir, "b.asm")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
    return new Uint8Array(readFileSync(join(dir, "b.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!existsSync(WASM)) throw new Error(`${WASM} is missing: run 'npm run build:wasm'`);
  const cpu = await Cpu.create(readFileSync(WASM), 16 << 20, 0, {
    ioRead: () => 0xffffffff, ioWrite: () => {}, mmioRead: () => 0xffffffff, mmioWrite: () => {}, intrAck: () => 0x20,
  });
  cpu.mapPhys(0, cpu.ramBytes, cpu.ramOffset, 0);
  cpu.reset();
  cpu.ram().set(assemble(SOURCE), CODE);
  cpu.set(L.CR0, cpu.get(L.CR0) | 1);
  for (let s = 0; s < 6; s++) cpu.setSeg(s, s === L.SEG_CS ? 8 : 0x10, 0, 0xffffffff, s === L.SEG_CS ? 0x409b : 0x4093);
  cpu.eip = CODE;
  (cpu.exports.afterStateLoad as () => void)();
  const before = cpu.dv.getBigUint64(L.INSN_COUNT, true);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let exit = L.EXIT_BUDGET;
  while (exit === L.EXIT_BUDGET) exit = cpu.run(1_000_000);
  const t1 = process.hrtime.bigint();
  const c1 = process.cpuUsage(c0);
  if (exit !== L.EXIT_HLT_NOIRQ) throw new Error(`benchmark ended with exit reason ${exit} at EIP ${cpu.eip.toString(16)}`);
  const insns = Number(cpu.dv.getBigUint64(L.INSN_COUNT, true) - before);
  const secs = Number(t1 - t0) / 1e9;
  // CPU time of this process is also shown: on a shared machine wall time includes waiting.
  const cpuSecs = (c1.user + c1.system) / 1e6;
  console.log(`${insns} instructions in ${secs.toFixed(3)} s: ${(insns / secs / 1e6).toFixed(1)} MIPS ` +
    `(${(insns / cpuSecs / 1e6).toFixed(1)} MIPS per CPU second)`);
}

main().catch((e) => { console.error(e); process.exit(1); });
