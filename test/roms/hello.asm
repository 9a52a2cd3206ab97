; Smallest ROM: protected-mode entry through the shared runtime and one expected fault.
%include "lib/rom.inc"

test_main:
  PUTS "hello from protected mode", 10
  mov eax, cr0
  SHOW "cr0", eax
  NL
  EXPECT_FAULT .after
  ud2
.after:
  PUTS "resumed after #UD", 10
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"
