// System tests against qemu-system-i386: each ROM in test/roms switches to protected mode and
// logs its results to the debug console (port 0xE9). lab86 (through `lab86 run --bios`) must
// write exactly the log QEMU writes. See docs/TESTING.md.
//
// Tie-break rule: QEMU's TCG has known protected-mode corner bugs. When lab86 and QEMU disagree
// the failure message includes what Bochs logs for the same ROM, and which of the two it agrees
// with. A ROM whose reference is Bochs instead of QEMU says so in `reference` with the reason.
import { describe, it, expect, beforeAll } from "vitest";
import { existsSync } from "node:fs";
import { assembleFile, nasmCheck } from "../../support/nasm";
import { bochsCheck, qemuCheck, runBochs, runQemu, type RomRun } from "../../support/qemu";
import { missingTool } from "../../support/nasm";
import { runLab86, LAB86_CLI } from "./run-lab86";

interface RomSpec {
  file: string;
  what: string;
  /** The reference machine; "bochs" only with a comment saying where QEMU is wrong. */
  reference?: "qemu" | "bochs";
  /** Added to QEMU's command line, with a comment saying why the ROM needs it. */
  qemuArgs?: string[];
  /**
   * Where QEMU departs from the SDM and Bochs cannot stand in (e.g. fields at QEMU's own offsets):
   * each `qemu` text of QEMU's log is replaced by the `sdm` text, the value the SDM requires,
   * before the logs are compared. QEMU's log must contain every `qemu` text, so a QEMU that stops
   * departing fails the test until the entry is removed.
   */
  qemuDepartures?: { qemu: string; sdm: string }[];
}

const ROMS: RomSpec[] = [
  { file: "test/roms/hello.asm", what: "protected-mode entry, logging, a resumed #UD" },
  { file: "test/roms/acceptance.asm", what: "acceptance: paging, ring 3, system calls through gates, demand paging, a killed program, a ring-3 hardware task" },
  { file: "test/roms/paging.asm", what: "paging: A/D bits, #PF error codes and CR2, WP, PSE, INVLPG, REP MOVS progress" },
  { file: "test/roms/segments.asm", what: "segment loads: every GDT/LDT selector into DS and SS, error codes, LAR/LSL" },
  { file: "test/roms/gates.asm", what: "privilege: call gates, conforming code, INT n DPL, ring-3 #GP cases, LAR/LSL/VERR/VERW" },
  { file: "test/roms/tasks.asm", what: "task switches: JMP/CALL/IRET, GDT and IDT task gates, busy bits, link, LDT, CR0.TS" },
  { file: "test/roms/v86.asm", what: "virtual-8086 mode: IRET entry, interrupt frame, IOPL 3 and 0, I/O bitmap, a V86 monitor" },
  { file: "test/roms/sysenter.asm", what: "SYSENTER/SYSEXIT: derived selectors, MSR stack and entry, IF, #GP cases" },
  { file: "test/roms/smc.asm", what: "self-modifying code, code changed through an alias mapping, fetch #PF across a page" },
  // QEMU TCG sets no accessed bit when IRET or a far call loads CS, does not fault on a memory
  // reference through a null selector, and checks no data, stack or code-fetch segment limits in
  // 32-bit protected mode; Bochs follows the SDM on all of them (QEMU 7.2, Bochs 2.7).
  { file: "test/roms/corners.asm", what: "accessed bits, null-selector #GP, segment limits (#GP, #SS)", reference: "bochs" },
  // QEMU TCG: no EXT bit in #NP during #UD delivery, pops the x87 stack on an unmasked #Z, no
  // #XM, no #AC; Bochs follows the SDM (see the ROM's header).
  // QEMU ignores CR4.VME (see the ROM's header).
  { file: "test/roms/vme.asm", what: "V86 mode extensions: VIF, PUSHF image, INT redirection bitmap, monitor #GP", reference: "bochs" },
  // QEMU takes the IRQ at the STI with no shadow (see the ROM's header).
  { file: "test/roms/irq.asm", what: "hardware interrupts: STI shadow, STI;HLT, POPF and IRET setting IF", reference: "bochs" },
  // QEMU raises #UD for ICEBP (see the ROM's header).
  { file: "test/roms/debug.asm", what: "debug exceptions: TF steps, MOV SS shadow, ICEBP, DR0-DR2 breakpoints, RF, DR7.GD", reference: "bochs" },
  // QEMU TCG reports reserved-bit page faults without the P bit (see the ROM's header).
  { file: "test/roms/pae.asm", what: "PAE paging: 2 MiB and 4 KiB pages, A/D, RSVD faults, execute-disable", reference: "bochs" },
  // QEMU TCG checks no segment limits in real mode (see the ROM's header).
  { file: "test/roms/realmode.asm", what: "real mode: IVT, exceptions, limit checks, unreal mode, A20", reference: "bochs" },
  { file: "test/roms/exceptions.asm", what: "gates and IF, fault/trap EIPs, IDT errors, EXT bit, #DF, #NM, #MF, #XM, #AC", reference: "bochs" },
  {
    file: "test/roms/smm.asm",
    what: "SMM: SMIs in real mode, paged protected mode, HLT, ring 3, V86 mode and in SMM; the state save map, the SMM environment, SMBASE relocation, RSM, SMRAM",
    // -icount: without it QEMU's TCG takes the SMI that an APMC write raises only at the end of
    // the translation block, several instructions after the OUT; with it an I/O instruction ends
    // its block and the SMI is taken right after the OUT, as on hardware (SMI# from an I/O write
    // is what I/O instruction restart, SDM Vol. 3C 34.12, is about). -device VGA: with
    // -nodefaults nothing claims A0000h-BFFFFh outside SMM and QEMU then shows the DRAM under
    // closed SMRAM; the VGA owns that window on a PC (and in lab86).
    qemuArgs: ["-icount", "shift=0", "-device", "VGA"],
    qemuDepartures: [
      // QEMU 7.2 never writes the auto HALT restart field; the ROM pre-fills it with bit 0 set
      // before SMIs 1, 2, 4 and 5 and clear before SMI 3 (taken in HLT). SDM Vol. 3C 34.10: on
      // SMI the processor sets bit 0 when it was halted and clears it otherwise.
      { qemu: "(SMI 01) bit 0=00000001", sdm: "(SMI 01) bit 0=00000000" },
      { qemu: "(SMI 02) bit 0=00000001", sdm: "(SMI 02) bit 0=00000000" },
      { qemu: "(SMI 03) bit 0=00000000", sdm: "(SMI 03) bit 0=00000001" },
      { qemu: "(SMI 04) bit 0=00000001", sdm: "(SMI 04) bit 0=00000000" },
      { qemu: "(SMI 05) bit 0=00000001", sdm: "(SMI 05) bit 0=00000000" },
      // The saved segment caches (QEMU's offsets, which lab86 shares): QEMU caches CS without the
      // accessed bit after the far JMP that loads it, and TR without the busy bit LTR sets. The
      // processor's caches hold the descriptor as marked (SDM Vol. 3A 3.4.5.1, LTR in Vol. 2;
      // VM entry requires an accessed CS type and a busy TR type, Vol. 3C 26.3.1.2).
      { qemu: " cs=0000c09a/", sdm: " cs=0000c09b/" },
      { qemu: " tr=00000089/", sdm: " tr=0000008b/" },
    ],
  },
];

/** QEMU's log with its documented departures from the SDM replaced by the SDM's values. */
function withSdmValues(rom: RomSpec, log: string): string {
  let out = log;
  for (const d of rom.qemuDepartures ?? []) {
    if (!out.includes(d.qemu)) throw new Error(`${rom.file}: QEMU's log no longer contains "${d.qemu}": if QEMU now follows the SDM there, remove that entry of qemuDepartures\n--- QEMU log ---\n${log}`);
    out = out.split(d.qemu).join(d.sdm);
  }
  return out;
}

function lineDiff(want: string, got: string): string {
  const a = want.split("\n");
  const b = got.split("\n");
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    out.push(`line ${i + 1}:\n  reference: ${a[i] ?? "(missing)"}\n  lab86:     ${b[i] ?? "(missing)"}`);
    if (out.length >= 8) break;
  }
  return out.join("\n");
}

function failureReport(rom: RomSpec, ref: RomRun, lab: RomRun, bochs?: RomRun): string {
  let tie = "";
  if (bochs) {
    const agrees = bochs.log === lab.log ? "lab86" : bochs.log === ref.log ? "QEMU" : "neither";
    tie = `\nBochs tie-break: Bochs agrees with ${agrees}.${agrees === "lab86" ? " This is probably a QEMU TCG bug: switch the ROM's reference to bochs with a comment." : ""}\n--- Bochs log ---\n${bochs.log}`;
  }
  return `${rom.file}: lab86's log differs from the reference (lab86 exit status ${lab.status}${lab.stderr ? `, stderr: ${lab.stderr.trim()}` : ""})\n${lineDiff(ref.log, lab.log)}\n--- reference log ---\n${ref.log}--- lab86 log ---\n${lab.log}${tie}`;
}

const skip = missingTool(nasmCheck()) || missingTool(qemuCheck());
const noBochs = !skip && missingTool(bochsCheck());

interface RomResults {
  forLab86: Uint8Array;
  ref: RomRun;
  lab: RomRun;
}

// Two ROMs at a time (each runs a reference machine and lab86 in parallel): the machine has two
// cores.
function runAll(roms: RomSpec[]): Map<string, Promise<RomResults>> {
  const out = new Map<string, Promise<RomResults>>();
  let chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  roms.forEach((rom, i) => {
    const slot = i % 2;
    const p = chain[slot].then(async () => {
      const forQemu = assembleFile(rom.file, { defines: { QEMU_EXIT: 1 } });
      const forLab86 = assembleFile(rom.file);
      const [ref, lab] = await Promise.all([rom.reference === "bochs" ? runBochs(forLab86) : runQemu(forQemu, { args: rom.qemuArgs }), runLab86(forLab86)]);
      return { forLab86, ref, lab };
    });
    chain[slot] = p.catch(() => undefined);
    out.set(rom.file, p);
  });
  return out;
}

describe.skipIf(skip)("system ROMs: lab86 vs QEMU (or Bochs where noted)", () => {
  const runnable = ROMS.filter((r) => !(r.reference === "bochs" && noBochs));
  let results: Map<string, Promise<RomResults>>;
  beforeAll(() => {
    if (!existsSync(LAB86_CLI)) throw new Error(`${LAB86_CLI} is missing`);
    results = runAll(runnable);
  });
  for (const rom of ROMS) {
    it.skipIf(rom.reference === "bochs" && noBochs)(`${rom.file.replace("test/roms/", "")}: ${rom.what}`, async () => {
      const { forLab86, ref: run, lab } = await results.get(rom.file)!;
      const refName = rom.reference === "bochs" ? "Bochs" : "QEMU";
      // The reference itself must have run the ROM to its end.
      expect(run.log, `${refName} run of ${rom.file}: ${run.stderr}`).toMatch(/DONE\n$/);
      expect(run.log).not.toContain("FATAL");
      const ref = { ...run, log: withSdmValues(rom, run.log) };
      if (lab.log !== ref.log) {
        const bochs = rom.reference !== "bochs" && bochsCheck().ok ? await runBochs(forLab86, { timeoutSec: 15 }) : undefined;
        throw new Error(failureReport(rom, ref, lab, bochs));
      }
      // CLI; HLT at the end: `lab86 run` exits 0.
      expect(lab.status).toBe(0);
    });
  }
});

// The tie-break machine must itself be usable: Bochs runs a ROM to its end and agrees with QEMU
// on the basic one.
describe.skipIf(skip || noBochs)("system ROMs: the Bochs tie-break", () => {
  it("Bochs runs hello.asm and logs what QEMU logs", async () => {
    const forQemu = assembleFile("test/roms/hello.asm", { defines: { QEMU_EXIT: 1 } });
    const forBochs = assembleFile("test/roms/hello.asm");
    const bochs = await runBochs(forBochs, { timeoutSec: 20 });
    expect(bochs.log).toMatch(/DONE\n$/);
    expect(bochs.log).toBe((await runQemu(forQemu)).log);
  });
});
