//! End to end: `langnghe extract` on saved pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[path = "common/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

#[test]
fn json_has_one_object_per_file_with_the_documented_fields() {
    let dir = shared_data().join("vi-article-html");
    let out = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args(["extract", "--json"])
        .arg(dir.join("002_vnexpress.html"))
        .arg(dir.join("022_giadinh.html"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for (v, file) in lines.iter().zip(["002_vnexpress.html", "022_giadinh.html"]) {
        assert!(v["file"].as_str().unwrap().ends_with(file));
        for key in [
            "title",
            "text",
            "published",
            "author",
            "canonical_url",
            "lang",
        ] {
            assert!(v.get(key).is_some(), "{file} lacks {key}");
        }
        assert_eq!(v["lang"], "vi");
    }
    assert_eq!(lines[0]["published"], "2025-10-22T19:25:52+07:00");
    assert!(
        lines[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Người đàn ông 63 tuổi đau bụng kéo dài")
    );
}

#[test]
fn a_tcvn3_page_is_decoded_and_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "Công đoàn cơ sở đã đối thoại với doanh nghiệp về tiền lương và thưởng Tết cho công nhân.";
    let html = format!(
        "<html><head><title>Đối thoại</title></head><body><div class=\"content\"><p>{text}</p><p>{text}</p></div></body></html>"
    );
    let page = dir.path().join("old.html");
    std::fs::write(&page, langnghe_vi::Legacy::Tcvn3.encode(&html)).unwrap();
    let missing = dir.path().join("missing.html");
    let out = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args(["extract", "--json"])
        .arg(&page)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.html"));
    let v: serde_json::Value =
        serde_json::from_str(String::from_utf8(out.stdout).unwrap().trim()).unwrap();
    assert_eq!(v["title"], "Đối thoại");
    assert!(
        v["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .starts_with(&text.to_lowercase())
    );
    assert_eq!(v["published"], serde_json::Value::Null);
}
