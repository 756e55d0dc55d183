//! The syntax tree of the one query language.
//!
//! Text leaves are already analysed: each syllable carries its exact and folded index terms and
//! whether it was typed with diacritics, so every back end (tantivy, the streaming matcher of
//! topic rules) applies the same diacritic rule without re-tokenising.

use std::fmt;

use time::Date;

/// One syllable of a query word, as the analyzers index it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Syllable {
    /// Exact-analyzer term: lowercase, canonical tones (`hòa`).
    pub exact: String,
    /// Folded-analyzer term: no diacritics (`hoa`).
    pub folded: String,
    /// Typed with diacritics: match `exact` only. Without: match `folded`, rank restorations first.
    pub marked: bool,
}

impl Syllable {
    /// The index term this syllable looks up: exact if typed with diacritics, folded if not.
    pub fn term(&self) -> &str {
        if self.marked {
            &self.exact
        } else {
            &self.folded
        }
    }
}

/// Which text fields a text leaf searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Title and body (title weighted up).
    All,
    /// `title:` only.
    Title,
}

/// A term, a phrase, or either ending in a prefix (`công*`, `"người lao đ*"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// The syllables in order; never empty.
    pub syllables: Vec<Syllable>,
    /// The last syllable is a prefix.
    pub prefix: bool,
    /// Where to look.
    pub scope: Scope,
    /// Typed in quotes (shown back that way).
    pub quoted: bool,
}

impl Text {
    /// True when every syllable was typed with diacritics: only the exact field is consulted.
    pub fn all_marked(&self) -> bool {
        self.syllables.iter().all(|s| s.marked)
    }

    /// True when no syllable was typed with diacritics.
    pub fn none_marked(&self) -> bool {
        self.syllables.iter().all(|s| !s.marked)
    }

    /// The same text as if typed without diacritics.
    pub fn unmarked(&self) -> Text {
        let mut t = self.clone();
        for s in &mut t.syllables {
            s.marked = false;
        }
        t
    }
}

/// Fields holding one keyword per value (no analysis beyond lowercase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeywordField {
    /// `source:` — the configured source id (for imports, the site host).
    Source,
    /// `site:` — the host of the URL; `site:vnexpress.net` also matches `e.vnexpress.net`.
    Site,
    /// `lang:` — ISO 639-1 code.
    Lang,
    /// `province:` — a province id of the gazetteer.
    Province,
    /// `topic:` — a topic id.
    Topic,
    /// `sentiment:` — `negative`, `neutral`, `positive`.
    Sentiment,
}

impl KeywordField {
    /// Every keyword field with the name typed before the colon.
    pub const ALL: [(KeywordField, &'static str); 6] = [
        (KeywordField::Source, "source"),
        (KeywordField::Site, "site"),
        (KeywordField::Lang, "lang"),
        (KeywordField::Province, "province"),
        (KeywordField::Topic, "topic"),
        (KeywordField::Sentiment, "sentiment"),
    ];

    /// The name typed before the colon.
    pub fn name(self) -> &'static str {
        KeywordField::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("", |(_, n)| n)
    }
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// A term, phrase or prefix.
    Text(Text),
    /// `NEAR/n(a, b)`: `a` and `b` within `n` syllables of each other, in either order.
    Near {
        /// Largest number of syllables allowed between the two.
        distance: u32,
        /// First operand.
        left: Text,
        /// Second operand.
        right: Text,
    },
    /// `OUTSIDE(đình công, gia đình công)`: the phrase where it is not part of one of the longer
    /// phrases given after it: "gia đình công nhân" holds the syllables "đình công", and a
    /// folding collision or a look-alike context is excluded occurrence by occurrence, not by
    /// vetoing the whole document.
    Outside {
        /// The phrase looked for.
        phrase: Text,
        /// Longer phrases, each holding `phrase`, with the syllable offset where they hold it.
        within: Vec<(Text, u32)>,
    },
    /// `source:vnexpress.net`, `lang:vi`, …
    Keyword {
        /// Which field.
        field: KeywordField,
        /// The value, lowercased.
        value: String,
    },
    /// `published:[2026-11-01 TO 2026-11-30]`: days in Vietnam time, both ends inclusive;
    /// `None` is an open end (`*`).
    Published {
        /// First day included.
        from: Option<Date>,
        /// Last day included.
        to: Option<Date>,
    },
    /// Every operand must match (`a b`, `a AND b`).
    And(Vec<Query>),
    /// At least one operand must match.
    Or(Vec<Query>),
    /// Must not match (`-a`, `NOT a`).
    Not(Box<Query>),
}

impl Query {
    /// The same query with every unquoted multi-syllable phrase turned into "all of these
    /// syllables" (`tang luong toi thieu` → `tang AND luong AND toi AND thieu`), or `None` if
    /// there is no such phrase. Search offers it when the strict reading finds nothing; quoted
    /// phrases, NEAR operands and negated parts keep their meaning.
    pub fn relaxed(&self) -> Option<Query> {
        fn relax(q: &Query, changed: &mut bool) -> Query {
            match q {
                Query::Text(t) if !t.quoted && t.syllables.len() > 1 => {
                    *changed = true;
                    let n = t.syllables.len();
                    Query::And(
                        t.syllables
                            .iter()
                            .enumerate()
                            .map(|(i, s)| {
                                Query::Text(Text {
                                    syllables: vec![s.clone()],
                                    prefix: t.prefix && i + 1 == n,
                                    scope: t.scope,
                                    quoted: false,
                                })
                            })
                            .collect(),
                    )
                }
                Query::And(qs) => Query::And(qs.iter().map(|q| relax(q, changed)).collect()),
                Query::Or(qs) => Query::Or(qs.iter().map(|q| relax(q, changed)).collect()),
                other => other.clone(),
            }
        }
        let mut changed = false;
        let q = relax(self, &mut changed);
        changed.then_some(q)
    }
}

impl Query {
    /// The same query with `f` applied to every text in it: terms and phrases, both operands of
    /// `NEAR`, the phrase of `OUTSIDE` and its longer phrases.
    pub fn map_texts(&self, f: &impl Fn(&Text) -> Text) -> Query {
        match self {
            Query::Text(t) => Query::Text(f(t)),
            Query::Near {
                distance,
                left,
                right,
            } => Query::Near {
                distance: *distance,
                left: f(left),
                right: f(right),
            },
            Query::Outside { phrase, within } => Query::Outside {
                phrase: f(phrase),
                within: within.iter().map(|(w, k)| (f(w), *k)).collect(),
            },
            Query::And(qs) => Query::And(qs.iter().map(|q| q.map_texts(f)).collect()),
            Query::Or(qs) => Query::Or(qs.iter().map(|q| q.map_texts(f)).collect()),
            Query::Not(q) => Query::Not(Box::new(q.map_texts(f))),
            Query::Keyword { .. } | Query::Published { .. } => self.clone(),
        }
    }

    /// The same query as if every syllable had been typed without diacritics (`công đoàn` →
    /// `cong doan`): for text written without them, where the marks cannot tell words apart.
    pub fn unmarked(&self) -> Query {
        self.map_texts(&Text::unmarked)
    }
}

fn write_text(f: &mut fmt::Formatter<'_>, t: &Text) -> fmt::Result {
    if t.scope == Scope::Title {
        f.write_str("title:")?;
    }
    let words: Vec<&str> = t.syllables.iter().map(Syllable::term).collect();
    let star = if t.prefix { "*" } else { "" };
    if t.quoted || words.len() > 1 {
        write!(f, "\"{}{star}\"", words.join(" "))
    } else {
        write!(f, "{}{star}", words.join(" "))
    }
}

/// Shows the query the way the parser understood it, in the query language itself:
/// `cong doan -"công đoạn"` shows as `(AND cong doan (NOT "công đoạn"))`-like text
/// with explicit operators.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Text(t) => write_text(f, t),
            Query::Near {
                distance,
                left,
                right,
            } => {
                write!(f, "NEAR/{distance}(")?;
                write_text(f, left)?;
                f.write_str(", ")?;
                write_text(f, right)?;
                f.write_str(")")
            }
            Query::Outside { phrase, within } => {
                f.write_str("OUTSIDE(")?;
                write_text(f, phrase)?;
                for (w, _) in within {
                    f.write_str(", ")?;
                    write_text(f, w)?;
                }
                f.write_str(")")
            }
            Query::Keyword { field, value } => write!(f, "{}:{value}", field.name()),
            Query::Published { from, to } => {
                let show = |d: &Option<Date>| d.map_or("*".to_string(), |d| d.to_string());
                write!(f, "published:[{} TO {}]", show(from), show(to))
            }
            Query::And(qs) | Query::Or(qs) => {
                let op = if matches!(self, Query::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                f.write_str("(")?;
                for (i, q) in qs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    write!(f, "{q}")?;
                }
                f.write_str(")")
            }
            Query::Not(q) => write!(f, "NOT {q}"),
        }
    }
}
