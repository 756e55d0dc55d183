//! Extraction quality on real article pages with gold text, by the article-extraction
//! benchmark's method (4-token shingle precision/recall per page, averaged; F1 of the averages).

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use langnghe_extract::{corpus_f1, extract, parse_date, precision_recall};

pub fn run(shared: &Path, verbose: bool) -> anyhow::Result<()> {
    let dir = shared.join("vi-article-html");
    let gold_path = dir.join("gold.jsonl");
    let file = std::fs::File::open(&gold_path).with_context(|| gold_path.display().to_string())?;
    let now = time::OffsetDateTime::now_utc();
    let mut scores = Vec::new();
    let mut dates_ok = 0;
    let mut titles_ok = 0;
    let mut elapsed = std::time::Duration::ZERO;
    println!("| page | precision | recall | F1 | date | title |");
    println!("| --- | ---: | ---: | ---: | --- | --- |");
    for line in std::io::BufReader::new(file).lines() {
        let g: serde_json::Value = serde_json::from_str(&line?)?;
        let name = g["file"].as_str().unwrap_or_default();
        let html = std::fs::read(dir.join(name)).with_context(|| name.to_string())?;
        let html = String::from_utf8_lossy(&html);
        let start = Instant::now();
        let a = extract(&html, g["url"].as_str(), now);
        elapsed += start.elapsed();
        let gold = g["text"].as_str().unwrap_or_default();
        let (p, r) = precision_recall(&a.text, gold);
        scores.push((p, r));
        let date_ok = g["published"].as_str().and_then(|d| parse_date(d, now)) == a.published;
        let title_ok = g["title"].as_str() == Some(a.title.as_str());
        dates_ok += usize::from(date_ok);
        titles_ok += usize::from(title_ok);
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        println!(
            "| {name} | {p:.3} | {r:.3} | {f1:.3} | {} | {} |",
            if date_ok { "ok" } else { "wrong" },
            if title_ok { "ok" } else { "wrong" }
        );
        if verbose && f1 < 0.99 {
            println!("\n--- {name}: extracted\n{}\n--- gold\n{gold}\n", a.text);
            if !date_ok || !title_ok {
                println!(
                    "date {:?} vs {:?}; title {:?} vs {:?}",
                    a.published, g["published"], a.title, g["title"]
                );
            }
        }
    }
    let n = scores.len();
    let p = scores.iter().map(|x| x.0).sum::<f64>() / n as f64;
    let r = scores.iter().map(|x| x.1).sum::<f64>() / n as f64;
    println!();
    println!(
        "{n} pages: precision {p:.3}, recall {r:.3}, F1 {:.3}; dates {dates_ok}/{n}, titles {titles_ok}/{n}; {:.1} pages/s",
        corpus_f1(&scores),
        n as f64 / elapsed.as_secs_f64()
    );
    Ok(())
}
