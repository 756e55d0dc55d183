//! Ranked search with snippets, facets and pagination.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use tantivy::TantivyDocument;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use time::format_description::well_known::Rfc3339;

use langnghe_query::{Query, to_tantivy};

use crate::facets::FacetCollector;
use crate::restore::{IndexVocabulary, Variants};
use crate::snippet::{patterns, snippet};
use crate::{Archive, IndexError, stored_text};

/// One ranked document.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Title as written.
    pub title: String,
    /// URL.
    pub url: String,
    /// Source id.
    pub source: String,
    /// Publication time (RFC 3339, Vietnam time), or `null` when undated.
    pub published: Option<String>,
    /// Relevance score (BM25 with title and diacritic boosts).
    pub score: f32,
    /// Best passage, HTML-escaped, matches in `<b>`.
    pub snippet: String,
    /// Matching documents of this hit's story (syndicated copies included); 1 when not grouped.
    pub mentions: u64,
}

/// Counts of all matching documents (not only this page) per facet value.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Facets {
    /// By source id.
    pub source: BTreeMap<String, u64>,
    /// By ISO week of publication (`2026-W48`; `undated` for documents without a date).
    pub week: BTreeMap<String, u64>,
}

/// A page of results.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SearchResults {
    /// Number of matching documents (mentions).
    pub total: u64,
    /// With stories grouped: the number of distinct stories among them (syndicated copies
    /// counted once). Not counted otherwise (it costs a lookup per matching document).
    pub stories: Option<u64>,
    /// The requested page, best first.
    pub hits: Vec<Hit>,
    /// Counts over all matching documents.
    pub facets: Facets,
}

impl Archive {
    fn variants(&self, searcher: &tantivy::Searcher) -> Result<Arc<Variants>, IndexError> {
        let generation = searcher.generation().generation_id();
        let mut slot = self.variants.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((g, v)) = slot.as_ref()
            && *g == generation
        {
            return Ok(v.clone());
        }
        let v =
            Arc::new(Variants::build(searcher, self.fields.search.body).map_err(|e| self.err(e))?);
        *slot = Some((generation, v.clone()));
        Ok(v)
    }

    fn vocabulary<'a>(
        &'a self,
        searcher: &'a tantivy::Searcher,
        variants: &'a Variants,
    ) -> IndexVocabulary<'a> {
        IndexVocabulary {
            variants,
            lexicon: &self.lexicon,
            searcher,
            body: self.fields.search.body,
        }
    }

    /// The ids of every document `query` matches, compiled exactly (every completion of a
    /// phrase prefix): the documents the streaming matcher of topic rules would find.
    pub fn matching_ids(&self, query: &Query) -> Result<Vec<String>, IndexError> {
        let searcher = self.reader.searcher();
        let variants = self.variants(&searcher)?;
        let vocabulary = self.vocabulary(&searcher, &variants);
        let compiled = langnghe_query::to_tantivy_exact(query, &self.fields.search, &vocabulary);
        self.ids_of(&searcher, &compiled)
    }

    /// The sorted ids of the documents `query` matches.
    fn ids_of(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn tantivy::query::Query,
    ) -> Result<Vec<String>, IndexError> {
        let addresses = searcher
            .search(query, &tantivy::collector::DocSetCollector)
            .map_err(|e| self.err(e))?;
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            ids.push(stored_text(&doc, self.fields.id));
        }
        ids.sort();
        Ok(ids)
    }

    /// How many documents `query` matches per time bucket of their publication: `buckets`
    /// consecutive buckets of `width` starting at `from` (undated documents are not counted).
    /// Topic volumes for spike detection: `topic:dinh-cong` per hour or day.
    pub fn histogram(
        &self,
        query: &Query,
        from: time::OffsetDateTime,
        width: time::Duration,
        buckets: usize,
    ) -> Result<Vec<u64>, IndexError> {
        self.reader.reload().map_err(|e| self.err(e))?;
        let searcher = self.reader.searcher();
        let variants = self.variants(&searcher)?;
        let vocabulary = self.vocabulary(&searcher, &variants);
        let compiled = langnghe_query::to_tantivy_exact(query, &self.fields.search, &vocabulary);
        let collector = crate::facets::HistogramCollector {
            field: "published",
            from: i64::try_from(from.unix_timestamp_nanos()).unwrap_or(i64::MIN),
            width: i64::try_from(width.whole_nanoseconds()).unwrap_or(i64::MAX),
            buckets,
        };
        searcher
            .search(&compiled, &collector)
            .map_err(|e| self.err(e))
    }

    /// The ids of every committed document, sorted.
    pub fn all_ids(&self) -> Result<Vec<String>, IndexError> {
        self.reader.reload().map_err(|e| self.err(e))?;
        self.ids_of(&self.reader.searcher(), &tantivy::query::AllQuery)
    }

    /// Runs `query`; returns `limit` hits starting at `offset`, the total and facets.
    pub fn search(
        &self,
        query: &Query,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, IndexError> {
        self.search_grouped(query, limit, offset, false)
    }

    /// Like [`Archive::search`], with `stories`: one hit per story (its best-ranked copy), the page
    /// counted in stories, each hit carrying its number of mentions.
    pub fn search_grouped(
        &self,
        query: &Query,
        limit: usize,
        offset: usize,
        stories: bool,
    ) -> Result<SearchResults, IndexError> {
        let searcher = self.reader.searcher();
        let variants = self.variants(&searcher)?;
        let vocabulary = self.vocabulary(&searcher, &variants);
        let compiled = to_tantivy(query, &self.fields.search, &vocabulary);
        let facet_collector = FacetCollector {
            fields: if stories {
                vec!["source", "week", "story"]
            } else {
                vec!["source", "week"]
            },
        };
        // Grouping needs more candidates than the page: copies of one story fall out.
        let (want, skip) = if stories {
            ((offset + limit) * 5 + 50, 0)
        } else {
            (limit.max(1), offset)
        };
        let top = TopDocs::with_limit(want.max(1))
            .and_offset(skip)
            .order_by_score();
        let (top, total, mut facets) = searcher
            .search(&compiled, &(top, Count, facet_collector))
            .map_err(|e| self.err(e))?;
        let per_story = if stories {
            facets.pop().unwrap_or_default()
        } else {
            Default::default()
        };
        let highlight = patterns(query);
        let f = &self.fields;
        let mut hits = Vec::with_capacity(limit);
        let mut seen_stories = std::collections::HashSet::new();
        let mut skipped = 0;
        for (score, address) in top {
            if hits.len() == limit {
                break;
            }
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.err(e))?;
            let story = stored_text(&doc, f.story);
            let mentions = if stories {
                if !seen_stories.insert(story.clone()) {
                    continue;
                }
                if skipped < offset {
                    skipped += 1;
                    continue;
                }
                per_story.get(&story).copied().unwrap_or(1)
            } else {
                1
            };
            let published = doc
                .get_first(f.published)
                .and_then(|v| v.as_datetime())
                .and_then(|d| {
                    time::OffsetDateTime::from_unix_timestamp(d.into_timestamp_secs()).ok()
                })
                .and_then(|d| d.to_offset(langnghe_model::VIETNAM).format(&Rfc3339).ok());
            let body = stored_text(&doc, f.body);
            hits.push(Hit {
                id: stored_text(&doc, f.id),
                title: stored_text(&doc, f.title),
                url: stored_text(&doc, f.url),
                source: stored_text(&doc, f.search.source),
                published,
                score,
                snippet: snippet(&body, &highlight),
                mentions,
            });
        }
        let week = facets.pop().unwrap_or_default().into_iter().collect();
        let source = facets.pop().unwrap_or_default().into_iter().collect();
        Ok(SearchResults {
            total: total as u64,
            stories: stories.then_some(per_story.len() as u64),
            hits,
            facets: Facets { source, week },
        })
    }
}
