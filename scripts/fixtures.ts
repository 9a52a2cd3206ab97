// `npm run fixtures [NAME...]`: fetch guest software from Debian's packages (apt-get download +
// dpkg-deb -x) into fixtures/cache/, and build the small images the tests boot into fixtures/out/.
// Nothing here is committed; everything is rebuilt from Debian's archive on a fresh machine.
//
// Needs: apt-get with the i386 architecture enabled (`dpkg --add-architecture i386 && apt-get
// update`), and for the disk images xorriso, mtools and syslinux (the CI script installs them).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, copyFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { writeCpio, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, type CpioEntry } from "./lib/cpio";

const ROOT = resolve(import.meta.dirname, "..");
export const CACHE = join(ROOT, "fixtures", "cache");
export const OUT = join(ROOT, "fixtures", "out");

function sh(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function have(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Download a Debian package (by name, e.g. "busybox-static:i386") and extract it; returns the tree. */
function debPackage(pkg: string): string {
  const dir = join(CACHE, "pkg", pkg.replace(/[:/]/g, "_"));
  if (existsSync(join(dir, ".done"))) return join(dir, "root");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    sh("apt-get", ["download", pkg], dir);
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr ?? String(e);
    throw new Error(`apt-get download ${pkg} failed: ${msg.trim().split("\n").pop()}\n` +
      (pkg.endsWith(":i386") ? "  (is the i386 architecture enabled? run: dpkg --add-architecture i386 && apt-get update)" : ""));
  }
  const deb = readdirSync(dir).find((f) => f.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  sh("dpkg-deb", ["-x", deb, "root"], dir);
  writeFileSync(join(dir, ".done"), deb);
  return join(dir, "root");
}

/** The concrete kernel package behind Debian's linux-image-686 metapackage. */
function kernelPackage(): string {
  const out = sh("apt-cache", ["depends", "linux-image-686:i386"]);
  const m = /Depends: (linux-image-6\.1\.0-[\w.-]+-686)(:i386)?/.exec(out);
  if (!m) throw new Error("cannot resolve linux-image-686:i386 (is the i386 architecture enabled and apt-get update run?)");
  return `${m[1]}:i386`;
}

const enc = new TextEncoder();

/**
 * The kernel command line of the disk and CD images: the serial console at 115200 baud, only
 * warnings and worse on it (loglevel=3: "quiet" would also make SYSLINUX hide its "Loading"
 * lines), and no kernel crypto self-tests (about 3 G instructions of boot, measured with
 * qemu -icount) or KASLR.
 */
const LINUX_APPEND = "console=ttyS0,115200 loglevel=3 cryptomgr.notests nokaslr";

const INIT_SCRIPT = `#!/bin/sh
# lab86 test initramfs: busybox on the serial console.
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
echo "lab86-initramfs: $(uname -r) up, $(grep -c ^processor /proc/cpuinfo) cpu"
export PS1='lab86:\\w# '
export HOME=/root PATH=/bin
while true; do setsid cttyhack sh -i; done
`;

// The fixed CPU-bound workload of \`npm run bench\` (issue: benchmark). Prints one line per step.
const BENCH_SCRIPT = `#!/bin/sh
i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo "bench: loop $i"
dd if=/dev/zero bs=1024 count=4096 2>/dev/null | md5sum | sed 's/ .*//;s/^/bench: md5 /'
n=0; while [ $n -lt 300 ]; do /bin/true; n=$((n+1)); done; echo "bench: exec $n"
echo bench: done
`;

function buildInitramfs(): string {
  const out = join(OUT, "initramfs-busybox.cpio.gz");
  if (existsSync(out)) return out;
  const bb = readFileSync(join(debPackage("busybox-static:i386"), "bin", "busybox"));
  const entries: CpioEntry[] = [];
  for (const d of ["bin", "dev", "proc", "sys", "tmp", "root", "etc"]) entries.push({ name: d, mode: S_IFDIR | 0o755 });
  entries.push({ name: "dev/console", mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 });
  entries.push({ name: "dev/ttyS0", mode: S_IFCHR | 0o600, rdevMajor: 4, rdevMinor: 64 });
  entries.push({ name: "bin/busybox", mode: S_IFREG | 0o755, data: new Uint8Array(bb) });
  entries.push({ name: "bin/sh", mode: S_IFLNK | 0o777, data: enc.encode("busybox") });
  entries.push({ name: "init", mode: S_IFREG | 0o755, data: enc.encode(INIT_SCRIPT) });
  entries.push({ name: "bench.sh", mode: S_IFREG | 0o755, data: enc.encode(BENCH_SCRIPT) });
  writeFileSync(out, gzipSync(writeCpio(entries), { level: 9 }));
  return out;
}

function copyOut(src: string, name: string): string {
  const out = join(OUT, name);
  if (!existsSync(out)) copyFileSync(src, out);
  return out;
}

function buildKernel(): string {
  const out = join(OUT, "vmlinuz-686");
  if (existsSync(out)) return out;
  const root = debPackage(kernelPackage());
  const vmlinuz = readdirSync(join(root, "boot")).find((f) => f.startsWith("vmlinuz-"));
  if (!vmlinuz) throw new Error("kernel package has no /boot/vmlinuz-*");
  return copyOut(join(root, "boot", vmlinuz), "vmlinuz-686");
}

function buildSeabios(): string[] {
  const root = debPackage("seabios");
  return [copyOut(join(root, "usr/share/seabios/bios.bin"), "seabios.bin"), copyOut(join(root, "usr/share/seabios/vgabios-stdvga.bin"), "vgabios-stdvga.bin")];
}

/** The Bochs BIOS (package bochsbios) and the LGPL VGA BIOS for the Bochs/QEMU stdvga (package vgabios). */
function buildBochsBios(): string[] {
  const bios = copyOut(join(debPackage("bochsbios"), "usr/share/bochs/BIOS-bochs-latest"), "bochs-bios.bin");
  return [bios, copyOut(join(debPackage("vgabios"), "usr/share/vgabios/vgabios.bin"), "vgabios-lgpl.bin")];
}

function buildMemtest(): string {
  return copyOut(join(debPackage("memtest86+"), "boot", "memtest86+ia32.bin"), "memtest86+ia32.bin");
}

function buildInstaller(): string[] {
  const root = debPackage("debian-installer-12-netboot-i386");
  const base = join(root, "usr/lib/debian-installer/images/12/i386/text/debian-installer/i386");
  return [copyOut(join(base, "linux"), "d-i-linux"), copyOut(join(base, "initrd.gz"), "d-i-initrd.gz")];
}

function requireTools(what: string, tools: string[]): void {
  const missing = tools.filter((t) => !have(t));
  if (missing.length) throw new Error(`${what} needs ${missing.join(", ")}: apt-get install xorriso mtools syslinux`);
}

/** The isolinux.cfg of a CD that boots /kernel (with /initrd) and `append` at once. */
function isolinuxBootConfig(append: string, initrd: boolean): string {
  return `SERIAL 0 115200\nDEFAULT lab86\nPROMPT 0\nTIMEOUT 1\nLABEL lab86\n  KERNEL /kernel\n  APPEND ${initrd ? "initrd=/initrd " : ""}${append}\n`;
}

/**
 * An El Torito ISO (isolinux, no-emulation boot) with a kernel, an optional initrd, the given
 * isolinux.cfg and any extra COM32 modules from syslinux-common (e.g. vesamenu.c32).
 */
function buildIsolinuxIso(name: string, kernel: string, initrd: string | null, config: string, modules: string[] = []): string {
  const out = join(OUT, name);
  if (existsSync(out)) return out;
  requireTools(name, ["xorriso"]);
  const isolinux = debPackage("isolinux");
  const common = debPackage("syslinux-common");
  const tree = join(CACHE, `iso-${name}`);
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, "isolinux"), { recursive: true });
  copyFileSync(join(isolinux, "usr/lib/ISOLINUX/isolinux.bin"), join(tree, "isolinux/isolinux.bin"));
  for (const m of ["ldlinux.c32", ...modules]) copyFileSync(join(common, "usr/lib/syslinux/modules/bios", m), join(tree, "isolinux", m));
  copyFileSync(kernel, join(tree, "kernel"));
  if (initrd) copyFileSync(initrd, join(tree, "initrd"));
  writeFileSync(join(tree, "isolinux/isolinux.cfg"), config);
  sh("xorriso", ["-as", "mkisofs", "-quiet", "-o", out, "-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat",
    "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table", "-R", "-J", tree]);
  return out;
}

/**
 * SYSLINUX's graphical menu (vesamenu.c32) at 640x480 with colours the test checks: a #204080
 * background, an orange (#ff8000) bar behind the selected entry, a yellow title. It waits for a
 * key (or 60 s) before booting the kernel.
 */
const VESAMENU_CONFIG = `SERIAL 0 115200
UI vesamenu.c32
MENU TITLE lab86 vesamenu
MENU RESOLUTION 640 480
MENU BACKGROUND #ff204080
MENU COLOR screen 37;40 #80ffffff #00000000 std
MENU COLOR border 30;44 #ffffffff #00000000 none
MENU COLOR title 1;36;44 #ffffff00 #00000000 none
MENU COLOR sel 7;37;40 #ff000000 #ffff8000 none
MENU COLOR unsel 37;44 #ffffffff #00000000 none
TIMEOUT 600
DEFAULT lab86
LABEL lab86
  MENU LABEL Boot the lab86 kernel
  KERNEL /kernel
  APPEND initrd=/initrd ${LINUX_APPEND}
`;

/**
 * GRUB's graphical terminal at 800x600x32 on a grub-mkrescue CD (BIOS El Torito, GRUB's
 * i386-pc modules from the installed grub-pc-bin): a #204080 background (gfxterm_background),
 * white/black menu text with a yellow-on-blue highlight, the menu also on COM1, and no timeout:
 * the test presses Enter on the serial line to boot the kernel.
 */
const GRUB_CONFIG = `serial --unit=0 --speed=115200
terminal_input serial console
insmod all_video
insmod gfxterm
insmod gfxterm_background
loadfont unicode
set gfxmode=800x600x32
terminal_output gfxterm serial
background_color "#204080"
set menu_color_normal=white/black
set menu_color_highlight=yellow/blue
set timeout=-1
menuentry "lab86 GRUB gfxterm" {
  echo "Loading the lab86 kernel"
  linux /kernel ${LINUX_APPEND}
  initrd /initrd
}
`;

function buildGrubIso(kernel: string, initrd: string): string {
  const out = join(OUT, "linux-grub.iso");
  if (existsSync(out)) return out;
  if (!have("grub-mkrescue") || !existsSync("/usr/lib/grub/i386-pc")) {
    throw new Error("linux-grub.iso needs grub-mkrescue and GRUB's i386-pc modules: apt-get install grub-common grub-pc-bin xorriso mtools");
  }
  const tree = join(CACHE, "iso-linux-grub");
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(join(tree, "boot/grub"), { recursive: true });
  copyFileSync(kernel, join(tree, "kernel"));
  copyFileSync(initrd, join(tree, "initrd"));
  writeFileSync(join(tree, "boot/grub/grub.cfg"), GRUB_CONFIG);
  sh("grub-mkrescue", ["-o", out, "--modules=part_msdos iso9660", tree]);
  return out;
}

/** A hard-disk image: MBR (syslinux mbr.bin), one FAT16 partition with SYSLINUX, kernel and initrd. */
function buildSyslinuxDisk(kernel: string, initrd: string): string {
  const out = join(OUT, "linux-syslinux.img");
  if (existsSync(out)) return out;
  requireTools("linux-syslinux.img", ["mformat", "mcopy", "syslinux"]);
  const common = debPackage("syslinux-common");
  const sizeMiB = 32;
  const partStart = 2048; // sectors
  const img = Buffer.alloc(sizeMiB << 20);
  const mbr = readFileSync(join(common, "usr/lib/syslinux/mbr/mbr.bin"));
  mbr.copy(img, 0);
  const sectors = (sizeMiB << 11) - partStart;
  // Partition entry 1: bootable, type 0x06 (FAT16), LBA start/size; CHS fields set to the LBA-only marker.
  const pe = 446;
  img[pe] = 0x80;
  img.set([0xfe, 0xff, 0xff], pe + 1);
  img[pe + 4] = 0x06;
  img.set([0xfe, 0xff, 0xff], pe + 5);
  img.writeUInt32LE(partStart, pe + 8);
  img.writeUInt32LE(sectors, pe + 12);
  img[510] = 0x55;
  img[511] = 0xaa;
  writeFileSync(out + ".tmp", img);
  const part = `${out}.tmp@@${partStart * 512}`;
  sh("mformat", ["-i", part, "-v", "LAB86", "-h", "16", "-s", "63", "-H", String(partStart), "::"]);
  writeFileSync(join(CACHE, "syslinux.cfg"), `SERIAL 0 115200\nDEFAULT lab86\nPROMPT 0\nTIMEOUT 1\nLABEL lab86\n  KERNEL /kernel\n  APPEND initrd=/initrd ${LINUX_APPEND}\n`);
  sh("mcopy", ["-i", part, kernel, "::kernel"]);
  sh("mcopy", ["-i", part, initrd, "::initrd"]);
  sh("mcopy", ["-i", part, join(CACHE, "syslinux.cfg"), "::syslinux.cfg"]);
  sh("syslinux", ["--install", "--offset", String(partStart * 512), out + ".tmp"]);
  copyFileSync(out + ".tmp", out);
  rmSync(out + ".tmp");
  return out;
}

const FIXTURES: Record<string, () => unknown> = {
  linux: () => [buildKernel(), buildInitramfs()],
  seabios: buildSeabios,
  bochsbios: buildBochsBios,
  memtest: buildMemtest,
  installer: buildInstaller,
  "linux-iso": () => buildIsolinuxIso("linux-isolinux.iso", buildKernel(), buildInitramfs(), isolinuxBootConfig(LINUX_APPEND, true)),
  "memtest-iso": () => buildIsolinuxIso("memtest86+ia32.iso", buildMemtest(), null, isolinuxBootConfig("console=ttyS0,115200", false)),
  // The kernel's real-mode setup sets VESA mode 115h (800x600, 24 bpp) through INT 10h 4F02h.
  "linux-vesafb-iso": () => buildIsolinuxIso("linux-vesafb.iso", buildKernel(), buildInitramfs(), isolinuxBootConfig(`${LINUX_APPEND} vga=0x315`, true)),
  "vesamenu-iso": () => buildIsolinuxIso("linux-vesamenu.iso", buildKernel(), buildInitramfs(), VESAMENU_CONFIG, ["vesamenu.c32", "libcom32.c32", "libutil.c32"]),
  "grub-iso": () => buildGrubIso(buildKernel(), buildInitramfs()),
  "linux-hd": () => buildSyslinuxDisk(buildKernel(), buildInitramfs()),
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(FIXTURES);
  mkdirSync(OUT, { recursive: true });
  let failed = 0;
  for (const n of names) {
    const f = FIXTURES[n];
    if (!f) {
      console.error(`fixtures: unknown fixture '${n}' (known: ${Object.keys(FIXTURES).join(", ")})`);
      process.exit(2);
    }
    try {
      const r = f();
      const files = (Array.isArray(r) ? r : [r]) as string[];
      console.log(`fixtures: ${n}: ${files.map((p) => `${p.replace(ROOT + "/", "")} (${statSync(p).size} bytes)`).join(", ")}`);
    } catch (e) {
      failed++;
      console.error(`fixtures: ${n}: ${(e as Error).message}`);
    }
  }
  if (failed) process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]).endsWith("fixtures.ts")) await main();
