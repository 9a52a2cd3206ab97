/* Compiled SSE2 code (gcc -m32 -msse2 -mfpmath=sse -O2), run both natively and on lab86 by
   test/cpu/simd/compiled.test.ts. Everything it computes goes into out[], which the test
   compares byte for byte. No library calls: the lab86 build is freestanding. */
#include <stdint.h>

#define N 64
typedef struct { double d[N]; float f[N]; int32_t i[N]; uint32_t mx[8]; uint8_t bytes[256]; } Out;

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static uint32_t get_mxcsr(void) { uint32_t v; __asm__ volatile("stmxcsr %0" : "=m"(v)); return v; }
static void set_mxcsr(uint32_t v) { __asm__ volatile("ldmxcsr %0" :: "m"(v)); }

static double poly(double x) { return ((0.3 * x - 1.25) * x + 2.0) * x - 0.125; }
static float rsq(float x) { float r = 1.0f / x; return r * r + x / 3.0f; }

static void sort_doubles(double *a, int n) {
  for (int i = 1; i < n; i++) {
    double v = a[i]; int j = i - 1;
    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
    a[j + 1] = v;
  }
}

static uint32_t byte_work(uint8_t *dst) {
  /* strlen/memchr-like loops that gcc may vectorise with SSE2 integer instructions */
  uint8_t src[256];
  for (int i = 0; i < 256; i++) src[i] = (uint8_t)(rnd() >> 7);
  uint32_t sum = 0;
  for (int i = 0; i < 256; i++) { uint8_t v = src[i]; dst[i] = v > 128 ? v - 128 : (uint8_t)(v * 2); sum += dst[i]; }
  return sum;
}

void kernels(Out *o) {
  set_mxcsr(0x1f80);
  for (int k = 0; k < N; k++) {
    double x = (double)(int32_t)rnd() / 1048576.0;
    o->d[k] = poly(x) / (1.0 + (x < 0 ? -x : x));
    float y = (float)(rnd() & 0xffff) / 257.0f + 0.001f;
    o->f[k] = rsq(y);
    o->i[k] = (int32_t)(o->d[k] * 3.5) + (int32_t)o->f[k];
  }
  o->mx[0] = get_mxcsr();
  sort_doubles(o->d, N);
  set_mxcsr(0x3f80); /* round down */
  double acc = 0; for (int k = 0; k < N; k++) acc += o->d[k] / 7.0;
  o->d[0] = acc;
  o->mx[1] = get_mxcsr();
  set_mxcsr(0x7f80 | 0x8000 | 0x40); /* toward zero, FTZ, DAZ */
  float facc = 1e-30f; for (int k = 0; k < N; k++) facc = facc * 0.5f + o->f[k] * 1e-38f;
  o->f[0] = facc;
  o->mx[2] = get_mxcsr();
  set_mxcsr(0x1f80);
  o->mx[3] = byte_work(o->bytes);
}

#ifdef LAB86_ENTRY
/* Freestanding entry for lab86: the output block at a fixed address, then HLT. */
void entry(void) {
  kernels((Out *)0x90000);
  __asm__ volatile("hlt");
}
#else
#include <stdio.h>
int main(void) { static Out o; kernels(&o); fwrite(&o, sizeof o, 1, stdout); return 0; }
#endif
