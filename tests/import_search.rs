//! End to end: the real `langnghe` binary imports JSON Lines and searches the result.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/cli.rs"]
mod cli;
use cli::{hit_ids, ok};

fn langnghe(data: &Path, args: &[&str]) -> Output {
    cli::run(args, data, None, &[])
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/sample-news.jsonl")
}

#[path = "common/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn search_json(data: &Path, query: &str) -> serde_json::Value {
    let out = ok(&langnghe(
        data,
        &["search", "--json", "--limit", "50", query],
    ));
    // Exactly one JSON object on stdout.
    assert_eq!(out.trim().lines().count(), 1, "{out}");
    serde_json::from_str(out.trim()).unwrap()
}

#[test]
fn importing_twice_keeps_one_copy_and_search_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let file = sample().to_string_lossy().into_owned();
    for _ in 0..2 {
        let summary: serde_json::Value =
            serde_json::from_str(&ok(&langnghe(dir.path(), &["import", "--json", &file]))).unwrap();
        assert_eq!(summary["imported"], 12);
        assert_eq!(summary["documents_in_index"], 12);
    }
    let v = search_json(dir.path(), "cong doan");
    assert_eq!(v["total"], v["hits"].as_array().unwrap().len());
    let first = &v["hits"][0];
    for key in ["id", "title", "url", "published", "score", "snippet"] {
        assert!(first.get(key).is_some(), "hit lacks {key}: {first}");
    }
    assert!(first["snippet"].as_str().unwrap().contains("<b>"));
    assert!(v["facets"]["source"].is_object() && v["facets"]["week"].is_object());
}

#[test]
fn diacritics_collisions_and_legacy_encoding_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    ok(&langnghe(
        dir.path(),
        &["import", &sample().to_string_lossy()],
    ));
    // Without diacritics: union documents (incl. the unaccented forum post) and the production step.
    let v = search_json(dir.path(), "cong doan");
    let ids = hit_ids(&v);
    assert!(
        ids.contains(&"sample-003".to_string()),
        "công đoạn is a reading of cong doan"
    );
    assert!(
        ids.contains(&"sample-008".to_string()),
        "the unaccented post"
    );
    assert_ne!(
        v["hits"][0]["id"], "sample-003",
        "the union reading ranks first"
    );
    // With diacritics: never the production step.
    let ids = hit_ids(&search_json(dir.path(), "công đoàn"));
    assert!(!ids.contains(&"sample-003".to_string()));
    assert!(ids.contains(&"sample-001".to_string()));
    assert_eq!(
        hit_ids(&search_json(dir.path(), "công nhận")),
        ["sample-007"]
    );
    assert_eq!(
        hit_ids(&search_json(dir.path(), "\"sản lượng\"")),
        ["sample-003"]
    );
    // The TCVN3 title was repaired on import and is found and shown as Unicode.
    let v = search_json(dir.path(), "title:dệt may");
    assert_eq!(v["hits"][0]["id"], "sample-012");
    assert_eq!(
        v["hits"][0]["title"],
        "Công đoàn ngành dệt may chăm lo Tết cho người lao động"
    );
    // NFD body and new-style tones found by either form.
    assert_eq!(
        hit_ids(&search_json(dir.path(), "đồng nai")),
        ["sample-006"]
    );
    assert_eq!(
        hit_ids(&search_json(dir.path(), "hòa giải viên")),
        ["sample-005"]
    );
    assert_eq!(
        hit_ids(&search_json(dir.path(), "sức khỏe")),
        ["sample-005"]
    );
}

#[test]
fn words_that_never_stand_together_fall_back_to_all_the_words() {
    let dir = tempfile::tempdir().unwrap();
    ok(&langnghe(
        dir.path(),
        &["import", &sample().to_string_lossy()],
    ));
    // "cong nhan ... no luong" stand apart in the forum post and the strike report.
    let v = search_json(dir.path(), "cong nhan no luong");
    assert_eq!(v["relaxed"], true);
    assert!(hit_ids(&v).contains(&"sample-002".to_string()), "{v}");
    // A phrase that exists is not relaxed, and quotes are never relaxed.
    let v = search_json(dir.path(), "nợ lương");
    assert!(v.get("relaxed").is_none());
    let v = search_json(dir.path(), "\"cong nhan no luong\"");
    assert_eq!(v["total"], 0);
    assert!(v.get("relaxed").is_none());
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).unwrap(),
        flate2::Compression::fast(),
    );
    writeln!(gz, r#"{{"id": "a", "url": "https://x.vn/a", "source": "x.vn", "title": "Đình công", "body": "Công nhân đình công.", "published": "2026-11-02"}}"#).unwrap();
    writeln!(gz, "{{not json").unwrap();
    // Neither an id nor an address to stand for one.
    writeln!(gz, r#"{{"source": "x.vn", "title": "no id"}}"#).unwrap();
    // A Vietnamese date (day first) is read; one that cannot be read costs the date only.
    writeln!(
        gz,
        r#"{{"id": 7, "title": "Ngừng việc", "body": "", "published": "26/11/2026"}}"#
    )
    .unwrap();
    writeln!(
        gz,
        r#"{{"id": 8, "title": "Tăng ca", "body": "", "published": "hôm qua"}}"#
    )
    .unwrap();
    // A Windows-1252 byte in the middle of the file costs its line only.
    gz.write_all(b"{\"id\": \"d\", \"title\": \"caf\xe9\"}\n")
        .unwrap();
    writeln!(gz, r#"{{"id": "c", "title": "Nợ lương", "body": "Doanh nghiệp nợ lương.", "published": null, "extra": [1,2]}}"#).unwrap();
    gz.finish().unwrap();
    let out = langnghe(dir.path(), &["import", "--json", &path.to_string_lossy()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(summary["imported"], 4);
    assert_eq!(summary["skipped"], 3);
    assert_eq!(summary["undated"], 1);
    let name = path.display().to_string();
    assert!(
        stderr.contains(&format!("{name}:2: invalid JSON")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:3: missing `id`")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{name}:5: `published` is not a date")),
        "{stderr}"
    );
    assert!(stderr.contains("kept undated"), "{stderr}");
    assert!(!stderr.contains(&format!("{name}:4:")), "{stderr}");
    assert!(
        stderr.contains(&format!("{name}:6: invalid UTF-8 at byte 26")),
        "{stderr}"
    );
    assert_eq!(
        hit_ids(&search_json(dir.path(), "dinh cong OR no luong")),
        ["a", "c"]
    );
    // Dated as written: in November 2026; the undated one is not dated to the import.
    assert_eq!(
        hit_ids(&search_json(
            dir.path(),
            "ngung viec published:[2026-11-26 TO 2026-11-26]"
        )),
        ["7"]
    );
    assert_eq!(
        hit_ids(&search_json(
            dir.path(),
            "tang ca published:[2000-01-01 TO 2100-01-01]"
        )),
        Vec::<String>::new()
    );
    assert_eq!(hit_ids(&search_json(dir.path(), "tang ca")), ["8"]);
}

/// Lines are parsed on several threads; what reaches the index and the messages keep the order
/// of the file: the last copy of an id wins, and bad lines are reported by ascending line,
/// whatever `--threads` says.
#[test]
fn a_later_copy_of_an_id_wins_and_bad_lines_are_reported_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 1..=600 {
        match i {
            // The same id three times, far apart (in different chunks of work).
            5 | 300 | 597 => writeln!(
                f,
                r#"{{"id": "dup", "title": "Bản {i} về đình công", "body": "Công nhân ngừng việc."}}"#
            ),
            _ if i % 97 == 0 => writeln!(f, "{{broken line {i}"),
            _ => writeln!(
                f,
                r#"{{"id": "n{i}", "title": "Tin số {i}", "body": "Thời tiết hôm nay."}}"#
            ),
        }
        .unwrap();
    }
    drop(f);
    for threads in ["1", "3"] {
        let data = dir.path().join(format!("data-{threads}"));
        let file = path.to_string_lossy();
        let out = langnghe(&data, &["import", "--json", "--threads", threads, &file]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let summary: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
        assert_eq!(summary["skipped"], 6);
        assert_eq!(summary["documents_in_index"], 600 - 6 - 2);
        let reported: Vec<usize> = stderr
            .lines()
            .filter_map(|l| l.split(':').nth(1)?.parse().ok())
            .collect();
        assert_eq!(reported, [97, 194, 291, 388, 485, 582], "{stderr}");
        let v = search_json(&data, "\"đình công\"");
        assert_eq!(hit_ids(&v), ["dup"]);
        assert_eq!(v["hits"][0]["title"], "Bản 597 về đình công");
    }
}

/// A gzip stream cut short loses the rest of its file only: the message comes after the file's
/// earlier bad lines, and the next file is imported.
#[test]
fn a_broken_gzip_stream_costs_the_rest_of_its_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("cut.jsonl.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    for i in 1..=3000 {
        if i == 3 {
            writeln!(gz, "{{not json").unwrap();
        } else {
            // Varied text, so that the compressed stream is long enough to cut.
            writeln!(
                gz,
                r#"{{"id": "c{i}", "title": "Tin {i}", "body": "Số {}"}}"#,
                i * 7919 % 10007
            )
            .unwrap();
        }
    }
    let whole = gz.finish().unwrap();
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let next = dir.path().join("next.jsonl");
    std::fs::write(
        &next,
        r#"{"id": "n1", "title": "Đình công ở khu công nghiệp", "body": "Công nhân ngừng việc."}"#,
    )
    .unwrap();
    let out = langnghe(
        dir.path(),
        &[
            "import",
            "--json",
            &cut.to_string_lossy(),
            &next.to_string_lossy(),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let summary: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    let name = cut.display().to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with(&format!("{name}:3: invalid JSON")),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with(&name) && lines[1].contains("cannot read"),
        "{stderr}"
    );
    assert_eq!(summary["skipped"], 2);
    let imported = summary["imported"].as_u64().unwrap();
    assert!(imported > 100 && imported < 2999, "{summary}");
    assert_eq!(hit_ids(&search_json(dir.path(), "dinh cong")), ["n1"]);
}

#[test]
fn a_bad_query_names_the_column_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    ok(&langnghe(
        dir.path(),
        &["import", &sample().to_string_lossy()],
    ));
    let out = langnghe(dir.path(), &["search", "(cong doan OR"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("column 14: expected a term, a phrase or `(`, found end of query"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn search_without_an_index_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = langnghe(dir.path(), &["search", "cong doan"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("import documents first"));
}

#[test]
fn all_of_vi_news_imported_twice_leaves_20601_documents() {
    let news = shared_data().join("vi-news");
    let mut files: Vec<String> = std::fs::read_dir(&news)
        .unwrap_or_else(|e| panic!("{}: {e}", news.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["import", "--json"];
    args.extend(files.iter().map(String::as_str));
    for _ in 0..2 {
        let summary: serde_json::Value =
            serde_json::from_str(&ok(&langnghe(dir.path(), &args))).unwrap();
        assert_eq!(summary["documents_in_index"], 20_601, "{summary}");
    }
    // Real articles are found without diacritics, and the accented query is strict.
    let loose = search_json(dir.path(), "dinh cong")["total"]
        .as_u64()
        .unwrap();
    let strict = search_json(dir.path(), "đình công")["total"]
        .as_u64()
        .unwrap();
    assert!(
        strict > 10 && loose >= strict,
        "dinh cong {loose}, đình công {strict}"
    );
    let v = search_json(dir.path(), "công đoàn");
    for hit in v["hits"].as_array().unwrap() {
        let s = hit["snippet"].as_str().unwrap().to_lowercase();
        assert!(s.contains("<b>công đoàn</b>"), "{s}");
    }
}

#[test]
fn committed_documents_survive_kill_9_and_a_rerun_completes_the_import() {
    let news = shared_data().join("vi-news/baomoi_2017.jsonl.gz");
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args(["import", "--commit-every", "1000", "--data"])
        .arg(dir.path())
        .arg(&news)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until tantivy's meta.json lists a committed segment, then kill -9.
    let meta = dir.path().join("index/meta.json");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let committed = std::fs::read_to_string(&meta)
            .ok()
            .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
            .is_some_and(|m| m["segments"].as_array().is_some_and(|s| !s.is_empty()));
        if committed {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "import ended before its first commit"
        );
        assert!(
            std::time::Instant::now() < deadline,
            "no commit within 2 minutes"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // What was committed is searchable after the crash.
    let after_crash = search_json(dir.path(), "lang:vi")["total"]
        .as_u64()
        .unwrap();
    assert!(after_crash >= 1000, "{after_crash} documents survived");
    // Running the same import again completes it, with one copy of each document.
    let summary: serde_json::Value = serde_json::from_str(&ok(&langnghe(
        dir.path(),
        &["import", "--json", &news.to_string_lossy()],
    )))
    .unwrap();
    assert_eq!(summary["documents_in_index"], 17_720);
}
