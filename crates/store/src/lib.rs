//! What does langnghe remember between runs? Operational state in SQLite (WAL mode), behind the
//! [`CrawlState`] trait so a PostgreSQL backend can serve several crawl workers later.
//!
//! Today: per source, its runs (last success, last error, items); per canonical URL, when it was
//! seen and fetched, its validators for conditional GET, its content hash and document id.
//!
//! ```
//! use langnghe_store::{CrawlState, SqliteState, UrlRecord};
//! let dir = tempfile::tempdir().unwrap();
//! let mut state = SqliteState::open(&dir.path().join("state.sqlite")).unwrap();
//! let run = state.start_run("laodong").unwrap();
//! state.record_url(&UrlRecord { url: "https://laodong.vn/a.ldo".into(), source: "laodong".into(), etag: Some("\"v1\"".into()), ..UrlRecord::default() }).unwrap();
//! state.finish_run(run, 1, None).unwrap();
//! assert_eq!(state.url("https://laodong.vn/a.ldo").unwrap().unwrap().etag.as_deref(), Some("\"v1\""));
//! assert_eq!(state.sources().unwrap()[0].items_total, 1);
//! ```
#![deny(missing_docs)]

mod alerts;

pub use alerts::{
    Alert, AlertContent, AlertFilter, ChannelStatus, DeliveryKind, NewAlert, PendingDelivery,
};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;

/// What went wrong with the state database, naming the file.
#[derive(Debug, thiserror::Error)]
#[error("state database {path}: {source}")]
pub struct StoreError {
    /// The database file.
    pub path: PathBuf,
    /// SQLite's error.
    #[source]
    pub source: rusqlite::Error,
}

/// What is known about one canonical URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UrlRecord {
    /// Canonical URL (the key).
    pub url: String,
    /// Source id that found it.
    pub source: String,
    /// First time it was seen (set by the store).
    pub first_seen: Option<OffsetDateTime>,
    /// Last successful fetch.
    pub fetched: Option<OffsetDateTime>,
    /// `ETag` of the last response.
    pub etag: Option<String>,
    /// `Last-Modified` of the last response.
    pub last_modified: Option<String>,
    /// Hash of the extracted text (to notice unchanged content behind a changed page).
    pub content_hash: Option<i64>,
    /// The document id it was indexed under.
    pub doc_id: Option<String>,
    /// Last error, if the last attempt failed.
    pub error: Option<String>,
}

/// The state of one source, for `langnghe sources`.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceStatus {
    /// Source id.
    pub source: String,
    /// Start of the last run.
    pub last_run: Option<OffsetDateTime>,
    /// End of the last run that ended without an error.
    pub last_success: Option<OffsetDateTime>,
    /// The last error and when it happened.
    pub last_error: Option<(OffsetDateTime, String)>,
    /// Documents found, all runs together.
    pub items_total: u64,
    /// Documents found in the last 7 days, per day.
    pub items_per_day: f64,
}

/// A document's place among syndicated copies, kept so that copies found by later crawls join
/// the stories of earlier ones.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMember {
    /// Document id.
    pub doc_id: String,
    /// Publication time (the earliest member is a story's original).
    pub published: Option<OffsetDateTime>,
    /// When it was added (set by the store on insert when `None`).
    pub added: Option<OffsetDateTime>,
    /// Hash of its folded text (exact copies).
    pub text_hash: u64,
    /// MinHash signature (near copies); `None` for texts too short to compare.
    pub signature: Option<Vec<u64>>,
}

/// Crawl state, whatever stores it.
pub trait CrawlState {
    /// Starts a run of `source`; returns its id.
    fn start_run(&mut self, source: &str) -> Result<i64, StoreError>;
    /// Ends a run with the number of new documents and the error that stopped it, if any.
    fn finish_run(
        &mut self,
        run: i64,
        new_items: u64,
        error: Option<&str>,
    ) -> Result<(), StoreError>;
    /// What is known about a canonical URL.
    fn url(&self, url: &str) -> Result<Option<UrlRecord>, StoreError>;
    /// Inserts or updates a URL (`first_seen` is kept from the first insert).
    fn record_url(&mut self, record: &UrlRecord) -> Result<(), StoreError>;
    /// [`CrawlState::record_url`] for several URLs at once, all or none.
    fn record_urls(&mut self, records: &[UrlRecord]) -> Result<(), StoreError> {
        records.iter().try_for_each(|r| self.record_url(r))
    }
    /// Status of every source that has run.
    fn sources(&self) -> Result<Vec<SourceStatus>, StoreError>;
    /// Stores story members (a document already stored is left as it is).
    fn record_story_members(&mut self, members: &[StoryMember]) -> Result<(), StoreError>;
    /// Story members added at `since` or later, in the order they were added.
    fn story_members(&self, since: OffsetDateTime) -> Result<Vec<StoryMember>, StoreError>;
}

/// Migrations, in order; `user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        new_items INTEGER NOT NULL DEFAULT 0,
        error TEXT
    );
    CREATE INDEX runs_by_source ON runs (source, started_at);
    CREATE TABLE urls (
        url TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        fetched INTEGER,
        etag TEXT,
        last_modified TEXT,
        content_hash INTEGER,
        doc_id TEXT,
        error TEXT
    );",
    "CREATE TABLE story_members (
        doc_id TEXT PRIMARY KEY,
        published INTEGER,
        added INTEGER NOT NULL,
        text_hash INTEGER NOT NULL,
        signature BLOB
    );
    CREATE INDEX story_members_by_added ON story_members (added);",
    "CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        created INTEGER NOT NULL,
        route TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        topic TEXT NOT NULL,
        severity TEXT NOT NULL,
        version TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        url TEXT NOT NULL,
        snippet TEXT NOT NULL,
        provinces TEXT NOT NULL,
        published INTEGER,
        acked INTEGER,
        acked_by TEXT,
        UNIQUE (route, doc_id, topic)
    );
    CREATE INDEX alerts_by_created ON alerts (created);
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        route TEXT NOT NULL,
        channel TEXT NOT NULL,
        topic TEXT NOT NULL,
        kind TEXT NOT NULL,
        sent INTEGER NOT NULL,
        alerts INTEGER NOT NULL
    );
    CREATE INDEX messages_by_key ON messages (route, channel, topic, kind, sent);
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts (id),
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        sent INTEGER,
        message INTEGER REFERENCES messages (id),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_attempt INTEGER,
        last_error TEXT,
        UNIQUE (alert_id, channel, kind)
    );
    CREATE INDEX deliveries_pending ON deliveries (sent);",
];

/// The SQLite state in one file of the data folder.
pub struct SqliteState {
    path: PathBuf,
    db: Connection,
}

fn ts(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

fn from_ts(secs: Option<i64>) -> Option<OffsetDateTime> {
    secs.and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
}

impl SqliteState {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<SqliteState, StoreError> {
        let err = |source| StoreError {
            path: path.to_path_buf(),
            source,
        };
        let mut db = Connection::open(path).map_err(err)?;
        db.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        db.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        db.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        let version: i64 = db
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        for (i, sql) in MIGRATIONS
            .iter()
            .enumerate()
            .skip(usize::try_from(version).unwrap_or(0))
        {
            let tx = db.transaction().map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(SqliteState {
            path: path.to_path_buf(),
            db,
        })
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError {
            path: self.path.clone(),
            source,
        }
    }
}

impl CrawlState for SqliteState {
    fn start_run(&mut self, source: &str) -> Result<i64, StoreError> {
        self.db
            .execute(
                "INSERT INTO runs (source, started_at) VALUES (?1, ?2)",
                params![source, ts(OffsetDateTime::now_utc())],
            )
            .map_err(|e| self.err(e))?;
        Ok(self.db.last_insert_rowid())
    }

    fn finish_run(
        &mut self,
        run: i64,
        new_items: u64,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        self.db
            .execute(
                "UPDATE runs SET finished_at = ?2, new_items = ?3, error = ?4 WHERE id = ?1",
                params![run, ts(OffsetDateTime::now_utc()), new_items as i64, error],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn url(&self, url: &str) -> Result<Option<UrlRecord>, StoreError> {
        self.db
            .query_row(
                "SELECT url, source, first_seen, fetched, etag, last_modified, content_hash, doc_id, error FROM urls WHERE url = ?1",
                params![url],
                |r| {
                    Ok(UrlRecord {
                        url: r.get(0)?,
                        source: r.get(1)?,
                        first_seen: from_ts(r.get(2)?),
                        fetched: from_ts(r.get(3)?),
                        etag: r.get(4)?,
                        last_modified: r.get(5)?,
                        content_hash: r.get(6)?,
                        doc_id: r.get(7)?,
                        error: r.get(8)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn record_urls(&mut self, records: &[UrlRecord]) -> Result<(), StoreError> {
        self.db.execute_batch("BEGIN").map_err(|e| self.err(e))?;
        for r in records {
            if let Err(e) = self.record_url(r) {
                let _ = self.db.execute_batch("ROLLBACK");
                return Err(e);
            }
        }
        self.db.execute_batch("COMMIT").map_err(|e| self.err(e))
    }

    fn record_url(&mut self, r: &UrlRecord) -> Result<(), StoreError> {
        self.db
            .execute(
                "INSERT INTO urls (url, source, first_seen, fetched, etag, last_modified, content_hash, doc_id, error)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (url) DO UPDATE SET
                   fetched = COALESCE(excluded.fetched, fetched),
                   etag = COALESCE(excluded.etag, etag),
                   last_modified = COALESCE(excluded.last_modified, last_modified),
                   content_hash = COALESCE(excluded.content_hash, content_hash),
                   doc_id = COALESCE(excluded.doc_id, doc_id),
                   error = excluded.error",
                params![
                    r.url,
                    r.source,
                    ts(r.first_seen.unwrap_or_else(OffsetDateTime::now_utc)),
                    r.fetched.map(ts),
                    r.etag,
                    r.last_modified,
                    r.content_hash,
                    r.doc_id,
                    r.error
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn sources(&self) -> Result<Vec<SourceStatus>, StoreError> {
        let week_ago = ts(OffsetDateTime::now_utc()) - 7 * 86_400;
        let mut stmt = self
            .db
            .prepare(
                "SELECT source,
                   MAX(started_at),
                   MAX(CASE WHEN error IS NULL THEN finished_at END),
                   SUM(new_items),
                   SUM(CASE WHEN started_at >= ?1 THEN new_items ELSE 0 END)
                 FROM runs GROUP BY source ORDER BY source",
            )
            .map_err(|e| self.err(e))?;
        // (source, last run, last success, items in all runs, items in the last week)
        type Row = (String, Option<i64>, Option<i64>, i64, i64);
        let rows: Vec<Row> = stmt
            .query_map(params![week_ago], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .map_err(|e| self.err(e))?
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for (source, last_run, last_success, total, week) in rows {
            let last_error = self
                .db
                .query_row(
                    "SELECT finished_at, error FROM runs WHERE source = ?1 AND error IS NOT NULL ORDER BY started_at DESC LIMIT 1",
                    params![source],
                    |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, String>(1)?)),
                )
                .optional()
                .map_err(|e| self.err(e))?
                .and_then(|(at, e)| from_ts(at).map(|at| (at, e)));
            out.push(SourceStatus {
                source,
                last_run: from_ts(last_run),
                last_success: from_ts(last_success),
                last_error,
                items_total: total.max(0) as u64,
                items_per_day: week.max(0) as f64 / 7.0,
            });
        }
        Ok(out)
    }

    fn record_story_members(&mut self, members: &[StoryMember]) -> Result<(), StoreError> {
        let now = ts(OffsetDateTime::now_utc());
        let tx = self.db.transaction().map_err(|e| StoreError {
            path: self.path.clone(),
            source: e,
        })?;
        for m in members {
            let signature: Option<Vec<u8>> = m
                .signature
                .as_ref()
                .map(|sig| sig.iter().flat_map(|v| v.to_le_bytes()).collect());
            tx.execute(
                "INSERT OR IGNORE INTO story_members (doc_id, published, added, text_hash, signature)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    m.doc_id,
                    m.published.map(ts),
                    m.added.map_or(now, ts),
                    m.text_hash as i64,
                    signature
                ],
            )
            .map_err(|e| StoreError {
                path: self.path.clone(),
                source: e,
            })?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    fn story_members(&self, since: OffsetDateTime) -> Result<Vec<StoryMember>, StoreError> {
        let mut statement = self
            .db
            .prepare(
                "SELECT doc_id, published, added, text_hash, signature FROM story_members
                 WHERE added >= ?1 ORDER BY added, rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = statement
            .query_map(params![ts(since)], |r| {
                let signature: Option<Vec<u8>> = r.get(4)?;
                Ok(StoryMember {
                    doc_id: r.get(0)?,
                    published: from_ts(r.get(1)?),
                    added: from_ts(r.get(2)?),
                    text_hash: r.get::<_, i64>(3)? as u64,
                    signature: signature.map(|b| {
                        b.chunks_exact(8)
                            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                            .collect()
                    }),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn story_members_come_back_in_order_within_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        let at = |secs: i64| OffsetDateTime::from_unix_timestamp(1_795_000_000 + secs).unwrap();
        let member = |id: &str, added: i64, sig: Option<Vec<u64>>| StoryMember {
            doc_id: id.into(),
            published: Some(at(-3600)),
            added: Some(at(added)),
            text_hash: u64::MAX - 1,
            signature: sig,
        };
        {
            let mut s = SqliteState::open(&path).unwrap();
            s.record_story_members(&[
                member("old", -100, None),
                member("a", 10, Some(vec![1, u64::MAX, 3])),
                member("b", 20, None),
            ])
            .unwrap();
            // Stored once: a second record of a member changes nothing.
            s.record_story_members(&[member("a", 30, None)]).unwrap();
        }
        let s = SqliteState::open(&path).unwrap();
        let got = s.story_members(at(0)).unwrap();
        assert_eq!(
            got,
            [
                member("a", 10, Some(vec![1, u64::MAX, 3])),
                member("b", 20, None)
            ]
        );
    }

    #[test]
    fn state_survives_reopening_and_updates_keep_first_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        {
            let mut s = SqliteState::open(&path).unwrap();
            let run = s.start_run("nld").unwrap();
            s.record_url(&UrlRecord {
                url: "https://nld.com.vn/a.htm".into(),
                source: "nld".into(),
                ..UrlRecord::default()
            })
            .unwrap();
            s.finish_run(run, 3, None).unwrap();
            let run = s.start_run("nld").unwrap();
            s.finish_run(
                run,
                0,
                Some("https://nld.com.vn/rss/home.rss: HTTP 503 after 4 attempt(s)"),
            )
            .unwrap();
        }
        let mut s = SqliteState::open(&path).unwrap();
        let first = s.url("https://nld.com.vn/a.htm").unwrap().unwrap();
        assert!(first.first_seen.is_some() && first.etag.is_none());
        s.record_url(&UrlRecord {
            url: "https://nld.com.vn/a.htm".into(),
            source: "nld".into(),
            etag: Some("\"x\"".into()),
            doc_id: Some("nld-1".into()),
            ..UrlRecord::default()
        })
        .unwrap();
        let again = s.url("https://nld.com.vn/a.htm").unwrap().unwrap();
        assert_eq!(again.first_seen, first.first_seen);
        assert_eq!(
            (again.etag.as_deref(), again.doc_id.as_deref()),
            (Some("\"x\""), Some("nld-1"))
        );
        let status = s.sources().unwrap();
        assert_eq!(status.len(), 1);
        assert_eq!(status[0].items_total, 3);
        assert!(status[0].last_success.is_some());
        assert!(
            status[0]
                .last_error
                .as_ref()
                .is_some_and(|(_, e)| e.contains("HTTP 503"))
        );
        assert!((status[0].items_per_day - 3.0 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn a_file_that_is_not_sqlite_names_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.sqlite");
        std::fs::write(
            &path,
            b"this is not a database, just text that is long enough to be read as a header",
        )
        .unwrap();
        let err = SqliteState::open(&path).err().unwrap();
        assert!(err.to_string().contains("state.sqlite"), "{err}");
    }
}
