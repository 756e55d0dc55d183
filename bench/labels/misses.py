#!/usr/bin/env python3
"""Is a keyword pattern left among the labelled documents the pack does not tag?

`ngrams`: every word, pair and triple of words of the headlines of the labelled documents the
pack leaves untagged, counted by label; prints those in at least MIN labour headlines that are
labour in at least SHARE of them (bench/labels/README.md, "Why the revisions stopped").

`headlines A B`: the headlines (lowercased) matching both regular expressions A and B, by
label and tag: Lt / Lu (labour, tagged / untagged), Nt / Nu (not labour), Ut / Uu (unlabelled),
with the untagged ones listed.

Usage (CLASSIFIED from `langnghe classify --json` over the same files):
  langnghe classify --json ../shared/data/vi-rss/*.jsonl.gz ../shared/data/vi-news/*.jsonl.gz > /tmp/c.jsonl
  python3 misses.py ngrams ../shared/data /tmp/vi-rss.jsonl /tmp/c.jsonl 0.5 3
  python3 misses.py headlines ../shared/data /tmp/vi-rss.jsonl /tmp/c.jsonl '(tài xế|nhân viên)' '(lương|nghỉ việc)'
"""
import collections
import json
import re
import sys

import labelled


def tagged(path):
    with open(path, encoding="utf-8") as f:
        return {r["id"]: bool(r["topics"]) for r in map(json.loads, f)}


def headlines(data, rss_jsonl, ids=None):
    """id -> headline of the documents of vi-rss and vi-news (of `ids` only, if given)."""
    return {d: r.get("title") or "" for d, r in labelled.load_texts(data, rss_jsonl, ids).items()}


def ngrams(data, rss_jsonl, classified, share, minimum):
    labels = labelled.load_labels()
    tags = tagged(classified)
    counts = collections.defaultdict(lambda: [0, 0])
    for doc, title in headlines(data, rss_jsonl, set(labels)).items():
        if tags.get(doc):
            continue
        words = re.findall(r"\w+", title.lower())
        grams = {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}
        for g in grams:
            counts[g][0 if labels[doc].labour else 1] += 1
    rows = [(g, a, b) for g, (a, b) in counts.items() if a >= minimum and a / (a + b) >= share]
    for g, a, b in sorted(rows, key=lambda r: (-r[1], r[2])):
        print(f"{a:4d} labour {b:4d} not  {g}")
    print(f"{len(rows)} pattern(s) in >= {minimum} labour headlines, labour in >= {share:.0%}")


def by_headline(data, rss_jsonl, classified, a, b):
    labels = labelled.load_labels()
    tags = tagged(classified)
    ra, rb = re.compile(a), re.compile(b)
    count, shown = collections.Counter(), collections.defaultdict(list)
    for doc, title in headlines(data, rss_jsonl).items():
        t = title.lower()
        if not (ra.search(t) and rb.search(t)):
            continue
        label = doc in labels and ("L" if labels[doc].labour else "N") or "U"
        key = label + ("t" if tags.get(doc) else "u")
        count[key] += 1
        shown[key].append(t[:110])
    print(dict(count))
    for key in ("Lu", "Nu", "Uu"):
        for t in shown[key]:
            print(key, t)


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "ngrams":
        ngrams(rest[0], rest[1], rest[2], float(rest[3]), int(rest[4]))
    elif command == "headlines":
        by_headline(*rest[:5])
    else:
        sys.exit(__doc__)
