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
 *   colsum(heap, xOff, rows, cols, outOff)
 *     Column sums of a row-major matrix: tfjs' Sum over leading axes (bias gradients).
 *   setThreads(n), getThreads(): the BLAS threads for large products (small ones use one)
 *   info(): the BLAS library's description
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef __APPLE__
#define ACCELERATE_NEW_LAPACK 1
#include <Accelerate/Accelerate.h>
#define BLAS_NAME "Accelerate"
#else
#include <cblas.h>
#define BLAS_NAME "OpenBLAS"
#endif

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

/*
 * BLAS threads: `max_threads` for large products, one thread for small ones (below
 * SMALL_FLOPS the hand-off to worker threads costs more than it saves, and on a busy machine a
 * descheduled worker stalls the whole product).
 */
static int max_threads = 1;
static int cur_threads = -1;
#define SMALL_FLOPS 2.0e7

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
  size_t argc = 16;
  napi_value a[16];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 16) FAIL("gemm expects 16 arguments");
  uint8_t* heap;
  size_t len;
  if (!heap_of(env, a[0], &heap, &len)) FAIL("gemm: first argument must be the wasm heap buffer");
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

static napi_value Adam(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value a[13];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 13) FAIL("adam expects 13 arguments");
  uint8_t* heap;
  size_t len;
  if (!heap_of(env, a[0], &heap, &len)) FAIL("adam: first argument must be the wasm heap buffer");
  int64_t wOff = int_arg(env, a[1]), gOff = int_arg(env, a[2]), mOff = int_arg(env, a[3]),
          vOff = int_arg(env, a[4]), outOff = int_arg(env, a[5]), n = int_arg(env, a[6]);
  const float lr = (float)num_arg(env, a[7]), b1 = (float)num_arg(env, a[8]),
              b2 = (float)num_arg(env, a[9]), eps = (float)num_arg(env, a[10]),
              c1 = (float)num_arg(env, a[11]), c2 = (float)num_arg(env, a[12]);
  if (!in_heap(wOff, n, len) || !in_heap(gOff, n, len) || !in_heap(mOff, n, len) ||
      !in_heap(vOff, n, len) || !in_heap(outOff, n, len))
    FAIL("adam: operand outside the heap");
  const float* w = (const float*)(heap + wOff);
  const float* g = (const float*)(heap + gOff);
  float* m = (float*)(heap + mOff);
  float* v = (float*)(heap + vOff);
  float* out = (float*)(heap + outOff);
  /* tfjs: 1 - beta is computed in float64 by JS, then rounded to float32 by the mul kernel. */
  const float ob1 = (float)(1.0 - (double)num_arg(env, a[8]));
  const float ob2 = (float)(1.0 - (double)num_arg(env, a[9]));
  const float neg_lr = -lr;
  for (int64_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * ob1;        /* new first moment */
    const float vi = v[i] * b2 + (gi * gi) * ob2; /* new second moment */
    m[i] = mi;
    v[i] = vi;
    const float mh = mi / c1, vh = vi / c2; /* bias corrected */
    out[i] = (mh / (sqrtf(vh) + eps)) * neg_lr + w[i];
  }
  return NULL;
}

/* out[j] = sum_i x[i, j] for a row-major rows x cols matrix (reduction over leading axes), rows
 * added in order (deterministic), vectorised along j. */
static napi_value ColSum(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value a[5];
  CHECK(napi_get_cb_info(env, info, &argc, a, NULL, NULL));
  if (argc != 5) FAIL("colsum expects 5 arguments");
  uint8_t* heap;
  size_t len;
  if (!heap_of(env, a[0], &heap, &len)) FAIL("colsum: first argument must be the wasm heap buffer");
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

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemm", NULL, Gemm, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, Adam, NULL, NULL, NULL, napi_default, NULL},
      {"colsum", NULL, ColSum, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, SetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, GetThreads, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, Info, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok)
    return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
