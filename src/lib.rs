//! baca: a terminal reader for saved news articles that follows their
//! "Baca juga" links. `core` knows nothing of terminals; `tui` (feature
//! `tui`) is the interactive reader; `cli` runs the commands.

pub mod cli;
pub mod core;
#[cfg(feature = "tui")]
pub mod tui;
