//! The `baca` binary: parses arguments, runs the reader or a command, and
//! turns errors into a message and an exit code.

use baca::cli::{self, Cli, EXIT_ERROR};
use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = Cli::parse();
    let config_problem = cli::init_config(args.config.as_deref());
    if let Err(e) = cli::init_columns(args.columns.as_deref()) {
        eprintln!("baca: error: {e:#}");
        return ExitCode::from(EXIT_ERROR);
    }
    let result = match args.command {
        Some(command) => {
            if let Some(p) = &config_problem {
                eprintln!("baca: warning: {p}; using the defaults");
            }
            cli::run(command)
        }
        None => run_reader(args.paths, config_problem),
    };
    result.unwrap_or_else(|e| {
        eprintln!("baca: error: {e:#}");
        ExitCode::from(EXIT_ERROR)
    })
}

#[cfg(feature = "tui")]
fn run_reader(
    paths: Vec<std::path::PathBuf>,
    config_problem: Option<String>,
) -> anyhow::Result<ExitCode> {
    baca::tui::run(paths, config_problem)
}

#[cfg(not(feature = "tui"))]
fn run_reader(
    _paths: Vec<std::path::PathBuf>,
    _config_problem: Option<String>,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this baca was built without the reader (feature `tui`); use a command such as `baca list`"
    )
}
