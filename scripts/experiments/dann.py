"""Domain-adversarial head (DANN) and CORAL across corpora, screened in numpy (python3, numpy, scipy).

A screen for issue 14's "a head that cannot tell the corpora apart": before building gradient
reversal into emovox's tfjs trainer, ask here whether it helps. The network copies the recipe's
speaker-normalised head (src/model/mlp.ts, recipe.ts): input dropout 0.2, 64 ReLU units, dropout
0.5, L2 1e-3 on the weight matrices (added to the loss as 1e-3·ΣW², as train-head.ts does), label
smoothing 0.1, Adam 1e-3, batches of 32, an ensemble of 4 members each early-stopped (patience
25, at most 200 epochs) on its own quarter of the training speakers, logits averaged.

DANN (Ganin & Lempitsky 2015; Ganin et al. 2016, JMLR 17(59)): a domain classifier reads the
hidden layer (after dropout) through a gradient-reversal layer; it is logistic (the "shallow
DANN" of Ganin et al. §5.1) or, with `--dhidden N`, has a ReLU layer of N units of its own. Each step takes a batch of labelled source rows and as many *unlabelled* target rows;
the domain classifier minimises its cross-entropy over both, and the hidden layer receives
−λ times that gradient, so it learns features the domain classifier cannot separate. This is
transductive, like speaker normalisation: it uses the held-out corpus's recordings (all of
them, calm and disgust included, labels never read), as `--normalize speaker` uses their
statistics. λ either holds from the first step (`const`) or follows Ganin's ramp
λ·(2/(1 + e^(−10p)) − 1), p going 0 → 1 over the first `ramp` epochs.

CORAL (Sun, Feng & Saenko 2016, "Return of frustratingly easy domain adaptation"): after speaker
normalisation, project both corpora on the first k principal axes of their pooled rows, whiten
the source's covariance and recolour it with the target's, then train the same head (λ = 0).

Protocols (the features, the speaker normalisation over all of a speaker's clips and the six
shared labels of scratch/loco.py and `emovox evaluate --leave-one-corpus-out --normalize speaker
--labels shared`):
- `n2r`: trained on nEMO, tested on the RAVDESS's 880 clips of the six labels (UAR over six).
  Settings are chosen on this direction only (issue 14: with two corpora every LOCO figure is a
  test figure, and RAVDESS → nEMO is the direction of the bar, so it must choose nothing).
- `r2n`: trained on the RAVDESS's six labels, tested on all 2246 nEMO clips: reported for every
  setting run, never used to choose.
- `cv`: grouped 5-fold CV on RAVDESS actors 01–20, eight labels, the folds of
  docs/results/default.json; the domain rows are all of nEMO (a model trained on the RAVDESS
  with nEMO unlabelled beside it, measured at home). Accuracy and UAR.

Each result also has the domain probe: a fresh logistic regression (scipy L-BFGS) told to
separate source from target rows by the trained hidden layer (member 1, no dropout), scored by
2-fold CV over speakers of each corpus: 50% means the corpora cannot be told apart.

  node --import tsx scripts/experiments/dump-corpora.ts        # scratch/feat/{ravdess,nemo}-handcrafted+embedding+yamnet.*
  export OMP_NUM_THREADS=1
  python3 scripts/experiments/dann.py n2r,r2n --lam 0,0.1,0.3,1 --dhidden 64 --seeds 1,2,3
  python3 scripts/experiments/dann.py n2r,r2n --lam 0.1 --dhidden 64 --schedule ramp:20 --seeds 1,2,3
  python3 scripts/experiments/dann.py cv --lam 0,0.1 --dhidden 64 --seeds 1
  python3 scripts/experiments/dann.py n2r,r2n --coral 32,128,512 --seeds 1,2,3
(the full list of commands behind docs/ACCURACY.md's table is there).
Results are appended, one JSON object per line, to scratch/dann-results.jsonl;
  python3 scripts/experiments/dann.py table
prints them as the markdown table of docs/ACCURACY.md (one row per setting, seeds side by side).
"""
import argparse
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

SHARED = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'surprised']
EIGHT = ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']
SPEC = 'handcrafted+embedding+yamnet'


def load(corpus):
    m = json.load(open(f'scratch/feat/{corpus}-{SPEC}.json'))
    X = np.fromfile(f'scratch/feat/{corpus}-{SPEC}.f32', dtype=np.float32).reshape(m['rows'], m['cols']).astype(np.float64)
    return X, np.array(m['labels']), np.array(m['speakers']), np.array(m['names']).astype(str)


def front_end_columns(names, which):
    yam, emb = np.char.startswith(names, 'yamnet'), np.char.startswith(names, 'emb')
    keep = np.zeros(len(names), bool)
    for w in which.split(','):
        keep |= {'yamnet': yam, 'embedding': emb, 'handcrafted': ~(yam | emb)}[w]
    return keep


def speaker_normalize(X, spk):
    """Each speaker's rows standardised over all of that speaker's clips, as --normalize speaker does."""
    Z = np.empty_like(X)
    for s in np.unique(spk):
        i = spk == s
        Z[i] = (X[i] - X[i].mean(0)) / (X[i].std(0) + 1e-8)
    return Z


def group_kfold(groups, k, rng):
    """Speakers dealt round-robin in a seeded order into k folds of about equal size."""
    g = np.unique(groups)
    rng.shuffle(g)
    return [np.isin(groups, g[i::k]) for i in range(k)]


class Adam:
    def __init__(self, params, lr=1e-3, b1=0.9, b2=0.999, eps=1e-7):
        self.p, self.lr, self.b1, self.b2, self.eps, self.t = params, lr, b1, b2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, grads):
        self.t += 1
        a = self.lr * np.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        for p, g, m, v in zip(self.p, grads, self.m, self.v):
            m *= self.b1
            m += (1 - self.b1) * g
            v *= self.b2
            v += (1 - self.b2) * g * g
            p -= a * m / (np.sqrt(v) + self.eps)


def train_member(A, a, Aval, aval, T, K, cfg, rng):
    """One member: returns (W1, b1, W2, b2) at the best validation epoch."""
    n, d = A.shape
    H, B = 64, 32

    def glorot(i, o):
        lim = np.sqrt(6 / (i + o))
        return rng.uniform(-lim, lim, (i, o))

    W1, b1, W2, b2 = glorot(d, H), np.zeros(H), glorot(H, K), np.zeros(K)
    Dh = cfg.get('dhidden', 0)
    # The domain classifier: logistic on the hidden layer, or with a ReLU layer of its own (Dh units).
    dom_params = [glorot(H, Dh), np.zeros(Dh), glorot(Dh, 1), np.zeros(1)] if Dh else [glorot(H, 1), np.zeros(1)]
    params = [W1, b1, W2, b2, *dom_params]
    opt = Adam(params)
    Ysm = np.full((n, K), 0.1 / K)
    Ysm[np.arange(n), a] += 0.9
    wd, lam, ramp = 1e-3, cfg['lam'], cfg['ramp']
    steps_per_epoch = -(-n // B)
    tpos, torder = 0, rng.permutation(len(T))

    def val_loss():
        Z = np.maximum(Aval @ W1 + b1, 0) @ W2 + b2
        return -(Z[np.arange(len(aval)), aval] - logsumexp(Z, 1)).mean()

    best, best_epoch, step = (np.inf, None), 0, 0
    for epoch in range(1, 201):
        order = rng.permutation(n)
        for s in range(0, n, B):
            idx = order[s:s + B]
            m = len(idx)
            x = A[idx] * (rng.random((m, d)) >= 0.2) / 0.8
            z1 = x @ W1 + b1
            h = np.maximum(z1, 0)
            dm = (rng.random((m, H)) >= 0.5) / 0.5
            hd = h * dm
            Z = hd @ W2 + b2
            P = np.exp(Z - logsumexp(Z, 1, keepdims=True))
            G = (P - Ysm[idx]) / m  # d(mean smoothed CE)/dZ
            gW2 = hd.T @ G + 2 * wd * W2
            gb2 = G.sum(0)
            ghd = G @ W2.T
            gdom = [2 * wd * q if q.ndim == 2 else np.zeros_like(q) for q in dom_params]
            gW1 = 2 * wd * W1
            gb1 = np.zeros(H)
            if lam > 0:
                p = min(1.0, step / (ramp * steps_per_epoch)) if ramp > 0 else 1.0
                lam_p = lam * (2 / (1 + np.exp(-10 * p)) - 1) if ramp > 0 else lam
                if tpos + m > len(T):
                    tpos, torder = 0, rng.permutation(len(T))
                tidx = torder[tpos:tpos + m]
                tpos += m
                xt = T[tidx] * (rng.random((m, d)) >= 0.2) / 0.8
                zt = xt @ W1 + b1
                dmt = (rng.random((m, H)) >= 0.5) / 0.5
                ht = np.maximum(zt, 0) * dmt
                hh = np.vstack([hd, ht])
                dom = np.concatenate([np.zeros(m), np.ones(m)])
                if Dh:
                    u = np.maximum(hh @ dom_params[0] + dom_params[1], 0)
                    q = 1 / (1 + np.exp(-(u @ dom_params[2] + dom_params[3])[:, 0]))
                    gq = (q - dom)[:, None] / (2 * m)  # d(mean BCE)/dlogit
                    gu = (gq @ dom_params[2].T) * (u > 0)
                    for g, v in zip(gdom, [hh.T @ gu, gu.sum(0), u.T @ gq, gq.sum(0)]):
                        g += v
                    dh = gu @ dom_params[0].T
                else:
                    q = 1 / (1 + np.exp(-(hh @ dom_params[0] + dom_params[1])[:, 0]))
                    gq = (q - dom)[:, None] / (2 * m)
                    gdom[0] += hh.T @ gq
                    gdom[1] += gq.sum(0)
                    dh = gq @ dom_params[0].T
                # Gradient reversal: the hidden layer gets −λ times the domain loss's gradient.
                gh = -lam_p * dh
                ghd = ghd + gh[:m]
                gzt = gh[m:] * dmt * (zt > 0)
                gW1 += xt.T @ gzt
                gb1 += gzt.sum(0)
            gz1 = ghd * dm * (z1 > 0)
            gW1 += x.T @ gz1
            gb1 += gz1.sum(0)
            opt.step([gW1, gb1, gW2, gb2, *gdom])
            step += 1
        vl = val_loss()
        if vl < best[0] - 1e-4:
            best, best_epoch = (vl, [W1.copy(), b1.copy(), W2.copy(), b2.copy()]), epoch
        if epoch - best_epoch >= 25:
            break
    return best[1], best_epoch


def fit_ensemble(A, a, groups, T, K, cfg, seed):
    """Four members on a speaker-grouped split, each early-stopped on its held-out quarter; the standardiser on its training rows."""
    rng = np.random.default_rng(seed)
    members, epochs = [], []
    for k, val in enumerate(group_kfold(groups, 4, rng)):
        tr = ~val
        mu, sd = A[tr].mean(0), A[tr].std(0)
        sd[sd < 1e-8] = 1
        st = lambda M: (M - mu) / sd
        w, e = train_member(st(A[tr]), a[tr], st(A[val]), a[val], st(T), K, cfg, np.random.default_rng(seed * 1000 + k))
        members.append((st, w))
        epochs.append(e)

    def logits(M):
        return sum(np.maximum(st(M) @ w[0] + w[1], 0) @ w[2] + w[3] for st, w in members) / len(members)

    def hidden(M):
        st, w = members[0]
        return np.maximum(st(M) @ w[0] + w[1], 0)

    return logits, hidden, epochs


def uar(t, p, K):
    return float(np.mean([np.mean(p[t == k] == k) for k in range(K) if (t == k).any()]))


def logistic_fit(A, b, C=1.0):
    n, d = A.shape
    lam = 1.0 / (C * n)

    def f(w):
        z = A @ w[:-1] + w[-1]
        L = np.logaddexp(0, z) - b * z
        g = 1 / (1 + np.exp(-z)) - b
        return L.mean() + 0.5 * lam * w[:-1] @ w[:-1], np.append(A.T @ g / n + lam * w[:-1], g.mean())

    return minimize(f, np.zeros(d + 1), jac=True, method='L-BFGS-B', options={'maxiter': 300}).x


def domain_probe(Hs, spk_s, Ht, spk_t):
    """Balanced accuracy of a fresh logistic regression separating source from target by the hidden layer, 2-fold CV over speakers."""
    rng = np.random.default_rng(0)
    fs, ft = group_kfold(spk_s, 2, rng), group_kfold(spk_t, 2, rng)
    accs = []
    for k in range(2):
        A = np.vstack([Hs[~fs[k]], Ht[~ft[k]]])
        b = np.concatenate([np.zeros((~fs[k]).sum()), np.ones((~ft[k]).sum())])
        mu, sd = A.mean(0), A.std(0) + 1e-8
        w = logistic_fit((A - mu) / sd, b)
        score = lambda M: ((M - mu) / sd) @ w[:-1] + w[-1]
        accs.append(0.5 * (np.mean(score(Hs[fs[k]]) < 0) + np.mean(score(Ht[ft[k]]) > 0)))
    return float(np.mean(accs))


def coral(S, T, k):
    """Source and target on the first k principal axes of their pooled rows; the source recoloured to the target's covariance."""
    M = np.vstack([S, T])
    mu = M.mean(0)
    _, _, Vt = np.linalg.svd(M - mu, full_matrices=False)
    P = Vt[:k].T
    s, t = (S - mu) @ P, (T - mu) @ P

    def power(C, e):
        w, V = np.linalg.eigh(C + np.eye(k))  # + I: the regulariser of Sun et al.
        return (V * w ** e) @ V.T

    s = (s - s.mean(0)) @ power(np.cov(s, rowvar=False), -0.5) @ power(np.cov(t, rowvar=False), 0.5) + t.mean(0)
    return s, t


def table(path):
    rows = [json.loads(line) for line in open(path)]
    names = {'n2r': 'nEMO → RAVDESS UAR %', 'r2n': 'RAVDESS → nEMO UAR %', 'cv': 'RAVDESS CV acc % (UAR)'}

    def setting(r):
        if r['coral']:
            return f"CORAL, {r['coral']} PCA axes"
        if r['lam'] == 0:
            return 'control (λ = 0)'
        adversary = f"{r['dhidden']}-unit domain classifier" if r['dhidden'] else 'logistic domain classifier'
        return f"λ = {r['lam']:g}, {'ramp over ' + str(r['ramp']) + ' epochs' if r['ramp'] else 'constant'}, {adversary}"

    order = []
    cells = {}
    for r in rows:
        key = setting(r)
        if key not in order:
            order.append(key)
        cells.setdefault((key, r['protocol']), []).append(r)
    print('| setting | ' + ' | '.join(names.values()) + ' | domain probe % (n2r; r2n) |')
    print('|---|---|---|---|---|')
    for key in order:
        out = []
        for proto in names:
            rs = sorted(cells.get((key, proto), []), key=lambda r: r['seed'])
            if not rs:
                out.append('—')
            elif proto == 'cv':
                out.append(', '.join(f"{r['acc']:.1f} ± {r['acc_sd']:.1f} ({r['uar']:.1f})" for r in rs))
            else:
                seeds = ', '.join(f"{r['uar']:.1f}" for r in rs)
                out.append(f"**{np.mean([r['uar'] for r in rs]):.1f}** ({seeds})")
        probes = [' '.join(f"{r['probe']:.0f}" for r in sorted(cells.get((key, p), []), key=lambda r: r['seed'])) for p in ('n2r', 'r2n')]
        print(f"| {key} | " + ' | '.join(out) + f" | {probes[0]}; {probes[1]} |")


def main():
    if sys.argv[1:2] == ['table']:
        return table(sys.argv[2] if len(sys.argv) > 2 else 'scratch/dann-results.jsonl')
    ap = argparse.ArgumentParser()
    ap.add_argument('protocols')
    ap.add_argument('--features', default='handcrafted,embedding')
    ap.add_argument('--lam', default='0')
    ap.add_argument('--schedule', default='const', help='const or ramp:<epochs>')
    ap.add_argument('--dhidden', type=int, default=0, help='ReLU units of the domain classifier (0: logistic)')
    ap.add_argument('--coral', default='', help='PCA sizes for CORAL (then λ = 0)')
    ap.add_argument('--seeds', default='1,2,3')
    ap.add_argument('--out', default='scratch/dann-results.jsonl')
    args = ap.parse_args()
    data = {}
    for c in ['ravdess', 'nemo']:
        X, lab, spk, names = load(c)
        data[c] = (speaker_normalize(X, spk)[:, front_end_columns(names, args.features)], lab, spk)
    ramp = 0 if args.schedule == 'const' else int(args.schedule.split(':')[1])
    settings = [{'coral': int(k), 'lam': 0.0} for k in args.coral.split(',') if k] or [{'coral': 0, 'lam': float(l)} for l in args.lam.split(',')]
    for setting in settings:
        cfg = {**setting, 'ramp': ramp if setting['lam'] > 0 else 0, 'dhidden': args.dhidden if setting['lam'] > 0 else 0, 'features': args.features}
        for proto in args.protocols.split(','):
            for seed in [int(s) for s in args.seeds.split(',')]:
                t0 = time.process_time()
                res = run(proto, data, cfg, seed)
                res.update(protocol=proto, seed=seed, cpu_s=round(time.process_time() - t0, 1), **cfg)
                print(json.dumps(res), flush=True)
                with open(args.out, 'a') as f:
                    f.write(json.dumps(res) + '\n')


def run(proto, data, cfg, seed):
    if proto in ('n2r', 'r2n'):
        src, tgt = ('nemo', 'ravdess') if proto == 'n2r' else ('ravdess', 'nemo')
        Xs, ls, ss = data[src]
        Xt, lt, st = data[tgt]
        ms, mt = np.isin(ls, SHARED), np.isin(lt, SHARED)
        a = np.array([SHARED.index(l) for l in ls[ms]])
        t = np.array([SHARED.index(l) for l in lt[mt]])
        S, T = Xs[ms], Xt  # target rows for the domain: all of the held-out corpus, unlabelled
        if cfg['coral']:
            S, T = coral(S, T, cfg['coral'])
        logits, hidden, epochs = fit_ensemble(S, a, ss[ms], T, len(SHARED), cfg, seed)
        p = logits(T[mt]).argmax(1)
        return {'uar': round(100 * uar(t, p, len(SHARED)), 2), 'acc': round(100 * float(np.mean(p == t)), 2), 'epochs': epochs,
                'probe': round(100 * domain_probe(hidden(S), ss[ms], hidden(T), st), 1)}
    # cv: RAVDESS grouped 5-fold, eight labels, nEMO as the unlabelled domain rows
    assert not cfg['coral'], 'CORAL is screened across corpora only'
    X, lab, spk = data['ravdess']
    y = np.array([EIGHT.index(l) for l in lab])
    actor = np.array([s.split(':')[1] for s in spk])
    folds = [f['testSpeakers'] for f in json.load(open('docs/results/default.json'))['folds']]
    T = data['nemo'][0]
    pred = np.empty(len(y), int)
    accs = []
    for k, test_speakers in enumerate(folds):
        te = np.isin(actor, test_speakers)
        logits, _, _ = fit_ensemble(X[~te], y[~te], spk[~te], T, len(EIGHT), cfg, seed + k)
        pred[te] = logits(X[te]).argmax(1)
        accs.append(float(np.mean(pred[te] == y[te])))
    return {'acc': round(100 * float(np.mean(accs)), 2), 'acc_sd': round(100 * float(np.std(accs)), 2), 'uar': round(100 * uar(y, pred, len(EIGHT)), 2)}


if __name__ == '__main__':
    main()
