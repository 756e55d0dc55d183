//! Language check accuracy, by length in words.

use std::io::BufRead;
use std::path::Path;

use anyhow::Context;
use langnghe_vi::{fold, is_vietnamese};

const BUCKETS: [(usize, usize); 5] = [(1, 3), (4, 8), (9, 16), (17, 32), (33, usize::MAX)];

fn words(text: &str) -> usize {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .count()
}

fn bucket(n: usize) -> Option<usize> {
    BUCKETS.iter().position(|(lo, hi)| n >= *lo && n <= *hi)
}

/// Vietnamese texts of vi-social (UIT-ViHSD train+dev) and vi-sentiment (train/val parts).
fn vietnamese_texts(shared: &Path) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for name in ["vihsd_train.csv", "vihsd_dev.csv"] {
        let path = shared.join("vi-social").join(name);
        let mut reader =
            csv::Reader::from_path(&path).with_context(|| path.display().to_string())?;
        for record in reader.records() {
            let record = record.with_context(|| path.display().to_string())?;
            if let Some(text) = record.get(0) {
                out.push(text.to_string());
            }
        }
    }
    for name in [
        "aivivn2019_train.jsonl",
        "uit_vsfc_train.jsonl",
        "uit_vsfc_val.jsonl",
        "ubs_bank_train.jsonl",
    ] {
        let path = shared.join("vi-sentiment").join(name);
        let file = std::fs::File::open(&path).with_context(|| path.display().to_string())?;
        for line in std::io::BufReader::new(file).lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            if let Some(text) = v["text"].as_str() {
                out.push(text.to_string());
            }
        }
    }
    Ok(out)
}

/// English text found on this machine: the English edition of VnExpress (in vi-html, news about
/// Vietnam, full of Vietnamese names), the licence texts of Debian, and crate READMEs.
fn english_words(shared: &Path) -> anyhow::Result<Vec<String>> {
    let mut text = String::new();
    let page = shared.join("vi-html/e.vnexpress.net_home_2025-12-04.html");
    let html = std::fs::read_to_string(&page).with_context(|| page.display().to_string())?;
    let mut in_tag = false;
    let mut skip = false;
    let lower = html.to_lowercase();
    for (i, c) in html.char_indices() {
        if c == '<' {
            in_tag = true;
            skip = lower[i..].starts_with("<script")
                || lower[i..].starts_with("<style")
                || (skip
                    && !lower[i..].starts_with("</script")
                    && !lower[i..].starts_with("</style"));
        } else if c == '>' {
            in_tag = false;
            text.push(' ');
        } else if !in_tag && !skip {
            text.push(c);
        }
    }
    for dir in ["/usr/share/common-licenses"] {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    text.push(' ');
                    text.push_str(&t);
                }
            }
        }
    }
    Ok(text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic) && !w.contains("&") && w.len() < 30)
        .map(str::to_owned)
        .collect())
}

pub fn run(shared: &Path) -> anyhow::Result<()> {
    let texts = vietnamese_texts(shared)?;
    // [bucket] -> (n, ours ok, whatlang ok) for folded text, and ours for accented text.
    let mut vi = [(0usize, 0usize, 0usize, 0usize); BUCKETS.len()];
    for text in &texts {
        let plain = fold(text);
        let Some(b) = bucket(words(&plain)) else {
            continue;
        };
        vi[b].0 += 1;
        if is_vietnamese(&plain) {
            vi[b].1 += 1;
        }
        if whatlang::detect_lang(&plain) == Some(whatlang::Lang::Vie) {
            vi[b].2 += 1;
        }
        if is_vietnamese(text) {
            vi[b].3 += 1;
        }
    }
    // English windows with the same length distribution as the Vietnamese texts of each bucket.
    let english = english_words(shared)?;
    let mut en = [(0usize, 0usize, 0usize); BUCKETS.len()];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (b, (lo, hi)) in BUCKETS.iter().enumerate() {
        let hi = (*hi).min(60);
        for _ in 0..vi[b].0.clamp(0, 5000) {
            let len = lo + (next() as usize) % (hi - lo + 1);
            let start = (next() as usize) % (english.len().saturating_sub(len).max(1));
            let window = english[start..(start + len).min(english.len())].join(" ");
            en[b].0 += 1;
            if is_vietnamese(&window) {
                en[b].1 += 1;
            }
            if whatlang::detect_lang(&window) == Some(whatlang::Lang::Vie) {
                en[b].2 += 1;
            }
        }
    }
    println!(
        "langnghe-bench lang: {} Vietnamese texts (vi-social train+dev, vi-sentiment train/val), {} English words",
        texts.len(),
        english.len()
    );
    println!();
    println!(
        "| words | Vietnamese texts | without diacritics: is_vietnamese | whatlang alone | ratio | with diacritics: is_vietnamese | English windows | false positives: is_vietnamese | whatlang alone |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let pct = |a: usize, n: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * a as f64 / n as f64
        }
    };
    for (b, (lo, hi)) in BUCKETS.iter().enumerate() {
        let label = if *hi == usize::MAX {
            format!("{lo}+")
        } else {
            format!("{lo}–{hi}")
        };
        let (n, ours, wl, acc) = vi[b];
        let (en_n, en_ours, en_wl) = en[b];
        println!(
            "| {label} | {n} | {:.1}% | {:.1}% | {:.2}× | {:.1}% | {en_n} | {:.1}% | {:.1}% |",
            pct(ours, n),
            pct(wl, n),
            pct(ours, n) / pct(wl, n).max(0.01),
            pct(acc, n),
            pct(en_ours, en_n),
            pct(en_wl, en_n),
        );
    }
    Ok(())
}

/// Prints misclassified short texts (for tuning on the shared training data only).
pub fn misses(shared: &Path) -> anyhow::Result<()> {
    for text in vietnamese_texts(shared)?.iter().take(20000) {
        let plain = fold(text);
        if bucket(words(&plain)) == Some(1) {
            let c = langnghe_vi::check_language(&plain);
            if !c.vietnamese {
                let bad: Vec<&str> = plain
                    .split(|ch: char| !ch.is_alphanumeric())
                    .filter(|w| !w.is_empty() && !langnghe_vi::is_syllable(w))
                    .collect();
                println!(
                    "{:.2} {:?} | {plain} | {bad:?}",
                    c.syllable_share,
                    c.whatlang.map(|w| w.0)
                );
            }
        }
    }
    Ok(())
}
