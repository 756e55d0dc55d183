//! Diacritic restoration from the index's own vocabulary: which accented reading of
//! `cong doan` do these documents mean? (`công đoàn`, far more often than `công đoạn`,
//! in a labour archive; the answer comes from counts, not from a built-in list.)

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::Count;
use tantivy::query::PhraseQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use langnghe_query::Vocabulary;

/// Phrases whose accented reading wins whenever a query types them without diacritics: the
/// analyst's vocabulary (`đình công`, not the far more frequent cross-word `định công` of
/// "quyết định công nhận"). Built from text, one phrase per line; `#` starts a comment.
#[derive(Debug, Default, Clone)]
pub struct Lexicon {
    by_folded: HashMap<Vec<String>, Vec<String>>,
    longest: usize,
}

impl Lexicon {
    /// Parses a lexicon file's text. Lines are analysed like documents, so tone style, case
    /// and Unicode form do not matter.
    ///
    /// ```
    /// let lex = langnghe_index::Lexicon::parse("# labour\nĐình công\nnợ lương\n");
    /// assert_eq!(lex.len(), 2);
    /// ```
    pub fn parse(text: &str) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for line in text.lines() {
            let phrase = line.split('#').next().unwrap_or("").trim();
            let exact: Vec<String> = langnghe_vi::tokens(phrase, langnghe_vi::Analyzer::Exact)
                .into_iter()
                .map(|t| t.text)
                .collect();
            if exact.is_empty() {
                continue;
            }
            let folded: Vec<String> = exact.iter().map(|w| langnghe_vi::fold(w)).collect();
            lexicon.longest = lexicon.longest.max(exact.len());
            lexicon.by_folded.entry(folded).or_insert(exact);
        }
        lexicon
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.by_folded.len()
    }

    /// True if there are no phrases.
    pub fn is_empty(&self) -> bool {
        self.by_folded.is_empty()
    }

    /// The longest entry matching `folded` from its start: (length, accented reading).
    fn longest_match(&self, folded: &[&str]) -> Option<(usize, &[String])> {
        (1..=self.longest.min(folded.len())).rev().find_map(|len| {
            let key: Vec<String> = folded[..len].iter().map(|s| (*s).to_owned()).collect();
            self.by_folded
                .get(&key)
                .map(|exact| (len, exact.as_slice()))
        })
    }
}

/// Accented readings considered per syllable of a phrase.
const CANDIDATES: usize = 2;

/// Restored phrases kept per index generation before the cache starts again.
const PHRASE_CACHE_LIMIT: usize = 10_000;

/// Folded syllable → its accented forms in the body field, most frequent first (the field holds
/// folded and exact terms; the accented ones are the non-ASCII terms).
pub(crate) struct Variants {
    by_folded: HashMap<String, Vec<(String, u64)>>,
    /// Phrases already restored, by folded text.
    cache: Mutex<HashMap<Vec<String>, Option<Vec<String>>>>,
}

impl Variants {
    /// Reads the term dictionary of `field` in every segment.
    pub fn build(searcher: &Searcher, field: Field) -> tantivy::Result<Variants> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                // Only accented forms are restorations; digits and plain words map to themselves.
                if term.is_ascii() {
                    continue;
                }
                *counts.entry(term.to_owned()).or_insert(0) += u64::from(stream.value().doc_freq);
            }
        }
        let mut by_folded: HashMap<String, Vec<(String, u64)>> = HashMap::new();
        for (term, n) in counts {
            by_folded
                .entry(langnghe_vi::fold(&term))
                .or_default()
                .push((term, n));
        }
        for forms in by_folded.values_mut() {
            forms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            forms.truncate(4);
        }
        Ok(Variants {
            by_folded,
            cache: Mutex::new(HashMap::new()),
        })
    }
}

/// The index's [`Vocabulary`], bound to one searcher (one index generation).
pub(crate) struct IndexVocabulary<'a> {
    pub variants: &'a Variants,
    pub lexicon: &'a Lexicon,
    pub searcher: &'a Searcher,
    pub body: Field,
}

impl Vocabulary for IndexVocabulary<'_> {
    fn expand_prefix(
        &self,
        field: Field,
        prefix: &str,
        folded: bool,
        limit: usize,
    ) -> Option<Vec<String>> {
        // Every term in [prefix, prefix + 0xFF): UTF-8 never contains the byte 0xFF.
        let mut upper = prefix.as_bytes().to_vec();
        upper.push(0xFF);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field).ok()?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .lt(&upper)
                .into_stream()
                .ok()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key())
                    && !(folded
                        && !term.is_ascii()
                        && term.chars().any(langnghe_vi::is_vietnamese_marked))
                {
                    *counts.entry(term.to_owned()).or_insert(0) +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut terms: Vec<(String, u64)> = counts.into_iter().collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        terms.truncate(limit);
        Some(terms.into_iter().map(|(t, _)| t).collect())
    }

    fn restore(&self, _field: Field, folded: &[&str]) -> Option<Vec<String>> {
        let key: Vec<String> = folded.iter().map(|s| (*s).to_owned()).collect();
        if let Ok(cache) = self.variants.cache.lock()
            && let Some(hit) = cache.get(&key)
        {
            return hit.clone();
        }
        let answer = self.compute(folded);
        if let Ok(mut cache) = self.variants.cache.lock() {
            // A server may answer queries for weeks on one index generation: start afresh
            // rather than grow without bound.
            if cache.len() >= PHRASE_CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(key, answer.clone());
        }
        answer
    }
}

impl IndexVocabulary<'_> {
    /// Lexicon phrases first (longest match, left to right); the runs between them by corpus
    /// statistics.
    fn compute(&self, folded: &[&str]) -> Option<Vec<String>> {
        let mut out: Vec<String> = Vec::with_capacity(folded.len());
        let mut i = 0;
        while i < folded.len() {
            if let Some((len, exact)) = self.lexicon.longest_match(&folded[i..]) {
                out.extend(exact.iter().cloned());
                i += len;
                continue;
            }
            let mut j = i + 1;
            while j < folded.len() && self.lexicon.longest_match(&folded[j..]).is_none() {
                j += 1;
            }
            let run = &folded[i..j];
            match self.by_corpus_counts(run) {
                Some(restored) => out.extend(restored),
                None => out.extend(run.iter().map(|s| (*s).to_owned())),
            }
            i = j;
        }
        (out.iter().zip(folded).any(|(a, b)| a != b)).then_some(out)
    }

    fn by_corpus_counts(&self, folded: &[&str]) -> Option<Vec<String>> {
        let options: Vec<Vec<&str>> = folded
            .iter()
            .map(|f| match self.variants.by_folded.get(*f) {
                Some(forms) => forms
                    .iter()
                    .take(CANDIDATES)
                    .map(|(t, _)| t.as_str())
                    .collect(),
                None => vec![*f],
            })
            .collect();
        if options.iter().all(|o| o.len() == 1) {
            let only: Vec<String> = options.iter().map(|o| o[0].to_owned()).collect();
            return (only.iter().zip(folded).any(|(a, b)| a != b)).then_some(only);
        }
        if folded.len() == 1 || folded.len() > 4 {
            // One syllable: its most frequent accented form. Long phrases: per syllable.
            return Some(options.iter().map(|o| o[0].to_owned()).collect());
        }
        // Short phrases: the combination that occurs most often as a phrase.
        let mut best: Option<(usize, Vec<&str>)> = None;
        let mut combo = vec![0usize; options.len()];
        loop {
            let words: Vec<&str> = combo.iter().zip(&options).map(|(&i, o)| o[i]).collect();
            let terms = words
                .iter()
                .map(|w| Term::from_field_text(self.body, w))
                .collect();
            let count = self
                .searcher
                .search(&PhraseQuery::new(terms), &Count)
                .unwrap_or(0);
            if best.as_ref().is_none_or(|(n, _)| count > *n) {
                best = Some((count, words));
            }
            // Next combination (odometer).
            let mut pos = 0;
            loop {
                if pos == combo.len() {
                    return best
                        .filter(|(n, _)| *n > 0)
                        .map(|(_, w)| w.into_iter().map(str::to_owned).collect());
                }
                combo[pos] += 1;
                if combo[pos] < options[pos].len() {
                    break;
                }
                combo[pos] = 0;
                pos += 1;
            }
        }
    }
}
