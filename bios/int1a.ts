// INT 1Ah: the tick counter and the RTC (IBM PC/AT Technical Reference), and the PCI BIOS
// real-mode interface (PCI BIOS Specification 2.1, ch. 2) over configuration mechanism #1.
import { Service } from "./services";
import type { BiosFirmware } from "./firmware";
import type { ServiceContext } from "./context";
import { BDA_TIMER_TICKS, BDA_TIMER_ROLLOVER } from "./bda";

function cmos(fw: BiosFirmware, reg: number): number {
  fw.host.io.write(0x70, 1, reg);
  return fw.host.io.read(0x71, 1);
}
function cmosWrite(fw: BiosFirmware, reg: number, v: number): void {
  fw.host.io.write(0x70, 1, reg);
  fw.host.io.write(0x71, 1, v);
}

/** RTC values in BCD whatever mode the RTC is in (register B bit 2 = binary). */
function rtcBcd(fw: BiosFirmware, reg: number): number {
  const v = cmos(fw, reg);
  if ((cmos(fw, 0x0b) & 0x04) === 0) return v;
  return ((Math.floor(v / 10) << 4) | v % 10) & 0xff;
}

const PCI_SUCCESSFUL = 0x00, PCI_FUNC_NOT_SUPPORTED = 0x81, PCI_DEVICE_NOT_FOUND = 0x86, PCI_BAD_REGISTER = 0x87;

function cfgAddr(bus: number, devfn: number, reg: number): number {
  return (0x80000000 | (bus << 16) | (devfn << 8) | (reg & 0xfc)) >>> 0;
}
export function pciRead(fw: BiosFirmware, bus: number, devfn: number, reg: number, size: 1 | 2 | 4): number {
  fw.host.io.write(0xcf8, 4, cfgAddr(bus, devfn, reg));
  return fw.host.io.read(0xcfc + (reg & 3), size);
}
export function pciWrite(fw: BiosFirmware, bus: number, devfn: number, reg: number, size: 1 | 2 | 4, v: number): void {
  fw.host.io.write(0xcf8, 4, cfgAddr(bus, devfn, reg));
  fw.host.io.write(0xcfc + (reg & 3), size, v);
}

function pciBios(ctx: ServiceContext, fw: BiosFirmware): void {
  const done = (status: number) => ctx.status(status);
  switch (ctx.al) {
    case 0x01: // installation check
      ctx.edx = 0x20494350; // "PCI "
      ctx.al = 0x01; // configuration mechanism #1
      ctx.bx = 0x0210; // version 2.10
      ctx.cl = 0; // last bus
      ctx.ah = 0;
      ctx.cpu.setReg(7, 0); // EDI: protected-mode entry point (none)
      ctx.setCF(false);
      return;
    case 0x02: // find device CX (device id), DX (vendor), SI (index)
    case 0x03: { // find class code ECX[23:0], SI (index)
      let index = ctx.si;
      for (let devfn = 0; devfn < 256; devfn++) {
        const id = pciRead(fw, 0, devfn, 0, 4);
        if ((id & 0xffff) === 0xffff) continue;
        const match = ctx.al === 0x02
          ? (id & 0xffff) === ctx.dx && id >>> 16 === ctx.cx
          : pciRead(fw, 0, devfn, 8, 4) >>> 8 === (ctx.ecx & 0xffffff);
        if (match && index-- === 0) {
          ctx.bx = devfn; // BH = bus 0, BL = devfn
          done(PCI_SUCCESSFUL);
          return;
        }
      }
      done(PCI_DEVICE_NOT_FOUND);
      return;
    }
    case 0x08: case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: {
      const size = ([1, 2, 4] as const)[(ctx.al - 0x08) % 3];
      const reg = ctx.di;
      if (reg > 0xff || reg % size) {
        done(PCI_BAD_REGISTER);
        return;
      }
      if (ctx.al <= 0x0a) {
        const v = pciRead(fw, ctx.bh, ctx.bl, reg, size);
        if (size === 1) ctx.cl = v;
        else if (size === 2) ctx.cx = v;
        else ctx.ecx = v;
      } else {
        pciWrite(fw, ctx.bh, ctx.bl, reg, size, size === 4 ? ctx.ecx : size === 2 ? ctx.cx : ctx.cl);
      }
      done(PCI_SUCCESSFUL);
      return;
    }
  }
  done(PCI_FUNC_NOT_SUPPORTED);
}

export function installInt1a(fw: BiosFirmware): void {
  fw.on(Service.Int1aTime, (ctx) => {
    const mem = fw.host.mem;
    switch (ctx.ah) {
      case 0x00: { // ticks since midnight in CX:DX, AL = midnight flag (cleared on read)
        const t = mem.read(BDA_TIMER_TICKS, 4);
        ctx.dx = t[0] | (t[1] << 8);
        ctx.cx = t[2] | (t[3] << 8);
        ctx.al = mem.read(BDA_TIMER_ROLLOVER, 1)[0];
        mem.write(BDA_TIMER_ROLLOVER, Uint8Array.of(0));
        return;
      }
      case 0x01:
        mem.write(BDA_TIMER_TICKS, Uint8Array.of(ctx.dx & 0xff, ctx.dx >> 8, ctx.cx & 0xff, ctx.cx >> 8));
        mem.write(BDA_TIMER_ROLLOVER, Uint8Array.of(0));
        return;
      case 0x02: // RTC time: CH hours, CL minutes, DH seconds (BCD), DL daylight saving
        ctx.ch = rtcBcd(fw, 0x04);
        ctx.cl = rtcBcd(fw, 0x02);
        ctx.dh = rtcBcd(fw, 0x00);
        ctx.dl = cmos(fw, 0x0b) & 1;
        ctx.setCF(false);
        return;
      case 0x04: // RTC date: CH century, CL year, DH month, DL day (BCD)
        ctx.ch = rtcBcd(fw, 0x32);
        ctx.cl = rtcBcd(fw, 0x09);
        ctx.dh = rtcBcd(fw, 0x08);
        ctx.dl = rtcBcd(fw, 0x07);
        ctx.setCF(false);
        return;
      case 0x03: case 0x05: { // set RTC time / date (values arrive in BCD; we keep the RTC in BCD mode)
        const b = cmos(fw, 0x0b);
        cmosWrite(fw, 0x0b, (b | 0x80) & ~0x04); // SET, BCD
        if (ctx.ah === 0x03) {
          cmosWrite(fw, 0x04, ctx.ch); cmosWrite(fw, 0x02, ctx.cl); cmosWrite(fw, 0x00, ctx.dh);
        } else {
          cmosWrite(fw, 0x32, ctx.ch); cmosWrite(fw, 0x09, ctx.cl); cmosWrite(fw, 0x08, ctx.dh); cmosWrite(fw, 0x07, ctx.dl);
        }
        cmosWrite(fw, 0x0b, (b & ~0x84) | 0x02); // clear SET, BCD, 24-hour
        ctx.setCF(false);
        return;
      }
      case 0xb1:
        pciBios(ctx, fw);
        return;
    }
    ctx.setCF(true);
  });
}
