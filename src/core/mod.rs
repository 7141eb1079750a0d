//! The core of baca, free of any terminal crate: the article model, the
//! parser, the library and its link graph. The reader and the command line
//! are built on top of it.

pub mod article;
pub mod cache;
pub mod config;
pub mod date;
pub mod files;
pub mod generate;
pub mod import;
pub mod library;
pub mod links;
pub mod normalize;
pub mod par;
pub mod parse;
pub mod paths;
pub mod sanitize;
pub mod search;
pub mod state;
#[cfg(test)]
mod testing;
