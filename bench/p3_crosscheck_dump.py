"""bench/p3_crosscheck.sh, Python side: P3's published artefacts (teojd/ODESDEGap) as plain text for pdediff's Java.

    p3_crosscheck_dump.py hist P3_REPO OUT_DIR     64x64 histograms -> OUT_DIR/<set>_{truth,ode_<w>,sde_<w>}.csv
    p3_crosscheck_dump.py nets P3_REPO OUT_DIR     state_dicts of the 12 networks -> OUT_DIR/<set>_w<w>.json
    p3_crosscheck_dump.py points OUT.csv N SEED    random (t, x1, x2) points for the score check
    p3_crosscheck_dump.py score P3_REPO NET_PATH POINTS.csv   torch score +grad_x forward_log at the points, float32
                                                    and float64, as JSON {"f32": [[s1, s2], ...], "f64": [...]}
    p3_crosscheck_dump.py compare SCORES_PDEDIFF.csv TORCH.json   largest |difference| of the two

Histogram CSVs: one weight per line, in P3's order (index = row*64 + col, node (x, y) = (linspace[col], linspace[row]),
linspace = np.linspace(-3.5, 3.5, 64): P3's discretise_dist with truncation = s.xlim[1] = 3.5; weights sum to 1).
"""
import json
import math
import os
import sys
import types

import numpy as np

SETS = {'blob': 'blob', 'circles': 'circles2', 'checker': 'checker'}  # pdediff name -> P3 name
WEIGHTS = ['0.0', '0.1', '1.0', '10.0']


def load_models(repo):
    sys.path.insert(0, repo)
    sys.modules.setdefault('tqdm', types.ModuleType('tqdm'))
    import models  # noqa: F401  (P3's Net, needed to unpickle)


def hist(repo, out):
    os.makedirs(out, exist_ok=True)
    d = f"{repo}/precomputed_dists/"
    for ours, p3 in SETS.items():
        files = {'truth': f"weights_truth_64_3000000_{p3}.npy"}
        for w in WEIGHTS:
            files[f"ode_{w}"] = f"weights_ode_64_3000000_100000_800_{p3}_{w}.npy"
            files[f"sde_{w}"] = f"weights_sde_64_3000000_100000_800_{p3}_{w}.npy"
        for k, f in files.items():
            a = np.load(d + f)
            assert a.shape == (4096,), (f, a.shape)
            np.savetxt(f"{out}/{ours}_{k}.csv", a, fmt='%.17g')


def nets(repo, out):
    import torch
    load_models(repo)
    os.makedirs(out, exist_ok=True)
    for ours, p3 in SETS.items():
        for w in WEIGHTS:
            path = f"{repo}/checkpoints/{p3}/w{w}/{p3}_net__FP_weight_{w}__iteration_100000"
            net = torch.load(path, map_location='cpu', weights_only=False)
            sd = {k: v.detach().double().numpy().tolist() for k, v in net.state_dict().items()}
            act = net.activation
            meta = {'source': f"teojd/ODESDEGap:{path[len(repo) + 1:]}", 'softplus_beta': float(act.beta),
                    'softplus_threshold': float(act.threshold), 'n_out': net.n_out, 'state_dict': sd}
            with open(f"{out}/{ours}_w{w}.json", 'w') as fh:
                json.dump(meta, fh)


def points(out, n, seed):
    rng = np.random.default_rng(seed)
    t = np.exp(rng.uniform(math.log(1e-4), math.log(10), n))  # log-uniform in [1e-4, 10]
    x = rng.normal(0, 1.5, (n, 2))
    x[: n // 8] *= 4  # some far out, where P3's tails are
    np.savetxt(out, np.column_stack([t, x]), delimiter=',', header='t,x1,x2', comments='', fmt='%.17g')


def score(repo, path, pts):
    import torch
    load_models(repo)
    net = torch.load(path, map_location='cpu', weights_only=False)
    p = np.loadtxt(pts, delimiter=',', skiprows=1)
    res = {}
    for name, dt in (('f32', torch.float32), ('f64', torch.float64)):
        n = net.to(dt)
        t = torch.tensor(p[:, :1], dtype=dt)
        x = torch.tensor(p[:, 1:], dtype=dt).requires_grad_()
        phi = n.forward_log(x, t)
        s = torch.autograd.grad(phi.sum(), x)[0]  # P3's score: +grad_x of the network output (models.Net.score)
        res[name] = s.detach().double().numpy().tolist()
        res[name + '_phi'] = phi.detach().double().numpy().ravel().tolist()
    print(json.dumps(res))


def compare(ours_csv, torch_json):
    o = np.loadtxt(ours_csv, delimiter=',', skiprows=1)  # phi,s1,s2
    r = json.load(open(torch_json))
    for k in ('f64', 'f32'):
        s = np.array(r[k])
        ds = np.abs(o[:, 1:] - s).max()
        rel = (np.linalg.norm(o[:, 1:] - s, axis=1) / np.maximum(np.linalg.norm(s, axis=1), 1e-30)).max()
        dp = np.abs(o[:, 0] - np.array(r[k + '_phi'])).max()
        print(f"    pdediff (float64) vs torch {k}: max |ds| {ds:.3g}, max relative |ds| {rel:.3g}, max |dphi| {dp:.3g}, "
              f"max |s| {np.abs(s).max():.3g}")


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'hist':
        hist(sys.argv[2], sys.argv[3])
    elif cmd == 'nets':
        nets(sys.argv[2], sys.argv[3])
    elif cmd == 'points':
        points(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == 'score':
        score(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == 'compare':
        compare(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f"unknown command {cmd}")
