//! The native text format both ways: reading it (the parser's rules, with
//! `ParseOptions::default()`), and writing any [`Article`] so that reading
//! it back gives the same title, metadata and blocks.
//!
//! The format is the one `parse` reads: an optional front-matter block,
//! then one block a line — a "Baca juga: …" line is a link, a short line
//! without final punctuation is a subheading, anything else a paragraph —
//! with two escapes for what those rules cannot say: `## text` is always a
//! heading and `\text` always a paragraph (see `parse::parse_text`).
//!
//! The writer uses plain lines wherever they read back right and an escape
//! only where they would not. A paragraph that followed a link glued to it
//! on one line (an inline "Baca juga: X" with the next sentence after it)
//! is written back on that link's line after two spaces, which is how the
//! parser splits such a line, so the link stays `glued` and the paragraph
//! stays a paragraph without any escape.
//!
//! `glued` (the title's end was a guess the library's titles may settle)
//! does not always round-trip: a link written on a line of its own reads
//! back as a guess when its title could also end earlier ("Minat
//! investasi? SBR005 …"), and as certain otherwise. The blocks and their
//! text do round-trip, but for these: a title listed under an earlier
//! marker ("Baca Juga: - Satu - Dua", headlines under a bare "Baca Juga")
//! comes back as a link of its own with its marker written out; a title or value
//! that is empty (left out, so the title is inferred again), tags holding
//! commas (split), keys the parser would not read as keys, and text the
//! sanitizer would change.

use super::super::article::{Article, Block, Link};
use super::super::parse::{self, clean_spaces, ParseOptions};
use super::super::sanitize::unicode_breaks;
use super::ImportError;
use std::fmt::Write as _;

/// Reads a native text file from its bytes; undecodable bytes are replaced
/// and noted as a problem, as `parse::parse_bytes` does.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Article, ImportError> {
    parse::decode_then(bytes, |text| parse(&unicode_breaks(text), name))
        .map_err(|_| ImportError::Binary)
}

/// Parses native text; infers a title when the text has none, from `name`
/// among others (see `parse::parse_str`).
pub fn parse(text: &str, name: &str) -> Article {
    parse::parse_str(text, name, ParseOptions::default())
}

/// [`parse`] without title inference: the title is empty when the front
/// matter gives none.
pub fn parse_untitled(text: &str) -> Article {
    parse::parse_text(text, ParseOptions::default())
}

/// Front-matter keys the parser reads into `Meta` fields (or the title), so
/// an `extra` entry under one of them could not come back as extra.
const KNOWN_KEYS: &[&str] = &[
    "title", "date", "source", "site", "url", "link", "author", "tags",
];

/// The article as native text: front matter (title, date, source, url,
/// author, tags, other keys), then one block a line, escaped where needed.
pub fn to_native_text(a: &Article) -> String {
    let mut out = String::with_capacity(
        64 + a.title.len() + a.blocks.iter().map(|b| b.text().len() + 1).sum::<usize>(),
    );
    out.push_str("---\n");
    push_field(&mut out, "title", &clean_spaces(&a.title));
    let m = &a.meta;
    for (key, value) in [
        ("date", &m.date),
        ("source", &m.source),
        ("url", &m.url),
        ("author", &m.author),
    ] {
        if let Some(v) = value {
            push_field(&mut out, key, v);
        }
    }
    let tags: Vec<String> = m
        .tags
        .iter()
        .map(|t| quoted(&one_line(t)))
        .filter(|t| !t.is_empty())
        .collect();
    if !tags.is_empty() {
        let _ = writeln!(out, "tags: [{}]", tags.join(", "));
    }
    for (key, value) in &m.extra {
        // The parser's keys: a word of letters, digits, `_`, `-`, `.`.
        let plain_key = !key.is_empty()
            && key.len() <= 40
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
            && key.to_lowercase() == *key
            && !KNOWN_KEYS.contains(&key.as_str());
        if plain_key {
            push_field(&mut out, key, value);
        }
    }
    out.push_str("---\n");

    let mut i = 0;
    while i < a.blocks.len() {
        // A marker with no title takes a headline on the next line as its
        // title: after one, a paragraph or heading is written escaped.
        let after_bare =
            i > 0 && matches!(&a.blocks[i - 1], Block::Link(Link { target: None, .. }));
        let line = match &a.blocks[i] {
            Block::Paragraph { text } if after_bare => format!("\\{}", one_line(text)),
            Block::Heading { text } if after_bare => format!("## {}", one_line(text)),
            block => block_line(block),
        };
        if line.is_empty() {
            i += 1;
            continue;
        }
        out.push_str(&line);
        // The paragraph that followed a glued link on its line goes back on
        // that line, when the two read back so: a paragraph that opens with
        // a marker of its own would be read as a second link there, and
        // goes on a line of its own instead (the link reads back unglued).
        if let (Block::Link(Link { glued: true, .. }), Some(next @ Block::Paragraph { text })) =
            (&a.blocks[i], a.blocks.get(i + 1))
        {
            let joined = format!("{line}  {}", one_line(text));
            let back = parse_untitled(&joined);
            if back.blocks.len() == 2 && back.blocks[1] == *next {
                out.push_str("  ");
                out.push_str(&one_line(text));
                i += 1;
            }
        }
        out.push('\n');
        i += 1;
    }
    out
}

/// One block as a line of its own that reads back as that same block.
fn block_line(block: &Block) -> String {
    match block {
        Block::Paragraph { text } => {
            let text = one_line(text);
            if text.is_empty() || plain_prose(&text) || reads_back(&text, block) {
                text
            } else {
                format!("\\{text}")
            }
        }
        Block::Heading { text } => {
            let text = one_line(text);
            if text.is_empty() || reads_back(&text, block) {
                text
            } else {
                format!("## {text}")
            }
        }
        Block::Link(link) => link_line(link),
    }
}

/// The link as written when that reads back as the same link, else the
/// marker and target written out ("Baca juga: Judul").
fn link_line(link: &Link) -> String {
    let alone = Link {
        glued: false,
        ..link.clone()
    };
    let want = Block::Link(alone);
    let written = one_line(&link.text);
    if reads_back(&written, &want) {
        return written;
    }
    let video = if link.kind == super::super::article::LinkKind::Video {
        " Video"
    } else {
        ""
    };
    match (&link.target, &link.url) {
        (Some(t), Some(url)) => format!("{}{video}: [{}]({url})", link.marker, one_line(t)),
        (Some(t), None) => format!("{}{video}: {}", link.marker, one_line(t)),
        (None, _) => format!("{}{video}", link.marker),
    }
}

/// A sentence that ends in a full stop and holds no colon is neither a
/// subheading (those have no final punctuation) nor a link (markers need a
/// colon, or stand alone): the common case, settled without parsing.
fn plain_prose(text: &str) -> bool {
    text.ends_with('.') && !text.contains(':') && !text.starts_with(['\\', '#'])
}

/// Whether `line`, read alone, gives exactly `block`.
fn reads_back(line: &str, block: &Block) -> bool {
    let a = parse_untitled(line);
    a.blocks.len() == 1 && a.blocks[0] == *block
}

fn one_line(s: &str) -> String {
    if s.contains(['\n', '\r']) {
        clean_spaces(s)
    } else {
        s.trim().to_owned()
    }
}

fn push_field(out: &mut String, key: &str, value: &str) {
    let value = quoted(&one_line(value));
    if !value.is_empty() {
        let _ = writeln!(out, "{key}: {value}");
    }
}

/// The parser drops one pair of matching quotes around a value, so a value
/// that has them is wrapped in the other kind.
pub(crate) fn quoted(v: &str) -> String {
    let wrapped = |q: char| v.len() >= 2 && v.starts_with(q) && v.ends_with(q);
    if wrapped('"') {
        format!("'{v}'")
    } else if wrapped('\'') {
        format!("\"{v}\"")
    } else {
        v.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::LinkKind;

    fn p(t: &str) -> Block {
        Block::Paragraph { text: t.into() }
    }
    fn h(t: &str) -> Block {
        Block::Heading { text: t.into() }
    }

    #[test]
    fn escapes_read_as_their_block() {
        let a = parse_untitled(
            "## Mengapa Harga Naik?\n\\Penjaga perdamaian Rusia\n\\Baca juga: bukan tautan\n\\\\x\nBiasa saja.",
        );
        assert_eq!(
            a.blocks,
            [
                h("Mengapa Harga Naik?"),
                p("Penjaga perdamaian Rusia"),
                p("Baca juga: bukan tautan"),
                p("\\x"),
                p("Biasa saja.")
            ]
        );
    }

    #[test]
    fn escapes_in_front_matter_are_left_alone() {
        let a = parse_untitled("---\ntitle: A\n# komentar\n---\n# Judul Bagian\nIsi.");
        assert_eq!(a.title, "A");
        assert_eq!(a.blocks, [h("Judul Bagian"), p("Isi.")]);
    }

    #[test]
    fn empty_escapes_give_no_block_and_titles_are_inferred_after() {
        let a = parse("## \n\\\n# Judul Di Atas\nIsi paragraf pertama.", "x.txt");
        assert_eq!(a.title, "Judul Di Atas");
        assert_eq!(a.blocks, [p("Isi paragraf pertama.")]);
    }

    #[test]
    fn quoted_values_keep_their_quotes() {
        assert_eq!(
            quoted("\"Rakyat\" kata \"dia\""),
            "'\"Rakyat\" kata \"dia\"'"
        );
        assert_eq!(quoted("'a'"), "\"'a'\"");
        assert_eq!(quoted("\"a'"), "\"a'");
        assert_eq!(quoted("\""), "\"");
    }

    #[test]
    fn link_written_out_when_its_text_disagrees() {
        let link = Link {
            text: "tautan".into(),
            marker: "Simak juga".into(),
            target: Some("Detik-detik Banjir".into()),
            kind: LinkKind::Video,
            url: None,
            glued: false,
        };
        assert_eq!(link_line(&link), "Simak juga Video: Detik-detik Banjir");
        let with_url = Link {
            kind: LinkKind::Article,
            marker: "Baca juga".into(),
            url: Some("https://contoh.test/banjir".into()),
            ..link
        };
        assert_eq!(
            link_line(&with_url),
            "Baca juga: [Detik-detik Banjir](https://contoh.test/banjir)"
        );
        assert_eq!(
            parse_untitled(&link_line(&with_url)).blocks,
            vec![Block::Link(Link {
                text: "Baca juga: [Detik-detik Banjir](https://contoh.test/banjir)".into(),
                ..with_url.clone()
            })]
        );
    }
}
