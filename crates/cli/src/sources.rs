//! `langnghe sources`: each source's last success, last error and items per day.

use std::process::ExitCode;

use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use langnghe_store::{CrawlState, SqliteState};

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Print one JSON array of {"source", "last_run", "last_success", "last_error", "items_total", "items_per_day"}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Row {
    source: String,
    last_run: Option<String>,
    last_success: Option<String>,
    last_error: Option<String>,
    last_error_at: Option<String>,
    items_total: u64,
    items_per_day: f64,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let path = args.data.data.join("state.sqlite");
    if !path.exists() {
        anyhow::bail!(
            "no crawl state in {} (run langnghe crawl --once first)",
            args.data.data.display()
        );
    }
    let state = SqliteState::open(&path)?;
    let fmt = |t: Option<time::OffsetDateTime>| {
        t.and_then(|t| t.to_offset(langnghe_model::VIETNAM).format(&Rfc3339).ok())
    };
    let rows: Vec<Row> = state
        .sources()?
        .into_iter()
        .map(|s| Row {
            last_run: fmt(s.last_run),
            last_success: fmt(s.last_success),
            last_error_at: fmt(s.last_error.as_ref().map(|e| e.0)),
            last_error: s.last_error.map(|e| e.1),
            source: s.source,
            items_total: s.items_total,
            items_per_day: s.items_per_day,
        })
        .collect();
    if args.json {
        println!("{}", serde_json::to_string(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<20} {:<26} {:<26} {:>8} {:>9}  last error",
        "source", "last run", "last success", "items", "per day"
    );
    for r in rows {
        println!(
            "{:<20} {:<26} {:<26} {:>8} {:>9.1}  {}",
            r.source,
            r.last_run.as_deref().unwrap_or("-"),
            r.last_success.as_deref().unwrap_or("never"),
            r.items_total,
            r.items_per_day,
            r.last_error.map_or_else(String::new, |e| format!(
                "{} {e}",
                r.last_error_at.unwrap_or_default()
            ))
        );
    }
    Ok(ExitCode::SUCCESS)
}
