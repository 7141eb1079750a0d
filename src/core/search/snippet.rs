//! The line of text shown under a search result: the passage of the
//! article where most query words meet, cut at word boundaries, with the
//! byte ranges of the matched words in it.

use super::query::Query;
use crate::core::article::Article;
use std::ops::Range;

/// About how many characters a snippet holds.
pub const SNIPPET_CHARS: usize = 160;
/// How much text to keep before the first match, so it reads in context.
const LEAD_CHARS: usize = 40;
const ELLIPSIS: &str = "…";

/// The snippet of `article` for `query` and the byte ranges of the matches
/// in it. The block matching the most query words is chosen (the first of
/// equals); without any match in the text, the opening of the text.
pub fn snippet(article: &Article, query: &Query) -> (String, Vec<Range<usize>>) {
    snippet_with(article, query, &|w| query.match_mask(w))
}

/// [`snippet`] with `mask_of(word)` telling which query words a folded
/// word matches.
pub(crate) fn snippet_with(
    article: &Article,
    query: &Query,
    mask_of: &dyn Fn(&str) -> u32,
) -> (String, Vec<Range<usize>>) {
    let mut best: Option<(u32, usize, Vec<Range<usize>>)> = None;
    let all = query.all_mask();
    for (i, block) in article.blocks.iter().enumerate() {
        let (ranges, found) = query.matches_with(block.text(), mask_of);
        if ranges.is_empty() {
            continue;
        }
        let count = found.count_ones();
        let better = match &best {
            Some(b) => count > b.0,
            None => true,
        };
        if better {
            best = Some((count, i, ranges));
            if found == all {
                break;
            }
        }
    }
    match best {
        Some((_, block, ranges)) => cut(article.blocks[block].text(), &ranges),
        None => {
            let first = article.blocks.first().map_or("", |b| b.text());
            cut(first, &[])
        }
    }
}

/// A window of `text` around the first of `ranges`, and the ranges that
/// fall in it, moved to the window.
pub fn cut(text: &str, ranges: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let anchor = ranges.first().map_or(0, |r| r.start);
    // Back up LEAD_CHARS characters, then forward to the next word start.
    let mut start = text[..anchor]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    if start > 0 {
        start = text[start..anchor]
            .find(char::is_whitespace)
            .map_or(anchor, |i| start + i)
            + 1;
        start = start.min(anchor);
        while !text.is_char_boundary(start) {
            start += 1;
        }
    }
    let mut end = text[start..]
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(text.len(), |(i, _)| start + i);
    if end < text.len() {
        // Back to the last space, unless that would lose the match.
        if let Some(sp) = text[start..end].rfind(char::is_whitespace) {
            if start + sp > anchor {
                end = start + sp;
            }
        }
    }
    let body = text[start..end].trim();
    let lead_trim = text[start..end].len() - text[start..end].trim_start().len();
    let origin = start + lead_trim;
    let mut out = String::with_capacity(body.len() + 8);
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    let shift = out.len();
    out.push_str(body);
    if end < text.len() {
        out.push_str(ELLIPSIS);
    }
    let body_end = origin + body.len();
    let highlights = ranges
        .iter()
        .filter(|r| r.start < body_end && r.end > origin)
        .map(|r| {
            let s = r.start.max(origin) - origin + shift;
            let e = r.end.min(body_end) - origin + shift;
            s..e
        })
        .collect();
    (out, highlights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_whole() {
        let (s, h) = cut("Pasukan perdamaian Rusia", std::slice::from_ref(&(8..18)));
        assert_eq!(s, "Pasukan perdamaian Rusia");
        assert_eq!(&s[h[0].clone()], "perdamaian");
    }

    #[test]
    fn long_text_cut_at_words_around_the_match() {
        let text = format!("{} perdamaian {}", "kata ".repeat(40), "lain ".repeat(60));
        let at = text.find("perdamaian").unwrap_or(0);
        let (s, h) = cut(&text, std::slice::from_ref(&(at..at + 10)));
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(&s[h[0].clone()], "perdamaian");
        assert!(s.chars().count() <= SNIPPET_CHARS + 2);
        assert!(!s.contains("…kat ") && !s.contains(" lai…"));
    }
}
