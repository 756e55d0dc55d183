//! Syndicated-copy clustering on vi-news: how many stories, how fast, and samples to check by eye.

use std::path::Path;
use std::time::Instant;

use langnghe_extract::{Stories, signature, similarity};

pub fn run(shared: &Path, samples: usize) -> anyhow::Result<()> {
    let (news, _) = crate::news::vi_news(shared)?;
    let s = crate::news::text;
    let docs: Vec<(String, String, String)> = news
        .iter()
        .map(|v| (s(v, "id"), s(v, "title"), s(v, "body")))
        .collect();
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
