"""scikit-learn peer for QualityBenchmark: the per-user feature table a data scientist writes by hand.

Reads events.csv (key,epoch_seconds,action,item,category; sorted by key then time), builds one row per
key (event count, count per action, distinct items and categories, duration, mean / min / std gap,
events per minute), fits IsolationForest and LocalOutlierFactor with scikit-learn's defaults on the
whole table (unlabelled, as the detectors are) and writes key,score,decided per model:
  peer_table.py events.csv out_prefix
-> out_prefix-sklearn-iforest.csv, out_prefix-sklearn-lof.csv. decided is scikit-learn's own predict
(contamination='auto'). LOF gets the table standardised, as scikit-learn's docs advise for distances.
"""
import csv
import sys

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.preprocessing import StandardScaler


def table(path):
    rows = {}
    actions = []
    with open(path, newline="") as f:
        for key, ts, action, item, category in csv.reader(f):
            if action not in actions:
                actions.append(action)
            rows.setdefault(key, []).append((float(ts), action, item, category))
    keys = sorted(rows)
    x = []
    for k in keys:
        ev = rows[k]
        t = np.array([e[0] for e in ev])
        gaps = np.diff(t) if len(t) > 1 else np.zeros(1)
        duration = t[-1] - t[0]
        r = [len(ev)]
        r += [sum(1 for e in ev if e[1] == a) for a in actions]
        r += [len({e[2] for e in ev}), len({e[3] for e in ev}), duration,
              gaps.mean(), gaps.min(), gaps.std(), len(ev) / (duration / 60.0 + 1.0)]
        x.append(r)
    return keys, np.array(x, dtype=float)


def write(path, keys, scores, decided):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        for k, s, d in zip(keys, scores, decided):
            w.writerow([k, repr(float(s)), int(d)])


def main():
    keys, x = table(sys.argv[1])
    out = sys.argv[2]
    forest = IsolationForest(random_state=0).fit(x)
    write(out + "-sklearn-iforest.csv", keys, -forest.score_samples(x), forest.predict(x) < 0)
    z = StandardScaler().fit_transform(x)
    lof = LocalOutlierFactor()
    pred = lof.fit_predict(z)
    write(out + "-sklearn-lof.csv", keys, -lof.negative_outlier_factor_, pred < 0)


if __name__ == "__main__":
    main()
