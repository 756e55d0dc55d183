//! Where the shared datasets are: `LANGNGHE_SHARED_DATA`, or `../shared/data` beside the clone.
//! Included by path (`#[path = …] mod shared_data;`) from the test files of every crate, each of
//! which sits at `crates/NAME`, so one relative path serves them all.

use std::path::PathBuf;

pub fn shared_data() -> PathBuf {
    std::env::var_os("LANGNGHE_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    )
}
