"""The signal levers across corpora (issue 14), screened with a ridge classifier in numpy.

Level normalisation and silence trimming (Silero VAD) change the signal before every
front-end, so each setting is a feature dump of both corpora (dump-corpora.ts); this script
trains on one corpus and tests on the other over nEMO's six labels, with the features
standardised per speaker, per corpus or not at all, and prints UAR (chance 16.7%) for both
directions, with the confusion matrices under --confusion. The ridge is the screening head of
ridge.ts (standardised features, ±1 targets, solved in the dual); λ = 10⁴ was chosen earlier
on nEMO → RAVDESS (docs/ACCURACY.md). Seconds per row.

  node --import tsx scripts/experiments/dump-corpora.ts handcrafted,embedding            # as recorded
  node --import tsx scripts/experiments/dump-corpora.ts handcrafted,embedding --level
  node --import tsx scripts/experiments/dump-corpora.ts handcrafted,embedding --vad
  node --import tsx scripts/experiments/dump-corpora.ts handcrafted,embedding --vad --level
  python3 scripts/experiments/level-screen.py [--confusion]
"""
import json
import os
import sys

import numpy as np

SHARED = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'surprised']
K = len(SHARED)
SPEC = 'handcrafted+embedding'


def load(prefix, corpus):
    m = json.load(open(f'scratch/feat/{prefix}{corpus}-{SPEC}.json'))
    X = np.fromfile(f'scratch/feat/{prefix}{corpus}-{SPEC}.f32', dtype=np.float32).reshape(m['rows'], m['cols']).astype(np.float64)
    return X, np.array(m['labels']), np.array(m['speakers'])


def standardize_groups(X, groups):
    Z = X.copy()
    for g in np.unique(groups):
        i = groups == g
        Z[i] = (X[i] - X[i].mean(0)) / (X[i].std(0) + 1e-8)
    return Z


def prepare(prefix, corpus, norm):
    X, labels, speakers = load(prefix, corpus)
    # Statistics over every clip of the speaker or corpus, calm and disgust included, as the product does.
    if norm == 'speaker':
        X = standardize_groups(X, speakers)
    elif norm == 'corpus':
        X = standardize_groups(X, np.zeros(len(X)))
    keep = np.isin(labels, SHARED)
    return X[keep], np.array([SHARED.index(l) for l in labels[keep]])


def ridge(A, b, lam):
    Y = np.eye(K)[b] * 2 - 1
    Ym = Y.mean(0)
    a = np.linalg.solve(A @ A.T + lam * np.eye(len(A)), Y - Ym)
    W = A.T @ a
    return lambda T: T @ W + Ym


def uar(t, p):
    return np.mean([np.mean(p[t == k] == k) for k in range(K)])


def direction(prefix, source, target, norm, lam):
    A, a = prepare(prefix, source, norm)
    T, t = prepare(prefix, target, norm)
    mu, sd = A.mean(0), A.std(0) + 1e-8
    p = ridge((A - mu) / sd, a, lam)((T - mu) / sd).argmax(1)
    C = np.zeros((K, K), int)
    for i, j in zip(t, p):
        C[i, j] += 1
    return uar(t, p) * 100, C


confusion = '--confusion' in sys.argv
print('signal         normalisation  λ       RAVDESS → nEMO  nEMO → RAVDESS (UAR %)')
for prefix, name in [('', 'as recorded'), ('level-', 'level'), ('vad-', 'vad'), ('vad-level-', 'vad + level')]:
    if not os.path.exists(f'scratch/feat/{prefix}ravdess-{SPEC}.json'):
        print(f'{name:14} (no dump: dump-corpora.ts {"--vad " if "vad" in prefix else ""}{"--level" if "level" in prefix else ""})')
        continue
    for norm in ['none', 'corpus', 'speaker']:
        for lam in [1e3, 1e4]:
            (rn, Crn), (nr, Cnr) = direction(prefix, 'ravdess', 'nemo', norm, lam), direction(prefix, 'nemo', 'ravdess', norm, lam)
            print(f'{name:14} {norm:14} {lam:<7g} {rn:14.1f}  {nr:14.1f}')
            if confusion and norm == 'speaker' and lam == 1e4:
                for title, C in [('RAVDESS → nEMO', Crn), ('nEMO → RAVDESS', Cnr)]:
                    print(f'  {title}, rows true, columns answered: ' + ' '.join(f'{l[:5]:>5}' for l in SHARED))
                    for k in range(K):
                        print(f'  {SHARED[k]:>10} ' + ' '.join(f'{v:5d}' for v in C[k]) + f'   recall {100 * C[k, k] / C[k].sum():.0f}%')
