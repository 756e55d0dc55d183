//! The searchable copy of every document: how is it stored, and what matches a query?
//!
//! [`Archive`] opens (or creates) a tantivy index in a folder with the langnghe schema and the
//! Vietnamese analyzers registered. [`Writer`] adds documents in batches, replacing any earlier
//! copy with the same id, and commits. [`Archive::search`] runs a query of the one query
//! language and returns ranked hits with highlighted snippets and facet counts.
//!
//! ```
//! use langnghe_index::Archive;
//! use langnghe_model::Document;
//! let dir = tempfile::tempdir().unwrap();
//! let archive = Archive::open(dir.path()).unwrap();
//! let mut writer = archive.writer().unwrap();
//! writer.add(&Document::new("1", "https://laodong.vn/a", "laodong.vn", "Công đoàn", "Công nhân được tăng lương.")).unwrap();
//! writer.commit().unwrap();
//! let results = archive.search(&langnghe_query::parse("cong nhan").unwrap(), 10, 0).unwrap();
//! assert_eq!(results.total, 1);
//! assert!(results.hits[0].snippet.contains("<b>Công nhân</b>"));
//! ```
#![deny(missing_docs)]

mod facets;
mod restore;
pub mod schema;
mod search;
mod snippet;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use langnghe_model::{Document, IsoWeek};
pub use restore::Lexicon;
pub use schema::DocFields;
pub use search::{Facets, Hit, SearchResults};

/// What went wrong with the index, naming the folder.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy refused an operation.
    #[error("index at {path}: {source}")]
    Tantivy {
        /// The index folder.
        path: PathBuf,
        /// tantivy's error.
        #[source]
        source: tantivy::TantivyError,
    },
    /// The folder holds an index with another schema (from another version of langnghe).
    #[error(
        "index at {path} was written by another version of langnghe ({detail}); re-import into a new --data folder"
    )]
    Schema {
        /// The index folder.
        path: PathBuf,
        /// What differs.
        detail: String,
    },
    /// The folder could not be created or read.
    #[error("index at {path}: {source}")]
    Io {
        /// The index folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// The index in one folder.
pub struct Archive {
    path: PathBuf,
    index: Index,
    fields: DocFields,
    reader: IndexReader,
    /// Diacritic-restoration tables, rebuilt when the reader moves to a new generation.
    variants: Mutex<Option<(u64, Arc<restore::Variants>)>>,
    /// Preferred readings of unaccented queries.
    lexicon: Lexicon,
}

/// Documents buffered per commit by [`Writer`] unless the caller commits sooner.
pub const DEFAULT_BATCH: usize = 20_000;

impl Archive {
    /// Opens the index in `path`, creating the folder and an empty index if needed.
    pub fn open(path: &Path) -> Result<Archive, IndexError> {
        let err = |source| IndexError::Tantivy {
            path: path.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(path).map_err(|source| IndexError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = MmapDirectory::open(path).map_err(|e| err(e.into()))?;
        let (schema, _) = schema::build();
        let mut index = if Index::exists(&dir).map_err(|e| err(e.into()))? {
            Index::open(dir).map_err(err)?
        } else {
            Index::create(dir, schema.clone(), tantivy::IndexSettings::default()).map_err(err)?
        };
        // Search the segments in parallel: a heavy query (a short prefix after a common
        // syllable) then takes a fraction of its time; light ones are unaffected.
        index.set_default_multithread_executor().map_err(err)?;
        let schema_error = |detail: String| IndexError::Schema {
            path: path.to_path_buf(),
            detail,
        };
        let fields = schema::resolve(&index.schema())
            .map_err(|field| schema_error(format!("no field `{field}`")))?;
        if index.schema() != schema {
            return Err(schema_error(
                "the fields differ: it was written by another version of langnghe; move it away and import or crawl again".into(),
            ));
        }
        for (name, tokenizer) in langnghe_vi::analyzers() {
            index.tokenizers().register(name, tokenizer);
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(err)?;
        Ok(Archive {
            path: path.to_path_buf(),
            index,
            fields,
            reader,
            variants: Mutex::new(None),
            lexicon: Lexicon::default(),
        })
    }

    /// Sets the lexicon whose readings unaccented queries prefer (see [`Lexicon`]).
    pub fn with_lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon = lexicon;
        self.variants = Mutex::new(None);
        self
    }

    fn err(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Tantivy {
            path: self.path.clone(),
            source,
        }
    }

    /// A writer with one indexing thread per core (at most four); only one may be open per
    /// folder at a time (tantivy holds a lock file).
    pub fn writer(&self) -> Result<Writer<'_>, IndexError> {
        self.writer_with_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// A writer with `threads` indexing threads (1 to 4; each holds up to 128 MB of postings
    /// before it writes a segment).
    pub fn writer_with_threads(&self, threads: usize) -> Result<Writer<'_>, IndexError> {
        let threads = threads.clamp(1, 4);
        let writer = self
            .index
            .writer_with_num_threads(threads, 128_000_000 * threads)
            .map_err(|e| self.err(e))?;
        Ok(Writer {
            archive: self,
            writer,
            pending: 0,
            batch: DEFAULT_BATCH,
        })
    }

    /// Number of documents searchable now.
    pub fn num_docs(&self) -> Result<u64, IndexError> {
        self.reader.reload().map_err(|e| self.err(e))?;
        Ok(self.reader.searcher().num_docs())
    }

    /// The committed document with this id, as it was added (its text as stored).
    ///
    /// ```
    /// # use langnghe_index::Archive;
    /// # use langnghe_model::Document;
    /// let dir = tempfile::tempdir().unwrap();
    /// let archive = Archive::open(dir.path()).unwrap();
    /// let mut writer = archive.writer().unwrap();
    /// writer.add(&Document::new("1", "https://laodong.vn/a", "laodong.vn", "Công đoàn", "Công nhân.")).unwrap();
    /// writer.commit().unwrap();
    /// assert_eq!(archive.document("1").unwrap().unwrap().title, "Công đoàn");
    /// assert!(archive.document("2").unwrap().is_none());
    /// ```
    pub fn document(&self, id: &str) -> Result<Option<Document>, IndexError> {
        let searcher = self.reader.searcher();
        let f = &self.fields;
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(f.id, id),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let top = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
            )
            .map_err(|e| self.err(e))?;
        let Some((_, address)) = top.into_iter().next() else {
            return Ok(None);
        };
        let stored: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
        let date = |field| {
            stored
                .get_first(field)
                .and_then(|v| v.as_datetime())
                .and_then(|d| {
                    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(
                        d.into_timestamp_nanos(),
                    ))
                    .ok()
                })
        };
        let text = |field| stored_text(&stored, field);
        let mut doc = Document::new(
            text(f.id),
            text(f.url),
            text(f.search.source),
            text(f.title),
            text(f.body),
        );
        doc.published = date(f.published);
        doc.fetched = date(f.fetched);
        doc.lang = Some(text(f.search.lang)).filter(|l| !l.is_empty());
        doc.story = Some(text(f.story)).filter(|s| !s.is_empty());
        let all = |field| {
            stored
                .get_all(field)
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect::<Vec<_>>()
        };
        doc.provinces = all(f.search.province);
        doc.topics = all(f.search.topic);
        doc.topic_hits = serde_json::from_str(&text(f.hits)).unwrap_or_default();
        Ok(Some(doc))
    }

    /// Field handles, for callers that build their own tantivy queries.
    pub fn fields(&self) -> &DocFields {
        &self.fields
    }
}

/// Adds documents in batches; dropping it without [`Writer::commit`] discards the last batch.
pub struct Writer<'a> {
    archive: &'a Archive,
    writer: IndexWriter,
    pending: usize,
    batch: usize,
}

fn to_tantivy_date(at: time::OffsetDateTime) -> DateTime {
    DateTime::from_timestamp_nanos(i64::try_from(at.unix_timestamp_nanos()).unwrap_or(i64::MAX))
}

impl Writer<'_> {
    /// Commits automatically every `n` documents (default [`DEFAULT_BATCH`]).
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch = n.max(1);
        self
    }

    /// Adds or replaces (same id) a document. Its text should already be repaired and cleaned
    /// (`langnghe_vi::repair`, `langnghe_vi::clean`).
    pub fn add(&mut self, doc: &Document) -> Result<(), IndexError> {
        let f = &self.archive.fields;
        let s = &f.search;
        let mut d = TantivyDocument::new();
        d.add_text(f.id, &doc.id);
        d.add_text(f.url, &doc.url);
        // The searchable fields also store the text (see schema.rs).
        d.add_text(s.title, &doc.title);
        d.add_text(s.body, &doc.body);
        d.add_text(s.source, doc.source.to_lowercase());
        if let Some(host) = doc.site() {
            for suffix in langnghe_model::site_suffixes(&host.to_ascii_lowercase()) {
                d.add_text(s.site, suffix);
            }
        }
        if let Some(lang) = &doc.lang {
            d.add_text(s.lang, lang);
        }
        match doc.published {
            Some(at) => {
                d.add_date(f.published, to_tantivy_date(at));
                d.add_text(f.week, IsoWeek::of(at).to_string());
            }
            None => d.add_text(f.week, schema::UNDATED),
        }
        if let Some(at) = doc.fetched {
            d.add_date(f.fetched, to_tantivy_date(at));
        }
        for province in &doc.provinces {
            d.add_text(s.province, province);
        }
        for topic in &doc.topics {
            d.add_text(s.topic, topic);
        }
        if !doc.topic_hits.is_empty()
            && let Ok(json) = serde_json::to_string(&doc.topic_hits)
        {
            d.add_text(f.hits, json);
        }
        // Every document belongs to a story: its own unless it is a syndicated copy.
        d.add_text(f.story, doc.story.as_deref().unwrap_or(&doc.id));
        self.writer
            .delete_term(Term::from_field_text(f.id, &doc.id));
        self.writer
            .add_document(d)
            .map_err(|e| self.archive.err(e))?;
        self.pending += 1;
        if self.pending >= self.batch {
            self.commit()?;
        }
        Ok(())
    }

    /// Makes everything added so far durable and searchable.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        self.writer.commit().map_err(|e| self.archive.err(e))?;
        self.archive
            .reader
            .reload()
            .map_err(|e| self.archive.err(e))?;
        self.pending = 0;
        Ok(())
    }

    /// Commits and waits for background merges, leaving the folder compact.
    pub fn finish(mut self) -> Result<(), IndexError> {
        self.commit()?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| self.archive.err(e))
    }
}

/// Reads a stored text field of a tantivy document.
pub(crate) fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
