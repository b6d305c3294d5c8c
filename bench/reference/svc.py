"""scikit-learn's SVC(kernel='rbf') on the rows bench/kernel-svm.ts times adan-lab's KernelSvm on.

(i)  EmoDB IS11 leave-one-speaker-out from the .mat files themselves: fold i trains on the other
     nine files stacked in order and predicts file i (the authors' protocol, adan-lab's folds).
(ii) The augmented training set the TypeScript bench wrote (--augmented DIR: x.f32, y.i32,
     test-x.f32, meta.json; little-endian float32 / int32, row-major), predicting its test rows.

Seconds are per fit + predict (wall from perf_counter, CPU from process_time), as in the
TypeScript bench. Prints one JSON object. Run with Debian's python (scikit-learn 1.2):
    /usr/bin/python3 bench/reference/svc.py --data ../shared/data/emodb-is11 --C 10 --gamma auto
"""
import argparse
import json
import os
import time

import numpy as np
import scipy.io as sio
import sklearn
from sklearn.svm import SVC


def gamma_arg(text):
    return text if text in ('scale', 'auto') else float(text)


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def fit_predict(C, gamma, cache_size, xtr, ytr, xte):
    svc = SVC(kernel='rbf', C=C, gamma=gamma, cache_size=cache_size).fit(xtr, ytr)
    return svc, svc.predict(xte)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True, help='folder of emodb_tst_loso{1..10}.mat')
    ap.add_argument('--C', type=float, default=10.0)
    ap.add_argument('--gamma', type=gamma_arg, default='auto')
    ap.add_argument('--cache-size', type=float, default=200.0, help="SVC's cache_size in MB (its default: 200)")
    ap.add_argument('--augmented', help='folder written by bench/kernel-svm.ts')
    ap.add_argument('--skip-loso', action='store_true')
    args = ap.parse_args()
    out = {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'C': args.C, 'gamma': args.gamma, 'cacheSize': args.cache_size}

    if not args.skip_loso:
        X, Y = [], []
        for i in range(1, 11):
            m = sio.loadmat(os.path.join(args.data, f'emodb_tst_loso{i}.mat'))
            X.append(m['x'].astype(np.float32))
            Y.append(m['y'].ravel().astype(int))
        wall = cpu = 0.0
        pred, folds = [], []
        for i in range(10):
            xtr = np.concatenate([X[j] for j in range(10) if j != i])
            ytr = np.concatenate([Y[j] for j in range(10) if j != i])
            (svc, p), w, c = timed(lambda: fit_predict(args.C, args.gamma, args.cache_size, xtr, ytr, X[i]))
            wall += w
            cpu += c
            pred += p.tolist()
            folds.append({'rows': int(len(ytr)), 'seconds': w, 'supportVectors': int(svc.n_support_.sum())})
        out['loso'] = {'seconds': wall, 'cpu': cpu, 'folds': folds, 'predictions': pred, 'truth': np.concatenate(Y).tolist()}

    if args.augmented:
        meta = json.load(open(os.path.join(args.augmented, 'meta.json')))
        n, d, nt = meta['n'], meta['d'], meta['nTest']
        xa = np.fromfile(os.path.join(args.augmented, 'x.f32'), dtype='<f4').reshape(n, d)
        ya = np.fromfile(os.path.join(args.augmented, 'y.i32'), dtype='<i4')
        xt = np.fromfile(os.path.join(args.augmented, 'test-x.f32'), dtype='<f4').reshape(nt, d)
        (svc, p), w, c = timed(lambda: fit_predict(args.C, args.gamma, args.cache_size, xa, ya, xt))
        out['augmented'] = {'rows': n, 'seconds': w, 'cpu': c, 'predictions': p.tolist(),
                            'supportVectors': int(svc.n_support_.sum()), 'iterations': [int(v) for v in svc.n_iter_]}
    print(json.dumps(out))


if __name__ == '__main__':
    main()
