//! Syndicated copies: which documents tell the same story?
//!
//! Vietnamese outlets republish each other's articles with a new headline, a different sapo or a
//! site footer. Each text becomes a set of 5-syllable shingles over folded syllables (so a copy
//! that lost its diacritics still matches); a MinHash signature estimates the Jaccard similarity of
//! two sets, and locality-sensitive hashing (bands of the signature) finds the candidate pairs
//! without comparing every pair. Copies join one story, whose original is the earliest published.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use time::OffsetDateTime;

use langnghe_vi::{Analyzer, tokens};

/// Syllables per shingle.
const SHINGLE: usize = 5;
/// MinHash functions; split into `BANDS` bands of `ROWS` rows for LSH.
const HASHES: usize = 64;
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity above which two texts are copies of one story.
pub const COPY_SIMILARITY: f64 = 0.5;
/// Texts shorter than this (in syllables) are not clustered: a headline-only item would match
/// every other item on the same event.
const MIN_SYLLABLES: usize = 40;

fn hash64(x: impl Hash, seed: u64) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    seed.hash(&mut h);
    x.hash(&mut h);
    h.finish()
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (the standard library's hasher is
/// not), so hashes can be stored.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

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

/// The MinHash signature of a text, or `None` if it is too short to compare.
pub fn signature(text: &str) -> Option<[u64; HASHES]> {
    let syllables: Vec<String> = tokens(text, Analyzer::Folded)
        .into_iter()
        .map(|t| t.text)
        .collect();
    if syllables.len() < MIN_SYLLABLES {
        return None;
    }
    let shingles: Vec<u64> = syllables.windows(SHINGLE).map(|w| hash64(w, 0)).collect();
    let mut sig = [u64::MAX; HASHES];
    for (i, slot) in sig.iter_mut().enumerate() {
        // One cheap mix per hash function instead of re-hashing every shingle.
        let (a, b) = (hash64(i, 1) | 1, hash64(i, 2));
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
pub fn similarity(a: &[u64; HASHES], b: &[u64; HASHES]) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// Groups documents into stories as they arrive.
#[derive(Default)]
pub struct Stories {
    /// Per document: (id, published, signature).
    docs: Vec<(String, Option<OffsetDateTime>, Option<[u64; HASHES]>)>,
    by_id: HashMap<String, usize>,
    exact: HashMap<u64, usize>,
    bands: HashMap<(usize, u64), Vec<usize>>,
    parent: Vec<usize>,
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
            if key(self, ra) <= key(self, rb) {
                self.parent[rb] = ra;
            } else {
                self.parent[ra] = rb;
            }
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
        if let Some(&i) = self.by_id.get(id) {
            let r = self.root(i);
            return self.docs[r].0.clone();
        }
        let i = self.docs.len();
        let sig = signature(text);
        self.docs.push((id.to_string(), published, sig));
        self.parent.push(i);
        self.by_id.insert(id.to_string(), i);
        let hash = content_hash(text);
        if let Some(&j) = self.exact.get(&hash) {
            self.join(i, j);
        } else {
            self.exact.insert(hash, i);
        }
        if let Some(sig) = sig {
            let mut candidates = Vec::new();
            for band in 0..BANDS {
                let key = (band, hash64(&sig[band * ROWS..(band + 1) * ROWS], 3));
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
        let r = self.root(i);
        self.docs[r].0.clone()
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
