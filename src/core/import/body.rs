//! Article bodies in the shapes scrapers store them in a table cell or a
//! JSON field, turned into one paragraph a line for the parser: a Python or
//! JSON list of paragraphs written as text, paragraphs joined by `||`, or
//! text already one paragraph a line (kept as it is, as is text glued with
//! `,` or nothing, which the link finder takes apart).

use std::borrow::Cow;

/// Whether a body is HTML rather than text: it closes a paragraph, a
/// block or a list item, or breaks a line, as read-later exports keep
/// `content`. A stray `<` in prose is not enough.
pub fn is_html(raw: &str) -> bool {
    let head: String = raw
        .chars()
        .take(64 * 1024)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "</p>",
        "</div>",
        "</li>",
        "<br>",
        "<br/>",
        "<br />",
        "</h2>",
        "</blockquote>",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// The body as one paragraph a line.
pub fn paragraphs(raw: &str) -> Cow<'_, str> {
    let trimmed = raw.trim();
    if let Some(items) = list_as_text(trimmed) {
        return Cow::Owned(join(items.iter().map(String::as_str)));
    }
    if trimmed.contains("||") {
        return Cow::Owned(join(trimmed.split("||")));
    }
    Cow::Borrowed(raw)
}

/// Paragraphs one a line, blank ones left out. A paragraph holding line
/// breaks of its own keeps them: they were lines in the source too.
fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for item in items.map(str::trim).filter(|s| !s.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(item);
    }
    out
}

/// The strings of `text` when the whole of it is a list of strings as
/// Python's `repr` or JSON writes one; `None` for anything else, so text
/// that merely starts with a bracket is kept as written.
fn list_as_text(text: &str) -> Option<Vec<String>> {
    if !(text.starts_with('[') && text.ends_with(']')) {
        return None;
    }
    if let Ok(items) = serde_json::from_str::<Vec<String>>(text) {
        return Some(items);
    }
    python_list(text)
}

/// A Python list of `str` literals: `['a', "b's", 'c\n']`. Python's own
/// escapes are undone; anything else (a number, a bare word, a quote left
/// open) makes it not such a list.
fn python_list(text: &str) -> Option<Vec<String>> {
    let mut chars = text.strip_prefix('[')?.chars().peekable();
    let mut items = Vec::new();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next()? {
            ']' if items.is_empty() => break,
            q @ ('\'' | '"') => items.push(python_string(&mut chars, q)?),
            _ => return None,
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        match chars.next()? {
            ',' => {
                // A trailing comma before the bracket is allowed.
                while chars.next_if(|c| c.is_whitespace()).is_some() {}
                if chars.next_if_eq(&']').is_some() {
                    break;
                }
            }
            ']' => break,
            _ => return None,
        }
    }
    chars.next().is_none().then_some(items)
}

/// The rest of a string literal opened by `quote`, escapes undone.
fn python_string(chars: &mut impl Iterator<Item = char>, quote: char) -> Option<String> {
    let mut s = String::new();
    loop {
        match chars.next()? {
            c if c == quote => return Some(s),
            '\\' => match chars.next()? {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                'x' => s.push(hex_char(chars, 2)?),
                'u' => s.push(hex_char(chars, 4)?),
                'U' => s.push(hex_char(chars, 8)?),
                c @ ('\\' | '\'' | '"') => s.push(c),
                // Python keeps an unknown escape as written.
                c => {
                    s.push('\\');
                    s.push(c);
                }
            },
            c => s.push(c),
        }
    }
}

fn hex_char(chars: &mut impl Iterator<Item = char>, digits: usize) -> Option<char> {
    let hex: String = chars.take(digits).collect();
    if hex.len() != digits {
        return None;
    }
    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let cases: &[(&str, &str)] = &[
            // A Python list, with both quotes and escapes.
            (
                r#"['Pertama, kata dia.', "Kedua: 'kutip'.", 'Ketiga\'s \xe9\n']"#,
                "Pertama, kata dia.\nKedua: 'kutip'.\nKetiga's é",
            ),
            // A JSON list.
            (r#"["Satu \"dua\"", "Tiga"]"#, "Satu \"dua\"\nTiga"),
            // Blank items and a trailing comma.
            ("['Satu', '', '  ', 'Dua',]", "Satu\nDua"),
            ("[]", ""),
            // Joined by `||`, blank parts dropped.
            (
                "Satu kalimat.||Dua kalimat.|| ||Tiga.",
                "Satu kalimat.\nDua kalimat.\nTiga.",
            ),
            // Lines, commas and glued text stay as written.
            ("Satu.\nDua.", "Satu.\nDua."),
            (",,,Satu.,Dua.", ",,,Satu.,Dua."),
            ("Satu.Baca juga: Judul lain", "Satu.Baca juga: Judul lain"),
            // Brackets that are no list of strings.
            ("[Foto] Warga berkumpul.", "[Foto] Warga berkumpul."),
            ("[1, 2]", "[1, 2]"),
            ("['terbuka, tanpa tutup]", "['terbuka, tanpa tutup]"),
            ("['a' 'b']", "['a' 'b']"),
            ("['a'] ekor]", "['a'] ekor]"),
        ];
        for (raw, want) in cases {
            assert_eq!(paragraphs(raw), *want, "{raw}");
        }
    }

    #[test]
    fn html_is_told_from_text() {
        assert!(is_html("<p>Satu.</p><p>Dua.</p>"));
        assert!(is_html("Satu.<br>Dua."));
        assert!(is_html("<DIV>Satu</DIV>"));
        assert!(!is_html("Harga naik <5% tahun ini, > perkiraan."));
        assert!(!is_html("Satu.\nDua."));
    }

    #[test]
    fn bad_escapes_never_panic() {
        for raw in ["['\\x']", "['\\u12']", "['\\U0011ffff']", "['\\", "['\\q']"] {
            let out = paragraphs(raw);
            assert!(out == raw || out == "\\q", "{raw} gave {out}");
        }
    }
}
