; Boot sector for the browser mouse test: enables the 8042's auxiliary port and the PS/2 mouse's
; stream mode (IBM PS/2 technical reference: command D4h forwards a byte to the mouse, F4h
; enables reporting), then polls the controller with interrupts off and shows the running sums
; of the standard 3-byte packets' X and Y movements (9-bit two's complement, Y up) and the last
; button bits as "MOUSE xxxx yyyy b" in hex on the top row of the text screen.
bits 16
org 0x7c00
start:
  cli
  xor ax, ax
  mov ds, ax
  mov ss, ax
  mov sp, 0x7c00
  mov ax, 0xb800
  mov es, ax
  mov al, 0xa8                 ; enable the auxiliary device
  call command
  mov al, 0xd4                 ; next data byte goes to the mouse
  call command
  mov al, 0xf4                 ; enable data reporting
  call wait_write
  out 0x60, al
  call read_byte               ; the mouse's ACK (FAh)
  xor bp, bp                   ; bytes of the current packet so far
  call show
.poll:
  call read_byte
  mov [packet + bp], al
  inc bp
  cmp bp, 3
  jb .poll
  xor bp, bp
  mov bl, [packet]
  mov al, bl
  and al, 7
  mov [buttons], al
  movzx ax, byte [packet + 1]  ; X with the sign from bit 4 of the flags
  test bl, 0x10
  jz .xpos
  or ax, 0xff00
.xpos:
  add [sumx], ax
  movzx ax, byte [packet + 2]  ; Y with the sign from bit 5
  test bl, 0x20
  jz .ypos
  or ax, 0xff00
.ypos:
  add [sumy], ax
  call show
  jmp .poll

command:                       ; AL to the controller's command port
  call wait_write
  out 0x64, al
  ret
wait_write:
  push ax
.w:
  in al, 0x64
  test al, 2
  jnz .w
  pop ax
  ret
read_byte:                     ; next byte from the output buffer
  in al, 0x64
  test al, 1
  jz read_byte
  in al, 0x60
  ret

show:
  xor di, di
  mov si, label
.l:
  lodsb
  test al, al
  jz .n
  mov ah, 7
  stosw
  jmp .l
.n:
  mov dx, [sumx]
  call hex4
  mov ax, 0x0720
  stosw
  mov dx, [sumy]
  call hex4
  mov ax, 0x0720
  stosw
  mov al, [buttons]
  add al, '0'
  mov ah, 7
  stosw
  ret
hex4:
  mov cx, 4
.d:
  rol dx, 4
  mov al, dl
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .s
  add al, 'A' - '9' - 1
.s:
  mov ah, 7
  stosw
  loop .d
  ret

label: db "MOUSE ", 0
sumx: dw 0
sumy: dw 0
buttons: db 0
packet: db 0, 0, 0
times 510 - ($ - $$) db 0
dw 0xaa55
