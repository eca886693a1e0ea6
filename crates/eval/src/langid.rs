//! (in progress)
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_data: &Path, _docs: &Path, _args: Args) -> anyhow::Result<()> {
    anyhow::bail!("not yet written")
}
