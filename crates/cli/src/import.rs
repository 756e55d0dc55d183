//! `langnghe import`: JSON Lines → repaired, cleaned documents → the index.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use langnghe_index::Archive;
use langnghe_model::{Document, site_of};

use crate::DataArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArgs,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    json: bool,
    /// Commit (make durable and searchable) every N documents; a crash loses at most the
    /// documents since the last commit, and re-running the import puts them back.
    #[arg(long, value_name = "N", default_value_t = langnghe_index::DEFAULT_BATCH)]
    commit_every: usize,
    /// JSON Lines files, plain or gzip-compressed (.gz).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// One input line; only these fields are read. Besides the project's own names, the names feeds
/// and other tools give the same things are read where the project's name is missing (RSS items
/// as JSON: `link`, `summary` or `description`, `pubDate`; scraped articles: `content`, `text`,
/// `sapo`, `lead`, `headline`, `date`), so that a line is taken as it comes; see `import --help`.
#[derive(Deserialize)]
struct Line {
    id: Option<serde_json::Value>,
    url: Option<String>,
    link: Option<String>,
    source: Option<String>,
    title: Option<String>,
    headline: Option<String>,
    body: Option<String>,
    content: Option<String>,
    text: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    sapo: Option<String>,
    lead: Option<String>,
    published: Option<String>,
    #[serde(rename = "pubDate")]
    pub_date: Option<String>,
    published_at: Option<String>,
    date: Option<String>,
}

/// The text of a document given apart from its lead (`sapo`, `lead`, `summary` or `description`,
/// as scrapers and feeds give it): the lead first, as the article reads, unless the text already
/// opens with it.
fn body_of(main: Option<String>, lead: Option<String>) -> Option<String> {
    match (main, lead) {
        (Some(main), Some(lead)) => {
            let opening: String = main
                .trim_start()
                .chars()
                .take(lead.chars().count() + 40)
                .collect();
            if opening.contains(lead.trim()) {
                Some(main)
            } else {
                Some(format!("{}\n{main}", lead.trim_end()))
            }
        }
        (main, lead) => main.or(lead),
    }
}

/// The first of `fields` that holds something besides white space.
fn first(fields: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    fields.into_iter().flatten().find(|s| !s.trim().is_empty())
}

#[derive(Serialize, Default)]
struct Summary {
    files: usize,
    lines: u64,
    imported: u64,
    skipped: u64,
    repaired_encoding: u64,
    /// Documents whose date could not be read, imported undated.
    undated: u64,
    bytes: u64,
    seconds: f64,
    documents_in_index: u64,
    alerts: u64,
}

/// Counts bytes read from the underlying file, for the progress bar.
struct Counting<R> {
    inner: R,
    bar: ProgressBar,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

pub(crate) fn open(path: &Path, bar: &ProgressBar) -> anyhow::Result<Box<dyn BufRead>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut raw = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: file,
            bar: bar.clone(),
        },
    );
    // gzip by its magic bytes, whatever the file is called.
    let head = raw
        .fill_buf()
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(raw),
        ))
    } else {
        Box::new(raw)
    })
}

/// A document's date as the extractor reads dated text ([`langnghe_extract::parse_absolute_date`]):
/// `YYYY-MM-DD` (midnight, Vietnam time), RFC 3339, RFC 2822 (feeds' pubDate), and as Vietnamese
/// sites write it ("26/11/2026", "Thứ năm, 26/11/2026 08:30", "ngày 26 tháng 11 năm 2026").
fn parse_published(s: &str) -> Result<OffsetDateTime, String> {
    langnghe_extract::parse_absolute_date(s).ok_or_else(|| {
        format!("`published` is not a date (YYYY-MM-DD, RFC 3339, RFC 2822 or DD/MM/YYYY): {s:?}")
    })
}

/// What turning a line into a document met besides the document.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Its text was in a legacy encoding and was repaired.
    pub repaired: bool,
    /// Its date could not be read (why): the document is kept undated, never dated to the time
    /// of reading.
    pub undated: Option<String>,
}

/// Turns one input line into a document; the error says what is wrong with it.
pub(crate) fn to_document(
    line: &[u8],
    now: OffsetDateTime,
    notes: &mut Notes,
) -> Result<Document, String> {
    // The whole line is validated once, with SIMD (serde_json would check each string with the
    // standard library's validator, a tenth of the time of reading a news line), then parsed
    // as text.
    let line = simdutf8::compat::from_utf8(line)
        .map_err(|bad| format!("invalid UTF-8 at byte {}", bad.valid_up_to() + 1))?;
    let raw: Line = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let url = first([raw.url, raw.link]);
    // Without an id, the address is one (feeds identify items by their link).
    let id = match raw.id {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::String(_) | serde_json::Value::Null) | None => match &url {
            Some(url) => url.clone(),
            None => return Err("missing `id` (a non-empty string or number) and `url`".into()),
        },
        Some(_) => return Err("`id` must be a non-empty string or a number".into()),
    };
    let mut text = |s: Option<String>| -> String {
        // Text scraped or taken from a feed may still be HTML (tags, `&ocirc;`, `&#7879;`).
        let s = s.unwrap_or_default();
        let (text, legacy) = langnghe_vi::prepare(&langnghe_extract::html_text(&s));
        notes.repaired |= legacy.is_some();
        text
    };
    let title = text(first([raw.title, raw.headline]));
    let body = text(body_of(
        first([raw.body, raw.content, raw.text]),
        first([raw.sapo, raw.lead, raw.summary, raw.description]),
    ));
    if title.is_empty() && body.is_empty() {
        return Err("both `title` and `body` are empty".into());
    }
    let url = url.unwrap_or_default();
    let source = raw
        .source
        .filter(|s| !s.trim().is_empty())
        .or_else(|| site_of(&url).map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let published = match first([raw.published, raw.pub_date, raw.published_at, raw.date])
        .as_deref()
        .map(parse_published)
    {
        Some(Ok(date)) => Some(date),
        Some(Err(why)) => {
            notes.undated = Some(why);
            None
        }
        None => None,
    };
    let mut doc = Document::new(id, url, source, title, body);
    doc.published = published;
    doc.fetched = Some(now);
    doc.lang = Some(langnghe_vi::language_code(&[&doc.title, &doc.body]));
    Ok(doc)
}

/// What reading JSON Lines files met.
#[derive(Default)]
pub(crate) struct Reading {
    /// Non-empty lines.
    pub lines: u64,
    /// Bytes read (uncompressed).
    pub bytes: u64,
    /// Bad lines skipped.
    pub skipped: u64,
    /// Documents repaired from legacy encodings.
    pub repaired: u64,
    /// Documents kept undated because their date could not be read.
    pub undated: u64,
}

/// A progress bar over the bytes of `files`.
pub(crate) fn byte_bar(files: &[PathBuf]) -> ProgressBar {
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map(|m| m.len()).unwrap_or(0))
        .sum();
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

/// One raw line on its way to the workers, or where a file could not be read further.
struct RawLine {
    file: usize,
    line_no: usize,
    read: Result<Vec<u8>, String>,
}

/// What a worker made of a line.
enum Parsed {
    /// A document, with (file, line) and what reading it met.
    Document(Box<Document>, (usize, usize), Notes),
    Bad(usize, usize, String),
}

/// Hands every document of `files` (JSON Lines, plain or gzip) to `f`, in order. A bad line
/// (invalid JSON or UTF-8, no id, no text) is reported on stderr as FILE:LINE and skipped; a
/// document whose date cannot be read is reported so and kept undated; a file that cannot be
/// read further (a broken gzip stream) ends there, and the next file is read.
///
/// One thread reads the files; `threads` workers parse, repair and clean each line into
/// a document and run `work` on it (with the worker's own state from `init`); `f` gets each
/// document, on this thread, in the order of the files. Returns what the reading met.
fn each_document<S>(
    threads: usize,
    files: &[PathBuf],
    bar: &ProgressBar,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &mut Document) + Sync,
    mut f: impl FnMut(Document) -> anyhow::Result<()>,
) -> anyhow::Result<Reading> {
    let now = OffsetDateTime::now_utc();
    let mut reading = Reading::default();
    let (lines, bytes) = langnghe_pipeline::ordered(
        threads,
        |feed| read_lines(files, bar, feed),
        init,
        |state, raw: RawLine| {
            let mut notes = Notes::default();
            let line = match &raw.read {
                Ok(bytes) => bytes.trim_ascii(),
                Err(e) => return Parsed::Bad(raw.file, raw.line_no, e.clone()),
            };
            match to_document(line, now, &mut notes) {
                Ok(mut doc) => {
                    work(state, &mut doc);
                    Parsed::Document(Box::new(doc), (raw.file, raw.line_no), notes)
                }
                Err(msg) => Parsed::Bad(raw.file, raw.line_no, format!("{msg}; line skipped")),
            }
        },
        |parsed| {
            match parsed {
                Parsed::Document(doc, (file, line_no), notes) => {
                    reading.repaired += u64::from(notes.repaired);
                    if let Some(why) = notes.undated {
                        bar.suspend(|| {
                            eprintln!("{}:{line_no}: {why}; kept undated", files[file].display());
                        });
                        reading.undated += 1;
                    }
                    f(*doc)?;
                }
                Parsed::Bad(file, line_no, msg) => {
                    bar.suspend(|| eprintln!("{}:{line_no}: {msg}", files[file].display()));
                    reading.skipped += 1;
                }
            }
            Ok::<(), anyhow::Error>(())
        },
    )??;
    reading.lines = lines;
    reading.bytes = bytes;
    Ok(reading)
}

/// [`each_document`] with every document that `wanted` keeps classified (topics, provinces,
/// evidence) by `classifier` on the workers, on `data`'s threads.
pub(crate) fn each_classified(
    data: &DataArgs,
    files: &[PathBuf],
    bar: &ProgressBar,
    classifier: &langnghe_rules::Classifier,
    wanted: impl Fn(&Document) -> bool + Sync,
    f: impl FnMut(Document) -> anyhow::Result<()>,
) -> anyhow::Result<Reading> {
    each_document(
        data.threads(),
        files,
        bar,
        || classifier.scratch(),
        |buffers, doc| {
            if wanted(doc) {
                classifier.tag(doc, buffers);
            }
        },
        f,
    )
}

/// Whether the text `reader` is about to give is one JSON array (its first byte other than white
/// space is `[`) rather than JSON Lines; a UTF-8 byte-order mark is skipped either way.
fn json_array(reader: &mut dyn BufRead) -> std::io::Result<bool> {
    let head = reader.fill_buf()?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        reader.consume(3);
    }
    let head = reader.fill_buf()?;
    Ok(head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'['))
}

/// The elements of the JSON array `reader` holds, each as the text of one line (or why the file
/// could not be read as one), and the bytes read.
fn read_array(reader: &mut dyn BufRead) -> (Vec<Result<Vec<u8>, String>>, u64) {
    let mut text = Vec::new();
    if let Err(e) = reader.read_to_end(&mut text) {
        return (vec![Err(format!("cannot read: {e}"))], text.len() as u64);
    }
    let bytes = text.len() as u64;
    match serde_json::from_slice::<Vec<serde_json::Value>>(&text) {
        Ok(elements) => (
            elements
                .iter()
                .map(|v| Ok(v.to_string().into_bytes()))
                .collect(),
            bytes,
        ),
        Err(e) => (
            vec![Err(format!(
                "not JSON Lines and not a JSON array (line {}, column {}: {e})",
                e.line(),
                e.column()
            ))],
            bytes,
        ),
    }
}

/// Feeds the non-empty lines of `files` to the workers, and where a file cannot be read further
/// (so that the message keeps its place among the bad lines'); returns (lines, bytes).
fn read_lines(
    files: &[PathBuf],
    bar: &ProgressBar,
    feed: &mut langnghe_pipeline::Feed<RawLine>,
) -> anyhow::Result<(u64, u64)> {
    let (mut lines, mut bytes) = (0u64, 0u64);
    for (file, path) in files.iter().enumerate() {
        bar.set_message(
            path.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
        );
        let mut reader = open(path, bar)?;
        let mut push = |line_no, read| {
            feed.push(RawLine {
                file,
                line_no,
                read,
            })
        };
        // One JSON array of documents: each element goes as a line, numbered by its place.
        let array = match json_array(&mut reader) {
            Ok(false) => None,
            Ok(true) => Some(read_array(&mut reader)),
            Err(e) => Some((vec![Err(format!("cannot read: {e}"))], 0)),
        };
        if let Some((elements, read_bytes)) = array {
            bytes += read_bytes;
            for (k, read) in elements.into_iter().enumerate() {
                lines += u64::from(read.is_ok());
                if !push(k + 1, read) {
                    return Ok((lines, bytes));
                }
            }
            continue;
        }
        let mut line_no = 0usize;
        loop {
            line_no += 1;
            let mut buf = Vec::new();
            let read = match reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    bytes += n as u64;
                    if buf.trim_ascii().is_empty() {
                        continue;
                    }
                    lines += 1;
                    Ok(buf)
                }
                // The rest of this file is lost (a broken gzip stream); the next is read.
                Err(e) => Err(format!("cannot read: {e}")),
            };
            let last = read.is_err();
            if !push(line_no, read) {
                return Ok((lines, bytes));
            }
            if last {
                break;
            }
        }
    }
    Ok((lines, bytes))
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    import_files(&args.data, &args.files, args.json, args.commit_every)?;
    Ok(ExitCode::SUCCESS)
}

/// Imports `files` into the index of `data`, printing progress and a summary.
pub fn import_files(
    data: &DataArgs,
    files: &[PathBuf],
    json: bool,
    commit_every: usize,
) -> anyhow::Result<()> {
    let start = Instant::now();
    let classifier = data.classifier()?;
    let alerts_config = data.alerts_config()?;
    let mut raised = Vec::new();
    let archive = Archive::open(&data.index_dir())?;
    let mut writer = archive
        .writer_with_threads(data.threads())?
        .batch_size(commit_every);
    let bar = byte_bar(files);
    let mut summary = Summary {
        files: files.len(),
        ..Summary::default()
    };
    let reading = each_classified(
        data,
        files,
        &bar,
        &classifier,
        |_| true,
        |doc| {
            writer.add(&doc)?;
            raised.extend(crate::alerts::raised(&doc, &alerts_config));
            summary.imported += 1;
            Ok(())
        },
    )?;
    summary.lines = reading.lines;
    summary.bytes = reading.bytes;
    summary.skipped = reading.skipped;
    summary.repaired_encoding = reading.repaired;
    summary.undated = reading.undated;
    bar.set_message("committing");
    writer.finish()?;
    bar.finish_and_clear();
    // The documents are durable: their alerts are recorded, then sent.
    if !raised.is_empty() {
        let mut state = langnghe_store::SqliteState::open(&data.state_path())?;
        summary.alerts = state
            .record_alerts(&raised, OffsetDateTime::now_utc())?
            .len() as u64;
        crate::alerts::dispatch_now(
            &mut state,
            &alerts_config,
            &crate::alerts::topic_names(&classifier),
        )?;
    }
    summary.seconds = start.elapsed().as_secs_f64();
    summary.documents_in_index = archive.num_docs()?;
    if json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        let rate = summary.imported as f64 / summary.seconds.max(1e-9);
        let mb = summary.bytes as f64 / 1e6 / summary.seconds.max(1e-9);
        eprintln!(
            "imported {} documents from {} file(s) in {:.1} s ({:.0} documents/s, {:.1} MB/s); {} bad line(s) skipped; {} repaired from legacy encodings; {} kept undated; {} alert(s) raised; the index holds {} documents",
            summary.imported,
            summary.files,
            summary.seconds,
            rate,
            mb,
            summary.skipped,
            summary.repaired_encoding,
            summary.undated,
            summary.alerts,
            summary.documents_in_index
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH
    }

    #[test]
    fn a_line_becomes_a_repaired_clean_document() {
        let mut notes = Notes::default();
        let line = r#"{"id": 42, "url": "https://www.laodong.vn/a.html", "title": "C«ng ®oµn", "body": "Co\u0302ng nha\u0302n\u200b", "published": "2026-11-26", "category": "x"}"#;
        let doc = to_document(line.as_bytes(), now(), &mut notes).unwrap();
        assert_eq!(doc.id, "42");
        assert_eq!(doc.source, "laodong.vn");
        assert_eq!(doc.title, "Công đoàn");
        assert_eq!(doc.body, "Công nhân");
        assert!(notes.repaired);
        assert!(notes.undated.is_none());
        assert_eq!(
            doc.published.map(|p| p.to_string()),
            Some("2026-11-26 0:00:00.0 +07:00:00".into())
        );
    }

    #[test]
    fn lines_shaped_like_feed_items_or_scraped_articles_are_read_too() {
        let mut r = Notes::default();
        // An RSS item as JSON (vi-rss): no id, the summary as its text.
        let rss = r#"{"url": "https://tuoitre.vn/a.htm", "source": "Tuổi Trẻ", "title": "Công nhân ngừng việc", "summary": "Hàng trăm công nhân ngừng việc.", "published": "2026-01-01T23:15:47.282437+07:00", "fetched": "2026-01-02T00:00:00+07:00"}"#;
        let doc = to_document(rss.as_bytes(), now(), &mut r).unwrap();
        assert_eq!(doc.id, "https://tuoitre.vn/a.htm");
        assert_eq!(doc.url, "https://tuoitre.vn/a.htm");
        assert_eq!(doc.body, "Hàng trăm công nhân ngừng việc.");
        // A feed's own names; RFC 2822 dates.
        let feed = r#"{"link": "https://nld.com.vn/b.htm", "headline": "Tăng lương", "description": "Từ tháng 7.", "pubDate": "Wed, 01 Jul 2026 08:00:00 +0700"}"#;
        let doc = to_document(feed.as_bytes(), now(), &mut r).unwrap();
        assert_eq!(
            (doc.id.as_str(), doc.title.as_str(), doc.body.as_str()),
            ("https://nld.com.vn/b.htm", "Tăng lương", "Từ tháng 7.")
        );
        assert_eq!(doc.source, "nld.com.vn");
        assert_eq!(
            doc.published.map(|p| p.to_string()),
            Some("2026-07-01 8:00:00.0 +07:00:00".into())
        );
        // The project's names win; an empty one gives way to the next.
        let both = r#"{"id": "", "url": "u", "title": "t", "body": " ", "content": "Toàn văn."}"#;
        let doc = to_document(both.as_bytes(), now(), &mut r).unwrap();
        assert_eq!((doc.id.as_str(), doc.body.as_str()), ("u", "Toàn văn."));
        let own = r#"{"id": 7, "url": "u", "title": "t", "body": "Thân bài."}"#;
        let doc = to_document(own.as_bytes(), now(), &mut r).unwrap();
        assert_eq!((doc.id.as_str(), doc.body.as_str()), ("7", "Thân bài."));
        // A lead given apart opens the text, unless the text already opens with it.
        let apart =
            r#"{"id": 8, "title": "t", "sapo": "Công nhân ngừng việc.", "content": "Sáng nay…"}"#;
        let doc = to_document(apart.as_bytes(), now(), &mut r).unwrap();
        assert_eq!(doc.body, "Công nhân ngừng việc.\nSáng nay…");
        let twice = r#"{"id": 9, "title": "t", "description": "Công nhân ngừng việc.", "body": "Công nhân ngừng việc. Sáng nay…"}"#;
        let doc = to_document(twice.as_bytes(), now(), &mut r).unwrap();
        assert_eq!(doc.body, "Công nhân ngừng việc. Sáng nay…");
        // Text that is still HTML is read as its text.
        let html = r#"{"id": 10, "title": "C&ocirc;ng nh&acirc;n ng&#7915;ng vi&#7879;c", "content": "<p>Sáng nay <b>công</b> nhân nghỉ.</p><p>Chiều họp.</p>"}"#;
        let doc = to_document(html.as_bytes(), now(), &mut r).unwrap();
        assert_eq!(doc.title, "Công nhân ngừng việc");
        assert_eq!(doc.body, "Sáng nay công nhân nghỉ.\nChiều họp.");
        assert!(
            to_document(
                r#"{"id": [1], "url": "u", "title": "t"}"#.as_bytes(),
                now(),
                &mut r
            )
            .unwrap_err()
            .contains("`id` must be")
        );
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let mut r = Notes::default();
        assert!(
            to_document(b"{", now(), &mut r)
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert!(
            to_document(r#"{"title": "x"}"#.as_bytes(), now(), &mut r)
                .unwrap_err()
                .starts_with("missing `id`")
        );
        assert!(
            to_document(r#"{"id": "a"}"#.as_bytes(), now(), &mut r)
                .unwrap_err()
                .contains("empty")
        );
        // A date that cannot be read costs the date, not the document; "hôm qua" (yesterday)
        // means nothing without the time it was written.
        let mut notes = Notes::default();
        let doc = to_document(
            r#"{"id": "a", "title": "x", "published": "hôm qua"}"#.as_bytes(),
            now(),
            &mut notes,
        )
        .unwrap();
        assert_eq!(doc.published, None);
        assert!(notes.undated.unwrap().contains("`published` is not a date"));
        // Vietnamese dates, day first.
        let doc = to_document(
            r#"{"id": "a", "title": "x", "published": "Thứ năm, 26/11/2026, 08:30"}"#.as_bytes(),
            now(),
            &mut Notes::default(),
        )
        .unwrap();
        assert_eq!(
            doc.published.map(|p| p.to_string()),
            Some("2026-11-26 8:30:00.0 +07:00:00".into())
        );
        assert!(
            to_document(r#"{"id": "a", "title": 5}"#.as_bytes(), now(), &mut r)
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        // A byte that is not UTF-8 (a Windows-1252 "é") is named, by its place in the line.
        assert_eq!(
            to_document(b"{\"id\": \"a\", \"title\": \"caf\xe9\"}", now(), &mut r).unwrap_err(),
            "invalid UTF-8 at byte 26"
        );
    }

    proptest! {
        #[test]
        fn random_lines_never_panic(line in "\\PC{0,200}") {
            let _ = to_document(line.as_bytes(), now(), &mut Notes::default());
        }

        /// Any file's opening: JSON array or not, with or without a byte-order mark, never a
        /// panic; an array of objects gives one line per element.
        #[test]
        fn files_that_may_be_arrays_never_panic(
            head in proptest::sample::select(vec!["", "\u{feff}", " \n", "\u{feff}  "]),
            body in "(\\[|\\]|\\{\"id\": [0-9]\\}|,|\\{|\"|\\PC){0,40}",
            ids in proptest::collection::vec(0u32..1000, 0..5),
        ) {
            let reader = |text: String| -> Box<dyn BufRead> {
                Box::new(std::io::Cursor::new(text.into_bytes()))
            };
            let mut noise = reader(format!("{head}{body}"));
            if json_array(&mut noise).unwrap() {
                let _ = read_array(&mut noise);
            }
            let array: Vec<serde_json::Value> =
                ids.iter().map(|i| serde_json::json!({"id": i, "title": "t"})).collect();
            let mut file = reader(format!("{head}{}", serde_json::Value::from(array)));
            prop_assert!(json_array(&mut file).unwrap());
            let (elements, _) = read_array(&mut file);
            prop_assert_eq!(elements.len(), ids.len());
            for (element, id) in elements.iter().zip(&ids) {
                let doc = to_document(element.as_ref().unwrap(), now(), &mut Notes::default());
                prop_assert_eq!(doc.unwrap().id, id.to_string());
            }
        }

        #[test]
        fn random_bytes_never_panic(line in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = to_document(&line, now(), &mut Notes::default());
        }

        #[test]
        fn random_json_objects_never_panic(
            id in proptest::option::of("\\PC{0,10}"),
            title in "\\PC{0,40}",
            body in "\\PC{0,80}",
            published in proptest::option::of("\\PC{0,25}"),
        ) {
            let line = serde_json::json!({"id": id, "title": title, "body": body, "published": published}).to_string();
            if let Ok(doc) = to_document(line.as_bytes(), now(), &mut Notes::default()) {
                prop_assert!(!doc.id.is_empty());
                prop_assert!(!doc.title.is_empty() || !doc.body.is_empty());
            }
        }
    }
}
