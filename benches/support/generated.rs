//! The generated libraries the benches share: `<target>/startup-libs/
//! N-seed1`, written once and kept (the startup bench writes the same).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// `target/` (or `$CARGO_TARGET_DIR`): a bench runs from
/// `<target>/release/deps/`.
pub fn target_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .context("where the bench runs from")
}

/// The generated library of `n` articles in `libs`. A marker beside the
/// folder (not in it, where baca would read it) says the generation
/// finished, so an interrupted one is redone.
pub fn generated(libs: &Path, n: usize) -> Result<PathBuf> {
    let dir = libs.join(format!("{n}-seed1"));
    let done = libs.join(format!("{n}-seed1.complete"));
    if done.is_file() && dir.is_dir() {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    eprintln!("generating {n} articles into {}...", dir.display());
    baca::core::generate::write_library(&dir, n, 1)?;
    std::fs::write(&done, b"")?;
    Ok(dir)
}
