// Builds lab86's 64 KiB BIOS ROM image (segment F000): the reset vector, the POST entry, one stub
// per BIOS service, and the service table that tells the TypeScript firmware which stub is which.
//
// A service stub is
//     entry: PUSH DX
//            MOV DX, SERVICE_PORT
//     call:  OUT DX, AL          ; the firmware runs the service here
//            POP DX
//            IRET
//     wait:  STI
//            HLT
//            JMP call            ; a blocked service (waiting for a key, a disk) parks here
// so inside the service the caller's registers are intact except DX, which is on the stack at
// SS:SP, above it the interrupt frame IP, CS, FLAGS (the firmware returns CF/ZF there).
import { Asm16, DX } from "./asm16";
import { Service, SERVICE_PORT, SERVICE_TABLE_OFFSET, SERVICE_TABLE_MAGIC, SERVICE_TABLE_VERSION, BIOS_SEGMENT, RUNTIME_AREA, RUNTIME_AREA_END, VIDEO_ROM_AREA, type ServiceStub } from "./services";
import { buildVideoRomArea } from "./video/rom-area";

export const STUB_SERVICES: Service[] = [
  Service.Unhandled, Service.SpuriousIrq, Service.Int09Keyboard, Service.Int0eFloppy,
  Service.Int10Video, Service.Int11Equipment, Service.Int12Memory, Service.Int13Disk, Service.Int14Serial,
  Service.Int15System, Service.Int16Keyboard, Service.Int17Printer, Service.Int18NoBoot, Service.Int19Boot,
  Service.Int1aTime, Service.Int70Rtc, Service.Int76Disk,
];

export interface BiosRom {
  image: Uint8Array;
  stubs: ServiceStub[];
}

export function buildBiosRom(): BiosRom {
  const a = new Asm16(0);
  const stubs: ServiceStub[] = [];

  // Identification string, for humans reading a memory dump.
  a.ascii("lab86 BIOS\0");
  a.org(0x100, 0);

  // POST entry (from the reset vector). The firmware sets up everything and then points CS:IP
  // at the next step (an option ROM, or the boot sector); it never returns here.
  a.label("post").cli().cld().movRegImm(DX, SERVICE_PORT).label("post_call").outDxAl();
  a.label("post_halt").cli().hlt().jmpShort("post_halt");
  stubs.push({ id: Service.Post, entryOffset: a.addressOf("post"), callOffset: a.addressOf("post_call"), waitOffset: a.addressOf("post_halt") });

  // POST resumes here when an option ROM's init returns with RETF.
  a.label("resume").cli().cld().movRegImm(DX, SERVICE_PORT).label("resume_call").outDxAl();
  a.label("resume_halt").cli().hlt().jmpShort("resume_halt");
  stubs.push({ id: Service.PostResume, entryOffset: a.addressOf("resume"), callOffset: a.addressOf("resume_call"), waitOffset: a.addressOf("resume_halt") });

  // IRQ 0 (INT 08h): the firmware counts the tick and sends EOI; then INT 1Ch, the user timer hook,
  // is called from x86 as the PC BIOS interface requires.
  a.label("int08").pushReg(DX).movRegImm(DX, SERVICE_PORT).label("int08_call").outDxAl().popReg(DX).int(0x1c).iret();
  a.label("int08_wait").sti().hlt().jmpShort("int08_call");
  stubs.push({ id: Service.Int08Timer, entryOffset: a.addressOf("int08"), callOffset: a.addressOf("int08_call"), waitOffset: a.addressOf("int08_wait") });

  for (const id of STUB_SERVICES) {
    const n = `s${id}`;
    a.label(n).pushReg(DX).movRegImm(DX, SERVICE_PORT).label(`${n}_call`).outDxAl().popReg(DX).iret();
    a.label(`${n}_wait`).sti().hlt().jmpShort(`${n}_call`);
    stubs.push({ id, entryOffset: a.addressOf(n), callOffset: a.addressOf(`${n}_call`), waitOffset: a.addressOf(`${n}_wait`) });
  }
  // INT 1Ch default: nothing.
  a.label("iret").iret();
  const iret = a.addressOf("iret");
  stubs.push({ id: Service.Iret, entryOffset: iret, callOffset: iret, waitOffset: iret });

  // Fonts and video tables (bios/video/rom-area.ts).
  a.org(VIDEO_ROM_AREA, 0);
  a.db(...buildVideoRomArea());

  // The service table.
  a.org(SERVICE_TABLE_OFFSET, 0);
  a.dw(SERVICE_TABLE_MAGIC & 0xffff, SERVICE_TABLE_MAGIC >>> 16, SERVICE_TABLE_VERSION, stubs.length);
  for (const s of stubs) a.dw(s.entryOffset, s.callOffset, s.waitOffset, s.id);

  // Space that POST fills at run time (see RUNTIME_AREA).
  a.org(RUNTIME_AREA, 0);
  a.org(RUNTIME_AREA_END, 0);

  // The reset vector at F000:FFF0 (linear 0xFFFFFFF0 at power-on), then the BIOS date and the
  // PC model byte (0xFC: AT-class), where old software looks for them.
  a.org(0xfff0, 0xff);
  a.jmpFar(BIOS_SEGMENT, a.addressOf("post"));
  a.ascii("11/21/26").db(0);
  a.org(0xfffe, 0);
  a.db(0xfc, 0);
  const image = a.assemble();
  if (image.length !== 0x10000) throw new Error(`BIOS image is ${image.length} bytes, expected 65536`);
  return { image, stubs };
}
