//! Documents → topics and provinces, with the evidence.

use serde::Serialize;

use langnghe_model::Severity;
use langnghe_query::{Candidate, Fired, KeywordField, Matcher, Query, Scratch};

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
    /// The verdict.
    pub matches: bool,
}

/// True if every occurrence of a name lies inside an occurrence of one of the exclusion phrases
/// (`bình dương` at position 5 inside `thái bình dương` at 4).
fn covered(name: &Fired, exclusions: &[Fired]) -> bool {
    let words: Vec<&str> = name.terms.split(' ').collect();
    name.positions.iter().all(|&p| {
        exclusions.iter().any(|e| {
            if e.field != name.field {
                return false;
            }
            let outer: Vec<&str> = e.terms.split(' ').collect();
            (0..outer.len().saturating_sub(words.len() - 1))
                .filter(|&k| outer[k..k + words.len()] == words[..])
                .any(|k| {
                    p.checked_sub(k as u32)
                        .is_some_and(|start| e.positions.contains(&start))
                })
        })
    })
}

/// What each compiled query of the matcher stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Query(usize),
    Exclude(usize),
    Pattern(usize, usize),
    Province(usize),
    ProvinceExclude(usize),
}

/// Topic packs and the gazetteer compiled into one matcher: one pass over a document's text
/// decides its provinces and topics.
pub struct Classifier {
    packs: TopicPacks,
    gazetteer: Gazetteer,
    versions: Vec<String>,
    matcher: Matcher,
    slots: Vec<Slot>,
    /// Topic rules that ask for `province:`, evaluated again once the provinces are known.
    province_rules: Option<(Matcher, Vec<Slot>)>,
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
        let matcher = Matcher::new(&queries);
        let (again, again_slots) = topic_queries(&packs.topics, true);
        let province_rules = (!again.is_empty()).then(|| (Matcher::new(&again), again_slots));
        let versions = packs.topics.iter().map(Topic::version).collect();
        Classifier {
            packs,
            gazetteer,
            versions,
            matcher,
            slots,
            province_rules,
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
    pub fn scratch(&self) -> Scratch {
        self.matcher.scratch()
    }

    /// Topics and provinces of a document.
    pub fn classify(&self, doc: &Candidate<'_>) -> Classification {
        self.classify_with(doc, &mut self.scratch())
    }

    /// [`Classifier::classify`] with reusable buffers.
    pub fn classify_with(&self, doc: &Candidate<'_>, scratch: &mut Scratch) -> Classification {
        let fired = self.fired(doc, scratch);
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
                        .any(|n| !covered(n, excluded))
                        .then(|| self.gazetteer.provinces[*p].id.clone())
                }
                _ => None,
            })
            .collect();
        provinces.dedup();
        let mut fired = fired;
        if let Some((matcher, slots)) = &self.province_rules {
            // Rules that ask for `province:` answer again with the provinces now known.
            let with = Candidate {
                provinces: &provinces,
                ..*doc
            };
            fired.retain(|(slot, _)| !slots.contains(slot));
            for hit in matcher.matches(&with) {
                fired.push((slots[hit.rule], hit.fired));
            }
        }
        let topics = (0..self.packs.topics.len())
            .filter_map(|t| self.decide(t, &fired))
            .collect();
        Classification { topics, provinces }
    }

    /// Every compiled query that matches, with what fired.
    fn fired(&self, doc: &Candidate<'_>, scratch: &mut Scratch) -> Vec<(Slot, Vec<Fired>)> {
        self.matcher
            .matches_with(doc, scratch)
            .into_iter()
            .map(|hit| (self.slots[hit.rule], hit.fired))
            .collect()
    }

    /// The hit of topic `t`, if the fired queries make one.
    fn decide(&self, t: usize, fired: &[(Slot, Vec<Fired>)]) -> Option<TopicHit> {
        let topic = &self.packs.topics[t];
        let query = fired.iter().find(|(s, _)| *s == Slot::Query(t))?;
        if fired.iter().any(|(s, _)| *s == Slot::Exclude(t)) {
            return None;
        }
        let mut terms = query.1.clone();
        let mut score = 1.0;
        if !topic.patterns.is_empty() {
            score = 0.0;
            for (slot, f) in fired {
                if let Slot::Pattern(pt, k) = slot
                    && *pt == t
                {
                    score += topic.patterns[*k].weight;
                    for x in f {
                        if !terms.contains(x) {
                            terms.push(x.clone());
                        }
                    }
                }
            }
            if score < topic.threshold {
                return None;
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
        // The document's provinces first, as classification does.
        let provinces = self.classify(doc).provinces;
        let doc = Candidate {
            provinces: &provinces,
            ..*doc
        };
        let one = |q: &Query| Matcher::new(std::slice::from_ref(q)).matches(&doc).pop();
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
        let has_patterns = !topic.patterns.is_empty();
        let score = if has_patterns {
            patterns
                .iter()
                .filter(|(_, _, f)| !f.is_empty())
                .map(|(_, w, _)| w)
                .sum()
        } else {
            1.0
        };
        let matches = query.is_some()
            && excluded_by.is_empty()
            && (!has_patterns || score >= topic.threshold);
        Some(Explanation {
            topic: topic.id.clone(),
            version: self.versions[t].clone(),
            query: topic.text.clone(),
            query_matches: query.is_some(),
            query_terms: query.map(|h| h.fired).unwrap_or_default(),
            excluded_by,
            patterns,
            score,
            threshold: has_patterns.then_some(topic.threshold),
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
                for s in sentences {
                    let got = self
                        .classify_with(&Candidate::new("", s), &mut scratch)
                        .topics
                        .iter()
                        .any(|h| h.id == topic.id);
                    if got != expected {
                        out.push((topic.id.clone(), s.clone(), expected));
                    }
                }
            }
        }
        out
    }
}
