; Boot sector for the browser keyboard tests: says "echo-boot" on COM1, then echoes every key the
; BIOS returns (INT 16h AH=00h) to the screen with teletype output (INT 10h AH=0Eh), Enter as a
; new line.
%include "boot.inc"
start:
  BOOT_SEGMENTS
  sti
  mov si, hello
.serial:
  mov dx, 0x3fd
  in al, dx
  test al, 0x20
  jz .serial
  lodsb
  test al, al
  jz .keys
  mov dx, 0x3f8
  out dx, al
  jmp .serial
.keys:
  mov ah, 0
  int 0x16
  cmp al, 13
  jne .put
  mov ax, 0x0e0d
  int 0x10
  mov al, 10
.put:
  mov ah, 0x0e
  xor bx, bx
  int 0x10
  jmp .keys
hello: db "echo-boot", 13, 10, 0
times 510 - ($ - $$) db 0
dw 0xaa55
