//! Many queries against one document at a time: the streaming side of the query language.
//!
//! Topic rules run on every document as it is crawled or imported, before (or without) an index.
//! [`Matcher`] compiles a set of queries once: every syllable term they use gets an id, every
//! prefix too, and each query is indexed under the terms it cannot match without (its
//! *triggers*). A document is tokenized once per text field with the index's own `vi_both`
//! analyzer; the tokens that are terms of some query are collected with their positions; only the
//! queries they trigger are evaluated, on those positions.
//!
//! The answer is the one [`crate::to_tantivy`] gives over an index of the same documents (a
//! property test in `langnghe-index` checks it): a syllable typed with diacritics matches its
//! exact term, one typed without its folded term, phrases need consecutive positions (never
//! across a sentence break), `NEAR/n` counts the positions between two phrases, `title:` looks at
//! the title only, and keyword fields and dates compare as the index stores them.
//!
//! ```
//! use langnghe_query::{Candidate, Matcher, parse};
//! let rules = [parse("đình công OR ngừng việc").unwrap(), parse("NEAR/3(nợ lương, công nhân)").unwrap()];
//! let matcher = Matcher::new(&rules);
//! let doc = Candidate::new("Công nhân ngừng việc", "Hàng trăm công nhân bị nợ lương hai tháng.");
//! let hits = matcher.matches(&doc);
//! assert_eq!(hits.iter().map(|h| h.rule).collect::<Vec<_>>(), [0, 1]);
//! assert_eq!(&*hits[0].fired[0].terms, "ngừng việc");
//! ```

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::ast::{KeywordField, Query, Scope, Text};
use crate::compile::day_start;
use crate::near::{each_phrase_start_in, near, phrase_starts, starts_at};

/// A document as the matcher reads it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// Headline.
    pub title: &'a str,
    /// Main text.
    pub body: &'a str,
    /// Source id (compared lowercase, as the index stores it).
    pub source: &'a str,
    /// URL (its host answers `site:`).
    pub url: &'a str,
    /// Language code.
    pub lang: Option<&'a str>,
    /// Publication time.
    pub published: Option<OffsetDateTime>,
    /// Province ids it mentions.
    pub provinces: &'a [String],
    /// Topic ids it is about.
    pub topics: &'a [String],
    /// Sentiment label.
    pub sentiment: Option<&'a str>,
}

impl<'a> Candidate<'a> {
    /// A document with only a title and a body.
    pub fn new(title: &'a str, body: &'a str) -> Candidate<'a> {
        Candidate {
            title,
            body,
            source: "",
            url: "",
            lang: None,
            published: None,
            provinces: &[],
            topics: &[],
            sentiment: None,
        }
    }
}

/// Which text field a term fired in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    /// The headline.
    Title,
    /// The main text.
    Body,
}

/// A phrase of a query that occurs in the document: why it matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fired {
    /// The phrase as the query looks for it (`ngừng việc`, `cong nhan`, `công*`), shared with
    /// the compiled rule (a match costs no copy of it).
    #[serde(serialize_with = "serialize_shown")]
    pub terms: Shown,
    /// Where.
    pub field: TextField,
    /// Syllable positions where it starts (0 is the field's first syllable).
    pub positions: Vec<u32>,
}

/// A phrase as a rule shows it in evidence.
pub type Shown = std::sync::Arc<str>;

fn serialize_shown<S: serde::Serializer>(shown: &Shown, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(shown)
}

/// One query that matches a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RuleMatch {
    /// Index of the query in the slice given to [`Matcher::new`].
    pub rule: usize,
    /// The phrases that occur (outside negations), each with its positions.
    pub fired: Vec<Fired>,
}

/// A term of a phrase: the id of a whole syllable term or of a prefix in the matcher's table.
type Term = usize;

#[derive(Debug, Clone)]
enum Node {
    Text {
        scope: Scope,
        terms: Vec<Term>,
        shown: Shown,
    },
    Near {
        scope: Scope,
        left: Vec<Term>,
        right: Vec<Term>,
        distance: u32,
        shown: (Shown, Shown),
    },
    Outside {
        scope: Scope,
        phrase: Vec<Term>,
        within: Vec<(Vec<Term>, u32)>,
        shown: Shown,
    },
    Keyword {
        field: KeywordField,
        value: String,
    },
    /// Publication instant in `[from, to)` (unix seconds).
    Published {
        from: Option<i64>,
        to: Option<i64>,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

/// Many queries compiled for one pass per document (see the module docs).
#[derive(Debug, Clone)]
pub struct Matcher {
    rules: Vec<Node>,
    /// Whole terms (exact or folded strings) → id.
    words: TermMap,
    /// Prefixes → id (ids after the whole terms').
    prefixes: HashMap<String, u32>,
    /// Lengths in bytes of the prefixes, shortest first.
    prefix_lengths: Vec<usize>,
    /// Term id → the groups watching all of a set of terms (see [`watches`]) it is in.
    triggers: Vec<Vec<u32>>,
    /// Two adjacent terms → the groups watching them.
    pairs: HashMap<u64, Vec<u32>, langnghe_vi::FxBuildHasher>,
    /// Per term id: bit 1 if it opens a watched pair, bit 2 if it closes one; most adjacent
    /// words are neither, and skip the pair lookup.
    pair_roles: Vec<u8>,
    /// Per group: the rule it belongs to and how many terms it watches (1 for a pair).
    groups: Vec<(usize, u32)>,
    /// Rules that can match without any term (a negation, a keyword or a date alone).
    always: Vec<usize>,
}

/// Terms → ids, with words of at most 16 bytes (every syllable) keyed by their bytes as one
/// integer: one multiply-rotate hash and an integer compare per token of the text.
#[derive(Debug, Clone, Default)]
struct TermMap {
    short: HashMap<u128, u32, langnghe_vi::FxBuildHasher>,
    long: HashMap<String, u32, langnghe_vi::FxBuildHasher>,
}

impl TermMap {
    fn from(words: HashMap<String, u32>) -> TermMap {
        let mut map = TermMap::default();
        for (w, id) in words {
            match langnghe_vi::short_key(&w) {
                Some(k) => {
                    map.short.insert(k, id);
                }
                None => {
                    map.long.insert(w, id);
                }
            }
        }
        map
    }

    #[inline]
    fn get(&self, word: &str) -> Option<u32> {
        match langnghe_vi::short_key(word) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(word).copied(),
        }
    }
}

struct Builder {
    words: HashMap<String, u32>,
    prefixes: HashMap<String, u32>,
    /// Every id in creation order: whole terms and prefixes share one id space.
    count: u32,
    prefix_ids: Vec<u32>,
}

impl Builder {
    fn word(&mut self, term: &str) -> Term {
        let next = self.count;
        let id = *self.words.entry(term.to_string()).or_insert(next);
        if id == next {
            self.count += 1;
        }
        id as Term
    }

    fn prefix(&mut self, term: &str) -> Term {
        let next = self.count;
        let id = *self.prefixes.entry(term.to_string()).or_insert(next);
        if id == next {
            self.count += 1;
            self.prefix_ids.push(id);
        }
        id as Term
    }

    /// The terms of a phrase; a prefix at its end if `prefix`.
    fn phrase(&mut self, t: &Text, prefix: bool) -> (Vec<Term>, Shown) {
        let n = t.syllables.len();
        let terms = t
            .syllables
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if prefix && i + 1 == n {
                    self.prefix(s.term())
                } else {
                    self.word(s.term())
                }
            })
            .collect();
        let shown: Vec<&str> = t.syllables.iter().map(|s| s.term()).collect();
        let star = if prefix { "*" } else { "" };
        (terms, format!("{}{star}", shown.join(" ")).into())
    }

    fn node(&mut self, q: &Query) -> Node {
        match q {
            Query::Text(t) => {
                let (terms, shown) = self.phrase(t, t.prefix);
                Node::Text {
                    scope: t.scope,
                    terms,
                    shown,
                }
            }
            // As compiled for the index: NEAR operands are whole phrases (a `*` is not a prefix
            // there), both looked for in the left operand's fields.
            Query::Near {
                distance,
                left,
                right,
            } => {
                let (l, ls) = self.phrase(left, false);
                let (r, rs) = self.phrase(right, false);
                Node::Near {
                    scope: left.scope,
                    left: l,
                    right: r,
                    distance: *distance,
                    shown: (ls, rs),
                }
            }
            // As compiled for the index: the phrases are whole (no prefix).
            Query::Outside { phrase, within } => {
                let (p, shown) = self.phrase(phrase, false);
                let within = within
                    .iter()
                    .map(|(w, k)| (self.phrase(w, false).0, *k))
                    .collect();
                Node::Outside {
                    scope: phrase.scope,
                    phrase: p,
                    within,
                    shown,
                }
            }
            Query::Keyword { field, value } => Node::Keyword {
                field: *field,
                value: value.clone(),
            },
            Query::Published { from, to } => Node::Published {
                from: from.map(|d| day_start(d).into_timestamp_secs()),
                to: to
                    .and_then(time::Date::next_day)
                    .map(|d| day_start(d).into_timestamp_secs()),
            },
            Query::And(qs) => Node::And(qs.iter().map(|q| self.node(q)).collect()),
            Query::Or(qs) => Node::Or(qs.iter().map(|q| self.node(q)).collect()),
            Query::Not(q) => Node::Not(Box::new(self.node(q))),
        }
    }
}

/// What must be seen in a document before a query is worth evaluating.
#[derive(Debug, Clone, PartialEq)]
enum Watch {
    /// Two terms at adjacent positions of one field (the start of a phrase).
    Pair(u32, u32),
    /// All these terms, anywhere.
    Terms(Vec<u32>),
}

/// The watches of a query, of which at least one must be seen for it to match (a phrase needs
/// its first two syllables side by side), or `None` if it can match a document that has none
/// of its terms.
fn watches(node: &Node) -> Option<Vec<Watch>> {
    fn phrase(terms: &[Term]) -> Option<Watch> {
        match terms {
            [] => None,
            [t] => Some(Watch::Terms(vec![*t as u32])),
            [a, b, ..] => Some(Watch::Pair(*a as u32, *b as u32)),
        }
    }
    match node {
        Node::Text { terms, .. } => phrase(terms).map(|w| vec![w]),
        Node::Outside { phrase: p, .. } => phrase(p).map(|w| vec![w]),
        Node::Near { left, right, .. } => {
            if left.len() >= 2 {
                phrase(left).map(|w| vec![w])
            } else if right.len() >= 2 {
                phrase(right).map(|w| vec![w])
            } else {
                let mut v: Vec<u32> = left.iter().chain(right).map(|&t| t as u32).collect();
                v.sort_unstable();
                v.dedup();
                (!v.is_empty()).then(|| vec![Watch::Terms(v)])
            }
        }
        Node::Keyword { .. } | Node::Published { .. } | Node::Not(_) => None,
        // Every positive part must match: one part's pair is enough to watch; otherwise the
        // parts with single-term watches join into one.
        Node::And(parts) => {
            let children: Vec<Vec<Watch>> = parts.iter().filter_map(watches).collect();
            if let Some(pair) = children
                .iter()
                .find(|w| w.len() == 1 && matches!(w[0], Watch::Pair(..)))
            {
                return Some(pair.clone());
            }
            let mut terms = Vec::new();
            for w in &children {
                if let [Watch::Terms(t)] = &w[..] {
                    terms.extend_from_slice(t);
                }
            }
            if terms.is_empty() {
                children.into_iter().next()
            } else {
                terms.sort_unstable();
                terms.dedup();
                Some(vec![Watch::Terms(terms)])
            }
        }
        Node::Or(parts) => {
            let mut all = Vec::new();
            for p in parts {
                all.extend(watches(p)?);
            }
            Some(all)
        }
    }
}

fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

/// Positions of the matcher's terms in one text field of one document: term id → sorted starts.
struct Occurrences {
    positions: Vec<Vec<u32>>,
    /// One bit per term: whether it occurs. Rules ask mostly about terms a document lacks, and
    /// this answers from a few cache lines instead of a vector header per term.
    present: Vec<u64>,
    touched: Vec<u32>,
    /// Groups whose pair of terms was seen side by side.
    pairs: Vec<u32>,
}

impl Occurrences {
    fn new(terms: u32) -> Self {
        Occurrences {
            positions: vec![Vec::new(); terms as usize],
            present: vec![0; (terms as usize).div_ceil(64)],
            touched: Vec::new(),
            pairs: Vec::new(),
        }
    }

    fn add(&mut self, id: u32, position: u32) {
        let list = &mut self.positions[id as usize];
        if list.is_empty() {
            self.touched.push(id);
            self.present[id as usize / 64] |= 1 << (id % 64);
        }
        // The folded and the exact token of a syllable may both start with one prefix.
        if list.last() != Some(&position) {
            list.push(position);
        }
    }

    /// Whether every term of `phrase` occurs (not whether they make the phrase).
    fn has_terms(&self, phrase: &[Term]) -> bool {
        phrase.iter().all(|&t| {
            self.present
                .get(t / 64)
                .is_some_and(|w| w >> (t % 64) & 1 == 1)
        })
    }
}

/// Reusable buffers for matching one document at a time.
pub struct Scratch {
    title: Occurrences,
    body: Occurrences,
    seen: Vec<u32>,
    /// Per group: (generation, terms of it found in this document).
    counts: Vec<(u32, u32)>,
    generation: u32,
    words: WordIds,
}

/// The term ids (exact, folded and prefix terms) of each word seen as written, so that a
/// word of the text costs one hash: Vietnamese has a few thousand syllables, and the forms of a
/// word are derived once.
#[derive(Default)]
struct WordIds {
    /// A small direct-mapped table in front of `short`: the few thousand commonest syllables
    /// stay in cache (key 0 is empty: no word has an all-zero key).
    front: Vec<(u128, u32, u32)>,
    short: HashMap<u128, (u32, u32), langnghe_vi::FxBuildHasher>,
    long: HashMap<String, (u32, u32), langnghe_vi::FxBuildHasher>,
    ids: Vec<u32>,
    exact: String,
    folded: String,
}

/// Slots of [`WordIds::front`] (a power of two).
const FRONT_SLOTS: usize = 4096;

/// Cached ids beyond this many are dropped (a stream of rare words would grow the cache).
const WORD_IDS_LIMIT: usize = 1 << 22;

impl WordIds {
    /// Drops the cache when it has grown too big; only between documents, so that the spans of
    /// a document's words stay valid while it is read.
    fn trim(&mut self) {
        if self.front.is_empty() {
            self.front = vec![(0, 0, 0); FRONT_SLOTS];
        }
        if self.ids.len() > WORD_IDS_LIMIT {
            self.front.iter_mut().for_each(|e| *e = (0, 0, 0));
            self.short.clear();
            self.long.clear();
            self.ids.clear();
        }
    }

    /// The ids of `word`, deriving and caching them on first sight.
    fn of(&mut self, matcher: &Matcher, word: &str) -> (u32, u32) {
        let key = langnghe_vi::short_key(word);
        let slot = key.map(|k| {
            let h = (k as u64 ^ (k >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            (h >> 52) as usize & (FRONT_SLOTS - 1)
        });
        if let (Some(k), Some(i)) = (key, slot)
            && let Some(&(fk, start, len)) = self.front.get(i)
            && fk == k
        {
            return (start, len);
        }
        let hit = match key {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(word).copied(),
        };
        if let Some(span) = hit {
            if let (Some(k), Some(i)) = (key, slot)
                && let Some(e) = self.front.get_mut(i)
            {
                *e = (k, span.0, span.1);
            }
            return span;
        }
        let start = self.ids.len() as u32;
        langnghe_vi::word_forms(word, &mut self.exact, &mut self.folded);
        // As the index has them: the folded form, then the exact one where it differs.
        let mut forms: [Option<&str>; 2] = [None, None];
        if !self.folded.is_empty() {
            forms[0] = Some(&self.folded);
            if !self.exact.is_empty() && self.exact != self.folded {
                forms[1] = Some(&self.exact);
            }
        } else if !self.exact.is_empty() {
            forms[0] = Some(&self.exact);
        }
        for form in forms.into_iter().flatten() {
            if let Some(id) = matcher.words.get(form) {
                self.ids.push(id);
            }
            for &len in &matcher.prefix_lengths {
                if len > form.len() {
                    break;
                }
                if form.is_char_boundary(len)
                    && let Some(&id) = matcher.prefixes.get(&form[..len])
                {
                    self.ids.push(id);
                }
            }
        }
        let span = (start, self.ids.len() as u32 - start);
        match key {
            Some(k) => {
                self.short.insert(k, span);
            }
            None => {
                self.long.insert(word.to_string(), span);
            }
        }
        span
    }
}

impl Matcher {
    /// Compiles `rules` (in any number; each is found again by its index).
    pub fn new(rules: &[Query]) -> Matcher {
        let mut b = Builder {
            words: HashMap::new(),
            prefixes: HashMap::new(),
            count: 0,
            prefix_ids: Vec::new(),
        };
        let nodes: Vec<Node> = rules.iter().map(|q| b.node(q)).collect();
        let mut triggers: Vec<Vec<u32>> = vec![Vec::new(); b.count as usize];
        let mut pairs: HashMap<u64, Vec<u32>, langnghe_vi::FxBuildHasher> = HashMap::default();
        let mut all_groups = Vec::new();
        let mut always = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            match watches(n) {
                Some(ws) => {
                    for w in ws {
                        let index = all_groups.len() as u32;
                        match w {
                            Watch::Pair(a, b) => {
                                all_groups.push((i, 1));
                                pairs.entry(pair_key(a, b)).or_default().push(index);
                            }
                            Watch::Terms(terms) => {
                                all_groups.push((i, terms.len() as u32));
                                for id in terms {
                                    triggers[id as usize].push(index);
                                }
                            }
                        }
                    }
                }
                None => always.push(i),
            }
        }
        let mut pair_roles = vec![0u8; b.count as usize];
        for &key in pairs.keys() {
            let (a, b) = ((key >> 32) as usize, (key & u64::from(u32::MAX)) as usize);
            if let Some(r) = pair_roles.get_mut(a) {
                *r |= 1;
            }
            if let Some(r) = pair_roles.get_mut(b) {
                *r |= 2;
            }
        }
        let mut prefix_lengths: Vec<usize> = b.prefixes.keys().map(String::len).collect();
        prefix_lengths.sort_unstable();
        prefix_lengths.dedup();
        Matcher {
            rules: nodes,
            words: TermMap::from(b.words),
            prefixes: b.prefixes,
            prefix_lengths,
            triggers,
            pairs,
            pair_roles,
            groups: all_groups,
            always,
        }
    }

    /// Buffers for [`Matcher::matches_with`] (reuse them across documents).
    pub fn scratch(&self) -> Scratch {
        let terms = self.triggers.len() as u32;
        Scratch {
            title: Occurrences::new(terms),
            body: Occurrences::new(terms),
            seen: vec![0; self.rules.len()],
            counts: vec![(0, 0); self.groups.len()],
            generation: 0,
            words: WordIds::default(),
        }
    }

    /// The queries that match `doc`, in the order they were given.
    pub fn matches(&self, doc: &Candidate<'_>) -> Vec<RuleMatch> {
        self.matches_with(doc, &mut self.scratch())
    }

    /// [`Matcher::matches`] with reusable buffers.
    pub fn matches_with(&self, doc: &Candidate<'_>, scratch: &mut Scratch) -> Vec<RuleMatch> {
        scratch.words.trim();
        self.collect(doc.title, &mut scratch.title, &mut scratch.words);
        self.collect(doc.body, &mut scratch.body, &mut scratch.words);
        scratch.generation = scratch.generation.wrapping_add(1);
        if scratch.generation == 0 {
            scratch.seen.iter_mut().for_each(|s| *s = 0);
            scratch.counts.iter_mut().for_each(|c| *c = (0, 0));
            scratch.generation = 1;
        }
        // Each triggered rule once (the generation marks those already taken), in order.
        let generation = scratch.generation;
        let mut candidates: Vec<usize> = Vec::new();
        for &rule in &self.always {
            scratch.seen[rule] = generation;
            candidates.push(rule);
        }
        // A rule is a candidate once one of its groups has all its terms in the document.
        let title = &scratch.title;
        let in_body_only = scratch
            .body
            .touched
            .iter()
            .filter(|&&id| title.positions[id as usize].is_empty());
        for &id in title.touched.iter().chain(in_body_only) {
            for &g in &self.triggers[id as usize] {
                let count = &mut scratch.counts[g as usize];
                if count.0 != generation {
                    *count = (generation, 0);
                }
                count.1 += 1;
                let (rule, size) = self.groups[g as usize];
                if count.1 == size && scratch.seen[rule] != generation {
                    scratch.seen[rule] = generation;
                    candidates.push(rule);
                }
            }
        }
        for &g in title.pairs.iter().chain(&scratch.body.pairs) {
            let (rule, _) = self.groups[g as usize];
            if scratch.seen[rule] != generation {
                scratch.seen[rule] = generation;
                candidates.push(rule);
            }
        }
        candidates.sort_unstable();
        let view = View {
            doc,
            title: &scratch.title,
            body: &scratch.body,
            window: &Window::WHOLE,
        };
        let mut out = Vec::new();
        for rule in candidates {
            // Decided without building evidence; evidence only for the rules that match.
            if view.eval(&self.rules[rule], None) {
                let mut fired = Vec::new();
                view.eval(&self.rules[rule], Some(&mut fired));
                out.push(RuleMatch { rule, fired });
            }
        }
        out
    }

    /// Whether rule `rule` matches within `window` of `doc`, the document last matched with
    /// `scratch` by [`Matcher::matches_with`] (whose occurrences the scratch still holds).
    pub fn holds_within(
        &self,
        rule: usize,
        doc: &Candidate<'_>,
        scratch: &Scratch,
        window: &Window,
    ) -> bool {
        let view = View {
            doc,
            title: &scratch.title,
            body: &scratch.body,
            window,
        };
        self.rules.get(rule).is_some_and(|r| view.eval(r, None))
    }

    /// Records where the matcher's terms occur in one field.
    fn collect(&self, text: &str, into: &mut Occurrences, words: &mut WordIds) {
        for id in into.touched.drain(..) {
            into.positions[id as usize].clear();
            // Every set bit is a touched term's, so clearing the whole word loses nothing.
            into.present[id as usize / 64] = 0;
        }
        into.pairs.clear();
        let watch_pairs = !self.pairs.is_empty();
        // The previous word's position and ids.
        let mut previous: (usize, u32, u32) = (usize::MAX, 0, 0);
        langnghe_vi::each_word(text, |position, word| {
            let (start, len) = words.of(self, word);
            for k in start..start + len {
                into.add(words.ids[k as usize], position as u32);
            }
            if watch_pairs && len > 0 {
                let (p, ps, pl) = previous;
                if p.wrapping_add(1) == position {
                    let role = |id: u32| self.pair_roles.get(id as usize).copied().unwrap_or(0);
                    for &a in &words.ids[ps as usize..(ps + pl) as usize] {
                        if role(a) & 1 == 0 {
                            continue;
                        }
                        for &b in &words.ids[start as usize..(start + len) as usize] {
                            if role(b) & 2 == 0 {
                                continue;
                            }
                            if let Some(gs) = self.pairs.get(&pair_key(a, b)) {
                                into.pairs.extend_from_slice(gs);
                            }
                        }
                    }
                }
            }
            previous = (position, start, len);
        });
    }
}

/// A part of a document: its title or not, and the body's syllables in a range of positions
/// (a phrase is in the window when it starts there). Rules evaluated within a window see only
/// what is in it: the classifier asks whether a topic holds in a headline and lead, or in a
/// passage of a long text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Whether the title is in the window.
    pub title: bool,
    /// The body positions in the window.
    pub body: std::ops::Range<u32>,
}

impl Window {
    /// The whole document.
    pub const WHOLE: Window = Window {
        title: true,
        body: 0..u32::MAX,
    };
}

impl Scratch {
    /// One past the last body position where a term of the matcher occurs in the document last
    /// matched with this scratch (0 if none does).
    pub fn body_extent(&self) -> u32 {
        self.body
            .touched
            .iter()
            .filter_map(|&id| self.body.positions[id as usize].last())
            .max()
            .map_or(0, |&p| p + 1)
    }
}

/// One document's occurrences, for evaluating queries.
struct View<'d, 'a> {
    doc: &'d Candidate<'a>,
    title: &'d Occurrences,
    body: &'d Occurrences,
    window: &'d Window,
}

impl View<'_, '_> {
    fn fields(&self, scope: Scope) -> impl Iterator<Item = (TextField, &Occurrences)> {
        let n = if scope == Scope::Title { 1 } else { 2 };
        [(TextField::Title, self.title), (TextField::Body, self.body)]
            .into_iter()
            .take(n)
            .filter(|(field, _)| *field == TextField::Body || self.window.title)
    }

    /// Whether the window leaves out part of `field` (only the body is ever narrowed). The
    /// whole-field searches below call the general one with a constant range, which the
    /// compiler folds away: the common case (every rule on the whole document) pays nothing.
    fn narrowed(&self, field: TextField) -> bool {
        field == TextField::Body && self.window.body != Window::WHOLE.body
    }

    /// Start positions of `phrase` in `field`, within the window.
    fn starts(&self, field: TextField, occ: &Occurrences, phrase: &[Term]) -> Vec<u32> {
        if !occ.has_terms(phrase) {
            return Vec::new();
        }
        if self.narrowed(field) {
            each_phrase_start_in(phrase, &occ.positions, self.window.body.clone()).collect()
        } else {
            phrase_starts(phrase, &occ.positions)
        }
    }

    /// Start positions of `phrase` in `field` within the window, lazily (no allocation).
    fn each_start<'o>(
        &self,
        field: TextField,
        occ: &'o Occurrences,
        phrase: &'o [Term],
    ) -> impl Iterator<Item = u32> + 'o {
        let within = if self.narrowed(field) {
            self.window.body.clone()
        } else {
            Window::WHOLE.body
        };
        each_phrase_start_in(phrase, &occ.positions, within)
    }

    /// Whether `phrase` occurs in a field of `scope` other than as part of one of the longer
    /// phrases in `within` (each with the syllable where it holds the phrase); its occurrences
    /// are added to `fired`.
    fn outside(
        &self,
        scope: Scope,
        phrase: &[Term],
        within: &[(Vec<Term>, u32)],
        shown: &Shown,
        mut fired: Option<&mut Vec<Fired>>,
    ) -> bool {
        // Whether the occurrence at `p` is part of a longer phrase: looked up term by term at
        // its place, rather than by listing every occurrence of the longer phrase.
        let inside = |occ: &Occurrences, p: u32| {
            within.iter().any(|(longer, offset)| {
                p.checked_sub(*offset)
                    .is_some_and(|start| starts_at(longer, &occ.positions, start))
            })
        };
        if fired.is_none() {
            return self.fields(scope).any(|(field, occ)| {
                occ.has_terms(phrase)
                    && self.each_start(field, occ, phrase).any(|p| !inside(occ, p))
            });
        }
        let mut any = false;
        for (field, occ) in self.fields(scope) {
            let mut starts = self.starts(field, occ, phrase);
            if !within.is_empty() {
                starts.retain(|&p| !inside(occ, p));
            }
            if !starts.is_empty() {
                any = true;
                if let Some(f) = fired.as_deref_mut() {
                    f.push(Fired {
                        terms: shown.clone(),
                        field,
                        positions: starts,
                    });
                }
            }
        }
        any
    }

    /// Whether `node` matches; the phrases that occur are added to `fired` (none under a
    /// negation).
    fn eval(&self, node: &Node, mut fired: Option<&mut Vec<Fired>>) -> bool {
        match node {
            Node::Text {
                scope,
                terms,
                shown,
            } => self.outside(*scope, terms, &[], shown, fired),
            Node::Near {
                scope,
                left,
                right,
                distance,
                shown,
            } => {
                let mut any = false;
                for (field, occ) in self.fields(*scope) {
                    let (a, b) = (
                        self.starts(field, occ, left),
                        self.starts(field, occ, right),
                    );
                    if !a.is_empty()
                        && !b.is_empty()
                        && near(&a, left.len() as u32, &b, right.len() as u32, *distance)
                    {
                        any = true;
                        if let Some(f) = fired.as_deref_mut() {
                            f.push(Fired {
                                terms: shown.0.clone(),
                                field,
                                positions: a,
                            });
                            f.push(Fired {
                                terms: shown.1.clone(),
                                field,
                                positions: b,
                            });
                        }
                    }
                }
                any
            }
            Node::Outside {
                scope,
                phrase,
                within,
                shown,
            } => self.outside(*scope, phrase, within, shown, fired),
            Node::Keyword { field, value } => self.keyword(*field, value),
            Node::Published { from, to } => self.doc.published.is_some_and(|at| {
                let t = at.unix_timestamp();
                from.is_none_or(|f| t >= f) && to.is_none_or(|e| t < e)
            }),
            Node::And(parts) => {
                // Evaluated in full only when it matches, so that `fired` lists what matched.
                let mut found = Vec::new();
                for p in parts {
                    let sink = fired.is_some().then_some(&mut found);
                    if !self.eval(p, sink) {
                        return false;
                    }
                }
                if let Some(f) = fired {
                    f.extend(found);
                }
                true
            }
            Node::Or(parts) => {
                if fired.is_none() {
                    return parts.iter().any(|p| self.eval(p, None));
                }
                let mut any = false;
                for p in parts {
                    any |= self.eval(p, fired.as_deref_mut());
                }
                any
            }
            Node::Not(inner) => !self.eval(inner, None),
        }
    }

    fn keyword(&self, field: KeywordField, value: &str) -> bool {
        let d = self.doc;
        match field {
            KeywordField::Source => d.source.to_lowercase() == value,
            KeywordField::Site => langnghe_model::site_of(d.url).is_some_and(|host| {
                langnghe_model::site_suffixes(&host.to_ascii_lowercase()).any(|s| s == value)
            }),
            KeywordField::Lang => d.lang == Some(value),
            KeywordField::Province => d.provinces.iter().any(|p| p == value),
            KeywordField::Topic => d.topics.iter().any(|t| t == value),
            KeywordField::Sentiment => d.sentiment == Some(value),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::parse;

    fn rules(texts: &[&str]) -> Matcher {
        let qs: Vec<Query> = texts.iter().map(|t| parse(t).unwrap()).collect();
        Matcher::new(&qs)
    }

    fn which(m: &Matcher, title: &str, body: &str) -> Vec<usize> {
        m.matches(&Candidate::new(title, body))
            .into_iter()
            .map(|h| h.rule)
            .collect()
    }

    #[test]
    fn diacritics_phrases_and_collisions() {
        let m = rules(&["công đoàn", "cong doan", "cong đoàn", "lương"]);
        assert_eq!(which(&m, "", "Công đoàn cơ sở họp."), [0, 1, 2]);
        assert_eq!(which(&m, "", "Các công đoạn sản xuất."), [1]);
        // Tone style and NFD do not matter; a sentence break ends a phrase.
        assert_eq!(which(&m, "", "Lương tăng. Công, đoàn viên"), [3]);
        assert_eq!(which(&m, "", "chất lượng tốt"), Vec::<usize>::new());
    }

    #[test]
    fn outside_leaves_out_occurrences_inside_longer_phrases() {
        let m = rules(&["OUTSIDE(đình công, gia đình công, đình công nhận)"]);
        assert!(which(&m, "", "Hỗ trợ gia đình công nhân nghèo.").is_empty());
        assert!(which(&m, "", "Quyết định công nhận danh hiệu.").is_empty());
        // One occurrence outside is enough, even beside one inside.
        let hits = m.matches(&Candidate::new(
            "",
            "Gia đình công nhân kể lại cuộc đình công.",
        ));
        assert_eq!(hits[0].fired[0].positions, [7]);
        assert_eq!(
            parse("OUTSIDE(đình công, gia đình)")
                .unwrap_err()
                .to_string(),
            "column 20: expected a longer phrase that holds `đình công`, found `gia đình`"
        );
    }

    #[test]
    fn boolean_near_prefix_fields_and_explanations() {
        let m = rules(&[
            "NEAR/2(công nhân, nợ lương) -title:quảng",
            "title:đình công",
            "bảo hiểm*",
            "cong*",
            "-thời tiết",
        ]);
        let hits = m.matches(&Candidate::new(
            "Đình công ở KCN",
            "Công nhân bị nợ lương; bảo hiểm xã hội chưa đóng.",
        ));
        let rules: Vec<usize> = hits.iter().map(|h| h.rule).collect();
        assert_eq!(rules, [0, 1, 2, 3, 4]);
        assert_eq!(
            hits[0].fired,
            [
                Fired {
                    terms: "công nhân".into(),
                    field: TextField::Body,
                    positions: vec![0]
                },
                Fired {
                    terms: "nợ lương".into(),
                    field: TextField::Body,
                    positions: vec![3]
                },
            ]
        );
        assert_eq!(&*hits[2].fired[0].terms, "bảo hiểm*");
        // The negated title word excludes rule 0.
        assert_eq!(which(&m, "Quảng Ngãi", "Công nhân bị nợ lương."), [3, 4]);
        assert_eq!(which(&m, "", "thời tiết đẹp"), Vec::<usize>::new());
    }

    #[test]
    fn keywords_and_dates() {
        let m = rules(&[
            "site:vnexpress.net AND lang:vi",
            "published:[2026-11-20 TO 2026-11-26] AND province:dong-nai",
        ]);
        let provinces = vec!["dong-nai".to_string()];
        let mut doc = Candidate::new("t", "b");
        doc.url = "https://e.vnexpress.net/news/1";
        doc.lang = Some("vi");
        doc.provinces = &provinces;
        doc.published = Some(time::macros::datetime!(2026-11-26 23:30 +7));
        let hits: Vec<usize> = m.matches(&doc).iter().map(|h| h.rule).collect();
        assert_eq!(hits, [0, 1]);
        doc.published = Some(time::macros::datetime!(2026-11-27 00:30 +7));
        let hits: Vec<usize> = m.matches(&doc).iter().map(|h| h.rule).collect();
        assert_eq!(hits, [0]);
    }

    #[test]
    fn one_scratch_reads_documents_one_after_another() {
        // What one document held must not answer for the next (the occurrence lists and the
        // presence bits are both reset), and what the next holds must all be seen.
        let m = rules(&[
            "\"công nhân\"",
            "\"lao động\" AND -\"công nhân\"",
            "NEAR/2(\"nợ\", lương)",
        ]);
        let mut scratch = m.scratch();
        let mut read = |title: &str, body: &str| -> Vec<usize> {
            m.matches_with(&Candidate::new(title, body), &mut scratch)
                .iter()
                .map(|h| h.rule)
                .collect()
        };
        assert_eq!(read("Công nhân", "nợ tiền lương ba tháng"), [0, 2]);
        assert_eq!(read("", "người lao động"), [1]);
        assert_eq!(read("", "nợ lương"), [2]);
        assert_eq!(read("Lao động", "công nhân"), [0]);
        assert!(read("", "công ty trả lương").is_empty());
    }

    #[test]
    fn a_window_sees_only_its_part_of_the_document() {
        let m = rules(&[
            "\"trả lương\" AND \"công nhân\"",
            "NEAR/3(\"nợ\", \"lương\")",
            "-\"bóng đá\" \"công nhân\"",
        ]);
        // Positions: công(0) nhân(1) hôm(2) nay(3) được(4) trả(5) lương(6) ... bóng(9) đá(10)
        let doc = Candidate::new(
            "Công nhân",
            "công nhân hôm nay được trả lương sau khi bóng đá nợ tháng lương",
        );
        let mut scratch = m.scratch();
        assert_eq!(m.matches_with(&doc, &mut scratch).len(), 2);
        assert_eq!(scratch.body_extent(), 14);
        let body = |r: std::ops::Range<u32>| Window {
            title: false,
            body: r,
        };
        let holds = |rule, w: &Window| m.holds_within(rule, &doc, &scratch, w);
        assert!(holds(0, &Window::WHOLE));
        assert!(holds(0, &body(0..7)));
        // A phrase is in a window where it starts.
        assert!(holds(0, &body(0..6)));
        assert!(!holds(0, &body(1..7)), "công nhân starts outside");
        assert!(!holds(0, &body(2..14)));
        // Without its title, a window holds what the body has there.
        let title_only = Window {
            title: true,
            body: 7..7,
        };
        assert!(!holds(0, &title_only));
        assert!(holds(
            0,
            &Window {
                title: true,
                body: 5..6
            }
        ));
        // NEAR sees both sides within the window.
        assert!(holds(1, &body(10..14)));
        assert!(!holds(1, &body(12..14)));
        // A negation sees only the window: "bóng đá" outside it vetoes nothing there.
        assert!(!holds(2, &Window::WHOLE));
        assert!(holds(2, &body(0..8)));
        // Out of range rules never hold.
        assert!(!holds(99, &Window::WHOLE));
    }
}
