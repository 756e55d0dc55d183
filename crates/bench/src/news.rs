//! The corpus most benchmarks run on: every article of `vi-news` in the shared datasets.

use std::io::BufRead;
use std::path::Path;

use anyhow::Context;

/// Every JSON object of `SHARED/vi-news/*.jsonl.gz`, files in name order, and the bytes of JSON
/// text read (lines and their line breaks).
pub fn vi_news(shared: &Path) -> anyhow::Result<(Vec<serde_json::Value>, u64)> {
    let dir = shared.join("vi-news");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| dir.display().to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    let mut bytes = 0u64;
    for path in files {
        let file = std::fs::File::open(&path).with_context(|| path.display().to_string())?;
        let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
        for line in reader.lines() {
            let line = line.with_context(|| path.display().to_string())?;
            bytes += line.len() as u64 + 1;
            docs.push(serde_json::from_str(&line).with_context(|| path.display().to_string())?);
        }
    }
    Ok((docs, bytes))
}

/// The string at `key` of a JSON object, or "".
pub fn text(v: &serde_json::Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}
