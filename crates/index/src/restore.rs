//! Diacritic restoration from the index's own vocabulary: which accented reading of
//! `cong doan` do these documents mean? (`công đoàn`, far more often than `công đoạn`,
//! in a labour archive; the answer comes from counts, not from a built-in list.)

use std::collections::HashMap;
use std::sync::Mutex;

use tantivy::collector::Count;
use tantivy::query::PhraseQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use langnghe_query::Restorer;

/// Accented readings considered per syllable of a phrase.
const CANDIDATES: usize = 2;

/// Folded syllable → its accented forms in the body field, most frequent first.
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

/// A [`Restorer`] bound to one searcher (one index generation).
pub(crate) struct IndexRestorer<'a> {
    pub variants: &'a Variants,
    pub searcher: &'a Searcher,
    pub body_exact: Field,
}

impl Restorer for IndexRestorer<'_> {
    fn restore(&self, _exact_field: Field, folded: &[&str]) -> Option<Vec<String>> {
        let key: Vec<String> = folded.iter().map(|s| (*s).to_owned()).collect();
        if let Ok(cache) = self.variants.cache.lock()
            && let Some(hit) = cache.get(&key)
        {
            return hit.clone();
        }
        let answer = self.compute(folded);
        if let Ok(mut cache) = self.variants.cache.lock() {
            cache.insert(key, answer.clone());
        }
        answer
    }
}

impl IndexRestorer<'_> {
    fn compute(&self, folded: &[&str]) -> Option<Vec<String>> {
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
                .map(|w| Term::from_field_text(self.body_exact, w))
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
