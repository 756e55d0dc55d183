//! Placeholder replaced below.
use std::path::Path;
#[derive(clap::Args)]
pub struct Args {}
pub fn run(_: &Path, _: &Args) -> anyhow::Result<()> {
    Ok(())
}
