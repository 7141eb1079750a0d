//! Splits text into folded words together with their byte ranges in the
//! original text, folding exactly as [`crate::core::normalize`] does, so a
//! word of the index, of a query and of a highlight are one and the same.

use std::ops::Range;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// What one character does to the word being read.
enum Fold {
    /// Part of a word; the folded (lower case, undecorated) character.
    Letter(char),
    /// Ends the word.
    Break,
    /// Joins without adding anything: apostrophes ("Jum'at") and lone
    /// combining marks.
    Skip,
    /// "&", read as the word "dan".
    And,
}

fn fold(c: char) -> Fold {
    if c.is_ascii() {
        return match c {
            'a'..='z' | '0'..='9' => Fold::Letter(c),
            'A'..='Z' => Fold::Letter(c.to_ascii_lowercase()),
            '&' => Fold::And,
            '\'' | '`' => Fold::Skip,
            _ => Fold::Break,
        };
    }
    if matches!(c, '\u{2019}' | '\u{2018}') {
        return Fold::Skip;
    }
    let mut base = None;
    decompose_canonical(c, |d| {
        if base.is_none() && !is_combining_mark(d) {
            base = Some(d);
        }
    });
    match base {
        None => Fold::Skip,
        Some(b) if b.is_alphanumeric() => {
            // Lower-casing can give several characters (rarely); the first
            // is the letter a reader sees.
            Fold::Letter(b.to_lowercase().next().unwrap_or(b))
        }
        Some(_) => Fold::Break,
    }
}

/// `c` lower-cased without diacritics when it is a letter or digit
/// ("É" → 'e'), else `c` lower-cased.
pub(crate) fn fold_char(c: char) -> char {
    match fold(c) {
        Fold::Letter(l) => l,
        _ => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Calls `f(word, range)` for each folded word of `text`; `range` is where
/// the word stands in `text` (for "&" the range of the "&").
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, Range<usize>)) {
    // Most words are lower-case ASCII already: those are handed out as
    // slices of `text`; `word` is filled only once a letter differs.
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(32);
    let (mut start, mut end) = (0, 0);
    let mut in_word = false;
    let mut copied = false;
    let mut flush = |in_word: &mut bool, copied: bool, word: &str, start: usize, end: usize| {
        if *in_word {
            if copied {
                f(word, start..end);
            } else {
                f(&text[start..end], start..end);
            }
            *in_word = false;
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (folded, len) = if b < 0x80 {
            let f = match b {
                b'a'..=b'z' | b'0'..=b'9' => Fold::Letter(b as char),
                b'A'..=b'Z' => Fold::Letter(b.to_ascii_lowercase() as char),
                b'&' => Fold::And,
                b'\'' | b'`' => Fold::Skip,
                _ => Fold::Break,
            };
            (f, 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (fold(c), c.len_utf8())
        };
        match folded {
            Fold::Letter(l) => {
                if !in_word {
                    in_word = true;
                    copied = false;
                    start = i;
                }
                if !copied && (len > 1 || l as u32 != u32::from(b)) {
                    copied = true;
                    word.clear();
                    word.push_str(&text[start..i]);
                }
                if copied {
                    word.push(l);
                }
                end = i + len;
            }
            Fold::Skip => {
                if in_word && !copied {
                    copied = true;
                    word.clear();
                    word.push_str(&text[start..end]);
                }
            }
            Fold::Break => flush(&mut in_word, copied, &word, start, end),
            Fold::And => {
                flush(&mut in_word, copied, &word, start, end);
                in_word = true;
                copied = true;
                word.clear();
                word.push_str("dan");
                flush(&mut in_word, copied, &word, i, i + 1);
            }
        }
        i += len;
    }
    flush(&mut in_word, copied, &word, start, end);
}

/// The folded words of `text` with their ranges.
#[cfg(test)]
pub fn words(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    for_each_word(text, |w, r| out.push((w.to_owned(), r)));
    out
}

/// Folds `text` character by character for substring search: lower case,
/// no diacritics, curly quotes made straight, every other character kept.
/// Returns the folded string and, for each of its bytes, the range of the
/// original character it came from.
pub fn fold_for_find(text: &str) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let src = i..i + c.len_utf8();
        let folded = match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            _ => match fold(c) {
                Fold::Letter(l) => l,
                Fold::Skip if !c.is_ascii() => continue,
                _ => c.to_lowercase().next().unwrap_or(c),
            },
        };
        let before = out.len();
        out.push(folded);
        for _ in before..out.len() {
            map.push(src.clone());
        }
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::normalize;

    #[test]
    fn same_words_as_normalize() {
        for s in [
            "“Armenia, Azerbaijan & Rusia” — Sepakat Damai",
            "Café Ñandú Jum'at  ,  ok",
            "Nagorno-Karabakh 2.000 tahun1991 A&B",
            "e\u{301}te\u{301} ÀÉÎÕÜ straße İstanbul",
            "",
            " ... !!",
        ] {
            let ours: Vec<String> = words(s).into_iter().map(|(w, _)| w).collect();
            assert_eq!(ours, normalize::words(s), "{s}");
        }
    }

    #[test]
    fn ranges_point_at_the_original_word() {
        let s = "Kota “Susha”, Café-Nagarno";
        let got: Vec<&str> = words(s).into_iter().map(|(_, r)| &s[r]).collect();
        assert_eq!(got, ["Kota", "Susha", "Café", "Nagarno"]);
    }

    #[test]
    fn fold_for_find_maps_bytes_back() {
        let (f, map) = fold_for_find("Café “A”");
        assert_eq!(f, "cafe \"a\"");
        assert_eq!(map.len(), f.len());
        assert_eq!(map[3], 3..5);
    }
}
