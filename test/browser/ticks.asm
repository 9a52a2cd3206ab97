; Boot sector for the browser tests of pause, reset and <vm-frame>: says "ticks-boot" on COM1 once,
; then at every timer interrupt writes "TICKS " and the BIOS tick count (BDA 0x46C, 18.2 Hz) in
; hex at the top left of the text screen.
%include "boot.inc"
start:
  cli
  BOOT_SEGMENTS
  mov ax, 0xb800
  mov es, ax
  mov si, hello
.serial:
  mov dx, 0x3fd                ; line status: wait for the transmit holding register to empty
  in al, dx
  test al, 0x20
  jz .serial
  lodsb
  test al, al
  jz .run
  mov dx, 0x3f8
  out dx, al
  jmp .serial
.run:
  sti
.tick:
  hlt
  xor di, di
  mov si, label
.label:
  lodsb
  test al, al
  jz .number
  mov ah, 0x07
  stosw
  jmp .label
.number:
  mov edx, [0x46c]
  mov cx, 8
.digit:
  rol edx, 4
  mov al, dl
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .store
  add al, 'A' - '9' - 1
.store:
  mov ah, 0x07
  stosw
  loop .digit
  jmp .tick

hello: db "ticks-boot", 13, 10, 0
label: db "TICKS ", 0
times 510 - ($ - $$) db 0
dw 0xaa55
