//! `langnghe crawl --once`: every enabled source, politely, into the archive and the index.
//!
//! Per source: discover article URLs (feed items; sitemap entries, following indexes and the
//! `Sitemap:` lines of robots.txt; listing links with pagination), fetch each with the validators
//! stored from the last visit (an unchanged page is not transferred again), write the response to
//! the WARC archive (synced), decode and extract it, group syndicated copies, index, and record
//! the URL's state. A failing URL is logged with its reason and the run goes on; a failing source
//! does not stop the others. Sources run concurrently; each host sees one request at a time.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use time::OffsetDateTime;

use langnghe_crawl::{
    FetchSettings, Fetcher, Outcome, Page, SocialItem, SourceConfig, SourceKind, Validators,
    WarcWriter, canonical_url, decode_page, map_items, parse_feed, parse_sitemap, with_cursor,
};
use langnghe_extract::{Stories, content_hash, extract, signature, stable_hash};
use langnghe_model::Document;
use langnghe_store::{CrawlState, SqliteState, StoryMember, UrlRecord};

use crate::DataArgs;

#[derive(clap::Args, Clone)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Crawl every source once, then stop. Without it, crawl each source again when its
    /// `schedule_minutes` have passed, until interrupted (Ctrl-C finishes the current run first).
    #[arg(long)]
    pub once: bool,
    /// Sources file (default: CONFIG/sources.toml).
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// Only these source ids.
    #[arg(long = "source", value_name = "ID")]
    pub only: Vec<String>,
    /// Articles fetched per source and run.
    #[arg(long, default_value_t = 200)]
    pub max_articles: usize,
    /// Print the summary as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// What a run did, per source and in total.
#[derive(Debug, Default, Serialize, Clone)]
pub struct SourceReport {
    pub source: String,
    pub discovered: usize,
    pub fetched: usize,
    pub unchanged: usize,
    pub indexed: usize,
    pub errors: Vec<String>,
}

/// Fetched article pages go from the source tasks to the one writer task through this.
enum Message {
    Page {
        source: String,
        page: Page,
    },
    /// A JSON API response or forum page, and the items (documents) found in it.
    Api {
        source: String,
        page: Page,
        items: Vec<SocialItem>,
    },
    Unchanged {
        source: String,
        url: String,
    },
    Failed {
        source: String,
        url: String,
        error: String,
    },
}

/// Links of a listing page chosen by selector and/or pattern, and its next page.
fn listing_links(source: &SourceConfig, base: &str, html: &str) -> (Vec<String>, Option<String>) {
    let doc = langnghe_extract::parse_html(html);
    let base_url = url::Url::parse(base).ok();
    let resolve = |href: &str| {
        base_url
            .as_ref()
            .and_then(|b| b.join(href).ok())
            .map(|u| u.to_string())
    };
    let pattern = source
        .url_pattern
        .as_deref()
        .and_then(|p| regex::Regex::new(p).ok());
    let selector = source.link_selector.as_deref().unwrap_or("a[href]");
    let mut links = Vec::new();
    if let Ok(sel) = scraper::Selector::parse(selector) {
        for a in doc.select(&sel) {
            if let Some(url) = a.value().attr("href").and_then(resolve)
                && pattern.as_ref().is_none_or(|p| p.is_match(&url))
            {
                links.push(url);
            }
        }
    }
    let next = source
        .next_selector
        .as_deref()
        .and_then(|s| scraper::Selector::parse(s).ok())
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|a| a.value().attr("href"))
                .and_then(resolve)
        });
    (links, next)
}

/// Fetches `url` and returns the page, or the reason it could not be had.
async fn get(fetcher: &Fetcher, url: &str, delay: Duration) -> Result<Page, String> {
    match fetcher.fetch(url, delay, None).await {
        Ok(Outcome::Fetched(page)) => Ok(page),
        Ok(Outcome::NotModified) => Err(format!("{url}: not modified")),
        Err(e) => Err(e.to_string()),
    }
}

/// Article URLs of a source as (URL to fetch, canonical URL), in discovery order, without two
/// with the same canonical URL. The canonical form is an identity (https, no port 80/443, no
/// tracking parameters); the page is fetched at the URL the source gave.
async fn discover(
    fetcher: &Fetcher,
    source: &SourceConfig,
    delay: Duration,
    errors: &mut Vec<String>,
    limit: usize,
) -> Vec<(String, String)> {
    let now = OffsetDateTime::now_utc();
    let mut found = Vec::new();
    match source.kind {
        SourceKind::Feed => {
            for url in &source.urls {
                match get(fetcher, url, delay).await {
                    Ok(page) => match parse_feed(
                        &decode_page(&page.body, page.content_type.as_deref()).text,
                        now,
                    ) {
                        Ok(items) => found.extend(items.into_iter().map(|i| i.link)),
                        Err(e) => errors.push(format!("{url}: {e}")),
                    },
                    Err(e) => errors.push(e),
                }
            }
        }
        SourceKind::Sitemap => {
            let mut queue: Vec<String> = if source.robots_sitemaps {
                let mut maps = Vec::new();
                for url in &source.urls {
                    let robots = url::Url::parse(url)
                        .ok()
                        .and_then(|u| u.join("/robots.txt").ok());
                    if let Some(robots) = robots {
                        match get(fetcher, robots.as_str(), delay).await {
                            Ok(page) => maps.extend(
                                langnghe_crawl::Robots::parse(&String::from_utf8_lossy(&page.body))
                                    .sitemaps,
                            ),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                maps
            } else {
                source.urls.clone()
            };
            let pattern = source
                .url_pattern
                .as_deref()
                .and_then(|p| regex::Regex::new(p).ok());
            let mut visited = 0;
            while let Some(url) = queue.pop() {
                visited += 1;
                if visited > 50 {
                    errors.push(format!("{url}: more than 50 sitemaps, stopped"));
                    break;
                }
                match get(fetcher, &url, delay).await {
                    Ok(page) => match parse_sitemap(
                        &decode_page(&page.body, page.content_type.as_deref()).text,
                        now,
                    ) {
                        Ok((langnghe_crawl::SitemapKind::Index, entries)) => {
                            queue.extend(entries.into_iter().map(|e| e.loc))
                        }
                        Ok((_, entries)) => found.extend(
                            entries
                                .into_iter()
                                .map(|e| e.loc)
                                .filter(|l| pattern.as_ref().is_none_or(|p| p.is_match(l))),
                        ),
                        Err(e) => errors.push(format!("{url}: {e}")),
                    },
                    Err(e) => errors.push(e),
                }
            }
        }
        SourceKind::Listing => {
            for start in &source.urls {
                let mut next = Some(start.clone());
                let mut pages = 0;
                while let Some(url) = next.take() {
                    pages += 1;
                    match get(fetcher, &url, delay).await {
                        Ok(page) => {
                            let html = decode_page(&page.body, page.content_type.as_deref()).text;
                            let (links, more) = listing_links(source, &page.final_url, &html);
                            found.extend(links);
                            if pages < source.max_pages.unwrap_or(1) as usize {
                                next = more;
                            }
                        }
                        Err(e) => errors.push(e),
                    }
                }
            }
        }
        SourceKind::Json | SourceKind::Forum => {
            errors.push(
                format!("{}: kind {:?} is not crawled yet", source.id, source.kind).to_lowercase(),
            );
        }
    }
    let mut seen = HashSet::new();
    found
        .into_iter()
        .filter_map(|u| canonical_url(&u).map(|c| (u, c)))
        .filter(|(_, c)| seen.insert(c.clone()))
        .take(limit)
        .collect()
}

/// Pages of a JSON API source: each response archived, its items indexed as documents. The
/// token comes from the environment variable the source names; authors are not stored.
async fn crawl_api(
    fetcher: &Fetcher,
    source: &SourceConfig,
    delay: Duration,
    tx: &tokio::sync::mpsc::Sender<Message>,
    report: &mut SourceReport,
    errors: &mut Vec<String>,
) {
    let mut headers = Vec::new();
    if let Some(env) = &source.token_env {
        match std::env::var(env) {
            Ok(token) if !token.is_empty() => {
                headers.push(("Authorization".to_string(), format!("Bearer {token}")))
            }
            _ => {
                errors.push(format!(
                    "{}: environment variable {env} is not set; source skipped",
                    source.id
                ));
                return;
            }
        }
    }
    let mapping = &source.mapping;
    let now = OffsetDateTime::now_utc();
    for start in &source.urls {
        let mut url = start.clone();
        for _ in 0..source.max_pages.unwrap_or(1).max(1) {
            let page = match fetcher
                .fetch_with_headers(&url, delay, None, &headers)
                .await
            {
                Ok(Outcome::Fetched(page)) => page,
                Ok(Outcome::NotModified) => break,
                Err(e) => {
                    errors.push(e.to_string());
                    break;
                }
            };
            let parsed: Result<serde_json::Value, String> =
                serde_json::from_slice(&page.body).map_err(|e| format!("{url}: invalid JSON: {e}"));
            let (items, next) = match parsed
                .and_then(|v| map_items(&v, mapping, now).map_err(|e| format!("{url}: {e}")))
            {
                Ok(found) => found,
                Err(e) => {
                    errors.push(e);
                    break;
                }
            };
            report.discovered += items.len();
            let done = items.is_empty();
            if tx
                .send(Message::Api {
                    source: source.id.clone(),
                    page,
                    items,
                })
                .await
                .is_err()
                || done
            {
                break;
            }
            match (next, mapping.cursor_param.as_deref()) {
                (Some(cursor), Some(param)) => match with_cursor(start, param, &cursor) {
                    Some(next_url) => url = next_url,
                    None => break,
                },
                _ => break,
            }
        }
    }
}

/// Pages of forum threads (following the next-page link up to `max_pages`): each page archived,
/// each post indexed as a document; authors are not read.
async fn crawl_forum(
    fetcher: &Fetcher,
    source: &SourceConfig,
    delay: Duration,
    tx: &tokio::sync::mpsc::Sender<Message>,
    report: &mut SourceReport,
    errors: &mut Vec<String>,
) {
    let post_selector = source.post_selector.as_deref().unwrap_or("article.message");
    let now = OffsetDateTime::now_utc();
    for start in &source.urls {
        let mut next = Some(start.clone());
        let mut pages = 0;
        while let Some(url) = next.take() {
            pages += 1;
            let page = match get(fetcher, &url, delay).await {
                Ok(page) => page,
                Err(e) => {
                    errors.push(e);
                    break;
                }
            };
            let html = decode_page(&page.body, page.content_type.as_deref()).text;
            match langnghe_crawl::forum_posts(
                &html,
                post_selector,
                source.next_selector.as_deref(),
                &page.final_url,
                now,
            ) {
                Ok((items, more)) => {
                    report.discovered += items.len();
                    if pages < source.max_pages.unwrap_or(1).max(1) as usize {
                        next = more;
                    }
                    if tx
                        .send(Message::Api {
                            source: source.id.clone(),
                            page,
                            items,
                        })
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Err(e) => errors.push(format!("{url}: {e}")),
            }
        }
    }
}

/// A document id that stays the same for a URL across runs and versions.
fn doc_id(source: &str, canonical: &str) -> String {
    format!("{source}-{:016x}", stable_hash(canonical.as_bytes()))
}

/// Which sources are due at `now` (never run, or their schedule has passed since their last run),
/// and when the next one falls due.
pub fn due(
    schedules: &[(String, u32)],
    last_runs: &std::collections::HashMap<String, OffsetDateTime>,
    now: OffsetDateTime,
) -> (Vec<String>, Option<OffsetDateTime>) {
    let mut due = Vec::new();
    let mut next: Option<OffsetDateTime> = None;
    for (id, minutes) in schedules {
        let at = last_runs.get(id).map_or(now, |last| {
            *last + time::Duration::minutes(i64::from((*minutes).max(1)))
        });
        if at <= now {
            due.push(id.clone());
        } else if next.is_none_or(|n| at < n) {
            next = Some(at);
        }
    }
    (due, next)
}

/// Crawls on each source's schedule until Ctrl-C.
async fn crawl_forever(args: &Args) -> anyhow::Result<()> {
    loop {
        let config = args.data.sources(args.sources.as_deref())?;
        let schedules: Vec<(String, u32)> = config
            .sources
            .iter()
            .filter(|s| s.enabled && (args.only.is_empty() || args.only.contains(&s.id)))
            .map(|s| {
                (
                    s.id.clone(),
                    s.schedule_minutes
                        .unwrap_or(config.defaults.schedule_minutes),
                )
            })
            .collect();
        std::fs::create_dir_all(&args.data.data)?;
        let state = SqliteState::open(&args.data.data.join("state.sqlite"))?;
        let last_runs = state
            .sources()?
            .into_iter()
            .filter_map(|s| s.last_run.map(|t| (s.source, t)))
            .collect();
        let now = OffsetDateTime::now_utc();
        let (ids, next) = due(&schedules, &last_runs, now);
        if !ids.is_empty() {
            eprintln!("langnghe: crawling {}", ids.join(", "));
            let run_args = Args {
                only: ids,
                once: true,
                ..args.clone()
            };
            for r in crawl(&run_args).await? {
                eprintln!(
                    "{}: {} fetched, {} unchanged, {} indexed, {} error(s)",
                    r.source,
                    r.fetched,
                    r.unchanged,
                    r.indexed,
                    r.errors.len()
                );
            }
            continue;
        }
        let wait = next.map_or(Duration::from_secs(60), |n| {
            Duration::from_secs_f64((n - now).as_seconds_f64().clamp(1.0, 3600.0))
        });
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = tokio::signal::ctrl_c() => {
                eprintln!("langnghe: stopped");
                return Ok(());
            }
        }
    }
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(2)
        .build()?;
    if !args.once {
        runtime.block_on(crawl_forever(args))?;
        return Ok(ExitCode::SUCCESS);
    }
    let reports = runtime.block_on(crawl(args))?;
    let failed = reports
        .iter()
        .any(|r| r.fetched == 0 && r.unchanged == 0 && !r.errors.is_empty());
    if args.json {
        println!("{}", serde_json::to_string(&reports)?);
    } else {
        for r in &reports {
            eprintln!(
                "{}: {} discovered, {} fetched, {} unchanged, {} indexed, {} error(s)",
                r.source,
                r.discovered,
                r.fetched,
                r.unchanged,
                r.indexed,
                r.errors.len()
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Crawls once; returns a report per source.
pub async fn crawl(args: &Args) -> anyhow::Result<Vec<SourceReport>> {
    let config = args.data.sources(args.sources.as_deref())?;
    // Before anything is fetched: a bad topic pack, gazetteer or alerts file stops the crawl.
    let classifier = args.data.classifier()?;
    let alerts_config = args.data.alerts_config()?;
    let sources: Vec<SourceConfig> = config
        .sources
        .iter()
        .filter(|s| s.enabled && (args.only.is_empty() || args.only.contains(&s.id)))
        .cloned()
        .collect();
    std::fs::create_dir_all(&args.data.data)?;
    let fetcher = Arc::new(Fetcher::new(FetchSettings {
        user_agent: config.defaults.user_agent.clone(),
        concurrency: config.defaults.concurrency as usize,
        ..FetchSettings::default()
    })?);
    let state_path = args.data.data.join("state.sqlite");
    let mut state = SqliteState::open(&state_path)?;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Message>(64);
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut reports: Vec<SourceReport> = Vec::new();
    let mut tasks = Vec::new();
    let mut runs: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for source in sources {
        runs.insert(source.id.clone(), state.start_run(&source.id)?);
        let delay = Duration::from_secs_f64(
            source
                .delay_seconds
                .unwrap_or(config.defaults.delay_seconds)
                .max(1.0),
        );
        let (fetcher, tx) = (fetcher.clone(), tx.clone());
        let mut report = SourceReport {
            source: source.id.clone(),
            ..SourceReport::default()
        };
        let max = args.max_articles;
        let state_path = state_path.clone();
        tasks.push(tokio::spawn(async move {
            let mut errors = Vec::new();
            if source.kind == SourceKind::Json {
                crawl_api(&fetcher, &source, delay, &tx, &mut report, &mut errors).await;
                report.errors = errors;
                return report;
            }
            if source.kind == SourceKind::Forum {
                crawl_forum(&fetcher, &source, delay, &tx, &mut report, &mut errors).await;
                report.errors = errors;
                return report;
            }
            let urls = discover(&fetcher, &source, delay, &mut errors, max).await;
            report.discovered = urls.len();
            // Each task reads the state through its own connection (SQLite WAL allows it).
            let reader = SqliteState::open(&state_path).ok();
            for (url, canonical) in urls {
                let validators = reader
                    .as_ref()
                    .and_then(|s| s.url(&canonical).ok().flatten())
                    .filter(|r| r.doc_id.is_some())
                    .map(|r| Validators {
                        etag: r.etag,
                        last_modified: r.last_modified,
                    });
                let message = match fetcher.fetch(&url, delay, validators.as_ref()).await {
                    Ok(Outcome::Fetched(page)) => Message::Page {
                        source: source.id.clone(),
                        page,
                    },
                    Ok(Outcome::NotModified) => Message::Unchanged {
                        source: source.id.clone(),
                        url: canonical,
                    },
                    Err(e) => Message::Failed {
                        source: source.id.clone(),
                        url: canonical,
                        error: e.to_string(),
                    },
                };
                if tx.send(message).await.is_err() {
                    break;
                }
            }
            report.errors = errors;
            report
        }));
    }
    drop(tx);
    // The one writer: archive, extract, stories, index, state.
    let archive_dir = args.data.data.join("archive");
    let mut warc = WarcWriter::open(&archive_dir)?;
    let index = args.data.open_archive()?;
    let mut writer = Committer {
        index: &index,
        writer: index
            .writer_with_threads(args.data.threads())?
            .batch_size(usize::MAX),
        pending: Vec::new(),
        members: Vec::new(),
        buffers: classifier.scratch(),
        classifier: &classifier,
        alerts: Vec::new(),
        alerts_config: &alerts_config,
        worker: crate::alerts::Worker::start(
            &state_path,
            alerts_config.clone(),
            crate::alerts::topic_names(&classifier),
        )?,
    };
    // Copies found now join the stories of the last weeks' crawls.
    let mut stories = Stories::new();
    let since = OffsetDateTime::now_utc() - time::Duration::days(STORY_WINDOW_DAYS);
    for m in state.story_members(since)? {
        let sig = m.signature.as_deref().and_then(|s| s.try_into().ok());
        stories.add_signed(&m.doc_id, m.published, m.text_hash, sig);
    }
    // Warming up only replays what was already filed.
    stories.take_moved();
    let mut per_source: std::collections::HashMap<String, SourceReport> =
        std::collections::HashMap::new();
    while let Some(message) = rx.recv().await {
        match message {
            Message::Page { source, page } => {
                let entry = per_source.entry(source.clone()).or_default();
                entry.fetched += 1;
                progress.set_message(format!("{source}: {}", page.final_url));
                progress.tick();
                warc.write_response(&page)?;
                let decoded = decode_page(&page.body, page.content_type.as_deref());
                let article = extract(&decoded.text, Some(&page.final_url), page.fetched_at);
                let canonical = canonical_url(&page.url).unwrap_or_else(|| page.url.clone());
                let id = doc_id(&source, &canonical);
                if article.text.trim().is_empty() {
                    entry
                        .errors
                        .push(format!("{}: no article text found", page.final_url));
                    state.record_url(&UrlRecord {
                        url: canonical,
                        source,
                        error: Some("no article text".into()),
                        ..UrlRecord::default()
                    })?;
                    continue;
                }
                // The analyse stage: every stored text is prepared the same way (NFC, no
                // invisible characters, legacy mojibake repaired), as on import.
                let text = langnghe_vi::prepare(&article.text).0;
                let mut doc = Document::new(
                    id.clone(),
                    canonical.clone(),
                    source.clone(),
                    langnghe_vi::prepare(&article.title).0,
                    text.clone(),
                );
                doc.published = article.published;
                let member = join_story(&mut stories, &mut doc);
                doc.fetched = Some(page.fetched_at);
                doc.lang = article.lang.clone();
                writer.add(
                    doc,
                    UrlRecord {
                        url: canonical,
                        source,
                        fetched: Some(page.fetched_at),
                        etag: page.validators.etag.clone(),
                        last_modified: page.validators.last_modified.clone(),
                        content_hash: Some(member.text_hash as i64),
                        doc_id: Some(id),
                        error: None,
                        ..UrlRecord::default()
                    },
                    member,
                    &mut state,
                )?;
                writer.restory(stories.take_moved(), &mut state)?;
                entry.indexed += 1;
            }
            Message::Api {
                source,
                page,
                items,
            } => {
                let entry = per_source.entry(source.clone()).or_default();
                entry.fetched += 1;
                warc.write_response(&page)?;
                for item in items {
                    let id = format!(
                        "{source}-{}",
                        item.id
                            .chars()
                            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect::<String>()
                    );
                    let url = item
                        .url
                        .clone()
                        .unwrap_or_else(|| format!("{}#{}", page.final_url, item.id));
                    let text = langnghe_vi::prepare(&item.text).0;
                    let title = match &item.title {
                        Some(t) => langnghe_vi::prepare(t).0,
                        None => text
                            .split_whitespace()
                            .take(12)
                            .collect::<Vec<_>>()
                            .join(" "),
                    };
                    let mut doc =
                        Document::new(id.clone(), url.clone(), source.clone(), title, text.clone());
                    doc.published = item.published;
                    let member = join_story(&mut stories, &mut doc);
                    doc.fetched = Some(page.fetched_at);
                    doc.lang = Some(langnghe_vi::language_code(&[&text]));
                    writer.add(
                        doc,
                        UrlRecord {
                            url: canonical_url(&url).unwrap_or(url),
                            source: source.clone(),
                            fetched: Some(page.fetched_at),
                            content_hash: Some(member.text_hash as i64),
                            doc_id: Some(id),
                            ..UrlRecord::default()
                        },
                        member,
                        &mut state,
                    )?;
                    writer.restory(stories.take_moved(), &mut state)?;
                    entry.indexed += 1;
                }
            }
            Message::Unchanged { source, url } => {
                per_source.entry(source.clone()).or_default().unchanged += 1;
                state.record_url(&UrlRecord {
                    url,
                    source,
                    fetched: Some(OffsetDateTime::now_utc()),
                    ..UrlRecord::default()
                })?;
            }
            Message::Failed { source, url, error } => {
                progress.suspend(|| eprintln!("langnghe: {error}"));
                per_source
                    .entry(source.clone())
                    .or_default()
                    .errors
                    .push(error.clone());
                state.record_url(&UrlRecord {
                    url,
                    source,
                    error: Some(error),
                    ..UrlRecord::default()
                })?;
            }
        }
    }
    writer.finish(&mut state)?;
    progress.finish_and_clear();
    for task in tasks {
        let discovered = task.await?;
        let mut r = per_source.remove(&discovered.source).unwrap_or_default();
        r.source = discovered.source.clone();
        r.discovered = discovered.discovered;
        let mut errors = discovered.errors;
        errors.append(&mut r.errors);
        r.errors = errors;
        let run = match runs.get(&r.source) {
            Some(run) => *run,
            None => state.start_run(&r.source)?,
        };
        let error = (r.fetched == 0 && r.unchanged == 0)
            .then(|| r.errors.first().cloned())
            .flatten();
        state.finish_run(run, r.indexed as u64, error.as_deref())?;
        reports.push(r);
    }
    reports.sort_by(|a, b| a.source.cmp(&b.source));
    Ok(reports)
}

/// Documents indexed per commit during a crawl.
const COMMIT_EVERY: usize = 100;

/// Days of crawled documents whose stories later copies may join.
const STORY_WINDOW_DAYS: i64 = 30;

/// Files `doc` (its id, body and publication time set) under its story; returns the record
/// that lets later crawls' copies join that story.
fn join_story(stories: &mut Stories, doc: &mut Document) -> StoryMember {
    let member = StoryMember {
        doc_id: doc.id.clone(),
        published: doc.published,
        added: None,
        text_hash: content_hash(&doc.body),
        signature: signature(&doc.body).map(|s| s.to_vec()),
    };
    doc.story = Some(stories.add_signed(
        &doc.id,
        member.published,
        member.text_hash,
        member.signature.as_deref().and_then(|s| s.try_into().ok()),
    ));
    member
}

/// The index writer with the state records of the documents it holds: a URL is recorded as
/// fetched (with the validators that make the next fetch conditional) only once its document
/// is committed. Recorded first, a `kill -9` before the commit left the URL "unchanged" for
/// every later crawl and its document never indexed.
struct Committer<'a> {
    index: &'a langnghe_index::Archive,
    writer: langnghe_index::Writer<'a>,
    pending: Vec<UrlRecord>,
    members: Vec<StoryMember>,
    /// Topics and provinces are decided as each document is indexed.
    classifier: &'a langnghe_rules::Classifier,
    buffers: langnghe_rules::Buffers,
    /// The alerts of the documents since the last commit, recorded with it.
    alerts: Vec<langnghe_store::NewAlert>,
    alerts_config: &'a langnghe_alert::AlertsConfig,
    /// Sends them, off the crawl loop.
    worker: crate::alerts::Worker,
}

impl Committer<'_> {
    fn add(
        &mut self,
        mut doc: Document,
        record: UrlRecord,
        member: StoryMember,
        state: &mut SqliteState,
    ) -> anyhow::Result<()> {
        self.classifier.tag(&mut doc, &mut self.buffers);
        self.writer.add(&doc)?;
        self.alerts
            .extend(crate::alerts::raised(&doc, self.alerts_config));
        self.pending.push(record);
        self.members.push(member);
        if self.pending.len() >= COMMIT_EVERY {
            self.commit(state)?;
        }
        Ok(())
    }

    /// Files documents under their story's new original (see `Stories::take_moved`).
    fn restory(
        &mut self,
        moved: Vec<(String, String)>,
        state: &mut SqliteState,
    ) -> anyhow::Result<()> {
        for (id, story) in moved {
            let mut doc = self.index.document(&id)?;
            if doc.is_none() {
                // Added in this run and not committed yet: commit, then it can be read back.
                self.commit(state)?;
                doc = self.index.document(&id)?;
            }
            if let Some(mut doc) = doc {
                doc.story = Some(story);
                self.writer.add(&doc)?;
            }
        }
        Ok(())
    }

    fn commit(&mut self, state: &mut SqliteState) -> anyhow::Result<()> {
        self.writer.commit()?;
        state.record_urls(&self.pending)?;
        state.record_story_members(&self.members)?;
        self.pending.clear();
        self.members.clear();
        if !self.alerts.is_empty() {
            state.record_alerts(&self.alerts, OffsetDateTime::now_utc())?;
            self.alerts.clear();
            self.worker.nudge();
        }
        Ok(())
    }

    fn finish(mut self, state: &mut SqliteState) -> anyhow::Result<()> {
        self.commit(state)?;
        self.writer.finish()?;
        // With this run's documents searchable: is a topic's last hour or day unusual?
        match crate::alerts::check_spikes(
            self.index,
            self.classifier,
            self.alerts_config,
            state,
            OffsetDateTime::now_utc(),
        ) {
            Ok(spikes) if !spikes.is_empty() => self.worker.nudge(),
            Ok(_) => {}
            Err(e) => eprintln!("spikes: {e:#}"),
        }
        self.worker.finish();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn sources_fall_due_on_their_own_schedules() {
        let schedules = vec![
            ("laodong".to_string(), 15),
            ("vnexpress".to_string(), 30),
            ("new".to_string(), 30),
        ];
        let now = datetime!(2026-11-26 10:00 UTC);
        let last: std::collections::HashMap<String, OffsetDateTime> = [
            ("laodong".to_string(), datetime!(2026-11-26 09:40 UTC)),
            ("vnexpress".to_string(), datetime!(2026-11-26 09:50 UTC)),
        ]
        .into_iter()
        .collect();
        let (ids, next) = due(&schedules, &last, now);
        assert_eq!(ids, ["laodong", "new"]);
        assert_eq!(next, Some(datetime!(2026-11-26 10:20 UTC)));
        let (ids, next) = due(&schedules[1..2], &last, datetime!(2026-11-26 10:20 UTC));
        assert_eq!((ids.len(), next), (1, None));
    }
}
