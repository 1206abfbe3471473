#!/usr/bin/env python3
"""XGBoost and scikit-learn's random forest on exactly the feature matrix and folds that
`trainer evaluate --folds K --export-features FILE` used, for comparison only (the product is
the Swift code in Shared/Learning). Same rows, same cross-validation folds (grouped by plan),
same rule for rare classes (fewer than 5 examples are left out), scored out of fold per source
folder like the trainer.

    python compare.py FILE [--kinds mk,class] [--rounds 150] [--trees 100] [--threads 2]

Prints, per kind, algorithm and source: accuracy, balanced accuracy, macro-F1, recall per
class, the total training time over the folds, and for MK the type index's mean absolute
error in subtypes (XGBoost regressor).
"""
import argparse
import csv
import time
import warnings
from collections import Counter

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, recall_score
from sklearn.utils.class_weight import compute_sample_weight
from xgboost import XGBClassifier, XGBRegressor

ORDER = "OBAFGKM"
# A fold may predict a class absent from one source (an F star called B): scored as the trainer scores it.
warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")


def load(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    features = [name for name in rows[0].keys() if name not in ("obsid", "source", "plan", "fold", "class", "mk", "type_index")]
    x = np.array([[float(row[f]) if row[f] != "" else np.nan for f in features] for row in rows])
    return rows, features, x


def order_key(label):
    return (0, ORDER.index(label)) if len(label) == 1 and label in ORDER else (1, label)


def report(name, kind, source, truth, predicted, classes, seconds):
    labels = sorted(set(truth) | set(predicted), key=order_key)
    recalls = recall_score(truth, predicted, labels=labels, average=None, zero_division=0)
    support = Counter(truth)
    per_class = ", ".join(f"{label} {r:.2f} ({support[label]})" for label, r in zip(labels, recalls) if support[label] > 0)
    print(f"{kind} by {name}, on {source} ({len(truth)} labelled, out of fold): "
          f"accuracy {accuracy_score(truth, predicted):.3f}  balanced {balanced_accuracy_score(truth, predicted):.3f}  "
          f"macro-F1 {f1_score(truth, predicted, labels=labels, average='macro', zero_division=0):.3f}  (training {seconds:.1f} s over the folds)")
    print(f"  recall per class: {per_class}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--kinds", default="mk,class")
    parser.add_argument("--rounds", type=int, default=150, help="XGBoost rounds (the trainer's default)")
    parser.add_argument("--trees", type=int, default=100, help="random forest trees")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rows, features, x = load(args.file)
    folds = np.array([int(row["fold"]) for row in rows])
    sources = np.array([row["source"] for row in rows])
    print(f"{len(rows)} spectra, {len(features)} features, {folds.max() + 1} folds from {args.file}")
    for kind in args.kinds.split(","):
        column = "mk" if kind == "mk" else "class"
        labelled = np.array([row[column] != "" for row in rows])
        counts = Counter(row[column] for row in rows if row[column] != "")
        classes = sorted((c for c, n in counts.items() if n >= 5), key=order_key)
        keep = labelled & np.array([row[column] in classes for row in rows])
        y_names = np.array([row[column] for row in rows])
        index = {c: i for i, c in enumerate(classes)}
        models = {
            "xgboost": lambda: XGBClassifier(
                n_estimators=args.rounds, learning_rate=0.1, max_depth=5, min_child_weight=1, reg_lambda=1, max_bin=128,
                subsample=0.8, colsample_bytree=0.8, tree_method="hist", n_jobs=args.threads, random_state=1),
            "sklearn-random-forest": lambda: RandomForestClassifier(
                n_estimators=args.trees, class_weight="balanced", n_jobs=args.threads, random_state=1),
        }
        for name, make in models.items():
            predicted = np.empty(len(rows), dtype=object)
            seconds = 0.0
            for fold in range(folds.max() + 1):
                train = keep & (folds != fold)
                test = keep & (folds == fold)
                present = sorted(set(y_names[train]), key=order_key)
                local = {c: i for i, c in enumerate(present)}
                y = np.array([local[c] for c in y_names[train]])
                model = make()
                started = time.perf_counter()
                if name == "xgboost":
                    model.fit(x[train], y, sample_weight=compute_sample_weight("balanced", y))
                else:
                    model.fit(np.nan_to_num(x[train], nan=0.0), y)
                seconds += time.perf_counter() - started
                if test.any():
                    probe = x[test] if name == "xgboost" else np.nan_to_num(x[test], nan=0.0)
                    predicted[test] = [present[i] for i in model.predict(probe)]
            for source in dict.fromkeys(sources):
                part = keep & (sources == source)
                if part.any():
                    report(name, f"spectra-{kind}", source, list(y_names[part]), list(predicted[part]), classes, seconds)
        if kind == "mk":
            target = np.array([float(row["type_index"]) if row["type_index"] != "" else np.nan for row in rows])
            known = keep & ~np.isnan(target)
            predicted = np.full(len(rows), np.nan)
            seconds = 0.0
            for fold in range(folds.max() + 1):
                train = known & (folds != fold)
                test = known & (folds == fold)
                model = XGBRegressor(
                    n_estimators=200, learning_rate=0.1, max_depth=4, max_bin=128, subsample=0.8, colsample_bytree=0.8,
                    tree_method="hist", n_jobs=args.threads, random_state=1)
                started = time.perf_counter()
                model.fit(x[train], target[train])
                seconds += time.perf_counter() - started
                if test.any():
                    predicted[test] = model.predict(x[test])
            for source in dict.fromkeys(sources):
                part = known & (sources == source)
                if part.any():
                    error = np.abs(predicted[part] - target[part])
                    print(f"spectra-mk type index by xgboost, on {source}: MAE {error.mean():.2f} subtypes, "
                          f"{(error <= 1).mean() * 100:.0f}% within one, on {part.sum()} stars  (training {seconds:.1f} s)")


if __name__ == "__main__":
    main()
