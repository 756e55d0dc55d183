//! Topic rules at scale: the labour pack plus generated rules, 1,000 in all, over vi-news, with
//! the streaming matcher (every rule compiled once, each document tokenized once) against the
//! usual alternative, each rule as its own regular expression run over each document.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use langnghe_query::{Candidate, Matcher, Query};

#[derive(clap::Args)]
pub struct Args {
    /// Rules in all (the pack's, then generated ones).
    #[arg(long, default_value_t = 1000)]
    rules: usize,
    /// Documents the regex baseline runs on (it is slow; both are timed on these).
    #[arg(long, default_value_t = 2000)]
    baseline_docs: usize,
}

/// splitmix64, for reproducible generated rules.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[(self.next() % v.len() as u64) as usize]
    }
}

fn load(shared: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let (news, _) = crate::news::vi_news(shared)?;
    Ok(news
        .iter()
        .map(|v| (crate::news::text(v, "title"), crate::news::text(v, "body")))
        .collect())
}

/// Two-syllable phrases of the corpus that occur at least 20 times, most frequent first.
fn phrases(docs: &[(String, String)]) -> Vec<String> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    for (_, body) in docs.iter().step_by(7) {
        let words: Vec<String> = body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().any(char::is_alphabetic))
            .map(str::to_lowercase)
            .collect();
        for pair in words.windows(2) {
            *counts
                .entry(format!("{} {}", pair[0], pair[1]))
                .or_default() += 1;
        }
    }
    let mut v: Vec<(String, u32)> = counts.into_iter().filter(|(_, n)| *n >= 20).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().map(|(p, _)| p).collect()
}

/// Rules of every shape the packs use, over real phrases of the corpus.
fn generated(phrases: &[String], n: usize) -> Vec<String> {
    let mut rng = Rng(20_261_129);
    // Skip the very commonest (function-word pairs): rules name content.
    let pool = &phrases[phrases.len().min(200)..phrases.len().min(20_000)];
    (0..n)
        .map(|i| {
            let mut p = || format!("\"{}\"", rng.pick(pool));
            match i % 5 {
                0 => format!("{} OR {} OR {}", p(), p(), p()),
                1 => format!("{} AND {}", p(), p()),
                2 => {
                    let (a, b) = (p(), p());
                    format!("NEAR/6({}, {})", a.trim_matches('"'), b.trim_matches('"'))
                }
                3 => format!("({} OR {}) -{}", p(), p(), p()),
                _ => p(),
            }
        })
        .collect()
}

/// The positive phrases of a query, for its regex.
fn phrases_of(q: &Query, out: &mut Vec<String>) {
    match q {
        Query::Text(t) => out.push(
            t.syllables
                .iter()
                .map(|s| s.exact.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Query::Near { left, right, .. } => {
            for t in [left, right] {
                out.push(
                    t.syllables
                        .iter()
                        .map(|s| s.exact.clone())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        Query::Outside { phrase, .. } => out.push(
            phrase
                .syllables
                .iter()
                .map(|s| s.exact.clone())
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Query::And(qs) | Query::Or(qs) => qs.iter().for_each(|q| phrases_of(q, out)),
        Query::Not(_) | Query::Keyword { .. } | Query::Published { .. } => {}
    }
}

pub fn run(shared: &Path, args: &Args) -> anyhow::Result<()> {
    let docs = load(shared)?;
    let bytes: usize = docs.iter().map(|(t, b)| t.len() + b.len()).sum();
    let classifier = langnghe_rules::builtin();
    let mut texts: Vec<String> = Vec::new();
    for t in &classifier.packs().topics {
        texts.push(t.text.clone());
        texts.extend(t.exclude.iter().map(|(e, _)| e.clone()));
        texts.extend(t.patterns.iter().map(|p| p.text.clone()));
    }
    let pack_rules = texts.len();
    let phrases = phrases(&docs);
    texts.extend(generated(&phrases, args.rules.saturating_sub(pack_rules)));
    let queries: Vec<Query> = texts
        .iter()
        .map(|t| langnghe_query::parse(t))
        .collect::<Result<_, _>>()?;
    println!(
        "{} rules ({pack_rules} of the labour pack, {} generated from {} corpus phrases); {} documents, {:.1} MB",
        queries.len(),
        queries.len() - pack_rules,
        phrases.len(),
        docs.len(),
        bytes as f64 / 1e6
    );

    let start = Instant::now();
    let matcher = Matcher::new(&queries);
    let compile = start.elapsed().as_secs_f64();
    let mut scratch = matcher.scratch();
    let run_matcher = |docs: &[(String, String)], scratch: &mut langnghe_query::Scratch| {
        let start = Instant::now();
        let mut hits = 0usize;
        for (title, body) in docs {
            hits += matcher
                .matches_with(&Candidate::new(title, body), scratch)
                .len();
        }
        (start.elapsed().as_secs_f64(), hits)
    };
    let (seconds, hits) = run_matcher(&docs, &mut scratch);
    println!(
        "streaming matcher: compiled in {:.3} s; {:.2} s over the corpus on one core = {:.1} MB/s, {:.0} documents/s; {hits} rule matches",
        compile,
        seconds,
        bytes as f64 / 1e6 / seconds,
        docs.len() as f64 / seconds
    );
    // The same again with the word cache warm: A/B comparisons of the matcher read this line,
    // which the cache's filling does not blur.
    let (again, _) = run_matcher(&docs, &mut scratch);
    println!(
        "streaming matcher again, word cache warm: {again:.2} s = {:.1} MB/s",
        bytes as f64 / 1e6 / again
    );

    // What import adds per document: the shipped pack and gazetteer, evidence included.
    let mut buffers = classifier.scratch();
    let start = Instant::now();
    let mut tagged = 0usize;
    for (title, body) in &docs {
        let mut d = langnghe_model::Document::new("", "", "", title.clone(), body.clone());
        classifier.tag(&mut d, &mut buffers);
        tagged += usize::from(!d.topics.is_empty());
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "classification as import does it (labour pack, gazetteer, evidence): {:.2} s = {:.1} MB/s on one core; {tagged} documents with a topic",
        seconds,
        bytes as f64 / 1e6 / seconds
    );

    // The baseline: one case-insensitive regex per rule (its phrases as alternatives between
    // word boundaries), each run over each document.
    let start = Instant::now();
    let regexes: Vec<regex::Regex> = queries
        .iter()
        .map(|q| {
            let mut ps = Vec::new();
            phrases_of(q, &mut ps);
            let alts: Vec<String> = ps
                .iter()
                .map(|p| {
                    p.split(' ')
                        .map(regex::escape)
                        .collect::<Vec<_>>()
                        .join(r"\s+")
                })
                .collect();
            regex::Regex::new(&format!(r"(?i)\b(?:{})\b", alts.join("|")))
        })
        .collect::<Result<_, _>>()?;
    let regex_compile = start.elapsed().as_secs_f64();
    let sample = &docs[..args.baseline_docs.min(docs.len())];
    let sample_bytes: usize = sample.iter().map(|(t, b)| t.len() + b.len()).sum();
    let start = Instant::now();
    let mut regex_hits = 0usize;
    for (title, body) in sample {
        for r in &regexes {
            regex_hits += usize::from(r.is_match(title) || r.is_match(body));
        }
    }
    let regex_seconds = start.elapsed().as_secs_f64();
    let (ours, our_hits) = run_matcher(sample, &mut scratch);
    let (ours_mb, regex_mb) = (
        sample_bytes as f64 / 1e6 / ours,
        sample_bytes as f64 / 1e6 / regex_seconds,
    );
    println!(
        "on the first {} documents ({:.1} MB): streaming matcher {:.1} MB/s ({our_hits} matches), one regex per rule {:.2} MB/s ({regex_hits} phrase matches, compiled in {:.2} s): {:.0}x",
        sample.len(),
        sample_bytes as f64 / 1e6,
        ours_mb,
        regex_mb,
        regex_compile,
        ours_mb / regex_mb
    );
    Ok(())
}
