//! The query language: words that must all occur, "quoted phrases", the
//! last word read as a prefix while it is being typed, one typo forgiven in
//! words of five letters or more, Indonesian affixes undone; and how a word
//! of text is matched against it, for highlights and snippets.

use super::stem;
use super::tokens;
use crate::core::normalize;
use std::ops::Range;

/// A query word matches words of this many letters or more with one typo.
pub const TYPO_MIN_CHARS: usize = 5;
/// Words past this are ignored: the index tracks words in a 32-bit mask.
pub const MAX_WORDS: usize = 32;

/// How a word of text matched a query word, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Exact,
    Prefix,
    Affix,
    Typo,
}

#[derive(Clone, Debug)]
pub(crate) struct QueryWord {
    /// Folded, as the index stores words.
    pub text: String,
    /// The last word, still being typed: matches words it begins.
    pub prefix: bool,
    /// Inside quotes: no typos, no affixes.
    pub exact: bool,
    /// The roots with each prefix they take: a word is an affixed form
    /// when it is one of these followed by a suffix chain.
    pub affixed: Vec<String>,
}

impl QueryWord {
    fn new(text: String, prefix: bool, exact: bool) -> QueryWord {
        let mut affixed = Vec::new();
        if !exact {
            // The word itself as a root, then the roots it may be an
            // affixed form of.
            let roots = std::iter::once(text.clone()).chain(stem::roots(&text));
            for r in roots {
                affixed.extend(stem::prefixed(&r));
            }
            affixed.sort_unstable();
            affixed.dedup();
        }
        QueryWord {
            text,
            prefix,
            exact,
            affixed,
        }
    }

    pub fn typo_allowed(&self) -> bool {
        !self.exact && self.text.chars().count() >= TYPO_MIN_CHARS
    }

    /// Whether `token` is an affixed form of one of the roots.
    pub fn is_affixed(&self, token: &str) -> bool {
        self.affixed
            .iter()
            .any(|p| token.strip_prefix(p.as_str()).is_some_and(stem::is_suffix))
    }

    /// How the folded word `token` matches this query word, if it does.
    pub fn matches(&self, token: &str) -> Option<MatchKind> {
        if token == self.text {
            return Some(MatchKind::Exact);
        }
        if self.prefix && token.starts_with(self.text.as_str()) {
            return Some(MatchKind::Prefix);
        }
        if self.is_affixed(token) {
            return Some(MatchKind::Affix);
        }
        // A typo is taken anywhere but in the first letter, which people
        // rarely get wrong and which keeps the candidates few.
        if self.typo_allowed()
            && token.chars().next() == self.text.chars().next()
            && (within_one(&self.text, token)
                || (self.prefix && prefix_within_one(&self.text, token)))
        {
            return Some(MatchKind::Typo);
        }
        None
    }
}

/// A parsed query. Build it with [`Query::parse`]; it holds no reference
/// to any index, so the reader can keep it to highlight an article.
#[derive(Clone, Debug)]
pub struct Query {
    text: String,
    pub(crate) words: Vec<QueryWord>,
    /// Quoted phrases of two words or more, as indices into `words`.
    pub(crate) phrases: Vec<Vec<usize>>,
}

impl Query {
    /// Reads `text`: words outside quotes are each required; words inside
    /// `"…"` (or curly quotes) are required next to each other; a quote
    /// left open runs to the end. The last word is a prefix unless the text
    /// ends with a space or a closing quote.
    pub fn parse(text: &str) -> Query {
        let mut segments: Vec<(String, bool)> = Vec::new();
        let mut cur = String::new();
        let mut quoted = false;
        for c in text.chars() {
            if matches!(c, '"' | '\u{201c}' | '\u{201d}') {
                segments.push((std::mem::take(&mut cur), quoted));
                quoted = !quoted;
            } else {
                cur.push(c);
            }
        }
        segments.push((cur, quoted));
        let ends_open = text
            .chars()
            .last()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '"' | '\u{201c}' | '\u{201d}'));

        let mut words = Vec::new();
        let mut phrases = Vec::new();
        for (segment, is_phrase) in segments {
            let folded = normalize::words(&segment);
            let first = words.len();
            for w in folded {
                if words.len() == MAX_WORDS {
                    break;
                }
                words.push(QueryWord::new(w, false, is_phrase));
            }
            if is_phrase && words.len() - first >= 2 {
                phrases.push((first..words.len()).collect());
            }
        }
        if ends_open {
            if let Some(last) = words.last_mut() {
                last.prefix = true;
            }
        }
        Query {
            text: text.to_owned(),
            words,
            phrases,
        }
    }

    /// The text the query was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True when the query has no word at all (empty, or only
    /// punctuation): it matches nothing.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The folded words of the query, in order.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|w| w.text.as_str())
    }

    /// Bit `i` set when word `token` matches query word `i`.
    pub(crate) fn match_mask(&self, token: &str) -> u32 {
        self.words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.matches(token).is_some())
            .fold(0, |m, (i, _)| m | 1 << i)
    }

    fn in_phrase(&self) -> u32 {
        self.phrases.iter().flatten().fold(0, |m, &i| m | 1 << i)
    }

    /// Where the query matches in `text`: byte ranges, sorted and not
    /// overlapping. A word outside a phrase matches alone; phrase words
    /// only where the whole phrase stands.
    pub fn matches_in_text(&self, text: &str) -> Vec<Range<usize>> {
        self.matches_with_mask(text).0
    }

    /// The ranges of [`Query::matches_in_text`] and the mask of query words
    /// they cover.
    pub(crate) fn matches_with_mask(&self, text: &str) -> (Vec<Range<usize>>, u32) {
        self.matches_with(text, &|w| self.match_mask(w))
    }

    /// [`Query::matches_with_mask`] with `mask_of(word)` telling which
    /// query words a folded word matches (the index knows it faster).
    pub(crate) fn matches_with(
        &self,
        text: &str,
        mask_of: &dyn Fn(&str) -> u32,
    ) -> (Vec<Range<usize>>, u32) {
        if self.words.is_empty() {
            return (Vec::new(), 0);
        }
        if self.phrases.is_empty() {
            // No adjacency to check: keep only the matches.
            let mut ranges = Vec::new();
            let mut found = 0u32;
            tokens::for_each_word(text, |w, r| {
                let m = mask_of(w);
                if m != 0 {
                    ranges.push(r);
                    found |= m;
                }
            });
            return (ranges, found);
        }
        let mut toks: Vec<(u32, Range<usize>)> = Vec::new();
        tokens::for_each_word(text, |w, r| toks.push((mask_of(w), r)));
        let in_phrase = self.in_phrase();
        let loose = !in_phrase;
        let mut ranges = Vec::new();
        let mut found = 0u32;
        for (m, r) in &toks {
            if m & loose != 0 {
                ranges.push(r.clone());
                found |= m & loose;
            }
        }
        if in_phrase != 0 {
            for phrase in &self.phrases {
                for start in 0..toks.len() {
                    let whole = phrase
                        .iter()
                        .enumerate()
                        .all(|(j, &w)| toks.get(start + j).is_some_and(|(m, _)| m & (1 << w) != 0));
                    if whole {
                        let end = start + phrase.len() - 1;
                        ranges.push(toks[start].1.start..toks[end].1.end);
                        found |= phrase.iter().fold(0, |m, &w| m | 1 << w);
                    }
                }
            }
        }
        (merge(ranges), found)
    }

    /// The mask with a bit for every query word.
    pub(crate) fn all_mask(&self) -> u32 {
        match self.words.len() {
            n if n >= 32 => u32::MAX,
            n => (1u32 << n) - 1,
        }
    }

    /// Whether every word of the query (and every phrase) occurs in `text`.
    pub fn matches_all(&self, text: &str) -> bool {
        !self.words.is_empty() && self.matches_with_mask(text).1 == self.all_mask()
    }

    /// Whether phrase number `p` stands whole in `text`.
    pub(crate) fn has_phrase(&self, text: &str, p: usize) -> bool {
        let Some(phrase) = self.phrases.get(p) else {
            return false;
        };
        let mut masks: Vec<u32> = Vec::new();
        tokens::for_each_word(text, |w, _| masks.push(self.match_mask(w)));
        (0..masks.len()).any(|start| {
            phrase
                .iter()
                .enumerate()
                .all(|(j, &w)| masks.get(start + j).is_some_and(|m| m & (1 << w) != 0))
        })
    }
}

/// Sorts ranges and joins the ones that overlap or touch.
pub(crate) fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Whether `a` and `b` are at most one edit apart: one letter changed,
/// added, dropped, or two neighbours swapped.
pub fn within_one(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        return within_one_slice(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    within_one_slice(&a, &b)
}

fn within_one_slice<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        if i == la {
            return true;
        }
        a[i + 1..] == b[i + 1..]
            || (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..])
    } else if la + 1 == lb {
        a[i..] == b[i + 1..]
    } else {
        a[i + 1..] == b[i..]
    }
}

/// Whether some beginning of `token` is within one edit of `word`.
pub fn prefix_within_one(word: &str, token: &str) -> bool {
    let n = word.chars().count();
    let ends: Vec<usize> = token
        .char_indices()
        .map(|(i, _)| i)
        .chain([token.len()])
        .collect();
    (n.saturating_sub(1)..=n + 1)
        .filter_map(|k| ends.get(k))
        .any(|&end| within_one(word, &token[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert!(within_one("nagorno", "nagarno"));
        assert!(within_one("nagorno", "nagrono"));
        assert!(within_one("nagorno", "nagorn"));
        assert!(within_one("nagorno", "nagorrno"));
        assert!(!within_one("nagorno", "nagarna"));
        assert!(within_one("café", "cafe"));
        assert!(prefix_within_one("nagor", "nagarno"));
        assert!(prefix_within_one("perdm", "perdamaian"));
        assert!(!prefix_within_one("perdx", "pxrdamaian"));
    }

    #[test]
    fn parse_words_phrases_prefix() {
        let q = Query::parse("Rusia \"penjaga perdamaian\" damai");
        let w: Vec<&str> = q.words().collect();
        assert_eq!(w, ["rusia", "penjaga", "perdamaian", "damai"]);
        assert_eq!(q.phrases, vec![vec![1, 2]]);
        assert!(q.words[3].prefix && !q.words[0].prefix);
        assert!(q.words[1].exact && !q.words[3].exact);
        assert!(!Query::parse("rusia ").words[0].prefix);
        assert!(!Query::parse("\"rusia\"").words[0].prefix);
        let open = Query::parse("\"penjaga perd");
        assert_eq!(open.phrases, vec![vec![0, 1]]);
        assert!(open.words[1].prefix);
        assert!(Query::parse(" \"\" !!").is_empty());
    }

    #[test]
    fn highlights_words_and_phrases() {
        let q = Query::parse("\"pasukan perdamaian\" rusia ");
        let text = "Pasukan Perdamaian Rusia, bukan pasukan lain; perdamaian.";
        let got: Vec<&str> = q
            .matches_in_text(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(got, ["Pasukan Perdamaian", "Rusia"]);
        assert!(q.matches_all(text));
        assert!(!q.matches_all("pasukan rusia perdamaian"));
    }
}
