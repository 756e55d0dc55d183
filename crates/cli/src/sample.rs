//! `langnghe demo`: the main job end to end with no server to install: start the local news site
//! on loopback with the project's own sample articles, crawl it politely, extract, index, search.

use std::process::ExitCode;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use langnghe_crawl::{LocalSite, SiteArticle};

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

/// The sample items as pages of the local site.
fn site_articles() -> Vec<SiteArticle> {
    let undated =
        OffsetDateTime::now_utc().to_offset(langnghe_model::VIETNAM) - time::Duration::days(3);
    SAMPLE_NEWS
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|v| {
            let text = |k: &str| langnghe_vi::prepare(v[k].as_str().unwrap_or_default()).0;
            let body = text("body");
            let mut lines = body.lines().map(str::to_owned);
            let lead = lines.next().unwrap_or_default();
            SiteArticle {
                slug: v["id"].as_str().unwrap_or("bai").to_string(),
                title: text("title"),
                lead,
                paragraphs: lines.collect(),
                published: v["published"]
                    .as_str()
                    .and_then(|p| OffsetDateTime::parse(p, &Rfc3339).ok())
                    .unwrap_or(undated),
            }
        })
        .collect()
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    runtime.block_on(async {
        let site = LocalSite::start(site_articles()).await?;
        eprintln!("langnghe demo: a local news site is serving {} articles at {}", 12, site.base());
        std::fs::create_dir_all(&args.data.data)?;
        let sources = args.data.data.join("demo-sources.toml");
        std::fs::write(
            &sources,
            format!(
                "version = 1\n[defaults]\ndelay_seconds = 1\n\n[[source]]\nid = \"tin-mau\"\nname = \"Tin mẫu (local demo site)\"\nkind = \"feed\"\nurls = [\"{}/rss/tin-moi.rss\"]\n",
                site.base()
            ),
        )?;
        eprintln!("langnghe demo: crawling it politely (robots.txt, one request per second)…");
        let crawl_args = crate::crawl::Args {
            data: args.data.clone(),
            once: true,
            sources: Some(sources),
            only: Vec::new(),
            max_articles: 200,
            json: false,
        };
        let reports = crate::crawl::crawl(&crawl_args).await?;
        for r in &reports {
            eprintln!(
                "langnghe demo: {} articles found, {} fetched, {} unchanged since the last run, {} indexed, {} error(s)",
                r.discovered,
                r.fetched,
                r.unchanged,
                r.indexed,
                r.errors.len()
            );
            for e in &r.errors {
                eprintln!("  {e}");
            }
        }
        anyhow::Ok(())
    })?;
    let archive = args.data.open_archive()?;
    for q in QUERIES {
        println!("\n$ langnghe search {q:?}");
        let results = archive.search(&langnghe_query::parse(q)?, 3, 0)?;
        crate::search::print_human(q, 0, &results);
    }
    println!(
        "\nThe index, the WARC archive and the crawl state are in {}; try:\n  cargo run --release -p langnghe -- search --data {} \"dinh cong\"\n  cargo run --release -p langnghe -- sources --data {}",
        args.data.data.display(),
        args.data.data.display(),
        args.data.data.display()
    );
    Ok(ExitCode::SUCCESS)
}
