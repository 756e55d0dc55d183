//! [`Query`] → tantivy query, given the index's fields.
//!
//! The diacritic rule lives here for the index side. Each text field holds, at every position,
//! the folded term of the syllable there and, when it differs, its exact term (the `vi_both`
//! analyzer). A syllable typed with diacritics looks up its exact term, one typed without its
//! folded term, so a phrase may mix both (`cong đoàn`: any `cong` followed by exactly `đoàn`).
//! For a query typed entirely without diacritics, documents containing the most likely accented
//! reading (chosen by a [`Vocabulary`] from the index's own statistics) get a boost so they rank
//! first.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery,
    Query as TantivyQuery, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, Term};
use time::{Date, OffsetDateTime, Time, UtcOffset};

use crate::ast::{KeywordField, Query, Scope, Text};
use crate::near::{NearFilter, OutsideFilter, PrefixPhraseFilter};
use tantivy::query::doc_predicate_query::DocPredicateQuery;

/// The index fields a query can reach. Built by the index crate from its schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Title: folded and exact terms at each position (`vi_both`).
    pub title: Field,
    /// Body: folded and exact terms at each position (`vi_both`).
    pub body: Field,
    /// Source id keyword.
    pub source: Field,
    /// Site keyword (every domain suffix of the host).
    pub site: Field,
    /// Language keyword.
    pub lang: Field,
    /// Province ids.
    pub province: Field,
    /// Topic ids.
    pub topic: Field,
    /// Sentiment label.
    pub sentiment: Field,
    /// Publication date.
    pub published: Field,
}

impl Fields {
    fn keyword(&self, f: KeywordField) -> Field {
        match f {
            KeywordField::Source => self.source,
            KeywordField::Site => self.site,
            KeywordField::Lang => self.lang,
            KeywordField::Province => self.province,
            KeywordField::Topic => self.topic,
            KeywordField::Sentiment => self.sentiment,
        }
    }
}

/// What the index knows about its own terms, for decisions a query cannot make alone.
pub trait Vocabulary {
    /// The exact terms of the most likely accented reading of `folded` (syllables typed without
    /// diacritics: `cong doan` → `công đoàn`) in `field`, or `None`.
    fn restore(&self, field: Field, folded: &[&str]) -> Option<Vec<String>>;

    /// At most `limit` terms of `field` starting with `prefix`, most frequent first, only folded
    /// terms (no diacritics) if `folded`; `None` to let tantivy expand the prefix itself.
    fn expand_prefix(
        &self,
        field: Field,
        prefix: &str,
        folded: bool,
        limit: usize,
    ) -> Option<Vec<String>>;
}

/// A vocabulary that knows nothing: unaccented queries match every accented form, unranked,
/// and prefixes are expanded by tantivy.
pub struct NoVocabulary;

impl Vocabulary for NoVocabulary {
    fn restore(&self, _: Field, _: &[&str]) -> Option<Vec<String>> {
        None
    }

    fn expand_prefix(&self, _: Field, _: &str, _: bool, _: usize) -> Option<Vec<String>> {
        None
    }
}

/// Completions considered for a prefix at the end of a phrase, most frequent first. `dinh c*`
/// has thousands of candidate syllables, most of them rare; the most frequent 256 carry nearly
/// all occurrences. (A single-syllable prefix, `công*`, is not limited.)
const PREFIX_EXPANSIONS: usize = 256;

/// How much a title match weighs against a body match.
const TITLE_BOOST: f32 = 2.0;
/// How much the accented reading weighs over other readings of an unaccented query.
const RESTORED_BOOST: f32 = 3.0;

/// Compiles a parsed query for the given fields, for search: a prefix at the end of a phrase
/// looks at its most frequent completions only (see `PREFIX_EXPANSIONS`).
pub fn to_tantivy(
    q: &Query,
    fields: &Fields,
    vocabulary: &dyn Vocabulary,
) -> Box<dyn TantivyQuery> {
    compile(q, fields, vocabulary, PREFIX_EXPANSIONS)
}

/// Compiles a parsed query for the given fields with every completion of a phrase prefix: the
/// documents it finds are exactly those the streaming [`crate::Matcher`] finds (topic rules run
/// over the archive).
pub fn to_tantivy_exact(
    q: &Query,
    fields: &Fields,
    vocabulary: &dyn Vocabulary,
) -> Box<dyn TantivyQuery> {
    compile(q, fields, vocabulary, usize::MAX)
}

fn compile(
    q: &Query,
    fields: &Fields,
    vocabulary: &dyn Vocabulary,
    expansions: usize,
) -> Box<dyn TantivyQuery> {
    Compiler {
        fields,
        vocabulary,
        expansions,
    }
    .query(q)
}

struct Compiler<'a> {
    fields: &'a Fields,
    vocabulary: &'a dyn Vocabulary,
    /// Completions of a phrase prefix considered.
    expansions: usize,
}

fn terms(field: Field, words: &[&str]) -> Vec<Term> {
    words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect()
}

/// A term or phrase over one field.
fn sequence(field: Field, words: &[&str]) -> Box<dyn TantivyQuery> {
    sequence_with(field, words, None, &NoVocabulary, PREFIX_EXPANSIONS)
}

/// A term, phrase or prefix over one field; `prefix` says whether the last word is a prefix and
/// if so whether it was typed without diacritics (its completions are then folded terms only);
/// `expansions` bounds the completions of a phrase prefix.
fn sequence_with(
    field: Field,
    words: &[&str],
    prefix: Option<bool>,
    vocabulary: &dyn Vocabulary,
    expansions: usize,
) -> Box<dyn TantivyQuery> {
    let folded_prefix = prefix.unwrap_or(false);
    let prefix = prefix.is_some();
    match (words.len(), prefix) {
        (0, _) => Box::new(EmptyQuery),
        (1, false) => Box::new(TermQuery::new(
            Term::from_field_text(field, words[0]),
            IndexRecordOption::WithFreqs,
        )),
        // Terms are analyzer output: letters and digits only, nothing to escape.
        (1, true) => match RegexQuery::from_pattern(&format!("{}.*", words[0]), field) {
            Ok(q) => Box::new(q),
            Err(_) => Box::new(EmptyQuery),
        },
        (_, false) => Box::new(PhraseQuery::new(terms(field, words))),
        (n, true) => {
            let (head, last) = words.split_at(n - 1);
            match vocabulary.expand_prefix(field, last[0], folded_prefix, expansions) {
                // The head phrase scores; the filter checks that a frequent completion follows.
                Some(expansions) => {
                    let completions: Vec<&str> = expansions.iter().map(String::as_str).collect();
                    let filter = PrefixPhraseFilter {
                        head: terms(field, head),
                        completions: terms(field, &completions),
                    };
                    and(vec![
                        sequence(field, head),
                        Box::new(DocPredicateQuery::from(filter)),
                    ])
                }
                // tantivy expands in byte order and stops at the limit.
                None => {
                    let mut q = PhrasePrefixQuery::new(terms(field, words));
                    q.set_max_expansions(u32::try_from(expansions).unwrap_or(u32::MAX));
                    Box::new(q)
                }
            }
        }
    }
}

fn and(parts: Vec<Box<dyn TantivyQuery>>) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(
        parts.into_iter().map(|q| (Occur::Must, q)).collect(),
    ))
}

fn or(parts: Vec<Box<dyn TantivyQuery>>) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(
        parts.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Start of a Vietnam-local day as a tantivy date.
pub(crate) fn day_start(d: Date) -> DateTime {
    let offset = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let at: OffsetDateTime = d.with_time(Time::MIDNIGHT).assume_offset(offset);
    DateTime::from_timestamp_secs(at.unix_timestamp())
}

impl Compiler<'_> {
    fn query(&self, q: &Query) -> Box<dyn TantivyQuery> {
        match q {
            Query::Text(t) => self.text(t),
            Query::Near {
                distance,
                left,
                right,
            } => self.near(*distance, left, right),
            Query::Outside { phrase, within } => {
                let p = index_terms(phrase);
                let within: Vec<(Vec<&str>, u32)> =
                    within.iter().map(|(w, k)| (index_terms(w), *k)).collect();
                self.per_field(phrase.scope, |field| {
                    let filter = OutsideFilter {
                        phrase: terms(field, &p),
                        within: within.iter().map(|(w, k)| (terms(field, w), *k)).collect(),
                    };
                    and(vec![
                        sequence(field, &p),
                        Box::new(DocPredicateQuery::from(filter)),
                    ])
                })
            }
            Query::Keyword { field, value } => Box::new(TermQuery::new(
                Term::from_field_text(self.fields.keyword(*field), value),
                IndexRecordOption::Basic,
            )),
            Query::Published { from, to } => {
                let field = self.fields.published;
                let lower = from.map_or(Bound::Unbounded, |d| {
                    Bound::Included(Term::from_field_date(field, day_start(d)))
                });
                let upper = to.and_then(Date::next_day).map_or(Bound::Unbounded, |d| {
                    Bound::Excluded(Term::from_field_date(field, day_start(d)))
                });
                Box::new(RangeQuery::new(lower, upper))
            }
            Query::And(qs) => {
                let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = qs
                    .iter()
                    .map(|q| match q {
                        Query::Not(inner) => (Occur::MustNot, self.query(inner)),
                        q => (Occur::Must, self.query(q)),
                    })
                    .collect();
                if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Query::Or(qs) => or(qs.iter().map(|q| self.query(q)).collect()),
            Query::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(AllQuery)),
                (Occur::MustNot, self.query(inner)),
            ])),
        }
    }

    /// The fields a scope covers, with their weights.
    fn scope_fields(&self, scope: Scope) -> Vec<(Field, f32)> {
        let f = self.fields;
        match scope {
            Scope::Title => vec![(f.title, 1.0)],
            Scope::All => vec![(f.title, TITLE_BOOST), (f.body, 1.0)],
        }
    }

    /// The same query on each field of `scope`, weighted, any of them matching.
    fn per_field(
        &self,
        scope: Scope,
        on: impl Fn(Field) -> Box<dyn TantivyQuery>,
    ) -> Box<dyn TantivyQuery> {
        let mut per_field: Vec<Box<dyn TantivyQuery>> = self
            .scope_fields(scope)
            .into_iter()
            .map(|(field, weight)| {
                let q = on(field);
                if weight == 1.0 {
                    q
                } else {
                    Box::new(BoostQuery::new(q, weight)) as Box<dyn TantivyQuery>
                }
            })
            .collect();
        if per_field.len() == 1 {
            per_field.pop().unwrap_or_else(|| Box::new(EmptyQuery))
        } else {
            or(per_field)
        }
    }

    fn text(&self, t: &Text) -> Box<dyn TantivyQuery> {
        self.per_field(t.scope, |field| self.text_on(t, field))
    }

    fn text_on(&self, t: &Text, field: Field) -> Box<dyn TantivyQuery> {
        let words = index_terms(t);
        let prefix = t
            .prefix
            .then(|| t.syllables.last().is_some_and(|s| !s.marked));
        let base = sequence_with(field, &words, prefix, self.vocabulary, self.expansions);
        if !t.none_marked() || t.prefix {
            return base;
        }
        match self.vocabulary.restore(field, &words) {
            Some(restored) => {
                let restored: Vec<&str> = restored.iter().map(String::as_str).collect();
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, base),
                    (
                        Occur::Should,
                        Box::new(BoostQuery::new(sequence(field, &restored), RESTORED_BOOST)),
                    ),
                ]))
            }
            None => base,
        }
    }

    fn near(&self, distance: u32, left: &Text, right: &Text) -> Box<dyn TantivyQuery> {
        let (l, r) = (index_terms(left), index_terms(right));
        self.per_field(left.scope, |field| {
            let filter = NearFilter {
                left: terms(field, &l),
                right: terms(field, &r),
                distance,
            };
            // The phrases score the document; the filter checks the distance between them.
            and(vec![
                sequence(field, &l),
                sequence(field, &r),
                Box::new(DocPredicateQuery::from(filter)),
            ])
        })
    }
}

/// The index term of each syllable (see [`crate::ast::Syllable::term`]).
fn index_terms(t: &Text) -> Vec<&str> {
    t.syllables.iter().map(|s| s.term()).collect()
}
