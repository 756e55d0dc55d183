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
    assert_eq!(report["files"].as_array().unwrap().len(), 3);
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
