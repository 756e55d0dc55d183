#!/usr/bin/env python3
"""Finds rule phrases that the corpora mostly read across two words.

A phrase of the topic packs or the gazetteer is matched syllable by syllable, so "quân nhân"
(soldier) is also found in "bình quân | nhân viên" (average per employee), "Nghệ An" in "công
nghệ | an toàn", "Trung Quốc" in "tập trung | quốc gia". For every phrase of two to four
syllables in the given files, this reads the corpora and counts the occurrences whose first
syllable ends a word of the lexicon that starts one syllable earlier and whose last syllable
starts a word that ends one syllable later (both words in the lexicon).
Phrases with many such crossings want an OUTSIDE(...) or an `exclude` naming the longer phrase.

The lexicon (Viet22K, GPL) and the corpora are read by path from ../shared/data and never copied.

Usage: python3 crossings.py ../../../shared/data /tmp/vi-rss.jsonl ../../config/topics/labour.toml ../../config/provinces.toml
(/tmp/vi-rss.jsonl is made by vi-rss-jsonl.sh.)
"""
import collections
import gzip
import json
import re
import signal
import sys
import unicodedata


def nfc_lower(s):
    return unicodedata.normalize("NFC", s).lower()


def main(data, rss, configs):
    lexicon = set()
    with open(f"{data}/vi-lexicon/Viet22K.txt", encoding="utf-8") as f:
        for line in f:
            w = nfc_lower(line.strip())
            if " " in w:
                lexicon.add(w)
    phrases = set()
    for path in configs:
        with open(path, encoding="utf-8") as f:
            for m in re.finditer(r'"([^"\n]{3,60})"', f.read()):
                p = nfc_lower(m.group(1))
                if 2 <= len(p.split()) <= 4 and re.fullmatch(r"[\w ]+", p):
                    phrases.add(p)
    by_first = collections.defaultdict(list)
    for p in phrases:
        by_first[p.split()[0]].append(p.split())

    def texts():
        with gzip.open(f"{data}/vi-news/baomoi_2017.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                yield r["title"] + " . " + r["body"]
        with open(rss, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                yield r["title"] + " . " + r["body"]

    seen = collections.Counter()
    crossed = collections.Counter()
    where = collections.defaultdict(collections.Counter)
    for text in texts():
        for sentence in re.split(r"[.,;:!?\n]", text):
            w = [nfc_lower(x) for x in re.findall(r"\w+", sentence)]
            for i, x in enumerate(w):
                for s in by_first.get(x, ()):
                    k = len(s)
                    if w[i : i + k] != s:
                        continue
                    p = " ".join(s)
                    seen[p] += 1
                    left = i > 0 and f"{w[i - 1]} {s[0]}" in lexicon
                    right = i + k < len(w) and f"{s[-1]} {w[i + k]}" in lexicon
                    if left and right:
                        crossed[p] += 1
                        where[p][" ".join(w[i - 1 : i + k + 1])] += 1
    rows = sorted(
        ((crossed[p] / seen[p], p) for p in crossed if crossed[p] >= 3), reverse=True
    )
    print("share  crossed/seen  phrase  (most frequent readings across two words)")
    for share, p in rows:
        print(f"{share:.2f} {crossed[p]:6d}/{seen[p]:<7d} {p:28s} {where[p].most_common(3)}")


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
