//! End to end: `langnghe check-config` on the shipped configuration and on a broken one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;

fn check(config: &std::path::Path) -> (Option<i32>, serde_json::Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args(["check-config", "--json", "--config"])
        .arg(config)
        .output()
        .unwrap();
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn the_shipped_configuration_is_clean() {
    let config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../config");
    let (code, report) = check(&config);
    assert_eq!(report["problems"], serde_json::json!([]), "{report}");
    assert_eq!(code, Some(0));
    // sources, API presets, lexicon, the labour topic pack, the gazetteer and alerts.
    assert_eq!(report["files"].as_array().unwrap().len(), 6, "{report}");
}

#[test]
fn a_broken_configuration_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.toml"),
        "version = 1\n[[source]]\nid = \"x\"\nkind = \"listing\"\nurls = [\"https://x.vn/\"]\n",
    )
    .unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    let p = &report["problems"][0];
    assert!(p["file"].as_str().unwrap().ends_with("sources.toml"));
    assert_eq!(p["key"], "source[0] (x).link_selector");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("link_selector or url_pattern")
    );
}

#[test]
fn sources_use_the_presets_of_the_configuration_folder() {
    let dir = tempfile::tempdir().unwrap();
    let source = "version = 1\n[[source]]\nid = \"lemmy\"\nkind = \"json\"\npreset = \"lemmy\"\nurls = [\"https://lemmy.vn/api/v3/post/list\"]\n";
    std::fs::write(dir.path().join("sources.toml"), source).unwrap();
    // Not a built-in preset: unknown until the folder's presets file defines it.
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    assert!(
        report["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("unknown preset \"lemmy\""),
        "{report}"
    );
    std::fs::write(
        dir.path().join("api-presets.toml"),
        "version = 1\n[preset.lemmy]\nitems = \"/posts\"\nid = \"/post/id\"\ntext = \"/post/body\"\n",
    )
    .unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(
        (code, &report["problems"]),
        (Some(0), &serde_json::json!([])),
        "{report}"
    );
    // A broken presets file is reported with its line.
    std::fs::write(
        dir.path().join("api-presets.toml"),
        "version = 1\n[preset.x]\nid = 3\n",
    )
    .unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    let p = &report["problems"][0];
    assert!(
        p["file"].as_str().unwrap().ends_with("api-presets.toml"),
        "{report}"
    );
    assert_eq!(p["line"], 3);
}

#[test]
fn topic_packs_and_the_gazetteer_are_checked_with_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("topics")).unwrap();
    std::fs::write(
        dir.path().join("topics/a.toml"),
        "version = 1\n[[topic]]\nid = \"dinh-cong\"\nname = \"Đình công\"\nseverity = \"urgent\"\nquery = \"đình công\"\n[topic.examples]\nmatch = [\"Công nhân đình công.\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("topics/b.toml"),
        "version = 1\n[[topic]]\nid = \"luong\"\nname = \"Lương\"\nseverity = \"watch\"\nquery = \"(nợ lương\"\n[topic.examples]\nmatch = [\"Nợ lương.\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("provinces.toml"),
        "version = 1\n[[province]]\nid = \"HN\"\nname = \"Hà Nội\"\n",
    )
    .unwrap();
    let (code, report) = check(dir.path());
    assert_eq!(code, Some(1));
    let problems = report["problems"].as_array().unwrap();
    let find = |file: &str| {
        problems
            .iter()
            .find(|p| p["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no problem for {file}: {report}"))
    };
    // A bad severity names its line; a query that does not parse names its key and column.
    assert_eq!(find("a.toml")["line"], 5, "{report}");
    assert!(
        find("a.toml")["message"]
            .as_str()
            .unwrap()
            .contains("urgent")
    );
    assert_eq!(find("b.toml")["key"], "topic[0] (luong).query");
    assert!(
        find("b.toml")["message"]
            .as_str()
            .unwrap()
            .contains("column 10"),
        "{report}"
    );
    assert_eq!(find("provinces.toml")["key"], "province[0] (HN).id");
}
