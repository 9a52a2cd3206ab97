// Native reference runner for the user-mode differential tests (test/cpu/diff).
//
// Built at test time with `gcc -m32` (see test/cpu/native/build.ts) and never committed. It reads
// a batch of fixed-size case records on stdin, runs each case's code on the host CPU in ring 3,
// and writes one variable-size result record per case on stdout. Record layouts are described in
// test/cpu/diff/layout.ts; the TypeScript side and this file must agree on them.
//
// How a case runs: the code bytes are copied into an RWX page at CODE_ADDR and followed by HLT.
// The trampoline loads EFLAGS and all eight GPRs (ESP too) and jumps to the code. HLT in ring 3
// raises #GP, which Linux turns into SIGSEGV with trapno 13 and EIP at the HLT: that is the normal
// end of a case. Any other fault raised by the code itself (SIGFPE for #DE, SIGILL for #UD, ...)
// ends it the same way, with the vector read from the signal context's trapno. Either way the
// handler copies the registers out of the ucontext and rewrites the context so that sigreturn
// resumes the trampoline with the host's stack and segment registers.
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define BUF_ADDR 0x00010000u
#define BUF_SIZE 4096u
#define CODE_ADDR 0x00020000u
#define CODE_MAX 48
#define PATCH_MAX 32
#define FS_LDT_SELECTOR 0x07 /* LDT entry 0, RPL 3: base BUF_ADDR, byte limit 0xfff */
#define CODE16_SELECTOR 0x0f /* LDT entry 1, RPL 3: 16-bit code, base CODE_ADDR, limit 0xffff */

struct in_record { /* 128 bytes */
  uint32_t regs[8];
  uint32_t eflags;
  uint32_t seed;
  uint8_t code_len, patch_len;
  uint16_t patch_off;
  uint8_t code[CODE_MAX];
  uint8_t patch[PATCH_MAX];
  uint32_t flags; /* bit 0: 16-bit code segment; bit 1: SS is the buffer segment; bits 8-19: code offset in its page */
};

struct out_header { /* 56 bytes, then nchanges u32 words (offset << 8 | new byte) */
  uint32_t regs[8];
  uint32_t eflags;
  uint32_t eip;
  int32_t vector; /* -1: reached the final HLT; -2: timed out */
  uint32_t errcode;
  uint32_t nchanges;
  uint32_t cr2; /* faulting linear address of a #PF */
};

// Inputs and host state shared with the trampoline (absolute addressing: built with -no-pie).
uint32_t g_regs_in[8];
uint32_t g_eflags_in;
uint32_t g_host_esp;
// Far pointer (m16:32) the trampoline jumps through: CODE_ADDR in the process's flat code
// segment, or offset 0 in the 16-bit code segment.
struct __attribute__((packed)) { uint32_t off; uint16_t sel; } g_code_far;
uint32_t g_mxcsr_default = 0x1f80;
uint32_t g_fs_sel = FS_LDT_SELECTOR;
uint32_t g_case_ss; /* the case's SS: the process's own, or the buffer segment (FS_LDT_SELECTOR) */
uint32_t g_flag_stack[16];

static struct out_header g_out;
static greg_t g_host_cs, g_host_ss, g_host_ds, g_host_es, g_host_fs, g_host_gs;

void enter_case(void);
void resume_host(void);
__asm__(
    ".text\n"
    ".globl enter_case\n"
    "enter_case:\n"
    "  pushal\n"
    "  movl %esp, g_host_esp\n"
    "  fninit\n"
    "  ldmxcsr g_mxcsr_default\n"
    "  movw g_fs_sel, %ax\n"
    "  movw %ax, %fs\n"
    "  movl $g_flag_stack+60, %esp\n"
    "  pushl g_eflags_in\n"
    "  popfl\n"
    "  movl g_regs_in+0, %eax\n"
    "  movl g_regs_in+4, %ecx\n"
    "  movl g_regs_in+8, %edx\n"
    "  movl g_regs_in+12, %ebx\n"
    "  movw g_case_ss, %ss\n"
    "  movl g_regs_in+16, %esp\n"
    "  movl g_regs_in+20, %ebp\n"
    "  movl g_regs_in+24, %esi\n"
    "  movl g_regs_in+28, %edi\n"
    "  ljmp *g_code_far\n"
    ".globl resume_host\n"
    "resume_host:\n"
    "  movl g_host_esp, %esp\n"
    "  popal\n"
    "  ret\n");

// A case ends normally at any HLT in the code page: the one after the code, or one a jump,
// call or return in the case went to (the rest of the page is filled with HLT).
static int at_code_hlt(uint32_t eip) {
  return eip >= CODE_ADDR && eip < CODE_ADDR + 4096 && *(volatile uint8_t *)(uintptr_t)eip == 0xf4;
}

static void on_signal(int sig, siginfo_t *si, void *ucv) {
  (void)si;
  ucontext_t *uc = (ucontext_t *)ucv;
  greg_t *g = uc->uc_mcontext.gregs;
  g_out.regs[0] = g[REG_EAX];
  g_out.regs[1] = g[REG_ECX];
  g_out.regs[2] = g[REG_EDX];
  g_out.regs[3] = g[REG_EBX];
  g_out.regs[4] = g[REG_ESP];
  g_out.regs[5] = g[REG_EBP];
  g_out.regs[6] = g[REG_ESI];
  g_out.regs[7] = g[REG_EDI];
  g_out.eflags = g[REG_EFL];
  // EIP is an offset in CS: make it linear for the 16-bit code segment.
  uint32_t eip = (uint32_t)g[REG_EIP] + ((g[REG_CS] & 0xffff) == CODE16_SELECTOR ? CODE_ADDR : 0);
  g_out.eip = eip;
  g_out.errcode = g[REG_ERR];
  g_out.cr2 = uc->uc_mcontext.cr2;
  if (sig == SIGVTALRM) g_out.vector = -2;
  else if (sig == SIGSEGV && g[REG_TRAPNO] == 13 && at_code_hlt(eip)) g_out.vector = -1;
  else g_out.vector = g[REG_TRAPNO];
  g[REG_EIP] = (greg_t)(uintptr_t)resume_host;
  g[REG_EFL] = 0x202;
  g[REG_CS] = g_host_cs;
  g[REG_SS] = g_host_ss;
  g[REG_DS] = g_host_ds;
  g[REG_ES] = g_host_es;
  g[REG_FS] = g_host_fs;
  g[REG_GS] = g_host_gs;
}

static void fill_buffer(uint8_t *buf, uint32_t seed) {
  // xorshift32; test/cpu/diff/layout.ts fillBuffer() is the same generator.
  uint32_t x = seed ? seed : 0x9e3779b9u;
  uint32_t *w = (uint32_t *)buf;
  for (unsigned i = 0; i < BUF_SIZE / 4; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    w[i] = x;
  }
}

static void die(const char *what) {
  perror(what);
  exit(2);
}

int main(void) {
  uint8_t *buf = mmap((void *)BUF_ADDR, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (buf != (uint8_t *)BUF_ADDR) die("mmap data buffer at 0x10000");
  uint8_t *code = mmap((void *)CODE_ADDR, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code != (uint8_t *)CODE_ADDR) die("mmap code page at 0x20000");
  struct user_desc d;
  memset(&d, 0, sizeof d);
  d.entry_number = 0;
  d.base_addr = BUF_ADDR;
  d.limit = BUF_SIZE - 1;
  d.seg_32bit = 1;
  d.useable = 0;
  if (syscall(SYS_modify_ldt, 1, &d, sizeof d) != 0) die("modify_ldt");
  memset(&d, 0, sizeof d);
  d.entry_number = 1;
  d.base_addr = CODE_ADDR;
  d.limit = 0xffff;
  d.seg_32bit = 0;
  d.contents = MODIFY_LDT_CONTENTS_CODE;
  if (syscall(SYS_modify_ldt, 1, &d, sizeof d) != 0) die("modify_ldt (16-bit code)");

  static uint8_t altstack[65536];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  if (sigaltstack(&ss, NULL) != 0) die("sigaltstack");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGVTALRM};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (sigaction(sigs[i], &sa, NULL) != 0) die("sigaction");
  uint16_t s;
  __asm__("movw %%cs, %0" : "=r"(s)); g_host_cs = s;
  __asm__("movw %%ss, %0" : "=r"(s)); g_host_ss = s;
  __asm__("movw %%ds, %0" : "=r"(s)); g_host_ds = s;
  __asm__("movw %%es, %0" : "=r"(s)); g_host_es = s;
  __asm__("movw %%fs, %0" : "=r"(s)); g_host_fs = s;
  __asm__("movw %%gs, %0" : "=r"(s)); g_host_gs = s;

  static uint8_t initial[BUF_SIZE];
  static uint32_t changes[BUF_SIZE];
  struct in_record rec;
  // Watchdog against a case that never reaches its HLT (a generator bug): one second of this
  // process's own CPU time, so a busy machine cannot trigger it.
  struct itimerval watchdog = {{0, 0}, {1, 0}}, off = {{0, 0}, {0, 0}};
  while (fread(&rec, sizeof rec, 1, stdin) == 1) {
    if (rec.code_len > CODE_MAX || rec.patch_len > PATCH_MAX || rec.patch_off + rec.patch_len > BUF_SIZE) {
      fprintf(stderr, "bad record\n");
      return 2;
    }
    fill_buffer(buf, rec.seed);
    memcpy(buf + rec.patch_off, rec.patch, rec.patch_len);
    memcpy(initial, buf, BUF_SIZE);
    uint32_t code_off = (rec.flags >> 8) & 0xfff;
    memset(code, 0xf4, 4096);
    // Code placed near the end of the page runs off it into the unmapped page after it.
    uint32_t fit = rec.code_len < 4096 - code_off ? rec.code_len : 4096 - code_off;
    memcpy(code + code_off, rec.code, fit);
    memcpy(g_regs_in, rec.regs, sizeof g_regs_in);
    g_eflags_in = rec.eflags;
    g_code_far.off = ((rec.flags & 1) ? 0 : CODE_ADDR) + code_off;
    g_code_far.sel = (rec.flags & 1) ? CODE16_SELECTOR : (uint16_t)g_host_cs;
    g_case_ss = (rec.flags & 2) ? FS_LDT_SELECTOR : (uint32_t)g_host_ss;
    memset(&g_out, 0, sizeof g_out);
    setitimer(ITIMER_VIRTUAL, &watchdog, NULL);
    enter_case();
    setitimer(ITIMER_VIRTUAL, &off, NULL);
    uint32_t n = 0;
    for (uint32_t i = 0; i < BUF_SIZE; i++)
      if (buf[i] != initial[i]) changes[n++] = (i << 8) | buf[i];
    g_out.nchanges = n;
    fwrite(&g_out, sizeof g_out, 1, stdout);
    fwrite(changes, 4, n, stdout);
  }
  fflush(stdout);
  return 0;
}
