// A fixed-size byte FIFO kept inside a device's state object (a PS/2 device's output buffer).
import { StateError } from "../state";

export interface ByteQueue {
  data: Uint8Array;
  head: number;
  count: number;
}

export function queuePush(q: ByteQueue, byte: number): boolean {
  if (q.count >= q.data.length) return false;
  q.data[(q.head + q.count) % q.data.length] = byte;
  q.count++;
  return true;
}

export function queuePop(q: ByteQueue): number {
  const v = q.data[q.head];
  q.head = (q.head + 1) % q.data.length;
  q.count--;
  return v;
}

export function queueClear(q: ByteQueue): void {
  q.head = 0;
  q.count = 0;
}

export function queueFree(q: ByteQueue): number {
  return q.data.length - q.count;
}

export function checkQueue(where: string, q: ByteQueue): void {
  if (q.head >= q.data.length) throw new StateError(`${where}.head`, `${q.head} is outside the buffer`);
  if (q.count > q.data.length) throw new StateError(`${where}.count`, `${q.count} exceeds the buffer`);
}

/** A PS/2 device as the 8042 sees it: bytes out (device to host) and bytes in (host to device). */
export interface Ps2Device {
  hasOutput(): boolean;
  takeOutput(): number;
  /** A byte the host sent to the device. */
  receive(byte: number): void;
}
