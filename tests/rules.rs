//! End to end: `langnghe classify`, `rules test`, `rules explain` and `rules apply` with the real
//! binary, the shipped labour pack and gazetteer, and a real index.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Output;

#[path = "common/cli.rs"]
mod cli;
use cli::{hit_ids, ok};
#[path = "common/shared_data.rs"]
#[allow(dead_code)]
mod shared_data;
use shared_data::shared_data;

fn langnghe(args: &[&str], data: &Path, config: &Path) -> Output {
    cli::run(args, data, Some(config), &[])
}

fn shipped_config() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config")
}

/// A copy of the shipped configuration the test may edit.
fn config_copy(dir: &Path) -> PathBuf {
    let config = dir.join("config");
    std::fs::create_dir_all(config.join("topics")).unwrap();
    for file in ["provinces.toml", "lexicon.txt", "topics/labour.toml"] {
        std::fs::copy(shipped_config().join(file), config.join(file)).unwrap();
    }
    config
}

const DOCS: &str = r#"{"id": "strike", "url": "https://nld.com.vn/a.htm", "title": "Hơn 500 công nhân ngừng việc tập thể", "body": "Sáng nay, hơn 500 công nhân công ty giày da ở Bình Phước ngừng việc tập thể đòi tăng lương và trả lương đúng hạn.", "published": "2026-11-20"}
{"id": "post", "url": "https://facebook.com/p/1", "title": "", "body": "cong ty minh no luong 3 thang roi, cong nhan o dong nai ngung viec het roi", "published": "2026-11-21"}
{"id": "football", "url": "https://thethao.vn/b.htm", "title": "HLV bị sa thải sau chuỗi trận thua", "body": "Câu lạc bộ thông báo chia tay HLV trưởng; mức lương của cầu thủ mới lên tới 200.000 bảng mỗi tuần.", "published": "2026-11-21"}
{broken
{"id": "stage", "url": "https://vnexpress.net/c.htm", "title": "Công đoạn sơn được tự động hóa", "body": "Quyết định công nhận dây chuyền mới; công đoạn sơn không còn thủ công.", "published": "2026-11-22"}
"#;

/// `langnghe rules explain --json TOPIC DOC` read as JSON.
fn explain_json(topic: &str, id: &str, data: &Path, config: &Path) -> serde_json::Value {
    let out = ok(&langnghe(
        &["rules", "explain", "--json", topic, id],
        data,
        config,
    ));
    serde_json::from_str(out.trim()).unwrap()
}

/// `langnghe rules explain TOPIC DOC` as printed.
fn explain_text(topic: &str, id: &str, data: &Path, config: &Path) -> String {
    ok(&langnghe(&["rules", "explain", topic, id], data, config))
}

fn classified(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn topic_ids(doc: &serde_json::Value) -> Vec<&str> {
    doc["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect()
}

#[test]
fn classify_tags_topics_and_provinces_with_the_terms_that_fired() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, DOCS).unwrap();
    let out = langnghe(
        &["classify", "--json", input.to_str().unwrap()],
        dir.path(),
        &shipped_config(),
    );
    let docs = classified(&ok(&out));
    // One line per readable document, in input order; the broken line is named on stderr.
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["strike", "post", "football", "stage"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("docs.jsonl:4: invalid JSON"), "{stderr}");

    let strike = &docs[0];
    assert!(topic_ids(strike).contains(&"dinh-cong"), "{strike}");
    assert!(topic_ids(strike).contains(&"tien-luong"), "{strike}");
    // Bình Phước was merged into Đồng Nai on 1 July 2025.
    assert_eq!(strike["provinces"], serde_json::json!(["dong-nai"]));
    let dinh_cong = &strike["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "dinh-cong")
        .unwrap();
    assert_eq!(dinh_cong["severity"], "critical");
    assert_eq!(dinh_cong["version"].as_str().unwrap().len(), 16);
    let phrases: Vec<&str> = dinh_cong["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["phrase"].as_str().unwrap())
        .collect();
    assert!(phrases.contains(&"ngừng việc"), "{dinh_cong}");
    let title_hit = dinh_cong["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["field"] == "title")
        .unwrap();
    // "Hơn 500 công nhân ngừng việc": the phrase starts at the fifth syllable.
    assert_eq!(title_hit["positions"], serde_json::json!([4]));

    // A post typed without diacritics is read as such.
    assert!(topic_ids(&docs[1]).contains(&"dinh-cong"), "{}", docs[1]);
    assert_eq!(docs[1]["provinces"], serde_json::json!(["dong-nai"]));
    // Football salaries and sackings, and the folding collisions, are not labour news.
    assert_eq!(topic_ids(&docs[2]), Vec::<&str>::new(), "{}", docs[2]);
    assert_eq!(topic_ids(&docs[3]), Vec::<&str>::new(), "{}", docs[3]);
}

#[test]
fn classify_reads_the_shared_rss_items_as_they_are() {
    // vi-rss keeps RSS items as the aggregator saved them: url (no id), title, summary.
    let file = shared_data().join("vi-rss/rss_items_2026-01_2026-08.jsonl.gz");
    let dir = tempfile::tempdir().unwrap();
    let out = langnghe(
        &["classify", "--json", file.to_str().unwrap()],
        dir.path(),
        &shipped_config(),
    );
    let stdout = ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0 bad line(s) skipped"), "{stderr}");
    let docs = classified(&stdout);
    assert_eq!(docs.len(), 88_414);
    // Read as they are, the items classify as they do written in the project's own names
    // (id = url, body = summary): the headline and the summary are both read.
    let raw = std::io::BufRead::lines(std::io::BufReader::new(flate2::read::GzDecoder::new(
        std::fs::File::open(&file).unwrap(),
    )));
    let own = dir.path().join("own.jsonl");
    let converted: String = raw
        .map(|line| {
            let item: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            let doc = serde_json::json!({"id": item["url"], "url": item["url"], "source": item["source"],
                "title": item["title"], "body": item["summary"], "published": item["published"]});
            format!("{doc}\n")
        })
        .collect();
    std::fs::write(&own, converted).unwrap();
    let own_out = ok(&langnghe(
        &["classify", "--json", own.to_str().unwrap()],
        dir.path(),
        &shipped_config(),
    ));
    assert!(
        stdout == own_out,
        "the raw items classify differently from their conversion"
    );
    assert!(docs.iter().filter(|d| !topic_ids(d).is_empty()).count() > 500);
}

#[test]
fn classify_reads_a_json_array_and_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    // A pretty-printed JSON array, as many tools save a list of articles, with a BOM.
    let array = dir.path().join("articles.json");
    let docs = serde_json::json!([
        {"id": "a1", "title": "Công nhân ngừng việc tập thể", "body": "Hơn 300 công nhân ngừng việc."},
        {"title": "no id"},
        {"id": "a3", "title": "Giá vàng tăng", "body": "Thị trường vàng sôi động."}
    ]);
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(serde_json::to_vec_pretty(&docs).unwrap());
    std::fs::write(&array, bytes).unwrap();
    // JSON Lines with a BOM before the first line.
    let lines = dir.path().join("lines.jsonl");
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(
        r#"{"id": "l1", "title": "Nợ lương công nhân", "body": "Công ty nợ lương hai tháng."}"#
            .as_bytes(),
    );
    std::fs::write(&lines, bytes).unwrap();
    let classify_both = || {
        langnghe(
            &[
                "classify",
                "--json",
                array.to_str().unwrap(),
                lines.to_str().unwrap(),
            ],
            dir.path(),
            &shipped_config(),
        )
    };
    let out = classify_both();
    let docs = classified(&ok(&out));
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a1", "a3", "l1"]);
    assert!(topic_ids(&docs[0]).contains(&"dinh-cong"), "{}", docs[0]);
    assert!(topic_ids(&docs[2]).contains(&"tien-luong"), "{}", docs[2]);
    // The bad element is named by its place in the array.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("articles.json:2: missing `id`"), "{stderr}");
    // Neither JSON Lines nor an array: one message for the file, the next file is read.
    std::fs::write(&array, "[{\"id\": 1,").unwrap();
    let out = classify_both();
    let docs = classified(&ok(&out));
    assert_eq!(docs.len(), 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("articles.json:1: not JSON Lines and not a JSON array"),
        "{stderr}"
    );
}

#[test]
fn rules_test_runs_every_example_and_names_the_failing_ones() {
    let dir = tempfile::tempdir().unwrap();
    let out = langnghe(&["rules", "test", "--json"], dir.path(), &shipped_config());
    let report: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(report["failing"], serde_json::json!([]));
    assert!(report["topics"].as_u64().unwrap() >= 12);
    assert!(report["examples"].as_u64().unwrap() >= 48);

    let config = config_copy(dir.path());
    let pack = config.join("topics/labour.toml");
    let text = std::fs::read_to_string(&pack).unwrap();
    std::fs::write(
        &pack,
        text.replacen(
            "no_match = [\n  \"Gia đình công nhân",
            "no_match = [\n  \"Công nhân đình công đòi tăng lương.\",\n  \"Gia đình công nhân",
            1,
        ),
    )
    .unwrap();
    let out = langnghe(&["rules", "test"], dir.path(), &config);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "labour.toml: dinh-cong: should not match: Công nhân đình công đòi tăng lương."
        ),
        "{stdout}"
    );
}

#[test]
fn explain_shows_the_evidence_and_apply_retags_after_a_rule_changes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = config_copy(dir.path());
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, DOCS).unwrap();
    ok(&langnghe(
        &["import", input.to_str().unwrap()],
        &data,
        &config,
    ));
    let search = |query: &str| -> Vec<String> {
        let out = ok(&langnghe(&["search", "--json", query], &data, &config));
        hit_ids(&serde_json::from_str(out.trim()).unwrap())
    };
    // Import classified every document: topics and provinces are searchable.
    assert_eq!(search("topic:dinh-cong"), ["post", "strike"]);
    assert_eq!(search("province:dong-nai"), ["post", "strike"]);

    let explain = |topic: &str, id: &str| explain_json(topic, id, &data, &config);
    let e = explain("dinh-cong", "strike");
    assert_eq!(e["matches"], true);
    assert_eq!(e["recorded"]["version"], e["version"], "{e}");
    let e = explain("tien-luong", "football");
    assert_eq!(e["query_matches"], true, "{e}");
    assert_eq!(e["matches"], false);
    assert!(!e["excluded_by"].as_array().unwrap().is_empty(), "{e}");
    // Unknown topics and documents are named.
    let out = langnghe(&["rules", "explain", "dinh-cong", "nope"], &data, &config);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no document \"nope\""));
    let out = langnghe(&["rules", "explain", "strike", "strike"], &data, &config);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no topic \"strike\"; the topics are"));

    // The strike rule is narrowed to "đình công": the documents keep their old tags until
    // `rules apply` re-tags them, and explain says the recorded version is stale.
    let pack = config.join("topics/labour.toml");
    let text = std::fs::read_to_string(&pack).unwrap();
    let start = text.find("id = \"dinh-cong\"").unwrap();
    let query_at = start + text[start..].find("query = '''").unwrap();
    let query_end = query_at + text[query_at..].find("\n'''").unwrap() + 4;
    let narrowed = format!(
        "{}query = '''\nOUTSIDE(đình công, \"gia đình công\")\n'''{}",
        &text[..query_at],
        &text[query_end..]
    );
    let narrowed = narrowed.replacen(
        "  \"Hơn 500 công nhân công ty giày da ngừng việc tập thể đòi tăng lương.\",\n",
        "",
        1,
    );
    std::fs::write(&pack, narrowed).unwrap();
    let e = explain("dinh-cong", "strike");
    assert_eq!(e["matches"], false, "{e}");
    assert_ne!(e["recorded"]["version"], e["version"]);
    assert_eq!(search("topic:dinh-cong"), ["post", "strike"]);

    let out = ok(&langnghe(
        &["rules", "apply", "--json", "dinh-cong"],
        &data,
        &config,
    ));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["removed"]["dinh-cong"], 2, "{summary}");
    assert_eq!(search("topic:dinh-cong"), Vec::<String>::new());
    // Only that topic was re-tagged: the others and the provinces are as they were.
    assert_eq!(search("topic:tien-luong"), ["post", "strike"]);
    assert_eq!(search("province:dong-nai"), ["post", "strike"]);
    // Re-applying changes nothing.
    let out = ok(&langnghe(&["rules", "apply", "--json"], &data, &config));
    let summary: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(summary["changed"], 0, "{summary}");
    assert_eq!(summary["examined"], 4);
}

#[test]
fn measure_scores_the_pack_against_labels_weighted_by_stratum() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, DOCS).unwrap();
    let labels = dir.path().join("labels.tsv");
    std::fs::write(
        &labels,
        "# a comment\n# population\tx\ta\t100\n# population\tx\tb\t1000\n\
         x\ta\tstrike\tdinh-cong\nx\ta\tpost\t-\nx\tb\tfootball\t-\nx\tb\tstage\ttien-luong\n",
    )
    .unwrap();
    let measure = |json: bool| {
        let mut args = vec!["rules", "measure"];
        if json {
            args.push("--json");
        }
        args.extend([
            "--labels",
            labels.to_str().unwrap(),
            input.to_str().unwrap(),
        ]);
        langnghe(&args, dir.path(), &shipped_config())
    };
    let out = ok(&measure(true));
    let r: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(r["classified"], 4);
    let any = &r["any_labour_topic"];
    // strike: right; post: labelled none but classified (a false positive here); football:
    // rightly nothing; stage: labelled but not classified.
    assert_eq!(
        (
            &any["true_positives"],
            &any["false_positives"],
            &any["false_negatives"]
        ),
        (
            &serde_json::json!(1),
            &serde_json::json!(1),
            &serde_json::json!(1)
        ),
        "{r}"
    );
    assert_eq!(any["precision"], 0.5);
    // Stratum a stands for 100 documents (50 each), b for 1000 (500 each).
    let recall = any["weighted_recall"].as_f64().unwrap();
    assert!((recall - 50.0 / 550.0).abs() < 1e-9, "{r}");
    assert_eq!(r["topics"]["dinh-cong"]["true_positives"], 1);
    assert_eq!(r["topics"]["tien-luong"]["false_negatives"], 1);
    // The errors, as a pack author reads them: which document, its stratum and headline.
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{r}");
    assert_eq!(
        (&errors[0]["kind"], &errors[0]["id"], &errors[0]["stratum"]),
        (
            &serde_json::json!("false_positive"),
            &serde_json::json!("post"),
            &serde_json::json!("x/a")
        )
    );
    assert!(
        errors[0]["classified"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("dinh-cong"))
    );
    assert_eq!(
        errors[1],
        serde_json::json!({"kind": "false_negative", "id": "stage", "stratum": "x/b",
            "labelled": ["tien-luong"], "classified": [], "title": "Công đoạn sơn được tự động hóa"})
    );
    let out = ok(&measure(false));
    assert!(
        out.contains(
            "FN stage (x/b) labelled [tien-luong] classified []: Công đoạn sơn được tự động hóa"
        ),
        "{out}"
    );
    // A malformed line is named.
    std::fs::write(&labels, "x\ta\tstrike\n").unwrap();
    let out = measure(false);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("labels.tsv:1: expected"));

    // The output of `classify --json` is a labels file: measured against itself, nothing is
    // wrong. Then one document's label corrected by hand (`id<TAB>topics`, appended) and one
    // topic id mistyped.
    let classified = ok(&langnghe(
        &["classify", "--json", input.to_str().unwrap()],
        dir.path(),
        &shipped_config(),
    ));
    std::fs::write(&labels, &classified).unwrap();
    let r: serde_json::Value = serde_json::from_str(ok(&measure(true)).trim()).unwrap();
    assert_eq!(r["classified"], 4);
    assert_eq!(r["any_labour_topic"]["false_positives"], 0, "{r}");
    assert_eq!(r["any_labour_topic"]["false_negatives"], 0, "{r}");
    assert_eq!(r["any_labour_topic"]["precision"], 1.0, "{r}");
    let corrected: String = classified
        .lines()
        .filter(|l| !l.contains("\"post\""))
        .map(|l| format!("{l}\n"))
        .chain(["post\tdinh_cong\n".to_string()])
        .collect();
    std::fs::write(&labels, corrected).unwrap();
    let out = measure(true);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("labels.tsv:4: \"dinh_cong\" is not a topic of the loaded packs"),
        "{stderr}"
    );
    let r: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(r["topics"]["dinh_cong"]["false_negatives"], 1, "{r}");
    assert_eq!(r["topics"]["dinh-cong"]["false_positives"], 1, "{r}");
    // Labelled twice: named with both lines.
    std::fs::write(&labels, "post\t-\nstrike\tdinh-cong\npost\tdinh-cong\n").unwrap();
    let out = measure(false);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("labels.tsv:3: document \"post\" is labelled twice (first at line 1)")
    );
}

#[test]
fn a_long_article_that_names_a_strike_once_in_passing_is_not_tagged_and_explain_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let filler = "Thị trường chứng khoán hôm nay tăng điểm nhờ nhóm ngân hàng. ".repeat(30);
    let line = |id: &str, title: &str, body: &str| {
        serde_json::json!({"id": id, "url": format!("https://vnexpress.net/{id}.htm"),
            "title": title, "body": body, "published": "2026-11-20"})
        .to_string()
    };
    let docs = [
        // Once, deep in a market report: a passing mention.
        line(
            "market",
            "Chứng khoán tăng điểm",
            &format!("{filler} Ở một nhà máy khác, công nhân ngừng việc tập thể. {filler}"),
        ),
        // The same report led by the strike.
        line(
            "strike",
            "Chứng khoán tăng điểm",
            &format!("Sáng nay, 300 công nhân ngừng việc tập thể đòi tăng lương. {filler}"),
        ),
        // Under a headline about workers, unpaid wages named once, deep in the text.
        line(
            "pay",
            "Công nhân khu công nghệ cao",
            &format!("{filler} Ông nói công nhân không bị nợ lương. {filler}"),
        ),
    ];
    let input = dir.path().join("docs.jsonl");
    std::fs::write(&input, docs.join("\n")).unwrap();
    let config = shipped_config();
    let out = ok(&langnghe(
        &["classify", "--json", input.to_str().unwrap()],
        &data,
        &config,
    ));
    let docs = classified(&out);
    assert_eq!(topic_ids(&docs[0]), Vec::<&str>::new(), "{}", docs[0]);
    assert!(topic_ids(&docs[1]).contains(&"dinh-cong"), "{}", docs[1]);
    assert_eq!(topic_ids(&docs[2]), Vec::<&str>::new(), "{}", docs[2]);

    ok(&langnghe(
        &["import", input.to_str().unwrap()],
        &data,
        &config,
    ));
    let e = explain_json("dinh-cong", "market", &data, &config);
    assert_eq!(e["query_matches"], true, "{e}");
    assert_eq!(e["matches"], false, "{e}");
    // Its headline names nothing the rule looks for: passages are not counted.
    assert_eq!(
        e["prominence"],
        serde_json::json!({"long": true, "lead": false, "titled": false, "passages": 0}),
        "{e}"
    );
    let out = explain_text("dinh-cong", "market", &data, &config);
    assert!(
        out.contains("the title names nothing the rule looks for (passages are not counted)"),
        "{out}"
    );
    let e = explain_json("tien-luong", "pay", &data, &config);
    assert_eq!(
        (&e["query_matches"], &e["matches"]),
        (&serde_json::json!(true), &serde_json::json!(false)),
        "{e}"
    );
    assert_eq!(
        e["prominence"],
        serde_json::json!({"long": true, "lead": false, "titled": true, "passages": 1}),
        "{e}"
    );
    let out = explain_text("tien-luong", "pay", &data, &config);
    assert!(
        out.contains("the rule does not hold in the title and lead, and holds in 1 passage(s) after them (3 needed)"),
        "{out}"
    );
    let out = explain_text("dinh-cong", "strike", &data, &config);
    assert!(out.contains("holds in the title and lead"), "{out}");
}

#[test]
fn output_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    let line = |i: usize| {
        serde_json::json!({"id": format!("d{i}"), "title": "Công nhân ngừng việc",
            "body": "Hơn 300 công nhân ngừng việc tập thể đòi tăng lương."})
        .to_string()
    };
    std::fs::write(&input, (0..20_000).map(line).collect::<Vec<_>>().join("\n")).unwrap();
    // `langnghe classify --json many.jsonl | head -c 100`: the reader takes a little and goes.
    let first_bytes = |args: &[&str]| -> String {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_langnghe"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 100];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
        String::from_utf8_lossy(&first).into_owned()
    };
    // Written line by line (an error returned) …
    assert!(
        first_bytes(&[
            "classify",
            "--json",
            "--config",
            shipped_config().to_str().unwrap(),
            input.to_str().unwrap(),
        ])
        .starts_with("{\"id\":\"d0\"")
    );
    // … and in one long line (a failed print).
    let page = dir.path().join("page.html");
    let paragraphs: String = (0..50_000)
        .map(|i| format!("<p>Đoạn {i}: công nhân làm việc tại nhà máy số {i}.</p>"))
        .collect();
    std::fs::write(
        &page,
        format!("<html><head><title>Tin</title></head><body><article>{paragraphs}</article></body></html>"),
    )
    .unwrap();
    assert!(first_bytes(&["extract", "--json", page.to_str().unwrap()]).starts_with("{\"file\""));
}

#[test]
fn rules_list_marks_the_fallback_topic() {
    let dir = tempfile::tempdir().unwrap();
    let config = shipped_config();
    let out = ok(&langnghe(&["rules", "list", "--json"], dir.path(), &config));
    let rows: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let fallback = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["fallback"]
            .clone()
    };
    assert_eq!(fallback("nguoi-lao-dong"), true);
    assert_eq!(fallback("dinh-cong"), false);
    let out = ok(&langnghe(&["rules", "list"], dir.path(), &config));
    let line = out
        .lines()
        .find(|l| l.starts_with("nguoi-lao-dong"))
        .unwrap();
    assert!(
        line.ends_with("(fallback: only where no other topic is)"),
        "{line}"
    );
    assert!(
        !out.lines()
            .any(|l| l.starts_with("dinh-cong") && l.contains("fallback"))
    );
}

#[test]
fn applying_one_topic_keeps_the_fallback_topic_where_no_other_is() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = config_copy(dir.path());
    let input = dir.path().join("docs.jsonl");
    std::fs::write(
        &input,
        serde_json::json!({"id": "walkout", "url": "https://nld.com.vn/w.htm",
            "title": "Người lao động ở khu trọ Bình Dương",
            "body": "Sáng nay họ bỏ về giữa ca vì nắng nóng.", "published": "2026-11-20"})
        .to_string(),
    )
    .unwrap();
    ok(&langnghe(
        &["import", input.to_str().unwrap()],
        &data,
        &config,
    ));
    let search = |query: &str| -> Vec<String> {
        let out = ok(&langnghe(&["search", "--json", query], &data, &config));
        hit_ids(&serde_json::from_str(out.trim()).unwrap())
    };
    assert_eq!(search("topic:nguoi-lao-dong"), ["walkout"]);
    // The strike rule learns the phrase: applying it alone gives the document the strike
    // topic, and the fallback goes.
    let pack = config.join("topics/labour.toml");
    let original = std::fs::read_to_string(&pack).unwrap();
    let start = original.find("id = \"dinh-cong\"").unwrap();
    let query_at = start + original[start..].find("query = '''\n").unwrap() + "query = '''\n".len();
    let learned = format!(
        "{}\"bỏ về giữa ca\" OR {}",
        &original[..query_at],
        &original[query_at..]
    );
    std::fs::write(&pack, &learned).unwrap();
    ok(&langnghe(&["rules", "apply", "dinh-cong"], &data, &config));
    assert_eq!(search("topic:dinh-cong"), ["walkout"]);
    assert!(search("topic:nguoi-lao-dong").is_empty());
    // And back: the fallback returns where no topic is left.
    std::fs::write(&pack, &original).unwrap();
    ok(&langnghe(&["rules", "apply", "dinh-cong"], &data, &config));
    assert!(search("topic:dinh-cong").is_empty());
    assert_eq!(search("topic:nguoi-lao-dong"), ["walkout"]);
}
