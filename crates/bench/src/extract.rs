//! Extraction quality and speed on real article pages with gold text, by the article-extraction
//! benchmark's method (4-token shingle precision/recall per page, averaged; F1 of the averages),
//! optionally side by side with trafilatura run on the same pages in the same run.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use langnghe_extract::{corpus_f1, extract, parse_date, precision_recall};

#[derive(clap::Args)]
pub struct Args {
    /// Print extracted and gold text for pages below F1 0.99.
    #[arg(long)]
    verbose: bool,
    /// A Python with trafilatura installed (e.g. a venv's bin/python): run it as the peer.
    #[arg(long, value_name = "PYTHON")]
    peer: Option<PathBuf>,
    /// Extractions of each page timed per system.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Blocks the rounds are split into, the systems taking turns.
    #[arg(long, default_value_t = 4)]
    blocks: usize,
}

struct Page {
    name: String,
    path: PathBuf,
    url: Option<String>,
    html: String,
    gold: String,
    published: Option<String>,
    title: String,
}

fn pages(dir: &Path) -> anyhow::Result<Vec<Page>> {
    let gold_path = dir.join("gold.jsonl");
    let file = std::fs::File::open(&gold_path).with_context(|| gold_path.display().to_string())?;
    let mut out = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let g: serde_json::Value = serde_json::from_str(&line?)?;
        let name = g["file"].as_str().unwrap_or_default().to_string();
        let path = dir.join(&name);
        let html = String::from_utf8_lossy(&std::fs::read(&path).with_context(|| name.clone())?)
            .into_owned();
        let s = |k: &str| g[k].as_str().map(str::to_owned);
        out.push(Page {
            name,
            path,
            url: s("url"),
            html,
            gold: s("text").unwrap_or_default(),
            published: s("published"),
            title: s("title").unwrap_or_default(),
        });
    }
    Ok(out)
}

pub fn run(shared: &Path, args: &Args) -> anyhow::Result<()> {
    let dir = shared.join("vi-article-html");
    let pages = pages(&dir)?;
    let now = time::OffsetDateTime::now_utc();
    let mut ours = Vec::new();
    let mut dates_ok = 0;
    let mut titles_ok = 0;
    let extracted: Vec<_> = pages
        .iter()
        .map(|p| extract(&p.html, p.url.as_deref(), now))
        .collect();
    // The rounds run in blocks, each system in turn, so that the machine's drift over the run
    // (it is shared, and varies by a third within minutes) falls on both alike.
    let blocks = args.blocks.clamp(1, args.rounds.max(1));
    let mut ours_seconds = 0.0;
    let mut peer: Option<(Vec<String>, f64)> = None;
    for block in 0..blocks {
        let rounds = args.rounds / blocks + usize::from(block < args.rounds % blocks);
        let start = Instant::now();
        for _ in 0..rounds {
            for p in &pages {
                std::hint::black_box(extract(&p.html, p.url.as_deref(), now));
            }
        }
        ours_seconds += start.elapsed().as_secs_f64();
        if let Some(python) = &args.peer {
            let (texts, seconds) = run_peer(python, &pages, rounds)?;
            let total = peer.as_ref().map_or(0.0, |p| p.1);
            peer = Some((texts, total + seconds));
        }
    }
    println!(
        "| page | langnghe P | R | F1 | date | title |{}",
        if peer.is_some() {
            " trafilatura P | R | F1 |"
        } else {
            ""
        }
    );
    println!(
        "| --- | ---: | ---: | ---: | --- | --- |{}",
        if peer.is_some() {
            " ---: | ---: | ---: |"
        } else {
            ""
        }
    );
    let mut theirs = Vec::new();
    for (i, (p, a)) in pages.iter().zip(&extracted).enumerate() {
        let (pr, rc) = precision_recall(&a.text, &p.gold);
        ours.push((pr, rc));
        let date_ok = p.published.as_deref().and_then(|d| parse_date(d, now)) == a.published;
        let title_ok = p.title == a.title;
        dates_ok += usize::from(date_ok);
        titles_ok += usize::from(title_ok);
        let f1 = |p: f64, r: f64| {
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            }
        };
        let mut row = format!(
            "| {} | {pr:.3} | {rc:.3} | {:.3} | {} | {} |",
            p.name,
            f1(pr, rc),
            if date_ok { "ok" } else { "wrong" },
            if title_ok { "ok" } else { "wrong" }
        );
        if let Some((texts, _)) = &peer {
            let (tp, tr) = precision_recall(&texts[i], &p.gold);
            theirs.push((tp, tr));
            row.push_str(&format!(" {tp:.3} | {tr:.3} | {:.3} |", f1(tp, tr)));
        }
        println!("{row}");
        if args.verbose && f1(pr, rc) < 0.99 {
            println!(
                "\n--- {}: extracted\n{}\n--- gold\n{}\n",
                p.name, a.text, p.gold
            );
        }
    }
    let n = pages.len();
    let rate = (n * args.rounds) as f64 / ours_seconds;
    println!();
    println!(
        "langnghe: {n} pages, F1 {:.3}, dates {dates_ok}/{n}, titles {titles_ok}/{n}, {rate:.0} pages/s",
        corpus_f1(&ours)
    );
    if let Some((_, seconds)) = &peer {
        let peer_rate = (n * args.rounds) as f64 / seconds;
        println!(
            "trafilatura: F1 {:.3}, {peer_rate:.0} pages/s",
            corpus_f1(&theirs)
        );
        println!(
            "speed ratio langnghe / trafilatura: {:.1}×",
            rate / peer_rate
        );
    }
    Ok(())
}

/// Runs trafilatura on the pages; returns its texts (page order) and total seconds.
fn run_peer(python: &Path, pages: &[Page], rounds: usize) -> anyhow::Result<(Vec<String>, f64)> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("trafilatura_peer.py");
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(rounds.to_string())
        .args(pages.iter().map(|p| &p.path))
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    anyhow::ensure!(
        out.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut texts = Vec::new();
    let mut seconds = 0.0;
    for line in String::from_utf8(out.stdout)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
        seconds += v["seconds"].as_f64().unwrap_or(0.0);
    }
    Ok((texts, seconds))
}
