//! Bytes of a fetched page to text: the charset from the BOM, the `Content-Type` header, a
//! `<meta>` tag or the XML declaration, in that order; UTF-8 when nothing is declared and the
//! bytes are valid; else Vietnamese legacy-encoding detection. Whatever was declared, text that is
//! TCVN3 or VNI read as Latin-1 is repaired (servers often declare the wrong charset).

use encoding_rs::Encoding;

/// The text of a page and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding used (`UTF-8`, `windows-1258`, `tcvn3`, …).
    pub encoding: String,
    /// True if legacy Vietnamese mojibake was repaired after decoding.
    pub repaired: bool,
}

/// The `charset=` parameter of a Content-Type value.
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset")).then(|| v.trim().trim_matches(['"', '\'']))
    })
}

/// A charset declared inside the document: `<meta charset>`, `<meta http-equiv content>`, or
/// `<?xml encoding?>`, looked for in the first 4 KiB.
fn declared_in_document(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    for marker in ["charset=", "encoding="] {
        let mut from = 0;
        while let Some(i) = head[from..].find(marker) {
            let at = from + i + marker.len();
            let value: String = head[at..]
                .trim_start_matches(['"', '\'', ' '])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
                .collect();
            // Only inside a tag: `<meta ...>` or `<?xml ...?>`.
            let tag_start = head[..at].rfind('<');
            let tag_end = head[..at].rfind('>');
            let in_tag = tag_start.is_some_and(|s| tag_end.is_none_or(|e| e < s));
            if in_tag && !value.is_empty() {
                return Some(value);
            }
            from = at;
        }
    }
    None
}

/// Decodes a page. `content_type` is the response header, if any.
///
/// ```
/// use langnghe_crawl::decode_page;
/// let d = decode_page("Công đoàn".as_bytes(), Some("text/html; charset=utf-8"));
/// assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Công đoàn", "UTF-8"));
/// // A TCVN3 page served as windows-1252 is repaired.
/// let d = decode_page(b"C\xABng \xAEo\xB5n", Some("text/html; charset=windows-1252"));
/// assert_eq!(d.text, "Công đoàn");
/// assert!(d.repaired);
/// ```
pub fn decode_page(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    let declared = Encoding::for_bom(bytes)
        .map(|(e, _)| e)
        .or_else(|| {
            content_type
                .and_then(charset_param)
                .and_then(|c| Encoding::for_label(c.as_bytes()))
        })
        .or_else(|| declared_in_document(bytes).and_then(|c| Encoding::for_label(c.as_bytes())));
    let (text, encoding) = match declared {
        Some(enc) => {
            let (text, used, _) = enc.decode(bytes);
            (text.into_owned(), used.name().to_string())
        }
        None => match std::str::from_utf8(bytes) {
            Ok(t) => (t.to_string(), "UTF-8".to_string()),
            Err(_) => {
                let (text, legacy) = langnghe_vi::decode_bytes(bytes);
                (text, legacy.map_or("UTF-8", |l| l.name()).to_string())
            }
        },
    };
    let (fixed, legacy) = langnghe_vi::repair(&text);
    match legacy {
        Some(l) => Decoded {
            text: fixed.into_owned(),
            encoding: l.name().to_string(),
            repaired: true,
        },
        None => Decoded {
            text,
            encoding,
            repaired: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn declaration_order() {
        let page =
            "<html><head><meta charset=\"windows-1258\"></head><body>C\u{f4}ng</body></html>";
        let bytes = encoding_rs::WINDOWS_1258.encode(page).0.into_owned();
        assert_eq!(decode_page(&bytes, None).encoding, "windows-1258");
        assert_eq!(
            decode_page(&bytes, Some("text/html; charset=UTF-8")).encoding,
            "UTF-8"
        );
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Công".as_bytes());
        let d = decode_page(&bom, Some("text/html; charset=iso-8859-1"));
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Công", "UTF-8"));
        let xml = "<?xml version=\"1.0\" encoding=\"windows-1258\"?><rss/>";
        assert_eq!(decode_page(xml.as_bytes(), None).encoding, "windows-1258");
    }

    #[test]
    fn undeclared_legacy_bytes_are_detected() {
        let text = "Công đoàn cơ sở bảo vệ quyền lợi người lao động";
        let bytes = langnghe_vi::Legacy::Vni.encode(text);
        let d = decode_page(&bytes, Some("text/html"));
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "vni");
    }

    #[test]
    fn a_charset_word_in_body_text_is_not_a_declaration() {
        let page = "<p>Set charset=windows-1258 in your editor: Công đoàn</p>";
        assert_eq!(decode_page(page.as_bytes(), None).encoding, "UTF-8");
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300), ct in proptest::option::of("[a-z/;= -]{0,30}")) {
            let _ = decode_page(&bytes, ct.as_deref());
        }
    }
}
