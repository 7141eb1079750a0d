//! Articles in the shapes people save them besides plain text — Markdown,
//! saved web pages — read into the same [`Article`] model, the native text
//! format with its two escapes (reading and writing), and adding articles
//! to the user's library (`baca add`). JSON and JSON Lines exports are read
//! by `library` (`load_json`, `load_jsonl`), tables of articles by `table`.
//!
//! Every importer produces native text and parses it with [`native::parse`],
//! so an imported article obeys exactly the rules of a hand-written one.

pub mod add;
pub mod body;
pub mod feed;
pub mod html;
pub mod markdown;
pub mod mojibake;
pub mod native;
pub mod table;

use super::article::Article;
use super::library::Problem;
use std::path::Path;

/// The formats baca reads, told apart by the file name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Native,
    Markdown,
    Html,
    Json,
    JsonLines,
    /// CSV or TSV, one article a row.
    Table,
    /// A spreadsheet (xlsx, xls, ods), one article a row of its first sheet.
    Sheet,
    /// An RSS or Atom feed, one article an item.
    Feed,
}

impl Format {
    /// The format of `path` by its extension; `None` for an extension baca
    /// does not know (a file named on the command line is then read as
    /// native text).
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Native,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "json" => Format::Json,
            "jsonl" | "ndjson" => Format::JsonLines,
            "csv" | "tsv" => Format::Table,
            "xlsx" | "xlsm" | "xls" | "ods" => Format::Sheet,
            "rss" | "atom" | "xml" => Format::Feed,
            _ => return None,
        })
    }
}

/// Why a file gave no article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("binary file, not an article")]
    Binary,
    #[error("no article text found in the page")]
    NoArticle,
}

/// Reads a one-article file (native text, Markdown or a saved page) from
/// its bytes. `name` is the file name, used to infer a title.
pub fn parse_bytes(bytes: &[u8], name: &str, format: Format) -> Result<Article, ImportError> {
    let mut a = match format {
        Format::Html => html::parse_bytes(bytes, name),
        Format::Markdown => markdown::parse_bytes(bytes, name),
        _ => native::parse_bytes(bytes, name),
    }?;
    super::date::settle(&mut a.meta, super::date::Order::DayFirst);
    Ok(a)
}

/// [`parse_bytes`] in the shape `library::load_file` returns: the article
/// with its problems tied to `shown`, or the reason it was skipped.
pub(crate) fn load_one(
    bytes: &[u8],
    name: &str,
    shown: &str,
    format: Format,
) -> Result<(Vec<Article>, Vec<Problem>), Problem> {
    match parse_bytes(bytes, name, format) {
        Ok(mut a) => {
            a.origin = shown.to_owned();
            let problems = a
                .problems
                .iter()
                .map(|m| Problem {
                    path: shown.to_owned(),
                    message: m.clone(),
                    io: false,
                })
                .collect();
            Ok((vec![a], problems))
        }
        Err(e) => Err(Problem {
            path: shown.to_owned(),
            message: format!("{e}; skipped"),
            io: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::of(Path::new("a/B.HTM")), Some(Format::Html));
        assert_eq!(Format::of(Path::new("x.markdown")), Some(Format::Markdown));
        assert_eq!(Format::of(Path::new("x.ndjson")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("x.TSV")), Some(Format::Table));
        assert_eq!(Format::of(Path::new("x.ods")), Some(Format::Sheet));
        assert_eq!(Format::of(Path::new("x.png")), None);
        assert_eq!(Format::of(Path::new("tanpa-ekstensi")), None);
    }

    #[test]
    fn binary_is_refused_by_every_importer() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        for f in [Format::Native, Format::Markdown, Format::Html] {
            assert_eq!(parse_bytes(png, "x", f), Err(ImportError::Binary), "{f:?}");
        }
    }
}
