; Boot sector that triple-faults: an empty IDT (limit 0) makes INT 3 raise #GP, then #DF, then a
; shutdown (Intel SDM vol. 3A, 6.15, interrupt 8 "Double Fault").
bits 16
org 0x7c00
  cli
  xor ax, ax
  mov ds, ax
  lidt [idt]
  int3
  hlt
idt: dw 0
  dd 0
times 510 - ($ - $$) db 0
dw 0xaa55
