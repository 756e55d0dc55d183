"""The labelled samples of this folder and the texts they label, for the scripts here.

Every labour*.tsv holds lines "corpus<TAB>stratum<TAB>id<TAB>topics" ('-' for none) and comment
lines; the texts live in the corpora of ../shared/data, read by path (vi-rss through the JSON
Lines that vi-rss-jsonl.sh writes).
"""
import glob
import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


class Label:
    """One labelled document: the sample (file name without .tsv), corpus, stratum and topics."""

    def __init__(self, sample, corpus, stratum, topics):
        self.sample, self.corpus, self.stratum, self.topics = sample, corpus, stratum, topics

    @property
    def labour(self):
        return bool(self.topics)


def parse_topics(field):
    """The set of topics of a label field ('-' or empty for none)."""
    field = field.strip()
    return set() if field in ("", "-") else {t.strip() for t in field.split(",") if t.strip()}


def load_labels():
    """id -> Label over every labelled sample of this folder."""
    labels = {}
    for path in sorted(glob.glob(os.path.join(HERE, "labour*.tsv"))):
        sample = os.path.basename(path)[: -len(".tsv")]
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                corpus, stratum, doc, topics = line.rstrip("\n").split("\t")
                labels[doc] = Label(sample, corpus, stratum, parse_topics(topics))
    return labels


def load_texts(data, rss_jsonl, ids):
    """id -> the JSON record (id, title, body, …) of each of `ids` (of every document if None) in
    vi-rss and vi-news."""
    texts = {}
    news = sorted(glob.glob(os.path.join(data, "vi-news", "*.jsonl.gz")))
    for path in [rss_jsonl] + news:
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if ids is None or r["id"] in ids:
                    texts[r["id"]] = r
    return texts
