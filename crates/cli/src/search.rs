//! `langnghe search`: one query, ranked hits with snippets.

use std::io::IsTerminal;
use std::process::ExitCode;

use serde::Serialize;

use langnghe_index::{Facets, SearchResults};

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Print exactly one JSON object: {"total", "hits": [...], "facets": {...}}.
    #[arg(long)]
    json: bool,
    /// Hits per page.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Hits to skip (for the next page: --offset 10).
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// One hit per story: syndicated copies of an article collapse into their best-ranked copy,
    /// which carries the number of mentions; pages count stories.
    #[arg(long)]
    stories: bool,
    /// The query, in the langnghe query language (quote it in the shell).
    #[arg(value_name = "QUERY")]
    query: String,
}

#[derive(Serialize)]
struct JsonHit<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    source: &'a str,
    published: Option<&'a str>,
    score: f32,
    snippet: &'a str,
    mentions: u64,
}

#[derive(Serialize)]
struct JsonResults<'a> {
    total: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    stories: Option<u64>,
    hits: Vec<JsonHit<'a>>,
    facets: &'a Facets,
    /// Present and true when no document had an unquoted phrase of the query, and the results
    /// are for all of its words instead.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    relaxed: bool,
}

/// Renders `<b>` highlights for a terminal (bold) or a pipe (plain «»), and unescapes HTML.
fn for_terminal(snippet: &str, color: bool) -> String {
    let (on, off) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("«", "»")
    };
    snippet
        .replace("<b>", on)
        .replace("</b>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Characters of a query shown on each side of an error's column.
const SHOWN_AROUND: usize = 60;

/// The part of `query` around `column` (1-based, in characters) to show under an error, with
/// `…` where it is cut, and where the caret goes in it: a hostile query of 40,000 characters
/// is not echoed whole.
fn around(query: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = query.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let from = at.saturating_sub(SHOWN_AROUND);
    let to = (at + SHOWN_AROUND).min(chars.len());
    let mut shown = String::new();
    let mut caret = at - from;
    if from > 0 {
        shown.push('…');
        caret += 1;
    }
    shown.extend(&chars[from..to]);
    if to < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let text = args.query.clone();
    let query = match langnghe_query::parse(&text) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("langnghe: bad query: {e}");
            match e {
                langnghe_query::QueryError::Syntax { column, .. } => {
                    let (shown, caret) = around(&text, column);
                    eprintln!("  {shown}");
                    eprintln!("  {}^", " ".repeat(caret));
                }
                _ => eprintln!("  {}", around(&text, 1).0),
            }
            return Ok(ExitCode::from(2));
        }
    };
    let index_dir = args.data.index_dir();
    if !index_dir.join("meta.json").exists() {
        anyhow::bail!(
            "no index in {} (import documents first: langnghe import --data {} FILE...)",
            index_dir.display(),
            args.data.data.display()
        );
    }
    let archive = args.data.open_archive()?;
    let mut results = archive.search_grouped(&query, args.limit, args.offset, args.stories)?;
    // Adjacent words are a phrase; if no document has it, show documents with all the words.
    let mut relaxed = false;
    if results.total == 0
        && let Some(loose) = query.relaxed()
    {
        results = archive.search_grouped(&loose, args.limit, args.offset, args.stories)?;
        relaxed = true;
    }
    if args.json {
        print_json(&results, relaxed)?;
    } else {
        if relaxed {
            println!(
                "No document has these words next to each other; showing documents with all of them."
            );
        }
        print_human(&text, args.offset, &results);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json(r: &SearchResults, relaxed: bool) -> anyhow::Result<()> {
    let out = JsonResults {
        total: r.total,
        stories: r.stories,
        hits: r
            .hits
            .iter()
            .map(|h| JsonHit {
                id: &h.id,
                title: &h.title,
                url: &h.url,
                source: &h.source,
                published: h.published.as_deref(),
                score: h.score,
                snippet: &h.snippet,
                mentions: h.mentions,
            })
            .collect(),
        facets: &r.facets,
        relaxed,
    };
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}

pub fn print_human(query: &str, offset: usize, r: &SearchResults) {
    let color = std::io::stdout().is_terminal();
    if r.hits.is_empty() {
        println!("{} documents match {query:?}", r.total);
        return;
    }
    let stories = r
        .stories
        .map_or(String::new(), |n| format!(" ({n} stories)"));
    println!(
        "{} documents{stories} match {query:?} (showing {}–{})",
        r.total,
        offset + 1,
        offset + r.hits.len()
    );
    for (i, h) in r.hits.iter().enumerate() {
        println!();
        let copies = if h.mentions > 1 {
            format!("  ({} mentions)", h.mentions)
        } else {
            String::new()
        };
        println!(
            "{:>3}. {}  [{:.2}]{copies}",
            offset + i + 1,
            h.title,
            h.score
        );
        println!(
            "     {} · {} · {}",
            h.url,
            h.source,
            h.published.as_deref().unwrap_or("undated")
        );
        println!("     {}", for_terminal(&h.snippet, color));
    }
    if !r.facets.week.is_empty() {
        let weeks: Vec<String> = r
            .facets
            .week
            .iter()
            .map(|(w, n)| format!("{w}: {n}"))
            .collect();
        println!("\nby week: {}", weeks.join(", "));
    }
    if !r.facets.source.is_empty() {
        let mut sources: Vec<(&String, &u64)> = r.facets.source.iter().collect();
        sources.sort_by(|a, b| b.1.cmp(a.1));
        let shown: Vec<String> = sources
            .iter()
            .take(10)
            .map(|(s, n)| format!("{s}: {n}"))
            .collect();
        println!("by source: {}", shown.join(", "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_shows_the_query_around_its_column() {
        // Short queries are shown whole, the caret under the column.
        assert_eq!(around("(cong doan", 11), ("(cong doan".to_string(), 10));
        assert_eq!(around("đình công)", 10), ("đình công)".to_string(), 9));
        // Long ones around the column, cut with `…`.
        let long = format!("{}x{}", "(".repeat(1000), ")".repeat(1000));
        let (shown, caret) = around(&long, 1001);
        assert_eq!(shown.chars().count(), 2 * SHOWN_AROUND + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(shown.chars().nth(caret), Some('x'));
        // A column at the very end (end of query) and past it.
        let (shown, caret) = around(&long, 2002);
        assert_eq!(caret, shown.chars().count());
        assert_eq!(around("", 1), (String::new(), 0));
    }
}
