//! Topic packs: `config/topics/*.toml`, each a list of topics with their rule, severity and
//! examples.
//!
//! ```toml
//! version = 1
//! [[topic]]
//! id = "dinh-cong"
//! name = "Đình công, ngừng việc tập thể"
//! description = "Strikes and collective work stoppages."
//! severity = "alert"
//! query = "đình công OR ngừng việc OR lãn công"   # without it: the OR of the patterns not `context`
//! exclude = ["bóng đá", { shared = "sports" }] # any of these vetoes the topic
//! threshold = 1.0                               # with patterns: their weights must reach it
//! mentions = 2                                  # passages of a long text the rule must hold in, unless it holds in the title and lead
//! fallback = false                              # true: only for documents no other topic of the packs has
//! [[topic.pattern]]
//! query = "công nhân OR người lao động"
//! weight = 1.0
//! context = true                                # only adds weight to what the others select
//! [topic.examples]
//! match = [
//!   "Hơn 300 công nhân ngừng việc tập thể đòi tăng lương.",
//!   { title = "Công nhân ngừng việc", body = "Họ đòi trả đủ lương." },  # rules that read the headline
//! ]
//! no_match = ["Đội bóng ngừng việc tập luyện."]
//! [exclusions]                                  # exclusions several topics use, by name
//! sports = "cầu thủ OR HLV OR \"đội bóng\""
//! ```

use serde::Deserialize;

use langnghe_model::{ConfigProblem, Severity, stable_hash};
use langnghe_query::{KeywordField, Query, Text, parse};

/// The file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    version: u32,
    /// Words and names written without diacritics on purpose (`Ba Lan`, `EU`): the rules may use
    /// them alone although they also match their accented look-alikes.
    #[serde(default)]
    unmarked: Vec<String>,
    scope: Option<ScopeFile>,
    #[serde(default, rename = "topic")]
    topics: Vec<TopicFile>,
    /// Exclusions several topics share, by name: written once, used as `{ shared = "name" }` in
    /// a topic's `exclude`, and read there as if the text stood in its place.
    #[serde(default)]
    exclusions: std::collections::BTreeMap<String, String>,
}

/// An exclusion as written: its query, or the name of one of the pack's `[exclusions]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ExcludeFile {
    Text(String),
    Shared { shared: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeFile {
    abroad: Vec<String>,
    #[serde(default)]
    here: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    severity: Severity,
    /// Without it, the OR of the topic's patterns that are not `context`.
    query: Option<String>,
    #[serde(default)]
    exclude: Vec<ExcludeFile>,
    threshold: Option<f64>,
    mentions: Option<u32>,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    abroad: bool,
    #[serde(default, rename = "pattern")]
    patterns: Vec<PatternFile>,
    #[serde(default)]
    examples: ExamplesFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    query: String,
    weight: f64,
    /// Only adds weight to documents the topic's other patterns select (workers named, a job
    /// word in the headline); left out of the query a topic without one derives.
    #[serde(default)]
    context: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesFile {
    #[serde(default, rename = "match")]
    matching: Vec<Example>,
    #[serde(default)]
    no_match: Vec<Example>,
}

/// An example as written: a sentence (the body of a document without a title), or a table
/// `{ title = "…", body = "…" }` for rules that read the headline.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ExampleFile {
    Body(String),
    Document {
        title: String,
        #[serde(default)]
        body: String,
    },
}

impl From<ExampleFile> for Example {
    fn from(e: ExampleFile) -> Example {
        match e {
            ExampleFile::Body(body) => Example {
                title: String::new(),
                body,
            },
            ExampleFile::Document { title, body } => Example { title, body },
        }
    }
}

/// A document a topic must or must not match: most are one sentence of body text.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "ExampleFile")]
pub struct Example {
    /// The headline; empty for a sentence of body text.
    pub title: String,
    /// The text.
    pub body: String,
}

impl std::fmt::Display for Example {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.title.is_empty() {
            f.write_str(&self.body)
        } else if self.body.is_empty() {
            write!(f, "title: {}", self.title)
        } else {
            write!(f, "title: {} | {}", self.title, self.body)
        }
    }
}

/// A weighted part of a topic's rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// As written.
    pub text: String,
    /// Parsed.
    pub query: Query,
    /// Added to the topic's score when it matches (may be negative).
    pub weight: f64,
}

/// One topic: what officers want to know about, as a rule of the query language.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Stable id (`dinh-cong`).
    pub id: String,
    /// Vietnamese name shown to users.
    pub name: String,
    /// What it covers.
    pub description: String,
    /// How urgently its documents must be read.
    pub severity: Severity,
    /// The rule, as written.
    pub text: String,
    /// The rule, parsed.
    pub query: Query,
    /// Queries that veto the topic when any matches (look-alike contexts).
    pub exclude: Vec<(String, Query)>,
    /// Weighted patterns; with any, their matched weights must reach `threshold`.
    pub patterns: Vec<Pattern>,
    /// See `patterns` (1.0 unless given).
    pub threshold: f64,
    /// In a long text (see [`crate::LONG_TEXT`]), in how many passages (see [`crate::PASSAGE`])
    /// the rule must hold when it does not hold in the title and lead: one passing mention does
    /// not make a document about a topic (2 unless given).
    pub mentions: u32,
    /// A catch-all: the topic is given only to documents that no topic without `fallback` is
    /// given to ("workers in the headline" when no narrower topic says what about them).
    pub fallback: bool,
    /// The pack's scope (see [`Scope`]), unless the topic is about Vietnamese abroad.
    pub scope: Option<Scope>,
    /// Documents (most a sentence) the topic must match.
    pub examples_match: Vec<Example>,
    /// Documents it must not match.
    pub examples_no_match: Vec<Example>,
    /// The file it came from.
    pub file: String,
}

/// How the classifier decides with a topic's rule; part of every topic's version, so that tags
/// recorded under an older way of deciding show as stale (`rules explain`) and are worth a
/// `rules apply`. Raised whenever a rule's meaning changes without its text changing.
/// 2: in a long text the whole rule must hold in the title and lead or in passages.
/// 3: passages count only when the title names something the rule looks for.
const DECIDING: u32 = 3;

impl Topic {
    /// The score of a document whose patterns `matched` (by index): the sum of their weights,
    /// or 1 for a topic without patterns.
    pub fn score(&self, matched: impl Fn(usize) -> bool) -> f64 {
        if self.patterns.is_empty() {
            return 1.0;
        }
        (0..self.patterns.len())
            .filter(|&k| matched(k))
            .map(|k| self.patterns[k].weight)
            .sum()
    }

    /// Whether `score` reaches the threshold (always, for a topic without patterns): with its
    /// query matching, the topic's rule holds.
    pub fn passes(&self, score: f64) -> bool {
        self.patterns.is_empty() || score >= self.threshold
    }

    /// A hash of everything that decides what the topic matches (its rule, patterns,
    /// exclusions and threshold, and how the classifier reads them), in hex: hits record it,
    /// so that a changed rule is visible.
    pub fn version(&self) -> String {
        let mut canonical = self.text.clone();
        canonical.push_str(&format!("\u{1}deciding={DECIDING}"));
        for (text, _) in &self.exclude {
            canonical.push_str("\u{1}-");
            canonical.push_str(text);
        }
        for p in &self.patterns {
            canonical.push_str(&format!("\u{1}{}={}", p.text, p.weight));
        }
        canonical.push_str(&format!("\u{1}>={}", self.threshold));
        if self.mentions != 2 {
            canonical.push_str(&format!("\u{1}mentions={}", self.mentions));
        }
        if self.fallback {
            canonical.push_str("\u{1}fallback");
        }
        if let Some(scope) = &self.scope {
            for a in &scope.abroad_text {
                canonical.push_str("\u{1}abroad=");
                canonical.push_str(a);
            }
            for h in &scope.here_text {
                canonical.push_str("\u{1}here=");
                canonical.push_str(h);
            }
        }
        format!("{:016x}", stable_hash(canonical.as_bytes()))
    }
}

/// Where a pack's news must happen: a document that names a place abroad (`abroad`) and no
/// place in Vietnam (`here`, or any province of the gazetteer) is not about the pack's topics.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Places abroad, as written.
    pub abroad_text: Vec<String>,
    /// The same, parsed and joined with OR.
    pub abroad: Query,
    /// Names of Vietnam, as written.
    pub here_text: Vec<String>,
    /// The same, parsed and joined with OR (`None` if there are none).
    pub here: Option<Query>,
}

/// Topics from any number of pack files, ids unique across them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TopicPacks {
    /// Every topic, in file and then file order.
    pub topics: Vec<Topic>,
}

/// Reads the queries of one pack file; a problem names the file, the key and the column.
struct RuleReader<'a> {
    file: &'a str,
    /// The file's `unmarked` words, folded (`ba lan`).
    unmarked: Vec<String>,
}

impl RuleReader<'_> {
    fn read(&self, text: &str, key: &str, problems: &mut Vec<ConfigProblem>) -> Option<Query> {
        let file = self.file;
        match parse(text) {
            Ok(q) => {
                for word in unmarked_syllables(&q) {
                    if !self.unmarked.contains(&word) {
                        problems.push(ConfigProblem::at(
                            file,
                            key,
                            format!(
                                "\"{word}\" is written without diacritics and is also Vietnamese: it matches every accented form of it (\"xai\" matches \"xài\"); write it with its marks or inside a longer phrase, or list it under `unmarked` if it is meant so"
                            ),
                        ));
                    }
                }
                if let Some(field) = uses_unavailable_field(&q) {
                    problems.push(ConfigProblem::at(
                        file,
                        key,
                        format!(
                            "`{field}:` is not known when topics are decided; rules may use text, title:, source:, site:, lang:, province: and published:"
                        ),
                    ));
                    return None;
                }
                Some(q)
            }
            Err(e) => {
                problems.push(ConfigProblem::at(file, key, e.to_string()));
                None
            }
        }
    }
}

/// The folded words of a term or phrase (`ba lan`).
fn words(t: &Text) -> String {
    let words: Vec<&str> = t.syllables.iter().map(|s| s.folded.as_str()).collect();
    words.join(" ")
}

/// The terms and phrases of `q` written without diacritics whose every syllable is also a
/// Vietnamese syllable: without marks they match every accented form (`xAI` matches `xài`,
/// `Tim` alone matches `tìm`), which a pack written with diacritics never means. Names that are
/// not Vietnamese syllables (`Intel`, `Tokyo`) and phrases holding one (`Tim Cook`) are safe; the
/// longer phrases of `OUTSIDE` only narrow a match and are not checked.
fn unmarked_syllables(q: &Query) -> Vec<String> {
    fn collides(t: &Text) -> bool {
        !t.prefix
            && t.syllables
                .iter()
                .all(|s| !s.marked && langnghe_vi::is_syllable(&s.folded))
    }
    fn walk(q: &Query, out: &mut Vec<String>) {
        match q {
            Query::Text(t) | Query::Outside { phrase: t, .. } => {
                if collides(t) {
                    out.push(words(t));
                }
            }
            Query::Near { left, right, .. } => {
                out.extend([left, right].into_iter().filter(|t| collides(t)).map(words));
            }
            Query::And(qs) | Query::Or(qs) => qs.iter().for_each(|q| walk(q, out)),
            Query::Not(q) => walk(q, out),
            Query::Keyword { .. } | Query::Published { .. } => {}
        }
    }
    let mut out = Vec::new();
    walk(q, &mut out);
    out
}

/// `topic:` and `sentiment:` are decided after (or with) topics, so rules cannot use them.
fn uses_unavailable_field(q: &Query) -> Option<&'static str> {
    match q {
        Query::Keyword {
            field: KeywordField::Topic,
            ..
        } => Some("topic"),
        Query::Keyword {
            field: KeywordField::Sentiment,
            ..
        } => Some("sentiment"),
        Query::And(qs) | Query::Or(qs) => qs.iter().find_map(uses_unavailable_field),
        Query::Not(q) => uses_unavailable_field(q),
        _ => None,
    }
}

impl TopicPacks {
    /// Every topic's id, in order.
    pub fn ids(&self) -> Vec<&str> {
        self.topics.iter().map(|t| t.id.as_str()).collect()
    }

    /// Parses pack files given as (file name, text), in order. On failure, every problem of
    /// every file, each with its key (`topic[2] (dinh-cong).query`).
    pub fn parse(files: &[(String, String)]) -> Result<TopicPacks, Vec<ConfigProblem>> {
        let mut problems = Vec::new();
        let mut topics: Vec<Topic> = Vec::new();
        for (file, text) in files {
            let pack: PackFile = match langnghe_model::parse_toml(text, file) {
                Ok(p) => p,
                Err(mut e) => {
                    problems.append(&mut e);
                    continue;
                }
            };
            if pack.version != 1 {
                problems.push(ConfigProblem::at(
                    file,
                    "version",
                    format!("this build reads version 1, the file says {}", pack.version),
                ));
            }
            // Read by the query parser, so that they compare with the rules' words as analysed.
            let mut unmarked = Vec::new();
            for (k, word) in pack.unmarked.iter().enumerate() {
                let problem = match parse(word) {
                    _ if langnghe_vi::has_marks(word) => {
                        "has diacritics; list only words written without them"
                    }
                    Ok(Query::Text(t)) => {
                        unmarked.push(words(&t));
                        continue;
                    }
                    _ => "must be a word or a phrase",
                };
                problems.push(ConfigProblem::at(
                    file,
                    format!("unmarked[{k}]"),
                    format!("\"{word}\" {problem}"),
                ));
            }
            let rules = RuleReader { file, unmarked };
            let scope = pack.scope.and_then(|sc| {
                let parse_all = |texts: &[String], key: &str, problems: &mut Vec<ConfigProblem>| {
                    let queries: Vec<Query> = texts
                        .iter()
                        .enumerate()
                        .filter_map(|(k, t)| rules.read(t, &format!("scope.{key}[{k}]"), problems))
                        .collect();
                    (queries.len() == texts.len()).then_some(queries)
                };
                if sc.abroad.is_empty() {
                    problems.push(ConfigProblem::at(
                        file,
                        "scope.abroad",
                        "needs at least one place abroad",
                    ));
                    return None;
                }
                let abroad = parse_all(&sc.abroad, "abroad", &mut problems)?;
                let here = parse_all(&sc.here, "here", &mut problems)?;
                Some(Scope {
                    abroad_text: sc.abroad,
                    abroad: Query::Or(abroad),
                    here_text: sc.here,
                    here: (!here.is_empty()).then_some(Query::Or(here)),
                })
            });
            // Each shared exclusion read once; a problem in one names it, not every topic.
            let shared: std::collections::BTreeMap<&str, (&String, Option<Query>)> = pack
                .exclusions
                .iter()
                .map(|(name, text)| {
                    let q = rules.read(text, &format!("exclusions.{name}"), &mut problems);
                    (name.as_str(), (text, q))
                })
                .collect();
            let mut used = std::collections::BTreeSet::new();
            for (i, t) in pack.topics.into_iter().enumerate() {
                let at = |key: &str| format!("topic[{i}] ({}).{key}", t.id);
                if let Some(problem) = langnghe_model::id_problem(&t.id) {
                    problems.push(ConfigProblem::at(file, at("id"), problem));
                }
                if let Some(other) = topics.iter().find(|o| o.id == t.id) {
                    problems.push(ConfigProblem::at(
                        file,
                        at("id"),
                        format!("is used by a topic of {}", other.file),
                    ));
                }
                if t.name.trim().is_empty() {
                    problems.push(ConfigProblem::at(file, at("name"), "must not be empty"));
                }
                let text = match &t.query {
                    Some(q) => Some(q.clone()),
                    None => {
                        let selecting: Vec<String> = t
                            .patterns
                            .iter()
                            .filter(|p| !p.context)
                            .map(|p| format!("({})", p.query.trim()))
                            .collect();
                        if selecting.is_empty() {
                            problems.push(ConfigProblem::at(
                                file,
                                at("query"),
                                "is needed unless a pattern that is not `context` selects documents",
                            ));
                        }
                        (!selecting.is_empty()).then(|| selecting.join("\nOR "))
                    }
                };
                let query = text
                    .as_deref()
                    .and_then(|text| rules.read(text, &at("query"), &mut problems));
                let mut exclude = Vec::new();
                for (k, entry) in t.exclude.iter().enumerate() {
                    let key = at(&format!("exclude[{k}]"));
                    match entry {
                        ExcludeFile::Text(text) => {
                            if let Some(q) = rules.read(text, &key, &mut problems) {
                                exclude.push((text.clone(), q));
                            }
                        }
                        ExcludeFile::Shared { shared: name } => {
                            let Some((text, q)) = shared.get(name.as_str()) else {
                                let known: Vec<&str> =
                                    pack.exclusions.keys().map(String::as_str).collect();
                                problems.push(ConfigProblem::at(
                                    file,
                                    key,
                                    format!(
                                        "no shared exclusion `{name}` in [exclusions] (the file has: {})",
                                        if known.is_empty() { "none".to_string() } else { known.join(", ") }
                                    ),
                                ));
                                continue;
                            };
                            used.insert(name.clone());
                            if let Some(q) = q {
                                exclude.push(((*text).clone(), q.clone()));
                            }
                        }
                    }
                }
                let mut patterns = Vec::new();
                for (k, p) in t.patterns.iter().enumerate() {
                    let key = at(&format!("pattern[{k}]"));
                    if !p.weight.is_finite() || p.weight == 0.0 {
                        problems.push(ConfigProblem::at(
                            file,
                            format!("{key}.weight"),
                            format!("must be a number other than 0, not {}", p.weight),
                        ));
                    }
                    if let Some(q) = rules.read(&p.query, &format!("{key}.query"), &mut problems) {
                        patterns.push(Pattern {
                            text: p.query.clone(),
                            query: q,
                            weight: p.weight,
                        });
                    }
                }
                if t.threshold.is_some() && t.patterns.is_empty() {
                    problems.push(ConfigProblem::at(
                        file,
                        at("threshold"),
                        "applies to weighted patterns; this topic has none",
                    ));
                }
                if t.threshold.is_some_and(|v| !v.is_finite()) {
                    problems.push(ConfigProblem::at(file, at("threshold"), "must be a number"));
                }
                if t.mentions == Some(0) {
                    problems.push(ConfigProblem::at(
                        file,
                        at("mentions"),
                        "must be at least 1",
                    ));
                }
                if t.examples.matching.is_empty() {
                    problems.push(ConfigProblem::at(
                        file,
                        at("examples.match"),
                        "needs at least one sentence the topic must match",
                    ));
                }
                if let (Some(query), Some(text)) = (query, text) {
                    topics.push(Topic {
                        id: t.id,
                        name: t.name,
                        description: t.description,
                        severity: t.severity,
                        text,
                        query,
                        exclude,
                        patterns,
                        threshold: t.threshold.unwrap_or(1.0),
                        mentions: t.mentions.unwrap_or(2),
                        fallback: t.fallback,
                        scope: if t.abroad { None } else { scope.clone() },
                        examples_match: t.examples.matching,
                        examples_no_match: t.examples.no_match,
                        file: file.clone(),
                    });
                }
            }
            for name in pack.exclusions.keys().filter(|n| !used.contains(*n)) {
                problems.push(ConfigProblem::at(
                    file,
                    format!("exclusions.{name}"),
                    "is used by no topic",
                ));
            }
        }
        if problems.is_empty() {
            Ok(TopicPacks { topics })
        } else {
            Err(problems)
        }
    }

    /// The topic with this id.
    pub fn get(&self, id: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.id == id)
    }

    /// Whether `id` is a fallback topic (see [`Topic::fallback`]).
    pub fn is_fallback(&self, id: &str) -> bool {
        self.get(id).is_some_and(|t| t.fallback)
    }

    /// Drops the fallback topics from a document's `hits` when another topic is among them:
    /// the one rule of [`Topic::fallback`], for classification and for re-tagging alike.
    pub fn settle_fallbacks<T>(&self, hits: &mut Vec<T>, id: impl Fn(&T) -> &str) {
        if hits.iter().any(|h| !self.is_fallback(id(h))) {
            hits.retain(|h| !self.is_fallback(id(h)));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        TopicPacks::parse(&[("labour.toml".into(), text.into())])
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The text of a pack with one topic `a` (severity info, one example): `header` before
    /// the topic, `fields` in it (its name, query, …), `after` after its examples.
    fn one_topic(header: &str, fields: &str, after: &str) -> String {
        format!(
            "version = 1\n{header}\n[[topic]]\nid = \"a\"\nseverity = \"info\"\n{fields}\n[topic.examples]\nmatch = [\"x\"]\n{after}"
        )
    }

    fn parse(text: String) -> Result<TopicPacks, Vec<ConfigProblem>> {
        TopicPacks::parse(&[("labour.toml".into(), text)])
    }

    #[test]
    fn every_problem_is_reported_with_file_and_key() {
        let p = problems(
            r#"
version = 1
[[topic]]
id = "Bad Id"
name = ""
severity = "alert"
query = "(đình công"
threshold = 2
[topic.examples]
match = []
[[topic]]
id = "b"
name = "B"
severity = "info"
query = "x AND topic:y"
exclude = ["NEAR/x(a, b)"]
[[topic.pattern]]
query = "công nhân"
weight = 0
[topic.examples]
match = ["x"]
"#,
        );
        let expected = [
            "labour.toml: topic[0] (Bad Id).id: \"Bad Id\" must be lowercase letters, digits and '-'",
            "labour.toml: topic[0] (Bad Id).name: must not be empty",
            "labour.toml: topic[0] (Bad Id).query: column 11: expected `)` to close `(` at column 1",
            "labour.toml: topic[0] (Bad Id).threshold: applies to weighted patterns",
            "labour.toml: topic[0] (Bad Id).examples.match: needs at least one sentence",
            "labour.toml: topic[1] (b).query: `topic:` is not known when topics are decided",
            "labour.toml: topic[1] (b).exclude[0]: column 6: expected a distance",
            "labour.toml: topic[1] (b).pattern[0].weight: must be a number other than 0",
        ];
        for e in expected {
            assert!(
                p.iter().any(|x| x.starts_with(e)),
                "missing {e:?} in\n{}",
                p.join("\n")
            );
        }
        assert_eq!(p.len(), expected.len(), "{}", p.join("\n"));
        let p = problems(
            "version = 1\n[[topic]]\nid = \"a\"\nname = \"A\"\nseverity = \"urgent\"\nquery = \"x\"\n",
        );
        assert!(
            p[0].starts_with("labour.toml:5:12: unknown variant `urgent`"),
            "{p:?}"
        );
    }

    #[test]
    fn a_word_without_marks_that_is_also_vietnamese_must_be_listed_as_meant() {
        let text = |unmarked: &str, query: &str| {
            one_topic(
                &format!("unmarked = {unmarked}"),
                &format!("name = \"A\"\nquery = '{query}'"),
                "",
            )
        };
        // "xAI" also matches "xài" (to spend), "sang" matches "sáng" (morning), "gan" matches
        // "gần" (near); names that are no Vietnamese syllable, and phrases holding one or a word
        // with marks, are safe.
        let query = r#"xAI OR Intel OR "Tim Cook" OR NEAR/3(gan, "đình công") OR OUTSIDE(sang, "buổi sáng") OR "đưa lao động sang" OR cong*"#;
        let p = problems(&text("[]", query));
        assert_eq!(p.len(), 3, "{p:#?}");
        for word in ["xai", "gan", "sang"] {
            let start = format!(
                "labour.toml: topic[0] (a).query: \"{word}\" is written without diacritics and is also Vietnamese"
            );
            assert!(p.iter().any(|x| x.starts_with(&start)), "{start} in {p:#?}");
        }
        assert!(parse(text(r#"["xAI", "Gan", "sang"]"#, query)).is_ok());
        let p = problems(&text(r#"["Mỹ", "a OR b"]"#, "Intel"));
        assert_eq!(
            p,
            [
                "labour.toml: unmarked[0]: \"Mỹ\" has diacritics; list only words written without them",
                "labour.toml: unmarked[1]: \"a OR b\" must be a word or a phrase"
            ]
        );
    }

    #[test]
    fn versions_change_with_the_rule_only() {
        let pack = |query: &str, name: &str| {
            parse(one_topic(
                "",
                &format!("name = \"{name}\"\nquery = \"{query}\""),
                "",
            ))
            .unwrap()
            .topics
            .remove(0)
            .version()
        };
        assert_eq!(pack("đình công", "A"), pack("đình công", "B"));
        assert_ne!(pack("đình công", "A"), pack("đình công OR lãn công", "A"));
        assert_eq!(pack("x", "A").len(), 16);
    }

    #[test]
    fn a_shared_exclusion_reads_as_its_text_in_each_topic_that_names_it() {
        let text = |exclude: &str, exclusions: &str| {
            one_topic(
                "",
                &format!("name = \"A\"\nquery = \"lương\"\nexclude = {exclude}"),
                exclusions,
            )
        };
        let pack = |exclude: &str, exclusions: &str| parse(text(exclude, exclusions));
        let inline = pack(r#"["\"bóng đá\""]"#, "").unwrap();
        let shared = pack(
            r#"[{ shared = "sports" }]"#,
            "[exclusions]\nsports = '\"bóng đá\"'\n",
        )
        .unwrap();
        // The same rule: the same exclusion, text and all, and so the same version.
        assert_eq!(shared.topics[0].exclude, inline.topics[0].exclude);
        assert_eq!(shared.topics[0].version(), inline.topics[0].version());
        let p = problems(&text(
            r#"[{ shared = "sport" }]"#,
            "[exclusions]\nsports = '\"bóng đá\"'\n",
        ));
        assert_eq!(
            p,
            [
                "labour.toml: topic[0] (a).exclude[0]: no shared exclusion `sport` in [exclusions] (the file has: sports)",
                "labour.toml: exclusions.sports: is used by no topic",
            ]
        );
        // A mistake in a shared exclusion is reported once, under its own name.
        let p = problems(&text(
            r#"[{ shared = "sports" }, { shared = "sports" }]"#,
            "[exclusions]\nsports = '(bóng đá'\n",
        ));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(
            p[0].starts_with("labour.toml: exclusions.sports: column"),
            "{p:?}"
        );
        assert_eq!(
            problems(&text(r#"[{ shared = "sports" }]"#, "")),
            [
                "labour.toml: topic[0] (a).exclude[0]: no shared exclusion `sports` in [exclusions] (the file has: none)"
            ]
        );
    }

    #[test]
    fn ids_are_unique_across_files() {
        let file = |name: &str| {
            (
                name.to_string(),
                one_topic("", "name = \"A\"\nquery = \"x\"", ""),
            )
        };
        let p = TopicPacks::parse(&[file("one.toml"), file("two.toml")]).unwrap_err();
        assert_eq!(
            p[0].to_string(),
            "two.toml: topic[0] (a).id: is used by a topic of one.toml"
        );
    }
}
