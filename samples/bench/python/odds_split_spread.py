"""How far a mean over 10 random 60/40 splits moves with the splits alone, on one ODDS table.

scikit-learn's IsolationForest and OneClassSVM (PyOD's defaults: 100 trees; nu 0.5, gamma 'auto')
under PyOD's protocol (features standardised on the training part, ROC-AUC on the test part), on
100 seeded splits: the mean over all, and the range of the means of ten consecutive groups of 10.
The README compares Seqwatch's figures and PyOD's published ones with that range.

Usage: odds_split_spread.py [table.csv]
"""
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.svm import OneClassSVM

path = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/odds/letter.csv"
data = np.loadtxt(path, delimiter=",", skiprows=1)
x, y = data[:, :-1], data[:, -1]
scores = {"IsolationForest": [], "OneClassSVM": []}
for seed in range(100):
    idx = np.random.RandomState(seed).permutation(len(y))
    n = int(round(len(y) * 0.6))
    train, test = idx[:n], idx[n:]
    mean, sd = x[train].mean(0), x[train].std(0)
    sd[sd == 0] = 1
    a, b = (x[train] - mean) / sd, (x[test] - mean) / sd
    forest = IsolationForest(n_estimators=100, random_state=seed).fit(a)
    scores["IsolationForest"].append(roc_auc_score(y[test], -forest.score_samples(b)))
    svm = OneClassSVM(nu=0.5, gamma="auto").fit(a)
    scores["OneClassSVM"].append(roc_auc_score(y[test], -svm.decision_function(b)))
import sklearn  # noqa: E402

print(f"{path}, scikit-learn {sklearn.__version__}, 100 random 60/40 splits")
for name, v in scores.items():
    v = np.array(v)
    groups = v.reshape(10, 10).mean(1)
    print(f"{name}: mean {v.mean():.4f}; means of 10 splits {groups.min():.4f}-{groups.max():.4f}")
