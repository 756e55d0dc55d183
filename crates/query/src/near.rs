//! `NEAR/n(a, b)` as a tantivy filter with exact semantics.
//!
//! tantivy's sloppy phrase spends its slop anywhere in the phrase, so `NEAR/5(công nhân, đình công)`
//! written as one sloppy phrase would also accept "Đình chỉ công tác nhân viên". This filter reads
//! positions and accepts a document only if both operands occur as exact phrases with at most
//! `n` positions between them, in either order. (A sentence boundary counts as one position.)

use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::doc_predicate_query::{
    ConstOrVariableSegmentPredicate, DocPredicate, SegmentDocPredicate,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, InvertedIndexReader, SegmentReader, TERMINATED, Term};

/// The two operands (terms of one field) and the largest gap between them.
#[derive(Debug, Clone)]
pub(crate) struct NearFilter {
    pub left: Vec<Term>,
    pub right: Vec<Term>,
    pub distance: u32,
}

/// Start positions of `phrase` in a document, given the positions of each distinct term.
pub(crate) fn phrase_starts(phrase: &[usize], positions: &[Vec<u32>]) -> Vec<u32> {
    each_phrase_start(phrase, positions).collect()
}

/// The start positions of `phrase`, in order, lazily. The term with the fewest occurrences
/// anchors the search: "của công ty" is looked for around "công ty", not around every "của". A
/// term that does not occur ends it at once, before the other terms' lists are read (most rules
/// miss most documents, and each list is a cache line of its own).
pub(crate) fn each_phrase_start<'a>(
    phrase: &'a [usize],
    positions: &'a [Vec<u32>],
) -> impl Iterator<Item = u32> + 'a {
    each_phrase_start_in(phrase, positions, 0..u32::MAX)
}

/// [`each_phrase_start`] for the phrases that start in `within`: only the anchor's occurrences
/// in that range are tried (a binary search), so that reading one window of a long text costs
/// what is in the window, not the whole text.
pub(crate) fn each_phrase_start_in<'a>(
    phrase: &'a [usize],
    positions: &'a [Vec<u32>],
    within: std::ops::Range<u32>,
) -> impl Iterator<Item = u32> + 'a {
    let mut anchor: Option<(usize, &[u32])> = None;
    for (k, &t) in phrase.iter().enumerate() {
        let occurrences = &positions[t][..];
        if occurrences.is_empty() {
            anchor = None;
            break;
        }
        if anchor.is_none_or(|(_, best)| occurrences.len() < best.len()) {
            anchor = Some((k, occurrences));
        }
    }
    let (a, occurrences) = anchor.unwrap_or((0, &[]));
    // Starts in `within` are anchor occurrences in `within` shifted by the anchor's offset.
    let (lo, hi) = (
        within.start.saturating_add(a as u32),
        within.end.saturating_add(a as u32),
    );
    let occurrences = if within == (0..u32::MAX) {
        occurrences
    } else {
        let from = occurrences.partition_point(|&p| p < lo);
        let to = occurrences.partition_point(|&p| p < hi);
        &occurrences[from..to.max(from)]
    };
    occurrences
        .iter()
        .filter_map(move |&p| p.checked_sub(a as u32))
        .filter(move |&start| {
            phrase
                .iter()
                .enumerate()
                .all(|(k, &t)| k == a || positions[t].binary_search(&(start + k as u32)).is_ok())
        })
}

/// Whether `phrase` starts at `start`: each of its terms at its place (a binary search per term,
/// stopping at the first term that is not there).
pub(crate) fn starts_at(phrase: &[usize], positions: &[Vec<u32>], start: u32) -> bool {
    phrase.iter().enumerate().all(|(k, &t)| {
        start
            .checked_add(k as u32)
            .is_some_and(|p| positions[t].binary_search(&p).is_ok())
    })
}

/// True if some occurrence of a phrase of length `la` starting in `a` and one of length `lb`
/// starting in `b` are at most `distance` positions apart, in either order, without overlapping.
pub(crate) fn near(a: &[u32], la: u32, b: &[u32], lb: u32, distance: u32) -> bool {
    // Both lists are sorted: one pass with two cursors into `b`, for the ranges after and
    // before each start of `a` (O(|a| + |b|), not |a| × |b|: a hostile page repeating both
    // operands would otherwise take seconds).
    let (mut after, mut before) = (0usize, 0usize);
    for &x in a {
        // `b` after `a`: x + la <= y <= x + la + distance.
        let lo = x.saturating_add(la);
        while after < b.len() && b[after] < lo {
            after += 1;
        }
        if b.get(after)
            .is_some_and(|&y| y <= lo.saturating_add(distance))
        {
            return true;
        }
        // `b` before `a`: x - lb - distance <= y and y + lb <= x.
        if let Some(hi) = x.checked_sub(lb) {
            let lo = hi.saturating_sub(distance);
            while before < b.len() && b[before] < lo {
                before += 1;
            }
            if b.get(before).is_some_and(|&y| y <= hi) {
                return true;
            }
        }
    }
    false
}

/// Moves every postings list to `doc` and reads its positions into `positions` (one vector per
/// list). False as soon as one list does not contain `doc`.
fn positions_at(postings: &mut [SegmentPostings], doc: DocId, positions: &mut [Vec<u32>]) -> bool {
    for (p, out) in postings.iter_mut().zip(positions.iter_mut()) {
        if p.doc() < doc {
            p.seek(doc);
        }
        if p.doc() != doc {
            return false;
        }
        out.clear();
        p.positions(out);
    }
    true
}

/// Postings with positions for every term, or `None` if one term is not in this segment.
fn open_all(
    inverted: &InvertedIndexReader,
    terms: &[&Term],
) -> tantivy::Result<Option<Vec<SegmentPostings>>> {
    let mut out = Vec::with_capacity(terms.len());
    for term in terms {
        match inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)? {
            Some(p) => out.push(p),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// The documents of the rarest of `terms`: any match contains it, so it drives the candidates.
fn rarest_docs(
    inverted: &InvertedIndexReader,
    terms: &[&Term],
) -> tantivy::Result<Option<Box<dyn DocSet>>> {
    let Some(rarest) = terms
        .iter()
        .min_by_key(|t| inverted.doc_freq(t).unwrap_or(u32::MAX))
    else {
        return Ok(None);
    };
    Ok(
        match inverted.read_postings(rarest, IndexRecordOption::Basic)? {
            Some(p) if p.doc() != TERMINATED => Some(Box::new(p)),
            _ => None,
        },
    )
}

pub(crate) struct NearSegment {
    /// One postings list per distinct term.
    postings: Vec<SegmentPostings>,
    left: Vec<usize>,
    right: Vec<usize>,
    distance: u32,
    positions: Vec<Vec<u32>>,
}

impl SegmentDocPredicate for NearSegment {
    fn eval(&mut self, doc: DocId) -> bool {
        if !positions_at(&mut self.postings, doc, &mut self.positions) {
            return false;
        }
        let a = phrase_starts(&self.left, &self.positions);
        let b = phrase_starts(&self.right, &self.positions);
        near(
            &a,
            self.left.len() as u32,
            &b,
            self.right.len() as u32,
            self.distance,
        )
    }

    fn cost(&self) -> u64 {
        200
    }
}

impl DocPredicate for NearFilter {
    type SegmentDocPredicate = NearSegment;

    fn doc_predicate(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<ConstOrVariableSegmentPredicate<NearSegment>> {
        let mut distinct: Vec<&Term> = Vec::new();
        let mut left = Vec::with_capacity(self.left.len());
        let mut right = Vec::with_capacity(self.right.len());
        for (phrase, out) in [(&self.left, &mut left), (&self.right, &mut right)] {
            for t in phrase.iter() {
                let i = match distinct.iter().position(|d| *d == t) {
                    Some(i) => i,
                    None => {
                        distinct.push(t);
                        distinct.len() - 1
                    }
                };
                out.push(i);
            }
        }
        let Some(first) = distinct.first() else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let inverted = reader.inverted_index(first.field())?;
        let (Some(postings), Some(necessary)) = (
            open_all(&inverted, &distinct)?,
            rarest_docs(&inverted, &distinct)?,
        ) else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let n = postings.len();
        Ok(ConstOrVariableSegmentPredicate::Variable {
            predicate: NearSegment {
                postings,
                left,
                right,
                distance: self.distance,
                positions: vec![Vec::new(); n],
            },
            necessary_condition: necessary,
        })
    }
}

/// `OUTSIDE(a, x a y, …)`: documents where the phrase occurs at least once outside every longer
/// phrase given with it (each with the syllable offset where it holds the phrase).
#[derive(Debug, Clone)]
pub(crate) struct OutsideFilter {
    pub phrase: Vec<Term>,
    pub within: Vec<(Vec<Term>, u32)>,
}

pub(crate) struct OutsideSegment {
    /// One postings list per distinct term of the phrase.
    postings: Vec<SegmentPostings>,
    phrase: Vec<usize>,
    positions: Vec<Vec<u32>>,
    /// The longer phrases present in the segment.
    within: Vec<Longer>,
}

/// A longer phrase of `OUTSIDE` in one segment.
pub(crate) struct Longer {
    /// One postings list per distinct term.
    postings: Vec<SegmentPostings>,
    /// Per syllable, the index of its term among the distinct ones.
    order: Vec<usize>,
    /// The syllable where it holds the phrase.
    offset: u32,
    /// A buffer of positions per distinct term.
    positions: Vec<Vec<u32>>,
}

impl SegmentDocPredicate for OutsideSegment {
    fn eval(&mut self, doc: DocId) -> bool {
        if !positions_at(&mut self.postings, doc, &mut self.positions) {
            return false;
        }
        let mut starts = phrase_starts(&self.phrase, &self.positions);
        for Longer {
            postings,
            order,
            offset,
            positions,
        } in &mut self.within
        {
            if starts.is_empty() {
                break;
            }
            if !positions_at(postings, doc, positions) {
                continue;
            }
            let longer = phrase_starts(order, positions);
            starts.retain(|&p| {
                p.checked_sub(*offset)
                    .is_none_or(|start| longer.binary_search(&start).is_err())
            });
        }
        !starts.is_empty()
    }

    fn cost(&self) -> u64 {
        200
    }
}

/// Distinct terms of a phrase and, per syllable, the index of its term among them.
fn distinct(phrase: &[Term]) -> (Vec<&Term>, Vec<usize>) {
    let mut terms: Vec<&Term> = Vec::new();
    let order = phrase
        .iter()
        .map(|t| match terms.iter().position(|d| *d == t) {
            Some(i) => i,
            None => {
                terms.push(t);
                terms.len() - 1
            }
        })
        .collect();
    (terms, order)
}

impl DocPredicate for OutsideFilter {
    type SegmentDocPredicate = OutsideSegment;

    fn doc_predicate(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<ConstOrVariableSegmentPredicate<OutsideSegment>> {
        let (terms, order) = distinct(&self.phrase);
        let Some(first) = terms.first() else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let inverted = reader.inverted_index(first.field())?;
        let (Some(postings), Some(necessary)) = (
            open_all(&inverted, &terms)?,
            rarest_docs(&inverted, &terms)?,
        ) else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let mut within = Vec::new();
        for (longer, offset) in &self.within {
            let (w_terms, w_order) = distinct(longer);
            // A longer phrase with a term absent from the segment never occurs in it.
            if let Some(w_postings) = open_all(&inverted, &w_terms)? {
                let n = w_postings.len();
                within.push(Longer {
                    postings: w_postings,
                    order: w_order,
                    offset: *offset,
                    positions: vec![Vec::new(); n],
                });
            }
        }
        let n = postings.len();
        Ok(ConstOrVariableSegmentPredicate::Variable {
            predicate: OutsideSegment {
                postings,
                phrase: order,
                positions: vec![Vec::new(); n],
                within,
            },
            necessary_condition: necessary,
        })
    }
}

/// A phrase whose last syllable is one of several completions (`dinh c*` → `dinh` followed by
/// `cong`, `co`, `cac`, …). tantivy's own phrase prefix opens the postings of every completion
/// in byte order; this filter opens only the chosen ones and checks positions per candidate.
#[derive(Debug, Clone)]
pub(crate) struct PrefixPhraseFilter {
    pub head: Vec<Term>,
    pub completions: Vec<Term>,
}

pub(crate) struct PrefixPhraseSegment {
    head: Vec<SegmentPostings>,
    /// 0, 1, …: the head phrase's terms in order.
    order: Vec<usize>,
    completions: Vec<SegmentPostings>,
    positions: Vec<Vec<u32>>,
    buffer: Vec<u32>,
}

impl SegmentDocPredicate for PrefixPhraseSegment {
    fn eval(&mut self, doc: DocId) -> bool {
        if !positions_at(&mut self.head, doc, &mut self.positions) {
            return false;
        }
        let starts = phrase_starts(&self.order, &self.positions);
        if starts.is_empty() {
            return false;
        }
        let next = self.head.len() as u32;
        for p in &mut self.completions {
            if p.doc() < doc {
                p.seek(doc);
            }
            if p.doc() == doc {
                self.buffer.clear();
                p.positions(&mut self.buffer);
                if starts
                    .iter()
                    .any(|s| self.buffer.binary_search(&(s + next)).is_ok())
                {
                    return true;
                }
            }
        }
        false
    }

    fn cost(&self) -> u64 {
        100 + self.completions.len() as u64 * 10
    }
}

impl DocPredicate for PrefixPhraseFilter {
    type SegmentDocPredicate = PrefixPhraseSegment;

    fn doc_predicate(
        &self,
        reader: &SegmentReader,
    ) -> tantivy::Result<ConstOrVariableSegmentPredicate<PrefixPhraseSegment>> {
        let Some(first) = self.head.first() else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let inverted = reader.inverted_index(first.field())?;
        let head_terms: Vec<&Term> = self.head.iter().collect();
        let (Some(head), Some(necessary)) = (
            open_all(&inverted, &head_terms)?,
            rarest_docs(&inverted, &head_terms)?,
        ) else {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        };
        let mut completions = Vec::with_capacity(self.completions.len());
        for term in &self.completions {
            if let Some(p) =
                inverted.read_postings(term, IndexRecordOption::WithFreqsAndPositions)?
            {
                completions.push(p);
            }
        }
        if completions.is_empty() {
            return Ok(ConstOrVariableSegmentPredicate::Const(false));
        }
        let n = head.len();
        Ok(ConstOrVariableSegmentPredicate::Variable {
            predicate: PrefixPhraseSegment {
                head,
                order: (0..n).collect(),
                completions,
                positions: vec![Vec::new(); n],
                buffer: Vec::new(),
            },
            necessary_condition: necessary,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_counts_the_gap_between_operands() {
        // "công nhân [x x] đình công": a=0 (len 2), b=4 (len 2): gap 2.
        assert!(near(&[0], 2, &[4], 2, 2));
        assert!(!near(&[0], 2, &[4], 2, 1));
        // Either order.
        assert!(near(&[10], 2, &[4], 2, 4));
        // Overlap is not a match.
        assert!(!near(&[0], 2, &[1], 2, 5));
    }

    #[test]
    fn phrases_need_consecutive_positions() {
        // term 0 at 3, 9; term 1 at 4, 20
        let positions = vec![vec![3, 9], vec![4, 20]];
        assert_eq!(phrase_starts(&[0, 1], &positions), [3]);
        assert_eq!(phrase_starts(&[1], &positions), [4, 20]);
    }

    /// The definition `near` implements, pair by pair.
    fn near_by_pairs(a: &[u32], la: u32, b: &[u32], lb: u32, distance: u32) -> bool {
        a.iter().any(|&x| {
            b.iter().any(|&y| {
                if x + la <= y {
                    y - (x + la) <= distance
                } else if y + lb <= x {
                    x - (y + lb) <= distance
                } else {
                    false
                }
            })
        })
    }

    fn sorted(mut v: Vec<u32>) -> Vec<u32> {
        v.sort_unstable();
        v.dedup();
        v
    }

    proptest::proptest! {
        #[test]
        fn near_is_its_definition(
            a in proptest::collection::vec(0u32..60, 0..12),
            b in proptest::collection::vec(0u32..60, 0..12),
            la in 1u32..4,
            lb in 1u32..4,
            distance in 0u32..8,
        ) {
            let (a, b) = (sorted(a), sorted(b));
            proptest::prop_assert_eq!(
                near(&a, la, &b, lb, distance),
                near_by_pairs(&a, la, &b, lb, distance)
            );
        }

        #[test]
        fn starts_in_a_range_are_the_starts_filtered(
            first in proptest::collection::vec(0u32..80, 0..20),
            second in proptest::collection::vec(0u32..80, 0..20),
            from in 0u32..80,
            len in 0u32..40,
        ) {
            let positions = vec![sorted(first), sorted(second)];
            for phrase in [&[0usize][..], &[0, 1], &[1, 0], &[1, 1, 0]] {
                let all: Vec<u32> = each_phrase_start(phrase, &positions)
                    .filter(|p| (from..from + len).contains(p))
                    .collect();
                let within: Vec<u32> =
                    each_phrase_start_in(phrase, &positions, from..from + len).collect();
                proptest::prop_assert_eq!(all, within);
            }
        }

        #[test]
        fn a_phrase_starts_at_a_position_when_it_is_among_its_starts(
            first in proptest::collection::vec(0u32..40, 0..20),
            second in proptest::collection::vec(0u32..40, 0..20),
            at in 0u32..45,
        ) {
            let positions = vec![sorted(first), sorted(second)];
            for phrase in [&[0usize][..], &[0, 1], &[1, 0], &[1, 1, 0]] {
                proptest::prop_assert_eq!(
                    starts_at(phrase, &positions, at),
                    phrase_starts(phrase, &positions).contains(&at)
                );
            }
        }
    }
}
