"""Why the classifier's spectra pages are slow on the MongoDB stand-in, and what a bounded range
changes: times page-shaped queries on 3,000 documents shaped like the classifier's classified
spectra (its collection's indexes included). Not a test; a probe for the next change.

    .local/venv/bin/python Tools/mongo-probe/page_queries.py mongodb://127.0.0.1:PORT/

SecantusDB decodes and matches every candidate in Python before sorting and limiting, so only a
query whose range is bounded on both sides stays small (measured 2026-12-06: 108 ms for today's
page query, 3.5 ms with both bounds). Writes the database starstream_probe (dropped first).
"""
import pymongo, random, sys, time
c = pymongo.MongoClient(sys.argv[1] if len(sys.argv) > 1 else "mongodb://127.0.0.1:27017/")
col = c.starstream_probe.spectra
col.drop()
col.create_index([("obsid",1)], unique=True); col.create_index([("status",1)]); col.create_index([("status",1),("obsid",1)])
random.seed(1)
docs=[]
for i in range(3000):
    ob = random.randint(100000000, 999999999)
    docs.append({"obsid": ob, "file": f"http://fetcher:8090/files/plan{i%40}/spec-{ob}.fits.gz", "sha256": "ab"*32, "status":"classified",
      "survey_class":"STAR","survey_subclass":"G5","plan":f"plan{i%40}","feature_version":"lines-v2",
      "class":{"label":"STAR","probabilities":{"STAR":0.9,"GALAXY":0.05,"QSO":0.05},"model_version":3},
      "mk_letter":{"label":"G","probabilities":{k:0.1 for k in "OBAFGKM"},"model_version":4},"class_correct":True})
col.insert_many(docs)
def t(name, f, n=20):
    xs=[]
    for _ in range(n):
        s=time.perf_counter(); r=f(); xs.append((time.perf_counter()-s)*1000)
    xs.sort(); print(f"{name:60s} p50 {xs[len(xs)//2]:7.1f} ms  max {xs[-1]:7.1f}  n={len(r)}")
t("status+obsid>0 sort obsid limit 51", lambda: list(col.find({"status":"classified","obsid":{"$gt":0}}).sort("obsid",1).limit(51)))
t("status sort obsid limit 51", lambda: list(col.find({"status":"classified"}).sort("obsid",1).limit(51)))
t("obsid>0 sort obsid limit 51", lambda: list(col.find({"obsid":{"$gt":0}}).sort("obsid",1).limit(51)))
t("{} sort obsid limit 51", lambda: list(col.find({}).sort("obsid",1).limit(51)))
t("obsid in range span", lambda: list(col.find({"obsid":{"$gt":0,"$lte":120000000}}).sort("obsid",1).limit(51)))
t("status + obsid range span", lambda: list(col.find({"status":"classified","obsid":{"$gt":100000000,"$lte":120000000}}).sort("obsid",1).limit(51)))
t("{} sort obsid limit 51 proj", lambda: list(col.find({}, {"obsid":1}).sort("obsid",1).limit(51)))
