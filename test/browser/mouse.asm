; Boot sector for the browser mouse test: enables the 8042's auxiliary port and the PS/2 mouse's
; stream mode (IBM PS/2 technical reference: command D4h forwards a byte to the mouse, F4h
; enables reporting), switches the mouse to the IntelliMouse protocol (sample rates 200, 100, 80,
; then ID 3: 4-byte packets with the wheel in the fourth byte), then polls the controller with
; interrupts off and shows the running sums of the X and Y movements (9-bit two's complement,
; Y up), the last button bits and the sum of the wheel as "MOUSE xxxx yyyy b zzzz" in hex on the
; top row of the text screen.
%include "boot.inc"
start:
  cli
  BOOT_SEGMENTS
  mov ax, 0xb800
  mov es, ax
  mov al, 0xa8                 ; enable the auxiliary device
  call command
  mov si, intellimouse
.init:
  lodsb
  test al, al
  jz .ready
  call to_mouse
  jmp .init
.ready:
  xor bp, bp                   ; bytes of the current packet so far
  call show
.poll:
  call read_byte
  mov [packet + bp], al
  inc bp
  cmp bp, 4
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
  movsx ax, byte [packet + 3]  ; wheel: signed, positive towards the user
  add [sumz], ax
  call show
  jmp .poll

to_mouse:                      ; AL to the mouse, then wait for its ACK
  push ax
  mov al, 0xd4
  call command
  pop ax
  call wait_write
  out 0x60, al
  jmp read_byte
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
  mov ax, 0x0720
  stosw
  mov dx, [sumz]
  call hex4
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
sumz: dw 0
; F3h n: set sample rate; F4h: enable reporting. (Each answered by an ACK.)
intellimouse: db 0xf3, 200, 0xf3, 100, 0xf3, 80, 0xf4, 0
buttons: db 0
packet: db 0, 0, 0, 0
times 510 - ($ - $$) db 0
dw 0xaa55
