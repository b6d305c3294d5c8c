"""The authors' DNN classifier (python/dnn_cls.py of Louisa-Luyi/adan, Keras 2.1.6 on TensorFlow
1.10), replicated in PyTorch, on EmoDB IS11 leave-one-speaker-out: pooled WA / UAR per seed and
mean +- std over seeds. The reference for adan-lab's `DNN_AUTHORS_OPTIONS` (bench/dnn-authors.ts).

Network (dnn_cls.py lines 164-179), EmoDB n_hiddens = [100, 100]:
  layer 1:   Dense(100, tanh) -> BatchNormalization -> Dropout(0.5)
  layer 2..: Dense(100, L2 0.1 on the kernel) -> BatchNormalization -> tanh -> Dropout(0.5)
  output:    Dense(7, L2 0.1) -> softmax
  loss:      categorical cross-entropy, batch mean, + 0.1 * sum(w^2) per regularised kernel
  'adam':    lr 1e-3, beta1 0.9, beta2 0.999, epsilon K.epsilon() = 1e-7
  fit:       20 epochs, batch 50, shuffled every epoch (last smaller batch kept), no class
             weights, the model after the last epoch.
Keras defaults elsewhere: Glorot-uniform kernels, zero biases; BatchNormalization momentum 0.99
(PyTorch's momentum 0.01), epsilon 1e-3, gamma 1, beta 0, moving mean 0, variance 1; batch
statistics (biased variance) in training, moving ones when predicting; inverted dropout.

Two variants (--variant):
  keras    (default) Keras 2.1.6 exactly as it computes:
           - BatchNormalization's moving statistics: the batch variance scaled by
             n / (n - (1 + eps)) (keras/layers/normalization.py), and the TensorFlow backend's
             moving_average_update = assign_moving_average(zero_debias=True): a shadow average
             from 0 divided by 1 - 0.99^t, so the initial 0 / 1 carry no weight;
           - Adam as keras/optimizers.py: lr_t = lr sqrt(1 - b2^t) / (1 - b1^t),
             p -= lr_t m / (sqrt(v) + eps);
           - categorical_crossentropy on probabilities clipped to [1e-7, 1 - 1e-7].
  torch    the same network with PyTorch's built-ins: nn.BatchNorm1d(momentum=0.01, eps=1e-3)
           (moving average from 0 / 1, variance scaled by n / (n - 1)), torch.optim.Adam
           (eps=1e-7), F.cross_entropy on logits.

Data: /work/shared/data/emodb-is11/emodb_tst_loso{1..10}.mat (x float64 n x 4354, y 0..6);
fold i tests file i and trains on the other nine stacked in order (the authors' trn_loso file).

Usage (Debian's interpreter has torch, numpy, scipy):
  /usr/bin/python3 bench/reference/dnn_authors.py [--seeds 0,1,2 | none] [--variant keras|torch]
      [--threads N] [--timing] [--data DIR]
--threads N sets torch.set_num_threads(N), OPENBLAS/OMP/MKL_NUM_THREADS=N (the BLAS threads) and,
unless set, OMP_WAIT_POLICY=PASSIVE and OPENBLAS_THREAD_TIMEOUT=4 (as adan-lab's addon).
--timing also prints the seconds of one unit: fit 20 epochs on fold 1's training rows (~480)
and on 11 x them (the rows plus 10 noisy copies, N(0, 0.1^2) added, standing in for ten
augmented sets: ~5,300 rows), then predict fold 1's test rows; median of 3, wall and CPU.
"""
import argparse
import math
import os
import sys
import time


def _threads_arg():
    for i, a in enumerate(sys.argv):
        if a == '--threads' and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith('--threads='):
            return a.split('=', 1)[1]
    return None


# --threads N must reach the BLAS too, before numpy and torch load it: Debian's torch calls the
# system OpenBLAS (pthreads), which torch.set_num_threads does not limit; left alone it runs its
# own threads beside torch's OpenMP ones (2 + 2 on 2 cores: 10-20 x slower on a shared machine).
# And OpenMP's threads spin while they wait (libgomp's default): with another process on the
# machine, 2 threads took 23 s for what 1 does in 1.3 s; OMP_WAIT_POLICY=PASSIVE (unless set) lets
# them sleep (2 s). OPENBLAS_THREAD_TIMEOUT=4 (unless set) is what adan-lab's native addon sets for
# its OpenBLAS threads (src/backend/native.ts), so both sides' BLAS threads wait alike.
if _threads_arg():
    for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        os.environ[_var] = _threads_arg()
    os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')
    os.environ.setdefault('OPENBLAS_THREAD_TIMEOUT', '4')

import numpy as np  # noqa: E402
import scipy.io as sio  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HIDDEN = [100, 100]
DROPOUT = 0.5
L2 = 0.1
EPOCHS = 20
BATCH = 50
LR, BETA1, BETA2, ADAM_EPS = 1e-3, 0.9, 0.999, 1e-7
BN_MOMENTUM, BN_EPS = 0.99, 1e-3   # Keras convention: weight of the old moving statistic
CE_CLIP = 1e-7                      # Keras' K.epsilon() in categorical_crossentropy


class KerasBatchNorm(nn.Module):
    """keras.layers.BatchNormalization (Keras 2.1.6, TensorFlow backend) on 2-D inputs."""

    def __init__(self, units, momentum=BN_MOMENTUM, eps=BN_EPS):
        super().__init__()
        self.momentum, self.eps = momentum, eps
        self.gamma = nn.Parameter(torch.ones(units))
        self.beta = nn.Parameter(torch.zeros(units))
        self.register_buffer('moving_mean', torch.zeros(units))
        self.register_buffer('moving_var', torch.ones(units))
        # TensorFlow's zero_debias shadows (moving_averages._zero_debias): 'biased' and 'local_step'
        self.register_buffer('biased_mean', torch.zeros(units))
        self.register_buffer('biased_var', torch.zeros(units))
        self.steps = 0

    def forward(self, a):
        if not self.training:
            return (a - self.moving_mean) / torch.sqrt(self.moving_var + self.eps) * self.gamma + self.beta
        mean = a.mean(0)
        var = a.var(0, unbiased=False)
        n = a.shape[0]
        if n > 1:  # n = 1 would scale the variance by a negative factor
            with torch.no_grad():
                decay = 1.0 - self.momentum
                self.biased_mean -= (self.biased_mean - mean) * decay
                self.biased_var -= (self.biased_var - var * (n / (n - (1.0 + self.eps)))) * decay
                self.steps += 1
                debias = 1.0 - self.momentum ** self.steps
                self.moving_mean.copy_(self.biased_mean / debias)
                self.moving_var.copy_(self.biased_var / debias)
        return (a - mean) / torch.sqrt(var + self.eps) * self.gamma + self.beta


class KerasAdam(torch.optim.Optimizer):
    """keras.optimizers.Adam of Keras 2.1.6 (epsilon added to sqrt(v) before the bias correction)."""

    def __init__(self, params, lr=LR, beta1=BETA1, beta2=BETA2, eps=ADAM_EPS):
        super().__init__(params, dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps))
        self.t = 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        for g in self.param_groups:
            lr_t = g['lr'] * math.sqrt(1.0 - g['beta2'] ** self.t) / (1.0 - g['beta1'] ** self.t)
            for p in g['params']:
                if p.grad is None:
                    continue
                st = self.state[p]
                if not st:
                    st['m'] = torch.zeros_like(p)
                    st['v'] = torch.zeros_like(p)
                m, v = st['m'], st['v']
                m.mul_(g['beta1']).add_(p.grad, alpha=1.0 - g['beta1'])
                v.mul_(g['beta2']).addcmul_(p.grad, p.grad, value=1.0 - g['beta2'])
                p.sub_(lr_t * m / (v.sqrt() + g['eps']))


class AuthorsDnn(nn.Module):
    def __init__(self, d, k, hidden=HIDDEN, variant='keras'):
        super().__init__()
        sizes = [d] + list(hidden)
        self.dense = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        if variant == 'keras':
            self.norms = nn.ModuleList(KerasBatchNorm(b) for b in hidden)
        else:
            self.norms = nn.ModuleList(nn.BatchNorm1d(b, eps=BN_EPS, momentum=1.0 - BN_MOMENTUM) for b in hidden)
        self.out = nn.Linear(sizes[-1], k)
        for lin in [*self.dense, self.out]:  # Keras: glorot_uniform kernels, zero biases
            nn.init.xavier_uniform_(lin.weight)
            nn.init.zeros_(lin.bias)

    def forward(self, x):
        h = x
        for l, (lin, bn) in enumerate(zip(self.dense, self.norms)):
            if l == 0:
                h = bn(torch.tanh(lin(h)))       # Dense(activation=tanh) -> BN
            else:
                h = torch.tanh(bn(lin(h)))       # Dense -> BN -> Activation(tanh)
            h = F.dropout(h, DROPOUT, self.training)
        return self.out(h)

    def l2_penalty(self):
        """0.1 * sum(w^2) on the kernels of layers 2.. and the output (not layer 1, not biases)."""
        return L2 * sum((lin.weight ** 2).sum() for lin in [*self.dense[1:], self.out])


def keras_crossentropy(logits, y):
    p = torch.softmax(logits, 1).clamp(CE_CLIP, 1.0 - CE_CLIP)
    return -torch.log(p.gather(1, y[:, None])).mean()


def fit(x, y, k, seed, variant):
    torch.manual_seed(seed)
    net = AuthorsDnn(x.shape[1], k, variant=variant)
    opt = KerasAdam(net.parameters()) if variant == 'keras' else torch.optim.Adam(net.parameters(), lr=LR, betas=(BETA1, BETA2), eps=ADAM_EPS)
    loss_of = keras_crossentropy if variant == 'keras' else F.cross_entropy
    net.train()
    n = x.shape[0]
    for _ in range(EPOCHS):
        perm = torch.randperm(n)
        for s in range(0, n, BATCH):
            rows = perm[s:s + BATCH]
            loss = loss_of(net(x[rows]), y[rows]) + net.l2_penalty()
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    return net


def predict(net, x):
    with torch.no_grad():
        return net(x).argmax(1)


def load_folds(data):
    parts = []
    for i in range(1, 11):
        m = sio.loadmat(os.path.join(data, 'emodb_tst_loso%d.mat' % i))
        parts.append((torch.tensor(np.asarray(m['x'], dtype=np.float32)), torch.tensor(np.asarray(m['y']).ravel().astype(np.int64))))
    folds = []
    for i in range(10):
        xtr = torch.cat([p[0] for j, p in enumerate(parts) if j != i])
        ytr = torch.cat([p[1] for j, p in enumerate(parts) if j != i])
        folds.append((xtr, ytr, parts[i][0], parts[i][1]))
    return folds


def wa_uar(y, p, k):
    y, p = np.asarray(y), np.asarray(p)
    recalls = [np.mean(p[y == c] == c) for c in range(k) if np.any(y == c)]
    return float(np.mean(y == p)), float(np.mean(recalls))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seeds', default='0,1,2')
    ap.add_argument('--variant', choices=['keras', 'torch'], default='keras')
    ap.add_argument('--threads', type=int, default=None)
    ap.add_argument('--timing', action='store_true')
    ap.add_argument('--data', default='/work/shared/data/emodb-is11')
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    # TensorFlow runs its CPU kernels with denormals flushed to zero; without it the hand-written
    # Keras Adam here ran 1 to 5 s for the same 486-row unit (tiny second moments are denormal)
    torch.set_flush_denormal(True)
    folds = load_folds(a.data)
    k = 7
    print('torch %s, %d threads (OPENBLAS_NUM_THREADS=%s, OMP_WAIT_POLICY=%s), variant %s' % (
        torch.__version__, torch.get_num_threads(), os.environ.get('OPENBLAS_NUM_THREADS', 'unset'), os.environ.get('OMP_WAIT_POLICY', 'unset'), a.variant))
    was, uars = [], []
    for seed in ([] if a.seeds == 'none' else [int(s) for s in a.seeds.split(',')]):
        t0, c0 = time.perf_counter(), time.process_time()
        ys, ps = [], []
        for i, (xtr, ytr, xte, yte) in enumerate(folds):
            net = fit(xtr, ytr, k, seed * 1000 + i + 1, a.variant)
            ys.append(yte.numpy())
            ps.append(predict(net, xte).numpy())
        wa, uar = wa_uar(np.concatenate(ys), np.concatenate(ps), k)
        was.append(wa)
        uars.append(uar)
        print('seed %d: WA %.2f %%  UAR %.2f %%   (%.1f s wall, %.1f s cpu)' % (seed, 100 * wa, 100 * uar, time.perf_counter() - t0, time.process_time() - c0))
    if was:
        print('mean +- std over %d seeds: WA %.2f +- %.2f %%  UAR %.2f +- %.2f %%' % (len(was), 100 * np.mean(was), 100 * np.std(was), 100 * np.mean(uars), 100 * np.std(uars)))

    if a.timing:
        xtr, ytr, xte, _ = folds[0]
        print('\nseconds of one unit (fit %d epochs + predict %d rows), fold 1, median of 3:' % (EPOCHS, xte.shape[0]))
        for times in (1, 11):
            g = torch.Generator().manual_seed(times)
            x = torch.cat([xtr] + [xtr + 0.1 * torch.randn(xtr.shape, generator=g) for _ in range(times - 1)])
            y = ytr.repeat(times)
            runs = []
            for r in range(3):
                t0, c0 = time.perf_counter(), time.process_time()
                predict(fit(x, y, k, r, a.variant), xte)
                runs.append((time.perf_counter() - t0, time.process_time() - c0))
            wall = sorted(w for w, _ in runs)[1]
            cpu = sorted(c for _, c in runs)[1]
            print('  %5d rows: %.2f s wall, %.2f s cpu  (runs: %s)' % (x.shape[0], wall, cpu, ', '.join('%.2f' % w for w, _ in runs)))


if __name__ == '__main__':
    main()
