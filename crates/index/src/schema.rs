//! The index schema: one stored copy of each document plus its searchable forms.
//!
//! Title and body are indexed twice, with the exact and the folded analyzer of `langnghe-vi`,
//! both with positions for phrases; the exact field also stores the text as written (tantivy
//! stores the input, not the tokens), so each text is copied into two fields, not three. Keywords (source, site, lang, topics,
//! provinces, sentiment, story) are raw strings; `week` and `source` are fast fields for facets.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, SchemaBuilder,
    TextFieldIndexing, TextOptions,
};

use langnghe_query::Fields;
use langnghe_vi::{EXACT, FOLDED};

/// Field handles of the langnghe schema.
#[derive(Debug, Clone, Copy)]
pub struct DocFields {
    /// Document id (raw, unique).
    pub id: Field,
    /// URL (stored).
    pub url: Field,
    /// Title as written (stored in the exact title field).
    pub title: Field,
    /// Body as written (stored in the exact body field).
    pub body: Field,
    /// Publication time.
    pub published: Field,
    /// Fetch or import time.
    pub fetched: Field,
    /// ISO week of publication (`2026-W48`, or `undated`), for facets.
    pub week: Field,
    /// Story cluster id (syndicated copies share one), room for the crawl issue.
    pub story: Field,
    /// Searchable fields, shared with the query compiler.
    pub search: Fields,
}

/// The week facet value of documents without a publication date.
pub const UNDATED: &str = "undated";

fn text_field(builder: &mut SchemaBuilder, name: &str, analyzer: &str, stored: bool) -> Field {
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(analyzer)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    builder.add_text_field(
        name,
        if stored {
            options.set_stored()
        } else {
            options
        },
    )
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, DocFields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let url = b.add_text_field("url", STORED);
    let title_exact = text_field(&mut b, "title_exact", EXACT, true);
    let title_folded = text_field(&mut b, "title_folded", FOLDED, false);
    let body_exact = text_field(&mut b, "body_exact", EXACT, true);
    let body_folded = text_field(&mut b, "body_folded", FOLDED, false);
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
    let fields = DocFields {
        id,
        url,
        title: title_exact,
        body: body_exact,
        published,
        fetched,
        week,
        story,
        search: Fields {
            title_exact,
            title_folded,
            body_exact,
            body_folded,
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
        title: get("title_exact")?,
        body: get("body_exact")?,
        published: get("published")?,
        fetched: get("fetched")?,
        week: get("week")?,
        story: get("story")?,
        search: Fields {
            title_exact: get("title_exact")?,
            title_folded: get("title_folded")?,
            body_exact: get("body_exact")?,
            body_folded: get("body_folded")?,
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
