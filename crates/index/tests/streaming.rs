//! The streaming matcher of topic rules and the index agree: for random documents and random
//! queries, the documents `Matcher` finds one at a time are the documents the query finds as a
//! tantivy query over an index of the same documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use langnghe_index::Archive;
use langnghe_model::Document;
use langnghe_query::{Candidate, Matcher, Query, TextField, Window, parse};
use proptest::prelude::*;
use time::macros::datetime;

/// Syllables with the collisions that matter: marks that fold alike, tone styles, i/y, case.
const SYLLABLES: &[&str] = &[
    "công", "cong", "Công", "CÔNG", "đoàn", "đoạn", "doan", "Đoàn", "nhân", "nhận", "nhan",
    "lương", "lượng", "luong", "hòa", "hoà", "hoa", "kỳ", "kì", "ky", "tỷ", "ty", "lao", "động",
    "dong", "người", "nguoi", "bảo", "hiểm", "xã", "hội", "2026", "covid", "khỏe", "khoẻ",
];
const SEPARATORS: &[&str] = &[" ", " ", " ", ", ", ". ", "\n", "-", " (", ") "];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec((0..SYLLABLES.len(), 0..SEPARATORS.len()), 0..14).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{}{}", SYLLABLES[w], SEPARATORS[s]))
            .collect()
    })
}

fn document() -> impl Strategy<Value = Document> {
    (
        text(),
        text(),
        0..2usize,
        0..3usize,
        0..4usize,
        prop::collection::vec(0..2usize, 0..2),
    )
        .prop_map(|(title, body, src, lang, day, provinces)| {
            let (source, url) = [
                ("laodong", "https://laodong.vn/a"),
                ("vnexpress", "https://e.vnexpress.net/b"),
            ][src];
            let mut d = Document::new("", url, source, title, body);
            d.lang = [Some("vi".to_string()), Some("en".to_string()), None][lang].clone();
            d.published = [
                None,
                Some(datetime!(2026-11-20 23:30 +7)),
                Some(datetime!(2026-11-21 00:10 +7)),
                Some(datetime!(2026-11-25 12:00 +7)),
            ][day];
            d.provinces = provinces
                .into_iter()
                .map(|p| ["ha-noi", "dong-nai"][p].to_string())
                .collect();
            d.provinces.sort();
            d.provinces.dedup();
            d
        })
}

/// Queries of the grammar's every kind over the same syllables.
fn query() -> impl Strategy<Value = String> {
    let syllable = (0..SYLLABLES.len()).prop_map(|i| SYLLABLES[i].to_lowercase());
    let phrase = prop::collection::vec(syllable, 1..4).prop_map(|w| w.join(" "));
    let prefix = (0..SYLLABLES.len(), 1..4usize).prop_map(|(i, n)| {
        let s = SYLLABLES[i].to_lowercase();
        s.chars().take(n).collect::<String>()
    });
    let leaf = prop_oneof![
        4 => phrase.clone(),
        1 => phrase.clone().prop_map(|p| format!("\"{p}\"")),
        1 => phrase.clone().prop_map(|p| format!("title:{p}")),
        1 => prefix.clone().prop_map(|p| format!("{p}*")),
        1 => (phrase.clone(), prefix.clone()).prop_map(|(p, x)| format!("\"{p} {x}*\"")),
        1 => (0..4u32, phrase.clone(), phrase.clone()).prop_map(|(n, a, b)| format!("NEAR/{n}({a}, {b})")),
        1 => (phrase.clone(), phrase.clone(), phrase.clone())
            .prop_map(|(p, x, y)| format!("OUTSIDE({p}, \"{x} {p}\", \"{p} {y}\")")),
        1 => prop_oneof![
            Just("source:laodong".to_string()),
            Just("site:vnexpress.net".to_string()),
            Just("lang:vi".to_string()),
            Just("province:dong-nai".to_string()),
            Just("published:[2026-11-21 TO *]".to_string()),
            Just("published:2026-11-20".to_string()),
        ],
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) AND ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) OR ({b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) -({b})")),
            inner.prop_map(|a| format!("NOT ({a})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn the_matcher_finds_what_the_index_finds(
        docs in prop::collection::vec(document(), 1..10),
        queries in prop::collection::vec(query(), 1..6),
    ) {
        let rules: Vec<_> = queries.iter().filter_map(|q| parse(q).ok()).collect();
        prop_assume!(!rules.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path()).unwrap();
        let mut writer = archive.writer().unwrap();
        let docs: Vec<Document> = docs
            .into_iter()
            .enumerate()
            .map(|(i, mut d)| {
                d.id = format!("d{i:02}");
                d
            })
            .collect();
        for d in &docs {
            writer.add(d).unwrap();
        }
        writer.commit().unwrap();
        let matcher = Matcher::new(&rules);
        let mut streamed = vec![Vec::new(); rules.len()];
        for d in &docs {
            let candidate = Candidate {
                title: &d.title,
                body: &d.body,
                source: &d.source,
                url: &d.url,
                lang: d.lang.as_deref(),
                published: d.published,
                provinces: &d.provinces,
                topics: &d.topics,
                sentiment: None,
            };
            for hit in matcher.matches(&candidate) {
                streamed[hit.rule].push(d.id.clone());
            }
        }
        for (rule, found) in rules.iter().zip(streamed) {
            let indexed = archive.matching_ids(rule).unwrap();
            prop_assert_eq!(&found, &indexed, "rule {}", rule);
        }
    }
}

/// Whether `q` has a negation somewhere (a window of such a rule may hold where a wider one
/// does not).
fn negates(q: &Query) -> bool {
    match q {
        Query::Not(_) => true,
        Query::And(qs) | Query::Or(qs) => qs.iter().any(negates),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    /// What the classifier asks of a window (the title and lead, a passage of a long text):
    /// the whole document as a window is the document; leaving the title out is the document
    /// without its title; and a rule without negation that holds in a window holds in every
    /// window around it; a phrase holds in a window where it starts in it.
    #[test]
    fn a_window_is_read_as_that_part_of_the_document(
        doc in document(),
        queries in prop::collection::vec(query(), 1..6),
        cut in (0u32..24, 0u32..24, 0u32..6, 0u32..6),
    ) {
        let rules: Vec<_> = queries.iter().filter_map(|q| parse(q).ok()).collect();
        prop_assume!(!rules.is_empty());
        let matcher = Matcher::new(&rules);
        let candidate = Candidate {
            title: &doc.title,
            body: &doc.body,
            source: &doc.source,
            url: &doc.url,
            lang: doc.lang.as_deref(),
            published: doc.published,
            provinces: &doc.provinces,
            topics: &doc.topics,
            sentiment: None,
        };
        let untitled = Candidate { title: "", ..candidate };
        let without_title: Vec<usize> = matcher.matches(&untitled).into_iter().map(|h| h.rule).collect();
        let mut scratch = matcher.scratch();
        let hits = matcher.matches_with(&candidate, &mut scratch);
        let matched: Vec<usize> = hits.iter().map(|h| h.rule).collect();
        let (a, b) = (cut.0.min(cut.1), cut.0.max(cut.1));
        let narrow = Window { title: false, body: a..b };
        let wide = Window { title: true, body: a.saturating_sub(cut.2)..b + cut.3 };
        for (r, rule) in rules.iter().enumerate() {
            let holds = |w: &Window| matcher.holds_within(r, &candidate, &scratch, w);
            prop_assert_eq!(holds(&Window::WHOLE), matched.contains(&r), "whole: {}", rule);
            let body_only = Window { title: false, body: 0..u32::MAX };
            prop_assert_eq!(holds(&body_only), without_title.contains(&r), "untitled: {}", rule);
            // A phrase holds in a window where it starts there.
            if matches!(rule, Query::Text(_) | Query::Outside { .. }) {
                let starts_inside = hits.iter().filter(|h| h.rule == r).any(|h| {
                    h.fired.iter().any(|f| {
                        f.field == TextField::Body && f.positions.iter().any(|p| narrow.body.contains(p))
                    })
                });
                prop_assert_eq!(holds(&narrow), starts_inside, "{} in {:?}", rule, narrow);
            }
            if !negates(rule) && holds(&narrow) {
                prop_assert!(holds(&wide), "{} holds in {:?} but not in {:?}", rule, narrow, wide);
                prop_assert!(holds(&Window::WHOLE), "{} holds in {:?} but not in the whole", rule, narrow);
            }
        }
    }
}
