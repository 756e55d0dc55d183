//! Syndicated-copy clustering on vi-news: how many stories, how fast, and samples to check by eye.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use langnghe_extract::{Stories, signature, similarity};

pub fn run(shared: &Path, samples: usize) -> anyhow::Result<()> {
    let dir = shared.join("vi-news");
    let mut docs: Vec<(String, String, String)> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    for path in files {
        let reader =
            std::io::BufReader::new(flate2::read::GzDecoder::new(std::fs::File::open(&path)?));
        for line in reader.lines() {
            let v: serde_json::Value = serde_json::from_str(&line?)?;
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            docs.push((s("id"), s("title"), s("body")));
        }
    }
    let start = Instant::now();
    let mut stories = Stories::new();
    let mut original = Vec::with_capacity(docs.len());
    for (id, _, body) in &docs {
        original.push(stories.add(id, body, None));
    }
    let seconds = start.elapsed().as_secs_f64();
    let mut groups: std::collections::BTreeMap<String, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, (id, _, _)) in docs.iter().enumerate() {
        let o = stories.original_of(id).unwrap_or_default();
        groups.entry(o).or_default().push(i);
    }
    let multi: Vec<&Vec<usize>> = groups.values().filter(|g| g.len() > 1).collect();
    println!(
        "{} documents, {} stories, {} stories with copies ({} copies); {:.0} documents/s",
        docs.len(),
        groups.len(),
        multi.len(),
        multi.iter().map(|g| g.len() - 1).sum::<usize>(),
        docs.len() as f64 / seconds
    );
    for g in multi
        .iter()
        .step_by((multi.len() / samples.max(1)).max(1))
        .take(samples)
    {
        println!();
        let first = signature(&docs[g[0]].2);
        for &i in g.iter().take(4) {
            let sim = match (&first, signature(&docs[i].2)) {
                (Some(a), Some(b)) => similarity(a, &b),
                _ => 1.0,
            };
            let body: String = docs[i].2.chars().take(90).collect();
            println!("  [{sim:.2}] {} | {} | {body}", docs[i].0, docs[i].1);
        }
    }
    Ok(())
}
