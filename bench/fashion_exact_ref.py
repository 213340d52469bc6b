#!/usr/bin/env python3
"""Reference for bench/fashion_exact_bench.sh: reverse-SDE sampling (Euler-Maruyama, vp with beta in [0.1, 20],
uniform grid from T = 1 to eps = 1e-3) with the exact score of the Fashion-MNIST training images (N = 60,000,
d = 784, scaled to [-1, 1]), in float64, the way a Python user would write it: two GEMMs and a soft-max per step.

Usage: fashion_exact_ref.py torch|numpy N_PARTICLES STEPS THREADS [N_TRAIN]
Prints one JSON line (problem, wall seconds excluding data loading, mean nearest-training distance of the samples).
"""
import gzip, json, os, sys, time


def load(n_train):
    root = os.environ.get("PDEDIFF_DATA")
    dirs = ([os.path.join(root, "fashion-mnist"), root] if root else []) + ["/usr/share/datasets/fashion-mnist"]
    for d in dirs:
        p = os.path.join(d, "train-images-idx3-ubyte.gz")
        if os.path.exists(p):
            with gzip.open(p, "rb") as f:
                raw = f.read()
            import numpy as np
            x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(-1, 784)[:n_train]
            return x.astype(np.float64) / 127.5 - 1.0
    sys.exit("fashion-mnist not found: sudo apt-get install dataset-fashion-mnist")


def main():
    impl, n, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    n_train = int(sys.argv[5]) if len(sys.argv) > 5 else 60000
    import numpy as np
    data = load(n_train)
    bmin, bmax, eps, T = 0.1, 20.0, 1e-3, 1.0
    ts = np.linspace(T, eps, steps + 1)
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal((n, 784))
    noise = rng.standard_normal((steps, n, 784))

    def alpha_sigma2(t):
        a = np.exp(-0.25 * t * t * (bmax - bmin) - 0.5 * t * bmin)
        return a, 1.0 - a * a

    if impl == "torch":
        import torch
        torch.set_num_threads(threads)
        y = torch.from_numpy(data)
        yy = (y * y).sum(1)
        x = torch.from_numpy(x0.copy())
        z = torch.from_numpy(noise)

        def score(x, t):
            a, s2 = alpha_sigma2(t)
            logits = (2.0 * a * (x @ y.T) - a * a * yy[None, :]) / (2.0 * s2)
            w = torch.softmax(logits, dim=1)
            return (a * (w @ y) - x) / s2
    else:
        y = data
        yy = (y * y).sum(1)
        x = x0.copy()
        z = noise

        def score(x, t):
            a, s2 = alpha_sigma2(t)
            logits = (2.0 * a * (x @ y.T) - a * a * yy[None, :]) / (2.0 * s2)
            logits -= logits.max(1, keepdims=True)
            w = np.exp(logits)
            w /= w.sum(1, keepdims=True)
            return (a * (w @ y) - x) / s2

    start = time.perf_counter()
    for k in range(steps):
        t, h = ts[k], ts[k] - ts[k + 1]
        beta = bmin + t * (bmax - bmin)
        drift = -0.5 * beta * x - beta * score(x, t)
        x = x - drift * h + np.sqrt(beta * h) * z[k]
    wall = time.perf_counter() - start
    xs = np.asarray(x)
    a, _ = alpha_sigma2(eps)

    # nearest training image of Y/alpha(eps), by differences in chunks (outside the timed loop)
    ya = xs / a
    near = np.empty(n)
    for i in range(n):
        near[i] = np.sqrt(((data - ya[i]) ** 2).sum(1).min())
    print(json.dumps({"impl": impl, "n_train": n_train, "n": n, "d": 784, "steps": steps, "threads": threads,
                      "wall_s": round(wall, 3), "mean_nearest_train_dist": round(float(near.mean()), 4)}))


if __name__ == "__main__":
    main()
