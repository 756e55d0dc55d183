//! Running the real `langnghe` binary from the end-to-end tests. Included by path
//! (`#[path = "common/cli.rs"] mod cli;`); not every test file uses every function.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// `langnghe ARGS --data DATA [--config CONFIG]` with the extra environment `env`, run to the
/// end.
pub fn run(args: &[&str], data: &Path, config: Option<&Path>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_langnghe"));
    cmd.args(args).arg("--data").arg(data);
    if let Some(config) = config {
        cmd.arg("--config").arg(config);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run langnghe")
}

/// The stdout of a run that must have succeeded; a failure shows its status, stdout and stderr.
pub fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The ids of the hits of `search --json` output, sorted.
pub fn hit_ids(v: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}
