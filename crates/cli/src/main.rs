//! `langnghe`: public-opinion monitoring for Vietnamese news and social media.
//!
//! The binary wires the stage crates together; each subcommand lives in its own module.

mod alerts;
mod archive;
mod check;
mod crawl;
mod extract;
mod import;
mod labels;
mod rules;
mod sample;
mod search;
mod sources;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Listen to what Vietnamese news and social media say about work and unions.
#[derive(Parser)]
#[command(name = "langnghe", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by every command that reads or writes the data folder.
#[derive(clap::Args, Clone, Debug)]
struct DataArgs {
    /// Data folder (index, state, archive, reports).
    #[arg(long, value_name = "DIR", default_value = "data", global = true)]
    data: PathBuf,
    /// Configuration folder; files missing there fall back to the built-in defaults.
    #[arg(long, value_name = "DIR", default_value = "config", global = true)]
    config: PathBuf,
    /// Threads for reading, parsing and classifying documents (import, classify, rules
    /// measure, rules apply) and for writing the index (at most 4); default one per core.
    #[arg(long, value_name = "N", global = true, env = "LANGNGHE_THREADS")]
    threads: Option<std::num::NonZeroUsize>,
}

/// The built-in domain lexicon (config/lexicon.txt of the source tree).
const DEFAULT_LEXICON: &str = include_str!("../../../config/lexicon.txt");

/// Every problem of a configuration file as one error, one problem per line.
fn config_error(problems: &[langnghe_crawl::ConfigProblem]) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    )
}

impl DataArgs {
    /// `--threads`, or one per core.
    fn threads(&self) -> usize {
        self.threads
            .map_or_else(langnghe_pipeline::cores, std::num::NonZeroUsize::get)
    }

    /// The JSON API presets from `--config` (or the built-in ones).
    fn api_presets(&self) -> anyhow::Result<langnghe_crawl::ApiPresets> {
        let path = self.config.join("api-presets.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => langnghe_crawl::ApiPresets::parse(&text, &path.display().to_string())
                .map_err(|p| config_error(&p)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(langnghe_crawl::ApiPresets::builtin())
            }
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        }
    }

    /// The sources of `path` (default `--config`/sources.toml), checked with the API presets.
    fn sources(&self, path: Option<&Path>) -> anyhow::Result<langnghe_crawl::SourcesConfig> {
        let path = path.map_or_else(|| self.config.join("sources.toml"), Path::to_path_buf);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        langnghe_crawl::SourcesConfig::parse_with(
            &text,
            &path.display().to_string(),
            &self.api_presets()?,
        )
        .map_err(|p| config_error(&p))
    }

    /// The topic pack files of `--config`/topics (`*.toml`, by name) as (path, text); `None`
    /// if there is no such folder (the built-in labour pack applies).
    fn topic_files(&self) -> anyhow::Result<Option<Vec<(String, String)>>> {
        let dir = self.config.join("topics");
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => anyhow::bail!("cannot read {}: {e}", dir.display()),
        };
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", dir.display()))?
                .path();
            if path.extension().is_some_and(|x| x == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut files = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
            files.push((path.display().to_string(), text));
        }
        Ok(Some(files))
    }

    /// The topic packs and gazetteer of `--config` (the built-in ones where absent), compiled.
    fn classifier(&self) -> anyhow::Result<langnghe_rules::Classifier> {
        let packs = match self.topic_files()? {
            Some(files) => langnghe_rules::TopicPacks::parse(&files),
            None => langnghe_rules::TopicPacks::parse(&[(
                "labour.toml (built in)".into(),
                langnghe_rules::LABOUR_PACK.into(),
            )]),
        }
        .map_err(|p| config_error(&p))?;
        let path = self.config.join("provinces.toml");
        let gazetteer = match std::fs::read_to_string(&path) {
            Ok(text) => langnghe_rules::Gazetteer::parse(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => langnghe_rules::Gazetteer::parse(
                langnghe_rules::PROVINCES,
                "provinces.toml (built in)",
            ),
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        }
        .map_err(|p| config_error(&p))?;
        Ok(langnghe_rules::Classifier::new(packs, gazetteer))
    }

    fn index_dir(&self) -> PathBuf {
        self.data.join("index")
    }

    /// Opens the index with the lexicon from `--config` (or the built-in one).
    fn open_archive(&self) -> anyhow::Result<langnghe_index::Archive> {
        let path = self.config.join("lexicon.txt");
        let lexicon = match std::fs::read_to_string(&path) {
            Ok(text) => langnghe_index::Lexicon::parse(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                langnghe_index::Lexicon::parse(DEFAULT_LEXICON)
            }
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        Ok(langnghe_index::Archive::open(&self.index_dir())?.with_lexicon(lexicon))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Import articles from JSON Lines files (plain or .gz) into the search index.
    #[command(after_help = "\
Each line is one JSON object with the fields id, url, source, title, body, published
(YYYY-MM-DD, RFC 3339, RFC 2822 or as Vietnamese sites write it, day first: 26/11/2026; null
when unknown); other fields are ignored. Where one of these is missing or empty, the names
feeds and scrapers use are read instead: url for id, link for url, headline for title,
content or text for body, pubDate, published_at or date for published; a lead given apart
(sapo, lead, summary or description) opens the body, or is the body when there is none; text
that is still HTML (tags, `&ocirc;`, `&#7879;`) is read as its text. So RSS items and scraped
articles saved as JSON import as they are, and a file that holds one JSON array of such
objects is read too (messages then give the element's number).

Importing a document whose id is already in the index replaces it, so importing the same file
twice leaves one copy. A bad line is reported as FILE:LINE and skipped; the rest is imported.
A date that cannot be read is reported too, and the document kept undated (never dated to the
import). Text in legacy encodings (TCVN3, VNI, Windows-1258) is repaired; each document gets
its language, its topics and provinces (as `classify` gives them), and the alerts its topics
raise are recorded and sent by the routes of --config/alerts.toml once the documents are
committed.

Examples:
  langnghe import ../shared/data/vi-news/*.jsonl.gz
  langnghe import --data /srv/langnghe crawl-2026-11-26.jsonl
  langnghe import --json articles.jsonl | jq .imported
  langnghe import ../shared/data/vi-rss/*.jsonl.gz     # RSS items: url, title, summary
  langnghe import --threads 1 big-archive.jsonl.gz     # leave the other cores to the server")]
    Import(import::Args),
    /// Search the index with the langnghe query language.
    #[command(after_help = "\
Query language: words (adjacent words form a phrase; if no document has the phrase, the
results are for all its words), \"phrases\", AND, OR, NOT, -word,
(groups), NEAR/5(a, b), prefix công*, title:, source:, site:, lang:,
published:[2026-11-01 TO 2026-11-30]. A word typed with diacritics matches exactly those
diacritics; a word typed without matches every accented form, likely readings first.

Examples:
  langnghe search \"cong doan\"
  langnghe search 'title:(đình công OR ngừng việc) AND published:[2026-11-01 TO *]'
  langnghe search --json --limit 50 'NEAR/5(no luong, cong nhan) -site:24h.com.vn'")]
    Search(search::Args),
    /// Extract article text, title, dates, author, canonical URL and language from saved pages.
    #[command(after_help = "\
No network: the files are pages saved from news sites. Dates in Vietnamese date lines are read
day-first in Vietnam time; relative dates (\"2 giờ trước\") are resolved against now. A page
with no date is reported as undated. Pages in TCVN3, VNI or windows-1258 are decoded.

Examples:
  langnghe extract page.html
  langnghe extract --json --url https://laodong.vn/a.html page.html
  langnghe extract --json saved/*.html | jq -r .published")]
    Extract(extract::Args),
    /// The archive of fetched pages (WARC files under DATA/archive).
    #[command(after_help = "\
Examples:
  langnghe archive show https://laodong.vn/cong-doan/a-123.ldo
  langnghe archive show --body https://laodong.vn/a.ldo > page.html && langnghe extract page.html")]
    Archive(archive::Args),
    /// Crawl the configured sources into the archive and the index.
    #[command(after_help = "\
Politeness: one request at a time per host, at least the source's delay_seconds between two
(robots.txt's Crawl-delay when longer), robots.txt obeyed, an identifying User-Agent, and
conditional GET on every refetch. Failing URLs are reported and the crawl goes on.

Examples:
  langnghe crawl --once
  langnghe crawl --once --source laodong --source nld --json
  langnghe crawl            # keep going, each source on its schedule_minutes; Ctrl-C stops")]
    Crawl(crawl::Args),
    /// Status of each crawled source: last run, last success, last error, items per day.
    #[command(after_help = "\
Examples:
  langnghe sources
  langnghe sources --json | jq '.[] | select(.last_error != null)'")]
    Sources(sources::Args),
    /// Check the configuration folder and report every problem with its file and key.
    #[command(after_help = "\
Checks config/sources.toml (sources, kinds, URLs, selectors, JSON pointers, politeness settings)
and config/lexicon.txt. Exits 1 if anything is wrong.

Examples:
  langnghe check-config
  langnghe check-config --config /etc/langnghe --json")]
    CheckConfig(check::Args),
    /// The main job end to end: serve a local news site, crawl it, extract, index, search.
    #[command(after_help = "\
The site runs on 127.0.0.1 for the length of the command; its twelve labour-news articles are
written by the langnghe project. No server to install, no download, no network beyond loopback.

Example:
  langnghe demo --data /tmp/langnghe-demo")]
    Demo(sample::Args),
    /// Topics and provinces of documents in JSON Lines files, without an index.
    #[command(after_help = "\
Reads the same JSON Lines as `import` and classifies each document with the topic packs of
--config/topics (the built-in labour pack if absent) and the gazetteer --config/provinces.toml.
A long article counts for a topic only when the whole rule holds in its title and lead, or its
title names part of the rule and the rule holds in as many passages after the lead as the
topic's `mentions` asks (3 in the labour pack).
Text typed without diacritics is read as such.

Examples:
  langnghe classify articles.jsonl
  langnghe classify --json ../shared/data/vi-news/24h_2026.jsonl.gz | jq -c 'select(.topics != [])'
  langnghe classify --config ./my-config --json posts.jsonl")]
    Classify(rules::ClassifyArgs),
    /// The topic rules: list, test their examples, explain a decision, re-tag the archive.
    #[command(after_help = "\
Every hit records its rule's version (a hash of the rule's text); after editing a rule,
`rules apply TOPIC` re-tags the indexed documents it may concern.

Examples:
  langnghe rules list
  langnghe rules test
  langnghe rules explain dinh-cong baomoi-21563466
  langnghe rules apply dinh-cong
  langnghe rules apply --json
  langnghe rules measure --labels bench/labels/labour-test.tsv rss.jsonl news.jsonl.gz
  langnghe classify --json news.jsonl > labels.jsonl   # correct the topics by hand, then:
  langnghe rules measure --labels labels.jsonl news.jsonl")]
    Rules(rules::RulesArgs),
    /// The alert inbox: list alerts, acknowledge them, send what is due.
    #[command(after_help = "\
Documents that import or crawl tag with a topic raise alerts on the routes of
--config/alerts.toml (without it: severity alert and above, kept in the inbox only). Each
alert is recorded in DATA/state.sqlite, then sent on the route's channels: at once (one
message per topic and cooldown; alerts raised within the cooldown go together in the next
one), in the daily digest and in the weekly digest.

Examples:
  langnghe alerts
  langnghe alerts --all --json | jq '.[] | select(.topic == \"dinh-cong\")'
  langnghe alerts ack 12 13 --by nguyen.van.a
  langnghe alerts dispatch        # from cron: cooldowns that ended, digests that are due")]
    Alerts(alerts::Args),
}

/// The exit status of a command whose reader went away (`langnghe search … | head`): what a
/// shell reports for a tool ended by SIGPIPE.
const READER_GONE: u8 = 141;

/// Whether `message` is the standard library's complaint that stdout was closed under it.
fn is_broken_stdout(message: &str) -> bool {
    message.starts_with("failed printing to stdout") && message.contains("Broken pipe")
}

/// Output piped into a reader that stops early ends the command quietly, as Unix tools do,
/// instead of a panic and a backtrace.
fn quiet_when_the_reader_goes() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if is_broken_stdout(message) {
            std::process::exit(i32::from(READER_GONE));
        }
        default(info);
    }));
}

/// Whether `e` is a write to stdout that failed because its reader went away.
fn reader_gone(e: &anyhow::Error) -> bool {
    let broken = Some(std::io::ErrorKind::BrokenPipe);
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>().map(std::io::Error::kind) == broken
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == broken
    })
}

fn main() -> ExitCode {
    quiet_when_the_reader_goes();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => import::run(&args),
        Command::Search(args) => search::run(&args),
        Command::Demo(args) => sample::run(&args),
        Command::Extract(args) => extract::run(&args),
        Command::CheckConfig(args) => check::run(&args),
        Command::Crawl(args) => crawl::run(&args),
        Command::Sources(args) => sources::run(&args),
        Command::Archive(args) => archive::run(&args),
        Command::Classify(args) => rules::classify(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Alerts(args) => alerts::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) if reader_gone(&e) => ExitCode::from(READER_GONE),
        Err(e) => {
            eprintln!("langnghe: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_parses_and_every_line_is_a_phrase() {
        let lexicon = langnghe_index::Lexicon::parse(DEFAULT_LEXICON);
        let lines = DEFAULT_LEXICON
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .count();
        assert_eq!(
            lexicon.len(),
            lines,
            "a line is empty after analysis or repeats another"
        );
        assert!(lexicon.len() >= 80);
    }

    #[test]
    fn the_shipped_sources_parse_and_validate() {
        let text = include_str!("../../../config/sources.toml");
        let config = langnghe_crawl::SourcesConfig::parse(text, "config/sources.toml")
            .unwrap_or_else(|p| {
                panic!(
                    "{}",
                    p.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            });
        let ids: Vec<&str> = config.sources.iter().map(|s| s.id.as_str()).collect();
        for id in [
            "vnexpress",
            "tuoitre",
            "thanhnien",
            "dantri",
            "vietnamnet",
            "laodong",
            "nld",
            "congdoan-vn",
        ] {
            assert!(ids.contains(&id), "{id}");
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
