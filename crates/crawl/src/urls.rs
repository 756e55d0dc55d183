//! One URL per article: tracking parameters, AMP and mobile hosts, fragments and scheme differences
//! removed, so copies of the same page are recognised before any text is compared.

use url::Url;

/// Host prefixes that serve the same articles as the bare domain.
const MIRROR_PREFIXES: &[&str] = &["www.", "m.", "mobile.", "amp.", "wap."];

/// Query parameters that only track where a reader came from.
fn is_tracking(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.starts_with("utm_")
        || matches!(
            k.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "msclkid"
                | "yclid"
                | "igshid"
                | "zarsrc"
                | "gidzl"
                | "mc_cid"
                | "mc_eid"
                | "_ga"
                | "ref"
                | "ref_src"
                | "cmpid"
                | "itm_source"
                | "itm_medium"
                | "itm_campaign"
                | "amp"
                | "outputtype"
                | "vn_source"
                | "vn_medium"
                | "vn_campaign"
                | "from"
                | "src"
        )
}

/// The canonical form of an article URL, or `None` if it is not an http(s) URL:
/// https, host without `www.`/`m.`/`amp.`, no fragment, no tracking parameters, no AMP path
/// segment or `.amp` suffix, no trailing slash, remaining parameters sorted.
pub fn canonical_url(raw: &str) -> Option<String> {
    let mut url = Url::parse(raw.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let mut host = host.as_str();
    while let Some(rest) = MIRROR_PREFIXES.iter().find_map(|p| host.strip_prefix(p)) {
        if !rest.contains('.') {
            break;
        }
        host = rest;
    }
    let host = host.to_string();
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let path: Vec<&str> = url
        .path_segments()
        .map(|s| {
            s.filter(|seg| !seg.is_empty() && !seg.eq_ignore_ascii_case("amp"))
                .collect()
        })
        .unwrap_or_default();
    let mut path = format!("/{}", path.join("/"));
    if let Some(stripped) = path.strip_suffix(".amp") {
        path = stripped.to_string();
    }
    // An explicit port other than the scheme's default names another server: keep it.
    let port = url.port();
    url.set_scheme("https").ok()?;
    url.set_host(Some(&host)).ok()?;
    url.set_port(port.filter(|p| *p != 80 && *p != 443)).ok()?;
    url.set_fragment(None);
    url.set_path(&path);
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn c(s: &str) -> String {
        canonical_url(s).unwrap()
    }

    #[test]
    fn copies_of_one_article_meet() {
        let want = "https://vnexpress.net/cong-nhan-dinh-cong-4954454.html";
        for u in [
            "https://vnexpress.net/cong-nhan-dinh-cong-4954454.html",
            "http://www.vnexpress.net/cong-nhan-dinh-cong-4954454.html",
            "https://m.vnexpress.net/cong-nhan-dinh-cong-4954454.html?utm_source=facebook&utm_medium=social",
            "https://vnexpress.net/cong-nhan-dinh-cong-4954454.html#box_comment",
            "https://vnexpress.net/cong-nhan-dinh-cong-4954454.html?fbclid=IwAR0x&zarsrc=30",
            "https://amp.vnexpress.net/cong-nhan-dinh-cong-4954454.html",
            "https://vnexpress.net/amp/cong-nhan-dinh-cong-4954454.html",
            "https://vnexpress.net:443/cong-nhan-dinh-cong-4954454.html/",
        ] {
            assert_eq!(c(u), want, "{u}");
        }
        assert_eq!(
            c("https://tuoitre.vn/a-2026.htm.amp"),
            "https://tuoitre.vn/a-2026.htm"
        );
    }

    #[test]
    fn explicit_ports_are_kept() {
        assert_eq!(
            c("http://127.0.0.1:8080/a.html?utm_source=rss"),
            "https://127.0.0.1:8080/a.html"
        );
        assert_eq!(c("http://x.vn:80/a"), "https://x.vn/a");
    }

    #[test]
    fn meaningful_parameters_stay_sorted() {
        assert_eq!(
            c("https://x.vn/tim?q=luong&page=2&utm_campaign=a"),
            "https://x.vn/tim?page=2&q=luong"
        );
        assert_eq!(c("https://x.vn/"), "https://x.vn/");
    }

    #[test]
    fn non_web_urls_are_refused() {
        for u in [
            "mailto:a@b.vn",
            "javascript:void(0)",
            "not a url",
            "ftp://x.vn/a",
            "",
        ] {
            assert_eq!(canonical_url(u), None, "{u}");
        }
        // A host that is only a mirror prefix keeps it.
        assert_eq!(c("https://m.vn/a"), "https://m.vn/a");
    }

    proptest! {
        #[test]
        fn canonical_urls_are_stable(path in "[a-z0-9/._-]{0,30}", query in "[a-z_=&]{0,20}") {
            let u = format!("https://www.example.vn/{path}?{query}");
            if let Some(once) = canonical_url(&u) {
                prop_assert_eq!(canonical_url(&once), Some(once.clone()));
            }
        }

        #[test]
        fn random_input_never_panics(s in "\\PC{0,80}") {
            let _ = canonical_url(&s);
        }
    }
}
