/*
 * Probe: would a matrix product written for the DNN's small batches beat OpenBLAS? The three
 * products of one dense layer's training step, on the grid's shapes: forward x w (M = batch),
 * dx = dz wᵀ and dw = xᵀ dz, by cblas_sgemm and by a plain AVX-512 kernel (8 rows x 32 columns
 * of the output in registers, no packing; dx and dw as products of transposed copies), weights
 * cycled through six buffers as a training step meets them (not in cache). Prints the times and
 * the largest relative difference (the kernel sums in another order: not the same bits).
 * Not part of the build: run by hand, one BLAS thread,
 *   gcc -O3 bench/probes/small-gemm.c -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas -lm -o /tmp/small-gemm
 *   for s in "32 1582 512" "32 512 512" "30 1582 512" "32 4354 100" "32 100 100"; do OPENBLAS_NUM_THREADS=1 /tmp/small-gemm $s; done
 * (M K N: batch rows, layer inputs, layer outputs). Results: BENCHMARKS.md, "The paper DNN on
 * IEMOCAP: what is left".
 */
#include <cblas.h>
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define AVX512 __attribute__((target("avx512f")))

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* C[0..MR) x [0..32) (masked columns) = A[0..MR) . B[:, 0..32), A with row stride lda. */
static inline __attribute__((always_inline)) AVX512 void block(const float* A, long lda, const float* B, long ldb, float* C, long ldc, int K, int MR, __mmask16 m0, __mmask16 m1) {
  __m512 c0[8], c1[8];
  for (int r = 0; r < MR; r++) c0[r] = c1[r] = _mm512_setzero_ps();
  for (int k = 0; k < K; k++) {
    const __m512 b0 = _mm512_maskz_loadu_ps(m0, B + (long)k * ldb), b1 = _mm512_maskz_loadu_ps(m1, B + (long)k * ldb + 16);
    for (int r = 0; r < MR; r++) {
      const __m512 a = _mm512_set1_ps(A[(long)r * lda + k]);
      c0[r] = _mm512_fmadd_ps(a, b0, c0[r]);
      c1[r] = _mm512_fmadd_ps(a, b1, c1[r]);
    }
  }
  for (int r = 0; r < MR; r++) {
    _mm512_mask_storeu_ps(C + (long)r * ldc, m0, c0[r]);
    _mm512_mask_storeu_ps(C + (long)r * ldc + 16, m1, c1[r]);
  }
}

/* C[M x N] = A[M x K] B[K x N], row-major. */
AVX512 static void product(const float* A, const float* B, float* C, int M, int K, int N) {
  for (int j = 0; j < N; j += 32) {
    const int w = N - j < 32 ? N - j : 32;
    const __mmask16 m0 = w >= 16 ? 0xFFFF : (__mmask16)((1u << w) - 1);
    const __mmask16 m1 = w >= 32 ? 0xFFFF : w > 16 ? (__mmask16)((1u << (w - 16)) - 1) : 0;
    for (int i = 0; i < M; i += 8) {
      const float* a = A + (long)i * K;
      float* c = C + (long)i * N + j;
      switch (M - i >= 8 ? 8 : M - i) { /* row counts as constants: accumulators stay in registers */
        case 8: block(a, K, B + j, N, c, N, K, 8, m0, m1); break;
        case 7: block(a, K, B + j, N, c, N, K, 7, m0, m1); break;
        case 6: block(a, K, B + j, N, c, N, K, 6, m0, m1); break;
        case 5: block(a, K, B + j, N, c, N, K, 5, m0, m1); break;
        case 4: block(a, K, B + j, N, c, N, K, 4, m0, m1); break;
        case 3: block(a, K, B + j, N, c, N, K, 3, m0, m1); break;
        case 2: block(a, K, B + j, N, c, N, K, 2, m0, m1); break;
        default: block(a, K, B + j, N, c, N, K, 1, m0, m1);
      }
    }
  }
}

static void transpose(const float* X, float* T, int rows, int cols) {
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) T[(long)j * rows + i] = X[(long)i * cols + j];
}

static float* filled(long n) {
  float* p = aligned_alloc(64, ((n * 4 + 63) / 64) * 64);
  for (long i = 0; i < n; i++) p[i] = sinf(i * 0.37f + n) * 0.1f;
  return p;
}

static double max_rel(const float* a, const float* b, long n) {
  double d = 0, s = 0;
  for (long i = 0; i < n; i++) {
    d = fmax(d, fabs(a[i] - b[i]));
    s = fmax(s, fabs(a[i]));
  }
  return d / s;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: small-gemm M K N\n");
    return 2;
  }
  const int M = atoi(argv[1]), K = atoi(argv[2]), N = atoi(argv[3]), reps = 300, buffers = 6;
  float* W[6];
  for (int q = 0; q < buffers; q++) W[q] = filled((long)K * N);
  float *X = filled((long)M * K), *dz = filled((long)M * N), *xT = filled((long)M * K), *dzT = filled((long)M * N);
  float *y[2] = {filled((long)M * N), filled((long)M * N)}, *dx[2] = {filled((long)M * K), filled((long)M * K)};
  float *dxT = filled((long)M * K), *dw[2] = {filled((long)K * N), filled((long)K * N)};
  double blas[3] = {0}, own[3] = {0};
  for (int r = 0; r < reps; r++) {
    const float* w = W[r % buffers];
    double t = now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, M, N, K, 1, X, K, w, N, 0, y[0], N);
    blas[0] += now() - t;
    t = now();
    product(X, w, y[1], M, K, N);
    own[0] += now() - t;
    t = now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, K, N, 1, dz, N, w, N, 0, dx[0], K);
    blas[1] += now() - t;
    t = now();
    transpose(dz, dzT, M, N);
    product(w, dzT, dxT, K, N, M); /* dxᵀ = w dzᵀ */
    transpose(dxT, dx[1], K, M);
    own[1] += now() - t;
    t = now();
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, K, N, M, 1, X, K, dz, N, 0, dw[0], N);
    blas[2] += now() - t;
    t = now();
    transpose(X, xT, M, K);
    product(xT, dz, dw[1], K, M, N);
    own[2] += now() - t;
  }
  const char* names[3] = {"forward", "dx", "dw"};
  const double flop = 2.0 * M * K * N;
  printf("{\"M\":%d,\"K\":%d,\"N\":%d", M, K, N);
  for (int p = 0; p < 3; p++) printf(",\"%s\":{\"msBlas\":%.3f,\"msOwn\":%.3f,\"gflopsBlas\":%.0f,\"gflopsOwn\":%.0f}", names[p], blas[p] / reps * 1e3, own[p] / reps * 1e3, flop / (blas[p] / reps) / 1e9, flop / (own[p] / reps) / 1e9);
  printf(",\"blasOverOwn\":%.2f,\"maxRelDiff\":[%.1e,%.1e,%.1e]}\n", (blas[0] + blas[1] + blas[2]) / (own[0] + own[1] + own[2]), max_rel(y[0], y[1], (long)M * N), max_rel(dx[0], dx[1], (long)M * K), max_rel(dw[0], dw[1], (long)K * N));
  return 0;
}
