//! Markdown (`.md`) articles: front matter, headings (ATX and underlined),
//! paragraphs joined across their wrapped lines, lists and quotes as
//! paragraphs, links reduced to their text (so "Baca juga: [Judul](url)"
//! is a link like any other), emphasis, images and raw HTML dropped.
//!
//! CommonMark is read with pulldown-cmark into native text (see
//! [`super::native`]), which is then parsed like any native file. A
//! leading `# Title` gives the title when the front matter has none.

use super::super::article::Article;
use super::super::parse::{self, clean_spaces};
use super::super::sanitize::{sanitize, unicode_breaks};
use super::{native, ImportError};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Reads a Markdown file from its bytes.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Article, ImportError> {
    parse::decode_then(bytes, |text| parse(&unicode_breaks(text), name))
        .map_err(|_| ImportError::Binary)
}

/// Parses Markdown text; `name` is the file name, for title inference.
pub fn parse(text: &str, name: &str) -> Article {
    let (native_text, md_title) = to_native(text);
    let mut article = native::parse_untitled(&native_text);
    if article.title.is_empty() {
        if let Some(t) = md_title {
            article.title = t;
        }
    }
    parse::ensure_title(&mut article, name);
    article
}

/// Markdown → native text, and the text of a `# Title` heading that came
/// before any other block (left out of the text).
pub fn to_native(text: &str) -> (String, Option<String>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (front, body) = split_front_matter(text);
    let mut out = Lines {
        text: String::with_capacity(text.len()),
        cur: String::new(),
        blocks: 0,
    };
    out.text.push_str(front);
    if !front.is_empty() && !front.ends_with('\n') {
        out.text.push('\n');
    }
    let mut title = None;
    let mut heading: Option<pulldown_cmark::HeadingLevel> = None;
    // Inside an image the text events are its alt text, which is no part
    // of the article's prose.
    let mut in_image = 0usize;
    let opts = Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(body, opts) {
        match event {
            Event::Start(Tag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            _ if in_image > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                out.flush();
                heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = clean_spaces(&std::mem::take(&mut out.cur));
                let level = heading.take();
                if text.is_empty() {
                    continue;
                }
                if level == Some(pulldown_cmark::HeadingLevel::H1)
                    && title.is_none()
                    && out.blocks == 0
                {
                    // The rest of the text is cleaned when the native text
                    // is parsed; the title skips that, so it is cleaned here.
                    title = Some(clean_spaces(&sanitize(&text)));
                } else {
                    out.line(&format!("## {text}"));
                }
            }
            Event::Start(
                Tag::Paragraph | Tag::Item | Tag::BlockQuote(_) | Tag::CodeBlock(_) | Tag::List(_),
            )
            | Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::CodeBlock
                | TagEnd::List(_),
            )
            | Event::HardBreak
            | Event::Rule => out.flush(),
            Event::Text(t) => {
                // Only a code block's text holds line breaks; each of its
                // lines is a line of the article.
                let mut parts = t.split('\n');
                if let Some(first) = parts.next() {
                    out.cur.push_str(first);
                }
                for part in parts {
                    out.flush();
                    out.cur.push_str(part);
                }
            }
            Event::Code(t) => out.cur.push_str(&t),
            Event::SoftBreak => out.cur.push(' '),
            // Raw HTML, footnote marks, task boxes and maths are not prose.
            _ => {}
        }
    }
    out.flush();
    (out.text, title)
}

struct Lines {
    text: String,
    cur: String,
    blocks: usize,
}

impl Lines {
    /// Ends the current paragraph line. A line the native reader would
    /// take for an escape is escaped itself, so it stays the text it is.
    fn flush(&mut self) {
        let line = clean_spaces(&std::mem::take(&mut self.cur));
        if line.is_empty() {
            return;
        }
        if line.starts_with(['\\', '#']) {
            self.line(&format!("\\{line}"));
        } else {
            self.line(&line);
        }
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
        self.blocks += 1;
    }
}

/// A `---` block at the very top (the native parser's rule) and the rest.
fn split_front_matter(text: &str) -> (&str, &str) {
    let mut offset = 0;
    let mut opened = false;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !opened {
            if t.is_empty() {
                offset += line.len();
                continue;
            }
            if t != "---" {
                return ("", text);
            }
            opened = true;
        } else if matches!(t, "---" | "...") {
            let end = offset + line.len();
            return (&text[..end], &text[end..]);
        }
        offset += line.len();
    }
    ("", text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::Block;

    fn texts(a: &Article) -> Vec<String> {
        a.blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text } => format!("H {text}"),
                Block::Paragraph { text } => format!("P {text}"),
                Block::Link(l) => format!("L {}", l.target.as_deref().unwrap_or("-")),
            })
            .collect()
    }

    #[test]
    fn wrapped_paragraphs_headings_links_and_emphasis() {
        let md = "# Judul Utama\n\nParagraf pertama yang\nterbungkus dua baris.\n\n## Mengapa Naik?\n\nBaca juga: [Harga Cabai Naik](https://x.test/a)\n\nTeks **tebal** dan _miring_ ![foto](a.jpg).\n";
        let a = parse(md, "x.md");
        assert_eq!(a.title, "Judul Utama");
        assert_eq!(
            texts(&a),
            [
                "P Paragraf pertama yang terbungkus dua baris.",
                "H Mengapa Naik?",
                "L Harga Cabai Naik",
                "P Teks tebal dan miring ."
            ]
        );
    }

    #[test]
    fn front_matter_wins_over_the_heading_title() {
        let md = "---\ntitle: Dari Depan\ndate: 2024-12-05\n---\n# Judul Lain\n\nIsi artikel.\n";
        let a = parse(md, "x.md");
        assert_eq!(a.title, "Dari Depan");
        assert_eq!(a.meta.date.as_deref(), Some("2024-12-05"));
        assert_eq!(texts(&a), ["P Isi artikel."]);
    }

    #[test]
    fn underlined_heading_lists_and_escaped_hash() {
        let md = "Isi pembuka.\n\nBagian Dua\n----------\n\n- butir satu.\n- butir dua.\n\n\\# bukan judul\n";
        let a = parse(md, "x.md");
        assert_eq!(
            texts(&a),
            [
                "P Isi pembuka.",
                "H Bagian Dua",
                "P butir satu.",
                "P butir dua.",
                "P # bukan judul"
            ]
        );
    }

    #[test]
    fn raw_html_is_dropped() {
        let a = parse(
            "<div class=\"iklan\">x</div>\n\nIsi <b>tebal</b> saja.\n",
            "x.md",
        );
        assert_eq!(texts(&a), ["P Isi tebal saja."]);
    }
}
