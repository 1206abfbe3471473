#!/usr/bin/env python3
"""scikit-learn on the same time split as `trainer evaluate-text --csv FILE` (optional, for
comparison only): TF-IDF over word 1-2-grams (min_df 2, 20,000 features, sublinear tf,
English stop words) with logistic regression and with multinomial naive Bayes.

    python compare.py FILE
"""
import csv
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, top_k_accuracy_score
from sklearn.naive_bayes import MultinomialNB


def main(path):
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    for level in ("archive", "category"):
        train = [r for r in rows if r["split"] == "train"]
        classes = sorted({r[level] for r in train})
        test = [r for r in rows if r["split"] == "validation" and r[level] in classes]
        started = time.perf_counter()
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=20000, sublinear_tf=True, stop_words="english")
        x_train = vectorizer.fit_transform([r["text"] for r in train])
        x_test = vectorizer.transform([r["text"] for r in test])
        y_train = [r[level] for r in train]
        y_test = [r[level] for r in test]
        vectorized = time.perf_counter() - started
        for name, model in (("logistic regression", LogisticRegression(max_iter=1000)), ("naive Bayes", MultinomialNB(alpha=0.1))):
            began = time.perf_counter()
            model.fit(x_train, y_train)
            fitted = time.perf_counter() - began
            predicted = model.predict(x_test)
            top3 = top_k_accuracy_score(y_test, model.predict_proba(x_test), k=min(3, len(classes) - 1), labels=model.classes_)
            print(f"scikit-learn {level:8} {name:20}: accuracy {accuracy_score(y_test, predicted):.3f}  top-3 {top3:.3f}"
                  f"  macro-F1 {f1_score(y_test, predicted, average='macro'):.3f}  ({vectorized:.2f} s TF-IDF + {fitted:.2f} s fit,"
                  f" {len(train)} train / {len(test)} held out)")


if __name__ == "__main__":
    main(sys.argv[1])
