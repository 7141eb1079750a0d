//! Saved feeds (RSS 0.9x to 2.0, RSS 1.0, Atom, read by `feed-rs`), one
//! article an item: its title, link, date, authors and categories, and its
//! content (or else its summary) turned into paragraphs. A feed saved under
//! a page's name is told by its first element.

use super::{body, html};
use crate::core::library::{Part, Problem};
use crate::core::parse::{self, clean_spaces, ParseOptions};
use crate::core::sanitize::sanitize;

/// Whether `bytes` start like a feed: its root element, after an XML
/// declaration, comments and white space, is `rss`, `feed` or `rdf:RDF`.
pub fn is_feed(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map_or("", |x| x.1).trim_start();
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map_or("", |x| x.1).trim_start();
        } else {
            break;
        }
    }
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    ["<rss", "<feed", "<rdf:rdf"].iter().any(|root| {
        lower.starts_with(root) && !lower[root.len()..].starts_with(char::is_alphanumeric)
    })
}

fn field(s: Option<&str>) -> Option<String> {
    s.map(|v| clean_spaces(&sanitize(v)))
        .filter(|v| !v.is_empty())
}

/// A feed's items as articles, each with its place among them.
pub fn load(bytes: &[u8], shown: &str) -> Result<super::table::Rows, Problem> {
    let feed = feed_rs::parser::parse(bytes).map_err(|e| Problem {
        path: shown.to_owned(),
        message: format!("not a feed: {e}; skipped"),
        io: false,
    })?;
    let site = field(feed.title.as_ref().map(|t| t.content.as_str()));
    let mut articles = Vec::with_capacity(feed.entries.len());
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let text = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .or(entry.summary.as_ref().map(|s| s.content.as_str()))
            .unwrap_or("");
        let mut a = if body::is_html(text) || text.contains("</") {
            parse::parse_text(&html::fragment_lines(text), ParseOptions::default())
        } else {
            parse::parse_text(
                &body::paragraphs(text),
                ParseOptions {
                    flattened: true,
                    markdown: false,
                },
            )
        };
        a.title = field(entry.title.as_ref().map(|t| t.content.as_str())).unwrap_or_default();
        a.meta.url = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .and_then(|l| field(Some(&l.href)));
        a.meta.date = entry
            .published
            .or(entry.updated)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let authors: Vec<String> = entry
            .authors
            .iter()
            // RSS writes `mail (Name)`, and the name keeps its brackets.
            .filter_map(|p| {
                field(
                    p.name
                        .as_deref()
                        .map(|n| n.trim().trim_start_matches('(').trim_end_matches(')')),
                )
            })
            .collect();
        a.meta.author = (!authors.is_empty()).then(|| authors.join(", "));
        a.meta.source.clone_from(&site);
        a.meta.tags = entry
            .categories
            .iter()
            .filter_map(|c| field(Some(c.label.as_deref().unwrap_or(&c.term))))
            .collect();
        parse::ensure_title(&mut a, "");
        crate::core::date::settle(&mut a.meta, crate::core::date::Order::DayFirst);
        a.origin = format!("{shown}#{}", i + 1);
        articles.push((a, Part::Item(i as u32)));
    }
    Ok((articles, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_told_by_their_root() {
        assert!(is_feed(
            b"<?xml version=\"1.0\"?>\n<!-- x -->\n<rss version=\"2.0\">"
        ));
        assert!(is_feed(
            b"\xef\xbb\xbf<feed xmlns=\"http://www.w3.org/2005/Atom\">"
        ));
        assert!(is_feed(b"<rdf:RDF xmlns:rdf=\"x\">"));
        assert!(!is_feed(b"<!DOCTYPE html><html><body>rss</body></html>"));
        assert!(!is_feed(b"<feedback>"));
        assert!(!is_feed(b""));
        assert!(!is_feed(b"<?xml"));
    }
}
