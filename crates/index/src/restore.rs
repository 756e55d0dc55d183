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

/// The terms that start with a prefix, and if `unmarked`, hold no Vietnamese-marked letter after
/// it (a prefix typed without diacritics completes to words without them), as an automaton over
/// the term dictionary: its walk leaves a branch at the first marked letter and never reads the
/// accented half of the vocabulary. State: bytes of the prefix read, then the character being
/// decoded (its bits so far and the bytes it still needs); `None` is dead.
struct Completions<'a> {
    prefix: &'a [u8],
    unmarked: bool,
}

type Decoding = Option<(usize, u32, u8)>;

impl tantivy_fst::Automaton for Completions<'_> {
    type State = Decoding;

    fn start(&self) -> Decoding {
        Some((0, 0, 0))
    }

    fn is_match(&self, state: &Decoding) -> bool {
        matches!(*state, Some((n, _, 0)) if n == self.prefix.len())
    }

    fn can_match(&self, state: &Decoding) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Decoding, byte: u8) -> Decoding {
        let (n, bits, needed) = (*state)?;
        if let Some(&expected) = self.prefix.get(n) {
            return (byte == expected).then_some((n + 1, 0, 0));
        }
        if !self.unmarked {
            return Some((n, 0, 0));
        }
        let (bits, needed) = match needed {
            0 if byte < 0x80 => return Some((n, 0, 0)),
            0 if byte >> 5 == 0b110 => (u32::from(byte & 0x1F), 1),
            0 if byte >> 4 == 0b1110 => (u32::from(byte & 0x0F), 2),
            0 if byte >> 3 == 0b11110 => (u32::from(byte & 0x07), 3),
            0 => return None,
            k if byte >> 6 == 0b10 => ((bits << 6) | u32::from(byte & 0x3F), k - 1),
            _ => return None,
        };
        if needed > 0 {
            return Some((n, bits, needed));
        }
        let c = char::from_u32(bits)?;
        (!langnghe_vi::is_vietnamese_marked(c)).then_some((n, 0, 0))
    }
}

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
        // Completions without diacritics only: none if the prefix has them.
        if folded && prefix.chars().any(langnghe_vi::is_vietnamese_marked) {
            return Some(Vec::new());
        }
        let completions = || Completions {
            prefix: prefix.as_bytes(),
            unmarked: folded,
        };
        let mut counts: HashMap<Vec<u8>, u64, langnghe_vi::FxBuildHasher> = HashMap::default();
        let mut count = |key: &[u8], doc_freq: u32| match counts.get_mut(key) {
            Some(n) => *n += u64::from(doc_freq),
            None => {
                counts.insert(key.to_vec(), u64::from(doc_freq));
            }
        };
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field).ok()?;
            let mut stream = inverted.terms().search(completions()).into_stream().ok()?;
            while stream.advance() {
                count(stream.key(), stream.value().doc_freq);
            }
        }
        let mut terms: Vec<(String, u64)> = counts
            .into_iter()
            .filter_map(|(k, n)| String::from_utf8(k).ok().map(|t| (t, n)))
            .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy_fst::Automaton;

    fn accepts(a: &Completions<'_>, term: &str) -> bool {
        let mut state = a.start();
        for &b in term.as_bytes() {
            if !a.can_match(&state) {
                return false;
            }
            state = a.accept(&state, b);
        }
        a.is_match(&state)
    }

    #[test]
    fn completions_without_marks_only() {
        let a = Completions {
            prefix: b"c",
            unmarked: true,
        };
        for term in ["c", "cong", "cua", "ca1", "cß", "c中", "ca-b"] {
            assert!(accepts(&a, term), "{term}");
        }
        for term in ["công", "cá", "cư", "cđ", "b", "", "ccông"] {
            assert!(!accepts(&a, term), "{term}");
        }
        // Every completion, accented or not, when the prefix was typed with diacritics.
        let all = Completions {
            prefix: "cô".as_bytes(),
            unmarked: false,
        };
        for term in ["cô", "công", "côn"] {
            assert!(accepts(&all, term), "{term}");
        }
        // "ố" is its own letter, not "ô" with a tone added to it.
        for term in ["co", "cong", "cơ", "c", "cống"] {
            assert!(!accepts(&all, term), "{term}");
        }
    }

    proptest! {
        /// The automaton keeps what the filter it replaced kept: terms with the prefix and no
        /// Vietnamese-marked letter.
        #[test]
        fn the_automaton_is_the_filter(
            prefix in "[a-d]{0,2}",
            rest in "[a-dđăâêôơưáàảãạốồổỗộớờởỡợçßöñ中 0-9-]{0,6}",
        ) {
            let a = Completions { prefix: prefix.as_bytes(), unmarked: true };
            for term in [format!("{prefix}{rest}"), rest.clone()] {
                let expected = term.starts_with(&prefix)
                    && !term.chars().any(langnghe_vi::is_vietnamese_marked);
                prop_assert_eq!(accepts(&a, &term), expected, "{:?} after {:?}", term, prefix);
            }
        }
    }
}
