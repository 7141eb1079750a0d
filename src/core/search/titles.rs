//! The fuzzy headline filter: narrows the article list as the user types,
//! fzf-style (letters in order, bonuses for word starts and runs), with
//! nucleo-matcher doing the matching and scoring.
//!
//! Why the crate rather than our own subsequence scorer: it finds the best
//! alignment, not the first one (so "rusia" lights "Rusia", not the "r" of
//! "Armenia" and a stray "usia"), folds diacritics itself, returns indices
//! into the original title ready for highlighting, and is tuned (memchr
//! pre-filter, ASCII fast path) well beyond what 60 lines of ours would be.

use crate::core::article::ArticleId;
use crate::core::library::Library;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str, Utf32String};

/// The titles of a library, prepared once for filtering on every key.
pub struct TitleFilter {
    titles: Vec<Utf32String>,
    /// One matcher per core: long lists are scored in parallel.
    matchers: Vec<Matcher>,
    /// The last pattern and what it matched: a pattern typed further only
    /// narrows, so only those are scored again.
    last: Option<(String, Vec<u32>)>,
}

impl std::fmt::Debug for TitleFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TitleFilter")
            .field("titles", &self.titles.len())
            .finish_non_exhaustive()
    }
}

/// Below this many titles one thread is quicker than starting others.
const PARALLEL_FROM: usize = 8192;

fn pattern(p: &str) -> Pattern {
    Pattern::parse(p, CaseMatching::Ignore, Normalization::Smart)
}

/// Whether matches of `new` are a subset of matches of `old`: `new`
/// extends `old` (a longer word or one more word, both only narrow), and
/// no fzf operator is used (`!x` grows when `x` grows).
fn narrows(old: &str, new: &str) -> bool {
    !old.trim().is_empty()
        && new.starts_with(old)
        && !new.contains(['!', '$', '^', '\'', '\\'])
}

impl TitleFilter {
    pub fn new(lib: &Library) -> TitleFilter {
        TitleFilter {
            titles: lib
                .articles
                .iter()
                .map(|a| Utf32String::from(a.title.as_str()))
                .collect(),
            matchers: (0..std::thread::available_parallelism().map_or(1, |n| n.get()))
                .map(|_| Matcher::new(Config::DEFAULT))
                .collect(),
            last: None,
        }
    }

    /// The articles whose title matches `pat`, best first (library order on
    /// ties), with their scores. An empty pattern keeps every article.
    /// `pat` follows fzf: words in any order, `'exact`, `^start`, `end$`,
    /// `!not`.
    pub fn filter(&mut self, pat: &str) -> Vec<(ArticleId, u32)> {
        if pat.trim().is_empty() {
            self.last = None;
            return (0..self.titles.len() as u32)
                .map(|i| (ArticleId(i), 0))
                .collect();
        }
        let p = pattern(pat);
        let from: Vec<u32> = match self.last.take() {
            Some((old, ids)) if narrows(&old, pat) => ids,
            _ => (0..self.titles.len() as u32).collect(),
        };
        let titles = &self.titles;
        let score = |ids: &[u32], m: &mut Matcher| -> Vec<(ArticleId, u32)> {
            ids.iter()
                .filter_map(|&i| {
                    let t = titles.get(i as usize)?;
                    p.score(t.slice(..), m).map(|s| (ArticleId(i), s))
                })
                .collect()
        };
        let mut out: Vec<(ArticleId, u32)> = if from.len() < PARALLEL_FROM || self.matchers.len() < 2 {
            match self.matchers.first_mut() {
                Some(m) => score(&from, m),
                None => Vec::new(),
            }
        } else {
            let per = from.len().div_ceil(self.matchers.len());
            std::thread::scope(|s| {
                let parts: Vec<_> = from
                    .chunks(per)
                    .zip(self.matchers.iter_mut())
                    .map(|(ids, m)| s.spawn(|| score(ids, m)))
                    .collect();
                parts
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        self.last = Some((pat.to_owned(), out.iter().map(|(id, _)| id.0).collect()));
        // Stable: equal scores keep library order.
        out.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
        out
    }

    /// The character indices of `id`'s title that `pat` matched, sorted,
    /// for highlighting a visible row.
    pub fn indices(&mut self, id: ArticleId, pat: &str) -> Vec<usize> {
        let Some(t) = self.titles.get(id.index()) else {
            return Vec::new();
        };
        if pat.trim().is_empty() {
            return Vec::new();
        }
        let mut idx: Vec<u32> = Vec::new();
        let Some(m) = self.matchers.first_mut() else {
            return Vec::new();
        };
        pattern(pat).indices(t.slice(..), m, &mut idx);
        let mut idx: Vec<usize> = idx.into_iter().map(|i| i as usize).collect();
        idx.sort_unstable();
        idx.dedup();
        idx
    }
}

/// Every article whose title matches `pattern` fuzzily, best first, with
/// the score and the matched character indices of its title. For a long
/// list on every key prefer [`TitleFilter`], which prepares the titles once
/// and computes indices only for the rows shown.
pub fn filter_titles(lib: &Library, pattern: &str) -> Vec<(ArticleId, u32, Vec<usize>)> {
    let mut f = TitleFilter::new(lib);
    let found = f.filter(pattern);
    found
        .into_iter()
        .map(|(id, score)| (id, score, f.indices(id, pattern)))
        .collect()
}

/// The character indices of `title` that `pat` matches, or `None`.
pub fn title_indices(title: &str, pat: &str) -> Option<Vec<usize>> {
    let mut buf = Vec::new();
    let hay = Utf32Str::new(title, &mut buf);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut idx = Vec::new();
    pattern(pat).indices(hay, &mut matcher, &mut idx)?;
    let mut idx: Vec<usize> = idx.into_iter().map(|i| i as usize).collect();
    idx.sort_unstable();
    idx.dedup();
    Some(idx)
}
