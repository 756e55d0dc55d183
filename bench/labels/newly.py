#!/usr/bin/env python3
"""What a change of the rules changes: two `langnghe classify --json` outputs over the same
JSON Lines file, before and after, compared document by document.

Prints how many documents gain or lose every topic, which provinces are gained or lost, and the
headline of each document whose topics changed (to read before committing the change).

Usage:
  langnghe classify --json --config OLD_CONFIG /tmp/vi-rss.jsonl > /tmp/old.jsonl
  langnghe classify --json /tmp/vi-rss.jsonl > /tmp/new.jsonl
  python3 newly.py /tmp/old.jsonl /tmp/new.jsonl /tmp/vi-rss.jsonl
"""
import collections
import json
import sys


def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            out[r["id"]] = ([t["id"] for t in r["topics"]], r["provinces"])
    return out


def main(old_path, new_path, corpus):
    old, new = load(old_path), load(new_path)
    gained = [i for i in new if new[i][0] and not old.get(i, ([], []))[0]]
    lost = [i for i in new if not new[i][0] and old.get(i, ([], []))[0]]
    moved = collections.Counter()
    for i, (_, provinces) in new.items():
        before = set(old.get(i, ([], []))[1])
        moved.update("+" + p for p in set(provinces) - before)
        moved.update("-" + p for p in before - set(provinces))
    print(f"documents gaining a topic: {len(gained)}; losing every topic: {len(lost)}")
    print(f"provinces gained/lost: {dict(moved) or 'none'}")
    wanted = set(gained) | set(lost)
    with open(corpus) as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in wanted:
                topics = new[r["id"]][0] or old[r["id"]][0]
                sign = "+" if new[r["id"]][0] else "-"
                print(sign, ",".join(topics), "|", r["title"][:120])


if __name__ == "__main__":
    main(*sys.argv[1:4])
