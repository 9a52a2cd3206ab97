// The only functions through which the CPU leaves WebAssembly. Each is called after one range
// check (a port access, or a physical page that is not RAM-like), never per instruction.
// The TypeScript side supplies them in src/machine/cpu-host.ts.

// @ts-ignore: decorator
@external("env", "io_read") export declare function hostIoRead(port: i32, size: i32): i32;
// @ts-ignore: decorator
@external("env", "io_write") export declare function hostIoWrite(port: i32, size: i32, value: i32): void;
// @ts-ignore: decorator
@external("env", "mmio_read") export declare function hostMmioRead(addr: u32, size: i32): i32;
// @ts-ignore: decorator
@external("env", "mmio_write") export declare function hostMmioWrite(addr: u32, size: i32, value: i32): void;
// The interrupt controller's INTA cycle: returns the vector of the highest pending interrupt.
// @ts-ignore: decorator
@external("env", "intr_ack") export declare function hostIntrAck(): i32;
// Diagnostics: code identifies the message (see src/machine/cpu-host.ts).
// @ts-ignore: decorator
@external("env", "log") export declare function hostLog(code: i32, a: i32, b: i32): void;
// SMM entry (1) and RSM (0): the platform switches what the CPU sees at SMRAM (the i440FX's
// 0xA0000-0xBFFFF) before the state save map is written and after RSM has read it back. Called
// only on these transitions.
// @ts-ignore: decorator
@external("env", "smm_change") export declare function hostSmmChange(inSmm: i32): void;
