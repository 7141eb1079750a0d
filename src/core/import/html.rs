//! Saved web pages (`.html`): finds the article in the page — body, title,
//! date, source, url, author and its "Baca juga" boxes — and drops the rest
//! (navigation, scripts, styles, ads, share bars, comments, footers).
//!
//! The page is parsed by html5ever (through `scraper`) and read in three
//! passes:
//!
//! 1. Metadata from `<meta>` (Open Graph, `article:*`, `itemprop`), the
//!    canonical link, JSON-LD and `<title>`; the title loses its " - Site"
//!    suffix, preferably by matching a heading on the page.
//! 2. The body: candidates are `itemprop="articleBody"`, class names news
//!    sites use (`read__content`, `detail__body-text`, …), `<article>`, and
//!    the element holding the most paragraph text (text outside links, in
//!    runs long enough to be prose, readability-style). Of the candidates
//!    holding at least 80% of the best one's text the deepest wins, so a
//!    precise container beats the `<article>` around it.
//! 3. "Baca juga" boxes: a link belongs to one when the label before it or
//!    before one of its near ancestors reads "Baca juga", "Baca", "Lihat
//!    juga", "Simak juga", "Berita terkait", "Artikel terkait" or
//!    "Terkait", or when such an ancestor's class or id says so and no
//!    other label ("Forum", "Foto Video Terkait") claims it first.
//!
//! The result is native text (front matter; a paragraph a line; `<h2>`…
//! as `## ` headings; each box link as "Baca juga: <title>", in place when
//! the box sits in the body, after the body otherwise), parsed by
//! [`super::native::parse`] like any native file.

use super::super::article::{Article, Block};
use super::super::normalize::normalize;
use super::super::parse::clean_spaces;
use super::super::parse::looks_binary;
use super::super::sanitize::sanitize;
use super::super::search::date_key;
use super::native::{self, quoted};
use super::ImportError;
use scraper::{ElementRef, Html, Node};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

/// Reads a saved page from its bytes.
pub fn parse_bytes(bytes: &[u8], name: &str) -> Result<Article, ImportError> {
    if looks_binary(bytes) {
        return Err(ImportError::Binary);
    }
    let (text, problem) = decode(bytes);
    let (native_text, flattened) = match nesting::flat_text_if_too_deep(&text) {
        Some(flat) => (flat, true),
        None => (to_native(&text).ok_or(ImportError::NoArticle)?, false),
    };
    let mut article = native::parse(&native_text, name);
    if flattened {
        article.problems.insert(
            0,
            format!(
                "elements nested more than {} deep: read as plain text",
                nesting::MAX_NESTING
            ),
        );
    }
    if !article
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Paragraph { .. }))
    {
        return Err(ImportError::NoArticle);
    }
    if let Some(p) = problem {
        article.problems.insert(0, p);
    }
    Ok(article)
}

/// The article in the page as native text, or `None` when the page holds
/// no article text at all.
pub fn to_native(html: &str) -> Option<String> {
    let page = extract(html)?;
    let mut out =
        String::with_capacity(page.lines.iter().map(|l| l.len() + 1).sum::<usize>() + 256);
    out.push_str("---\n");
    for (key, value) in [
        ("title", &page.title),
        ("date", &page.date),
        ("source", &page.source),
        ("url", &page.url),
        ("author", &page.author),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            let _ = writeln!(out, "{key}: {}", quoted(v));
        }
    }
    out.push_str("---\n");
    for line in &page.lines {
        out.push_str(line);
        out.push('\n');
    }
    Some(out)
}

/// An HTML fragment (an export's body kept as HTML) as native lines, one
/// paragraph each: read as a page when it holds enough text for one, else
/// its text with the tags dropped, a line for each block.
pub fn fragment_lines(html: &str) -> String {
    if let Some(native) = nesting::flat_text_if_too_deep(html).or_else(|| to_native(html)) {
        // After the front matter `to_native` always writes.
        if let Some(body) = native
            .strip_prefix("---\n")
            .and_then(|r| r.split_once("---\n"))
        {
            if body.1.lines().any(|l| !l.trim().is_empty()) {
                return body.1.to_owned();
            }
        }
    }
    nesting::plain_lines(html)
}

/// What the passes found.
#[derive(Debug, Default)]
struct Page {
    title: Option<String>,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    lines: Vec<String>,
}

/// Pages are UTF-8 but old ones may be Windows-1252 (what browsers assume
/// for undeclared legacy pages); that is the fallback, noted as a problem
/// unless the page declares a Latin charset itself.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), None);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let latin = [
        "windows-1252",
        "iso-8859-1",
        "latin1",
        "latin-1",
        "cp1252",
        "us-ascii",
    ]
    .iter()
    .any(|c| head.contains(&format!("charset={c}")) || head.contains(&format!("charset=\"{c}")));
    let text: String = bytes.iter().map(|&b| cp1252(b)).collect();
    let problem = (!latin).then(|| "not UTF-8: read as Windows-1252".to_owned());
    (Cow::Owned(text), problem)
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{2c6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}',
        '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}',
        '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}', '\u{17e}',
        '\u{178}',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// Elements whose content is never article text.
const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "video",
    "audio",
    "img",
    "picture",
    "figure",
    "figcaption",
    "form",
    "button",
    "input",
    "select",
    "textarea",
    "nav",
    "footer",
    "header",
    "aside",
    "ins",
    "head",
    "title",
    "meta",
    "link",
    "map",
    "dialog",
    "menu",
];

/// Elements that do not break a line.
const INLINE_TAGS: &[&str] = &[
    "a", "span", "strong", "b", "em", "i", "u", "s", "small", "big", "sup", "sub", "font", "mark",
    "abbr", "cite", "q", "code", "time", "label", "bdi", "bdo", "wbr", "data", "var", "kbd",
    "samp", "del", "ins", "tt",
];

/// Class or id words that mark a part of the page as no part of an
/// article, whatever else the class says.
const JUNK_ALWAYS: &[&str] = &[
    "share",
    "sharing",
    "sharebar",
    "sharemenu",
    "social",
    "sosmed",
    "socmed",
    "comment",
    "comments",
    "komentar",
    "disqus",
    "advertisement",
    "iklan",
    "banner",
    "newsletter",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "cookies",
];

/// Class or id words that mark junk unless a word of [`KEEP`] says the
/// element holds the article ("content-with-sidebar").
const JUNK_WEAK: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "sidebar",
    "widget",
    "tags",
    "tag",
    "topik",
    "topic",
    "caption",
    "print",
    "popup",
    "modal",
    "hidden",
    "sponsor",
    "sponsored",
    "promo",
    "ads",
    "ad",
    "adv",
    "advert",
    "subscribe",
    "recommendation",
    "rekomendasi",
    "popular",
    "terpopuler",
    "trending",
    "author",
    "penulis",
    "editor",
    "copyright",
];

const KEEP: &[&str] = &[
    "article", "artikel", "body", "content", "main", "detail", "text", "read", "post", "entry",
    "story", "isi", "berita",
];

/// Class names and ids that news sites give the article body.
const BODY_CLASSES: &[&str] = &[
    "detail__body-text",
    "detail__body",
    "read__content",
    "article-content",
    "article__content",
    "article-body",
    "article__body",
    "articlebody",
    "detail_text",
    "detail-text",
    "text_detail",
    "text-detail",
    "kcm-read-text",
    "read-page__content-body",
    "entry-content",
    "post-content",
    "content-detail",
    "detail-content",
    "dtlnews",
    "txt-article",
    "itp_bodycontent",
    "story-body",
    "news-content",
    "isi-berita",
    "isi_berita",
    "body-content",
];
const BODY_IDS: &[&str] = &[
    "contentx",
    "article-body",
    "articlebody",
    "detikdetailtext",
    "isi",
];

/// Labels of "Baca juga" boxes, folded (see [`label_key`]).
const RELATED_LABELS: &[&str] = &[
    "baca juga",
    "baca",
    "lihat juga",
    "simak juga",
    "berita terkait",
    "artikel terkait",
    "terkait",
    "baca artikel terkait",
    "related",
    "related news",
    "related articles",
];

/// Lines that are page furniture even inside the body.
const JUNK_LINES: &[&str] = &[
    "advertisement",
    "iklan",
    "scroll to continue with content",
    "scroll to resume content",
    "baca selengkapnya",
    "lanjutkan membaca",
    "bagikan",
    "share",
    "tweet",
    "loading...",
];

/// Deeper than this the walk stops descending; real pages nest a few dozen
/// levels, and a hostile one must not exhaust the stack.
const MAX_DEPTH: usize = 200;

/// How far up from a link its box label is looked for.
const BOX_LEVELS: usize = 7;

/// The identity of a node for the sets below: its address, stable while
/// the document lives.
fn key(node: &Node) -> usize {
    std::ptr::from_ref(node) as usize
}

fn el_key(el: &ElementRef) -> usize {
    key((**el).value())
}

fn name<'a>(el: &ElementRef<'a>) -> &'a str {
    el.value().name()
}

/// Collapsed and sanitized. HTML white space includes line breaks, which
/// the sanitizer would drop (joining words), so they become spaces first.
fn clean(s: &str) -> String {
    if s.contains(['\n', '\r', '\t', '\u{c}']) {
        let spaced: String = s
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        clean_spaces(&sanitize(&spaced))
    } else {
        clean_spaces(&sanitize(s))
    }
}

fn is_hidden(el: &ElementRef) -> bool {
    let e = el.value();
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    e.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// The words of an element's class names and id: `read-page--social_share`
/// gives read, page, social, share.
fn class_words(el: &ElementRef) -> Vec<String> {
    let e = el.value();
    e.classes()
        .chain(e.id())
        .flat_map(|c| c.split(['-', '_', ' ']))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

fn is_junk(el: &ElementRef) -> bool {
    let words = class_words(el);
    if words.iter().any(|w| JUNK_ALWAYS.contains(&w.as_str())) {
        return true;
    }
    words.iter().any(|w| JUNK_WEAK.contains(&w.as_str()))
        && !words.iter().any(|w| KEEP.contains(&w.as_str()))
}

/// A class or id that names a related-articles box.
fn is_related_class(el: &ElementRef) -> bool {
    let e = el.value();
    e.classes().chain(e.id()).any(|c| {
        let squashed: String = c
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        ["bacajuga", "terkait", "related", "lihatjuga", "simakjuga"]
            .iter()
            .any(|w| squashed.contains(w))
    })
}

/// A label folded for comparison: lower case, single spaces, without the
/// colon or arrow that often ends it.
fn label_key(s: &str) -> String {
    clean_spaces(&s.to_lowercase())
        .trim_end_matches([':', ' ', '\u{bb}', '>', '-', '\u{2013}'])
        .trim_start()
        .to_owned()
}

fn is_related_label(s: &str) -> bool {
    RELATED_LABELS.contains(&label_key(s).as_str())
}

/// The visible text of an element, scripts and hidden parts left out.
fn visible_text(el: &ElementRef) -> String {
    let mut out = String::new();
    push_visible(el, &mut out, 0);
    clean(&out)
}

fn push_visible(el: &ElementRef, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(_) => {
                let Some(c) = ElementRef::wrap(child) else {
                    continue;
                };
                let n = name(&c);
                if n == "br" {
                    out.push(' ');
                    continue;
                }
                if matches!(
                    n,
                    "script" | "style" | "noscript" | "template" | "img" | "svg"
                ) || is_hidden(&c)
                {
                    continue;
                }
                let block = !INLINE_TAGS.contains(&n);
                if block {
                    out.push(' ');
                }
                push_visible(&c, out, depth + 1);
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

fn extract(html: &str) -> Option<Page> {
    let doc = Html::parse_document(html);
    let all: Vec<ElementRef> = doc.root_element().descendent_elements().collect();
    let meta = Meta::collect(&all);
    let mut page = Page {
        url: meta.url(),
        ..Page::default()
    };
    let brands = meta.brands(page.url.as_deref());
    let (title, title_el) = meta.title(&all, &brands);
    page.title = title;
    page.date = meta.date(&all, title_el);
    page.source = meta
        .first(&["og:site_name", "application-name"])
        .or_else(|| meta.ld.publisher.clone())
        .or_else(|| {
            page.url
                .as_deref()
                .and_then(host)
                .map(|h| h.trim_start_matches("www.").to_owned())
        });
    page.author = meta.author(&brands);

    let excluded = excluded_set(&all);
    let tree = Tree::new(&all);
    let body = find_body(&all, &tree, &excluded);
    let related = related_links(&all, &tree);
    let mut walker = Walker {
        lines: Vec::new(),
        cur: String::new(),
        cur_link_chars: 0,
        prefix: String::new(),
        related: &related.links,
        labels: &related.labels,
        excluded: &excluded,
        emitted: HashSet::new(),
        title_key: page.title.as_deref().map(normalize).unwrap_or_default(),
    };
    match body {
        Some(b) => {
            walker.walk(&b, 0, false);
            walker.flush();
            if !walker.prefix.is_empty() {
                let p = std::mem::take(&mut walker.prefix);
                walker.push_line(p.trim_end().to_owned());
            }
        }
        None => {
            let text = meta
                .ld
                .body
                .as_deref()
                .filter(|b| b.chars().count() >= 200)?;
            for part in text.split('\n').flat_map(|l| l.split("  ")) {
                walker.cur.push_str(part);
                walker.flush();
            }
        }
    }
    // Boxes outside the body follow it, in page order.
    for (a, link) in &related.order {
        if !walker.emitted_key(*a) {
            walker.emit_link(link);
        }
    }
    page.lines = walker.lines;
    Some(page)
}

/// Metadata read from the head (and a few body elements with `itemprop`).
#[derive(Default)]
struct Meta {
    /// `property`, `name` or `itemprop` (lower case) → value; first wins.
    values: HashMap<String, String>,
    canonical: Option<String>,
    title_tag: Option<String>,
    ld: LdArticle,
}

/// The fields of a JSON-LD `NewsArticle` (or any `*Article`) that matter.
#[derive(Default)]
struct LdArticle {
    headline: Option<String>,
    date: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    body: Option<String>,
}

impl Meta {
    fn collect(all: &[ElementRef]) -> Meta {
        let mut m = Meta::default();
        for el in all {
            let e = el.value();
            match e.name() {
                "meta" => {
                    let Some(content) = e.attr("content").map(clean).filter(|c| !c.is_empty())
                    else {
                        continue;
                    };
                    let keys = ["property", "name", "itemprop"]
                        .iter()
                        .filter_map(|a| e.attr(a))
                        .flat_map(str::split_whitespace);
                    for k in keys {
                        m.values
                            .entry(k.to_ascii_lowercase())
                            .or_insert_with(|| content.clone());
                    }
                }
                "link" => {
                    let canonical = e.attr("rel").is_some_and(|r| {
                        r.split_whitespace()
                            .any(|r| r.eq_ignore_ascii_case("canonical"))
                    });
                    if canonical && m.canonical.is_none() {
                        m.canonical = e.attr("href").map(clean);
                    }
                }
                "title" if m.title_tag.is_none() => {
                    m.title_tag = Some(visible_text(el)).filter(|t| !t.is_empty());
                }
                "script"
                    if e.attr("type")
                        .is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json")) =>
                {
                    let text: String = el.text().collect();
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                        if let Some(a) = find_ld_article(&v, 0) {
                            m.ld.fill(a);
                        }
                    }
                }
                _ => {
                    // itemprop on a body element: <time itemprop="datePublished">.
                    if let Some(props) = e.attr("itemprop") {
                        let value = e
                            .attr("content")
                            .or_else(|| e.attr("datetime"))
                            .map(clean)
                            .unwrap_or_else(|| visible_text(el));
                        if !value.is_empty() && value.chars().count() <= 200 {
                            for k in props.split_whitespace() {
                                let k = k.to_ascii_lowercase();
                                m.values
                                    .entry(format!("itemprop:{k}"))
                                    .or_insert_with(|| value.clone());
                                m.values.entry(k).or_insert_with(|| value.clone());
                            }
                        }
                    }
                }
            }
        }
        m
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter()
            .find_map(|k| self.values.get(*k))
            .filter(|v| !v.is_empty())
            .cloned()
    }

    fn url(&self) -> Option<String> {
        [
            self.canonical.clone(),
            self.first(&["og:url"]),
            self.ld.url.clone(),
            self.first(&["url"]),
        ]
        .into_iter()
        .flatten()
        .find(|u| u.starts_with("http://") || u.starts_with("https://"))
    }

    /// The writer: a person's name, not a URL nor the publisher's name
    /// ("Kompas Cyber Media" is no author).
    fn author(&self, brands: &[String]) -> Option<String> {
        [
            self.ld.author.clone(),
            self.first(&["itemprop:author"]),
            self.first(&["author", "dc.creator", "article:author"]),
        ]
        .into_iter()
        .flatten()
        .find(|a| {
            !a.contains("://")
                && !a.is_empty()
                && a.chars().count() <= 80
                && !brands.iter().any(|b| squash(a).contains(b.as_str()))
        })
    }

    /// Words that name the site, for taking " - Kompas.com Regional" off a
    /// title: the site's domain name and its `og:site_name`.
    fn brands(&self, url: Option<&str>) -> Vec<String> {
        let mut brands = Vec::new();
        let hosts = [
            url.and_then(host).map(str::to_owned),
            self.first(&["og:site_name"]),
            self.ld.publisher.clone(),
        ];
        for h in hosts.into_iter().flatten() {
            let b = if h.contains('.') && !h.contains(' ') {
                domain_label(&h)
            } else {
                squash(&h)
            };
            if b.chars().count() >= 3 && !brands.contains(&b) {
                brands.push(b);
            }
        }
        brands
    }

    /// The title and the heading element that shows it on the page.
    fn title<'a>(
        &self,
        all: &[ElementRef<'a>],
        brands: &[String],
    ) -> (Option<String>, Option<usize>) {
        let headings: Vec<(usize, String)> = all
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(name(e), "h1" | "h2"))
            .map(|(i, e)| (i, visible_text(e)))
            .filter(|(_, t)| !t.is_empty())
            .take(200)
            .collect();
        let raw = [
            self.first(&["og:title", "twitter:title"]),
            self.ld.headline.clone(),
            self.first(&["title"]),
            self.title_tag.clone(),
        ]
        .into_iter()
        .flatten()
        .find(|t| !t.is_empty())
        .or_else(|| {
            all.iter()
                .find(|e| name(e) == "h1")
                .map(visible_text)
                .filter(|t| !t.is_empty())
        });
        let Some(raw) = raw else {
            return (None, None);
        };
        let same = |a: &str, b: &str| normalize(a) == normalize(b);
        let find_heading = |t: &str| headings.iter().find(|(_, h)| same(h, t)).map(|(i, _)| *i);
        if let Some(i) = find_heading(&raw) {
            return (Some(raw), Some(i));
        }
        // A heading on the page that is the title without its suffix.
        for (pos, _) in separators(&raw).into_iter().rev() {
            let prefix = raw[..pos].trim();
            if let Some(i) = find_heading(prefix) {
                return (Some(prefix.to_owned()), Some(i));
            }
        }
        let title = strip_site_suffix(&raw, brands);
        let i = find_heading(&title);
        (Some(title), i)
    }

    /// The publication date: machine-readable metadata first, then a
    /// `<time>`, then a date written near the title.
    fn date(&self, all: &[ElementRef], title_el: Option<usize>) -> Option<String> {
        let from_meta = self
            .first(&["article:published_time", "datepublished"])
            .or_else(|| self.ld.date.clone())
            .or_else(|| {
                self.first(&[
                    "pubdate",
                    "publishdate",
                    "publish-date",
                    "publish_date",
                    "dc.date.issued",
                    "dc.date",
                    "date",
                    "article:modified_time",
                    "datemodified",
                ])
            });
        if let Some(d) = from_meta.filter(|d| is_full_date(d)) {
            return Some(tidy_date(&d));
        }
        let times = all.iter().filter(|e| name(e) == "time").filter_map(|e| {
            let d = e
                .value()
                .attr("datetime")
                .map(clean)
                .filter(|d| is_full_date(d))
                .unwrap_or_else(|| visible_text(e));
            is_full_date(&d).then_some(d)
        });
        if let Some(d) = times.into_iter().next() {
            return Some(tidy_date(&d));
        }
        // Kompas writes "Rabu, 4 November 2015 | 21:04 WIB" in a plain div
        // under the headline.
        let t = title_el?;
        let near = all[t + 1..]
            .iter()
            .take(40)
            .chain(all[t.saturating_sub(10)..t].iter());
        near.map(visible_text)
            .find(|s| s.chars().count() <= 60 && is_full_date(s))
            .map(|d| tidy_date(&d))
    }
}

impl LdArticle {
    fn fill(&mut self, a: &serde_json::Value) {
        let s = |v: Option<&serde_json::Value>| {
            v.and_then(|v| v.as_str())
                .map(clean)
                .filter(|v| !v.is_empty())
        };
        let name = |v: Option<&serde_json::Value>| {
            let v = v?;
            let v = v.as_array().and_then(|a| a.first()).unwrap_or(v);
            v.as_str()
                .or_else(|| v.get("name").and_then(|n| n.as_str()))
                .map(clean)
                .filter(|n| !n.is_empty())
        };
        self.headline = self.headline.take().or_else(|| s(a.get("headline")));
        self.date = self.date.take().or_else(|| s(a.get("datePublished")));
        self.author = self.author.take().or_else(|| name(a.get("author")));
        self.publisher = self.publisher.take().or_else(|| name(a.get("publisher")));
        self.url = self.url.take().or_else(|| {
            s(a.get("url")).or_else(|| {
                let m = a.get("mainEntityOfPage")?;
                s(Some(m)).or_else(|| s(m.get("@id")))
            })
        });
        self.body = self.body.take().or_else(|| {
            a.get("articleBody")
                .and_then(|b| b.as_str())
                .map(sanitize_keep_lines)
        });
    }
}

/// Sanitizes each line of a multi-line text, keeping the line breaks.
fn sanitize_keep_lines(s: &str) -> String {
    s.lines()
        .map(|l| sanitize(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first object in a JSON-LD value whose `@type` ends in "Article".
fn find_ld_article(v: &serde_json::Value, depth: usize) -> Option<&serde_json::Value> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Array(items) => items.iter().find_map(|i| find_ld_article(i, depth + 1)),
        serde_json::Value::Object(o) => {
            let is_article =
                |t: &serde_json::Value| t.as_str().is_some_and(|t| t.ends_with("Article"));
            let typed = o.get("@type").is_some_and(|t| {
                is_article(t) || t.as_array().is_some_and(|a| a.iter().any(is_article))
            });
            if typed {
                return Some(v);
            }
            o.get("@graph").and_then(|g| find_ld_article(g, depth + 1))
        }
        _ => None,
    }
}

/// A date with a year, a month and a day, as `search::date_key` reads it.
fn is_full_date(s: &str) -> bool {
    let k = date_key(s);
    let (year, month, day) = (k / 100_000_000, k / 1_000_000 % 100, k / 10_000 % 100);
    year > 0 && month > 0 && day > 0
}

/// "2015-11-05 T10:08:58Z" (as one site writes it) → "2015-11-05T10:08:58Z".
fn tidy_date(d: &str) -> String {
    let d = clean(d);
    d.replacen(" T", "T", 1)
}

fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let h = rest.split(['/', '?', '#']).next()?;
    let h = h.rsplit('@').next()?.split(':').next()?;
    (!h.is_empty()).then_some(h)
}

/// The name a domain is known by: `lifestyle.okezone.com` → "okezone",
/// `news.detik.co.id` → "detik".
fn domain_label(host: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "com", "co", "id", "net", "org", "go", "ac", "or", "web", "my", "info", "www",
    ];
    host.to_ascii_lowercase()
        .split('.')
        .rev()
        .find(|l| !SUFFIXES.contains(l) && !l.is_empty())
        .unwrap_or("")
        .to_owned()
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Byte offsets of the " - ", " | ", " :: " … that join a title to its
/// site's name, with the separator's length.
fn separators(t: &str) -> Vec<(usize, usize)> {
    const SEPS: &[&str] = &[
        " - ",
        " | ",
        " :: ",
        " \u{2013} ",
        " \u{2014} ",
        " \u{bb} ",
        " \u{b7} ",
    ];
    let mut out: Vec<(usize, usize)> = SEPS
        .iter()
        .flat_map(|s| t.match_indices(s).map(|(i, m)| (i, m.len())))
        .collect();
    out.sort_unstable();
    out
}

/// Drops a " - Site" suffix: the earliest separator after which a short
/// rest names the site.
fn strip_site_suffix(t: &str, brands: &[String]) -> String {
    for (pos, len) in separators(t) {
        let rest = &t[pos + len..];
        let short = rest.split_whitespace().count() <= 6;
        let names_site = brands.iter().any(|b| squash(rest).contains(b.as_str()))
            || rest.split_whitespace().any(|w| {
                let w = w.to_ascii_lowercase();
                w.ends_with(".com") || w.ends_with(".co.id") || w.ends_with(".id")
            });
        if short && names_site && pos > 0 {
            return t[..pos].trim().to_owned();
        }
    }
    t.to_owned()
}

/// Elements that are not article text, with everything inside them:
/// skipped tags, hidden elements, junk by class or id.
fn excluded_set(all: &[ElementRef]) -> HashSet<usize> {
    let mut excluded = HashSet::new();
    for el in all {
        let parent_out = el
            .parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| excluded.contains(&el_key(&p)));
        let n = name(el);
        if parent_out || SKIP_TAGS.contains(&n) || is_hidden(el) || is_junk(el) {
            excluded.insert(el_key(el));
        }
    }
    excluded
}

/// Units of text shorter than this are labels and bylines, not prose.
const MIN_UNIT_CHARS: usize = 25;

/// The shape of the document as arrays by element index (document order,
/// so a parent comes before its children), built in one pass: walking up
/// from every element instead would cost the depth each time, and pages
/// nest thousands deep.
struct Tree {
    parent: Vec<Option<usize>>,
    depth: Vec<usize>,
}

impl Tree {
    fn new(all: &[ElementRef]) -> Tree {
        let index: HashMap<usize, usize> = all
            .iter()
            .enumerate()
            .map(|(i, e)| (el_key(e), i))
            .collect();
        let parent: Vec<Option<usize>> = all
            .iter()
            .map(|e| {
                e.parent()
                    .and_then(ElementRef::wrap)
                    .and_then(|p| index.get(&el_key(&p)).copied())
            })
            .collect();
        let mut depth = vec![0; all.len()];
        for i in 0..all.len() {
            if let Some(p) = parent[i] {
                depth[i] = depth[p] + 1;
            }
        }
        Tree { parent, depth }
    }
}

/// The element holding the article's body (see the module comment).
fn find_body<'a>(
    all: &[ElementRef<'a>],
    tree: &Tree,
    excluded: &HashSet<usize>,
) -> Option<ElementRef<'a>> {
    let parent_of = |i: usize| tree.parent[i];
    // By element: the block it counts for (itself, or for inline elements
    // the nearest block around them) and whether a link lies between.
    let inline = |i: usize| INLINE_TAGS.contains(&name(&all[i]));
    let mut block = vec![0; all.len()];
    let mut in_link = vec![false; all.len()];
    for i in 0..all.len() {
        block[i] = i;
        if inline(i) {
            let p = parent_of(i);
            in_link[i] = name(&all[i]) == "a" || p.is_some_and(|p| inline(p) && in_link[p]);
            if let Some(p) = p {
                block[i] = block[p];
            }
        }
    }
    // Text outside links, summed by the nearest block element holding it.
    let mut units: HashMap<usize, usize> = HashMap::new();
    for (i, el) in all.iter().enumerate() {
        if excluded.contains(&el_key(el)) {
            continue;
        }
        let len: usize = el
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.trim().chars().count()))
            .sum();
        if len == 0 || name(el) == "a" {
            continue;
        }
        // Inline text counts for its block; text inside a link never does.
        if !in_link[i] {
            *units.entry(block[i]).or_default() += len;
        }
    }
    let mut score: HashMap<usize, f64> = HashMap::new();
    let mut own = vec![0usize; all.len()];
    for (&at, &len) in &units {
        if len < MIN_UNIT_CHARS {
            continue;
        }
        // A paragraph credits the element around it; loose text (a body of
        // <br>-separated lines) credits the element it is in.
        let holder = if matches!(name(&all[at]), "p" | "li" | "blockquote") {
            parent_of(at).unwrap_or(at)
        } else {
            at
        };
        *score.entry(holder).or_default() += len as f64;
        if let Some(g) = parent_of(holder) {
            *score.entry(g).or_default() += len as f64 / 2.0;
        }
        own[at] += len;
    }
    // Each element's text with all of its descendants', children first.
    let mut total = own;
    for i in (0..all.len()).rev() {
        if let Some(p) = parent_of(i) {
            total[p] += total[i];
        }
    }
    let best = score
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(&i, _)| i);
    let mut candidates: Vec<usize> = best.into_iter().collect();
    for (i, el) in all.iter().enumerate() {
        if excluded.contains(&el_key(el)) {
            continue;
        }
        let e = el.value();
        let body_prop = e.attr("itemprop").is_some_and(|p| {
            p.split_whitespace()
                .any(|p| p.eq_ignore_ascii_case("articlebody"))
        });
        let known = e
            .classes()
            .any(|c| BODY_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
            || e.id()
                .is_some_and(|id| BODY_IDS.contains(&id.to_ascii_lowercase().as_str()));
        if body_prop || known || name(el) == "article" {
            candidates.push(i);
        }
    }
    let text_of = |i: &usize| total[*i];
    let most = candidates.iter().map(text_of).max().unwrap_or(0);
    if most < 100 {
        return None;
    }
    let depth = |i: usize| tree.depth[i];
    candidates
        .into_iter()
        .filter(|i| text_of(i) * 10 >= most * 8)
        .max_by_key(|&i| (depth(i), text_of(&i)))
        .map(|i| all[i])
}

/// The links of "Baca juga" boxes: by link, its title; the label elements
/// or text nodes that announced them (not to be read as text); page order.
struct Related {
    links: HashMap<usize, BoxLink>,
    labels: HashSet<usize>,
    order: Vec<(usize, BoxLink)>,
}

/// A box link: its title, and its address when the page gives a whole one
/// (the link then names its article by URL first).
#[derive(Clone)]
struct BoxLink {
    title: String,
    url: Option<String>,
}

/// `href` as a whole web address, or `None` for one relative to the page.
fn web_address(href: &str) -> Option<String> {
    if href.starts_with("https://") || href.starts_with("http://") {
        Some(href.to_owned())
    } else {
        href.strip_prefix("//")
            .map(|rest| format!("https://{rest}"))
    }
    .filter(|u| !u.contains(char::is_whitespace) && !u.contains(')'))
}

fn related_links(all: &[ElementRef], tree: &Tree) -> Related {
    let mut r = Related {
        links: HashMap::new(),
        labels: HashSet::new(),
        order: Vec::new(),
    };
    for (i, a) in all.iter().enumerate().filter(|(_, e)| name(e) == "a") {
        // The body is not read below this depth either; a link deeper
        // would cost a walk up thousands of levels.
        if tree.depth[i] > MAX_DEPTH {
            continue;
        }
        let Some(href) = a.value().attr("href").map(str::trim) else {
            continue;
        };
        if href.is_empty()
            || href.starts_with('#')
            || href.starts_with("javascript:")
            || href.starts_with("mailto:")
        {
            continue;
        }
        let hidden_or_chrome = a.ancestors().filter_map(ElementRef::wrap).any(|p| {
            matches!(
                name(&p),
                "nav" | "footer" | "header" | "script" | "template" | "noscript"
            ) || is_hidden(&p)
        });
        if hidden_or_chrome || is_hidden(a) {
            continue;
        }
        let text = visible_text(a);
        let words = text.split_whitespace().count();
        // Longer than a headline is a teaser sentence, not a title.
        if !(2..=24).contains(&words) || text.chars().count() < 10 {
            continue;
        }
        if let Some(label) = box_label(a) {
            if let Some(l) = label {
                r.labels.insert(l);
            }
            let link = BoxLink {
                title: text,
                url: web_address(href),
            };
            r.links.insert(el_key(a), link.clone());
            r.order.push((el_key(a), link));
        }
    }
    r
}

/// Whether link `a` sits in a "Baca juga" box: `Some(label)` when it does
/// (the label node to keep out of the text, if one was seen), `None` when
/// it does not. The first level whose label is known decides.
fn box_label(a: &ElementRef) -> Option<Option<usize>> {
    let mut node = *a;
    for level in 0..BOX_LEVELS {
        match label_before(&node) {
            Label::Related(k) => return Some(Some(k)),
            Label::Other => return None,
            Label::None => {}
        }
        if level > 0 && is_related_class(&node) {
            return Some(None);
        }
        let parent = node.parent().and_then(ElementRef::wrap)?;
        if matches!(name(&parent), "body" | "html" | "p") && level > 0 {
            return None;
        }
        node = parent;
    }
    None
}

enum Label {
    /// A "Baca juga"-like label, by node identity.
    Related(usize),
    /// Some other label: the box is not a related-articles box.
    Other,
    /// Nothing that reads as a label.
    None,
}

/// What stands just before `el` among its siblings, read as a label.
fn label_before(el: &ElementRef) -> Label {
    for prev in el.prev_siblings() {
        match prev.value() {
            Node::Comment(_) => continue,
            Node::Text(t) => {
                let t = clean(t);
                if t.is_empty() || is_full_date(&t) {
                    continue;
                }
                // A link inside running text is part of the prose.
                if t.chars().count() > 40 {
                    return Label::Other;
                }
                return short_label(&t, key(prev.value()));
            }
            Node::Element(_) => {
                let Some(p) = ElementRef::wrap(prev) else {
                    continue;
                };
                match name(&p) {
                    "br" | "img" | "script" | "style" | "hr" | "noscript" => continue,
                    "li" | "ul" | "ol" | "a" | "table" | "iframe" => return Label::None,
                    _ => {}
                }
                let t = visible_text(&p);
                // A teaser's date or an empty thumbnail is no label.
                if t.is_empty() || is_full_date(&t) {
                    continue;
                }
                return short_label(&t, el_key(&p));
            }
            _ => continue,
        }
    }
    Label::None
}

fn short_label(t: &str, k: usize) -> Label {
    let short = t.chars().count() <= 40 && t.split_whitespace().count() <= 5;
    if !short {
        Label::None
    } else if is_related_label(t) {
        Label::Related(k)
    } else {
        Label::Other
    }
}

/// Turns the body's elements into lines of native text.
struct Walker<'r> {
    lines: Vec<String>,
    cur: String,
    /// Characters of `cur` that came from inside links.
    cur_link_chars: usize,
    /// A dateline ("Jakarta -") waiting for the paragraph it starts.
    prefix: String,
    related: &'r HashMap<usize, BoxLink>,
    labels: &'r HashSet<usize>,
    excluded: &'r HashSet<usize>,
    emitted: HashSet<String>,
    title_key: String,
}

impl Walker<'_> {
    fn walk(&mut self, el: &ElementRef, depth: usize, in_link: bool) {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if self.labels.contains(&key(child.value())) {
                        continue;
                    }
                    self.cur.push_str(t);
                    if in_link {
                        self.cur_link_chars += t.trim().chars().count();
                    }
                }
                Node::Element(_) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let n = name(&c);
                    let k = el_key(&c);
                    if n == "br" {
                        self.flush();
                        continue;
                    }
                    if self.excluded.contains(&k) || self.labels.contains(&k) {
                        continue;
                    }
                    if let Some(link) = self.related.get(&k) {
                        self.flush();
                        let link = link.clone();
                        self.emit_link(&link);
                        continue;
                    }
                    if matches!(n, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                        self.flush();
                        let text = visible_text(&c);
                        if !text.is_empty() && normalize(&text) != self.title_key {
                            self.push_line(format!("## {text}"));
                        }
                        continue;
                    }
                    let block = !INLINE_TAGS.contains(&n);
                    if block {
                        self.flush();
                    }
                    if depth < MAX_DEPTH {
                        self.walk(&c, depth + 1, in_link || n == "a");
                    }
                    if block {
                        self.flush();
                    }
                }
                _ => {}
            }
        }
    }

    /// Ends the current line.
    fn flush(&mut self) {
        let line = clean(&std::mem::take(&mut self.cur));
        let link_chars = std::mem::take(&mut self.cur_link_chars);
        if line.is_empty() {
            return;
        }
        let words = line.split_whitespace().count();
        // A share button or a tag alone on its line.
        let all_link = link_chars * 10 >= line.chars().count() * 9;
        if all_link && words <= 4 && !is_related_label(line.split(':').next().unwrap_or("")) {
            return;
        }
        if JUNK_LINES.contains(&line.to_lowercase().as_str()) {
            return;
        }
        if words <= 4 && line.ends_with(['-', '\u{2013}', '\u{2014}']) {
            self.prefix.push_str(&line);
            self.prefix.push(' ');
            return;
        }
        let line = if self.prefix.is_empty() {
            line
        } else {
            std::mem::take(&mut self.prefix) + &line
        };
        if self.lines.len() < 3 && normalize(&line) == self.title_key {
            return;
        }
        // A line the native reader would take for an escape stays text.
        if line.starts_with(['\\', '#']) {
            self.push_line(format!("\\{line}"));
        } else {
            self.push_line(line);
        }
    }

    fn push_line(&mut self, line: String) {
        self.lines.push(line);
    }

    fn emitted_key(&self, a: usize) -> bool {
        self.related
            .get(&a)
            .is_some_and(|l| self.emitted.contains(&normalize(&l.title)))
    }

    /// A box link as a native link line, once per title; a bare label line
    /// just before it ("Baca Juga") is the box's heading, not a link.
    fn emit_link(&mut self, link: &BoxLink) {
        let title = &link.title;
        let k = normalize(title);
        if k == self.title_key || !self.emitted.insert(k) {
            return;
        }
        if self.lines.last().is_some_and(|l| is_related_label(l)) {
            self.lines.pop();
        }
        // The native format's way to give a link its address.
        self.push_line(match &link.url {
            Some(url) => format!("Baca juga: [{title}]({url})"),
            None => format!("Baca juga: {title}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_suffixes_go_when_they_name_the_site() {
        let brands = vec!["kompas".to_owned()];
        assert_eq!(
            strip_site_suffix("Polisi Tangkap Pencuri - Kompas.com Regional", &brands),
            "Polisi Tangkap Pencuri"
        );
        assert_eq!(
            strip_site_suffix(
                "Menteri A - B Bertemu di Jakarta Hari Ini untuk Rapat",
                &brands
            ),
            "Menteri A - B Bertemu di Jakarta Hari Ini untuk Rapat"
        );
        assert_eq!(
            strip_site_suffix("Harga Naik | Warta.com", &[]),
            "Harga Naik"
        );
    }

    #[test]
    fn domain_labels() {
        assert_eq!(domain_label("lifestyle.okezone.com"), "okezone");
        assert_eq!(domain_label("news.detik.co.id"), "detik");
        assert_eq!(
            host("http://user@tekno.x.com:80/read?a"),
            Some("tekno.x.com")
        );
    }

    #[test]
    fn dates_are_read_and_tidied() {
        assert!(is_full_date("Rabu, 4 November 2015 | 21:04 WIB"));
        assert!(!is_full_date("dibaca 53,203 kali"));
        assert_eq!(tidy_date("2015-11-05 T10:08:58Z"), "2015-11-05T10:08:58Z");
    }

    #[test]
    fn windows_1252_fallback() {
        let (t, p) = decode(b"<p>caf\xe9 \x93kutip\x94</p>");
        assert_eq!(t, "<p>caf\u{e9} \u{201c}kutip\u{201d}</p>");
        assert!(p.is_some());
        let (_, p) = decode(b"<meta charset=\"windows-1252\"><p>\xe9</p>");
        assert!(p.is_none());
    }

    #[test]
    fn labels_fold() {
        assert!(is_related_label("BACA JUGA :"));
        assert!(is_related_label("Berita Terkait \u{bb}"));
        assert!(!is_related_label("Foto Video Terkait"));
    }
}

/// A guard before the tree is built: html5ever's tree builder looks through
/// every open element for some tags, so a page nested thousands deep costs
/// the square of its depth (20,000 nested `<div>`s: seconds). One pass of
/// the tokenizer alone, with the depth kept as a count, finds such a page
/// and reads its text without building the tree.
mod nesting {
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
    };
    use std::cell::{Cell, RefCell};

    /// Deeper than any real page nests (they stay well under 100).
    pub const MAX_NESTING: usize = 1000;

    /// Elements with no end tag, or one the parser supplies itself when the
    /// next sibling starts: they do not deepen the tree.
    const FLAT: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
        "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head", "body",
    ];

    /// Tags after which text starts a new line.
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "section",
        "article",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "header",
        "footer",
        "main",
        "aside",
    ];

    #[derive(Default)]
    struct Sink {
        depth: Cell<usize>,
        deepest: Cell<usize>,
        /// Inside script or style: text that is no text.
        hidden: Cell<bool>,
        in_title: Cell<bool>,
        title: RefCell<String>,
        text: RefCell<String>,
    }

    impl TokenSink for Sink {
        type Handle = ();

        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            match token {
                Token::TagToken(tag) => return self.tag(&tag),
                Token::CharacterTokens(t) if self.in_title.get() => {
                    self.title.borrow_mut().push_str(&t)
                }
                Token::CharacterTokens(t) if !self.hidden.get() => {
                    self.text.borrow_mut().push_str(&t)
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }

    impl Sink {
        fn tag(&self, tag: &Tag) -> TokenSinkResult<()> {
            let name: &str = &tag.name;
            let counted = !FLAT.contains(&name);
            if BLOCKS.contains(&name) {
                self.text.borrow_mut().push('\n');
            }
            match tag.kind {
                TagKind::StartTag => {
                    if counted && !tag.self_closing {
                        self.depth.set(self.depth.get() + 1);
                        self.deepest.set(self.deepest.get().max(self.depth.get()));
                    }
                    // The states the tree builder would switch the tokenizer
                    // to, so a script's `<` is not read as a tag.
                    let raw = match name {
                        "script" => Some(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            Some(RawKind::Rawtext)
                        }
                        "textarea" | "title" => Some(RawKind::Rcdata),
                        _ => None,
                    };
                    if matches!(name, "script" | "style" | "template" | "noscript") {
                        self.hidden.set(true);
                    }
                    self.in_title.set(name == "title");
                    if let Some(kind) = raw.filter(|_| !tag.self_closing) {
                        return TokenSinkResult::RawData(kind);
                    }
                }
                TagKind::EndTag => {
                    if counted {
                        self.depth.set(self.depth.get().saturating_sub(1));
                    }
                    if matches!(name, "script" | "style" | "template" | "noscript") {
                        self.hidden.set(false);
                    }
                    if name == "title" {
                        self.in_title.set(false);
                    }
                }
            }
            TokenSinkResult::Continue
        }
    }

    fn tokenize(html: &str) -> Sink {
        let tokenizer = Tokenizer::new(Sink::default(), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(html.into());
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink
    }

    /// The page's text as native text when its elements nest deeper than
    /// [`MAX_NESTING`]; `None` for any other page (the tree is built then).
    pub fn flat_text_if_too_deep(html: &str) -> Option<String> {
        let sink = tokenize(html);
        if sink.deepest.get() <= MAX_NESTING {
            return None;
        }
        let mut out = String::from("---\n");
        let title = super::clean(&sink.title.borrow());
        if !title.is_empty() {
            out.push_str(&format!("title: {}\n", super::quoted(&title)));
        }
        out.push_str("---\n");
        out.push_str(&lines(&sink));
        Some(out)
    }

    /// The text of `html`, tags dropped, a native line for each block.
    pub fn plain_lines(html: &str) -> String {
        lines(&tokenize(html))
    }

    fn lines(sink: &Sink) -> String {
        let mut out = String::new();
        for line in sink.text.borrow().lines() {
            let line = super::clean(line);
            if !line.is_empty() {
                // The page's own text is no native escape: a line that
                // would read as one is kept as written.
                if line.starts_with(['\\', '#']) {
                    out.push('\\');
                }
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn only_pages_nested_too_deep_are_flattened() {
            let deep = format!(
                "<title>Judul Dalam</title><body>{}<p>Teks dalam.</p>{}<script>if (a<b) {{}}</script>",
                "<div>".repeat(MAX_NESTING + 1),
                "</div>".repeat(MAX_NESTING + 1)
            );
            let flat = flat_text_if_too_deep(&deep).expect("too deep");
            assert!(flat.contains("title: Judul Dalam"), "{flat}");
            assert!(flat.contains("\nTeks dalam.\n"), "{flat}");
            assert!(!flat.contains("a<b"), "{flat}");
            // As deep as allowed, and many unclosed paragraphs and items
            // (the parser closes them itself): built as a tree.
            let ok = format!(
                "{}x{}{}",
                "<div>".repeat(MAX_NESTING),
                "</div>".repeat(MAX_NESTING),
                "<p>a<li>b".repeat(5000)
            );
            assert_eq!(flat_text_if_too_deep(&ok), None);
        }
    }
}
