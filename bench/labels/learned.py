#!/usr/bin/env python3
"""Would a learned model beat the labour pack? Leave-one-sample-out over the labelled samples.

A logistic regression (plain stochastic gradient, no library) reads the headline's words and
word pairs, the first 300 characters of the body likewise, and which topics the pack gives.
For each test sample it is trained on all the other samples and scored on that one; the table
sums the held-out scores of the samples test … test6 and compares, on the same documents, the
pack alone, the model alone and the two combined (both must agree / either suffices).

The pack was revised after reading every one of these samples, so its own row is optimistic,
and so are the model's, which see the pack's answers.

Usage: python3 learned.py ../../../shared/data /tmp/vi-rss.jsonl PATH/TO/langnghe
(/tmp/vi-rss.jsonl is made by vi-rss-jsonl.sh; run from the repository root so that `langnghe`
reads config/.)
"""
import collections
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata

import labelled


def load_labels():
    """id -> whether labelled labour, and id -> its sample."""
    labels = labelled.load_labels()
    return ({d: l.labour for d, l in labels.items()}, {d: l.sample for d, l in labels.items()})


def pack_topics(langnghe, texts):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for r in texts.values():
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    out = subprocess.run([langnghe, "classify", "--json", f.name], capture_output=True,
                         text=True, check=True).stdout
    os.unlink(f.name)
    return {r["id"]: [t["id"] for t in r["topics"]] for r in map(json.loads, out.splitlines())}


def features(r, topics):
    f = {"bias"}
    for prefix, text in (("t", r["title"]), ("b", r["body"][:300])):
        words = re.findall(r"\w+", unicodedata.normalize("NFC", text.lower()))
        f.update(f"{prefix}:{w}" for w in words)
        f.update(f"{prefix}:{a}_{b}" for a, b in zip(words, words[1:]))
    f.update(["r:any"] if topics else [])
    f.update(f"r:{t}" for t in topics)
    return f


def train(ids, x, label, epochs=20, rate=0.1, l2=1e-4, positive_weight=2.0):
    w = collections.defaultdict(float)
    ids = list(ids)
    rng = random.Random(1)
    for _ in range(epochs):
        rng.shuffle(ids)
        for i in ids:
            p = score(w, x[i])
            g = (p - label[i]) * (positive_weight if label[i] else 1.0)
            for k in x[i]:
                w[k] -= rate * (g + l2 * w[k])
    return w


def score(w, f):
    z = sum(w.get(k, 0.0) for k in f)
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def main(data, rss, langnghe):
    label, sample = load_labels()
    texts = labelled.load_texts(data, rss, set(label))
    topics = pack_topics(langnghe, texts)
    x = {i: features(texts[i], topics.get(i, [])) for i in label}
    held_out = sorted(set(sample.values()) - {"labour"})
    totals = collections.defaultdict(lambda: [0, 0, 0])
    for held in held_out:
        train_ids = [i for i in label if sample[i] != held]
        test_ids = [i for i in label if sample[i] == held]
        w = train(train_ids, x, label)
        pack = {i: bool(topics.get(i)) for i in test_ids}
        model = {i: score(w, x[i]) for i in test_ids}
        ways = {"pack": pack}
        for th in (0.3, 0.5, 0.7):
            ways[f"model >= {th}"] = {i: model[i] >= th for i in test_ids}
            ways[f"pack and model >= {th}"] = {i: pack[i] and model[i] >= th for i in test_ids}
            ways[f"pack or model >= {th}"] = {i: pack[i] or model[i] >= th for i in test_ids}
        for name, said in ways.items():
            t = totals[name]
            t[0] += sum(1 for i in test_ids if said[i] and label[i])
            t[1] += sum(1 for i in test_ids if said[i] and not label[i])
            t[2] += sum(1 for i in test_ids if not said[i] and label[i])
    print(f"held out, each in turn: {', '.join(held_out)}")
    print(f"{'':26s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'precision':>9s} {'recall':>7s} {'F1':>6s}")
    for name, (tp, fp, fn) in totals.items():
        p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        print(f"{name:26s} {tp:4d} {fp:4d} {fn:4d} {p:9.3f} {r:7.3f} {2 * p * r / max(p + r, 1e-9):6.3f}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
