//! Labelled samples for `langnghe rules measure`: which topics a reader gave each document.
//!
//! Three line formats, mixed freely in one file (so that label files of different origins can
//! be concatenated):
//!
//! - `corpus<TAB>stratum<TAB>id<TAB>topics`: a document of a stratified sample; its stratum is
//!   `corpus/stratum`, and `# population<TAB>corpus<TAB>stratum<TAB>N` lines give each
//!   stratum's size so that scores can be weighted by it;
//! - `id<TAB>topics`: a document of an unstratified sample (stratum `all`);
//! - a JSON object with `id` and `topics` (an array of topic ids, or of objects with an `id`,
//!   as `langnghe classify --json` prints them, or a comma-separated string) and an optional
//!   `stratum`: so that the output of `classify --json`, corrected by hand, is a labels file.
//!
//! Topics are comma-separated topic ids; `-`, `none` or nothing for a document about none.
//! Lines starting with `#` and blank lines are skipped.

use std::collections::{BTreeMap, HashMap};

/// A labelled sample: per document its stratum and the topics a reader gave it, and the size
/// of each stratum in the population it was drawn from.
#[derive(Debug, Default)]
pub struct Labels {
    /// id → (stratum, topics).
    pub docs: HashMap<String, (String, Vec<String>)>,
    /// stratum → population size.
    pub population: BTreeMap<String, f64>,
    /// Every topic named, with the first line naming it (for warnings about unknown ids).
    pub named: BTreeMap<String, usize>,
}

/// The stratum of documents of an unstratified sample.
pub const UNSTRATIFIED: &str = "all";

/// Reads a labels file (see the module's documentation for the formats).
pub fn read(path: &std::path::Path) -> anyhow::Result<Labels> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    parse(&text, &path.display().to_string())
}

/// Parses the text of a labels file; errors name `origin` and the line.
pub fn parse(text: &str, origin: &str) -> anyhow::Result<Labels> {
    // A byte-order mark (spreadsheets write one) is not part of the first line.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut labels = Labels::default();
    // id → line where it was labelled.
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        let at = || format!("{origin}:{line_no}");
        let line = line.trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix("# population\t") {
            let f: Vec<&str> = rest.split('\t').collect();
            let [corpus, stratum, size] = f[..] else {
                anyhow::bail!(
                    "{}: expected `# population<TAB>corpus<TAB>stratum<TAB>N`",
                    at()
                );
            };
            let size: f64 = size
                .trim()
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite() && *s >= 0.0)
                .ok_or_else(|| {
                    anyhow::anyhow!("{}: population {size:?} is not a number of documents", at())
                })?;
            labels
                .population
                .insert(format!("{corpus}/{stratum}"), size);
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (id, stratum, topics) = if line.trim_start().starts_with('{') {
            json_line(line).map_err(|e| anyhow::anyhow!("{}: {e}", at()))?
        } else {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields[..] {
                [corpus, stratum, id, topics] => (
                    id.to_string(),
                    format!("{corpus}/{stratum}"),
                    split_topics(topics),
                ),
                [id, topics] => (
                    id.to_string(),
                    UNSTRATIFIED.to_string(),
                    split_topics(topics),
                ),
                _ => anyhow::bail!(
                    "{}: expected `corpus<TAB>stratum<TAB>id<TAB>topics`, `id<TAB>topics` or a \
                     JSON object with \"id\" and \"topics\" (found {} tab-separated field(s))",
                    at(),
                    fields.len()
                ),
            }
        };
        if id.trim().is_empty() {
            anyhow::bail!("{}: the document id is empty", at());
        }
        if let Some(earlier) = first_line.insert(id.clone(), line_no) {
            anyhow::bail!(
                "{}: document {id:?} is labelled twice (first at line {earlier})",
                at()
            );
        }
        for t in &topics {
            labels.named.entry(t.clone()).or_insert(line_no);
        }
        labels.docs.insert(id, (stratum, topics));
    }
    Ok(labels)
}

/// Topic ids of a comma-separated list; `-`, `none` or nothing for none.
fn split_topics(field: &str) -> Vec<String> {
    match field.trim() {
        "-" | "" | "none" => Vec::new(),
        t => {
            let mut v: Vec<String> = t
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty() && s != "-")
                .collect();
            v.sort();
            v.dedup();
            v
        }
    }
}

/// A JSON labels line: (id, stratum, topics).
fn json_line(line: &str) -> Result<(String, String, Vec<String>), String> {
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let object = value
        .as_object()
        .ok_or_else(|| "expected a JSON object".to_string())?;
    let id = match object.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err("expected \"id\" (a string)".into()),
    };
    let stratum = match object.get("stratum") {
        None | Some(serde_json::Value::Null) => UNSTRATIFIED.to_string(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err("\"stratum\" must be a string".into()),
    };
    let topics = match object.get("topics") {
        Some(serde_json::Value::String(s)) => split_topics(s),
        Some(serde_json::Value::Array(items)) => {
            let mut v = Vec::new();
            for (k, item) in items.iter().enumerate() {
                let t = match item {
                    serde_json::Value::String(s) => s.trim(),
                    serde_json::Value::Object(o) => match o.get("id") {
                        Some(serde_json::Value::String(s)) => s.trim(),
                        _ => return Err(format!("topics[{k}] has no \"id\" string")),
                    },
                    _ => return Err(format!("topics[{k}] is neither a topic id nor an object")),
                };
                if !t.is_empty() {
                    v.push(t.to_string());
                }
            }
            v.sort();
            v.dedup();
            v
        }
        Some(serde_json::Value::Null) => Vec::new(),
        None => return Err("expected \"topics\" (an array, or [] for none)".into()),
        Some(_) => return Err("\"topics\" must be an array or a string".into()),
    };
    Ok((id, stratum, topics))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_the_three_formats_in_one_file() {
        let text = "# a comment\n# population\tvi-rss\tbroad\t120\n\
            vi-rss\tbroad\thttps://a.vn/1\tviec-lam,tien-luong\n\
            plain-id\t-\n\
            other\tnone\n\
            {\"id\": \"json-1\", \"topics\": [{\"id\": \"dinh-cong\", \"severity\": \"alert\"}], \"provinces\": []}\n\
            {\"id\": \"json-2\", \"topics\": \"bhxh, gio-lam\", \"stratum\": \"s/x\"}\r\n\
            \n";
        let l = parse(text, "labels.tsv").unwrap();
        assert_eq!(l.docs.len(), 5);
        assert_eq!(
            l.docs["https://a.vn/1"],
            (
                "vi-rss/broad".to_string(),
                vec!["tien-luong".to_string(), "viec-lam".to_string()]
            )
        );
        assert_eq!(l.docs["plain-id"], ("all".to_string(), vec![]));
        assert_eq!(l.docs["other"].1, Vec::<String>::new());
        assert_eq!(l.docs["json-1"].1, vec!["dinh-cong".to_string()]);
        assert_eq!(
            l.docs["json-2"],
            (
                "s/x".to_string(),
                vec!["bhxh".to_string(), "gio-lam".to_string()]
            )
        );
        assert_eq!(l.population["vi-rss/broad"], 120.0);
        assert_eq!(l.named["viec-lam"], 3);
        assert_eq!(l.named["bhxh"], 7);
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends_are_read_past() {
        let l = parse(
            "\u{feff}{\"id\": \"a\", \"topics\": []}\r\nb\tviec-lam\r\n",
            "x",
        )
        .unwrap();
        assert_eq!(l.docs["a"].1, Vec::<String>::new());
        assert_eq!(l.docs["b"].1, vec!["viec-lam".to_string()]);
    }

    #[test]
    fn bad_lines_are_named_with_file_and_line() {
        let err = |text: &str| parse(text, "l.tsv").unwrap_err().to_string();
        assert!(
            err("a\tb\tc\n").starts_with("l.tsv:1: expected"),
            "{}",
            err("a\tb\tc\n")
        );
        assert!(err("x\t-\n{\"id\": 3\n").starts_with("l.tsv:2: not a JSON object"));
        assert!(err("{\"id\": \"a\"}\n").contains("expected \"topics\""));
        assert!(err("{\"topics\": []}\n").contains("expected \"id\""));
        assert!(err("# population\tx\ty\tmany\n").contains("l.tsv:1: population \"many\""));
        assert!(err("\tviec-lam\n").contains("l.tsv:1: the document id is empty"));
        let twice = err("a\tviec-lam\n# note\na\t-\n");
        assert!(
            twice.starts_with("l.tsv:3: document \"a\" is labelled twice (first at line 1)"),
            "{twice}"
        );
    }

    proptest! {
        /// Any text: an error or labels, never a panic; every document read has a non-empty id.
        #[test]
        fn random_text_never_panics(text in "(\\PC|\t|\n|\\{|\\}|\"|,|#){0,300}") {
            if let Ok(l) = parse(&text, "x") {
                prop_assert!(l.docs.keys().all(|id| !id.trim().is_empty()));
            }
        }

        /// Labels written out in either text format read back as written.
        #[test]
        fn written_labels_read_back(
            docs in proptest::collection::btree_map(
                "[a-z0-9:/._-]{1,20}",
                proptest::collection::btree_set("[a-z]{1,8}-[a-z]{1,8}", 0..4),
                1..20,
            ),
            stratified in any::<bool>(),
        ) {
            let mut text = String::new();
            for (id, topics) in &docs {
                let topics = if topics.is_empty() {
                    "-".to_string()
                } else {
                    topics.iter().cloned().collect::<Vec<_>>().join(",")
                };
                if stratified {
                    text.push_str(&format!("c\ts\t{id}\t{topics}\n"));
                } else {
                    text.push_str(&format!("{id}\t{topics}\n"));
                }
            }
            let l = parse(&text, "x").unwrap();
            prop_assert_eq!(l.docs.len(), docs.len());
            for (id, topics) in &docs {
                let (stratum, got) = &l.docs[id];
                prop_assert_eq!(stratum, if stratified { "c/s" } else { "all" });
                let want: Vec<String> = topics.iter().cloned().collect();
                prop_assert_eq!(got, &want);
            }
        }
    }
}
