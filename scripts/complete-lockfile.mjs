// npm 11's `npm ci` checks that every package named in a dependency's optionalDependencies has a
// lockfile entry, but npm on a machine configured like ours records only the current platform's
// native packages (npm/cli#4828). This adds the missing entries (version, os, cpu, optional), which
// `npm ci` then skips on platforms they don't match. Run after changing dependencies:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

// Platform of a native package from its name (rollup, esbuild and friends name them this way).
// The registry reachable here serves only the packages for this machine's platform, so the
// metadata cannot be looked up; npm ci never fetches entries whose os/cpu don't match.
function platformOf(name) {
  const n = name.split("/").pop();
  const os = ["android", "darwin", "freebsd", "linux", "openbsd", "netbsd", "openharmony", "sunos", "win32", "aix"].find((o) => n.includes(o));
  const cpuMap = [["arm-eabi", "arm"], ["arm-gnueabihf", "arm"], ["arm-musleabihf", "arm"], ["arm64", "arm64"], ["ia32", "ia32"], ["x64", "x64"],
    ["loong64", "loong64"], ["ppc64", "ppc64"], ["riscv64", "riscv64"], ["s390x", "s390x"], ["mips64el", "mips64el"], ["arm", "arm"], ["wasm32", "wasm32"]];
  const cpu = cpuMap.find(([k]) => n.endsWith(k) || n.includes(`-${k}-`))?.[1];
  const libc = n.endsWith("-musl") || n.includes("musleabihf") ? "musl" : n.endsWith("-gnu") || n.includes("gnueabihf") ? "glibc" : undefined;
  return { os, cpu, libc };
}

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const pkgs = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (pkgs[key] || pkgs[`${path}/node_modules/${name}`]) continue;
    const version = range.replace(/^[\^~=]/, "");
    const { os, cpu, libc } = platformOf(name);
    if (!os || !cpu) throw new Error(`cannot tell the platform of ${name}`);
    pkgs[key] = { version, cpu: [cpu], ...(libc ? { libc: [libc] } : {}), optional: true, os: [os] };
    added++;
  }
}
// Keep the packages object sorted as npm writes it.
lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
writeFileSync("package-lock.json", JSON.stringify(lock, null, 2) + "\n");
console.log(`added ${added} optional platform entries`);
