//! Legacy-encoding repair and normalisation on real Vietnamese sentences from ../shared/data,
//! encoded by the test itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};

use langnghe_vi::{Analyzer, Legacy, decode_bytes, normalize, repair, tokens};
use proptest::prelude::*;

#[path = "../../../tests/common/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// Real sentences: the first lines of article bodies in vi-news (24h, 2026).
fn real_sentences(n: usize) -> Vec<String> {
    let path = shared_data().join("vi-news/dantri_unc_2020.jsonl.gz");
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut out = Vec::new();
    for line in reader.lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let body = v["body"].as_str().unwrap_or_default();
        for sentence in body.split(['.', '\n']) {
            let s = sentence.trim();
            // Keep sentences the legacy encodings can carry (no curly quotes or dashes).
            if s.chars().count() > 30
                && s.chars()
                    .all(|c| c.is_alphanumeric() || " ,:;-()%/".contains(c))
            {
                out.push(s.to_string());
            }
            if out.len() == n {
                return out;
            }
        }
    }
    out
}

/// What a browser or an old mail client shows when it reads legacy bytes as windows-1252.
fn as_cp1252(bytes: &[u8]) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
    text.into_owned()
}

#[test]
fn tcvn3_mojibake_of_real_sentences_is_repaired() {
    let sentences = real_sentences(200);
    assert_eq!(sentences.len(), 200);
    for s in &sentences {
        let mojibake = as_cp1252(&Legacy::Tcvn3.encode(s));
        let (fixed, enc) = repair(&mojibake);
        // TCVN3 has no uppercase toned vowels, so compare case-insensitively.
        assert_eq!(fixed.to_lowercase(), s.to_lowercase(), "from {mojibake}");
        assert_eq!(enc, Some(Legacy::Tcvn3));
    }
}

#[test]
fn vni_mojibake_of_real_sentences_is_repaired() {
    for s in real_sentences(200) {
        let mojibake = as_cp1252(&Legacy::Vni.encode(&s));
        let (fixed, enc) = repair(&mojibake);
        assert_eq!(fixed, s, "from {mojibake}");
        assert_eq!(enc, Some(Legacy::Vni));
    }
}

#[test]
fn legacy_bytes_of_real_sentences_are_decoded() {
    for s in real_sentences(100) {
        for enc in [Legacy::Vni, Legacy::Windows1258] {
            let (text, found) = decode_bytes(&enc.encode(&s));
            assert_eq!(text, s, "{enc:?}");
            assert_eq!(found, Some(enc));
        }
        let (text, found) = decode_bytes(&Legacy::Tcvn3.encode(&s));
        assert_eq!(text.to_lowercase(), s.to_lowercase());
        assert_eq!(found, Some(Legacy::Tcvn3));
    }
}

#[test]
fn real_unicode_sentences_are_left_alone() {
    for s in real_sentences(500) {
        let (out, enc) = repair(&s);
        assert_eq!(out, s);
        assert_eq!(enc, None);
    }
}

proptest! {
    #[test]
    fn random_text_never_panics_and_normalize_is_idempotent(s in "\\PC{0,80}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        let _ = repair(&s);
        let _ = decode_bytes(s.as_bytes());
        let _ = langnghe_vi::is_vietnamese(&s);
        for a in [Analyzer::Exact, Analyzer::Folded, Analyzer::Both] {
            for t in tokens(&s, a) {
                prop_assert!(s.is_char_boundary(t.offset_from) && s.is_char_boundary(t.offset_to));
                prop_assert!(t.offset_from < t.offset_to);
            }
        }
    }

    #[test]
    fn vietnamese_like_text_normalizes_idempotently(s in "[aăâeêioôơuưyđhngtrcmkl àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ\u{300}\u{301}\u{200B}\u{AD}]{0,60}") {
        let once = normalize(&s);
        prop_assert_eq!(normalize(&once), once.clone());
        let _ = tokens(&s, Analyzer::Exact);
    }

    #[test]
    fn folded_tokens_are_the_same_with_or_without_replay(s in "\\PC{300,600}") {
        let exact = tokens(&s, Analyzer::Exact);
        let replayed = tokens(&s, Analyzer::Folded);
        let fresh = tokens(&s, Analyzer::Folded);
        prop_assert_eq!(&replayed, &fresh);
        prop_assert!(exact.len() >= fresh.len());
    }

    #[test]
    fn both_is_folded_then_exact_where_they_differ(s in "\\PC{0,400}") {
        let exact = tokens(&s, Analyzer::Exact);
        let folded = tokens(&s, Analyzer::Folded);
        // Per position: the folded token, then the exact one if it differs.
        let mut expected = Vec::new();
        let mut folded = folded.into_iter().peekable();
        for e in exact {
            let f = folded.next_if(|f| f.position == e.position);
            let differs = f.as_ref().is_none_or(|f| f.text != e.text);
            expected.extend(f);
            if differs {
                expected.push(e);
            }
        }
        expected.extend(folded);
        prop_assert_eq!(tokens(&s, Analyzer::Both), expected);
    }

    #[test]
    fn random_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_bytes(&bytes);
        for enc in Legacy::ALL {
            let _ = enc.decode(&bytes);
        }
    }
}
