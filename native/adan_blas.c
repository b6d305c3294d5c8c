/*
 * adan_blas: a small N-API addon that runs the heavy kernels of tfjs' wasm backend on a native
 * BLAS (OpenBLAS on Linux, Accelerate on macOS), directly on the wasm heap (zero copy).
 *
 * Every function takes the wasm heap's ArrayBuffer (`backend.wasm.HEAPU8.buffer`, fetched anew
 * at each call because the heap may grow and be replaced) plus byte offsets into it, which the
 * TypeScript side reads from the backend's data map. Offsets and sizes are bounds-checked here.
 *
 * Exports:
 *   gemm(heap, transA, transB, batch, M, N, K, aOff, aStride, bOff, bStride, cOff, cStride,
 *        biasOff, activation, alpha)
 *     C[b] = act(op(A[b]) op(B[b]) + bias) for b < batch, row-major float32; strides are in
 *     elements between consecutive batch matrices (0 = broadcast one matrix), biasOff < 0 = no
 *     bias (else a length-N row vector), activation codes follow tfjs-backend-wasm's
 *     FusableActivation enum: 0 linear, 1 relu, 2 relu6, 4 leakyrelu (alpha), 5 sigmoid, 6 elu.
 *   adam(heap, wOff, gOff, mOff, vOff, outOff, n, lr, beta1, beta2, eps, oneMinusAccBeta1,
 *        oneMinusAccBeta2)
 *     One pass of tfjs' Adam update (same float32 arithmetic and order): m and v in place, the
 *     new weight to outOff (which may equal wOff).
 *   adamDecayed(heap, ... as adam ..., decay)
 *     The same with an L2 penalty's gradient added first: g + w * decay, each rounded to float32
 *     as tfjs' add(g, mul(w, decay)) does (the DNN's l2, 2 lambda).
 *   dropoutMask(heap, outOff, n, threshold, keep, state)
 *     n dropout-mask values from xoshiro128** (state: a 16-byte ArrayBuffer, advanced in place).
 *   colsum(heap, xOff, rows, cols, outOff)
 *     Column sums of a row-major matrix: tfjs' Sum over leading axes (bias gradients).
 *   dense, denseGrad, norm, normGrad
 *     A fully connected layer (product, bias, activation) and a BatchNorm on given statistics,
 *     forward and backward, one call each (contracts below): the augmenters' E and R layers.
 *   mse, mseGrad, softmaxCe, softmaxCeGrad
 *     Mean squared error (the reconstruction loss, Eq. 12) and the row-weighted softmax
 *     cross-entropy (Eq. 11 and the classifiers' loss), forward and gradient, one pass each.
 *   setThreads(n), getThreads(): the BLAS threads for large products (small ones use one)
 *   info(): the BLAS library's description
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef __APPLE__
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>
#define BLAS_NAME "Accelerate"
#else
#include <cblas.h>
#define BLAS_NAME "OpenBLAS"
#endif

/* LAPACK's Cholesky factorisation and solve (OpenBLAS and Accelerate both carry LAPACK). */
#ifdef __APPLE__
typedef __LAPACK_int lapack_int;
#else
typedef int lapack_int;
extern void dpotrf_(const char* uplo, const lapack_int* n, double* a, const lapack_int* lda, lapack_int* info);
extern void dpotrs_(const char* uplo, const lapack_int* n, const lapack_int* nrhs, const double* a, const lapack_int* lda,
                    double* b, const lapack_int* ldb, lapack_int* info);
#endif

/* BLAS threads for large products (setThreads); also splits large elementwise passes. */
static int max_threads = 1;

#define CHECK(call)                                                        \
  do {                                                                     \
    if ((call) != napi_ok) {                                               \
      napi_throw_error(env, NULL, "adan_blas: N-API call failed: " #call); \
      return NULL;                                                         \
    }                                                                      \
  } while (0)

#define FAIL(msg)                                  \
  do {                                             \
    napi_throw_error(env, NULL, "adan_blas: " msg); \
    return NULL;                                   \
  } while (0)

/* The preamble of every kernel: exactly n arguments in `a`, the first the wasm heap (`heap`,
 * `len` bytes). */
#define ARGS(n, name)                                                                  \
  size_t argc = n;                                                                     \
  napi_value a[n];                                                                     \
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));                            \
  if (argc != n) FAIL(name " expects " #n " arguments");                               \
  uint8_t* heap;                                                                       \
  size_t len;                                                                          \
  if (!heap_of(env, a[0], &heap, &len)) FAIL(name ": first argument must be the wasm heap buffer")

/* The heap's data pointer and length, from an ArrayBuffer or any typed array over it. */
static int heap_of(napi_env env, napi_value v, uint8_t** data, size_t* len) {
  bool is_ab = false, is_ta = false;
  if (napi_is_arraybuffer(env, v, &is_ab) != napi_ok) return 0;
  if (is_ab) {
    void* p = NULL;
    if (napi_get_arraybuffer_info(env, v, &p, len) != napi_ok) return 0;
    *data = (uint8_t*)p;
    return 1;
  }
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  napi_value ab;
  void* p = NULL;
  if (napi_get_typedarray_info(env, v, &type, &length, &p, &ab, &offset) != napi_ok) return 0;
  void* base = NULL;
  if (napi_get_arraybuffer_info(env, ab, &base, len) != napi_ok) return 0;
  *data = (uint8_t*)base;
  return 1;
}

static int64_t int_arg(napi_env env, napi_value v) {
  int64_t out = 0;
  napi_get_value_int64(env, v, &out);
  return out;
}

static double num_arg(napi_env env, napi_value v) {
  double out = 0;
  napi_get_value_double(env, v, &out);
  return out;
}

/* Loops bound by division or square root (Adam's update, the rational tanh) run at the widest
 * vectors the CPU has: GCC compiles one copy per target and the loader picks one (ifunc). IEEE
 * sums, products, quotients and square roots round alike at every width, and FMA contraction is
 * off (binding.gyp), so every copy gives the same bits (tests compare the results of before).
 * Adam's pass on 446,000 weights: 0.39 ms with SSE2's 4 lanes, 0.10 ms with AVX-512's 16. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

/* Is [off, off + 4 * count) inside the heap, 4-byte aligned? */
static int in_heap(int64_t off, int64_t count, size_t len) {
  if (off < 0 || count < 0 || (off & 3) != 0) return 0;
  return (uint64_t)off + 4u * (uint64_t)count <= (uint64_t)len;
}

static void apply_epilogue(float* c, int64_t M, int64_t N, const float* bias, int act, float alpha) {
  if (bias == NULL && act == 0) return;
  for (int64_t i = 0; i < M; i++) {
    float* row = c + i * N;
    if (bias != NULL)
      for (int64_t j = 0; j < N; j++) row[j] += bias[j];
    switch (act) {
      case 1:
        for (int64_t j = 0; j < N; j++) row[j] = row[j] < 0.f ? 0.f : row[j];
        break;
      case 2:
        for (int64_t j = 0; j < N; j++) row[j] = row[j] < 0.f ? 0.f : (row[j] > 6.f ? 6.f : row[j]);
        break;
      case 4:
        for (int64_t j = 0; j < N; j++) row[j] = row[j] < 0.f ? alpha * row[j] : row[j];
        break;
      case 5:
        for (int64_t j = 0; j < N; j++) row[j] = 1.f / (1.f + expf(-row[j]));
        break;
      case 6:
        for (int64_t j = 0; j < N; j++) row[j] = row[j] < 0.f ? expf(row[j]) - 1.f : row[j];
        break;
      default:
        break;
    }
  }
}

/* tanh by Eigen's rational approximation (odd 13/6 degree; |error| < 4e-7 against tanh):
 * libm's tanhf does not vectorise and costs ~20x more on the decoder's 128 x 4354 output. */
static inline float fast_tanh(float x) {
  const float clamp = 7.90531110763549805f;
  if (fabsf(x) < 0.0004f) return x;
  x = x > clamp ? clamp : (x < -clamp ? -clamp : x);
  const float x2 = x * x;
  float p = -2.76076847742355e-16f;
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * x;
  float q = 1.19825839466702e-06f;
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return p / q;
}

/*
 * BLAS threads: `max_threads` for large products, one thread for small ones (below
 * SMALL_FLOPS the hand-off to worker threads costs more than it saves, and on a busy machine a
 * descheduled worker stalls the whole product: measured, a DNN step of batch 32 (28 MFLOP
 * products) 10x slower with 2 threads while another process ran; WADAN's 128x4354x800 and
 * 128x800x800 products stay threaded).
 */
static int cur_threads = -1;
#define SMALL_FLOPS 1.0e8

static void use_threads(double flops) {
#ifndef __APPLE__
  int want = flops < SMALL_FLOPS ? 1 : max_threads;
  if (want != cur_threads) {
    openblas_set_num_threads(want);
    cur_threads = want;
  }
#else
  (void)flops;
#endif
}

static napi_value Gemm(napi_env env, napi_callback_info info) {
  ARGS(16, "gemm");
  bool tA = false, tB = false;
  CHECK(napi_get_value_bool(env, a[1], &tA));
  CHECK(napi_get_value_bool(env, a[2], &tB));
  int64_t batch = int_arg(env, a[3]), M = int_arg(env, a[4]), N = int_arg(env, a[5]),
          K = int_arg(env, a[6]);
  int64_t aOff = int_arg(env, a[7]), aStride = int_arg(env, a[8]);
  int64_t bOff = int_arg(env, a[9]), bStride = int_arg(env, a[10]);
  int64_t cOff = int_arg(env, a[11]), cStride = int_arg(env, a[12]);
  int64_t biasOff = int_arg(env, a[13]);
  int act = (int)int_arg(env, a[14]);
  float alpha = (float)num_arg(env, a[15]);
  if (batch < 1 || M < 0 || N < 0 || K < 0 || aStride < 0 || bStride < 0 || cStride < 0)
    FAIL("gemm: bad dimensions");
  if (M > INT32_MAX || N > INT32_MAX || K > INT32_MAX) FAIL("gemm: dimension too large");
  if (!in_heap(aOff, (batch - 1) * aStride + M * K, len) ||
      !in_heap(bOff, (batch - 1) * bStride + K * N, len) ||
      !in_heap(cOff, (batch - 1) * cStride + M * N, len))
    FAIL("gemm: operand outside the heap");
  const float* bias = NULL;
  if (biasOff >= 0) {
    if (!in_heap(biasOff, N, len)) FAIL("gemm: bias outside the heap");
    bias = (const float*)(heap + biasOff);
  }
  if (act != 0 && act != 1 && act != 2 && act != 4 && act != 5 && act != 6)
    FAIL("gemm: unsupported activation code");
  use_threads(2.0 * (double)M * (double)N * (double)K);
  for (int64_t i = 0; i < batch; i++) {
    const float* A = (const float*)(heap + aOff) + i * aStride;
    const float* B = (const float*)(heap + bOff) + i * bStride;
    float* C = (float*)(heap + cOff) + i * cStride;
    if (M == 0 || N == 0) continue;
    if (K == 0) {
      memset(C, 0, sizeof(float) * (size_t)(M * N));
    } else {
      cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans,
                  (int)M, (int)N, (int)K, 1.0f, A, tA ? (int)M : (int)K, B,
                  tB ? (int)K : (int)N, 0.0f, C, (int)N);
    }
    apply_epilogue(C, M, N, bias, act, alpha);
  }
  return NULL;
}

/*
 * One Adam update over [begin, end) (tfjs' float32 arithmetic and order). Large updates are
 * split over threads: the pass is memory-bound (7 floats per weight) and one core does not
 * saturate the memory bus.
 */
typedef struct {
  const float* w;
  const float* g;
  float* m;
  float* v;
  float* out;
  int64_t begin, end;
  float b1, b2, ob1, ob2, eps, c1, c2, neg_lr;
  /* L2 weight decay folded into the gradient, g + w * decay (tfjs: add(g, mul(w, decay))); 0: none */
  float decay;
} AdamJob;

/* run_split copies jobs into 128-byte slots */
_Static_assert(sizeof(AdamJob) <= 128, "AdamJob must fit run_split's job slots");

WIDE static void* adam_range(void* arg) {
  const AdamJob j = *(const AdamJob*)arg; /* locals: stores through m, v, out cannot alias them */
  const float* w = j.w; /* out may equal w */
  const float* restrict g = j.g;
  float* restrict m = j.m;
  float* restrict v = j.v;
  float* out = j.out;
  for (int64_t i = j.begin; i < j.end; i++) {
    /* the penalty's product rounded to float32 before the sum, as the two tfjs kernels do */
    const float gi = j.decay != 0.0f ? g[i] + w[i] * j.decay : g[i];
    const float mi = m[i] * j.b1 + gi * j.ob1;        /* new first moment */
    const float vi = v[i] * j.b2 + (gi * gi) * j.ob2; /* new second moment */
    m[i] = mi;
    v[i] = vi;
    const float mh = mi / j.c1, vh = vi / j.c2; /* bias corrected */
    out[i] = (mh / (sqrtf(vh) + j.eps)) * j.neg_lr + w[i];
  }
  return NULL;
}

/* Elementwise passes at least this long are split over `max_threads` threads (each element is
 * computed the same way whatever the split, so results do not depend on the thread count). */
#define SPLIT_ELEMENTS (1 << 20)
#define MAX_SPLIT 16

/* Run fn on copies of `job` (size bytes) whose int64 fields at beginAt/endAt cover [0, n) in
 * contiguous parts, one part on this thread and the others on short-lived threads. */
static void run_split(void* (*fn)(void*), const void* job, size_t size, size_t beginAt, size_t endAt, int64_t n) {
  int parts = n >= SPLIT_ELEMENTS ? max_threads : 1;
  if (parts > MAX_SPLIT) parts = MAX_SPLIT;
  if (parts < 1) parts = 1;
  _Alignas(max_align_t) unsigned char jobs[MAX_SPLIT][128];
  pthread_t tid[MAX_SPLIT];
  int started[MAX_SPLIT] = {0};
  if (size > sizeof jobs[0]) { /* cannot happen for the static-asserted jobs; run it whole here */
    fn((void*)job);
    return;
  }
  const int64_t chunk = ((n + parts - 1) / parts + 15) & ~(int64_t)15; /* whole cache lines */
  for (int p = 0; p < parts; p++) {
    int64_t b = chunk * p, e = b + chunk;
    if (b > n) b = n;
    if (e > n || p == parts - 1) e = n;
    memcpy(jobs[p], job, size);
    memcpy(jobs[p] + beginAt, &b, sizeof b);
    memcpy(jobs[p] + endAt, &e, sizeof e);
  }
  for (int p = 1; p < parts; p++) started[p] = pthread_create(&tid[p], NULL, fn, jobs[p]) == 0;
  fn(jobs[0]);
  for (int p = 1; p < parts; p++) {
    if (started[p]) pthread_join(tid[p], NULL);
    else fn(jobs[p]); /* no thread: do that part here */
  }
}

/* Both Adam entry points: a[1..12] as `adam`, then the decay (0 for plain Adam). */
static napi_value adam_run(napi_env env, napi_value* a, uint8_t* heap, size_t len, float decay) {
  int64_t wOff = int_arg(env, a[1]), gOff = int_arg(env, a[2]), mOff = int_arg(env, a[3]),
          vOff = int_arg(env, a[4]), outOff = int_arg(env, a[5]), n = int_arg(env, a[6]);
  const float lr = (float)num_arg(env, a[7]), b1 = (float)num_arg(env, a[8]),
              b2 = (float)num_arg(env, a[9]), eps = (float)num_arg(env, a[10]),
              c1 = (float)num_arg(env, a[11]), c2 = (float)num_arg(env, a[12]);
  if (!in_heap(wOff, n, len) || !in_heap(gOff, n, len) || !in_heap(mOff, n, len) ||
      !in_heap(vOff, n, len) || !in_heap(outOff, n, len))
    FAIL("adam: operand outside the heap");
  AdamJob job = {(const float*)(heap + wOff), (const float*)(heap + gOff), (float*)(heap + mOff),
                 (float*)(heap + vOff), (float*)(heap + outOff), 0, n, b1, b2,
                 /* tfjs: 1 - beta is computed in float64 by JS, then rounded to float32 by the mul kernel. */
                 (float)(1.0 - (double)num_arg(env, a[8])), (float)(1.0 - (double)num_arg(env, a[9])),
                 eps, c1, c2, -lr, decay};
  run_split(adam_range, &job, sizeof job, offsetof(AdamJob, begin), offsetof(AdamJob, end), n);
  return NULL;
}

static napi_value Adam(napi_env env, napi_callback_info info) {
  ARGS(13, "adam");
  return adam_run(env, a, heap, len, 0.0f);
}

/* `adam` with an L2 decay: its own entry point, so a build of `adam`'s callers keeps working. */
static napi_value AdamDecayed(napi_env env, napi_callback_info info) {
  ARGS(14, "adamDecayed");
  return adam_run(env, a, heap, len, (float)num_arg(env, a[13]));
}

/* Dropout masks, as src/classify/dnn.ts' JS loop draws them: xoshiro128** (state: the four
 * uint32 of the ArrayBuffer `state`, advanced in place), out[i] = draw < threshold ? 0 : keep.
 * Integer arithmetic, so the masks are the JS loop's bit for bit (a test compares them). */
static inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static napi_value DropoutMask(napi_env env, napi_callback_info info) {
  ARGS(6, "dropoutMask");
  int64_t outOff = int_arg(env, a[1]), n = int_arg(env, a[2]);
  const double threshold = num_arg(env, a[3]);
  const float keep = (float)num_arg(env, a[4]);
  if (!in_heap(outOff, n, len)) FAIL("dropoutMask: output outside the heap");
  uint8_t* sb;
  size_t slen;
  bool is_ab = false;
  if (napi_is_arraybuffer(env, a[5], &is_ab) != napi_ok || !is_ab || !heap_of(env, a[5], &sb, &slen) || slen != 16)
    FAIL("dropoutMask: the state must be an ArrayBuffer of four uint32");
  uint32_t* out = (uint32_t*)(heap + outOff);
  uint32_t* st = (uint32_t*)sb;
  uint32_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
  uint32_t keepBits;
  memcpy(&keepBits, &keep, 4);
  for (int64_t i = 0; i < n; i++) {
    const uint32_t draw = rotl32(s1 * 5u, 7) * 9u;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl32(s3, 11);
    /* keep or +0 by a mask, not a branch: at rate 0.5 a branch mispredicts every other value */
    out[i] = keepBits & (0u - (uint32_t)((double)draw >= threshold));
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
  return NULL;
}

/* out[j] = sum_i x[i, j] for a row-major rows x cols matrix (reduction over leading axes), rows
 * added in order (deterministic), vectorised along j. */
static napi_value ColSum(napi_env env, napi_callback_info info) {
  ARGS(5, "colsum");
  int64_t xOff = int_arg(env, a[1]), rows = int_arg(env, a[2]), cols = int_arg(env, a[3]),
          outOff = int_arg(env, a[4]);
  if (rows < 0 || cols < 0 || !in_heap(xOff, rows * cols, len) || !in_heap(outOff, cols, len))
    FAIL("colsum: operand outside the heap");
  const float* x = (const float*)(heap + xOff);
  float* out = (float*)(heap + outOff);
  for (int64_t j = 0; j < cols; j++) out[j] = 0.f;
  for (int64_t i = 0; i < rows; i++) {
    const float* row = x + i * cols;
    for (int64_t j = 0; j < cols; j++) out[j] += row[j];
  }
  return NULL;
}

/*
 * tanhf as tfjs-backend-wasm's Tanh kernel computes it: Emscripten links musl, whose tanhf and
 * expm1f (after FreeBSD's s_expm1f.c) are transcribed here, float32 throughout, no FMA
 * contraction. Compared with the wasm kernel on 69.7 M inputs (every 31st positive float, a
 * sample of negative ones): no bit differs (BENCHMARKS.md; test/backend-kernels.test.ts checks a
 * sample). One native call per layer instead of a wasm one, which is slower per value.
 */
static float wasm_expm1f(float x) {
  const float o_threshold = 8.8721679688e+01f, ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f,
              invln2 = 1.4426950216e+00f, Q1 = -3.3333212137e-2f, Q2 = 1.5807170421e-3f;
  float y, hi, lo, c = 0.f, t, e, hxs, hfx, r1, twopk;
  uint32_t u;
  memcpy(&u, &x, 4);
  const uint32_t hx = u & 0x7fffffffu;
  const int sign = (int)(u >> 31);
  int k;
  if (hx >= 0x4195b844u) { /* |x| >= 27 ln 2: -1, inf or x itself */
    if (hx > 0x7f800000u) return x;
    if (sign) return -1.f;
    if (x > o_threshold) return x * 0x1p127f;
  }
  if (hx > 0x3eb17218u) { /* |x| > ln 2 / 2: argument reduction */
    if (hx < 0x3F851592u) {
      if (!sign) { hi = x - ln2_hi; lo = ln2_lo; k = 1; }
      else { hi = x + ln2_hi; lo = -ln2_lo; k = -1; }
    } else {
      k = (int)(invln2 * x + (sign ? -0.5f : 0.5f));
      t = (float)k;
      hi = x - t * ln2_hi;
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x33000000u) {
    return x;
  } else {
    k = 0;
  }
  hfx = 0.5f * x;
  hxs = x * hfx;
  r1 = 1.0f + hxs * (Q1 + hxs * Q2);
  t = 3.0f - r1 * hfx;
  e = hxs * ((r1 - t) / (6.0f - x * t));
  if (k == 0) return x - (x * e - hxs);
  e = x * (e - c) - c;
  e -= hxs;
  if (k == -1) return 0.5f * (x - e) - 0.5f;
  if (k == 1) {
    if (x < -0.25f) return -2.0f * (e - (x + 0.5f));
    return 1.0f + 2.0f * (x - e);
  }
  u = (uint32_t)(0x7f + k) << 23;
  memcpy(&twopk, &u, 4);
  if (k < 0 || k > 56) {
    y = x - e + 1.0f;
    y = k == 128 ? y * 2.0f * 0x1p127f : y * twopk;
    return y - 1.0f;
  }
  float twomk;
  u = (uint32_t)(0x7f - k) << 23;
  memcpy(&twomk, &u, 4);
  y = k < 23 ? (x - e + (1 - twomk)) * twopk : (x - (e + twomk) + 1) * twopk;
  return y;
}

static float wasm_tanhf(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  const int sign = (int)(u >> 31);
  u &= 0x7fffffffu;
  memcpy(&x, &u, 4);
  float t;
  if (u > 0x3f0c9f54u) { /* |x| > log(3) / 2, or NaN */
    if (u > 0x41200000u) t = 1.f + 0.f / x; /* |x| > 10 */
    else { t = wasm_expm1f(2.f * x); t = 1.f - 2.f / (t + 2.f); }
  } else if (u > 0x3e82c578u) { /* |x| > log(5/3) / 2 */
    t = wasm_expm1f(2.f * x);
    t = t / (t + 2.f);
  } else if (u >= 0x00800000u) {
    t = wasm_expm1f(-2.f * x);
    t = -t / (t + 2.f);
  } else {
    t = x; /* subnormal */
  }
  return sign ? -t : t;
}

/*
 * wasm_tanhf on 8 values at once, branch-free: every lane computes each of the scalar code's
 * paths it could take for |x| <= 10 (expm1f's argument is then 2|x| or -2|x|, so its reductions
 * k = -1..29) with the same operations in the same order, and keeps its own. Scalar, the
 * branches on |x|'s range mispredict on a layer's values (16 ns a value measured in the DNN);
 * here they are selects. Exhaustively equal to wasm_tanhf over all 2^32 inputs (BENCHMARKS.md).
 */
#pragma GCC diagnostic ignored "-Wpsabi" /* v8f values never cross a call: always inlined */
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef uint32_t v8u __attribute__((vector_size(32)));
#define V8_PICK(m, a, b) ((v8f)(((v8i)(a) & (m)) | ((v8i)(b) & ~(m))))

static inline __attribute__((always_inline)) v8f v8_expm1f(v8f v) {
  const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f, invln2 = 1.4426950216e+00f,
              Q1 = -3.3333212137e-2f, Q2 = 1.5807170421e-3f;
  const v8i hx = (v8i)v & 0x7fffffff;
  const v8i neg = (v8i)v < 0;
  const v8i reduce = hx > 0x3eb17218, near = hx < 0x3F851592, tiny = hx < 0x33000000;
  /* |v| < 1.5 ln 2: k = +-1 */
  const v8f hiNear = V8_PICK(neg, v + ln2_hi, v - ln2_hi);
  const v8f loNear = V8_PICK(neg, -((v8f){0} + ln2_lo), (v8f){0} + ln2_lo);
  const v8i kNear = neg | (~neg & 1); /* -1 where v < 0, else 1 */
  /* farther: k = (int)(v / ln 2 +- 0.5) */
  const v8i kFar = __builtin_convertvector(invln2 * v + V8_PICK(neg, (v8f){0} - 0.5f, (v8f){0} + 0.5f), v8i);
  const v8f tFar = __builtin_convertvector(kFar, v8f);
  const v8f hiFar = v - tFar * ln2_hi;
  const v8f loFar = tFar * ln2_lo;
  const v8f hi = V8_PICK(near, hiNear, hiFar), lo = V8_PICK(near, loNear, loFar);
  v8i k = (near & kNear) | (~near & kFar);
  k = reduce & k;
  const v8f xr = V8_PICK(reduce, hi - lo, v);
  const v8f c = V8_PICK(reduce, (hi - xr) - lo, (v8f){0});
  const v8f hfx = 0.5f * xr;
  const v8f hxs = xr * hfx;
  const v8f r1 = 1.0f + hxs * (Q1 + hxs * Q2);
  const v8f t = 3.0f - r1 * hfx;
  const v8f e = hxs * ((r1 - t) / (6.0f - xr * t));
  const v8f k0 = xr - (xr * e - hxs);
  v8f e2 = xr * (e - c) - c;
  e2 -= hxs;
  const v8f kMinus1 = 0.5f * (xr - e2) - 0.5f;
  const v8f kPlus1 = V8_PICK(xr < -0.25f, -2.0f * (e2 - (xr + 0.5f)), 1.0f + 2.0f * (xr - e2));
  const v8u kc = (v8u)(k & 63); /* 0..29 where used; masked so that no shift overflows elsewhere */
  const v8f twopk = (v8f)((0x7fu + kc) << 23);
  const v8f twomk = (v8f)((0x7fu - kc) << 23);
  const v8f kSmall = (xr - e2 + (1 - twomk)) * twopk;
  const v8f kLarge = (xr - (e2 + twomk) + 1) * twopk;
  v8f r = V8_PICK(k < 23, kSmall, kLarge);
  r = V8_PICK(k == 1, kPlus1, r);
  r = V8_PICK(k == -1, kMinus1, r);
  r = V8_PICK(k == 0, k0, r);
  return V8_PICK(tiny, v, r);
}

WIDE static void tanh_values(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v8f xv;
    memcpy(&xv, x + i, sizeof xv);
    const v8i sign = (v8i)xv & (int32_t)0x80000000u;
    const v8i w = (v8i)xv & 0x7fffffff;
    const v8f a = (v8f)w;
    const v8i big = w > 0x41200000, far = w > 0x3f0c9f54, mid = w > 0x3e82c578, normal = w >= 0x00800000;
    const v8f em = v8_expm1f(V8_PICK(mid, 2.f * a, -2.f * a));
    v8f t = V8_PICK(normal, -em / (em + 2.f), a);
    t = V8_PICK(mid, em / (em + 2.f), t);
    t = V8_PICK(far, 1.f - 2.f / (em + 2.f), t);
    t = V8_PICK(big, 1.f + 0.f / a, t);
    const v8f out = (v8f)((v8i)t ^ sign);
    memcpy(y + i, &out, sizeof out);
  }
  for (; i < n; i++) y[i] = wasm_tanhf(x[i]);
}

/* tanh(heap, n, xOff, yOff): y = tanh(x), n values, as the wasm kernel. */
static napi_value Tanh(napi_env env, napi_callback_info info) {
  ARGS(4, "tanh");
  int64_t n = int_arg(env, a[1]), xOff = int_arg(env, a[2]), yOff = int_arg(env, a[3]);
  if (n < 0 || !in_heap(xOff, n, len) || !in_heap(yOff, n, len)) FAIL("tanh: operand outside the heap");
  const float* x = (const float*)(heap + xOff);
  float* y = (float*)(heap + yOff);
  tanh_values(x, y, n);
  return NULL;
}

/* tanhGrad(heap, n, yOff, dyOff, outOff): out = (1 - y * y) * dy, each operation rounded to
 * float32 as tfjs' gradient of Tanh (square, sub from 1, mul: three kernels) rounds it. */
static napi_value TanhGrad(napi_env env, napi_callback_info info) {
  ARGS(5, "tanhGrad");
  int64_t n = int_arg(env, a[1]), yOff = int_arg(env, a[2]), dyOff = int_arg(env, a[3]), outOff = int_arg(env, a[4]);
  if (n < 0 || !in_heap(yOff, n, len) || !in_heap(dyOff, n, len) || !in_heap(outOff, n, len)) FAIL("tanhGrad: operand outside the heap");
  const float* restrict y = (const float*)(heap + yOff);
  const float* restrict dy = (const float*)(heap + dyOff);
  float* restrict out = (float*)(heap + outOff);
  for (int64_t i = 0; i < n; i++) {
    const float sq = y[i] * y[i];
    const float d = 1.f - sq;
    out[i] = d * dy[i];
  }
  return NULL;
}

/* `dense`'s bias and activation over its M x N product. */
WIDE static void dense_epilogue(float* A, int64_t M, int64_t N, const float* bias, int act, float alpha) {
  for (int64_t i = 0; i < M; i++) {
    float* row = A + i * N;
    for (int64_t j = 0; j < N; j++) row[j] += bias[j];
    if (act == 4)
      for (int64_t j = 0; j < N; j++) row[j] = row[j] < 0.f ? alpha * row[j] : row[j];
    else if (act == 7)
      for (int64_t j = 0; j < N; j++) row[j] = fast_tanh(row[j]);
  }
}

/*
 * dense(heap, M, N, K, xOff, wOff, bOff, act, alpha, aOff)
 *   One fully connected layer: a = act(x w + b), x: M x K, w: K x N, b: N.
 *   act: 0 linear, 4 leaky ReLU (slope alpha below 0), 7 tanh.
 */
static napi_value Dense(napi_env env, napi_callback_info info) {
  ARGS(10, "dense");
  int64_t M = int_arg(env, a[1]), N = int_arg(env, a[2]), K = int_arg(env, a[3]);
  int64_t xOff = int_arg(env, a[4]), wOff = int_arg(env, a[5]), bOff = int_arg(env, a[6]);
  int act = (int)int_arg(env, a[7]);
  float alpha = (float)num_arg(env, a[8]);
  int64_t aOff = int_arg(env, a[9]);
  if (M < 1 || N < 1 || K < 1 || M > INT32_MAX || N > INT32_MAX || K > INT32_MAX) FAIL("dense: bad dimensions");
  if (act != 0 && act != 4 && act != 7) FAIL("dense: unsupported activation code");
  if (!in_heap(xOff, M * K, len) || !in_heap(wOff, K * N, len) || !in_heap(bOff, N, len) ||
      !in_heap(aOff, M * N, len))
    FAIL("dense: operand outside the heap");
  float* A = (float*)(heap + aOff);
  const float* bias = (const float*)(heap + bOff);
  use_threads(2.0 * (double)M * (double)N * (double)K);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0f,
              (const float*)(heap + xOff), (int)K, (const float*)(heap + wOff), (int)N, 0.0f, A, (int)N);
  dense_epilogue(A, M, N, bias, act, alpha);
  return NULL;
}

/*
 * denseGrad(heap, M, N, dyOff, aOff, act, alpha, dzOff, dbOff)
 *   Back through `dense` up to its product: dy is the gradient of a (M x N), a what `dense`
 *   wrote; dz = dy * act'(a) (the gradient of x w + b), db = column sums of dz. dW = x^T dz and
 *   dx = dz w^T are left to the matmul kernels, so autograd runs only the ones it needs.
 */
static napi_value DenseGrad(napi_env env, napi_callback_info info) {
  ARGS(9, "denseGrad");
  int64_t M = int_arg(env, a[1]), N = int_arg(env, a[2]);
  int64_t dyOff = int_arg(env, a[3]), aOff = int_arg(env, a[4]);
  int act = (int)int_arg(env, a[5]);
  float alpha = (float)num_arg(env, a[6]);
  int64_t dzOff = int_arg(env, a[7]), dbOff = int_arg(env, a[8]);
  if (M < 1 || N < 1) FAIL("denseGrad: bad dimensions");
  if (act != 0 && act != 4 && act != 7) FAIL("denseGrad: unsupported activation code");
  if (!in_heap(dyOff, M * N, len) || !in_heap(aOff, M * N, len) || !in_heap(dzOff, M * N, len) ||
      !in_heap(dbOff, N, len))
    FAIL("denseGrad: operand outside the heap");
  const float* dy = (const float*)(heap + dyOff);
  const float* A = (const float*)(heap + aOff);
  float* dz = (float*)(heap + dzOff);
  float* db = (float*)(heap + dbOff);
  for (int64_t j = 0; j < N; j++) db[j] = 0.f;
  for (int64_t i = 0; i < M; i++) {
    const float* dyr = dy + i * N;
    const float* ar = A + i * N;
    float* dzr = dz + i * N;
    /* leaky: a > 0 exactly when x w + b > 0 (alpha > 0) */
    if (act == 4)
      for (int64_t j = 0; j < N; j++) dzr[j] = ar[j] > 0.f ? dyr[j] : dyr[j] * alpha;
    else if (act == 7)
      for (int64_t j = 0; j < N; j++) dzr[j] = dyr[j] * (1.f - ar[j] * ar[j]);
    else
      memcpy(dzr, dyr, sizeof(float) * (size_t)N);
    for (int64_t j = 0; j < N; j++) db[j] += dzr[j];
  }
  return NULL;
}

/* The four per-feature vectors of a fixed-statistics BatchNorm and its epsilon. */
typedef struct {
  const float *gamma, *beta, *mean, *var;
  float eps;
} Norm;

static int norm_args(napi_env env, napi_value* a, uint8_t* heap, size_t len, int64_t n, Norm* norm) {
  int64_t off[4];
  for (int i = 0; i < 4; i++) {
    off[i] = int_arg(env, a[i]);
    if (!in_heap(off[i], n, len)) return 0;
  }
  norm->gamma = (const float*)(heap + off[0]);
  norm->beta = (const float*)(heap + off[1]);
  norm->mean = (const float*)(heap + off[2]);
  norm->var = (const float*)(heap + off[3]);
  norm->eps = (float)num_arg(env, a[4]);
  return 1;
}

/*
 * norm(heap, M, N, aOff, gammaOff, betaOff, meanOff, varOff, eps, outOff)
 *   BatchNorm on given statistics: out = ((a - mean) / sqrt(var + eps)) * gamma + beta, in the
 *   float32 operations and order of the tfjs ops it replaces (src/augment/nets.ts).
 */
static napi_value NormFwd(napi_env env, napi_callback_info info) {
  ARGS(10, "norm");
  int64_t M = int_arg(env, a[1]), N = int_arg(env, a[2]), aOff = int_arg(env, a[3]),
          outOff = int_arg(env, a[9]);
  Norm nm;
  if (M < 1 || N < 1) FAIL("norm: bad dimensions");
  if (!in_heap(aOff, M * N, len) || !in_heap(outOff, M * N, len) || !norm_args(env, a + 4, heap, len, N, &nm))
    FAIL("norm: operand outside the heap");
  const float* restrict A = (const float*)(heap + aOff);
  const float* restrict gamma = nm.gamma;
  const float* restrict beta = nm.beta;
  const float* restrict mean = nm.mean;
  const float* restrict var = nm.var;
  const float eps = nm.eps;
  float* restrict out = (float*)(heap + outOff);
  for (int64_t i = 0; i < M; i++) {
    const float* restrict ar = A + i * N;
    float* restrict o = out + i * N;
    for (int64_t j = 0; j < N; j++) o[j] = ((ar[j] - mean[j]) / sqrtf(var[j] + eps)) * gamma[j] + beta[j];
  }
  return NULL;
}

/*
 * normGrad(heap, M, N, dyOff, aOff, gammaOff, betaOff, meanOff, varOff, eps, daOff, dgammaOff,
 *          dbetaOff)
 *   Gradients of `norm` for its input a and for gamma and beta (statistics are constants).
 */
static napi_value NormGrad(napi_env env, napi_callback_info info) {
  ARGS(13, "normGrad");
  int64_t M = int_arg(env, a[1]), N = int_arg(env, a[2]), dyOff = int_arg(env, a[3]),
          aOff = int_arg(env, a[4]), daOff = int_arg(env, a[10]), dgOff = int_arg(env, a[11]),
          dbOff = int_arg(env, a[12]);
  Norm nm;
  if (M < 1 || N < 1) FAIL("normGrad: bad dimensions");
  if (!in_heap(dyOff, M * N, len) || !in_heap(aOff, M * N, len) || !in_heap(daOff, M * N, len) ||
      !in_heap(dgOff, N, len) || !in_heap(dbOff, N, len) || !norm_args(env, a + 5, heap, len, N, &nm))
    FAIL("normGrad: operand outside the heap");
  /* restrict: outputs are fresh tensors, distinct from every input (the loops vectorise) */
  const float* restrict dy = (const float*)(heap + dyOff);
  const float* restrict A = (const float*)(heap + aOff);
  const float* restrict gamma = nm.gamma;
  const float* restrict mean = nm.mean;
  const float* restrict var = nm.var;
  const float eps = nm.eps;
  float* restrict da = (float*)(heap + daOff);
  float* restrict dg = (float*)(heap + dgOff);
  float* restrict dbeta = (float*)(heap + dbOff);
  float* sd = (float*)malloc(sizeof(float) * (size_t)N); /* sqrt(var + eps) per column */
  if (sd == NULL) FAIL("normGrad: out of memory");
  for (int64_t j = 0; j < N; j++) {
    sd[j] = sqrtf(var[j] + eps);
    dg[j] = 0.f;
    dbeta[j] = 0.f;
  }
  for (int64_t i = 0; i < M; i++) {
    const float* restrict dyr = dy + i * N;
    const float* restrict ar = A + i * N;
    float* restrict dar = da + i * N;
    for (int64_t j = 0; j < N; j++) dbeta[j] += dyr[j];
    for (int64_t j = 0; j < N; j++) dg[j] += dyr[j] * ((ar[j] - mean[j]) / sd[j]);
    for (int64_t j = 0; j < N; j++) dar[j] = (dyr[j] * gamma[j]) / sd[j];
  }
  free(sd);
  return NULL;
}

/*
 * mse(heap, n, xOff, yOff, outOff)
 *   out[0] = mean((x - y)^2) over n values, summed in double (one float32 result).
 * mseGrad(heap, n, xOff, yOff, dyOff, outOff)
 *   out = dy[0] * 2 (x - y) / n: the gradient of `mse` for x.
 */
static napi_value Mse(napi_env env, napi_callback_info info) {
  ARGS(5, "mse");
  int64_t n = int_arg(env, a[1]), xOff = int_arg(env, a[2]), yOff = int_arg(env, a[3]), outOff = int_arg(env, a[4]);
  if (n < 1 || !in_heap(xOff, n, len) || !in_heap(yOff, n, len) || !in_heap(outOff, 1, len)) FAIL("mse: operand outside the heap");
  const float* restrict x = (const float*)(heap + xOff);
  const float* restrict y = (const float*)(heap + yOff);
  double sum = 0.0;
  for (int64_t i = 0; i < n; i++) {
    const float d = x[i] - y[i];
    sum += (double)(d * d);
  }
  *(float*)(heap + outOff) = (float)(sum / (double)n);
  return NULL;
}

static napi_value MseGrad(napi_env env, napi_callback_info info) {
  ARGS(6, "mseGrad");
  int64_t n = int_arg(env, a[1]), xOff = int_arg(env, a[2]), yOff = int_arg(env, a[3]), dyOff = int_arg(env, a[4]),
          outOff = int_arg(env, a[5]);
  if (n < 1 || !in_heap(xOff, n, len) || !in_heap(yOff, n, len) || !in_heap(dyOff, 1, len) || !in_heap(outOff, n, len))
    FAIL("mseGrad: operand outside the heap");
  const float* restrict x = (const float*)(heap + xOff);
  const float* restrict y = (const float*)(heap + yOff);
  float* restrict out = (float*)(heap + outOff);
  const float scale = (float)(2.0 * (double)*(const float*)(heap + dyOff) / (double)n);
  for (int64_t i = 0; i < n; i++) out[i] = (x[i] - y[i]) * scale;
  return NULL;
}

/*
 * softmaxCe(heap, m, k, logitsOff, targetOff, weightOff, outOff)
 *   out[0] = (1/m) sum_i w_i * sum_j t_ij (lse_i - l_ij): the row-weighted cross-entropy of
 *   softmax(logits) against targets t (one-hot rows), lse_i = log sum_j exp(l_ij), computed
 *   from the row maximum (stable); sums in double.
 * softmaxCeGrad(heap, m, k, logitsOff, targetOff, weightOff, dyOff, outOff)
 *   out = dy[0] * (w_i / m) * (softmax(l_i)_j * sum_j' t_ij' - t_ij): its gradient for the logits.
 */
static int ce_args(napi_env env, napi_value* a, size_t len, int64_t* m, int64_t* k, int64_t* off, int n) {
  *m = int_arg(env, a[1]);
  *k = int_arg(env, a[2]);
  if (*m < 1 || *k < 1) return 0;
  for (int i = 0; i < n; i++) off[i] = int_arg(env, a[3 + i]);
  return in_heap(off[0], *m * *k, len) && in_heap(off[1], *m * *k, len) && in_heap(off[2], *m, len);
}

static double row_lse(const float* l, int64_t k) {
  float mx = l[0];
  for (int64_t j = 1; j < k; j++) mx = l[j] > mx ? l[j] : mx;
  double s = 0.0;
  for (int64_t j = 0; j < k; j++) s += exp((double)(l[j] - mx));
  return (double)mx + log(s);
}

static napi_value SoftmaxCe(napi_env env, napi_callback_info info) {
  ARGS(7, "softmaxCe");
  int64_t m, k, off[4];
  if (!ce_args(env, a, len, &m, &k, off, 4) || !in_heap(off[3], 1, len)) FAIL("softmaxCe: bad dimensions or operand outside the heap");
  const float* l = (const float*)(heap + off[0]);
  const float* t = (const float*)(heap + off[1]);
  const float* w = (const float*)(heap + off[2]);
  double total = 0.0;
  for (int64_t i = 0; i < m; i++) {
    const double lse = row_lse(l + i * k, k);
    double ce = 0.0;
    for (int64_t j = 0; j < k; j++) ce += (double)t[i * k + j] * (lse - (double)l[i * k + j]);
    total += (double)w[i] * ce;
  }
  *(float*)(heap + off[3]) = (float)(total / (double)m);
  return NULL;
}

static napi_value SoftmaxCeGrad(napi_env env, napi_callback_info info) {
  ARGS(8, "softmaxCeGrad");
  int64_t m, k, off[5];
  if (!ce_args(env, a, len, &m, &k, off, 5) || !in_heap(off[3], 1, len) || !in_heap(off[4], m * k, len))
    FAIL("softmaxCeGrad: bad dimensions or operand outside the heap");
  const float* l = (const float*)(heap + off[0]);
  const float* t = (const float*)(heap + off[1]);
  const float* w = (const float*)(heap + off[2]);
  const double dy = (double)*(const float*)(heap + off[3]);
  float* out = (float*)(heap + off[4]);
  for (int64_t i = 0; i < m; i++) {
    const double lse = row_lse(l + i * k, k);
    double tsum = 0.0;
    for (int64_t j = 0; j < k; j++) tsum += (double)t[i * k + j];
    const double scale = dy * (double)w[i] / (double)m;
    for (int64_t j = 0; j < k; j++)
      out[i * k + j] = (float)(scale * (exp((double)l[i * k + j] - lse) * tsum - (double)t[i * k + j]));
  }
  return NULL;
}

static napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  int n = argc > 0 ? (int)int_arg(env, a[0]) : 1;
  if (n >= 1) {
    max_threads = n;
#ifndef __APPLE__
    openblas_set_num_threads(n);
    cur_threads = n;
#endif
  }
  return NULL;
}

static napi_value GetThreads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, max_threads, &out));
  return out;
}

static napi_value Info(napi_env env, napi_callback_info info) {
  (void)info;
  char buf[512];
#ifdef __APPLE__
  snprintf(buf, sizeof buf, "%s", BLAS_NAME);
#else
  snprintf(buf, sizeof buf, "%s core=%s", openblas_get_config(), openblas_get_corename());
#endif
  napi_value out;
  CHECK(napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &out));
  return out;
}

/*
 * greedyScans(heap, l, kOff, uOff, qdOff, invQdOff, costOff, ysOff, alphaOff, gOff, activeOff,
 *             base, b2, tolerance, budget) -> steps taken
 *   The inner loop of src/classify/dual-greedy.ts (`scanAndStep`), operation for operation in the
 *   same floating-point order, so both give the same steps: scans of the active coordinates (all
 *   active at the start; shrinking as there), each applying the last step to G and taking the
 *   coordinate whose clipped Newton step lowers the dual most, until the running spread of the
 *   projected gradient is within the tolerance, no step gains, or `budget` steps were taken.
 *   K: float32 l x l (centred dot products); u, qd, invQd, cost, ys, alpha, G: float64 l (8-byte
 *   aligned); active: int32 l, scratch.
 */
static napi_value GreedyScans(napi_env env, napi_callback_info info) {
  ARGS(15, "greedyScans");
  const int64_t l = int_arg(env, a[1]), kOff = int_arg(env, a[2]), uOff = int_arg(env, a[3]),
                qdOff = int_arg(env, a[4]), invOff = int_arg(env, a[5]), costOff = int_arg(env, a[6]),
                ysOff = int_arg(env, a[7]), alphaOff = int_arg(env, a[8]), gOff = int_arg(env, a[9]),
                activeOff = int_arg(env, a[10]), budget = int_arg(env, a[14]);
  const double base = num_arg(env, a[11]), b2 = num_arg(env, a[12]), tol = num_arg(env, a[13]);
  const int64_t f64s[] = {uOff, qdOff, invOff, costOff, ysOff, alphaOff, gOff};
  if (l < 0 || !in_heap(kOff, l * l, len) || !in_heap(activeOff, l, len)) FAIL("greedyScans: operand outside the heap");
  for (int i = 0; i < 7; i++)
    if ((f64s[i] & 7) != 0 || !in_heap(f64s[i], 2 * l, len)) FAIL("greedyScans: float64 operand outside the heap or not 8-byte aligned");
  const float* K = (const float*)(heap + kOff);
  const double *u = (const double*)(heap + uOff), *qd = (const double*)(heap + qdOff),
               *invQd = (const double*)(heap + invOff), *cost = (const double*)(heap + costOff),
               *ys = (const double*)(heap + ysOff);
  double *alpha = (double*)(heap + alphaOff), *G = (double*)(heap + gOff);
  int32_t* active = (int32_t*)(heap + activeOff);
  for (int64_t i = 0; i < l; i++) active[i] = (int32_t)i;
  int64_t activeSize = l, steps = 0, last = -1;
  double pgMaxOld = INFINITY, pgMinOld = -INFINITY, lastStep = 0;
  for (;;) {
    double pgMax = 0, pgMin = 0, bestGain = 0, bestStep = 0;
    int64_t best = -1;
    const float* row = last >= 0 ? K + last * l : K;
    const double c = last >= 0 ? lastStep * ys[last] : 0, cl = last >= 0 ? u[last] + base + b2 : 0;
    for (int64_t k = 0; k < activeSize; k++) {
      const int32_t j = active[k];
      if (last >= 0) G[j] += c * ys[j] * ((double)row[j] + u[j] + cl);
      const double g = G[j], av = alpha[j], C = cost[j];
      if (av == 0) {
        if (g >= 0) {
          if (g > pgMaxOld) { activeSize--; active[k] = active[activeSize]; active[activeSize] = j; k--; }
          continue;
        }
      } else if (av == C && g <= 0) {
        if (g < pgMinOld) { activeSize--; active[k] = active[activeSize]; active[activeSize] = j; k--; }
        continue;
      }
      if (g > pgMax) pgMax = g; else if (g < pgMin) pgMin = g;
      double t = -g * invQd[j];
      if (t < -av) t = -av; else if (t > C - av) t = C - av;
      const double gain = -(g * t + 0.5 * qd[j] * t * t);
      if (gain > bestGain) { bestGain = gain; best = j; bestStep = t; }
    }
    last = -1;
    if (pgMax - pgMin <= tol || best < 0) break;
    pgMaxOld = pgMax > 0 ? pgMax : INFINITY;
    pgMinOld = pgMin < 0 ? pgMin : -INFINITY;
    if (steps >= budget) break;
    const double before = alpha[best], next = before + bestStep;
    alpha[best] = next < 0 ? 0 : (next > cost[best] ? cost[best] : next);
    last = best;
    lastStep = alpha[best] - before;
    steps++;
  }
  napi_value out;
  CHECK(napi_create_double(env, (double)steps, &out));
  return out;
}

/*
 * greedyPairScans(heap, l, kOff, uOff, qdOff, invQdOff, costOff, ysOff, alphaOff, gOff, activeOff,
 *                 base, b2, tolerance, budget) -> steps taken
 *   src/classify/dual-greedy.ts `scanPairsAndStep` in C, operation for operation: greedyScans
 *   with libsvm's pair steps (WSS2) beside the single ones, without shrinking. Operands as
 *   greedyScans (active is not used).
 */
static napi_value GreedyPairScans(napi_env env, napi_callback_info info) {
  ARGS(15, "greedyPairScans");
  const int64_t l = int_arg(env, a[1]), kOff = int_arg(env, a[2]), uOff = int_arg(env, a[3]),
                qdOff = int_arg(env, a[4]), invOff = int_arg(env, a[5]), costOff = int_arg(env, a[6]),
                ysOff = int_arg(env, a[7]), alphaOff = int_arg(env, a[8]), gOff = int_arg(env, a[9]),
                budget = int_arg(env, a[14]);
  const double base = num_arg(env, a[11]), b2 = num_arg(env, a[12]), tol = num_arg(env, a[13]);
  const int64_t f64s[] = {uOff, qdOff, invOff, costOff, ysOff, alphaOff, gOff};
  if (l < 0 || !in_heap(kOff, l * l, len)) FAIL("greedyPairScans: operand outside the heap");
  for (int i = 0; i < 7; i++)
    if ((f64s[i] & 7) != 0 || !in_heap(f64s[i], 2 * l, len)) FAIL("greedyPairScans: float64 operand outside the heap or not 8-byte aligned");
  const float* K = (const float*)(heap + kOff);
  const double *u = (const double*)(heap + uOff), *qd = (const double*)(heap + qdOff),
               *invQd = (const double*)(heap + invOff), *cost = (const double*)(heap + costOff),
               *ys = (const double*)(heap + ysOff);
  double *alpha = (double*)(heap + alphaOff), *G = (double*)(heap + gOff);
  const double TAU = 1e-12;
  int64_t steps = 0, last1 = -1, last2 = -1;
  double step1 = 0, step2 = 0;
  for (;;) {
    double pgMax = 0, pgMin = 0, bestGain = 0, bestStep = 0, upMax = -INFINITY;
    int64_t best = -1, up = -1;
    const float* row1 = last1 >= 0 ? K + last1 * l : K;
    const double c1 = last1 >= 0 ? step1 * ys[last1] : 0, cl1 = last1 >= 0 ? u[last1] + base + b2 : 0;
    const float* row2 = last2 >= 0 ? K + last2 * l : K;
    const double c2 = last2 >= 0 ? step2 * ys[last2] : 0, cl2 = last2 >= 0 ? u[last2] + base + b2 : 0;
    for (int64_t j = 0; j < l; j++) {
      if (last1 >= 0) G[j] += c1 * ys[j] * ((double)row1[j] + u[j] + cl1);
      if (last2 >= 0) G[j] += c2 * ys[j] * ((double)row2[j] + u[j] + cl2);
      const double g = G[j], av = alpha[j], C = cost[j], y = ys[j];
      if (y > 0 ? av < C : av > 0) {
        const double v = -y * g;
        if (v > upMax) { upMax = v; up = j; }
      }
      if (av == 0 ? g >= 0 : (av == C && g <= 0)) continue;
      if (g > pgMax) pgMax = g; else if (g < pgMin) pgMin = g;
      double t = -g * invQd[j];
      if (t < -av) t = -av; else if (t > C - av) t = C - av;
      const double gain = -(g * t + 0.5 * qd[j] * t * t);
      if (gain > bestGain) { bestGain = gain; best = j; bestStep = t; }
    }
    last1 = -1;
    last2 = -1;
    if (pgMax - pgMin <= tol || best < 0 || steps >= budget) break;
    steps++;
    int64_t low = -1;
    double lowGain = 0;
    const float* rowi = up >= 0 ? K + up * l : K;
    const double ci = up >= 0 ? u[up] + base + b2 : 0, qi = up >= 0 ? qd[up] : 0;
    if (up >= 0) {
      for (int64_t j = 0; j < l; j++) {
        const double av = alpha[j], y = ys[j];
        if (!(y > 0 ? av > 0 : av < cost[j])) continue;
        const double b = upMax + y * G[j];
        if (b <= 0) continue;
        double q = qi + qd[j] - 2 * ((double)rowi[j] + u[j] + ci);
        if (q <= TAU) q = TAU;
        const double gain = (b * b) / q;
        if (gain > lowGain) { lowGain = gain; low = j; }
      }
    }
    if (low >= 0 && 0.5 * lowGain > bestGain) {
      const int64_t i = up, j = low;
      double q = qi + qd[j] - 2 * ((double)rowi[j] + u[j] + ci);
      if (q <= TAU) q = TAU;
      const double b = upMax + ys[j] * G[j];
      double t = b / q;
      const double ti = ys[i] > 0 ? cost[i] - alpha[i] : alpha[i];
      const double tj = ys[j] > 0 ? alpha[j] : cost[j] - alpha[j];
      if (t > ti) t = ti;
      if (t > tj) t = tj;
      const double ai = alpha[i], ni = ai + ys[i] * t;
      alpha[i] = ni < 0 ? 0 : (ni > cost[i] ? cost[i] : ni);
      last1 = i;
      step1 = alpha[i] - ai;
      const double aj = alpha[j], nj = aj - ys[j] * t;
      alpha[j] = nj < 0 ? 0 : (nj > cost[j] ? cost[j] : nj);
      last2 = j;
      step2 = alpha[j] - aj;
      continue;
    }
    const double before = alpha[best], next = before + bestStep;
    alpha[best] = next < 0 ? 0 : (next > cost[best] ? cost[best] : next);
    last1 = best;
    step1 = alpha[best] - before;
  }
  napi_value out;
  CHECK(napi_create_double(env, (double)steps, &out));
  return out;
}

/*
 * ipmNormal(buf, n, d, xOff, scaleOff, bias, mOff, floor) -> LAPACK's info (0: factorised)
 *   The interior-point SVM solver's normal matrix (src/classify/dual-ipm.ts), factorised:
 *   M = I + sum_i scale_i [x_i, bias][x_i, bias]^T over the n rows (x: float32 n x d at xOff;
 *   scale: float64 n), rows whose scale is at most `floor` left out; then M's Cholesky factor in
 *   place (float64 (d+1) x (d+1) at mOff, its lower triangle row-major). The rows go to dsyrk in
 *   blocks of 256, each scaled by sqrt(scale_i) in float64.
 */
#define IPM_BLOCK 256
static napi_value IpmNormal(napi_env env, napi_callback_info info) {
  ARGS(8, "ipmNormal");
  const int64_t n = int_arg(env, a[1]), d = int_arg(env, a[2]), xOff = int_arg(env, a[3]),
                sOff = int_arg(env, a[4]), mOff = int_arg(env, a[6]);
  const double bias = num_arg(env, a[5]), floor = num_arg(env, a[7]);
  const int64_t d1 = d + 1;
  if (n < 0 || d < 1 || !in_heap(xOff, n * d, len) || (sOff & 7) != 0 || !in_heap(sOff, 2 * n, len) ||
      (mOff & 7) != 0 || !in_heap(mOff, 2 * d1 * d1, len))
    FAIL("ipmNormal: operand outside the buffer or not aligned");
  const float* x = (const float*)(heap + xOff);
  const double* scale = (const double*)(heap + sOff);
  double* M = (double*)(heap + mOff);
  double* block = (double*)malloc(sizeof(double) * IPM_BLOCK * d1);
  if (block == NULL) FAIL("ipmNormal: out of memory");
  memset(M, 0, sizeof(double) * d1 * d1);
  for (int64_t j = 0; j < d1; j++) M[j * d1 + j] = 1;
  int64_t rows = 0;
  for (int64_t i = 0; i <= n; i++) {
    if (i < n && scale[i] > floor) {
      const double f = sqrt(scale[i]);
      double* r = block + rows * d1;
      const float* xi = x + i * d;
      for (int64_t j = 0; j < d; j++) r[j] = f * (double)xi[j];
      r[d] = f * bias;
      rows++;
    }
    if (rows == IPM_BLOCK || (i == n && rows > 0)) {
      cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, (int)d1, (int)rows, 1.0, block, (int)d1, 1.0, M, (int)d1);
      rows = 0;
    }
  }
  free(block);
  /* row-major lower = column-major upper */
  const lapack_int nn = (lapack_int)d1;
  lapack_int status = 0;
  dpotrf_("U", &nn, M, &nn, &status);
  napi_value out;
  CHECK(napi_create_double(env, (double)status, &out));
  return out;
}

/*
 * cholSolve(buf, d1, mOff, bOff): b = M^-1 b in place, M's Cholesky factor from ipmNormal
 *   (float64 d1 x d1 at mOff; b float64 d1 at bOff).
 */
static napi_value CholSolve(napi_env env, napi_callback_info info) {
  ARGS(4, "cholSolve");
  const int64_t d1 = int_arg(env, a[1]), mOff = int_arg(env, a[2]), bOff = int_arg(env, a[3]);
  if (d1 < 1 || (mOff & 7) != 0 || !in_heap(mOff, 2 * d1 * d1, len) || (bOff & 7) != 0 || !in_heap(bOff, 2 * d1, len))
    FAIL("cholSolve: operand outside the buffer or not aligned");
  const lapack_int nn = (lapack_int)d1, one = 1;
  lapack_int status = 0;
  dpotrs_("U", &nn, &one, (const double*)(heap + mOff), &nn, (double*)(heap + bOff), &nn, &status);
  if (status != 0) FAIL("cholSolve: dpotrs failed");
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemm", NULL, Gemm, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, Adam, NULL, NULL, NULL, napi_default, NULL},
      {"adamDecayed", NULL, AdamDecayed, NULL, NULL, NULL, napi_default, NULL},
      {"dropoutMask", NULL, DropoutMask, NULL, NULL, NULL, napi_default, NULL},
      {"colsum", NULL, ColSum, NULL, NULL, NULL, napi_default, NULL},
      {"dense", NULL, Dense, NULL, NULL, NULL, napi_default, NULL},
      {"denseGrad", NULL, DenseGrad, NULL, NULL, NULL, napi_default, NULL},
      {"norm", NULL, NormFwd, NULL, NULL, NULL, napi_default, NULL},
      {"normGrad", NULL, NormGrad, NULL, NULL, NULL, napi_default, NULL},
      {"mse", NULL, Mse, NULL, NULL, NULL, napi_default, NULL},
      {"mseGrad", NULL, MseGrad, NULL, NULL, NULL, napi_default, NULL},
      {"softmaxCe", NULL, SoftmaxCe, NULL, NULL, NULL, napi_default, NULL},
      {"softmaxCeGrad", NULL, SoftmaxCeGrad, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, GetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, Info, NULL, NULL, NULL, napi_default, NULL},
      {"greedyScans", NULL, GreedyScans, NULL, NULL, NULL, napi_default, NULL},
      {"greedyPairScans", NULL, GreedyPairScans, NULL, NULL, NULL, napi_default, NULL},
      {"tanh", NULL, Tanh, NULL, NULL, NULL, napi_default, NULL},
      {"tanhGrad", NULL, TanhGrad, NULL, NULL, NULL, napi_default, NULL},
      {"ipmNormal", NULL, IpmNormal, NULL, NULL, NULL, napi_default, NULL},
      {"cholSolve", NULL, CholSolve, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok)
    return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
