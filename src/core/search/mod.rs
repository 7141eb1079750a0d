//! Search across the library and inside an article: an in-memory index of
//! titles and text ranked by BM25 with title matches first, a query
//! language forgiving of case, diacritics, typos and Indonesian affixes,
//! snippets with highlights, the fuzzy headline filter and plain
//! find-in-article.
//!
//! ```text
//! let index = SearchIndex::build(&lib);            // once, off the UI thread
//! let index = index.update(&new_lib, &changes)?;    // after a reload
//! let q = Query::parse("perdamaian rus");           // on every key
//! let results = index.search(&lib, &q, 50);
//! let spots = matches_in(lib.article(hit.id), &q);  // highlight, go to first
//! ```

mod date;
mod index;
mod query;
mod snippet;
mod stem;
mod store;
mod titles;
mod tokens;

pub use date::date_key;
pub use index::{IndexStats, SearchIndex};
pub use query::{MatchKind, Query, MAX_WORDS, TYPO_MIN_CHARS};
pub use snippet::{snippet, SNIPPET_CHARS};
pub use store::StoreError;
pub use titles::{filter_titles, title_indices, TitleFilter};

use crate::core::article::{Article, ArticleId};
use std::ops::Range;

/// One article found by a search.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: ArticleId,
    pub score: f32,
    /// Every query word (and phrase) is in the title; such hits come
    /// first.
    pub title_match: bool,
    /// A passage of the text around the matches, cut at word boundaries,
    /// "…" where it was cut.
    pub snippet: String,
    /// Byte ranges of the matched words in `snippet`, sorted.
    pub snippet_highlights: Vec<Range<usize>>,
}

/// The best hits of a search and how many articles matched in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// Every match of `query` in the blocks of `article`, in reading order:
/// (block index, byte range in [`crate::core::article::Block::text`]).
/// For highlighting the opened article and scrolling to the first match.
pub fn matches_in(article: &Article, query: &Query) -> Vec<(usize, Range<usize>)> {
    article
        .blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            query
                .matches_in_text(b.text())
                .into_iter()
                .map(move |r| (i, r))
        })
        .collect()
}

/// Find-in-article: the byte ranges of `needle` in `haystack`, ignoring
/// case and diacritics ("cafe" finds "Café"), not overlapping, in order.
/// An empty needle finds nothing.
pub fn find_in_text(haystack: &str, needle: &str) -> Vec<Range<usize>> {
    let (needle, _) = tokens::fold_for_find(needle);
    if needle.is_empty() {
        return Vec::new();
    }
    let (folded, map) = tokens::fold_for_find(haystack);
    folded
        .match_indices(needle.as_str())
        .filter_map(|(at, m)| {
            let first = map.get(at)?;
            let last = map.get(at + m.len() - 1)?;
            Some(first.start..last.end)
        })
        .collect()
}

/// [`find_in_text`] over every block of `article`: (block, range).
pub fn find_in_article(article: &Article, needle: &str) -> Vec<(usize, Range<usize>)> {
    article
        .blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| {
            find_in_text(b.text(), needle)
                .into_iter()
                .map(move |r| (i, r))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_ignores_case_and_diacritics() {
        let t = "Café Nagarno, CAFE lagi; cafétéria";
        let got: Vec<&str> = find_in_text(t, "cafe").into_iter().map(|r| &t[r]).collect();
        assert_eq!(got, ["Café", "CAFE", "café"]);
        assert!(find_in_text(t, "").is_empty());
        assert!(find_in_text(t, "rusia").is_empty());
        let t = "“Kehadiran” tentara";
        let got: Vec<&str> = find_in_text(t, "\"kehadiran\"")
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(got, ["“Kehadiran”"]);
    }
}
