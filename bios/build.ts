// `npm run build:bios`: writes build/bios.bin from our sources (runs at npm install).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildBiosRom } from "./rom";

const out = join(resolve(import.meta.dirname, ".."), "build");
mkdirSync(out, { recursive: true });
const rom = buildBiosRom();
writeFileSync(join(out, "bios.bin"), rom.image);
console.log(`built build/bios.bin (${rom.image.length} bytes, ${rom.stubs.length} service stubs)`);
