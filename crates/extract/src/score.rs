//! The article-extraction benchmark's score: `\w+` tokens, 4-token shingles counted as a
//! multiset, precision and recall per page; a corpus score averages them over pages and takes the
//! F1 of the averages.

use std::collections::HashMap;

fn shingles(text: &str) -> HashMap<Vec<String>, usize> {
    let tokens: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    // Texts shorter than a shingle count as one shingle.
    let n = 4.min(tokens.len());
    for w in tokens.windows(n) {
        *out.entry(w.to_vec()).or_insert(0) += 1;
    }
    out
}

/// Precision and recall of `extracted` against `gold` for one page.
pub fn precision_recall(extracted: &str, gold: &str) -> (f64, f64) {
    let got = shingles(extracted);
    let want = shingles(gold);
    let overlap: usize = got
        .iter()
        .map(|(k, n)| (*n).min(*want.get(k).unwrap_or(&0)))
        .sum();
    let total = |m: &HashMap<Vec<String>, usize>| m.values().sum::<usize>();
    let (g, w) = (total(&got), total(&want));
    let precision = if g == 0 {
        if w == 0 { 1.0 } else { 0.0 }
    } else {
        overlap as f64 / g as f64
    };
    let recall = if w == 0 {
        1.0
    } else {
        overlap as f64 / w as f64
    };
    (precision, recall)
}

/// F1 of the averaged precision and recall over pages.
pub fn corpus_f1(pages: &[(f64, f64)]) -> f64 {
    if pages.is_empty() {
        return 0.0;
    }
    let n = pages.len() as f64;
    let p = pages.iter().map(|x| x.0).sum::<f64>() / n;
    let r = pages.iter().map(|x| x.1).sum::<f64>() / n;
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_extra_text_costs_precision() {
        let gold = "Công nhân đình công đòi tăng lương tối thiểu vùng";
        assert_eq!(precision_recall(gold, gold), (1.0, 1.0));
        let (p, r) = precision_recall(&format!("{gold} Tin liên quan: giá vàng hôm nay"), gold);
        assert!(p < 1.0 && r == 1.0);
        let (p, r) = precision_recall("Công nhân đình công", gold);
        assert!(p == 1.0 && r < 1.0);
        assert_eq!(corpus_f1(&[(1.0, 1.0), (0.5, 0.5)]), 0.75);
    }
}
