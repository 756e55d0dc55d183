//! `langnghe-bench`: the measurements behind BENCHMARKS.md, each printed side by side with its
//! baseline from the same run.
//!
//! - `lang`: `is_vietnamese` against whatlang alone on Vietnamese social text with diacritics
//!   stripped, by length, and the false-positive rate on English text of the same lengths.
//! - `search`: import throughput and search latency of langnghe against PostgreSQL full-text
//!   search (`simple` + `unaccent`, GIN) on the same documents and queries.
//! - `rules`: 1,000 topic rules over vi-news, the streaming matcher against a regex per rule.

mod extract;
mod lang;
mod news;
mod rules;
mod search;
mod stories;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "langnghe-bench",
    about = "Benchmarks for langnghe (see BENCHMARKS.md)"
)]
struct Cli {
    /// The shared datasets folder.
    #[arg(
        long,
        global = true,
        default_value = "../shared/data",
        env = "LANGNGHE_SHARED_DATA"
    )]
    shared: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Language check accuracy by length bucket, ours vs whatlang alone.
    Lang,
    /// The short Vietnamese texts (4–8 words) the language check gets wrong.
    LangMisses,
    /// Import and search on vi-news: langnghe vs PostgreSQL full-text search.
    Search(search::Args),
    /// Article extraction quality and speed on vi-article-html, optionally against trafilatura.
    Extract(extract::Args),
    /// Topic rules at scale: 1,000 rules over vi-news, streaming matcher vs a regex per rule.
    Rules(rules::Args),
    /// Syndicated-copy clustering on vi-news: counts, speed and sample clusters.
    Stories {
        /// Sample clusters to print.
        #[arg(long, default_value_t = 12)]
        samples: usize,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Lang => lang::run(&cli.shared),
        Command::LangMisses => lang::misses(&cli.shared),
        Command::Search(args) => search::run(&cli.shared, &args),
        Command::Extract(args) => extract::run(&cli.shared, &args),
        Command::Stories { samples } => stories::run(&cli.shared, samples),
        Command::Rules(args) => rules::run(&cli.shared, &args),
    }
}
