//! The README's first command: `langnghe demo` runs the main job end to end (local site, crawl,
//! extraction, index) and finishes with searches that work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[test]
fn demo_crawls_the_local_site_and_searches() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_langnghe"))
        .args(["demo", "--data"])
        .arg(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "12 articles found, 12 fetched, 0 unchanged since the last run, 12 indexed, 0 error(s)"
        ),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("match \"cong doan\""), "{stdout}");
    assert!(
        stdout.contains("Công đoàn cơ sở thương lượng tăng lương cho công nhân"),
        "{stdout}"
    );
    // The crawl left its evidence and state behind.
    assert!(
        std::fs::read_dir(dir.path().join("archive"))
            .unwrap()
            .count()
            >= 1
    );
    assert!(dir.path().join("state.sqlite").exists());
}
