//! Syndicated copies: which documents tell the same story?
//!
//! Vietnamese outlets republish each other's articles with a new headline, a different sapo or a
//! site footer. Each text becomes a set of 5-syllable shingles over folded syllables (so a copy
//! that lost its diacritics still matches); a MinHash signature estimates the Jaccard similarity of
//! two sets, and locality-sensitive hashing (bands of the signature) finds the candidate pairs
//! without comparing every pair. Copies join one story, whose original is the earliest published.

use std::collections::HashMap;

use time::OffsetDateTime;

use langnghe_vi::{Analyzer, tokens};

/// Syllables per shingle.
const SHINGLE: usize = 5;
/// MinHash functions; split into `BANDS` bands of `ROWS` rows for LSH.
pub const HASHES: usize = 64;
/// A MinHash signature (see [`signature`]).
pub type Signature = [u64; HASHES];
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity above which two texts are copies of one story.
pub const COPY_SIMILARITY: f64 = 0.5;
/// Texts shorter than this (in syllables) are not clustered: a headline-only item would match
/// every other item on the same event.
const MIN_SYLLABLES: usize = 40;

/// splitmix64's finaliser: spreads the bits of a 64-bit value (stable, like everything stored).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

pub use langnghe_model::stable_hash;

/// A stable hash of the text's folded syllables: equal for copies that differ only in case,
/// punctuation, whitespace, diacritics or tone style.
pub fn content_hash(text: &str) -> u64 {
    let mut joined = String::with_capacity(text.len());
    for t in tokens(text, Analyzer::Folded) {
        joined.push_str(&t.text);
        joined.push(' ');
    }
    stable_hash(joined.as_bytes())
}

/// The MinHash signature of a text, or `None` if it is too short to compare. Stable across
/// builds and platforms: signatures are stored (`state.sqlite`) so that copies found in later
/// crawls join earlier stories.
pub fn signature(text: &str) -> Option<Signature> {
    let syllables: Vec<u64> = tokens(text, Analyzer::Folded)
        .into_iter()
        .map(|t| stable_hash(t.text.as_bytes()))
        .collect();
    if syllables.len() < MIN_SYLLABLES {
        return None;
    }
    let shingles: Vec<u64> = syllables
        .windows(SHINGLE)
        .map(|w| mix(w.iter().fold(0, |h, &s| mix(h ^ s))))
        .collect();
    let mut sig = [u64::MAX; HASHES];
    for (i, slot) in sig.iter_mut().enumerate() {
        // One cheap mix per hash function instead of re-hashing every shingle.
        let (a, b) = (mix(2 * i as u64 + 1) | 1, mix(2 * i as u64 + 2));
        for &s in &shingles {
            let v = s.wrapping_mul(a).wrapping_add(b);
            if v < *slot {
                *slot = v;
            }
        }
    }
    Some(sig)
}

/// Estimated Jaccard similarity of the shingle sets behind two signatures.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// Groups documents into stories as they arrive.
#[derive(Default)]
pub struct Stories {
    /// Per document: (id, published, signature).
    docs: Vec<(String, Option<OffsetDateTime>, Option<Signature>)>,
    by_id: HashMap<String, usize>,
    exact: HashMap<u64, usize>,
    bands: HashMap<(usize, u64), Vec<usize>>,
    parent: Vec<usize>,
    /// At a story's root: every member.
    members: Vec<Vec<usize>>,
    /// Documents whose story's original changed since [`Stories::take_moved`].
    moved: Vec<usize>,
}

impl Stories {
    /// An empty set of stories.
    pub fn new() -> Self {
        Stories::default()
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            // The root is the earliest published member (undated ones count as latest).
            let key = |s: &Stories, i: usize| (s.docs[i].1.is_none(), s.docs[i].1, i);
            let (root, child) = if key(self, ra) <= key(self, rb) {
                (ra, rb)
            } else {
                (rb, ra)
            };
            self.parent[child] = root;
            let joined = std::mem::take(&mut self.members[child]);
            self.moved.extend(&joined);
            self.members[root].extend(joined);
        }
    }

    /// Adds a document; returns the id of its story's original (itself if it is new).
    ///
    /// ```
    /// use langnghe_extract::Stories;
    /// let body = "Sáng 25/11, hơn 2.000 công nhân Công ty TNHH Giày da ở khu công nghiệp đã ngừng việc tập thể \
    ///     vì công ty chậm trả lương hai tháng. Liên đoàn Lao động tỉnh đã cử cán bộ xuống nắm tình hình, \
    ///     đề nghị doanh nghiệp đối thoại với người lao động và sớm trả đủ tiền lương còn nợ.";
    /// let mut stories = Stories::new();
    /// assert_eq!(stories.add("laodong-1", body, None), "laodong-1");
    /// let copy = format!("(Theo Lao Động) {body} Xem thêm tin tức mới nhất tại chuyên mục Thời sự.");
    /// assert_eq!(stories.add("baomoi-9", &copy, None), "laodong-1");
    /// ```
    pub fn add(&mut self, id: &str, text: &str, published: Option<OffsetDateTime>) -> String {
        self.add_signed(id, published, content_hash(text), signature(text))
    }

    /// [`Stories::add`] for a document whose [`content_hash`] and [`signature`] are known (stored
    /// from an earlier crawl). Documents whose story's original changes (an earlier copy
    /// arrives) are reported by [`Stories::take_moved`].
    pub fn add_signed(
        &mut self,
        id: &str,
        published: Option<OffsetDateTime>,
        hash: u64,
        sig: Option<Signature>,
    ) -> String {
        if let Some(&i) = self.by_id.get(id) {
            let r = self.root(i);
            return self.docs[r].0.clone();
        }
        let i = self.docs.len();
        self.docs.push((id.to_string(), published, sig));
        self.parent.push(i);
        self.members.push(vec![i]);
        self.by_id.insert(id.to_string(), i);
        if let Some(&j) = self.exact.get(&hash) {
            self.join(i, j);
        } else {
            self.exact.insert(hash, i);
        }
        if let Some(sig) = sig {
            let mut candidates = Vec::new();
            for band in 0..BANDS {
                let rows = &sig[band * ROWS..(band + 1) * ROWS];
                let key = (band, rows.iter().fold(band as u64, |h, &r| mix(h ^ r)));
                let bucket = self.bands.entry(key).or_default();
                candidates.extend(bucket.iter().copied());
                bucket.push(i);
            }
            candidates.sort_unstable();
            candidates.dedup();
            for j in candidates {
                if let Some(other) = &self.docs[j].2
                    && similarity(&sig, other) >= COPY_SIMILARITY
                {
                    self.join(i, j);
                }
            }
        }
        // The new document's story is the answer; it was not stored under another yet.
        self.moved.retain(|&m| m != i);
        let r = self.root(i);
        self.docs[r].0.clone()
    }

    /// Documents added earlier whose story's original changed since the last call (a copy
    /// published before the original came in later): (document id, its story's original now).
    pub fn take_moved(&mut self) -> Vec<(String, String)> {
        let mut moved = std::mem::take(&mut self.moved);
        moved.sort_unstable();
        moved.dedup();
        moved
            .into_iter()
            .map(|i| {
                let r = self.root(i);
                (self.docs[i].0.clone(), self.docs[r].0.clone())
            })
            .collect()
    }

    /// The original of `id`'s story, if `id` was added.
    pub fn original_of(&mut self, id: &str) -> Option<String> {
        let i = *self.by_id.get(id)?;
        let r = self.root(i);
        Some(self.docs[r].0.clone())
    }

    /// Number of stories (documents that are no one's copy).
    pub fn len(&mut self) -> usize {
        (0..self.docs.len()).filter(|&i| self.root(i) == i).count()
    }

    /// True if nothing was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const A: &str = "Sáng 25/11, hơn 2.000 công nhân Công ty TNHH Giày da ở khu công nghiệp đã ngừng việc tập thể vì công ty chậm trả lương hai tháng. Liên đoàn Lao động tỉnh đã cử cán bộ xuống nắm tình hình, đề nghị doanh nghiệp đối thoại với người lao động và sớm trả đủ tiền lương còn nợ. Đến trưa cùng ngày, công ty cam kết trả lương trước ngày 30/11.";
    const B: &str = "Theo nghị định mới, mức lương tối thiểu vùng I tăng thêm khoảng 7% từ ngày 1/1 năm sau. Công đoàn kiến nghị doanh nghiệp rà soát thang lương, bảng lương để bảo đảm quyền lợi người lao động, đồng thời tăng cường giám sát việc thực hiện tại các khu công nghiệp và khu chế xuất trên địa bàn.";

    #[test]
    fn copies_join_the_earliest_and_other_stories_stay_apart() {
        let mut s = Stories::new();
        assert_eq!(
            s.add(
                "copy",
                &format!("(Theo Lao Động) {A} Tin liên quan: giá vàng"),
                Some(datetime!(2026-11-25 10:00 +7))
            ),
            "copy"
        );
        assert_eq!(
            s.add("orig", A, Some(datetime!(2026-11-25 08:00 +7))),
            "orig"
        );
        assert_eq!(s.original_of("copy").as_deref(), Some("orig"));
        assert_eq!(s.add("other", B, None), "other");
        // Without diacritics and in another tone style, still the same story.
        assert_eq!(s.add("plain", &langnghe_vi::fold(A), None), "orig");
        assert_eq!(s.len(), 2);
        // Adding an id again does not duplicate it.
        assert_eq!(s.add("copy", A, None), "orig");
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn an_earlier_copy_arriving_later_moves_the_story() {
        let mut s = Stories::new();
        s.add("a", A, Some(datetime!(2026-11-25 10:00 +7)));
        s.add(
            "b",
            &format!("(Theo Lao Động) {A}"),
            Some(datetime!(2026-11-25 11:00 +7)),
        );
        assert!(s.take_moved().is_empty());
        // The original, published first, crawled last: a and b now belong to its story.
        assert_eq!(
            s.add("orig", A, Some(datetime!(2026-11-25 08:00 +7))),
            "orig"
        );
        assert_eq!(
            s.take_moved(),
            [
                ("a".to_string(), "orig".to_string()),
                ("b".to_string(), "orig".to_string())
            ]
        );
        assert!(s.take_moved().is_empty());
        // A later copy moves nothing.
        assert_eq!(s.add("c", A, Some(datetime!(2026-11-26 08:00 +7))), "orig");
        assert!(s.take_moved().is_empty());
    }

    #[test]
    fn signatures_are_stable_values() {
        // Stored signatures must mean the same in every build: pin two values.
        let sig = signature(A).unwrap();
        assert_eq!(
            (sig[0], sig[63]),
            (0x00d9_dacf_1288_e0ab, 0x0671_e857_66f0_54b8)
        );
    }

    #[test]
    fn hashes_are_stable_values() {
        // FNV-1a test vector, and a value that must never change (it is stored).
        assert_eq!(stable_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(content_hash("Công đoàn!"), content_hash("cong  doan"));
        assert_eq!(content_hash("Công đoàn"), stable_hash(b"cong doan "));
    }

    #[test]
    fn short_texts_are_only_matched_exactly() {
        let mut s = Stories::new();
        s.add("a", "Công nhân đình công", None);
        assert_eq!(s.add("b", "Công nhân đình công!", None), "a");
        assert_eq!(s.add("c", "Công nhân ngừng việc", None), "c");
    }
}
