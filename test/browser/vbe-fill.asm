; Boot sector for the browser test of VBE graphics: finds the Bochs VGA (PCI 1234:1111) by
; configuration mechanism #1 (PCI Local Bus spec 3.0, 3.2.2.3.2), reads its linear framebuffer
; from BAR0, sets 640x480x32 through the DISPI registers (index 0x1CE, data 0x1CF; 1 XRES,
; 2 YRES, 3 BPP, 4 ENABLE with bit 6 = LFB), fills the screen with 0x336699 in protected mode
; (the LFB sits above 1 MiB), and halts with interrupts off.
%include "boot.inc"
start:
  cli
  BOOT_SEGMENTS
  mov ebx, 0x80000000          ; bus 0, device 0, function 0, register 0
.scan:
  mov eax, ebx
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  cmp eax, 0x11111234
  je .found
  add ebx, 0x800               ; next device
  cmp ebx, 0x80010000
  jb .scan
  hlt
.found:
  lea eax, [ebx + 0x10]        ; BAR0
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  and eax, 0xfffffff0
  mov [lfb], eax
  lea eax, [ebx + 0x04]        ; command: memory and I/O decode on
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  mov eax, 3
  out dx, eax
  mov si, dispi
.dispi:
  lodsw
  cmp ax, 0xffff
  je .pm
  mov dx, 0x1ce
  out dx, ax
  lodsw
  mov dx, 0x1cf
  out dx, ax
  jmp .dispi
.pm:
  lgdt [gdt_desc]
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp 0x08:pm32
bits 32
pm32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov edi, [lfb]
  mov ecx, 640 * 480
  mov eax, 0x00336699
  cld
  rep stosd
.halt:
  cli
  hlt
  jmp .halt

align 4
lfb: dd 0
dispi: dw 4, 0, 1, 640, 2, 480, 3, 32, 4, 0x41, 0xffff
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff        ; 0x08: flat 32-bit code
  dq 0x00cf92000000ffff        ; 0x10: flat data
gdt_desc:
  dw gdt_desc - gdt - 1
  dd gdt
times 510 - ($ - $$) db 0
dw 0xaa55
