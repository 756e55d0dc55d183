#!/usr/bin/env python3
"""How far do the labels agree with themselves? A blind second labelling of labelled documents.

`draw` picks documents from the "broad" stratum of every labelled sample (labour*.tsv here), a
fixed number that were labelled labour and a fixed number that were not, shuffles them and prints
only their headline and lead (never a label, never the pack's answer) for labelling again under
the README's labelling rule. `compare` then reads the second labelling (lines "id<TAB>topics",
topics comma-separated or '-') and prints how often the two labellings agree on "any labour
topic" and per topic, Cohen's kappa, and every disagreement with its headline.

Usage:
  python3 relabel.py draw ../shared/data /tmp/vi-rss.jsonl N_LABOUR N_OTHER SEED > /tmp/blind.txt
  python3 relabel.py compare ../shared/data /tmp/vi-rss.jsonl SECOND.tsv
(/tmp/vi-rss.jsonl is made by vi-rss-jsonl.sh.) The labelled files hold ids only; the texts are
read from the corpora by path.
"""
import random
import sys

from labelled import load_labels, load_texts, parse_topics


def draw(data, rss_jsonl, n_labour, n_other, seed):
    labels = load_labels()
    broad = sorted(d for d, l in labels.items() if l.stratum == "broad")
    rng = random.Random(seed)
    labour = [d for d in broad if labels[d].labour]
    other = [d for d in broad if not labels[d].labour]
    picked = rng.sample(labour, n_labour) + rng.sample(other, n_other)
    rng.shuffle(picked)
    texts = load_texts(data, rss_jsonl, set(picked))
    for k, doc in enumerate(picked, 1):
        lead = " ".join(texts[doc]["body"].split())[:400]
        print(f"## {k}\t{doc}\n{texts[doc]['title']}\n{lead}\n")


def kappa(pairs):
    """Cohen's kappa of two binary labellings given as (a, b) pairs."""
    n = len(pairs)
    if n == 0:
        return float("nan")
    agree = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return (agree - chance) / (1 - chance) if chance < 1 else 1.0


def compare(data, rss_jsonl, second_path):
    labels = load_labels()
    second = {}
    with open(second_path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2 or parts[0] not in labels:
                sys.exit(f"{second_path}:{number}: expected 'id<TAB>topics' of a labelled document")
            second[parts[0]] = parse_topics(parts[1])
    docs = sorted(second)
    first_any = [bool(labels[d].topics) for d in docs]
    second_any = [bool(second[d]) for d in docs]
    both = sum(a and b for a, b in zip(first_any, second_any))
    only_first = sum(a and not b for a, b in zip(first_any, second_any))
    only_second = sum(b and not a for a, b in zip(first_any, second_any))
    print(f"{len(docs)} documents labelled twice; any labour topic:")
    print(f"  labour both times {both}, first only {only_first}, second only {only_second}, "
          f"neither {len(docs) - both - only_first - only_second}")
    print(f"  of the first labelling's labour documents, the second keeps {both}/{both + only_first}"
          f" = {both / max(1, both + only_first):.3f}")
    print(f"  of the second's, the first had {both}/{both + only_second}"
          f" = {both / max(1, both + only_second):.3f}")
    print(f"  Cohen's kappa {kappa(list(zip(first_any, second_any))):.3f}")
    topics = sorted(set().union(*(labels[d].topics for d in docs), *(second[d] for d in docs)))
    print("per topic (documents with it in either labelling: both / first only / second only, kappa):")
    for t in topics:
        pairs = [(t in labels[d].topics, t in second[d]) for d in docs]
        b = sum(x and y for x, y in pairs)
        f_ = sum(x and not y for x, y in pairs)
        s = sum(y and not x for x, y in pairs)
        print(f"  {t:20} {b:3} / {f_:3} / {s:3}   {kappa(pairs):.3f}")
    texts = load_texts(data, rss_jsonl, set(docs))
    print("\ndisagreements on any labour topic (first -> second):")
    for d in docs:
        if bool(labels[d].topics) != bool(second[d]):
            first = ",".join(sorted(labels[d].topics)) or "-"
            again = ",".join(sorted(second[d])) or "-"
            print(f"  [{labels[d].sample}] {first} -> {again} | {texts[d]['title'][:110]}")


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "draw" and len(sys.argv) == 7:
        draw(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    elif len(sys.argv) == 5 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
