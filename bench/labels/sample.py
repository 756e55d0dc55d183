#!/usr/bin/env python3
"""Draws the labelled sample for measuring the labour pack (see README.md here).

Two disjoint strata of vi-rss items (headline + summary): "broad" items whose text has any word
of a broad labour vocabulary, written independently of the pack and wider than it, and "rest",
every other item. 300 are drawn from broad and 150 from rest with a fixed seed; full articles of
vi-news (baomoi 2017) are drawn the same way, 60 + 40. Prints id, stratum, headline and lead for
labelling; the labels live in labels.tsv and never in the pack.

The first draw ("dev") was labelled and then used while writing the pack; the second ("test",
drawn after the pack was written, from the documents not in dev, seed + 1) was measured once, then
its errors were read; the third ("test2", from the documents in neither, seed + 2) likewise; the
fourth ("test3", from the documents in none of them, seed + 3) likewise; the fifth ("test4", seed + 4)
likewise; each later one ("test5", seed + 5) is drawn after the next revision and measured once.
"articles" (seed + 11) draws 150 + 50 full articles of baomoi only, none of vi-rss: drawn after the
"passages" revision, which changed how long texts are judged.
"test11" (seed + 12) is drawn like test … test10, after the "passages" and "workers in the
headline" revisions.
"articles2" (seed + 13) draws full articles again, of baomoi (the documents no earlier draw took)
and of the shared dantri 2020 part, stratified so that the few labour articles are not a handful:
"lead", articles whose headline or first 300 characters hold a word of LEAD (a labour vocabulary
written for this draw, independently of the pack), and "rest"; baomoi 110 + 40, dantri 60 + 20.
"articles3" (seed + 14) likewise after the "articles2's errors" revision, from the documents no
earlier draw took, and from 24h 2026 too: baomoi 90 + 30, dantri 50 + 15, 24h 40 + 15.
"articles4" (seed + 15) likewise after the "titled passages" and "articles3's errors" revisions:
baomoi 90 + 30, dantri 50 + 15, 24h 25 + 15.
"test12" (seed + 16) is drawn like test … test11, after the full-article revisions above.
"articles5" (seed + 17) draws full articles like articles2 after test12's revision: baomoi
100 + 30, dantri 40 + 15, 24h 5 + 10 (what is left of its lead stratum).
"articles6" (seed + 18) likewise after articles5's revision: baomoi 120 + 40, dantri 9 + 15 (the
rest of its lead stratum), 24h 0 + 10.
"test13" (seed + 19) is drawn like test … test12, after the revisions of articles5 and articles6.
"articles7" (seed + 20) draws full articles after test13's revision: baomoi 130 + 40, dantri 0 + 15
and 24h 0 + 10 (their lead strata are used up).
"test14" (seed + 21) is drawn like test … test13, after the revisions of test13 and articles7.
"test15" (seed + 22) likewise, after the revisions made by reading what a model trained on every
label ranks highest among untagged news and lowest among tagged news.
"test16" (seed + 23) likewise, after test15's revision and the audit of the exclusions.
"articles8" (seed + 24) draws full articles like articles7, after test16's revision.
"test17" (seed + 25) draws like test … test16, after articles8's revision.
"articles9" (seed + 26) draws full articles like articles7, after test17's revision and a second
model-guided reading.
"test18" (seed + 27) draws like test … test17, after the same.
"test19" (seed + 28) likewise, after test18's revision and a reading of the "rest" stratum.
"test20" (seed + 29) likewise, after test19's revision.
"articles10" (seed + 30) draws full articles like articles7, after test20's revision.
"test21" (seed + 31) draws like test … test20, after articles10's revision.
"articles11" (seed + 32) draws full articles like articles7, after test21's revision and the
exclusion of hospitals naming the insurance.
"test22" (seed + 33) draws like test … test21, after articles11's revision.
"articles12" (seed + 34) draws full articles like articles7, after test22's revision.
"test23" (seed + 35), after articles12's revision, needs a new design: the vi-rss "broad" stratum
is used up (48 items were left). It takes all of broad that is left, then splits vi-rss "rest" by
SECOND, a vocabulary of work written for this draw independently of the pack (occupations,
workplaces, hiring, pay words the broad one lacks): 250 from "second" and 100 from what is left
("rest"); baomoi 60 + 40 as before. Labour stories told without a word of BROAD are where the pack
misses most, so this design weighs them more than the earlier ones; the per-stratum counts and
the stratum sizes are printed so that a population estimate can weigh them back.
"articles13" (seed + 36), after test23's revision, also needs a new design: 97 baomoi articles
were left in the "lead" stratum. It takes them all, then splits the other baomoi articles by
BROAD over the whole text ("broad", 60) and the rest (20); dantri and 24h, whose lead strata are
used up, by BROAD (30 + 10 and 25 + 10).
"articles14" (seed + 37), after articles13's revision: with no LEAD word left in any lead, the
articles whose headline or first 300 characters hold a word of SECOND ("second"): baomoi 120 + 30,
dantri 40 + 10, 24h 40 + 10.

"test24" (seed + 38), after the ninth session's pipeline change with the pack unchanged since
articles14's revision: a precision draw over all four corpora (vi-rss, baomoi, dantri, 24h), from
the documents no sample has labelled. "flagged": every document the pack tags with a topic
(`langnghe classify --json` output, third argument) that no rule revision read either (the ids in
read-in-revisions.txt, the documents whose headlines were read in the diffs of rule changes);
"vocab": 120 of the untagged documents with a word of BROAD or SECOND, so that the labeller
cannot tell the strata apart. The two strata are printed shuffled together, without their names
(`--blind`), and labelled from headline and lead.

Usage: python3 sample.py ../../../shared/data dev|test|...|test10|articles|test11|articles2|articles3|articles4|test12|articles5|articles6|test13|articles7|test14|test15|test16|articles8|test17|articles9|test18|test19|test20|articles10|test21|articles11|test22|articles12|test23|articles13|articles14 > /tmp/sample.txt
       python3 sample.py ../../../shared/data test24 CLASSIFIED.jsonl [--blind] > /tmp/sample.txt
"""
import gzip, json, random, re, sys

BROAD = re.compile(
    r"lao động|công nhân|công đoàn|lương|việc làm|thất nghiệp|tuyển dụng|tuyển lao|tuyển công|tuyển nhân|tuyển người|nghỉ việc|sa thải|bảo hiểm|"
    r"đình công|ngừng việc|nhân viên|làm thêm|tăng ca|nghỉ phép|nghỉ tết|nghỉ lễ|hưu|tai nạn|"
    r"ngộ độc|thực tập sinh|khu công nghiệp|nhà máy|phòng trọ|thưởng|nhân sự|cắt giảm|giờ làm|"
    r"hợp đồng|người làm|việc nhẹ|người lao|nghề|xí nghiệp|nghỉ hưu|bhxh|bhyt",
    re.I)
SEED = 20261129

SECOND = re.compile(
    r"thợ|kỹ sư|công chức|viên chức|cán bộ|giáo viên|bác sĩ|điều dưỡng|y tá|tài xế|shipper|giao hàng|"
    r"nhân công|sếp|văn phòng|công sở|xưởng|công trường|tuyển|ứng viên|phỏng vấn|gen z|xuất khẩu|"
    r"visa|thực tập|ca đêm|làm việc|đi làm|thu nhập|trợ cấp|phụ cấp|chế độ|đóng cửa|phá sản|"
    r"giải thể|biên chế|tinh giản|chức danh|việc|ốm đau|thai sản|lái xe|bốc vác|giúp việc|nông dân|"
    r"ngư dân|tiểu thương",
    re.I)

LEAD = re.compile(
    r"lao động|công nhân|công đoàn|người làm|việc làm|thất nghiệp|tuyển dụng|sa thải|nghỉ việc|"
    r"đình công|ngừng việc|lương|thưởng tết|bảo hiểm xã hội|bhxh|bảo hiểm y tế|bảo hiểm thất nghiệp|"
    r"tai nạn|khu công nghiệp|nhà trọ|phòng trọ|tăng ca|làm thêm|nhân viên|nợ lương|nghỉ hưu|lương hưu|"
    r"công chức|viên chức|việc nhẹ|kỹ sư|thợ|ngộ độc|nghề",
    re.I)

_broad = {}

def is_broad(item):
    """Whether an item's text has a word of the broad vocabulary (searched once per item)."""
    if item[0] not in _broad:
        _broad[item[0]] = BROAD.search(item[1]) is not None
    return _broad[item[0]]

def lead(item):
    """The headline and the first 300 characters of the body."""
    return item[1][: item[1].find("\n") + 301]

def in_lead(item):
    """Whether a word of LEAD is in the headline or the first 300 characters of the body."""
    return LEAD.search(lead(item)) is not None

def draw(items, n_first, n_rest, rng, first=is_broad, name="broad"):
    """n_first items of the stratum `first` selects and n_rest of the others, with a header
    giving the sizes of both ("broad 4420, rest 9100")."""
    chosen = [i for i in items if first(i)]
    rest = [i for i in items if not first(i)]
    return (f"{name} {len(chosen)}, rest {len(rest)}",
            [(name,) + i for i in rng.sample(chosen, n_first)] +
            [("rest",) + i for i in rng.sample(rest, n_rest)])

def draw_three(items, sizes, rng, top, top_name, second, second_name):
    """Up to n_top items of the stratum `top` selects (all, when it has fewer), then n_second
    of the others that `second` selects and n_rest of the rest, with a header giving the sizes."""
    n_top, n_second, n_rest = sizes
    chosen = [i for i in items if top(i)]
    header, split = draw([i for i in items if not top(i)], n_second, n_rest, rng, second, second_name)
    sample = [(top_name,) + i for i in rng.sample(chosen, min(n_top, len(chosen)))] + split
    return f"{top_name} {len(chosen)}, {header}", sample

def read(path, id_key, text_key):
    """(id, headline + newline + text) of every document of a gzipped JSON Lines file."""
    with gzip.open(path, "rt") as f:
        return [(r[id_key], r["title"] + "\n" + r[text_key]) for r in map(json.loads, f)]

def main(data, which):
    rss = read(f"{data}/vi-rss/rss_items_2026-01_2026-08.jsonl.gz", "url", "summary")
    news = read(f"{data}/vi-news/baomoi_2017.jsonl.gz", "id", "body")
    # Each draw after dev takes from the items no earlier draw took, with the next seed.
    order = ["dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8", "test9", "test10", "articles", "test11", "articles2", "articles3", "articles4", "test12", "articles5", "articles6", "test13", "articles7", "test14", "test15", "test16", "articles8", "test17", "articles9", "test18", "test19", "test20", "articles10", "test21", "articles11", "test22", "articles12", "test23", "articles13", "articles14", "test24"]
    if which not in order:
        sys.exit(f"unknown sample {which!r}: one of {', '.join(order)}")
    if which == "test24":
        # Excludes what the label files say was labelled: the earlier draws need not be redrawn.
        drawn = flagged(data, rss, news, random.Random(SEED + order.index(which)))
    else:
        drawn = replay(data, rss, news, order[: order.index(which) + 1])
    if BLIND:
        lines = [(c, i, t) for c, _, sample in drawn for _, i, t in sample]
        random.Random(SEED).shuffle(lines)
        for corpus, id_, text in lines:
            print(f"{corpus}\t{id_}\t{text[:500]!r}")
        return
    for corpus, header, sample in drawn:
        print(f"# {corpus}: {header}")
        for stratum, id_, text in sample:
            print(f"{stratum}\t{id_}\t{text[:500]!r}")

def replay(data, rss, news, names):
    """Draws `names` in turn (each from the items the ones before took not) and returns the
    last draw: [(corpus, header, sample)]."""
    taken = {"vi-rss": set(), "baomoi": set()}
    # "articles": full articles only (after the "passages" revision, which judges long texts).
    sizes = {"dev": [(300, 150), (60, 40)], "articles": [(0, 0), (150, 50)]}
    for k, name in enumerate(names):
        rng = random.Random(SEED + k)
        if name in ARTICLES:
            drawn = articles(data, news, taken, rng, ARTICLES[name])
            continue
        if name in SECOND_LEAD:
            drawn = articles(data, news, taken, rng, SECOND_LEAD[name], second_in_lead, "second")
            continue
        if name in LEAD_BROAD:
            drawn = lead_broad(data, news, taken, rng, LEAD_BROAD[name])
            continue
        if name in THREE_WAY:
            drawn = three_way(rss, news, taken, rng, THREE_WAY[name])
            continue
        drawn = []
        for (corpus, items), (nb, nr) in zip(
            [("vi-rss", rss), ("baomoi", news)], sizes.get(name, [(350, 150), (60, 40)])
        ):
            rest = [i for i in items if i[0] not in taken[corpus]]
            header, sample = draw(rest, nb, nr, rng)
            drawn.append((corpus, header, sample))
            taken[corpus] |= {i for _, i, _ in sample}
    return drawn

# Full-article draws stratified by LEAD: corpus -> (lead, rest) sizes.
ARTICLES = {
    "articles2": {"baomoi": (110, 40), "dantri": (60, 20)},
    "articles3": {"baomoi": (90, 30), "dantri": (50, 15), "24h": (40, 15)},
    "articles4": {"baomoi": (90, 30), "dantri": (50, 15), "24h": (25, 15)},
    "articles5": {"baomoi": (100, 30), "dantri": (40, 15), "24h": (5, 10)},
    "articles6": {"baomoi": (120, 40), "dantri": (9, 15), "24h": (0, 10)},
    "articles7": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
    "articles8": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
    "articles9": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
    "articles10": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
    "articles11": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
    "articles12": {"baomoi": (130, 40), "dantri": (0, 15), "24h": (0, 10)},
}

# Draws after the vi-rss broad stratum ran out: vi-rss (broad, second, rest), baomoi (broad, rest).
THREE_WAY = {"test23": ((48, 250, 100), (60, 40))}

def three_way(rss, news, taken, rng, sizes):
    """vi-rss in three strata (all that is left of broad, SECOND among the others, the rest) and
    baomoi as before, from the items no earlier draw took."""
    rss_sizes, (mb, mr) = sizes
    items = [i for i in rss if i[0] not in taken["vi-rss"]]
    header, sample = draw_three(items, rss_sizes, rng, is_broad, "broad",
                                lambda i: SECOND.search(i[1]) is not None, "second")
    taken["vi-rss"] |= {i for _, i, _ in sample}
    drawn = [("vi-rss", header, sample)]
    header, sample = draw([i for i in news if i[0] not in taken["baomoi"]], mb, mr, rng)
    taken["baomoi"] |= {i for _, i, _ in sample}
    drawn.append(("baomoi", header, sample))
    return drawn

# Full-article draws after the lead strata ran out: corpus -> (lead, broad, rest) sizes, where
# "broad" is BROAD anywhere in the text of an article with no word of LEAD in its lead.
LEAD_BROAD = {"articles13": {"baomoi": (97, 60, 20), "dantri": (0, 30, 10), "24h": (0, 25, 10)}}

def lead_broad(data, news, taken, rng, sizes):
    """Full articles in three strata (LEAD in the lead, BROAD elsewhere, the rest), from the
    documents no earlier draw took."""
    drawn = []
    for corpus, corpus_sizes in sizes.items():
        items = [i for i in corpus_items(data, news, corpus) if i[0] not in taken.setdefault(corpus, set())]
        header, sample = draw_three(items, corpus_sizes, rng, in_lead, "lead", is_broad, "broad")
        taken[corpus] |= {i for _, i, _ in sample}
        drawn.append((corpus, header, sample))
    return drawn

# Full-article draws by SECOND in the lead (no article is left with a LEAD word there).
SECOND_LEAD = {"articles14": {"baomoi": (120, 30), "dantri": (40, 10), "24h": (40, 10)}}

def second_in_lead(item):
    """Whether a word of SECOND is in the headline or the first 300 characters of the body."""
    return SECOND.search(lead(item)) is not None

def corpus_items(data, news, corpus):
    """(id, headline + newline + text) of the documents of one vi-news corpus."""
    if corpus == "baomoi":
        return news
    name = {"dantri": "dantri_unc_2020", "24h": "24h_2026"}[corpus]
    return read(f"{data}/vi-news/{name}.jsonl.gz", "id", "body")

def articles(data, news, taken, rng, sizes, first=in_lead, name="lead"):
    """Full articles stratified by `first` (LEAD in the headline and first 300 characters of the
    body unless told otherwise), from the documents no earlier draw took."""
    drawn = []
    for corpus, (nl, nr) in sizes.items():
        items = [i for i in corpus_items(data, news, corpus) if i[0] not in taken.setdefault(corpus, set())]
        header, sample = draw(items, nl, nr, rng, first, name)
        drawn.append((corpus, header, sample))
        taken[corpus] |= {i for _, i, _ in sample}
    return drawn

def flagged(data, rss, news, rng):
    """test24: every tagged document no sample labelled and no revision read ("flagged"), and
    120 untagged ones with a word of BROAD or SECOND ("vocab"), over all four corpora."""
    import labelled
    # The labels of the samples before this one (test24's own are in the folder now).
    labelled_ids = {d for d, l in labelled.load_labels().items() if l.sample != "labour-test24"}
    here = labelled.HERE
    with open(f"{here}/read-in-revisions.txt") as f:
        seen = labelled_ids | {l.strip() for l in f if l.strip()}
    with open(CLASSIFIED) as f:
        tagged = {r["id"] for r in map(json.loads, f) if r["topics"]}
    vocab = lambda i: is_broad(i) or SECOND.search(i[1]) is not None
    drawn = []
    pools = {"flagged": [], "vocab": []}
    for corpus in ["vi-rss", "baomoi", "dantri", "24h"]:
        items = rss if corpus == "vi-rss" else corpus_items(data, news, corpus)
        for i in items:
            if i[0] in seen:
                continue
            if i[0] in tagged:
                pools["flagged"].append((corpus, i))
            elif vocab(i):
                pools["vocab"].append((corpus, i))
    picked = {"flagged": pools["flagged"], "vocab": rng.sample(pools["vocab"], 120)}
    for stratum, chosen in picked.items():
        header = f"{stratum} {len(chosen)} of {len(pools[stratum])}"
        print(f"# population\t{stratum}\t{len(pools[stratum])}", file=sys.stderr)
        drawn.append(("all", header, [(stratum, i[0], f"[{c}] " + i[1]) for c, i in chosen]))
    return drawn

BLIND = "--blind" in sys.argv
CLASSIFIED = next((a for a in sys.argv[3:] if not a.startswith("--")), None)

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../../../shared/data",
         sys.argv[2] if len(sys.argv) > 2 else "dev")
