"""One classifier unit of the grid done by the reference tools, for bench/grid.ts (`adan-lab bench --grid`).

Reads the rows the TypeScript bench wrote (--rows DIR: x.f32, y.i32, test-x.f32, meta.json with n, d,
k, nTest; little-endian, row-major), fits the classifier of --kind on them, predicts the test rows and
prints {"kind", "seconds", "reference"} (wall seconds of fit + predict, perf_counter).

Kinds (the same settings as adan-lab's protocols, src/protocol/protocols.ts):
  svm-linear  scikit-learn SVC(kernel='linear', C=1)                 (paper protocol)
  svm-rbf     scikit-learn SVC(kernel='rbf', C=10, gamma='auto')     (code protocol: svm_cls.py)
  dnn-code    the authors' Keras DNN replicated in PyTorch (dnn_authors.py), 20 epochs, batch 50
  dnn-paper   a ReLU MLP in PyTorch: Adam 1e-4, L2 1e-3 on every kernel, 50 epochs, batch 32
Hidden layers: EmoDB 2 x 100, IEMOCAP 4 x 512 (--dataset). Run with Debian's python3:
  /usr/bin/python3 bench/reference/grid_unit.py --kind svm-rbf --dataset emodb --rows DIR --threads 1
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# dnn_authors sets the BLAS / OpenMP threads from --threads before numpy and torch load
import dnn_authors as authors  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

HIDDEN = {'emodb': [100, 100], 'iemocap': [512, 512, 512, 512]}


def arg(name, default=None):
    if f'--{name}' in sys.argv:
        return sys.argv[sys.argv.index(f'--{name}') + 1]
    return default


def read_rows(folder):
    meta = json.load(open(os.path.join(folder, 'meta.json')))
    x = np.fromfile(os.path.join(folder, 'x.f32'), dtype='<f4').reshape(meta['n'], meta['d'])
    y = np.fromfile(os.path.join(folder, 'y.i32'), dtype='<i4')
    xt = np.fromfile(os.path.join(folder, 'test-x.f32'), dtype='<f4').reshape(meta['nTest'], meta['d'])
    return x, y, xt, meta['k']


def svm(kind, x, y, xt):
    from sklearn.svm import SVC
    import sklearn
    svc = SVC(kernel='linear', C=1) if kind == 'svm-linear' else SVC(kernel='rbf', C=10, gamma='auto')
    svc.fit(x.astype(np.float64), y).predict(xt.astype(np.float64))
    return f'scikit-learn {sklearn.__version__} SVC'


def dnn_code(x, y, xt, k, hidden):
    torch.manual_seed(0)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y).long()
    net = authors.AuthorsDnn(x.shape[1], k, hidden=hidden)
    opt = authors.KerasAdam(net.parameters())
    net.train()
    for _ in range(authors.EPOCHS):
        perm = torch.randperm(len(ys))
        for s in range(0, len(ys), authors.BATCH):
            rows = perm[s:s + authors.BATCH]
            loss = authors.keras_crossentropy(net(xs[rows]), ys[rows]) + net.l2_penalty()
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    authors.predict(net, torch.from_numpy(xt))
    return f'PyTorch {torch.__version__} replica of the authors\' Keras DNN'


def dnn_paper(x, y, xt, k, hidden):
    torch.manual_seed(0)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y).long()
    sizes = [x.shape[1]] + hidden
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    net = nn.Sequential(*layers, nn.Linear(sizes[-1], k))
    kernels = [m.weight for m in net if isinstance(m, nn.Linear)]
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    for _ in range(50):
        perm = torch.randperm(len(ys))
        for s in range(0, len(ys), 32):
            rows = perm[s:s + 32]
            loss = F.cross_entropy(net(xs[rows]), ys[rows]) + 1e-3 * sum((w ** 2).sum() for w in kernels)
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        net(torch.from_numpy(xt)).argmax(1)
    return f'PyTorch {torch.__version__} ReLU MLP'


def main():
    kind, dataset, folder = arg('kind'), arg('dataset', 'emodb'), arg('rows')
    threads = int(arg('threads', '1'))
    torch.set_num_threads(threads)
    x, y, xt, k = read_rows(folder)
    t0 = time.perf_counter()
    if kind in ('svm-linear', 'svm-rbf'):
        ref = svm(kind, x, y, xt)
    elif kind == 'dnn-code':
        ref = dnn_code(x, y, xt, k, HIDDEN[dataset])
    elif kind == 'dnn-paper':
        ref = dnn_paper(x, y, xt, k, HIDDEN[dataset])
    else:
        sys.exit(f'--kind: unknown kind {kind}')
    print(json.dumps({'kind': kind, 'seconds': time.perf_counter() - t0, 'reference': ref}))


if __name__ == '__main__':
    main()
