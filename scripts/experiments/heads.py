"""Other heads, and augmentation, on emovox's own features, in numpy (python3 with numpy and scipy).

A quick way to ask whether a lever is worth building into emovox: each run takes seconds,
where a grouped cross-validation of the tfjs ensemble takes about fifteen minutes. Same folds
as `emovox evaluate` (the test speakers of each fold are read from a saved result), same
per-speaker standardisation as `--speaker-normalize`. The figures are for these heads, not
for emovox's ensemble; nothing here is chosen on a test fold except by the grouped CV itself.

  node --import tsx scripts/experiments/dump-features.ts vad1536 --vad --vad-chunk 1536
  python3 scripts/experiments/heads.py vad1536 linear       # logistic regression, ridge, kernel ridge, LDA, ensembles
  LAYERS=pool1,pool2,pool3,pool4,pool5,final node --import tsx scripts/experiments/dump-features.ts all6 --vad
  python3 scripts/experiments/heads.py all6 layers          # which speech_embedding layers
  node --import tsx scripts/experiments/dump-augmented.ts noise; node --import tsx scripts/experiments/dump-augmented.ts speed
  python3 scripts/experiments/heads.py vad1536 augment      # training folds plus augmented copies
  node --import tsx scripts/experiments/dump-features.ts novad
  python3 scripts/experiments/heads.py novad logistic       # the chosen logistic regression on today's features
"""
import json
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

tag, experiment = sys.argv[1], sys.argv[2]
meta = json.load(open(f'scratch/feat/{tag}.json'))
X = np.fromfile(f'scratch/feat/{tag}.f32', dtype=np.float32).reshape(meta['rows'], meta['cols']).astype(np.float64)
y = np.array(meta['y'])
spk = np.array(meta['speakers'])
names = np.array(meta['names'])
K = len(meta['labels'])
folds = [f['testSpeakers'] for f in json.load(open('docs/results/default.json'))['folds']]


def speaker_normalize(M):
    Z = M.copy()
    for s in np.unique(spk):
        i = spk == s
        Z[i] = (M[i] - M[i].mean(0)) / (M[i].std(0) + 1e-8)
    return Z


def standardizer(M):
    mu, sd = M.mean(0), M.std(0)
    sd[sd < 1e-8] = 1
    return lambda A: (A - mu) / sd


def logistic(C):
    def fit(A, b):
        n, d = A.shape
        Y = np.eye(K)[b]
        lam = 1.0 / (C * n)

        def f(w):
            W = w.reshape(d + 1, K)
            Z = A @ W[:-1] + W[-1]
            L = logsumexp(Z, axis=1, keepdims=True)
            P = np.exp(Z - L)
            loss = -(Y * (Z - L)).sum() / n + 0.5 * lam * (W[:-1] ** 2).sum()
            return loss, np.vstack([A.T @ (P - Y) / n + lam * W[:-1], (P - Y).sum(0) / n]).ravel()

        W = minimize(f, np.zeros((d + 1) * K), jac=True, method='L-BFGS-B', options={'maxiter': 500}).x.reshape(d + 1, K)
        return lambda T: T @ W[:-1] + W[-1]
    return fit


def ridge(alpha):
    def fit(A, b):
        Y = np.eye(K)[b] * 2 - 1
        a = np.linalg.solve(A @ A.T + alpha * np.eye(len(A)), Y - Y.mean(0))
        W, c = A.T @ a, Y.mean(0)
        return lambda T: (T @ W + c) * 3
    return fit


def kernel_ridge(alpha, gscale):
    def fit(A, b):
        Y = np.eye(K)[b] * 2 - 1
        g = gscale / A.shape[1]
        sq = (A ** 2).sum(1)
        a = np.linalg.solve(np.exp(-g * (sq[:, None] + sq[None] - 2 * A @ A.T)) + alpha * np.eye(len(A)), Y)
        return lambda T: np.exp(-g * ((T ** 2).sum(1)[:, None] + sq[None] - 2 * T @ A.T)) @ a * 3
    return fit


def lda(shrink):
    def fit(A, b):
        mus = np.stack([A[b == c].mean(0) for c in range(K)])
        R = A - mus[b]
        S = R.T @ R / len(A)
        S = (1 - shrink) * S + shrink * np.trace(S) / A.shape[1] * np.eye(A.shape[1])
        W = np.linalg.solve(S, mus.T)
        c = -0.5 * (mus * W.T).sum(1) + np.log(np.bincount(b, minlength=K) / len(b))
        return lambda T: T @ W + c
    return fit


def softmax(Z):
    return np.exp(Z - logsumexp(Z, axis=1, keepdims=True))


def report(label, P):
    accs, uars = [], []
    for ts in folds:
        te = np.isin(spk, ts)
        pred = P[te].argmax(1)
        accs.append((pred == y[te]).mean())
        uars.append(np.mean([(pred[y[te] == c] == c).mean() for c in range(K)]))
    print(f'{label:44s} accuracy {100 * np.mean(accs):.1f} ± {100 * np.std(accs, ddof=1):.1f}  UAR {100 * np.mean(uars):.1f}  folds {[round(100 * a, 1) for a in accs]}', flush=True)


def cross_validate(fit, M, label, extra=()):
    """Out-of-fold probabilities; `extra` are augmented copies of M whose training rows join each training fold."""
    P = np.zeros((len(y), K))
    for ts in folds:
        te = np.isin(spk, ts)
        tr = ~te
        Xtr = np.vstack([M[tr]] + [E[tr] for E in extra])
        s = standardizer(Xtr)
        score = fit(s(Xtr), np.concatenate([y[tr]] * (1 + len(extra))))
        P[te] = softmax(score(s(M[te])))
    report(label, P)
    return P


if experiment == 'linear':
    for kind, M in [('raw', X), ('speaker-normalised', speaker_normalize(X))]:
        for C in [0.001, 0.003, 0.01, 0.03, 0.1]:
            cross_validate(logistic(C), M, f'logistic C={C} {kind}')
        for a in [100, 1000, 3000]:
            cross_validate(ridge(a), M, f'ridge alpha={a} {kind}')
        for a in [0.1, 1]:
            for g in [0.5, 1, 2]:
                cross_validate(kernel_ridge(a, g), M, f'RBF kernel ridge alpha={a} gamma={g}/d {kind}')
        P = [cross_validate(logistic(0.03), M, f'logistic C=0.03 {kind}'), cross_validate(lda(0.6), M, f'LDA shrinkage 0.6 {kind}'), cross_validate(kernel_ridge(0.1, 0.5), M, f'kernel ridge {kind}')]
        for s in [0.3, 0.9]:
            cross_validate(lda(s), M, f'LDA shrinkage {s} {kind}')
        report(f'mean of the three probabilities, {kind}', sum(P))
        report(f'product of the three probabilities, {kind}', sum(np.log(p + 1e-9) for p in P))
elif experiment == 'logistic':
    cross_validate(logistic(0.03), X, 'logistic C=0.03 raw')
    cross_validate(logistic(0.03), speaker_normalize(X), 'logistic C=0.03 speaker-normalised')
elif experiment == 'layers':
    Z = speaker_normalize(X)
    for layers in [('pool2', 'pool3', 'pool4', 'final'), ('pool1', 'pool2', 'pool3', 'pool4', 'pool5', 'final'), ('pool1', 'pool2', 'pool3', 'pool4', 'final'), ('pool2', 'pool3', 'pool4', 'pool5', 'final')]:
        cols = np.array([(not n.startswith('emb')) or any(n.startswith(f'emb_{l}_') for l in layers) for n in names])
        cross_validate(logistic(0.03), Z[:, cols], 'logistic speaker-normalised ' + '+'.join(layers))
elif experiment == 'augment':
    aug = {}
    for kind in ['noise', 'speed']:
        a = json.load(open(f'scratch/feat/aug-{kind}.json'))
        A = np.fromfile(f'scratch/feat/aug-{kind}.f32', dtype=np.float32).reshape(a['rows'], a['cols']).astype(np.float64)
        where = {f: i for i, f in enumerate(a['files'])}
        aug[kind] = A[[where[f] for f in meta['files']]]
    cross_validate(logistic(0.03), X, 'logistic, no augmentation')
    cross_validate(logistic(0.03), X, 'logistic + noise copies', [aug['noise']])
    cross_validate(logistic(0.03), X, 'logistic + speed copies', [aug['speed']])
else:
    sys.exit(f'unknown experiment {experiment}: linear, logistic, layers or augment')
