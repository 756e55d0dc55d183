//! Where the shared datasets are: `LANGNGHE_SHARED_DATA`, or `../shared/data` beside the clone.
//! Included by path (`#[path = …] mod shared_data;`) from the test files of every crate, each of
//! which sits at `crates/NAME`, so one relative path serves them all.

use std::path::PathBuf;

pub fn shared_data() -> PathBuf {
    std::env::var_os("LANGNGHE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    )
}

/// Every saved HTML page of the shared datasets (article pages and listing pages), with its
/// path, read as UTF-8 (lossy).
#[allow(dead_code)]
pub fn html_pages() -> Vec<(PathBuf, String)> {
    let mut pages = Vec::new();
    for dir in ["vi-article-html", "vi-html"] {
        let dir = shared_data().join(dir);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "html") {
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                pages.push((path, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    pages.sort();
    pages
}
