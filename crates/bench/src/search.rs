//! Import throughput and search latency on all of vi-news: langnghe against PostgreSQL
//! full-text search (`simple` configuration + `unaccent`, GIN index), same documents, same
//! queries, same run.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use langnghe_index::{Archive, Lexicon};
use langnghe_model::{Document, VIETNAM};
use langnghe_query::{Query, parse};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

#[derive(clap::Args)]
pub struct Args {
    /// PostgreSQL connection string (bench/search.sh starts a private server on port 54329).
    #[arg(
        long,
        default_value = "host=127.0.0.1 port=54329 user=postgres dbname=postgres"
    )]
    pg: String,
    /// Timed rounds over the whole query set (after one warm-up round).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Skip PostgreSQL and time langnghe alone.
    #[arg(long)]
    no_pg: bool,
    /// Only the queries containing this text (to profile one query).
    #[arg(long, value_name = "TEXT")]
    only: Option<String>,
    /// Index without classifying (what import did before topic rules), for an A/B.
    #[arg(long)]
    no_classify: bool,
}

/// The query set: half typed without diacritics, phrases, boolean combinations, prefixes.
const QUERIES: &[&str] = &[
    // without diacritics (26)
    "cong doan",
    "dinh cong",
    "no luong",
    "cong nhan",
    "nguoi lao dong",
    "luong toi thieu",
    "bao hiem xa hoi",
    "tai nan lao dong",
    "khu cong nghiep",
    "viec lam",
    "that nghiep",
    "tang luong",
    "hop dong lao dong",
    "xuat khau lao dong",
    "thuong tet",
    "doanh nghiep",
    "giao thong",
    "hoc sinh",
    "bong da",
    "gia vang",
    "ha noi",
    "thanh pho ho chi minh",
    "cong an",
    "benh vien",
    "cong nhan AND nha tro",
    "sa thai OR cat giam",
    // with diacritics (24)
    "công đoàn",
    "đình công",
    "nợ lương",
    "công nhân",
    "người lao động",
    "lương tối thiểu vùng",
    "bảo hiểm xã hội",
    "tai nạn lao động",
    "ngừng việc",
    "tranh chấp lao động",
    "công đoạn",
    "chất lượng",
    "công nhận",
    "thị trường chứng khoán",
    "giá xăng",
    "bão lũ",
    "học sinh AND giáo viên",
    "công nhân AND (nợ lương OR đình công)",
    "bóng đá -ronaldo",
    "việt nam AND trung quốc",
    "\"liên đoàn lao động\"",
    "lao động AND -xuất khẩu",
    "tiền lương OR thu nhập",
    "y tế AND dịch bệnh",
    // prefixes (4)
    "công*",
    "lao độ*",
    "dinh c*",
    "bảo hiểm*",
];

fn load(shared: &Path) -> anyhow::Result<(Vec<Document>, u64)> {
    let (news, bytes) = crate::news::vi_news(shared)?;
    let docs = news
        .iter()
        .map(|v| {
            let s = |k: &str| crate::news::text(v, k);
            let mut doc = Document::new(s("id"), s("url"), s("source"), s("title"), s("body"));
            doc.published = v["published"].as_str().and_then(|p| {
                OffsetDateTime::parse(p, &Rfc3339).ok().or_else(|| {
                    time::Date::parse(p, format_description!("[year]-[month]-[day]"))
                        .ok()
                        .map(|d| d.midnight().assume_offset(VIETNAM))
                })
            });
            doc
        })
        .collect();
    Ok((docs, bytes))
}

/// What `langnghe import` does to each document before indexing (same functions).
fn prepare(doc: &Document) -> Document {
    let mut d = doc.clone();
    d.title = langnghe_vi::prepare(&d.title).0;
    d.body = langnghe_vi::prepare(&d.body).0;
    d.lang = Some(langnghe_vi::language_code(&[&d.title, &d.body]));
    d
}

/// The query as a PostgreSQL tsquery over unaccented text.
fn tsquery(q: &Query) -> String {
    match q {
        Query::Text(t) => {
            let n = t.syllables.len();
            let words: Vec<String> = t
                .syllables
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    if t.prefix && i + 1 == n {
                        format!("{}:*", s.folded)
                    } else {
                        s.folded.clone()
                    }
                })
                .collect();
            format!("({})", words.join(" <-> "))
        }
        Query::And(qs) => format!(
            "({})",
            qs.iter().map(tsquery).collect::<Vec<_>>().join(" & ")
        ),
        Query::Or(qs) => format!(
            "({})",
            qs.iter().map(tsquery).collect::<Vec<_>>().join(" | ")
        ),
        Query::Not(q) => format!("!{}", tsquery(q)),
        other => panic!("not in the benchmark set: {other}"),
    }
}

/// The five queries with the worst latency in any round.
fn slowest_of(m: &Measured, names: &[&str]) -> String {
    let mut per_query: Vec<(Duration, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let worst = m
                .latencies
                .iter()
                .skip(i)
                .step_by(QUERIES.len())
                .max()
                .copied();
            (worst.unwrap_or_default(), *q)
        })
        .collect();
    per_query.sort_by_key(|q| std::cmp::Reverse(q.0));
    per_query
        .iter()
        .take(5)
        .map(|(d, q)| format!("{q} {:.1} ms", ms(*d)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `p` quantile of sorted latencies; none when no round was timed (`--rounds 0`).
fn percentile(sorted: &[Duration], p: f64) -> Option<Duration> {
    let last = sorted.len().checked_sub(1)?;
    let i = (last as f64 * p).round() as usize;
    Some(sorted[i.min(last)])
}

/// Milliseconds with two decimals, or a dash for latencies not measured.
fn ms_cell(d: Option<Duration>) -> String {
    d.map_or_else(|| "–".to_owned(), |d| format!("{:.2}", ms(d)))
}

/// `theirs / ours` as a ratio cell, or a dash when either was not measured.
fn ratio_cell(theirs: Option<Duration>, ours: Option<Duration>) -> String {
    match (theirs, ours) {
        (Some(b), Some(a)) => format!("{:.1}×", ms(b) / ms(a)),
        _ => "–".to_owned(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

struct Measured {
    import: Duration,
    latencies: Vec<Duration>,
    totals: Vec<u64>,
}

fn run_langnghe(docs: &[Document], args: &Args, queries: &[Query]) -> anyhow::Result<Measured> {
    let dir = tempfile::tempdir()?;
    let start = Instant::now();
    let archive = Archive::open(dir.path())?;
    let mut writer = archive.writer()?;
    // As `langnghe import` does: documents are prepared and classified on every core and
    // indexed in input order.
    let classifier = langnghe_rules::builtin();
    langnghe_pipeline::ordered(
        langnghe_pipeline::cores(),
        |feed| {
            for d in docs {
                if !feed.push(d) {
                    break;
                }
            }
        },
        || classifier.scratch(),
        |buffers, d| {
            let mut d = prepare(d);
            if !args.no_classify {
                classifier.tag(&mut d, buffers);
            }
            d
        },
        |d| writer.add(&d),
    )?;
    writer.finish()?;
    let import = start.elapsed();
    let archive = archive.with_lexicon(Lexicon::parse(include_str!("../../../config/lexicon.txt")));
    let mut totals = Vec::new();
    for q in queries {
        totals.push(archive.search(q, 10, 0)?.total);
    }
    let mut latencies = Vec::new();
    for _ in 0..args.rounds {
        for q in queries {
            let t = Instant::now();
            let r = archive.search(q, 10, 0)?;
            latencies.push(t.elapsed());
            std::hint::black_box(r);
        }
    }
    Ok(Measured {
        import,
        latencies,
        totals,
    })
}

fn run_postgres(docs: &[Document], args: &Args, queries: &[Query]) -> anyhow::Result<Measured> {
    let mut pg = postgres::Client::connect(&args.pg, postgres::NoTls).with_context(|| {
        format!(
            "cannot connect to PostgreSQL at {:?} (run crates/bench/search.sh)",
            args.pg
        )
    })?;
    pg.batch_execute(
        "CREATE EXTENSION IF NOT EXISTS unaccent;
         CREATE OR REPLACE FUNCTION bench_unaccent(text) RETURNS text
           AS $$ SELECT public.unaccent('public.unaccent', $1) $$
           LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT;
         DROP TABLE IF EXISTS bench_docs;
         CREATE TABLE bench_docs (
           id text PRIMARY KEY, url text, source text, title text, body text,
           published timestamptz,
           tsv tsvector GENERATED ALWAYS AS
             (to_tsvector('simple', bench_unaccent(title || ' ' || body))) STORED);",
    )?;
    let start = Instant::now();
    {
        let mut copy = pg.copy_in(
            "COPY bench_docs (id, url, source, title, body, published) FROM STDIN (FORMAT text)",
        )?;
        let esc = |s: &str| {
            s.replace('\\', "\\\\")
                .replace('\t', "\\t")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
        };
        let mut buf = String::new();
        for d in docs {
            let d = prepare(d);
            let published = d
                .published
                .and_then(|p| p.format(&Rfc3339).ok())
                .unwrap_or_else(|| "\\N".to_string());
            buf.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                esc(&d.id),
                esc(&d.url),
                esc(&d.source),
                esc(&d.title),
                esc(&d.body),
                published
            ));
            if buf.len() > 1 << 20 {
                std::io::Write::write_all(&mut copy, buf.as_bytes())?;
                buf.clear();
            }
        }
        std::io::Write::write_all(&mut copy, buf.as_bytes())?;
        copy.finish()?;
    }
    pg.batch_execute(
        "CREATE INDEX bench_docs_tsv ON bench_docs USING GIN (tsv); ANALYZE bench_docs;",
    )?;
    let import = start.elapsed();
    let statement = pg.prepare(
        "SELECT id, title, ts_rank(tsv, q) AS rank, count(*) OVER () AS total
         FROM bench_docs, to_tsquery('simple', $1) q
         WHERE tsv @@ q ORDER BY rank DESC LIMIT 10",
    )?;
    let texts: Vec<String> = queries.iter().map(tsquery).collect();
    let mut totals = Vec::new();
    for t in &texts {
        let rows = pg.query(&statement, &[t])?;
        totals.push(rows.first().map_or(0, |r| r.get::<_, i64>(3) as u64));
    }
    let mut latencies = Vec::new();
    for _ in 0..args.rounds {
        for t in &texts {
            let start = Instant::now();
            let rows = pg.query(&statement, &[t])?;
            latencies.push(start.elapsed());
            std::hint::black_box(rows);
        }
    }
    Ok(Measured {
        import,
        latencies,
        totals,
    })
}

pub fn run(shared: &Path, args: &Args) -> anyhow::Result<()> {
    let (docs, bytes) = load(shared)?;
    let names: Vec<&str> = QUERIES
        .iter()
        .copied()
        .filter(|q| args.only.as_deref().is_none_or(|o| q.contains(o)))
        .collect();
    let queries: Vec<Query> = names
        .iter()
        .map(|q| parse(q).map_err(|e| anyhow::anyhow!("{q}: {e}")))
        .collect::<anyhow::Result<_>>()?;
    let unaccented = names.iter().filter(|q| !langnghe_vi::has_marks(q)).count();
    println!(
        "langnghe-bench search: {} documents ({:.1} MB of JSON text) from vi-news; {} queries ({} without diacritics); top 10 + total per query; {} timed rounds after one warm-up",
        docs.len(),
        bytes as f64 / 1e6,
        queries.len(),
        unaccented,
        args.rounds
    );
    let ours = run_langnghe(&docs, args, &queries)?;
    let theirs = if args.no_pg {
        None
    } else {
        Some(run_postgres(&docs, args, &queries)?)
    };
    println!();
    println!("| system | import s | documents/s | MB/s | search p50 ms | search p99 ms |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    let row = |name: &str, m: &Measured| {
        let mut sorted = m.latencies.clone();
        sorted.sort();
        let s = m.import.as_secs_f64();
        println!(
            "| {name} | {s:.2} | {:.0} | {:.1} | {} | {} |",
            docs.len() as f64 / s,
            bytes as f64 / 1e6 / s,
            ms_cell(percentile(&sorted, 0.5)),
            ms_cell(percentile(&sorted, 0.99))
        );
        (s, percentile(&sorted, 0.5), percentile(&sorted, 0.99))
    };
    let a = row("langnghe (tantivy, one field: folded + exact terms)", &ours);
    if theirs.is_none() {
        println!("\nslowest queries, langnghe: {}", slowest_of(&ours, &names));
    }
    if let Some(theirs) = &theirs {
        let b = row("PostgreSQL 'simple' + unaccent, GIN", theirs);
        println!(
            "| **ratio PostgreSQL / langnghe** | {:.1}× | | | {} | {} |",
            b.0 / a.0,
            ratio_cell(b.1, a.1),
            ratio_cell(b.2, a.2)
        );
        println!();
        println!("slowest queries, langnghe: {}", slowest_of(&ours, &names));
        println!(
            "slowest queries, PostgreSQL: {}",
            slowest_of(theirs, &names)
        );
        println!();
        println!(
            "matches per query (langnghe / PostgreSQL; PostgreSQL ignores diacritics even when typed):"
        );
        for ((q, x), y) in names.iter().zip(&ours.totals).zip(&theirs.totals) {
            println!("  {x:>6} / {y:<6} {q}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_benchmark_query_parses_and_translates_for_postgres() {
        for q in QUERIES {
            let parsed = parse(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert!(!tsquery(&parsed).is_empty());
        }
        assert_eq!(
            tsquery(&parse("cong nhan AND (no luong OR dinh c*)").unwrap()),
            "((cong <-> nhan) & ((no <-> luong) | (dinh <-> c:*)))"
        );
        let unaccented = QUERIES
            .iter()
            .filter(|q| !langnghe_vi::has_marks(q))
            .count();
        assert!(QUERIES.len() >= 50 && unaccented * 2 >= QUERIES.len());
    }
}
