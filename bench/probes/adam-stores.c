/*
 * Probe: is the DNN's Adam pass bound by memory, and would other stores help? One pass of the
 * addon's Adam loop (native/adan_blas.c, adam_range: same float32 arithmetic, FMA contraction
 * off) over n weights, three ways, on the same inputs, interleaved:
 *   out-of-place  new weights to a second buffer (what FusedAdam does: a fresh tensor per step)
 *   in-place      new weights over the old
 *   streaming     out-of-place with non-temporal stores for m, v and the weights (AVX-512)
 * and checks that all three give the same bits. Not part of the build: run by hand,
 *   gcc -O3 -ffp-contract=off -fno-math-errno -fno-trapping-math bench/probes/adam-stores.c -lm -o /tmp/adam-stores
 *   /tmp/adam-stores 1600000   # the paper DNN on IEMOCAP (4 x 512 on 1,582 features)
 *   /tmp/adam-stores 446000    # the paper DNN on EmoDB (2 x 100 on 4,354 features)
 * Results: BENCHMARKS.md, "The paper DNN on IEMOCAP: what is left".
 */
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

typedef struct { float b1, b2, ob1, ob2, eps, c1, c2, neg_lr, decay; } Params;

__attribute__((target("avx512f"))) static void adam(const float* w, const float* restrict g, float* restrict m, float* restrict v, float* out, long n, Params j) {
  for (long i = 0; i < n; i++) {
    const float gi = j.decay != 0.0f ? g[i] + w[i] * j.decay : g[i];
    const float mi = m[i] * j.b1 + gi * j.ob1;
    const float vi = v[i] * j.b2 + (gi * gi) * j.ob2;
    m[i] = mi;
    v[i] = vi;
    const float mh = mi / j.c1, vh = vi / j.c2;
    out[i] = (mh / (sqrtf(vh) + j.eps)) * j.neg_lr + w[i];
  }
}

/* The same operations in the same order, 16 lanes, stores that bypass the cache; n % 16 == 0. */
__attribute__((target("avx512f"))) static void adam_streaming(const float* w, const float* restrict g, float* restrict m, float* restrict v, float* out, long n, Params j) {
  const __m512 b1 = _mm512_set1_ps(j.b1), b2 = _mm512_set1_ps(j.b2), ob1 = _mm512_set1_ps(j.ob1), ob2 = _mm512_set1_ps(j.ob2);
  const __m512 eps = _mm512_set1_ps(j.eps), c1 = _mm512_set1_ps(j.c1), c2 = _mm512_set1_ps(j.c2), nl = _mm512_set1_ps(j.neg_lr), dc = _mm512_set1_ps(j.decay);
  for (long i = 0; i < n; i += 16) {
    const __m512 wi = _mm512_load_ps(w + i);
    const __m512 gi = _mm512_add_ps(_mm512_load_ps(g + i), _mm512_mul_ps(wi, dc));
    const __m512 mi = _mm512_add_ps(_mm512_mul_ps(_mm512_load_ps(m + i), b1), _mm512_mul_ps(gi, ob1));
    const __m512 vi = _mm512_add_ps(_mm512_mul_ps(_mm512_load_ps(v + i), b2), _mm512_mul_ps(_mm512_mul_ps(gi, gi), ob2));
    _mm512_stream_ps(m + i, mi);
    _mm512_stream_ps(v + i, vi);
    const __m512 mh = _mm512_div_ps(mi, c1), vh = _mm512_div_ps(vi, c2);
    _mm512_stream_ps(out + i, _mm512_add_ps(_mm512_mul_ps(_mm512_div_ps(mh, _mm512_add_ps(_mm512_sqrt_ps(vh), eps)), nl), wi));
  }
  _mm_sfence();
}

static float* filled(long n, float scale, float freq) {
  float* p = aligned_alloc(64, n * 4);
  for (long i = 0; i < n; i++) p[i] = scale == 0.0f ? 0.0f : sinf(i * freq) * scale;
  return p;
}

int main(int argc, char** argv) {
  const long n = (argc > 1 ? atol(argv[1]) : 1600000) & ~15L;
  const int reps = 300;
  const Params j = {0.9f, 0.999f, 0.1f, 0.001f, 1e-8f, 0.5f, 0.01f, -1e-4f, 2e-3f};
  const float* g = filled(n, 0.01f, 0.7f);
  /* per variant: two weight buffers (out-of-place swaps them), m, v */
  float *w[3][2], *m[3], *v[3];
  for (int k = 0; k < 3; k++) {
    w[k][0] = filled(n, 0.1f, 1.0f);
    w[k][1] = filled(n, 0.0f, 0.0f);
    m[k] = filled(n, 0.0f, 0.0f);
    v[k] = filled(n, 0.0f, 0.0f);
  }
  double t[3] = {0, 0, 0};
  for (int r = 0; r < reps; r++) {
    const int a = r & 1, b = a ^ 1;
    double t0 = now();
    adam(w[0][a], g, m[0], v[0], w[0][b], n, j);
    t[0] += now() - t0;
    t0 = now();
    adam(w[1][0], g, m[1], v[1], w[1][0], n, j);
    t[1] += now() - t0;
    t0 = now();
    adam_streaming(w[2][a], g, m[2], v[2], w[2][b], n, j);
    t[2] += now() - t0;
  }
  const float* last = w[0][reps & 1];
  const int same = memcmp(last, w[1][0], n * 4) == 0 && memcmp(last, w[2][reps & 1], n * 4) == 0 && memcmp(m[0], m[1], n * 4) == 0 && memcmp(v[0], v[2], n * 4) == 0;
  printf("{\"weights\":%ld,\"msOutOfPlace\":%.3f,\"msInPlace\":%.3f,\"msStreaming\":%.3f,\"sameBits\":%s}\n", n, t[0] / reps * 1e3, t[1] / reps * 1e3, t[2] / reps * 1e3, same ? "true" : "false");
  return same ? 0 : 1;
}
