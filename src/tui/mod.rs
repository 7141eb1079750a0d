//! The interactive reader.

pub fn run(_paths: Vec<std::path::PathBuf>) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("the reader is not built yet")
}
