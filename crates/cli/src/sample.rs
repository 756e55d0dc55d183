//! `langnghe demo`: the built-in sample, imported and searched, with no server and no download.

use std::process::ExitCode;

use crate::DataArgs;

/// Twelve short labour-news items written by the project (see tests/data/README.md).
pub const SAMPLE_NEWS: &str = include_str!("../../../tests/data/sample-news.jsonl");

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
}

/// Example searches: without diacritics, with them (no công đoạn), and a boolean one.
const QUERIES: [&str; 3] = [
    "cong doan",
    "công đoàn -title:tết",
    "(no luong OR ngừng việc) AND cong nhan",
];

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let sample_dir = args.data.data.join("sample");
    std::fs::create_dir_all(&sample_dir)?;
    let file = sample_dir.join("sample-news.jsonl");
    std::fs::write(&file, SAMPLE_NEWS)?;
    eprintln!(
        "langnghe demo: importing the built-in sample into {}",
        args.data.data.display()
    );
    crate::import::import_files(&args.data, &[file], false, langnghe_index::DEFAULT_BATCH)?;
    for q in QUERIES {
        println!("\n$ langnghe search {q:?}");
        let query = langnghe_query::parse(q)?;
        let archive = args.data.open_archive()?;
        let results = archive.search(&query, 3, 0)?;
        crate::search::print_human(q, 0, &results);
    }
    println!(
        "\nThe index is in {}; try: cargo run --release -p langnghe -- search --data {} \"dinh cong\"",
        args.data.index_dir().display(),
        args.data.data.display()
    );
    Ok(ExitCode::SUCCESS)
}
