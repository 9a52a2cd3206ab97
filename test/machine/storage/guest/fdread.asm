; Floppy boot sector for the SeaBIOS floppy test: reads the first four cylinders (both heads,
; SPT sectors each) with INT 13h AH=02h, prints "FDBOOT <16-bit word sum> DONE" on COM1, and
; writes itself to C5/H1/S7 with AH=03h. SPT is passed with -D (sectors read per track).
org 0x7c00
bits 16
start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7c00
    sti
    mov si, hello
    call print
    xor bp, bp              ; running 16-bit sum of all words read
    xor di, di              ; cylinder
.cyl:
    xor cx, cx
    mov [head], cl
.head:
    mov ax, 0x1000
    mov es, ax
    xor bx, bx
    mov ax, di
    mov ch, al              ; cylinder
    mov cl, 1               ; sector 1
    mov dh, [head]
    mov dl, 0
    mov ax, 0x0200 | SPT    ; read SPT sectors
    int 0x13
    jc fail
    push ds
    mov ax, 0x1000
    mov ds, ax
    xor si, si
    mov cx, SPT*256
.sum:
    lodsw
    add bp, ax
    loop .sum
    pop ds
    inc byte [head]
    cmp byte [head], 2
    jb .head
    inc di
    cmp di, 4
    jb .cyl
    ; write one sector (C5 H1 S7) from the boot sector itself
    xor ax, ax
    mov es, ax
    mov bx, 0x7c00
    mov cx, 0x0507
    mov dx, 0x0100
    mov ax, 0x0301
    int 0x13
    jc fail
    mov ax, bp
    call hex16
    mov si, done
    call print
    cli
    hlt
fail:
    mov si, failed
    call print
    mov al, ah
    call hex8
    cli
    hlt
hex16:
    push ax
    mov al, ah
    call hex8
    pop ax
hex8:
    push ax
    shr al, 4
    call nib
    pop ax
nib:
    and al, 15
    add al, '0'
    cmp al, '9'
    jbe .o
    add al, 7
.o: jmp putc
print:
    lodsb
    or al, al
    jz .r
    call putc
    jmp print
.r: ret
putc:
    push ax
    mov dx, 0x3fd
.w: in al, dx
    test al, 0x20
    jz .w
    pop ax
    mov dx, 0x3f8
    out dx, al
    ret
head: db 0
hello: db "FDBOOT ", 0
done: db " DONE", 10, 0
failed: db " FAIL ", 0
times 510-($-$$) db 0
dw 0xaa55
