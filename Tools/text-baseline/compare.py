#!/usr/bin/env python3
"""scikit-learn on the same split as `trainer evaluate-text --csv FILE` (optional, for comparison
only): TF-IDF over word 1-2-grams (min_df 2, sublinear tf, English stop words, no vocabulary
cap) with LinearSVC, SGD on the log loss, ComplementNB, multinomial naive Bayes, and logistic
regression, at archive and category level; accuracy, top-3, macro-F1 and the time of each step.

    python compare.py FILE [--skip-lr]
"""
import csv
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import accuracy_score, f1_score, top_k_accuracy_score
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.svm import LinearSVC


def scores(model, x):
    return model.predict_proba(x) if hasattr(model, "predict_proba") else model.decision_function(x)


def main(path, skip_lr):
    csv.field_size_limit(1 << 24)
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    for level in ("archive", "category"):
        train = [r for r in rows if r["split"] == "train"]
        classes = sorted({r[level] for r in train})
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
            ("SGD log-loss", SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=30, tol=None, random_state=1)),
            ("ComplementNB", ComplementNB()),
            ("MultinomialNB", MultinomialNB(alpha=0.1)),
        ]
        if not skip_lr:
            models.append(("logistic regression", LogisticRegression(max_iter=1000)))
        for name, model in models:
            began = time.perf_counter()
            model.fit(x_train, y_train)
            fitted = time.perf_counter() - began
            predicted = model.predict(x_test)
            top3 = top_k_accuracy_score(y_test, scores(model, x_test), k=min(3, len(classes) - 1), labels=model.classes_)
            print(f"scikit-learn {level:8} {name:20}: accuracy {accuracy_score(y_test, predicted):.3f}  top-3 {top3:.3f}"
                  f"  macro-F1 {f1_score(y_test, predicted, average='macro'):.3f}  ({vectorized:.2f} s TF-IDF, {x_train.shape[1]} features,"
                  f" + {fitted:.2f} s fit; {len(train)} train / {len(test)} held out)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], "--skip-lr" in sys.argv[2:])
