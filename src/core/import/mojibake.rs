//! Text damaged by a wrong decoding, repaired where the repair is certain:
//! UTF-8 read as Windows-1252, Latin-1 or Mac Roman ("â€™", "Ã©",
//! "‚Äù"), and the `_x000D_` spreadsheets write for a carriage return.
//!
//! A run of non-ASCII characters is one damaged character when, encoded
//! back in one of those single-byte encodings (`encoding_rs`), its bytes
//! are valid UTF-8 of something else: real text almost never holds two
//! accented letters whose bytes happen to form UTF-8. A lone character, or
//! a run that is no such thing, is left as it is.

use std::borrow::Cow;

/// Single-byte encodings a UTF-8 text is often read in, most common first.
fn encodings() -> [&'static encoding_rs::Encoding; 2] {
    [encoding_rs::WINDOWS_1252, encoding_rs::MACINTOSH]
}

/// The text repaired, and how many places were; `Cow::Borrowed` when
/// nothing was.
pub fn repair(text: &str) -> (Cow<'_, str>, usize) {
    let has_run = text
        .as_bytes()
        .windows(2)
        .any(|w| w[0] >= 0x80 && w[1] >= 0x80);
    if !has_run && !text.contains("_x000D_") {
        return (Cow::Borrowed(text), 0);
    }
    let mut fixed = 0;
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_ascii()) {
        out.push_str(&rest[..start]);
        let run_len = rest[start..]
            .find(|c: char| c.is_ascii())
            .unwrap_or(rest.len() - start);
        let run = &rest[start..start + run_len];
        match repair_run(run) {
            Some(r) => {
                out.push_str(&r);
                fixed += 1;
            }
            None => out.push_str(run),
        }
        rest = &rest[start + run_len..];
    }
    out.push_str(rest);
    let crs = out.matches("_x000D_").count();
    if crs > 0 {
        out = out.replace("_x000D_", "");
        fixed += crs;
    }
    if fixed == 0 {
        return (Cow::Borrowed(text), 0);
    }
    (Cow::Owned(out), fixed)
}

/// One run of non-ASCII characters, decoded as it should have been.
fn repair_run(run: &str) -> Option<String> {
    // A lone character is never certain.
    run.chars().nth(1)?;
    for enc in encodings() {
        let (bytes, _, unmappable) = enc.encode(run);
        if unmappable {
            continue;
        }
        if let Ok(s) = std::str::from_utf8(&bytes) {
            // Text that is already right stays right: a repair yields
            // fewer characters than it was given.
            if s.chars().count() < run.chars().count() {
                return Some(s.to_owned());
            }
        }
    }
    None
}

/// The problem an article gets for `n` repaired places.
pub fn problem(n: usize) -> String {
    format!(
        "{n} place{} of text decoded twice (UTF-8 read as Windows-1252 or Mac Roman) repaired",
        if n == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repaired_when_certain() {
        let cases: &[(&str, &str, usize)] = &[
            // Windows-1252.
            (
                "Kata â€œkutipâ€\u{9d} dan itâ€™s",
                "Kata “kutip” dan it’s",
                3,
            ),
            ("CafÃ© baru", "Café baru", 1),
            // Mac Roman, as the CLICK-ID spreadsheets have it.
            (
                "Jakarta -¬†Harga naik,‚ÄúSekarang kami fokus,‚Äù ujarnya",
                "Jakarta -\u{a0}Harga naik,“Sekarang kami fokus,” ujarnya",
                3,
            ),
            ("Baris satu_x000D_\nBaris dua", "Baris satu\nBaris dua", 1),
        ];
        for (damaged, want, n) in cases {
            let (got, fixed) = repair(damaged);
            assert_eq!(got, *want, "{damaged}");
            assert_eq!(fixed, *n, "{damaged}");
        }
    }

    #[test]
    fn left_alone_otherwise() {
        for text in [
            "Café, naïve, São Paulo, Zürich",
            "Harga 5 € — naik “tajam”",
            "Ωμέγα 日本語 😀",
            "éè àç",
            "Teks biasa tanpa apa-apa.",
        ] {
            let (got, fixed) = repair(text);
            assert_eq!(got, text);
            assert_eq!(fixed, 0, "{text}");
            assert!(matches!(got, Cow::Borrowed(_)));
        }
    }
}
