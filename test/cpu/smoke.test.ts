import { describe, it, expect } from "vitest";
import { bareCpu } from "../support/cpu";
import * as L from "../../asm/layout";

describe("CPU boundary", () => {
  it("fetches from the reset vector through the ROM mapping and stops at HLT", async () => {
    const rom = new Uint8Array(0x10000).fill(0x90);
    rom[0xfff5] = 0xf4; // NOPs from FFF0, then HLT
    const { cpu } = await bareCpu(rom);
    const reason = cpu.run(1000);
    expect(reason).toBe(L.EXIT_HLT_NOIRQ);
    expect(cpu.eip).toBe(0xfff6);
  });
});
