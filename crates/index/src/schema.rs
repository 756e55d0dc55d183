//! The index schema: one stored copy of each document plus its searchable forms.
//!
//! Title and body are each one field indexed with the `vi_both` analyzer of `langnghe-vi`: every
//! syllable gives its folded term and, when it differs, its exact term at the same position
//! (`Công` → `cong`, `công`), with positions for phrases. A query term typed with diacritics looks
//! up the exact term, one typed without the folded term, and a phrase may mix both (`cong đoàn`).
//! One field instead of an exact and a folded one indexes a fifth fewer postings (a syllable
//! without marks is indexed once) and tokenizes each text once. The fields also store the text as
//! written. Keywords (source, site, lang, topics, provinces, sentiment, story) are raw strings;
//! `week` and `source` are fast fields for facets.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder,
    TextFieldIndexing, TextOptions,
};

use langnghe_query::Fields;
use langnghe_vi::BOTH;

/// Field handles of the langnghe schema.
#[derive(Debug, Clone, Copy)]
pub struct DocFields {
    /// Document id (raw, unique).
    pub id: Field,
    /// URL (stored).
    pub url: Field,
    /// Title as written (stored in the searchable title field).
    pub title: Field,
    /// Body as written (stored in the searchable body field).
    pub body: Field,
    /// Publication time.
    pub published: Field,
    /// Fetch or import time.
    pub fetched: Field,
    /// ISO week of publication (`2026-W48`, or `undated`), for facets.
    pub week: Field,
    /// Story cluster id (syndicated copies share one), room for the crawl issue.
    pub story: Field,
    /// The evidence of each topic (JSON of `Document::topic_hits`), stored only.
    pub hits: Field,
    /// Searchable fields, shared with the query compiler.
    pub search: Fields,
}

/// The week facet value of documents without a publication date.
pub const UNDATED: &str = "undated";

fn text_field(builder: &mut SchemaBuilder, name: &str) -> Field {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(BOTH)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    builder.add_text_field(
        name,
        TextOptions::default()
            .set_indexing_options(indexing)
            .set_stored(),
    )
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, DocFields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let url = b.add_text_field("url", STORED);
    let title = text_field(&mut b, "title");
    let body = text_field(&mut b, "body");
    let source = b.add_text_field("source", STRING | STORED | FAST);
    let site = b.add_text_field("site", STRING);
    let lang = b.add_text_field("lang", STRING | STORED);
    let province = b.add_text_field("province", STRING | STORED);
    let topic = b.add_text_field("topic", STRING | STORED);
    let sentiment = b.add_text_field("sentiment", STRING | STORED);
    let story = b.add_text_field("story", STRING | STORED | FAST);
    let published = b.add_date_field("published", INDEXED | STORED | FAST);
    let fetched = b.add_date_field("fetched", STORED);
    let week = b.add_text_field("week", STRING | FAST);
    let hits = b.add_text_field("hits", STORED);
    let fields = DocFields {
        id,
        url,
        title,
        body,
        published,
        fetched,
        week,
        story,
        hits,
        search: Fields {
            title,
            body,
            source,
            site,
            lang,
            province,
            topic,
            sentiment,
            published,
        },
    };
    (b.build(), fields)
}

/// Resolves field handles from an existing index's schema; `None` names the first missing field.
pub fn resolve(schema: &Schema) -> Result<DocFields, String> {
    let get = |name: &str| schema.get_field(name).map_err(|_| name.to_string());
    Ok(DocFields {
        id: get("id")?,
        url: get("url")?,
        title: get("title")?,
        body: get("body")?,
        published: get("published")?,
        fetched: get("fetched")?,
        week: get("week")?,
        story: get("story")?,
        hits: get("hits")?,
        search: Fields {
            title: get("title")?,
            body: get("body")?,
            source: get("source")?,
            site: get("site")?,
            lang: get("lang")?,
            province: get("province")?,
            topic: get("topic")?,
            sentiment: get("sentiment")?,
            published: get("published")?,
        },
    })
}
