//! `langnghe extract`: article text and metadata from saved HTML pages.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON object per input file per line:
    /// {"file", "title", "text", "published", "author", "canonical_url", "lang"}.
    #[arg(long)]
    json: bool,
    /// The URL the page was fetched from (resolves a relative canonical link; with several
    /// files it applies to all of them).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Saved HTML pages.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

#[derive(Serialize)]
struct Line<'a> {
    file: String,
    title: &'a str,
    text: &'a str,
    published: Option<String>,
    author: Option<&'a str>,
    canonical_url: Option<&'a str>,
    lang: Option<&'a str>,
}

fn rfc3339(t: Option<OffsetDateTime>) -> Option<String> {
    t.and_then(|t| t.format(&Rfc3339).ok())
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let now = OffsetDateTime::now_utc().to_offset(langnghe_model::VIETNAM);
    let mut failed = false;
    for path in &args.files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("langnghe: {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        // UTF-8 (repaired if it is legacy mojibake) or a Vietnamese legacy encoding.
        let (html, _) = langnghe_vi::decode_bytes(&bytes);
        let a = langnghe_extract::extract(&html, args.url.as_deref(), now);
        if args.json {
            let line = Line {
                file: path.display().to_string(),
                title: &a.title,
                text: &a.text,
                published: rfc3339(a.published),
                author: a.author.as_deref(),
                canonical_url: a.canonical_url.as_deref(),
                lang: a.lang.as_deref(),
            };
            println!("{}", serde_json::to_string(&line)?);
        } else {
            println!("== {}", path.display());
            println!("title:     {}", a.title);
            println!(
                "published: {}",
                rfc3339(a.published).unwrap_or_else(|| "undated".into())
            );
            if let Some(author) = &a.author {
                println!("author:    {author}");
            }
            if let Some(url) = &a.canonical_url {
                println!("canonical: {url}");
            }
            println!("lang:      {}", a.lang.as_deref().unwrap_or("unknown"));
            println!();
            println!("{}", a.text);
            println!();
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
