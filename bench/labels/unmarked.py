#!/usr/bin/env python3
"""Place names of the gazetteer written without marks ("Gia Lai", "Phan Rang") and the accented
words of the corpora that fold to them ("giá lại", "phán rằng"), with counts: what the
classifier's check of such names (`written_as_named` in crates/rules/src/classify.rs) keeps
from being read as places.

Usage: python3 unmarked.py ../../../shared/data /tmp/vi-rss.jsonl ../../config/provinces.toml
(/tmp/vi-rss.jsonl is made by vi-rss-jsonl.sh; the corpora are read by path, never copied.)
"""
import collections
import gzip
import json
import re
import sys
import tomllib
import unicodedata


def fold(s):
    s = s.replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()


def main(data, rss, gazetteer):
    with open(gazetteer, "rb") as f:
        g = tomllib.load(f)
    names = {}
    for p in g["province"]:
        for n in [p["name"]] + p.get("merged", []) + p.get("aliases", []):
            if fold(n) == n.lower() and " " in n:
                names[n.lower()] = p["id"]
    counts = collections.defaultdict(collections.Counter)

    def scan(text):
        words = re.findall(r"\w+", unicodedata.normalize("NFC", text))
        for a, b in zip(words, words[1:]):
            key = fold(a + " " + b)
            if key in names:
                counts[key][a + " " + b] += 1

    with open(rss) as f:
        for line in f:
            r = json.loads(line)
            scan(r["title"] + " " + r["body"])
    with gzip.open(f"{data}/vi-news/baomoi_2017.jsonl.gz", "rt") as f:
        for line in f:
            r = json.loads(line)
            scan(r["title"] + " " + r["body"])
    for key, c in sorted(counts.items()):
        print(names[key], key, c.most_common(12))


if __name__ == "__main__":
    main(*sys.argv[1:4])
