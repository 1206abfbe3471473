"""The baseline of deploy/bench-parsing.sh: Python's standard library (ElementTree on the expat
C parser) reading the same real arXiv responses into the same fields, one thread.

    python3 Tools/text-baseline/parse_baseline.py SECONDS FILE...
"""
import sys
import time
import xml.etree.ElementTree as ET

OAI = "{http://www.openarchives.org/OAI/2.0/}"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"


def norm(text):
    return " ".join((text or "").split())


def local(tag):
    return tag.rsplit("}", 1)[-1]


def oai_entries(root):
    out = []
    for record in root.iter(OAI + "record"):
        meta = record.find(OAI + "metadata")
        if meta is None:
            continue
        fields = {local(e.tag): e for e in meta.iter()}
        authors = []
        for author in meta.iter():
            if local(author.tag) == "author":
                parts = {local(p.tag): norm(p.text) for p in author}
                authors.append(" ".join(x for x in (parts.get("forenames"), parts.get("keyname")) if x))
        out.append({
            "id": norm(fields["id"].text), "title": norm(fields["title"].text),
            "abstract": norm(fields["abstract"].text), "categories": norm(fields["categories"].text).split(),
            "created": norm(fields["created"].text), "authors": authors,
        })
    return out


def atom_entries(root):
    out = []
    for entry in root.iter(ATOM + "entry"):
        primary = entry.find(ARXIV + "primary_category")
        out.append({
            "id": norm(entry.findtext(ATOM + "id")), "title": norm(entry.findtext(ATOM + "title")),
            "summary": norm(entry.findtext(ATOM + "summary")),
            "authors": [norm(a.findtext(ATOM + "name")) for a in entry.findall(ATOM + "author")],
            "categories": [c.get("term") for c in entry.findall(ATOM + "category")],
            "primary": primary.get("term") if primary is not None else None,
            "published": entry.findtext(ATOM + "published"), "updated": entry.findtext(ATOM + "updated"),
        })
    return out


def entries(data):
    root = ET.fromstring(data)
    return oai_entries(root) if root.tag == OAI + "OAI-PMH" else atom_entries(root)


def main():
    seconds = float(sys.argv[1])
    files = [open(path, "rb").read() for path in sys.argv[2:]]
    count = size = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for data in files:
            count += len(entries(data))
            size += len(data)
    elapsed = time.perf_counter() - start
    print("parse: %d entries (%.1f MB) in %.2f s on one thread: %.0f entries/s, %.1f MB/s"
          % (count, size / 1e6, elapsed, count / elapsed, size / 1e6 / elapsed))


if __name__ == "__main__":
    main()
