"""Fits scikit-learn's LogisticRegression on a problem written by the classifier test and prints
the decision values and probabilities it gives, as JSON on stdout.

Input (argv[1], JSON): {"x": [[...], ...], "y": [0/1, ...], "sample_weight": [...], "c": C,
"query": [[...], ...]}. The solver is driven to a tight tolerance so the comparison measures the
two implementations, not where each happened to stop.
"""
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as f:
        problem = json.load(f)
    x = np.asarray(problem["x"], dtype=np.float64)
    y = np.asarray(problem["y"], dtype=np.int64)
    w = np.asarray(problem["sample_weight"], dtype=np.float64)
    model = LogisticRegression(C=problem["c"], solver="lbfgs", tol=1e-10, max_iter=100000)
    model.fit(x, y, sample_weight=w)
    q = np.asarray(problem["query"], dtype=np.float64)
    out = {
        "probability": model.predict_proba(q)[:, 1].tolist(),
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "iterations": int(model.n_iter_[0]),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
