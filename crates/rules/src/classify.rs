//! Documents → topics and provinces, with the evidence.

use serde::Serialize;

use langnghe_model::{Document, Evidence, Severity, TopicTag};
use langnghe_query::{Candidate, Fired, KeywordField, Matcher, Query, Scratch, TextField, Window};
use langnghe_vi::{written_without_marks, written_without_marks_in};

use crate::gazetteer::Gazetteer;
use crate::pack::{Topic, TopicPacks};

/// One topic a document is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicHit {
    /// Topic id.
    pub id: String,
    /// The topic's severity.
    pub severity: Severity,
    /// The matched patterns' weights (1 for a topic without patterns).
    pub score: f64,
    /// The version of the rule that decided (see [`Topic::version`]).
    pub version: String,
    /// The phrases that fired, with their positions.
    pub terms: Vec<Fired>,
}

/// What a document is about.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Classification {
    /// Topics, in pack order.
    pub topics: Vec<TopicHit>,
    /// Province ids, in gazetteer order.
    pub provinces: Vec<String>,
}

impl Classification {
    /// Records the classification on `doc`: its provinces, topics and their evidence.
    pub fn tag(self, doc: &mut Document) {
        doc.provinces = self.provinces;
        doc.topics = self.topics.iter().map(|t| t.id.clone()).collect();
        doc.topic_hits = self.topics.into_iter().map(TopicHit::into_tag).collect();
    }
}

impl TopicHit {
    /// The hit as the document records it.
    pub fn into_tag(self) -> TopicTag {
        TopicTag {
            topic: self.id,
            severity: self.severity,
            version: self.version,
            score: self.score,
            terms: self.terms.into_iter().map(evidence).collect(),
        }
    }
}

/// A fired phrase as a document records it.
pub fn evidence(f: Fired) -> Evidence {
    Evidence {
        phrase: f.terms.to_string(),
        field: match f.field {
            TextField::Title => "title",
            TextField::Body => "body",
        }
        .into(),
        positions: f.positions,
    }
}

/// The matcher's view of a document (lowercase source, as the index stores it).
pub fn candidate<'a>(doc: &'a Document, source: &'a str) -> Candidate<'a> {
    Candidate {
        title: &doc.title,
        body: &doc.body,
        source,
        url: &doc.url,
        lang: doc.lang.as_deref(),
        published: doc.published,
        provinces: &[],
        topics: &[],
        sentiment: None,
    }
}

/// Why a topic does or does not match one document, part by part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Topic id.
    pub topic: String,
    /// Rule version.
    pub version: String,
    /// The rule as written.
    pub query: String,
    /// What fired of the rule; empty if it does not match.
    pub query_terms: Vec<Fired>,
    /// Whether the rule matches.
    pub query_matches: bool,
    /// Exclusions that match (each vetoes the topic).
    pub excluded_by: Vec<String>,
    /// Every pattern: (as written, weight, what fired — empty if it does not match).
    pub patterns: Vec<(String, f64, Vec<Fired>)>,
    /// The matched patterns' weights.
    pub score: f64,
    /// What the score must reach, when there are patterns.
    pub threshold: Option<f64>,
    /// Whether the topic is prominent enough: the text is short, or the rule holds in its
    /// title and lead or in enough passages (see [`Topic::mentions`]).
    pub prominent: bool,
    /// Where the rule holds.
    pub prominence: Prominence,
    /// Passages of a long text the rule must hold in when not in the title and lead.
    pub mentions: u32,
    /// Whether the document was read as text typed without diacritics.
    pub without_marks: bool,
    /// Whether the topic is about Vietnam and the document names a place abroad and none in
    /// Vietnam (see [`crate::Scope`]).
    pub abroad_only: bool,
    /// For a fallback topic, the narrower topics the document has instead.
    pub displaced_by: Vec<String>,
    /// The verdict.
    pub matches: bool,
}

/// A text longer than this many words (a news article, not a headline, summary or post) is
/// about a topic only where the topic's rule holds in its title and lead, or where its title
/// names something the topic's rule looks for and the rule holds in [`Topic::mentions`]
/// passages of it: an article that names wages once in passing, deep in a report on prices, is
/// not about wages, and neither is an election's list of candidates that names the union
/// federation in three of their biographies.
pub const LONG_TEXT: usize = 150;

/// The lead: the first syllables of the body, where a news article says what it is about.
pub const LEAD: u32 = 60;

/// The body of a long text after the lead is read in passages of `PASSAGE` syllables; a rule is
/// evaluated on a passage together with the `PASSAGE_OVERLAP` syllables before it, so that a
/// rule whose words straddle a boundary still holds in one passage.
pub const PASSAGE: u32 = 60;
const PASSAGE_OVERLAP: u32 = 20;

/// Whether the body is a long text (stops counting at [`LONG_TEXT`]).
fn long_text(body: &str) -> bool {
    body.split_whitespace().nth(LONG_TEXT).is_some()
}

/// Where in a long text a topic's rule holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Prominence {
    /// Whether the text is long (a short one needs no more than the rule).
    pub long: bool,
    /// Whether the rule holds in the title and lead.
    pub lead: bool,
    /// Whether the title names something the topic's rule looks for, even a word its context
    /// patterns weigh (without it, passages are not counted: a headline says what an article
    /// is about).
    pub titled: bool,
    /// Passages of the body after the lead in which it holds (counted up to what is needed).
    pub passages: u32,
}

impl Prominence {
    /// Whether the topic is prominent enough for a topic asking for `mentions` passages.
    pub fn enough(&self, mentions: u32) -> bool {
        !self.long || self.lead || (self.titled && self.passages >= mentions)
    }
}

/// `q` with its phrases of several syllables read without diacritics.
fn unmarked_names(q: &Query) -> Query {
    q.map_texts(&|t| {
        if t.syllables.len() > 1 {
            t.unmarked()
        } else {
            t.clone()
        }
    })
}

/// Reusable buffers for [`Classifier::classify_with`].
pub struct Buffers {
    marked: Scratch,
    plain: Scratch,
}

/// A document as a matcher has read it: what windows of it are evaluated against.
struct Reading<'r> {
    doc: &'r Candidate<'r>,
    matcher: &'r Matcher,
    scratch: &'r Scratch,
}

/// A document's title and body to test for diacritics.
fn without_marks(doc: &Candidate<'_>) -> bool {
    if doc.body.len() >= 200 {
        written_without_marks(doc.body)
    } else {
        written_without_marks_in(&[doc.title, doc.body])
    }
}

/// True if every occurrence of a name lies inside an occurrence of one of the exclusion phrases
/// (`bình dương` at position 5 inside `thái bình dương` at 4).
fn covered(name: &Fired, exclusions: &[Fired]) -> bool {
    // Compared without diacritics: in text without marks both are read so.
    let fold = |s: &str| -> Vec<String> { s.split(' ').map(langnghe_vi::fold).collect() };
    let words = fold(&name.terms);
    name.positions.iter().all(|&p| {
        exclusions.iter().any(|e| {
            if e.field != name.field {
                return false;
            }
            let outer = fold(&e.terms);
            (0..outer.len().saturating_sub(words.len() - 1))
                .filter(|&k| outer[k..k + words.len()] == words[..])
                .any(|k| {
                    p.checked_sub(k as u32)
                        .is_some_and(|start| e.positions.binary_search(&start).is_ok())
                })
        })
    })
}

/// Whether a name that is written without marks ("Gia Lai", "Phan Rang", "Long An") stands so
/// in accented text at one of the places it fired. A name typed without marks matches every
/// accented form, and accented text folds to these names often: "giá lại" (the price again),
/// "phán rằng" (ruled that), "lông Ấn". Names with a syllable no accent could make Vietnamese
/// ("TP HCM", "Kon Tum", "Pleiku") cannot collide so and are not checked.
fn written_as_named(name: &Fired, doc: &Candidate<'_>) -> bool {
    let n = name.terms.split_whitespace().count();
    if !name.terms.is_ascii() || !name.terms.split_whitespace().all(langnghe_vi::is_syllable) {
        return true;
    }
    let text = match name.field {
        TextField::Title => doc.title,
        TextField::Body => doc.body,
    };
    // Which starts have an accented word among their n words (the starts are sorted: the
    // starts whose n words hold a position are found by binary search, not by trying them all).
    let mut marked = vec![false; name.positions.len()];
    langnghe_vi::each_word(text, |position, word| {
        if word.is_ascii() {
            return;
        }
        let position = position as u32;
        let first = name
            .positions
            .partition_point(|&start| start.saturating_add(n as u32) <= position);
        for (k, &start) in name.positions.iter().enumerate().skip(first) {
            if start > position {
                break;
            }
            marked[k] = true;
        }
    });
    marked.iter().any(|m| !m)
}

/// What each compiled query of the matcher stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Query(usize),
    Exclude(usize),
    Pattern(usize, usize),
    Province(usize),
    ProvinceExclude(usize),
    /// A scope's places abroad / in Vietnam (index into `Classifier::scopes`).
    Abroad(usize),
    Here(usize),
}

/// Topic packs and the gazetteer compiled into one matcher: one pass over a document's text
/// decides its provinces and topics.
pub struct Classifier {
    packs: TopicPacks,
    gazetteer: Gazetteer,
    versions: Vec<String>,
    matcher: Matcher,
    slots: Vec<Slot>,
    /// The same queries as if typed without diacritics, for text typed without them.
    plain: Matcher,
    /// The distinct scopes of the topics, and each topic's scope.
    scopes: Vec<crate::pack::Scope>,
    topic_scope: Vec<Option<usize>>,
    /// Topic rules that ask for `province:`, evaluated again once the provinces are known (as
    /// written, and as if typed without diacritics).
    province_rules: Option<(Matcher, Matcher, Vec<Slot>)>,
    /// Per topic, the matchers' rule of its query and of each of its patterns.
    topic_rules: Vec<(usize, Vec<usize>)>,
}

fn uses_province(q: &Query) -> bool {
    match q {
        Query::Keyword {
            field: KeywordField::Province,
            ..
        } => true,
        Query::And(qs) | Query::Or(qs) => qs.iter().any(uses_province),
        Query::Not(q) => uses_province(q),
        _ => false,
    }
}

fn topic_queries(topics: &[Topic], only_with_provinces: bool) -> (Vec<Query>, Vec<Slot>) {
    let mut queries = Vec::new();
    let mut slots = Vec::new();
    for (t, topic) in topics.iter().enumerate() {
        let parts = std::iter::once((Slot::Query(t), &topic.query))
            .chain(topic.exclude.iter().map(|(_, q)| (Slot::Exclude(t), q)))
            .chain(
                topic
                    .patterns
                    .iter()
                    .enumerate()
                    .map(|(k, p)| (Slot::Pattern(t, k), &p.query)),
            );
        for (slot, q) in parts {
            if !only_with_provinces || uses_province(q) {
                queries.push(q.clone());
                slots.push(slot);
            }
        }
    }
    (queries, slots)
}

impl Classifier {
    /// Compiles every topic and province.
    pub fn new(packs: TopicPacks, gazetteer: Gazetteer) -> Classifier {
        let (mut queries, mut slots) = topic_queries(&packs.topics, false);
        for (p, (names, exclusions)) in gazetteer.queries().into_iter().enumerate() {
            queries.push(names);
            slots.push(Slot::Province(p));
            if let Some(q) = exclusions {
                queries.push(q);
                slots.push(Slot::ProvinceExclude(p));
            }
        }
        let mut scopes: Vec<crate::pack::Scope> = Vec::new();
        let topic_scope: Vec<Option<usize>> = packs
            .topics
            .iter()
            .map(|t| {
                let scope = t.scope.as_ref()?;
                Some(match scopes.iter().position(|s| s == scope) {
                    Some(i) => i,
                    None => {
                        scopes.push(scope.clone());
                        scopes.len() - 1
                    }
                })
            })
            .collect();
        for (i, scope) in scopes.iter().enumerate() {
            queries.push(scope.abroad.clone());
            slots.push(Slot::Abroad(i));
            if let Some(here) = &scope.here {
                queries.push(here.clone());
                slots.push(Slot::Here(i));
            }
        }
        let matcher = Matcher::new(&queries);
        let plain = Matcher::new(
            &queries
                .iter()
                .zip(&slots)
                .map(|(q, slot)| match slot {
                    // Province names of several syllables read without diacritics; names of
                    // one syllable stay exact ("hue" is also the name Huệ).
                    Slot::Province(_) => unmarked_names(q),
                    // Their exclusions too ("thai binh duong"): the gazetteer refuses one that
                    // only differs from a name by its marks.
                    Slot::ProvinceExclude(_) => unmarked_names(q),
                    // Names of countries typed without marks collide too often ("my" is not
                    // Mỹ): kept exact, so text without diacritics is never judged abroad.
                    Slot::Abroad(_) | Slot::Here(_) => q.clone(),
                    _ => q.unmarked(),
                })
                .collect::<Vec<_>>(),
        );
        let (again, again_slots) = topic_queries(&packs.topics, true);
        let again_plain: Vec<Query> = again.iter().map(Query::unmarked).collect();
        let province_rules = (!again.is_empty()).then(|| {
            (
                Matcher::new(&again),
                Matcher::new(&again_plain),
                again_slots,
            )
        });
        let versions = packs.topics.iter().map(Topic::version).collect();
        let rule_of = |slot: Slot| slots.iter().position(|s| *s == slot).unwrap_or(usize::MAX);
        let topic_rules = (0..packs.topics.len())
            .map(|t| {
                let patterns = (0..packs.topics[t].patterns.len())
                    .map(|k| rule_of(Slot::Pattern(t, k)))
                    .collect();
                (rule_of(Slot::Query(t)), patterns)
            })
            .collect();
        Classifier {
            packs,
            gazetteer,
            versions,
            matcher,
            slots,
            plain,
            scopes,
            topic_scope,
            province_rules,
            topic_rules,
        }
    }

    /// The topic packs.
    pub fn packs(&self) -> &TopicPacks {
        &self.packs
    }

    /// The gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Reusable buffers for [`Classifier::classify_with`].
    pub fn scratch(&self) -> Buffers {
        Buffers {
            marked: self.matcher.scratch(),
            plain: self.plain.scratch(),
        }
    }

    /// Topics and provinces of a document.
    pub fn classify(&self, doc: &Candidate<'_>) -> Classification {
        self.classify_with(doc, &mut self.scratch())
    }

    /// [`Classifier::classify`] with reusable buffers.
    pub fn classify_with(&self, doc: &Candidate<'_>, scratch: &mut Buffers) -> Classification {
        let plain = without_marks(doc);
        let fired = self.fired(doc, plain, scratch);
        let mut provinces: Vec<String> = fired
            .iter()
            .filter_map(|(slot, names)| match slot {
                Slot::Province(p) => {
                    let excluded = fired
                        .iter()
                        .find(|(s, _)| *s == Slot::ProvinceExclude(*p))
                        .map_or(&[][..], |(_, f)| f.as_slice());
                    names
                        .iter()
                        .filter(|n| plain || written_as_named(n, doc))
                        .any(|n| !covered(n, excluded))
                        .then(|| self.gazetteer.provinces[*p].id.clone())
                }
                _ => None,
            })
            .collect();
        provinces.dedup();
        let mut fired = fired;
        if let Some((marked, unmarked, slots)) = &self.province_rules {
            // Rules that ask for `province:` answer again with the provinces now known.
            let with = Candidate {
                provinces: &provinces,
                ..*doc
            };
            fired.retain(|(slot, _)| !slots.contains(slot));
            let matcher = if plain { unmarked } else { marked };
            for hit in matcher.matches(&with) {
                fired.push((slots[hit.rule], hit.fired));
            }
        }
        let with = Candidate {
            provinces: &provinces,
            ..*doc
        };
        let reading = self.reading(&with, plain, scratch);
        let mut long = None;
        let mut topics: Vec<TopicHit> = (0..self.packs.topics.len())
            .filter(|&t| !self.abroad_only(t, &fired, &provinces))
            .filter_map(|t| {
                let hit = self.decide(t, &fired)?;
                let long = *long.get_or_insert_with(|| long_text(doc.body));
                let mentions = self.packs.topics[t].mentions;
                self.prominence(t, &reading, long, &hit.terms)
                    .enough(mentions)
                    .then_some(hit)
            })
            .collect();
        self.packs.settle_fallbacks(&mut topics, |h| &h.id);
        Classification { topics, provinces }
    }

    /// The matcher that read `doc` (the one for text without diacritics if `plain`) and its
    /// scratch, which still holds the document's occurrences.
    fn reading<'r>(
        &'r self,
        doc: &'r Candidate<'r>,
        plain: bool,
        scratch: &'r Buffers,
    ) -> Reading<'r> {
        let (matcher, scratch) = if plain {
            (&self.plain, &scratch.plain)
        } else {
            (&self.matcher, &scratch.marked)
        };
        Reading {
            doc,
            matcher,
            scratch,
        }
    }

    /// Whether topic `t`'s rule (its query, and its patterns' threshold) holds within `window`
    /// of the document `reading` has read.
    fn holds_within(&self, t: usize, reading: &Reading<'_>, window: &Window) -> bool {
        let (query, patterns) = &self.topic_rules[t];
        let holds = |rule: usize| {
            reading
                .matcher
                .holds_within(rule, reading.doc, reading.scratch, window)
        };
        let topic = &self.packs.topics[t];
        holds(*query) && topic.passes(topic.score(|k| holds(patterns[k])))
    }

    /// Where topic `t`, which holds in the whole document, holds in it: in the title and lead,
    /// and, when the title holds some of `terms` (what fired for the topic in the whole
    /// document), in how many passages after them (counted up to the topic's `mentions`). Only
    /// passages that hold some of `terms` are tried.
    fn prominence(
        &self,
        t: usize,
        reading: &Reading<'_>,
        long: bool,
        terms: &[Fired],
    ) -> Prominence {
        let mentions = self.packs.topics[t].mentions;
        let mut p = Prominence {
            long,
            ..Prominence::default()
        };
        if !long {
            return p;
        }
        let lead = Window {
            title: true,
            body: 0..LEAD,
        };
        if self.holds_within(t, reading, &lead) {
            p.lead = true;
            return p;
        }
        p.titled = terms.iter().any(|f| f.field == TextField::Title);
        if !p.titled {
            return p;
        }
        let mut starts: Vec<u32> = terms
            .iter()
            .filter(|f| f.field == TextField::Body)
            .flat_map(|f| f.positions.iter().copied())
            .collect();
        starts.sort_unstable();
        let end = reading.scratch.body_extent();
        let mut from = LEAD;
        while from < end && p.passages < mentions {
            // A passage counts when something fired in its own syllables (not only in the
            // overlap, which the passage before owns): one mention counts once.
            let own = from..from + PASSAGE;
            let i = starts.partition_point(|&s| s < own.start);
            if starts.get(i).is_some_and(|s| own.contains(s)) {
                let body = from.saturating_sub(PASSAGE_OVERLAP)..from + PASSAGE;
                let window = Window { title: false, body };
                if self.holds_within(t, reading, &window) {
                    p.passages += 1;
                }
            }
            from += PASSAGE;
        }
        p
    }

    /// Classifies `doc` and records the result on it (provinces, topics, evidence).
    pub fn tag(&self, doc: &mut Document, scratch: &mut Buffers) {
        let source = doc.source.to_lowercase();
        let c = self.classify_with(&candidate(doc, &source), scratch);
        c.tag(doc);
    }

    /// Every compiled query that matches, with what fired.
    fn fired(
        &self,
        doc: &Candidate<'_>,
        plain: bool,
        scratch: &mut Buffers,
    ) -> Vec<(Slot, Vec<Fired>)> {
        let hits = if plain {
            self.plain.matches_with(doc, &mut scratch.plain)
        } else {
            self.matcher.matches_with(doc, &mut scratch.marked)
        };
        hits.into_iter()
            .map(|hit| (self.slots[hit.rule], hit.fired))
            .collect()
    }

    /// Whether topic `t` has a scope and the document is news from abroad only: it names a place
    /// abroad and neither a province nor a name of Vietnam.
    fn abroad_only(&self, t: usize, fired: &[(Slot, Vec<Fired>)], provinces: &[String]) -> bool {
        let Some(scope) = self.topic_scope[t] else {
            return false;
        };
        let has = |slot: Slot| fired.iter().any(|(s, _)| *s == slot);
        provinces.is_empty() && has(Slot::Abroad(scope)) && !has(Slot::Here(scope))
    }

    /// The hit of topic `t`, if the fired queries make one.
    fn decide(&self, t: usize, fired: &[(Slot, Vec<Fired>)]) -> Option<TopicHit> {
        let topic = &self.packs.topics[t];
        let query = fired.iter().find(|(s, _)| *s == Slot::Query(t))?;
        if fired.iter().any(|(s, _)| *s == Slot::Exclude(t)) {
            return None;
        }
        let score = topic.score(|k| fired.iter().any(|(s, _)| *s == Slot::Pattern(t, k)));
        if !topic.passes(score) {
            return None;
        }
        let mut terms = query.1.clone();
        for (slot, f) in fired {
            if matches!(slot, Slot::Pattern(pt, _) if *pt == t) {
                for x in f {
                    if !terms.contains(x) {
                        terms.push(x.clone());
                    }
                }
            }
        }
        Some(TopicHit {
            id: topic.id.clone(),
            severity: topic.severity,
            score,
            version: self.versions[t].clone(),
            terms,
        })
    }

    /// Why topic `id` does or does not match `doc`; `None` if there is no such topic.
    pub fn explain(&self, id: &str, doc: &Candidate<'_>) -> Option<Explanation> {
        let t = self.packs.topics.iter().position(|t| t.id == id)?;
        let topic = &self.packs.topics[t];
        // The document's provinces first, as classification does, and its other topics (which
        // displace a fallback topic); the buffers keep what the matcher read of it.
        let mut buffers = self.scratch();
        let whole = self.classify_with(doc, &mut buffers);
        let provinces = whole.provinces;
        let displaced_by: Vec<String> = if topic.fallback {
            whole
                .topics
                .into_iter()
                .map(|h| h.id)
                .filter(|other| !self.packs.is_fallback(other))
                .collect()
        } else {
            Vec::new()
        };
        let doc = Candidate {
            provinces: &provinces,
            ..*doc
        };
        let plain = without_marks(&doc);
        let one = |q: &Query| {
            let q = if plain { q.unmarked() } else { q.clone() };
            Matcher::new(&[q]).matches(&doc).pop()
        };
        let query = one(&topic.query);
        let excluded_by: Vec<String> = topic
            .exclude
            .iter()
            .filter(|(_, q)| one(q).is_some())
            .map(|(text, _)| text.clone())
            .collect();
        let patterns: Vec<(String, f64, Vec<Fired>)> = topic
            .patterns
            .iter()
            .map(|p| {
                let fired = one(&p.query).map(|h| h.fired).unwrap_or_default();
                (p.text.clone(), p.weight, fired)
            })
            .collect();
        let score = topic.score(|k| !patterns[k].2.is_empty());
        let mut fired: Vec<Fired> = query.as_ref().map(|h| h.fired.clone()).unwrap_or_default();
        for (_, _, f) in &patterns {
            for x in f {
                if !fired.contains(x) {
                    fired.push(x.clone());
                }
            }
        }
        let prominence = if query.is_some() {
            let reading = self.reading(&doc, plain, &buffers);
            self.prominence(t, &reading, long_text(doc.body), &fired)
        } else {
            Prominence::default()
        };
        let prominent = prominence.enough(topic.mentions);
        let abroad_only = self.topic_scope[t].is_some_and(|i| {
            let scope = &self.scopes[i];
            provinces.is_empty()
                && Matcher::new(std::slice::from_ref(&scope.abroad))
                    .matches(&doc)
                    .pop()
                    .is_some()
                && scope.here.as_ref().is_none_or(|h| {
                    Matcher::new(std::slice::from_ref(h))
                        .matches(&doc)
                        .pop()
                        .is_none()
                })
        });
        let matches = query.is_some()
            && excluded_by.is_empty()
            && topic.passes(score)
            && prominent
            && !abroad_only
            && displaced_by.is_empty();
        Some(Explanation {
            topic: topic.id.clone(),
            version: self.versions[t].clone(),
            query: topic.text.clone(),
            query_matches: query.is_some(),
            query_terms: query.map(|h| h.fired).unwrap_or_default(),
            excluded_by,
            patterns,
            score,
            threshold: (!topic.patterns.is_empty()).then_some(topic.threshold),
            prominent,
            prominence,
            mentions: topic.mentions,
            without_marks: plain,
            abroad_only,
            displaced_by,
            matches,
        })
    }

    /// Every topic's examples that fail: (topic id, sentence, whether it should have matched).
    pub fn failing_examples(&self) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        let mut scratch = self.scratch();
        for topic in &self.packs.topics {
            for (sentences, expected) in [
                (&topic.examples_match, true),
                (&topic.examples_no_match, false),
            ] {
                for e in sentences {
                    let got = self
                        .classify_with(&Candidate::new(&e.title, &e.body), &mut scratch)
                        .topics
                        .iter()
                        .any(|h| h.id == topic.id);
                    if got != expected {
                        out.push((topic.id.clone(), e.to_string(), expected));
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn classifier(topics: &str) -> Classifier {
        let packs = TopicPacks::parse(&[("t.toml".into(), topics.into())]).unwrap();
        let gazetteer = Gazetteer::parse(
            "version = 1\n[[province]]\nid = \"dong-nai\"\nname = \"Đồng Nai\"\n",
            "p.toml",
        )
        .unwrap();
        Classifier::new(packs, gazetteer)
    }

    const STRIKE: &str = r#"
version = 1
[[topic]]
id = "dinh-cong"
name = "Đình công"
severity = "alert"
query = "đình công OR ngừng việc"
exclude = ["cầu thủ"]
[topic.examples]
match = ["Công nhân ngừng việc."]
"#;

    fn topics(c: &Classifier, title: &str, body: &str) -> Vec<String> {
        c.classify(&Candidate::new(title, body))
            .topics
            .into_iter()
            .map(|t| t.id)
            .collect()
    }

    /// Pay words count only where workers are named too (weight 1 + 2 against a threshold of 2).
    const PAY: &str = r#"
version = 1
[[topic]]
id = "tien-luong"
name = "Tiền lương"
severity = "watch"
threshold = 2.0
[[topic.pattern]]
query = '"nợ lương"'
weight = 1.0
[[topic.pattern]]
query = '"công nhân"'
weight = 2.0
context = true
[topic.examples]
match = ["Công nhân bị nợ lương ba tháng."]
no_match = ["Công nhân về quê ăn Tết."]
"#;

    #[test]
    fn a_topic_without_a_query_is_selected_by_its_patterns_that_are_not_context() {
        let c = classifier(PAY);
        assert!(
            c.failing_examples().is_empty(),
            "{:?}",
            c.failing_examples()
        );
        assert_eq!(c.packs().topics[0].text, "(\"nợ lương\")");
        // Context alone selects nothing: the topic needs a query then.
        let problems: Vec<String> = TopicPacks::parse(&[(
            "t.toml".into(),
            PAY.replace("weight = 1.0", "weight = 1.0\ncontext = true"),
        )])
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            problems,
            [
                "t.toml: topic[0] (tien-luong).query: is needed unless a pattern that is not `context` selects documents"
            ]
        );
    }

    #[test]
    fn examples_with_a_headline_run_the_rules_that_read_it() {
        let pack = r#"
version = 1
[[topic]]
id = "an-toan"
name = "An toàn lao động"
severity = "alert"
query = 'title:("công nhân") AND title:("ngừng tim")'
[topic.examples]
match = [{ title = "Công nhân ngừng tim khi đang làm việc", body = "Anh được cấp cứu." }]
no_match = [
  "Công nhân ngừng tim khi đang làm việc.",
  { title = "Công nhân được khen thưởng" },
]
"#;
        assert!(classifier(pack).failing_examples().is_empty());
        // A failing one is reported with its headline.
        let wrong = pack.replace(
            "no_match = [",
            "no_match = [{ title = \"Công nhân ngừng tim\" },",
        );
        assert_eq!(
            classifier(&wrong).failing_examples(),
            [(
                "an-toan".to_string(),
                "title: Công nhân ngừng tim".to_string(),
                false
            )]
        );
    }

    #[test]
    fn a_name_written_without_marks_is_not_found_in_accented_words_that_fold_to_it() {
        let c = Classifier::new(
            TopicPacks::parse(&[("t.toml".into(), STRIKE.into())]).unwrap(),
            Gazetteer::parse(
                "version = 1\n[[province]]\nid = \"gia-lai\"\nname = \"Gia Lai\"\n\
                 [[province]]\nid = \"khanh-hoa\"\nname = \"Khánh Hòa\"\naliases = [\"Phan Rang\"]\n\
                 [[province]]\nid = \"ho-chi-minh\"\nname = \"Hồ Chí Minh\"\naliases = [\"TP HCM\"]\n",
                "p.toml",
            )
            .unwrap(),
        );
        let provinces =
            |title: &str, body: &str| c.classify(&Candidate::new(title, body)).provinces;
        // Accented words that fold to the names are not the places.
        assert!(provinces("", "Giá lại tăng sau kỳ nghỉ, người mua phải trả thêm.").is_empty());
        assert!(provinces("", "Thẩm phán liên bang phán rằng lệnh cấm là trái luật.").is_empty());
        // The names as written are, in accented text, in capitals, and in text without marks.
        assert_eq!(
            provinces("", "Giá cà phê tại Gia Lai lại tăng."),
            ["gia-lai"]
        );
        assert_eq!(provinces("GIÁ CÀ PHÊ Ở GIA LAI", ""), ["gia-lai"]);
        assert_eq!(provinces("", "gia ca phe o gia lai lai tang"), ["gia-lai"]);
        // One accented occurrence does not hide a true one later.
        assert_eq!(
            provinces("", "Ông phán rằng sẽ về Phan Rang thăm quê."),
            ["khanh-hoa"]
        );
        // Names that no accent turns into Vietnamese words are not checked.
        assert_eq!(provinces("", "Giá đất ở TP HCM tăng."), ["ho-chi-minh"]);
    }

    #[test]
    fn text_typed_without_diacritics_is_matched_without_them() {
        let c = classifier(STRIKE);
        assert_eq!(
            topics(&c, "", "hom nay cong nhan o dong nai ngung viec het roi"),
            ["dinh-cong"]
        );
        // Accented text keeps the exact reading: "định công" is not "đình công".
        assert!(
            topics(
                &c,
                "",
                "Quyết định công nhận kết quả được ban hành hôm nay."
            )
            .is_empty()
        );
        assert_eq!(
            c.classify(&Candidate::new("", "cong nhan o Dong Nai ngung viec"))
                .provinces,
            ["dong-nai"]
        );
        let e = c
            .explain(
                "dinh-cong",
                &Candidate::new("", "hom nay cong nhan ngung viec het roi"),
            )
            .unwrap();
        assert!(e.without_marks && e.matches);
        assert!(topics(&c, "", "cau thu ngung viec tap luyen vi chan thuong nang").is_empty());
    }

    #[test]
    fn news_from_abroad_only_is_not_about_a_scoped_topic() {
        let pack = STRIKE.replace(
            "[[topic]]",
            "[scope]\nhere = [\"Việt Nam\"]\nabroad = ['\"ở Mỹ\" OR \"Hàn Quốc\"']\n[[topic]]",
        ) + r#"
[[topic]]
id = "xkld"
name = "Lao động ở nước ngoài"
severity = "watch"
abroad = true
query = "ngừng việc"
[topic.examples]
match = ["Lao động ngừng việc."]
"#;
        let c = classifier(&pack);
        assert_eq!(topics(&c, "", "Công nhân ở Mỹ ngừng việc."), ["xkld"]);
        let e = c
            .explain(
                "dinh-cong",
                &Candidate::new("", "Công nhân ở Mỹ ngừng việc."),
            )
            .unwrap();
        assert!(e.abroad_only && e.query_matches && !e.matches);
        // Vietnamese workers, or a province, bring it home.
        assert_eq!(
            topics(&c, "", "Công nhân Việt Nam ở Hàn Quốc ngừng việc."),
            ["dinh-cong", "xkld"]
        );
        assert_eq!(
            topics(&c, "", "Công nhân công ty Hàn Quốc ở Đồng Nai ngừng việc."),
            ["dinh-cong", "xkld"]
        );
        // No place named: not abroad.
        assert_eq!(
            topics(&c, "", "Công nhân ngừng việc."),
            ["dinh-cong", "xkld"]
        );
        let problems = TopicPacks::parse(&[(
            "t.toml".into(),
            STRIKE.replace("[[topic]]", "[scope]\nabroad = []\n[[topic]]"),
        )])
        .unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "t.toml: scope.abroad: needs at least one place abroad"
        );
    }

    /// About 330 syllables of a report on something else, around what a test puts in a long
    /// text.
    fn filler() -> String {
        "Thị trường chứng khoán hôm nay tăng điểm nhờ nhóm ngân hàng. ".repeat(30)
    }

    #[test]
    fn a_long_text_names_its_topic_in_the_title_or_lead_or_in_enough_passages() {
        let c = classifier(STRIKE);
        let filler = filler();
        let once = format!("{filler} Ở một nhà máy khác, công nhân ngừng việc. {filler}");
        assert!(topics(&c, "Chứng khoán tăng điểm", &once).is_empty());
        let e = c
            .explain("dinh-cong", &Candidate::new("Chứng khoán", &once))
            .unwrap();
        assert!(e.query_matches && !e.prominent && !e.matches);
        // Two passages far apart: the topic's default asks for two.
        let twice = format!("{filler} Công nhân ngừng việc. {filler} Họ ngừng việc hai ngày.");
        // Two phrases of the rule in one sentence are one passage.
        let overlapping = format!("{filler} Công nhân ngừng việc tập thể. {filler}");
        let c2 = classifier(&STRIKE.replace(
            "query = \"đình công OR ngừng việc\"",
            "query = \"đình công OR ngừng việc OR \\\"việc tập thể\\\"\"",
        ));
        let e = c2
            .explain("dinh-cong", &Candidate::new("Chứng khoán", &overlapping))
            .unwrap();
        assert_eq!(e.query_terms.len(), 2, "both phrases fire");
        assert!(!e.prominent && !e.matches);
        // Passages count only under a title that names something the rule looks for; a rule
        // of one phrase that the title names holds in the title itself.
        assert!(topics(&c, "Chứng khoán tăng điểm", &twice).is_empty());
        let e = c
            .explain("dinh-cong", &Candidate::new("Chứng khoán", &twice))
            .unwrap();
        assert!(e.prominence.long && !e.prominence.titled && !e.matches);
        assert_eq!(topics(&c, "Công nhân ngừng việc", &filler), ["dinh-cong"]);
        let lead = format!("Sáng nay, công nhân ngừng việc. {filler}");
        assert_eq!(topics(&c, "Tin sáng", &lead), ["dinh-cong"]);
        // A short text (a headline and summary, a post) needs one mention.
        assert_eq!(
            topics(
                &c,
                "",
                "Thị trường trầm lắng; ở Đồng Nai công nhân ngừng việc."
            ),
            ["dinh-cong"]
        );
        // A topic may ask for one passage; its title must still name something of the rule
        // (workers, which the pay rule weighs).
        let once_is_enough = PAY.replace("threshold", "mentions = 1\nthreshold");
        let c = classifier(&once_is_enough);
        let pay_once = format!("{filler} Công nhân bị nợ lương. {filler}");
        assert_eq!(topics(&c, "Công nhân", &pay_once), ["tien-luong"]);
        assert!(topics(&c, "Chứng khoán", &pay_once).is_empty());
        assert!(topics(&classifier(PAY), "Công nhân", &pay_once).is_empty());
    }

    #[test]
    fn a_long_text_is_about_a_topic_where_its_whole_rule_holds_in_the_lead_or_in_passages() {
        let c = classifier(PAY);
        let filler = filler();
        // The headline names workers, the pay words come once, deep in the text: the rule
        // does not hold in the title and lead, and holds in one passage only.
        let deep = format!("{filler} Ông nói công nhân không bị nợ lương. {filler}");
        assert!(topics(&c, "Công nhân khu công nghệ cao", &deep).is_empty());
        let e = c
            .explain(
                "tien-luong",
                &Candidate::new("Công nhân khu công nghệ cao", &deep),
            )
            .unwrap();
        assert!(e.query_matches && e.score >= 2.0 && !e.matches);
        assert_eq!(
            e.prominence,
            Prominence {
                long: true,
                lead: false,
                titled: true,
                passages: 1
            }
        );
        // In the headline and lead, the whole rule holds.
        let lead = format!("Doanh nghiệp nợ lương công nhân ba tháng. {filler}");
        assert_eq!(topics(&c, "Công nhân chờ lương", &lead), ["tien-luong"]);
        // In two passages far apart it holds twice: the topic's default asks for two, and the
        // title names workers, a word the rule weighs.
        let twice = format!(
            "{filler} Công nhân bị nợ lương. {filler} Công nhân kể chuyện bị nợ lương. {filler}"
        );
        assert_eq!(topics(&c, "Công nhân", &twice), ["tien-luong"]);
        // Under a title that names nothing of the rule, passages do not count.
        assert!(topics(&c, "Chứng khoán", &twice).is_empty());
        // The two halves of the rule in different passages far apart are no passage at all.
        let apart = format!("{filler} Công nhân mới. {filler} Ai nợ lương? {filler}");
        assert!(topics(&c, "Công nhân", &apart).is_empty());
        // One mention that lies where two passages overlap counts once: try every place (in
        // text without sentence ends, where positions count words; workers named again at the
        // end, so that every passage is read).
        let run_on = "thị trường chứng khoán hôm nay tăng điểm nhờ nhóm ngân hàng ".repeat(30);
        let words: Vec<&str> = run_on.split_whitespace().collect();
        for at in (LEAD as usize..LEAD as usize + 2 * PASSAGE as usize).step_by(3) {
            let body = format!(
                "{} Công nhân bị nợ lương. {} Tan ca, công nhân về.",
                words[..at].join(" "),
                words[at..].join(" ")
            );
            assert!(
                topics(&c, "Công nhân", &body).is_empty(),
                "one mention after {at} syllables"
            );
        }
        // Words of the rule that straddle a passage boundary hold in the later passage.
        let e = c
            .explain(
                "tien-luong",
                &Candidate::new(
                    "Công nhân",
                    &format!(
                        "{} công nhân {} nợ lương {run_on}",
                        words[..(LEAD + PASSAGE) as usize - 3].join(" "),
                        words[..3].join(" ")
                    ),
                ),
            )
            .unwrap();
        // "công nhân" ends the first passage, "nợ lương" opens the second.
        assert_eq!(e.prominence.passages, 1);
    }

    #[test]
    fn a_fallback_topic_is_given_only_where_no_other_topic_is() {
        let pack = format!(
            "{STRIKE}{}",
            r#"
[[topic]]
id = "workers"
name = "Người lao động"
severity = "info"
fallback = true
query = 'title:"người lao động"'
[topic.examples]
match = [{ title = "Người lao động giữa nắng nóng", body = "Trời nóng 40 độ." }]
"#
        );
        let c = classifier(&pack);
        assert!(
            c.failing_examples().is_empty(),
            "{:?}",
            c.failing_examples()
        );
        assert_eq!(
            topics(&c, "Người lao động giữa nắng nóng", "Trời nóng 40 độ."),
            ["workers"]
        );
        let both = ("Người lao động ngừng việc", "Họ ngừng việc từ sáng.");
        assert_eq!(topics(&c, both.0, both.1), ["dinh-cong"]);
        let e = c
            .explain("workers", &Candidate::new(both.0, both.1))
            .unwrap();
        assert!(e.query_matches && !e.matches);
        assert_eq!(e.displaced_by, ["dinh-cong"]);
        // The version records it.
        let plain = classifier(&pack.replace("fallback = true\n", ""));
        assert_eq!(topics(&plain, both.0, both.1), ["dinh-cong", "workers"]);
        assert_ne!(
            plain.packs().get("workers").unwrap().version(),
            c.packs().get("workers").unwrap().version()
        );
    }
}
