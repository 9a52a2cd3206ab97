// The VGA's I/O ports: sequencer, CRT controller, graphics controller, attribute controller,
// DAC, Miscellaneous Output, Feature Control and the Input Status registers.
// IBM VGA Technical Reference "Registers"; FreeVGA for the attribute flip-flop and DAC details.
import type { Vga } from "./vga";
import { beamStatus, lastRetraceStart, CR_V_RETRACE_END } from "./timing";

// Bits each register implements; the rest read back as 0 (IBM VGA register descriptions).
const SEQ_MASK = [0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0xff, 0xff, 0xff];
const GC_MASK = [0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff];
const AC_MASK_CONTROL = [0xef, 0xff, 0x3f, 0x0f, 0x0f]; // AC10..AC14

export const VGA_PORTS = {
  crtcIndexMono: 0x3b4,
  crtcDataMono: 0x3b5,
  status1Mono: 0x3ba,
  acIndex: 0x3c0,
  acData: 0x3c1,
  misc: 0x3c2,
  videoEnable: 0x3c3,
  seqIndex: 0x3c4,
  seqData: 0x3c5,
  pelMask: 0x3c6,
  dacReadIndex: 0x3c7,
  dacWriteIndex: 0x3c8,
  dacData: 0x3c9,
  featureRead: 0x3ca,
  miscRead: 0x3cc,
  gcIndex: 0x3ce,
  gcData: 0x3cf,
  crtcIndexColour: 0x3d4,
  crtcDataColour: 0x3d5,
  status1Colour: 0x3da,
} as const;

/** Miscellaneous Output bit 0 selects CRTC ports 0x3Dx (colour) instead of 0x3Bx (mono). */
function crtcBase(vga: Vga): number {
  return vga.state.misc & 1 ? 0x3d0 : 0x3b0;
}

export function vgaPortRead(vga: Vga, port: number): number {
  const s = vga.state;
  switch (port) {
    case 0x3c0:
      return s.acIndex;
    case 0x3c1: {
      const i = s.acIndex & 0x1f;
      return i < s.ac.length ? s.ac[i] : 0;
    }
    case 0x3c2: {
      // Input Status 0: bit 7 is the CRT (vertical retrace) interrupt flip-flop; this PCI adapter
      // has no interrupt line, like the QEMU/Bochs one, so the flip-flop can only be polled.
      // Bit 4 (monitor sense comparator) reads 0.
      const pending = s.vintArmedAt >= 0 && lastRetraceStart(s, vga.clock.now) > s.vintArmedAt;
      return pending ? 0x80 : 0x00;
    }
    case 0x3c3:
      return s.videoEnable;
    case 0x3c4:
      return s.seqIndex;
    case 0x3c5:
      return s.seq[s.seqIndex & 7];
    case 0x3c6:
      return s.pelMask;
    case 0x3c7:
      return s.dacState;
    case 0x3c8:
      return s.dacWriteIndex;
    case 0x3c9: {
      const v = s.dac[s.dacReadIndex * 3 + s.dacReadComponent];
      if (++s.dacReadComponent === 3) {
        s.dacReadComponent = 0;
        s.dacReadIndex = (s.dacReadIndex + 1) & 0xff;
      }
      return v;
    }
    case 0x3ca:
      return s.featureControl;
    case 0x3cc:
      return s.misc;
    case 0x3ce:
      return s.gcIndex;
    case 0x3cf:
      return s.gcIndex < s.gc.length ? s.gc[s.gcIndex] : 0xff;
  }
  const base = crtcBase(vga);
  if (port === base + 4) return s.crtcIndex;
  if (port === base + 5) return s.crtcIndex < s.crtc.length ? s.crtc[s.crtcIndex] : 0;
  if (port === base + 0xa) {
    // Input Status 1: reading it also resets the attribute flip-flop to "index".
    s.acFlipFlop = false;
    const beam = beamStatus(s, vga.clock.now);
    return (beam.vretrace ? 0x08 : 0) | (beam.blank ? 0x01 : 0);
  }
  return 0xff; // the other I/O address range is not decoded
}

export function vgaPortWrite(vga: Vga, port: number, v: number): void {
  const s = vga.state;
  switch (port) {
    case 0x3c0:
      if (!s.acFlipFlop) {
        const wasVisible = s.acIndex & 0x20;
        s.acIndex = v & 0x3f;
        if (wasVisible !== (s.acIndex & 0x20)) vga.displayChanged();
      } else {
        const i = s.acIndex & 0x1f;
        if (i < 0x10) {
          // The palette registers can be loaded only while the Palette Address Source bit is
          // clear, when the display does not use them (IBM VGA, Attribute Address Register).
          if ((s.acIndex & 0x20) === 0) {
            s.ac[i] = v & 0x3f;
            vga.paletteChanged = true;
          }
        } else if (i === 0x11) {
          s.ac[i] = v; // overscan: only the border colour, which every render reports anyway
        } else if (i === 0x13) {
          s.ac[i] = v & AC_MASK_CONTROL[i - 0x10];
          vga.scrollChanged();
        } else if (i < 0x15) {
          s.ac[i] = v & AC_MASK_CONTROL[i - 0x10];
          vga.paletteChanged = true;
          vga.displayChanged();
        }
      }
      s.acFlipFlop = !s.acFlipFlop;
      return;
    case 0x3c2:
      s.misc = v;
      vga.displayChanged();
      vga.checkMapping();
      return;
    case 0x3c3:
      s.videoEnable = v & 1;
      return;
    case 0x3c4:
      s.seqIndex = v & 7;
      return;
    case 0x3c5: {
      const i = s.seqIndex;
      const old = s.seq[i];
      s.seq[i] = v & SEQ_MASK[i];
      // Only clocking (SR01) and the character maps (SR03) change the picture; the map mask and
      // memory mode, rewritten constantly by planar drawing code, only steer CPU accesses.
      if ((i === 1 || i === 3) && old !== s.seq[i]) vga.displayChanged();
      if (i === 2 || i === 4) vga.checkMapping();
      return;
    }
    case 0x3c6:
      s.pelMask = v;
      vga.paletteChanged = true;
      return;
    case 0x3c7:
      s.dacReadIndex = v;
      s.dacReadComponent = 0;
      s.dacState = 3;
      return;
    case 0x3c8:
      s.dacWriteIndex = v;
      s.dacWriteComponent = 0;
      s.dacState = 0;
      return;
    case 0x3c9:
      s.dacWriteBuffer[s.dacWriteComponent] = v & (vga.dac8bit() ? 0xff : 0x3f);
      if (++s.dacWriteComponent === 3) {
        const at = s.dacWriteIndex * 3;
        s.dac[at] = s.dacWriteBuffer[0];
        s.dac[at + 1] = s.dacWriteBuffer[1];
        s.dac[at + 2] = s.dacWriteBuffer[2];
        s.dacWriteComponent = 0;
        s.dacWriteIndex = (s.dacWriteIndex + 1) & 0xff;
        vga.paletteChanged = true;
      }
      return;
    case 0x3ce:
      s.gcIndex = v & 0x0f;
      return;
    case 0x3cf:
      if (s.gcIndex < s.gc.length) {
        const old = s.gc[s.gcIndex];
        s.gc[s.gcIndex] = v & GC_MASK[s.gcIndex];
        // Of the graphics controller, only the shift register mode (GR05 bits 5-6) shapes the
        // picture; set/reset, function, bit mask and read/write modes only steer CPU accesses.
        if (s.gcIndex === 5 && ((old ^ s.gc[5]) & 0x60) !== 0) vga.displayChanged();
        vga.checkMapping();
      }
      return;
  }
  const base = crtcBase(vga);
  if (port === base + 4) {
    s.crtcIndex = v & 0x3f;
  } else if (port === base + 5) {
    writeCrtc(vga, s.crtcIndex, v);
  } else if (port === base + 0xa) {
    s.featureControl = v & 0x03;
  }
}

function writeCrtc(vga: Vga, index: number, v: number): void {
  const c = vga.state.crtc;
  if (index >= c.length) return;
  // CR11 bit 7 write-protects CR00-CR07, except the line compare's bit 8 in CR07 (bit 4).
  if (index <= 7 && c[CR_V_RETRACE_END] & 0x80) {
    if (index !== 7) return;
    v = (c[7] & ~0x10) | (v & 0x10);
  }
  if (c[index] === v) return;
  if (index === CR_V_RETRACE_END) {
    // Bit 4 clear holds the CRT interrupt flip-flop clear; setting it lets the next retrace set it.
    const s = vga.state;
    if ((v & 0x10) === 0) s.vintArmedAt = -1;
    else if ((c[index] & 0x10) === 0) s.vintArmedAt = vga.clock.now;
  }
  c[index] = v;
  if (index === 0x0a || index === 0x0b || index === 0x0e || index === 0x0f) vga.cursorChanged();
  else if (index === 0x08 || index === 0x0c || index === 0x0d || index === 0x18) vga.scrollChanged();
  else if (!TIMING_ONLY_CRTC.has(index)) vga.displayChanged();
}

/**
 * CRTC registers that only set sync and blanking timing (totals, blanking, retrace): they move the
 * beam (Input Status 1) but not the picture, and some guests rewrite CR11 every frame to
 * acknowledge the vertical interrupt.
 */
const TIMING_ONLY_CRTC = new Set([0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x11, 0x15, 0x16]);
