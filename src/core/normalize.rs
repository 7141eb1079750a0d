//! Folds titles and queries to a comparable form: lower case, no
//! diacritics, quotes and dashes unified, "&" read as "dan", punctuation
//! dropped, one space between words.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// The folded form of `s`; words are separated by single spaces.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    let push_word_char = |out: &mut String, c: char, pending: &mut bool| {
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.push(c);
    };
    for c in s.chars() {
        if c == '&' {
            pending_space = true;
            for d in "dan".chars() {
                push_word_char(&mut out, d, &mut pending_space);
            }
            pending_space = true;
            continue;
        }
        // Apostrophes join a word ("Jum'at"), they do not split it.
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            continue;
        }
        // Titles are mostly ASCII: fold it without the Unicode tables.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                push_word_char(&mut out, c.to_ascii_lowercase(), &mut pending_space);
            } else {
                pending_space = true;
            }
            continue;
        }
        let mut base = None;
        decompose_canonical(c, |d| {
            if base.is_none() && !is_combining_mark(d) {
                base = Some(d);
            }
        });
        let Some(b) = base else { continue };
        if b.is_alphanumeric() {
            for l in b.to_lowercase() {
                push_word_char(&mut out, l, &mut pending_space);
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// The folded words of `s`.
pub fn words(s: &str) -> Vec<String> {
    normalize(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn folds_case_diacritics_quotes_dashes_and_ampersand() {
        assert_eq!(
            normalize("“Armenia, Azerbaijan & Rusia” — Sepakat Damai"),
            "armenia azerbaijan dan rusia sepakat damai"
        );
        assert_eq!(normalize("Café Ñandú"), "cafe nandu");
        assert_eq!(normalize("Nagorno-Karabakh"), "nagorno karabakh");
        assert_eq!(normalize("Jum'at  ,  ok"), "jumat ok");
    }

    #[test]
    fn empty_and_punctuation_only() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" ... !!"), "");
    }
}
