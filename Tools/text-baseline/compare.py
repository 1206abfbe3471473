#!/usr/bin/env python3
"""scikit-learn on the same split as `trainer evaluate-text --csv FILE` (optional, for comparison
only): TF-IDF over word 1-2-grams (min_df 2, sublinear tf, English stop words, no vocabulary
cap) with LinearSVC (also class-balanced), SGD on the log loss, ComplementNB, multinomial naive Bayes, and logistic
regression, at archive and category level; accuracy, top-3, macro-F1 and the time of each step.

    python compare.py FILE [--skip-lr] [--labels recorded|current]

--labels current trains on the labels the trainer learns from (a retired archive's papers under
the category that subsumed it, bare legacy astro-ph/cond-mat papers without a category:
ArxivTaxonomy.swift); recorded, the default, on the primary categories as the papers carry them.
Held-out papers are scored on the labels of the same columns.
"""
import csv
import sys
import time
from collections import Counter

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import accuracy_score, f1_score, top_k_accuracy_score
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC


def scores(model, x):
    return model.predict_proba(x) if hasattr(model, "predict_proba") else model.decision_function(x)


def main(path, skip_lr, labels):
    csv.field_size_limit(1 << 24)
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    for name in ("archive", "category"):
        level = "current_" + name if labels == "current" else name
        # As the trainer: classes with fewer than 5 training papers are left out of both sides.
        support = Counter(r[level] for r in rows if r["split"] == "train" and r[level])
        classes = sorted(c for c, n in support.items() if n >= 5)
        train = [r for r in rows if r["split"] == "train" and r[level] in classes]
        test = [r for r in rows if r["split"] == "validation" and r[level] in classes]
        started = time.perf_counter()
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, stop_words="english")
        x_train = vectorizer.fit_transform([r["text"] for r in train])
        x_test = vectorizer.transform([r["text"] for r in test])
        y_train = [r[level] for r in train]
        y_test = [r[level] for r in test]
        vectorized = time.perf_counter() - started
        models = [
            ("LinearSVC", LinearSVC()),
            # The trainer weights classes by their inverse size: the same, for a like-for-like view.
            ("LinearSVC balanced", LinearSVC(class_weight="balanced")),
            ("SGD log-loss", SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=1)),
            ("ComplementNB", ComplementNB()),
            ("MultinomialNB", MultinomialNB(alpha=0.1)),
        ]
        if not skip_lr:
            models.append(("logistic regression", LogisticRegression(max_iter=1000)))
        for model_name, model in models:
            began = time.perf_counter()
            model.fit(x_train, y_train)
            fitted = time.perf_counter() - began
            predicted = model.predict(x_test)
            top3 = top_k_accuracy_score(y_test, scores(model, x_test), k=min(3, len(classes) - 1), labels=model.classes_)
            print(f"scikit-learn {level:8} {model_name:20}: accuracy {accuracy_score(y_test, predicted):.3f}  top-3 {top3:.3f}"
                  f"  macro-F1 {f1_score(y_test, predicted, average='macro'):.3f}  ({vectorized:.2f} s TF-IDF, {x_train.shape[1]} features,"
                  f" + {fitted:.2f} s fit; {len(train)} train / {len(test)} held out)", flush=True)


if __name__ == "__main__":
    arguments = sys.argv[2:]
    labels = arguments[arguments.index("--labels") + 1] if "--labels" in arguments else "recorded"
    if labels not in ("recorded", "current"):
        sys.exit(f"compare.py: --labels must be recorded or current, not {labels!r}")
    main(sys.argv[1], "--skip-lr" in arguments, labels)
