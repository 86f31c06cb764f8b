"""scikit-learn peer for ClassicalPeerBenchmark: same data, matched settings, best-of-N fit+score time.

Prints one line per detector: RESULT <seqwatch name> <seconds> <roc_auc>.
"""
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM


def main():
    train = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
    test = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
    repeats = int(sys.argv[3])
    x_test, y_test = test[:, :-1], test[:, -1]
    d = train.shape[1]
    print(f"scikit-learn {__import__('sklearn').__version__}, numpy {np.__version__}")

    def iforest():
        m = IsolationForest(n_estimators=100, max_samples=256, random_state=42, n_jobs=1).fit(train)
        return -m.score_samples(x_test)

    def lof():
        s = StandardScaler().fit(train)
        m = LocalOutlierFactor(n_neighbors=20, novelty=True, n_jobs=1).fit(s.transform(train))
        return -m.score_samples(s.transform(x_test))

    def ocsvm():
        s = StandardScaler().fit(train)
        m = OneClassSVM(kernel="rbf", nu=0.05, gamma=1.0 / d).fit(s.transform(train))
        return -m.decision_function(s.transform(x_test))

    for name, fn in (("isolation-forest", iforest), ("lof", lof), ("ocsvm", ocsvm)):
        best = float("inf")
        auc = 0.0
        for r in range(repeats + 1):
            t0 = time.perf_counter()
            scores = fn()
            sec = time.perf_counter() - t0
            if r > 0:
                best = min(best, sec)
            auc = roc_auc_score(y_test, scores)
        print(f"RESULT {name} {best:.6f} {auc:.6f}", flush=True)


if __name__ == "__main__":
    main()
