// Lab manifests: the small JSON file a <vm-frame src="..."> (or the app's URL picker) points at,
// naming the boot media and the machine's size. Validation is strict and names the faulty field,
// because the people writing manifests are lab authors reading the error in a page.
//
// { "name": "...", "memory": 128, "kernel": "vmlinuz", "initrd": "initrd.gz", "cmdline": "...",
//   "hda": "disk.img", "cdrom": "cd.iso", "fda": "floppy.img", "boot": "cd"|"hd"|"fd",
//   "acpi": true, "apic": true }
// Media URLs are resolved against the manifest's own URL.

import type { MediaSource, VmConfig } from "./protocol";

export interface LabManifest {
  name?: string;
  memory: number;
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  hda?: string;
  cdrom?: string;
  fda?: string;
  boot?: "cd" | "hd" | "fd";
  acpi?: boolean;
  apic?: boolean;
}

export class ManifestError extends Error {}

const MEDIA = ["kernel", "initrd", "hda", "cdrom", "fda"] as const;
const KNOWN = new Set(["name", "memory", "cmdline", "boot", "acpi", "apic", ...MEDIA]);
export const DEFAULT_MEMORY_MIB = 128;
/** Guest RAM limits: the BIOS needs 1 MiB plus tables; above 3 GiB the PCI hole begins. */
export const MIN_MEMORY_MIB = 4;
export const MAX_MEMORY_MIB = 3072;

/** Parse a memory size: a number of MiB, or a string such as "64M", "1G", "512". */
export function parseMemory(v: unknown, where = "memory"): number {
  let mib: number;
  if (typeof v === "number") mib = v;
  else if (typeof v === "string" && /^\s*\d+\s*([MmGg](i?B)?)?\s*$/.test(v)) {
    const n = parseInt(v, 10);
    mib = /[Gg]/.test(v) ? n * 1024 : n;
  } else throw new ManifestError(`${where} must be a size in MiB such as 128 or "1G", not ${JSON.stringify(v)}`);
  if (!Number.isInteger(mib) || mib < MIN_MEMORY_MIB || mib > MAX_MEMORY_MIB) {
    throw new ManifestError(`${where} must be a whole number of MiB between ${MIN_MEMORY_MIB} and ${MAX_MEMORY_MIB}, not ${JSON.stringify(v)}`);
  }
  return mib;
}

/** Validate a parsed manifest; `base` resolves relative media URLs. Throws ManifestError. */
export function validateManifest(json: unknown, base?: string): LabManifest {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new ManifestError("the lab manifest must be a JSON object");
  }
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KNOWN.has(k)) throw new ManifestError(`unknown field "${k}" (known fields: ${[...KNOWN].join(", ")})`);
  }
  const out: LabManifest = { memory: o.memory === undefined ? DEFAULT_MEMORY_MIB : parseMemory(o.memory, '"memory"') };
  const str = (k: string): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string") throw new ManifestError(`"${k}" must be a string, not ${JSON.stringify(v)}`);
    return v;
  };
  const name = str("name");
  if (name !== undefined) out.name = name;
  for (const k of MEDIA) {
    const v = str(k);
    if (v === undefined) continue;
    if (v.trim() === "") throw new ManifestError(`"${k}" is an empty URL`);
    try {
      out[k] = base ? new URL(v, base).href : new URL(v).href;
    } catch {
      throw new ManifestError(`"${k}" is not a valid URL: ${JSON.stringify(v)}`);
    }
  }
  const cmdline = str("cmdline");
  if (cmdline !== undefined) {
    if (!out.kernel) throw new ManifestError('"cmdline" is given without a "kernel"');
    out.cmdline = cmdline;
  }
  if (out.initrd && !out.kernel) throw new ManifestError('"initrd" is given without a "kernel"');
  const boot = o.boot;
  if (boot !== undefined) {
    if (boot !== "cd" && boot !== "hd" && boot !== "fd") throw new ManifestError(`"boot" must be "cd", "hd" or "fd", not ${JSON.stringify(boot)}`);
    out.boot = boot;
  }
  for (const k of ["acpi", "apic"] as const) {
    const v = o[k];
    if (v === undefined) continue;
    if (typeof v !== "boolean") throw new ManifestError(`"${k}" must be true or false, not ${JSON.stringify(v)}`);
    out[k] = v;
  }
  if (!out.kernel && !out.hda && !out.cdrom && !out.fda) {
    throw new ManifestError('the lab has no boot media: give "kernel", "hda", "cdrom" or "fda"');
  }
  return out;
}

/** Fetch and validate a manifest; errors name the URL and the problem. */
export async function fetchManifest(url: string): Promise<LabManifest> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ManifestError(`cannot download the lab manifest ${url}: ${(e as Error).message || "network error"}`);
  }
  if (!res.ok) throw new ManifestError(`cannot download the lab manifest ${url}: HTTP ${res.status}`);
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`the lab manifest ${url} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    return validateManifest(json, res.url || url);
  } catch (e) {
    throw new ManifestError(`lab manifest ${url}: ${(e as Error).message}`);
  }
}

/** The worker's configuration for a validated manifest: every medium fetched by URL. */
export function manifestToConfig(m: LabManifest): VmConfig {
  const url = (u: string | undefined): MediaSource | undefined => (u ? { kind: "url", url: u } : undefined);
  return {
    memoryMiB: m.memory,
    kernel: url(m.kernel), initrd: url(m.initrd), cmdline: m.cmdline,
    hda: url(m.hda), cdrom: url(m.cdrom), fda: url(m.fda),
    boot: m.boot, acpi: m.acpi, apic: m.apic,
  };
}
