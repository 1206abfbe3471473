"""Why the classifier's spectra pages are slow on the MongoDB stand-in, and what a bounded range
changes: times page-shaped queries on 3,000 documents shaped like the classifier's classified
spectra, with indexes like those SpectrumPredictionStore.prepare creates. Not a test; the probe
that led the classifier to walk its pages through OBSID windows bounded on both sides
(SpectrumPredictionPage, ObsidWindows.swift).

    .local/venv/bin/python Tools/mongo-probe/page_queries.py mongodb://127.0.0.1:PORT/

SecantusDB decodes and matches every candidate in Python before sorting and limiting, so only a
query whose range is bounded on both sides stays small (three runs on 2026-12-06: 108–185 ms for
today's page query, 3.5–6.3 ms with both bounds). Writes the database starstream_probe (dropped first).
"""
import random
import sys
import time

import pymongo

PAGE = 51  # a page of 50 and one more, to know whether a next page exists
client = pymongo.MongoClient(sys.argv[1] if len(sys.argv) > 1 else "mongodb://127.0.0.1:27017/")
spectra = client.starstream_probe.spectra
spectra.drop()
spectra.create_index([("obsid", 1)], unique=True)
spectra.create_index([("status", 1)])
spectra.create_index([("status", 1), ("obsid", 1)])
spectra.create_index([("class.label", 1)])

random.seed(1)
documents = []
for i in range(3000):
    obsid = random.randint(100_000_000, 999_999_999)
    documents.append({
        "obsid": obsid, "file": f"http://fetcher:8090/files/plan{i % 40}/spec-{obsid}.fits.gz", "sha256": "ab" * 32,
        "status": "classified", "survey_class": "STAR", "survey_subclass": "G5", "plan": f"plan{i % 40}",
        "feature_version": "lines-v2", "class_correct": True,
        "class": {"label": "STAR", "probabilities": {"STAR": 0.9, "GALAXY": 0.05, "QSO": 0.05}, "model_version": 3},
        "mk_letter": {"label": "G", "probabilities": {letter: 0.1 for letter in "OBAFGKM"}, "model_version": 4},
    })
spectra.insert_many(documents)


def timed(name, query, runs=20):
    """p50 and slowest of `runs` executions of `query` (a filter), sorted by OBSID, one page."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        found = list(spectra.find(query).sort("obsid", 1).limit(PAGE))
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"{name:62s} p50 {times[len(times) // 2]:7.1f} ms  max {times[-1]:7.1f}  documents {len(found)}")


classified = {"status": "classified"}
timed("today's page: status, obsid > cursor", {**classified, "obsid": {"$gt": 0}})
timed("status alone", classified)
timed("obsid > cursor alone", {"obsid": {"$gt": 0}})
timed("no filter", {})
# A window of about a page: (100,000,000, 120,000,000] holds ~67 of the 3,000 OBSIDs.
timed("status, obsid in a bounded window", {**classified, "obsid": {"$gt": 100_000_000, "$lte": 120_000_000}})
timed("status, obsid in an empty window", {**classified, "obsid": {"$gt": 1, "$lte": 100}})
