//! Turns the bytes of a stored article into an [`Article`]: decoding,
//! front matter, title inference, subheadings and "Baca juga" links, both on
//! their own line and glued inside a paragraph.

use super::article::{Article, Block, Link, LinkKind, Meta};
use super::sanitize::{next_below_space, next_special, sanitize};
use std::borrow::Cow;

/// How the text was written, which changes a few rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Markdown: `#` lines are headings, a leading `# Title` is the title.
    pub markdown: bool,
    /// Text flattened from HTML by a scraper: paragraphs are joined by runs
    /// of two or more spaces, so such runs split paragraphs.
    pub flattened: bool,
}

/// Why a file was not read as an article at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Skip {
    #[error("binary file, not text")]
    Binary,
}

/// Link markers, lower case, longest first so "baca juga" wins over "baca".
const MARKERS: &[&str] = &[
    "artikel terkait",
    "berita terkait",
    "saksikan juga",
    "tonton juga",
    "simak juga",
    "lihat juga",
    "baca juga",
    "simak",
    "lihat",
    "baca",
];

/// Markers that always name a video ("Tonton juga: …", "watch also").
const VIDEO_MARKERS: &[&str] = &["tonton juga", "saksikan juga"];

/// Markers that may head a title in Title Case with no colon between, at
/// the start of a paragraph ("Baca juga Harga Cabai Naik Lagi").
const COLONLESS_MARKERS: &[&str] = &["baca juga", "berita terkait", "artikel terkait"];

/// Titles longer than this are not subheadings but prose.
const HEADING_MAX_CHARS: usize = 90;
const HEADING_MAX_WORDS: usize = 12;
/// Inferred titles are cut near this many characters.
const TITLE_MAX_CHARS: usize = 90;
/// A link title guessed by the heuristic never runs past this many words.
const LINK_MAX_WORDS: usize = 24;

/// Decodes and parses a file's bytes. `name` is the file name (used to infer
/// a title when the text has none).
pub fn parse_bytes(bytes: &[u8], name: &str, opts: ParseOptions) -> Result<Article, Skip> {
    decode_then(bytes, |text| parse_str(text, name, opts))
}

/// Decodes a file's bytes as every reader of text files does — binary
/// refused, BOM dropped, invalid UTF-8 replaced — and parses the text with
/// `parse`, noting replaced bytes as the article's first problem.
pub fn decode_then(bytes: &[u8], parse: impl FnOnce(&str) -> Article) -> Result<Article, Skip> {
    if looks_binary(bytes) {
        return Err(Skip::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // The strict check is the fast one, and nearly every file passes it.
    let text = match std::str::from_utf8(bytes) {
        Ok(valid) => Cow::Borrowed(valid),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    let mut article = parse(&text);
    if matches!(text, Cow::Owned(_)) {
        article.problems.insert(
            0,
            "invalid UTF-8: undecodable bytes were replaced with \u{fffd}".into(),
        );
    }
    Ok(article)
}

/// NUL bytes never occur in text; a high share of other control bytes in the
/// first block means an image, archive or executable.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    // Every file is asked, and text has a control byte only at its line
    // ends: jump from one byte below 0x20 to the next.
    let mut controls = 0;
    let mut i = 0;
    while let Some(at) = next_below_space(head, i) {
        match head[at] {
            0 => return true,
            b'\n' | b'\r' | b'\t' | 0x1b | 0x0c => {}
            _ => controls += 1,
        }
        i = at + 1;
    }
    !head.is_empty() && controls * 10 > head.len()
}

/// Parses already-decoded text; infers a title when the text has none.
pub fn parse_str(text: &str, name: &str, opts: ParseOptions) -> Article {
    let mut article = parse_text(text, opts);
    ensure_title(&mut article, name);
    article
}

/// Gives `article` an inferred title if it has none (see [`infer_title`]).
pub fn ensure_title(article: &mut Article, name: &str) {
    if article.title.is_empty() {
        article.title = infer_title(&mut article.blocks, name);
    }
}

/// Parses text into blocks and front matter, leaving the title empty when
/// neither front matter nor a Markdown `# Title` gives one.
pub fn parse_text(text: &str, opts: ParseOptions) -> Article {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = split_lines(text).collect();
    let mut article = Article::default();
    let body_start = front_matter(&lines, &mut article);

    let mut md_title = None;
    let mut after = AfterMarker::default();
    for raw in &lines[body_start..] {
        let mut raw: &str = raw;
        let mut md_heading = false;
        if opts.markdown {
            if let Some((level, rest)) = markdown_heading(raw) {
                // The first `# Title` is the title, unless front matter
                // named one: then it is a heading like any other.
                if level == 1
                    && md_title.is_none()
                    && article.blocks.is_empty()
                    && article.title.is_empty()
                {
                    md_title = Some(clean_spaces(&sanitize(rest)));
                    continue;
                }
                raw = rest;
                md_heading = true;
            }
        }
        if md_heading {
            // A heading is no title under a marker, and ends the wait.
            after.give_back(&mut article.blocks);
            let text = clean_spaces(&sanitize(raw));
            if !text.is_empty() {
                article.blocks.push(Block::Heading { text });
            }
            continue;
        }
        if !opts.markdown {
            if let Some(escaped) = native_escape(raw) {
                // An escaped line is what it says, never a title under a
                // marker: the wait for one ends.
                after.give_back(&mut article.blocks);
                article.blocks.extend(escaped);
                continue;
            }
        }
        // Scrapers join a body's paragraphs into one line in a few ways
        // (`||`, a list written as text); each piece is a paragraph.
        match split_joins(raw) {
            None => read_piece(raw, opts.flattened, &mut article.blocks, &mut after),
            Some(pieces) => {
                for piece in &pieces {
                    read_piece(piece, opts.flattened, &mut article.blocks, &mut after);
                }
            }
        }
        if raw.trim().is_empty() {
            after.blank_line(&mut article.blocks);
        }
    }
    after.blank_line(&mut article.blocks);

    if article.title.is_empty() {
        article.title = md_title.unwrap_or_default();
    }
    article
}

/// Lines split on LF, CRLF and lone CR; a CR ending the text ends the
/// last line and starts no other.
fn split_lines(text: &str) -> Lines<'_> {
    Lines {
        text,
        pos: 0,
        done: false,
    }
}

/// One pass over the text for both line ends, jumping between control
/// bytes rather than looking at every byte twice.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let mut i = start;
        while let Some(at) = next_below_space(bytes, i) {
            match bytes[at] {
                b'\n' => {
                    self.pos = at + 1;
                    return Some(&self.text[start..at]);
                }
                b'\r' => {
                    match bytes.get(at + 1) {
                        Some(b'\n') => self.pos = at + 2,
                        Some(_) => self.pos = at + 1,
                        None => self.done = true,
                    }
                    return Some(&self.text[start..at]);
                }
                _ => i = at + 1,
            }
        }
        self.done = true;
        Some(&self.text[start..])
    }
}

/// Reads a `---` front-matter block into `article`; returns the index of the
/// first body line. A block that is not closed, or holds a line that is
/// neither `key: value` nor a list item under a key, is not front matter
/// (a document may open with a horizontal rule): it stays text, so nothing
/// a user wrote disappears.
fn front_matter(lines: &[&str], article: &mut Article) -> usize {
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let Some(first) = first else {
        return lines.len();
    };
    if lines[first].trim() != "---" {
        return 0;
    }
    let Some(len) = lines[first + 1..]
        .iter()
        .position(|l| matches!(l.trim(), "---" | "..."))
    else {
        return 0;
    };
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    for line in &lines[first + 1..first + 1 + len] {
        let line = sanitize(line);
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(item) = line.strip_prefix("- ") {
            // A YAML list item continues the key above it ("tags:\n - a").
            match fields.last_mut() {
                Some((_, values)) => values.push(unquote(item.trim()).to_owned()),
                None => return 0,
            }
            continue;
        }
        match line.split_once(':') {
            Some((key, value)) if is_key(key.trim()) => {
                let value = unquote(value.trim());
                let values = if value.is_empty() {
                    Vec::new()
                } else {
                    vec![value.to_owned()]
                };
                fields.push((key.trim().to_lowercase(), values));
            }
            _ => return 0,
        }
    }
    for (key, values) in fields {
        set_field(article, key, values);
    }
    first + len + 2
}

/// A front-matter key: a word such as `title` or `published_at`.
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 40
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn set_field(article: &mut Article, key: String, values: Vec<String>) {
    let joined = values.join(", ");
    let value = joined.trim();
    if value.is_empty() {
        return;
    }
    let meta: &mut Meta = &mut article.meta;
    match key.as_str() {
        "title" => article.title = clean_spaces(value),
        "date" => meta.date = Some(value.to_owned()),
        "source" | "site" => meta.source = Some(value.to_owned()),
        "url" | "link" => meta.url = Some(value.to_owned()),
        "author" => meta.author = Some(value.to_owned()),
        "tags" => {
            meta.tags = values
                .iter()
                .flat_map(|v| v.trim_start_matches('[').trim_end_matches(']').split(','))
                .map(|t| unquote(t.trim()).to_owned())
                .filter(|t| !t.is_empty())
                .collect()
        }
        _ => {
            meta.extra.insert(key, value.to_owned());
        }
    }
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// An ATX heading: 1 to 6 `#`, a space, the text, and maybe a closing run
/// of `#` after a space ("# C#" keeps its `#`).
fn markdown_heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&level) && t[level..].starts_with([' ', '\t']) {
        let body = t[level..].trim();
        let open = body.trim_end_matches('#');
        let body = if open.is_empty() {
            open
        } else if open.ends_with([' ', '\t']) {
            open.trim_end()
        } else {
            body
        };
        Some((level, body))
    } else {
        None
    }
}

/// The native format's two escapes, for what the line rules cannot say:
/// `## text` (one to six `#`, then a space) is a heading whatever it looks
/// like ("## Mengapa Harga Naik?" ends in punctuation), and `\text` is a
/// paragraph whatever it looks like, the backslash dropped (`\Baca juga: x`
/// is no link, `\\x` is the paragraph `\x`). The whole line is the block:
/// no marker is looked for and a flattened line is not split. Returns
/// `Some(None)` for an escape with nothing in it, `None` for a plain line.
/// Markdown has no backslash rule here: there `\` escapes punctuation, and
/// its own `#` headings are read before this.
fn native_escape(line: &str) -> Option<Option<Block>> {
    let t = line.trim_start();
    let block = if let Some(rest) = t.strip_prefix('\\') {
        Block::Paragraph {
            text: clean_spaces(&sanitize(rest)),
        }
    } else {
        let level = t.bytes().take_while(|&b| b == b'#').count();
        if !(1..=6).contains(&level) || !t[level..].starts_with([' ', '\t']) {
            return None;
        }
        Block::Heading {
            text: clean_spaces(&sanitize(&t[level..])),
        }
    };
    Some((!block.text().is_empty()).then_some(block))
}

/// The paragraphs a scraper joined into one line, or `None` when it is one
/// paragraph: a whole line written as a list of strings (`['p1', 'p2']`,
/// Python's or JSON's way) gives its items, unescaped; otherwise the line
/// is cut at each `||`. A list is taken only when the whole line reads as
/// one, so prose that merely opens with a bracket stays as it is.
fn split_joins(line: &str) -> Option<Vec<Cow<'_, str>>> {
    if let Some(items) = list_items(line) {
        return Some(items.into_iter().map(Cow::Owned).collect());
    }
    // Every line is asked (and nearly every one is whole), so the search is
    // memchr's vectorised one and a whole line costs no allocation.
    memchr::memmem::find(line.as_bytes(), b"||")?;
    Some(line.split("||").map(Cow::Borrowed).collect())
}

/// One paragraph's text of a line, before sanitizing: split first, since
/// only plain spaces join flattened paragraphs, while a no-break space next
/// to a space is just a space.
fn read_piece(piece: &str, flattened: bool, blocks: &mut Vec<Block>, after: &mut AfterMarker) {
    if flattened {
        for seg in split_runs(piece) {
            parse_segment(&sanitize(seg), true, blocks, after);
        }
    } else {
        parse_segment(&sanitize(piece), false, blocks, after);
    }
}

/// The items of a line that is a list literal of quoted strings, each
/// unescaped; an escaped line break inside an item starts a new item too.
/// `None` when the line is anything else.
fn list_items(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    let inner = t.strip_prefix('[')?.strip_suffix(']')?;
    let mut chars = inner.trim_start().chars().peekable();
    let mut items = Vec::new();
    loop {
        let quote = chars.next()?;
        if quote != '\'' && quote != '"' {
            return None;
        }
        let mut item = String::new();
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            let c = chars.next()?;
            if c == quote {
                break;
            }
            if c != '\\' {
                flush_bytes(&mut bytes, &mut item);
                item.push(c);
                continue;
            }
            match chars.next()? {
                'n' | 'r' => {
                    flush_bytes(&mut bytes, &mut item);
                    items.push(std::mem::take(&mut item));
                }
                't' => item.push(' '),
                'x' => {
                    let hex: String = [chars.next()?, chars.next()?].iter().collect();
                    bytes.push(u8::from_str_radix(&hex, 16).ok()?);
                }
                'u' => {
                    flush_bytes(&mut bytes, &mut item);
                    let hex: String = (0..4).map(|_| chars.next()).collect::<Option<_>>()?;
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    item.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                other => {
                    flush_bytes(&mut bytes, &mut item);
                    item.push(other);
                }
            }
        }
        flush_bytes(&mut bytes, &mut item);
        items.push(item);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => break,
            Some(',') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                if chars.peek().is_none() {
                    break;
                }
            }
            Some(_) => return None,
        }
    }
    Some(items)
}

/// Escaped bytes (`\xe2\x80\x9d`) were written by a scraper that printed
/// UTF-8 bytes one by one: a run that is valid UTF-8 is that text, and any
/// other byte stands for itself, as Python reads `\xNN` in a string.
fn flush_bytes(bytes: &mut Vec<u8>, out: &mut String) {
    if bytes.is_empty() {
        return;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => out.push_str(text),
        Err(_) => out.extend(bytes.iter().map(|&b| char::from(b))),
    }
    bytes.clear();
}

/// Splits a flattened line at runs of two or more spaces.
fn split_runs(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' && bytes.get(i + 1) == Some(&b' ') {
            let end = i;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            out.push(&line[start..end]);
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(&line[start..]);
    out
}

/// Collapses runs of white space to one space and trims.
pub(crate) fn clean_spaces(s: &str) -> String {
    if is_clean(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `s` has no white space but single plain spaces between words: what
/// [`clean_spaces`] would return unchanged. Nearly every line of text is
/// already clean, so this is on the path of every block: the standard
/// library's vectorised search looks for a double space, and only control
/// bytes and characters outside ASCII are looked at one by one.
fn is_clean(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return false;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(at) = next_special(bytes, i) {
        if bytes[at] < 0x80 {
            if matches!(bytes[at], b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
                return false;
            }
            i = at + 1;
            continue;
        }
        let Some(c) = s[at..].chars().next() else {
            break;
        };
        if c.is_whitespace() {
            return false;
        }
        i = at + c.len_utf8();
    }
    true
}

/// One paragraph's worth of text (a line, or a run-separated piece of a
/// flattened line) → blocks. Links inside it are split out so each stands
/// as its own block, with the text around them as paragraphs.
fn parse_segment(seg: &str, flattened: bool, blocks: &mut Vec<Block>, after: &mut AfterMarker) {
    let seg = seg.trim();
    if seg.is_empty() {
        return;
    }
    if after.take_title(seg, blocks) {
        return;
    }
    // Most text holds no marker: every marker but one opening the segment
    // is followed by a colon (see `find_marker`).
    if !seg.as_bytes().contains(&b':') && !may_open_with_marker(seg) {
        push_text(seg, blocks, false);
        return;
    }
    // Markers are ASCII, so an ASCII-lowered copy keeps every byte offset.
    let lower = seg.to_ascii_lowercase();
    let mut text_start = 0;
    let mut found_link = false;
    while let Some(mut m) = find_marker(seg, &lower, text_start) {
        push_text(&seg[text_start..m.start], blocks, found_link);
        // "Baca juga: Baca juga: Judul": the marker written twice is one.
        while let Some(again) = may_open_with_marker(&seg[m.after..])
            .then(|| marker_at(seg, &lower, m.after))
            .flatten()
            .filter(|n| n.word == m.after)
        {
            m = MarkerAt {
                start: m.start,
                ..again
            };
        }
        let (mut link, mut consumed) = read_link(seg, &lower, &m, flattened);
        // "Baca Juga: - Judul Satu - Judul Dua": a list of titles, each a
        // link under the same marker.
        // The link read so far ends where the next title under the same
        // marker starts at `at`.
        let next_item = |link: Link, at: usize, blocks: &mut Vec<Block>| {
            blocks.push(Block::Link(Link {
                glued: false,
                ..link
            }));
            let item = MarkerAt {
                start: at,
                after: at,
                close: None,
                ..m
            };
            read_link(seg, &lower, &item, flattened)
        };
        if let Some(bullet) = bullet_of(&seg[m.after..]) {
            while let Some(at) = next_bullet(seg, consumed, bullet) {
                (link, consumed) = next_item(link, at, blocks);
            }
        }
        // Two titles glued by the scraper ("… Kartu PrakerjaBPIP: Jadikan
        // …"): the second, a headline to the end of the segment, is a link
        // under the same marker.
        // (Only to the end of the segment: with a marker after it, the
        // glued text is prose before that marker.)
        if second_title_at(seg, consumed) && find_marker(seg, &lower, consumed).is_none() {
            (link, consumed) = next_item(link, consumed, blocks);
        }
        // A title closed by its parenthesis is certain; any other with text
        // after it on its line may be settled by the library's titles.
        link.glued |= m.close.is_none() && !seg[consumed..].trim().is_empty();
        // A marker with nothing after it on its line or in its segment
        // ("… kata Ikhsan. Baca juga:  Judul …" split at the run of spaces)
        // names what follows.
        let alone = link.target.is_none() && !link.glued;
        blocks.push(Block::Link(link));
        if alone {
            let colon = seg[m.end..].contains(':');
            // "Baca juga:" names one title on the next line; a bare "Baca
            // Juga" heads a short list of them.
            *after = AfterMarker {
                link: Some(blocks.len() - 1),
                colon,
                flattened,
                ..AfterMarker::default()
            };
        }
        found_link = true;
        text_start = consumed;
    }
    push_text(&seg[text_start..], blocks, found_link);
}

/// At most this many title lines stand under a bare "Baca Juga".
const TITLES_UNDER_MARKER: usize = 5;

/// A marker alone on its line, waiting for the title lines a scraper put
/// under it. "Baca juga:" with its colon names the one title on the next
/// line (or list item) when that reads like a headline. A bare "Baca Juga"
/// heads a short block of headlines in Title Case that a blank line ends;
/// the lines are held back until that blank line, since a marker whose
/// title the scraper dropped is followed by the article's own subheading
/// or prose, which must stay what it is (the marker stays a link with no
/// target).
#[derive(Default)]
struct AfterMarker {
    /// The block of the bare link.
    link: Option<usize>,
    colon: bool,
    flattened: bool,
    titles_taken: usize,
    /// Headline lines under a bare marker, not yet known to be titles.
    held: Vec<String>,
}

impl AfterMarker {
    /// Takes `seg` as a title under the marker, or holds it back, when it
    /// reads like one; returns whether it did. A line that does not ends
    /// the wait, and the lines held back are read as they are.
    fn take_title(&mut self, seg: &str, blocks: &mut Vec<Block>) -> bool {
        let Some(at) = self.link else {
            return false;
        };
        let headline = reads_like_headline(seg, !self.colon)
            && (self.colon || reads_title_case(seg))
            && matches!(blocks.get(at), Some(Block::Link(_)));
        if self.colon {
            if headline && self.titles_taken == 0 && at + 1 == blocks.len() {
                self.add_title(seg, blocks);
                return true;
            }
        } else if headline && self.held.len() < TITLES_UNDER_MARKER {
            self.held.push(seg.to_owned());
            return true;
        } else if self.held.len() >= 2
            && !self
                .held
                .iter()
                .any(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        {
            // Two or more headlines in a row are the marker's list even with
            // prose right after; one could be the article's own subheading,
            // and lines opening with a time are its schedule.
            for seg in std::mem::take(&mut self.held) {
                self.add_title(&seg, blocks);
            }
            *self = AfterMarker::default();
            return false;
        }
        self.give_back(blocks);
        false
    }

    /// A blank line (or the end of the text): the lines held back under a
    /// bare marker are its titles.
    fn blank_line(&mut self, blocks: &mut Vec<Block>) {
        if self.held.is_empty() && self.titles_taken == 0 {
            return; // still waiting for the first title
        }
        for seg in std::mem::take(&mut self.held) {
            self.add_title(&seg, blocks);
        }
        *self = AfterMarker::default();
    }

    /// Reads the lines held back as ordinary text, and stops waiting.
    fn give_back(&mut self, blocks: &mut Vec<Block>) {
        let held = std::mem::take(&mut self.held);
        let flattened = self.flattened;
        *self = AfterMarker::default();
        for seg in held {
            parse_segment(&seg, flattened, blocks, self);
        }
    }

    fn add_title(&mut self, seg: &str, blocks: &mut Vec<Block>) {
        let Some(at) = self.link else {
            return;
        };
        let title = clean_spaces(seg);
        if self.titles_taken == 0 {
            if let Some(Block::Link(link)) = blocks.get_mut(at) {
                link.text = format!("{} {title}", link.text);
                link.target = Some(title);
            }
        } else if let Some(Block::Link(first)) = blocks.get(at) {
            let (marker, kind) = (first.marker.clone(), first.kind);
            blocks.push(Block::Link(Link {
                text: title.clone(),
                marker,
                target: Some(title),
                kind,
                url: None,
                glued: false,
            }));
        }
        self.titles_taken += 1;
    }
}

/// Most words capitalised (or numbers), as headlines in Title Case are;
/// the short lower-case words headlines keep ("di", "dan") aside.
fn reads_title_case(seg: &str) -> bool {
    let (mut capital, mut lower) = (0, 0);
    for w in seg.split_whitespace() {
        if is_connector(w) {
            continue;
        }
        match w.chars().find(|c| c.is_alphanumeric()) {
            Some(c) if c.is_uppercase() || c.is_ascii_digit() => capital += 1,
            Some(_) => lower += 1,
            None => {}
        }
    }
    capital >= 2 && lower * 4 <= capital
}

/// A line that can be a headline standing under a marker: a few words
/// (three or more when `strict`), no sentence ending inside, and no full
/// stop, comma or colon at its end (an ellipsis, `?` and `!` are headline
/// endings). A line holding a marker of its own is not one.
fn reads_like_headline(seg: &str, strict: bool) -> bool {
    let words = seg.split_whitespace().count();
    let min = if strict { 3 } else { 1 };
    let t = seg.trim_end_matches(['"', '\u{201d}', '\'', '\u{2019}']);
    let ellipsis = t.ends_with("...") || t.ends_with('\u{2026}');
    let first_ok = seg
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || opens_quote(&c.to_string()));
    (min..=HEADLINE_MAX_WORDS).contains(&words)
        && first_ok
        && seg.chars().filter(|c| c.is_alphanumeric()).count() >= 2
        && (ellipsis || !t.ends_with(['.', ',', ';', ':']))
        && !has_sentence_end(t.trim_end_matches(['.', '\u{2026}', '?', '!']))
        && find_marker(seg, &seg.to_ascii_lowercase(), 0).is_none()
}

/// The first words of [`MARKERS`].
const MARKER_FIRST_WORDS: &[&str] = &[
    "artikel", "berita", "saksikan", "tonton", "simak", "lihat", "baca",
];

/// Whether `seg` starts with the first word of a marker, in any case.
fn may_open_with_marker(seg: &str) -> bool {
    MARKER_FIRST_WORDS.iter().any(|word| {
        seg.as_bytes()
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// Text before a link, or a whole line without one: a heading when it looks
/// like one and stands alone, else a paragraph.
fn push_text(text: &str, blocks: &mut Vec<Block>, after_link_in_line: bool) {
    let text = clean_spaces(text);
    if text.is_empty() {
        return;
    }
    if !after_link_in_line && is_heading_like(&text) {
        blocks.push(Block::Heading { text });
    } else {
        blocks.push(Block::Paragraph { text });
    }
}

/// Short, unpunctuated, starts like a sentence: a subheading.
pub(crate) fn is_heading_like(text: &str) -> bool {
    // Cheapest tests first: paragraphs end in punctuation or are long, and
    // are turned away before any counting (a character takes at most 4
    // bytes, so longer text cannot be short enough).
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().last().unwrap_or(' ');
    text.len() <= HEADING_MAX_CHARS * 4
        && !matches!(
            last,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | '"'
                | '\''
                | '\u{201d}'
                | '\u{2019}'
                | ')'
                | '\u{2026}'
        )
        && (first.is_uppercase() || first.is_ascii_digit())
        && text.chars().count() <= HEADING_MAX_CHARS
        && (1..=HEADING_MAX_WORDS).contains(&text.split_whitespace().count())
}

struct MarkerAt {
    /// Byte offset where the link's text starts: the marker's first
    /// letter, or the parenthesis it stands in ("(Baca juga: …)").
    start: usize,
    /// Byte offset of the marker's first letter.
    word: usize,
    /// The closing parenthesis of a link in parentheses: its title ends
    /// there.
    close: Option<usize>,
    /// Byte offset just after the marker words (before the colon).
    end: usize,
    /// Byte offset just after the colon and following spaces, or `end` when
    /// the marker stands alone.
    after: usize,
    video: bool,
}

/// Finds the next link marker in `s` at or after `from`. A marker counts when
/// it starts the segment, or follows a sentence end, and is followed by a
/// colon ("Baca juga: …"); at the start of a segment a bare marker with
/// nothing after it ("Baca Juga") counts too. "(baca : …)" is prose: an open
/// parenthesis is no sentence end. `lower` is `s` in ASCII lower case.
fn find_marker(s: &str, lower: &str, from: usize) -> Option<MarkerAt> {
    let bytes = lower.as_bytes();
    // A marker standing alone ("Baca Juga") counts only at the very start.
    if from == 0 {
        let first = bytes.iter().position(|&b| b != b' ').unwrap_or(bytes.len());
        if let Some(m) = marker_at(s, lower, first) {
            return Some(m);
        }
    }
    // Every other marker is followed by a colon, and colons are rare in
    // prose: find them and look back for a marker before each, instead of
    // checking every "ba" or "li" of a long line.
    let mut pos = from;
    while let Some(rel) = memchr::memchr(b':', bytes.get(pos..)?) {
        let colon = pos + rel;
        let mut end = skip_spaces_back(bytes, colon);
        if bytes[..end].ends_with(b"video") {
            end = skip_spaces_back(bytes, end - 5);
        }
        // Every marker ends in one of these letters; most colons in prose
        // ("kata dia:", "10:30") follow another.
        if end == 0 || !matches!(bytes[end - 1], b'a' | b'k' | b't') {
            pos = colon + 1;
            continue;
        }
        for marker in MARKERS {
            let Some(start) = marker_start_before(bytes, end, marker) else {
                continue;
            };
            if start < from {
                continue;
            }
            if let Some(mut m) = marker_at(s, lower, start) {
                if m.start < from {
                    // The parenthesis belongs to the text before: a link
                    // cut short by this marker ended in it.
                    m.start = m.word;
                    m.close = None;
                }
                return Some(m);
            }
        }
        pos = colon + 1;
    }
    None
}

fn skip_spaces_back(bytes: &[u8], mut end: usize) -> usize {
    while end > 0 && bytes[end - 1] == b' ' {
        end -= 1;
    }
    end
}

/// Where `marker` starts if its words, with any spaces between them, end
/// exactly at `end`.
fn marker_start_before(bytes: &[u8], end: usize, marker: &str) -> Option<usize> {
    let mut at = end;
    for (i, word) in marker.rsplit(' ').enumerate() {
        if i > 0 {
            let before = skip_spaces_back(bytes, at);
            if before == at {
                return None;
            }
            at = before;
        }
        at = at.checked_sub(word.len())?;
        if &bytes[at..at + word.len()] != word.as_bytes() {
            return None;
        }
    }
    Some(at)
}

fn marker_at(s: &str, lower: &str, start: usize) -> Option<MarkerAt> {
    let at_start = s[..start].trim().is_empty();
    // A capitalised marker with its colon is a link wherever a scraper
    // left it: after a word, a colon or a bracket, glued to a word. In
    // lower case it is a link only where a sentence or line starts, so a
    // gloss like "(baca: polisi)" stays prose.
    // Inside an address ("https://contoh.id/Baca:Judul") it is no marker.
    let in_address = s[..start].rsplit(' ').next().is_some_and(|t| {
        t.contains("://") || t.starts_with("www.") || t.ends_with(['/', '=', '@'])
    });
    let capital = s[start..].starts_with(|c: char| c.is_uppercase())
        && !s[..start].ends_with('\\')
        && !in_address;
    if !at_start && !capital && !after_sentence_end(&s[..start]) && !glued_to_word(s, start) {
        return None;
    }
    let hay = &lower[start..];
    let marker = MARKERS.iter().find(|m| starts_with_words(hay, m))?;
    let end = start + matched_len(hay, marker);
    let mut rest = s[end..].trim_start();
    let mut video = VIDEO_MARKERS.contains(marker);
    // "Simak juga Video: …" names a video, and so does "Simak Video 'X'"
    // opening a line, its title in quotes.
    if rest.len() >= 5 && rest.is_char_boundary(5) && rest[..5].eq_ignore_ascii_case("video") {
        let r = rest[5..].trim_start();
        if r.starts_with(':') {
            video = true;
            rest = r;
        } else if at_start {
            if let Some(m) = quoted_title(s, start, end, r) {
                return Some(m);
            }
            // "Lihat juga video Banjir Meluas di Kota": no colon, the
            // video's headline right after.
            if starts_headline(r) {
                return Some(MarkerAt {
                    start,
                    word: start,
                    close: None,
                    end,
                    after: s.len() - r.len(),
                    video: true,
                });
            }
        }
    }
    // "Simak" and "Lihat" alone are markers only of a video ("Lihat
    // Video 'X'"); as words they are everywhere in prose.
    if matches!(*marker, "simak" | "lihat") && !video {
        return None;
    }
    if let Some(after_colon) = rest.strip_prefix(':') {
        let after = s.len() - after_colon.trim_start().len();
        // Lower case running to a full stop is a sentence, not a headline:
        // "Lihat juga: jadwal lengkapnya di bawah ini."
        let tail = s[after..].trim_end();
        let first = tail.split(' ').next().unwrap_or("");
        if first.starts_with(char::is_lowercase)
            && !first.contains(char::is_uppercase)
            && tail.ends_with('.')
            && !tail.ends_with("..")
        {
            return None;
        }
        let before = s[..start].trim_end();
        let close = if capital && before.ends_with('(') {
            closing_paren(s, after)
        } else {
            None
        };
        return Some(MarkerAt {
            start: if close.is_some() {
                before.len() - 1
            } else {
                start
            },
            word: start,
            close,
            end,
            after,
            video,
        });
    }
    // "Baca juga Harga Cabai Naik Lagi": no colon, but a headline in
    // Title Case right after the marker opening a paragraph.
    if at_start && COLONLESS_MARKERS.contains(marker) && starts_headline(rest) {
        return Some(MarkerAt {
            start,
            word: start,
            close: None,
            end,
            after: s.len() - rest.len(),
            video,
        });
    }
    // A marker alone on its line is a link whose title the scraper dropped;
    // a bare "Baca" alone is too common a word to count.
    if at_start && rest.is_empty() && *marker != "baca" {
        return Some(MarkerAt {
            start,
            word: start,
            close: None,
            end,
            after: s.len(),
            video,
        });
    }
    None
}

/// A video link whose title stands in quotes after "Video" (`rest`):
/// "Simak juga Video 'Janji Mensos'" or `Tonton juga video "X" di sini:`.
fn quoted_title(s: &str, start: usize, end: usize, rest: &str) -> Option<MarkerAt> {
    let open = rest.chars().next()?;
    let close = match open {
        '"' => '"',
        '\'' => '\'',
        '\u{201c}' => '\u{201d}',
        '\u{2018}' => '\u{2019}',
        _ => return None,
    };
    let after = s.len() - rest.len() + open.len_utf8();
    let window = after + words_window(&s[after..], LINK_MAX_WORDS);
    let at = after + s[after..window].find(close)?;
    Some(MarkerAt {
        start,
        word: start,
        close: Some(at),
        end,
        after,
        video: true,
    })
}

/// `rest` opens with a headline in Title Case.
fn starts_headline(rest: &str) -> bool {
    let head = &rest[..words_window(rest, 8)];
    rest.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())
        && head.split_whitespace().count() >= 3
        && reads_title_case(head)
}

/// The parenthesis closing one opened before `from`, within the words a
/// title can have; parentheses opened inside the title are skipped.
fn closing_paren(s: &str, from: usize) -> Option<usize> {
    let window = from + words_window(&s[from..], LINK_MAX_WORDS + 2);
    let mut depth = 0usize;
    for (i, b) in s.as_bytes()[from..window].iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(from + i),
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A capitalised marker stuck to the end of the word before it, as
/// scrapers leave it ("… 100 meter putraBaca juga: …"). It still needs its
/// colon, which `marker_at` asks of every marker not starting a line.
fn glued_to_word(s: &str, start: usize) -> bool {
    s[start..].starts_with(|c: char| c.is_ascii_uppercase())
        && s[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_lowercase() || matches!(c, '.' | '!' | '?' | '"' | '\u{201d}'))
}

/// `hay` starts with the words of `marker`, with any white space between
/// them, followed by a non-letter.
fn starts_with_words(hay: &str, marker: &str) -> bool {
    let n = matched_len(hay, marker);
    n > 0 && !hay[n..].starts_with(|c: char| c.is_alphanumeric())
}

fn matched_len(hay: &str, marker: &str) -> usize {
    let mut h = 0;
    let hb = hay.as_bytes();
    for (i, word) in marker.split(' ').enumerate() {
        if i > 0 {
            let ws = hb[h..].iter().take_while(|&&b| b == b' ').count();
            if ws == 0 {
                return 0;
            }
            h += ws;
        }
        if !hay[h..].starts_with(word) {
            return 0;
        }
        h += word.len();
    }
    h
}

/// Text before a marker ends a sentence: a full stop, a closing quote, an
/// exclamation or question mark, or a closing bracket after one.
fn after_sentence_end(before: &str) -> bool {
    let t = before.trim_end();
    if t.len() == before.len() {
        return false; // the marker must start a word
    }
    matches!(
        t.chars().last(),
        Some(
            '.' | '!'
                | '?'
                | '"'
                | '\u{201d}'
                | '\u{2019}'
                | '\''
                | ')'
                | ']'
                | '\u{2026}'
                | '|'
                | '-'
                | '\u{2013}'
                | '\u{2014}'
        )
    ) && !t.ends_with('(')
}

/// Reads the link starting at `m`; returns it and the byte offset where the
/// text after it starts.
fn read_link(s: &str, lower: &str, m: &MarkerAt, flattened: bool) -> (Link, usize) {
    let marker = clean_spaces(&s[m.word..m.end]);
    let kind = if m.video {
        LinkKind::Video
    } else {
        LinkKind::Article
    };
    // The title starts after the marker, and after the bullet of a list of
    // titles ("Baca Juga: - Satu - Dua").
    let bullet = bullet_of(&s[m.after..]);
    let at = match bullet {
        Some(b) => s.len() - s[m.after + b.len_utf8()..].trim_start().len(),
        None => m.after,
    };
    let rest = &s[at..];
    // No title runs past a few dozen words, so only that much is examined:
    // a long line holding many links stays linear.
    let window = words_window(rest, LINK_MAX_WORDS + 2);
    // The title ends at a run of two spaces (scrapers join paragraphs so), at
    // the next bullet or marker, or where the heuristic says the next
    // sentence starts.
    let mut end = rest[..window].find("  ").unwrap_or(window);
    if let Some(b) = bullet {
        if let Some(next) = rest[..end].find(&format!(" {b} ")) {
            end = next;
        }
    }
    if let Some(close) = m.close {
        // "(Baca juga: Title)": the parenthesis says where the title ends.
        let end = (close - at).min(end);
        let consumed = if at + end == close {
            close + 1
        } else {
            at + end
        };
        return link_of(s, m, marker, kind, &rest[..end], consumed);
    }
    let mut next_marker = None;
    // Only a marker within the title's reach can end it, so only that much
    // is searched: a long line holding many links stays linear.
    if let Some(next) = find_marker(&s[..at + end], &lower[..at + end], at + 1) {
        end = next.start - at;
        // "… Said Didu(Baca juga: …)": the parenthesis opens the next link.
        let before = rest[..end].trim_end();
        if let Some(open) = before.strip_suffix('(') {
            end = open.len();
        }
        next_marker = Some(at + end);
    }
    // A link that starts its line owns the whole line (the native format)
    // unless the line is too long for a title; a link glued inside a
    // paragraph needs the guess.
    let owns_line = s[..m.start].trim().is_empty() && !flattened && window == rest.len();
    // Text after a cut must read like prose, or the cut is not taken: a
    // sentence-case title alone at the end ("Warga Armenia bakar rumah") is
    // thus never split.
    let prose_after =
        |cut: usize, words_before: usize| reads_like_prose(s, at + cut, words_before, next_marker);
    let cut = title_end(&rest[..end], owns_line, &prose_after);
    let (mut link, consumed) = link_of(s, m, marker, kind, &rest[..cut], at + cut);
    // A line whose text reads like a headline followed by prose is still
    // the link's title by the native rule, but that end is a guess too:
    // the library's titles may settle it (see `links::resplit_inline`).
    // A title running on to a full stop is prose glued to it as well.
    let guessed = if owns_line {
        let title = rest[..cut].trim_end();
        // Only a line that may hold prose after its headline is asked:
        // one ending in a full stop, holding a sentence end, or long.
        (title.ends_with('.')
            || has_sentence_end(title)
            || title.split(' ').count() > HEADING_MAX_WORDS)
            && title_end(&rest[..cut], false, &prose_after) < cut
    } else {
        cut < end || rest[..cut].trim_end().ends_with('.')
    };
    link.glued = link.target.is_some() && guessed;
    (link, consumed)
}

/// Whether a second headline is glued to the title that ends at `at`:
/// no space between, and the rest of the segment reads as a headline in
/// Title Case, not a credit.
fn second_title_at(seg: &str, at: usize) -> bool {
    let rest = &seg[at..];
    let glued = !rest.starts_with(' ') && !seg[..at].ends_with(' ') && at > 0;
    let words: Vec<&str> = rest.split(' ').take(2).collect();
    let first = words.first().copied().unwrap_or("");
    let credit = CREDITS.contains(&first.trim_end_matches(':').to_lowercase().as_str());
    glued
        && !credit
        && !ends_title(&words, 0)
        && rest.starts_with(|c: char| c.is_uppercase())
        && reads_like_headline(rest, true)
        && reads_title_case(rest)
}

/// The bullet opening a list of titles after a marker: a dash or a dot
/// followed by a space.
fn bullet_of(rest: &str) -> Option<char> {
    let mut chars = rest.chars();
    let b = chars.next()?;
    (matches!(b, '-' | '\u{2013}' | '\u{2022}' | '*') && chars.next() == Some(' ')).then_some(b)
}

/// Where the next item of a list of titles starts: the same bullet, after
/// the one that ended at `from`.
fn next_bullet(s: &str, from: usize, bullet: char) -> Option<usize> {
    let rest = &s[from..];
    let t = rest.trim_start();
    (t.starts_with(bullet) && t[bullet.len_utf8()..].starts_with(' '))
        .then(|| from + rest.len() - t.len())
}

/// The link starting at `m` whose title is `title`, and where the text
/// after it starts.
fn link_of(
    s: &str,
    m: &MarkerAt,
    marker: String,
    kind: LinkKind,
    title: &str,
    consumed: usize,
) -> (Link, usize) {
    // A comma or semicolon no headline ends with: the join of the next
    // paragraph ("Judul,Baca juga: …").
    let target_raw = title.trim().trim_end_matches([',', ';']).trim_end();
    let text = clean_spaces(&s[m.start..consumed]);
    // "Baca juga: [Judul](https://…)": the title and where it points.
    let (target_raw, url) = match linked_title(target_raw) {
        Some((title, url)) => (title, Some(url.to_owned())),
        None => (target_raw, None),
    };
    let target = (!target_raw.is_empty()).then(|| clean_spaces(target_raw));
    (
        Link {
            text,
            marker,
            target,
            kind,
            url,
            glued: false,
        },
        consumed,
    )
}

/// A title written with its address, as Markdown writes a link:
/// `[Judul](https://…)`.
fn linked_title(s: &str) -> Option<(&str, &str)> {
    let inner = s.strip_prefix('[')?.strip_suffix(')')?;
    let (title, url) = inner.rsplit_once("](")?;
    let web = url.starts_with("https://") || url.starts_with("http://");
    (web && !url.contains(char::is_whitespace) && !title.is_empty()).then_some((title.trim(), url))
}

/// The byte length of the first `n` space-separated words of `s` (all of
/// `s` when it has no more).
fn words_window(s: &str, n: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, b) in s.bytes().enumerate() {
        if b == b' ' {
            if in_word {
                words += 1;
                if words == n {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s.len()
}

/// No headline is this long: text that would make it so is prose.
const HEADLINE_MAX_WORDS: usize = 20;
/// How far past a candidate cut the text is examined for a sentence end.
const PROSE_LOOKAHEAD: usize = 600;

/// Whether the text of segment `s` from byte `from` on reads like prose
/// rather than the rest of a headline: a sentence ends in it (prose has full
/// stops, headlines do not), or it runs into the next marker (which only
/// counts after a sentence end), or it ends the segment the way prose does,
/// or it is too long to be the rest of a headline `words_before` words long.
fn reads_like_prose(s: &str, from: usize, words_before: usize, next_marker: Option<usize>) -> bool {
    let mut to = (from + PROSE_LOOKAHEAD).min(s.len());
    while !s.is_char_boundary(to) {
        to -= 1;
    }
    let before_marker = next_marker.is_some_and(|n| n <= to);
    if let Some(n) = next_marker {
        to = to.min(n);
    }
    let tail = s[from..to].trim();
    let words = tail
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(HEADLINE_MAX_WORDS)
        .count();
    if (words >= 4 && has_sentence_end(tail)) || words_before + words >= HEADLINE_MAX_WORDS {
        return true;
    }
    let at_end = before_marker || to == s.len();
    words >= 2 && at_end && {
        let t = tail.trim_end_matches(['"', '\u{201d}', '\u{2019}', '\'', ')']);
        before_marker || (t.ends_with(['.', ':', ';', ',']) && !t.ends_with(".."))
    }
}

/// A full stop, question or exclamation mark that ends a sentence inside
/// `s`: followed by a space or a closing quote, and not part of an ellipsis
/// or a number ("10.30").
fn has_sentence_end(s: &str) -> bool {
    let b = s.as_bytes();
    (1..b.len()).any(|i| {
        matches!(b[i], b'.' | b'!' | b'?')
            && b[i - 1] != b'.'
            && b.get(i + 1).is_none_or(|&n| n == b' ' || n == b'"')
            && !(b[i] == b'.' && b.get(i + 1) == Some(&b'.'))
            && b[i - 1] != b' '
    }) || s.contains(".\u{201d}")
}

/// Short words that Indonesian headlines often keep in lower case.
const CONNECTORS: &[&str] = &[
    "di", "ke", "dari", "dan", "yang", "untuk", "vs", "vs.", "&", "atau", "pada", "dengan", "ini",
    "itu", "jadi", "bagi", "oleh", "akan", "tak", "tidak", "soal", "hingga", "usai", "saat",
    "jelang", "sebagai", "karena", "ada", "the", "of", "and", "in", "a", "-", "\u{2013}",
    "\u{2014}", "juga", "ala", "per", "pun", "lagi", "lebih", "dalam", "atas", "agar", "bisa",
    "masih", "belum", "sudah", "telah", "kian", "makin", "para", "sang", "si", "hari", "baru",
    // Particles inside names ("Ursula von der Leyen", "Hasan bin Ali").
    "von", "van", "der", "den", "de", "bin", "binti", "al", "el", "da", "dos", "la", "le", "du",
];

/// Words that open a sentence, never a headline's middle, when a comma
/// follows them ("Namun, …", "Sementara itu, …", "Menurut dia, …").
const SENTENCE_OPENERS: &[&str] = &[
    "namun",
    "sementara",
    "sebelumnya",
    "kemudian",
    "selanjutnya",
    "akhirnya",
    "padahal",
    "adapun",
    "sedangkan",
    "diketahui",
    "selain",
    "menurutnya",
    "sayangnya",
    "meski",
    "meskipun",
    "walaupun",
    "oleh",
    "dengan",
    "untuk",
    "sebagai",
    "sejauh",
    "saat",
    "hingga",
    "sampai",
    "setelah",
    "sebelum",
    "selama",
    "terkait",
    "terpisah",
    "dalam",
    "di",
    "lebih",
    "menurut",
    "baru-baru",
    "kini",
    "jadi",
    "karena",
    "tak",
    "sebab",
    "bahkan",
];

/// Openers that may name someone before their comma ("Menurut Gus Ipul,",
/// "Selain Heru,").
const OPENERS_WITH_NAMES: &[&str] = &["menurut", "selain", "kepada", "bagi"];

/// Conjunctions that start a sentence and never stand inside a headline.
const STRONG_OPENERS: &[&str] = &["adapun", "namun", "sedangkan", "padahal"];

/// Prepositions a headline writes in lower case: capitalised and followed
/// by a lower-case word ("Dalam foto …", "Pada perdagangan …") they open
/// a sentence.
const PREPOSITIONS: &[&str] = &[
    "di", "ke", "dari", "pada", "untuk", "dengan", "dalam", "oleh", "bagi", "atas", "sejak",
    "kepada", "terhadap", "tentang", "setelah", "sebelum", "selain", "sebagai", "hingga",
];

/// A quote opened in a title closes within this many words ("Judi
/// "Online" Asal China"); a longer one is someone speaking.
const QUOTE_MAX_WORDS: usize = 6;

/// Where a link title ends, as a byte offset into `rest` (the text after
/// the marker, up to where a run of spaces or the next marker ends it).
///
/// Some ends are certain whatever the title's case: what no headline holds
/// (an editor's initials "(abc/def)", a credit "Pewarta:", "Foto/…",
/// "[Gambas:Video …]", "ADVERTISEMENT", a dateline "JAKARTA -"), and two
/// texts glued without a space where what follows the glue cannot continue
/// a name ("…JepangMeski tetap …", "…baikPewarta: …"). A link that owns its
/// line (`owns_line`) stops only there: the line is its title, even in
/// sentence case.
///
/// A link inside a paragraph also needs a guess at where the next sentence
/// starts. Headlines are in Title Case, with lower-case words only here and
/// there ("Mundur lalu Hantam Warung"); prose is mostly lower case. So the
/// next sentence starts at a capitalised word followed by lower-case prose
/// ("Hal ini diungkapkan …", "Puan mengatakan, …"), at a quote that opens
/// speech rather than a quoted name, or at "Namun," and its kind; a
/// sentence mark (. ! ?) ends the title too. Commas do not: headlines are
/// full of them. `prose_after(offset, words_before)` says whether the text
/// from a candidate cut on reads like prose; a cut where it does not is not
/// taken.
fn title_end(rest: &str, owns_line: bool, prose_after: &dyn Fn(usize, usize) -> bool) -> usize {
    let spans = title_words(rest);
    let words: Vec<&str> = spans.iter().map(|w| &rest[w.start..w.end]).collect();
    let certain = |k: usize| {
        k >= LINK_MAX_WORDS
            || (k >= 1 && ends_title(&words, k))
            || (k >= 1
                && spans[k].glued
                && match glue_ends_title(&words, k) {
                    Glue::Ends => true,
                    // Only a sentence after it makes such a glue an end: a
                    // name ("TikTok untuk jualan kopi") reads on as a title.
                    Glue::IfProse => prose_after(spans[k].start, k),
                    Glue::Name => false,
                })
    };
    // A certain end within a headline's length, with no sentence ending
    // before it, is the end: the words before it are the title whatever
    // their case ("Ganjar ajak warga jaga kondusivitasPewarta: …").
    let first_certain = (1..words.len()).find(|&k| certain(k));
    if let Some(k) = first_certain {
        let title = &rest[..spans[k - 1].end];
        // A question or exclamation inside is a headline's ("Apa Itu PPN?
        // Ini Penjelasannya"); a full stop is prose's.
        let full_stop = has_sentence_end(&title.replace(['?', '!'], ","));
        if owns_line || (k <= HEADLINE_MAX_WORDS && !full_stop) {
            return spans[k - 1].end;
        }
    }
    for (k, w) in words.iter().enumerate() {
        if Some(k) == first_certain {
            return spans[k - 1].end;
        }
        if owns_line {
            continue;
        }
        if k >= 1 && starts_sentence(&words, k) && prose_after(spans[k].start, k) {
            return spans[k - 1].end;
        }
        // A question or exclamation inside a headline is common ("Apa Itu
        // PPN? Ini Penjelasannya"): it ends the title only before prose.
        if k + 1 < words.len()
            && w.ends_with(['.', '!', '?'])
            && k >= 1
            && w.chars().count() > 3
            && (w.ends_with('.') || prose_after(spans[k + 1].start, k + 1))
        {
            return spans[k].end;
        }
    }
    rest.len()
}

/// A word of a link's text, with whether it was glued to the word before
/// it with no space between.
struct TitleWord {
    start: usize,
    end: usize,
    glued: bool,
}

/// The words of `rest`: split at spaces, and inside a word where two texts
/// were glued by a scraper that dropped the line break: a lower-case letter
/// or a digit followed by a capital ("JepangMeski"), an acronym followed by
/// a capitalised word ("MUIPewarta"), and a closing mark or letter followed
/// by an opening quote and a capital ("Jadwalnya\"Sebanyak").
fn title_words(rest: &str) -> Vec<TitleWord> {
    let mut out = Vec::new();
    let mut at = 0;
    // Straight quotes open and close alike: an odd count so far means the
    // next one closes.
    let mut straight = 0usize;
    for token in rest.split(' ') {
        let start = at;
        at += token.len() + 1;
        if token.is_empty() {
            continue;
        }
        let mut piece = start;
        // Most words are plain: no capital past the first letter, no quote
        // or sentence mark inside, so nothing can be glued in them.
        let plain = token.bytes().skip(1).all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'/')
        });
        if plain && !token.starts_with('"') {
            out.push(TitleWord {
                start,
                end: start + token.len(),
                glued: false,
            });
            continue;
        }
        let chars: Vec<(usize, char)> = token.char_indices().collect();
        let mut closed_here = false;
        if chars.first().is_some_and(|&(_, c)| c == '"') {
            straight += 1;
        }
        for j in 1..chars.len() {
            let (i, c) = chars[j];
            let p = chars[j - 1].1;
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let opening = c == '\u{201c}' || (c == '"' && straight.is_multiple_of(2));
            let after_close = p == '\u{201d}' || (p == '"' && closed_here);
            closed_here = false;
            if c == '"' {
                closed_here = straight % 2 == 1;
                straight += 1;
            }
            let upper_run = chars[..j]
                .iter()
                .rev()
                .take_while(|(_, x)| x.is_uppercase())
                .count();
            // An editor's initials or an embed glued on: "…Hari
            // Ini(lir/imk)", "…Hari Ini[Gambas:Video 20detik]".
            if matches!(c, '(' | '[') && p.is_alphanumeric() && start + i > piece {
                out.push(TitleWord {
                    start: piece,
                    end: start + i,
                    glued: piece != start,
                });
                piece = start + i;
                continue;
            }
            let glue = (c.is_uppercase()
                && (p.is_lowercase()
                    || (p.is_ascii_digit() && next.is_some_and(char::is_lowercase))
                    || matches!(p, '?' | '!' | ',' | ';')
                    || after_close
                    || (upper_run >= 2 && next.is_some_and(char::is_lowercase))))
                || (opening && p.is_alphanumeric() && next.is_some_and(char::is_uppercase));
            // The start of an acronym run is no glue: "PT" in "PTPN".
            if glue && start + i > piece {
                out.push(TitleWord {
                    start: piece,
                    end: start + i,
                    glued: piece != start,
                });
                piece = start + i;
            }
        }
        out.push(TitleWord {
            start: piece,
            end: start + token.len(),
            glued: piece != start,
        });
    }
    out
}

/// Words that credit a picture or a report: followed by a colon they end
/// a title ("Pewarta: …", "Editor: …").
const CREDITS: &[&str] = &[
    "pewarta",
    "editor",
    "penulis",
    "reporter",
    "penyunting",
    "kontributor",
    "sumber",
    "foto",
    "ilustrasi",
    "copyright",
    "video",
    "baca",
    "simak",
    "lihat",
];

/// Whether `words[k]` starts something no headline holds, so the title
/// ends before it: a credit, an advertisement's label, an editor's
/// initials, a dateline, or the number of the next list item ("2.") that
/// closes the text.
fn ends_title(words: &[&str], k: usize) -> bool {
    let w = words[k];
    let next = words.get(k + 1).copied().unwrap_or("");
    // Nearly every word is an ordinary one: a letter, then a lower-case
    // letter, no colon after it. Only the others are looked at closely.
    let mut bytes = w.bytes();
    let ordinary = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && !w.ends_with(':')
        && next != ":"
        && !w.starts_with("Foto")
        && !w.eq_ignore_ascii_case("advertisement");
    if ordinary {
        return false;
    }
    let list_number = k + 1 == words.len()
        && w.strip_suffix('.')
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()));
    let credit = || {
        // "(Foto: Antara/Budi)" as well.
        let bare = w.trim_end_matches(':').trim_start_matches('(');
        CREDITS.iter().any(|c| c.eq_ignore_ascii_case(bare))
    };
    (w.ends_with(':') || next == ":") && credit()
        || w.starts_with("[Gambas")
        || w.eq_ignore_ascii_case("advertisement")
        || is_site_suffix(w, next)
        || (w == "SCROLL" && next == "TO")
        || w.starts_with('\u{a9}')
        || starts_photo_credit(w)
        || is_initials(w)
        || is_dateline(w, next)
        || list_number
}

/// A site's name after a title: "- Kompas.com", "| Tempo.co".
fn is_site_suffix(w: &str, next: &str) -> bool {
    matches!(w, "-" | "|" | "\u{2013}")
        && [".com", ".co", ".id", ".net"]
            .iter()
            .any(|d| next.to_ascii_lowercase().ends_with(d))
}

/// "Foto/Instagram @…", "FOTO: …": a photo credit.
fn starts_photo_credit(w: &str) -> bool {
    ["Foto/", "FOTO/", "Foto:", "FOTO:"]
        .iter()
        .any(|p| w.starts_with(p))
}

/// An editor's initials closing a report: "(lir/imk)", "(erh)", "(SIS)".
fn is_initials(w: &str) -> bool {
    let Some(inner) = w
        .trim_end_matches(['.', ','])
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
    else {
        return false;
    };
    inner.split('/').all(|part| {
        (2..=4).contains(&part.len())
            && (part.bytes().all(|b| b.is_ascii_lowercase())
                || part.bytes().all(|b| b.is_ascii_uppercase()))
    }) && inner.bytes().any(|b| b.is_ascii_lowercase() || b == b'/')
}

/// A dateline opening a report: a place in capitals followed by a dash
/// ("JAKARTA -") or by the agency ("JAKARTA, KOMPAS.com").
fn is_dateline(w: &str, next: &str) -> bool {
    let place = w.trim_end_matches(',');
    place.chars().count() >= 3
        && place.chars().all(|c| c.is_uppercase() || c == '-')
        && (matches!(next, "-" | "\u{2013}" | "\u{2014}")
            || (w.ends_with(',') && next.contains(".com"))
            || next.starts_with("(ANTARA)"))
}

/// Whether the glue before `words[k]` ends the title: two texts were
/// joined, not a name written in camel case ("YouTube", "McDonald",
/// "MotoGP"). Names have a short capitalised first part; glued prose has a
/// whole word before the glue, lower case before a capital, a colon or a
/// quote after it, or a sentence following.
fn glue_ends_title(words: &[&str], k: usize) -> Glue {
    let left = words[k - 1];
    let right = words[k];
    if right.ends_with(':') || opens_quote(right) {
        return Glue::Ends;
    }
    if left.ends_with(['?', '!', '\u{201d}', ',', ';']) {
        return Glue::Ends;
    }
    let letters = left.chars().filter(|c| c.is_alphabetic()).count();
    let lower_start = left.starts_with(char::is_lowercase);
    let acronym = left.chars().all(|c| !c.is_lowercase());
    if lower_start {
        return if letters >= 3 { Glue::Ends } else { Glue::Name };
    }
    // A whole word before the glue and prose after it: "…BerubahSeorang
    // asisten …". Names glue a short part or a word to a capital with
    // another capitalised word after ("LinkedIn Bersaing", "MasterChef
    // Indonesia").
    let prose_next = words
        .get(k + 1)
        .is_some_and(|n| is_lower_word(n) && !is_connector(n));
    let whole_word = !acronym && (letters >= 6 || matches!(left, "Ini" | "Itu"));
    if whole_word {
        let bare = right.trim_end_matches(',').to_lowercase();
        // A credit in capitals ("…SalatigaTHINKSTOCK"), a sentence's
        // opening word ("…SalatigaSementara"), or prose right after.
        let caps = right.chars().filter(|c| c.is_uppercase()).count() >= 4
            && !right.chars().any(char::is_lowercase);
        if prose_next || caps || SENTENCE_OPENERS.contains(&bare.as_str()) {
            return Glue::Ends;
        }
        return Glue::IfProse;
    }
    if starts_sentence(words, k) {
        Glue::IfProse
    } else {
        Glue::Name
    }
}

/// What a glue between two words says of where a title ends.
enum Glue {
    Ends,
    /// An end if a sentence follows; a name otherwise.
    IfProse,
    Name,
}

/// Whether `words[k]` opens a new sentence rather than continuing a title.
fn starts_sentence(words: &[&str], k: usize) -> bool {
    let w = words[k];
    if opens_quote(w) {
        return opens_speech(words, k);
    }
    if !starts_upper(w) {
        return false;
    }
    let bare = w.trim_end_matches(',').to_lowercase();
    if STRONG_OPENERS.contains(&bare.as_str()) {
        return true;
    }
    // The words after, with bracketed asides such as "(40)" skipped.
    let next: Vec<&str> = words[k + 1..]
        .iter()
        .copied()
        .filter(|n| !(n.starts_with('(') && n.ends_with([')', ',', '.'])))
        // Numbers say nothing of case: "Sekitar 20 menit berselang".
        .filter(|n| {
            !n.bytes()
                .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b'%'))
        })
        .take(4)
        .collect();
    if SENTENCE_OPENERS.contains(&bare.as_str()) {
        // The comma comes after at most three more words, lower-case unless
        // the opener may name someone.
        let named = OPENERS_WITH_NAMES.contains(&bare.as_str());
        let phrase = next
            .iter()
            .take(3)
            .take_while(|n| named || is_lower_word(n));
        if w.ends_with(',') || phrase.into_iter().any(|p| p.ends_with(',')) {
            return true;
        }
    }
    let Some(first) = next.first() else {
        return false;
    };
    if !is_lower_word(first) {
        return false;
    }
    let ordinary = |n: &str| is_lower_word(n) && !is_connector(n);
    // "Pada perdagangan …": a capitalised preposition before prose.
    if PREPOSITIONS.contains(&bare.as_str()) && ordinary(first) {
        return true;
    }
    // "Puan mengatakan, …": someone, then what they did, then a comma.
    if ordinary(first) && first.ends_with(',') {
        return true;
    }
    // A run of lower-case words right after ("Hal ini diungkapkan", "Dana
    // ini akan digunakan"), or two ordinary ones among the next four
    // ("Pelaksanaan lelang KPK dilakukan"). Headlines keep lower-case words
    // apart ("Mundur lalu Hantam", "Militer dan akan Gabung").
    let run: Vec<&str> = next
        .iter()
        .take(3)
        .copied()
        .take_while(|n| is_lower_word(n))
        .collect();
    // A capitalised word ends the count: it may start the headline's next
    // part ("Aturan terkait Rehabilitasi …"); acronyms and numbers do not.
    let before_name = next.iter().take_while(|n| !is_capitalised_name(n));
    run.len() >= 3
        || (run.len() == 2 && run.iter().any(|n| ordinary(n)))
        || before_name.filter(|n| ordinary(n)).count() >= 2
}

fn opens_quote(w: &str) -> bool {
    // Scrapers sometimes open a quote with the closing sign (”Jadi, …).
    w.starts_with(['"', '\u{201c}', '\u{201d}', '\u{2018}', '\''])
}

/// A quote opened at `words[k]`: speech when it holds ordinary lower-case
/// words, ends its words with a comma or full stop inside the quote
/// (“Setuju,” jawab …), or does not close soon; a quoted name in a title
/// otherwise ("Judi "Online" Asal China").
fn opens_speech(words: &[&str], k: usize) -> bool {
    const QUOTES: [char; 5] = ['"', '\u{201c}', '\u{201d}', '\u{2018}', '\''];
    for (j, w) in words.iter().enumerate().skip(k).take(QUOTE_MAX_WORDS) {
        let inner = if j == k {
            w.trim_start_matches(QUOTES)
        } else {
            w
        };
        if is_lower_word(inner) && !is_connector(inner) {
            return true;
        }
        let unquoted = inner.trim_end_matches(['!', '?', ':', ';']);
        if let Some(body) = unquoted.strip_suffix(QUOTES) {
            if !body.is_empty() {
                return body.ends_with([',', '.']);
            }
        }
        if inner.trim_end_matches([',', '.']).ends_with(QUOTES) && inner.chars().count() > 1 {
            return false;
        }
    }
    // Ran out of words before the quote closed: speech only when there was
    // room for it to close.
    words.len() >= k + QUOTE_MAX_WORDS
}

/// "Rehabilitasi", "Hasto": a capital followed by lower case, unlike an
/// acronym ("KPK") or a number.
fn is_capitalised_name(w: &str) -> bool {
    starts_upper(w) && w.chars().skip(1).any(char::is_lowercase)
}

fn starts_upper(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// An ordinary lower-case word: starts with a lower-case letter and has no
/// capital inside ("iPhone", "d'Or" are names).
fn is_lower_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_lowercase) && !w.chars().any(char::is_uppercase)
}

/// A connector, or an ordinal such as "ke-3": words a headline keeps in
/// lower case.
fn is_connector(w: &str) -> bool {
    let w = w.trim_end_matches([',', '.', ':', ';']).to_lowercase();
    CONNECTORS.contains(&w.as_str())
        || w.strip_prefix("ke-")
            .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
}

/// Infers a title when front matter gave none. In order: a short
/// unpunctuated first line followed by body text (taken out of the body);
/// the file name when it reads like words; the first sentence, shortened.
fn infer_title(blocks: &mut Vec<Block>, name: &str) -> String {
    if blocks.len() >= 2 {
        if let (Block::Heading { text }, Block::Paragraph { .. }) = (&blocks[0], &blocks[1]) {
            let title = text.clone();
            blocks.remove(0);
            return title;
        }
    }
    if let Some(t) = title_from_file_name(name) {
        return t;
    }
    let first = blocks.iter().find_map(|b| match b {
        Block::Paragraph { text } | Block::Heading { text } => Some(text.as_str()),
        Block::Link(_) => None,
    });
    match first {
        Some(text) => shorten(first_sentence(text), TITLE_MAX_CHARS),
        None => blocks
            .iter()
            .find_map(|b| b.as_link().and_then(|l| l.target.clone()))
            .unwrap_or_else(|| "(untitled)".to_owned()),
    }
}

/// `warga-armenia_bakar rumah.txt` → "Warga armenia bakar rumah"; names
/// that look like ids or hashes (`000_9ff7c574857253cd`) give nothing.
fn title_from_file_name(name: &str) -> Option<String> {
    let stem = std::path::Path::new(name).file_stem()?.to_str()?;
    let words: Vec<&str> = stem
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .collect();
    let wordy = |w: &&&str| w.chars().all(char::is_alphabetic) && w.chars().count() >= 2;
    let good = words.iter().filter(wordy).count();
    let bad = words
        .iter()
        .filter(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic))
        .count();
    if good < 2 || bad > 0 || good * 3 < words.len() * 2 {
        return None;
    }
    let joined = sanitize(&words.join(" ")).into_owned();
    let mut chars = joined.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

fn first_sentence(text: &str) -> &str {
    let mut prev_end = false;
    for (i, c) in text.char_indices() {
        if prev_end && c == ' ' && i > 20 {
            return text[..i].trim_end();
        }
        prev_end = matches!(c, '.' | '!' | '?');
    }
    text
}

/// Cuts `text` to at most about `max` characters at a word boundary, with an
/// ellipsis when shortened, and drops a trailing full stop.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim().trim_end_matches('.').trim_end();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut = text.char_indices().nth(max).map_or(text.len(), |(i, _)| i);
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |sp| &head[..sp]);
    format!("{}\u{2026}", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_from_a_sentence_keeps_no_space_before_its_full_stop() {
        // Found by the fuzz targets: "banjir ." gave the title "banjir ".
        assert_eq!(shorten("banjir .", TITLE_MAX_CHARS), "banjir");
        assert_eq!(
            parse_str("banjir .", "x.txt", ParseOptions::default()).title,
            "banjir"
        );
    }

    fn parse(text: &str) -> Article {
        parse_str(text, "x.txt", ParseOptions::default())
    }

    fn targets(a: &Article) -> Vec<Option<String>> {
        a.links().map(|(_, l)| l.target.clone()).collect()
    }

    #[test]
    fn line_links_with_every_marker_and_spacing() {
        let a = parse(
            "Judul\nIsi pertama.\nBaca juga: Satu Dua\nBaca Juga : Tiga\nBACA JUGA:Empat\nSimak juga: Lima\nLihat juga : Enam\nBaca: Tujuh\nBerita terkait: Delapan\nArtikel Terkait: Sembilan",
        );
        let t: Vec<_> = targets(&a).into_iter().flatten().collect();
        assert_eq!(
            t,
            ["Satu Dua", "Tiga", "Empat", "Lima", "Enam", "Tujuh", "Delapan", "Sembilan"]
        );
        let markers: Vec<_> = a.links().map(|(_, l)| l.marker.clone()).collect();
        assert_eq!(markers[2], "BACA JUGA");
        assert_eq!(markers[1], "Baca Juga");
    }

    #[test]
    fn bare_marker_is_link_without_target() {
        let a = parse("Isi berita di sini.\nBaca Juga\nLanjutan berita.");
        let links: Vec<_> = a.links().collect();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].1.target, None);
        assert_eq!(links[0].1.text, "Baca Juga");
    }

    #[test]
    fn parenthesised_baca_is_prose() {
        let a = parse("Warga diminta waspada (baca : keadaan mendesak) sejak pagi.");
        assert_eq!(a.links().count(), 0);
        assert!(
            matches!(&a.blocks[0], Block::Paragraph { text } if text.contains("(baca : keadaan mendesak)"))
        );
    }

    #[test]
    fn inline_link_is_split_out_of_its_paragraph() {
        let a = parse("Kalimat pertama selesai. Baca juga: Harga Cabai Naik Tajam  Kalimat berikutnya dimulai di sini.");
        assert_eq!(a.blocks.len(), 3, "{:?}", a.blocks);
        assert_eq!(a.blocks[0].text(), "Kalimat pertama selesai.");
        let link = a.blocks[1].as_link().unwrap();
        assert_eq!(link.target.as_deref(), Some("Harga Cabai Naik Tajam"));
        assert!(link.glued);
        assert_eq!(a.blocks[2].text(), "Kalimat berikutnya dimulai di sini.");
    }

    #[test]
    fn inline_link_without_double_space_ends_by_heuristic() {
        let a = parse("Ia menolak. Baca juga: Profil Menteri Baru dari Jawa Timur Presiden menunjuk dia kemarin.");
        let link = a.links().next().unwrap().1;
        assert_eq!(
            link.target.as_deref(),
            Some("Profil Menteri Baru dari Jawa Timur")
        );
        assert_eq!(
            a.blocks.last().unwrap().text(),
            "Presiden menunjuk dia kemarin."
        );
    }

    #[test]
    fn video_link_is_marked() {
        let a = parse("Isi.\nSimak juga Video: Detik-detik Banjir");
        let link = a.links().next().unwrap().1;
        assert_eq!(link.kind, LinkKind::Video);
        assert_eq!(link.target.as_deref(), Some("Detik-detik Banjir"));
    }

    #[test]
    fn front_matter_fields() {
        let a = parse("---\ntitle: \"Judul: Satu\"\ndate: 2020-11-16\nsource: Warta\nurl: https://x.test/a\nauthor: Ani\ntags: [perang, damai]\nlokasi: Baku\n---\nIsi.");
        assert_eq!(a.title, "Judul: Satu");
        assert_eq!(a.meta.date.as_deref(), Some("2020-11-16"));
        assert_eq!(a.meta.source.as_deref(), Some("Warta"));
        assert_eq!(a.meta.tags, ["perang", "damai"]);
        assert_eq!(a.meta.extra.get("lokasi").map(String::as_str), Some("Baku"));
        assert_eq!(a.blocks.len(), 1);
    }

    #[test]
    fn unclosed_front_matter_is_text() {
        let a = parse("---\ntitle: x\nIsi tanpa penutup.");
        assert!(a
            .blocks
            .iter()
            .any(|b| b.text().contains("Isi tanpa penutup")));
    }

    #[test]
    fn title_inference_order() {
        let a = parse("Judul Pendek Sekali\nIni paragraf isi yang panjang.");
        assert_eq!(a.title, "Judul Pendek Sekali");
        assert_eq!(a.blocks.len(), 1);
        let b = parse_str(
            "Kalimat pertama yang cukup panjang untuk judul. Kalimat kedua.",
            "warga-armenia-bakar-rumah.txt",
            ParseOptions::default(),
        );
        assert_eq!(b.title, "Warga armenia bakar rumah");
        let c = parse_str(
            "Kalimat pertama yang cukup panjang untuk judul. Kalimat kedua.",
            "000_9ff7c574857253cd.txt",
            ParseOptions::default(),
        );
        assert_eq!(c.title, "Kalimat pertama yang cukup panjang untuk judul");
    }

    #[test]
    fn crlf_bom_tabs_nbsp_and_lone_cr() {
        let a = parse("\u{feff}Judul\r\nIsi\tdengan\u{a0}spasi.\rBaris lain.");
        assert_eq!(a.title, "Judul");
        assert_eq!(a.blocks[0].text(), "Isi dengan spasi.");
        assert_eq!(a.blocks[1].text(), "Baris lain.");
    }

    #[test]
    fn invalid_utf8_is_a_problem_not_a_failure() {
        let a = parse_bytes(
            b"Judul\nIsi \xff\xfe rusak.",
            "x.txt",
            ParseOptions::default(),
        )
        .unwrap();
        assert!(a.problems[0].contains("UTF-8"));
        assert!(a.blocks[0].text().contains('\u{fffd}'));
    }

    #[test]
    fn binary_and_empty() {
        assert_eq!(
            parse_bytes(b"\x89PNG\r\n\x1a\n\0\0\0", "x.png", ParseOptions::default()),
            Err(Skip::Binary)
        );
        let e = parse_bytes(b"", "kosong.txt", ParseOptions::default()).unwrap();
        assert!(e.blocks.is_empty());
        assert!(!e.title.is_empty());
    }

    #[test]
    fn escapes_never_survive() {
        let a =
            parse("Judul \u{1b}]0;hack\u{7}Bersih\nIsi \u{1b}[2Jaman.\nBaca juga: X\u{1b}[31mY");
        let all: String = a.blocks.iter().map(Block::text).collect::<String>() + &a.title;
        assert!(!all.chars().any(char::is_control), "{all:?}");
    }

    #[test]
    fn flattened_text_splits_on_space_runs() {
        let a = parse_str(
            "Satu dua.  Tiga empat.   Baca juga: Judul Lain  Lima enam.",
            "x",
            ParseOptions {
                flattened: true,
                markdown: false,
            },
        );
        let texts: Vec<_> = a.blocks.iter().map(Block::text).collect();
        assert_eq!(
            texts,
            [
                "Satu dua.",
                "Tiga empat.",
                "Baca juga: Judul Lain",
                "Lima enam."
            ]
        );
    }

    #[test]
    fn markdown_headings_and_title() {
        let a = parse_str(
            "# Judul Besar\n\nParagraf.\n\n## Sub Bagian\n\nLagi.",
            "x.md",
            ParseOptions {
                markdown: true,
                flattened: false,
            },
        );
        assert_eq!(a.title, "Judul Besar");
        assert!(matches!(&a.blocks[1], Block::Heading { text } if text == "Sub Bagian"));
    }

    /// The link glued inside a paragraph after an opening sentence: its
    /// target, and the text of the blocks after it.
    fn glued(text: &str) -> (String, Vec<String>) {
        let a = parse(&format!("Kalimat pembuka selesai. {text}"));
        let (i, link) = a.links().next().expect("a link");
        let rest = a.blocks[i + 1..]
            .iter()
            .map(|b| b.text().to_owned())
            .collect();
        (link.target.clone().unwrap_or_default(), rest)
    }

    fn assert_title_end(text: &str, want_target: &str, want_rest: &str) {
        let (target, rest) = glued(text);
        assert_eq!(target, want_target, "target of {text:?}");
        assert_eq!(
            rest.join(" | "),
            want_rest,
            "text after the link in {text:?}"
        );
    }

    #[test]
    fn title_end_capitalised_word_before_prose() {
        assert_title_end(
            "Baca juga: Pemerintah Siapkan Dana Rp 20 Triliun Hal ini disampaikan menteri kemarin.",
            "Pemerintah Siapkan Dana Rp 20 Triliun",
            "Hal ini disampaikan menteri kemarin.",
        );
        assert_title_end(
            "Baca juga: Gudang Pupuk Terbakar di Cikarang Dalam rekaman warga, api terlihat tinggi.",
            "Gudang Pupuk Terbakar di Cikarang",
            "Dalam rekaman warga, api terlihat tinggi.",
        );
    }

    #[test]
    fn title_end_keeps_lone_lower_case_words_of_a_headline() {
        // "akibat", "lalu": one lower-case word between capitals is still
        // the headline, not the next sentence.
        assert_title_end(
            "Baca juga: 300 Keluarga Mengungsi akibat Longsor di Garut Kami sudah menyiapkan tenda darurat.",
            "300 Keluarga Mengungsi akibat Longsor di Garut",
            "Kami sudah menyiapkan tenda darurat.",
        );
        assert_title_end(
            "Baca juga: Truk Mogok di Tanjakan, Sopir Turun lalu Dorong Sendiri Polisi lalu lintas mengatur kendaraan.",
            "Truk Mogok di Tanjakan, Sopir Turun lalu Dorong Sendiri",
            "Polisi lalu lintas mengatur kendaraan.",
        );
        assert_title_end(
            "Baca juga: Menteri Tinjau Bendungan dan akan Resmikan Pekan Depan Warga menyambut rencana itu.",
            "Menteri Tinjau Bendungan dan akan Resmikan Pekan Depan",
            "Warga menyambut rencana itu.",
        );
        assert_title_end(
            "Baca juga: Udara Kota Terburuk ke-3 di Dunia Pagi Ini Warga diminta memakai masker.",
            "Udara Kota Terburuk ke-3 di Dunia Pagi Ini",
            "Warga diminta memakai masker.",
        );
    }

    #[test]
    fn title_end_at_an_opening_quote_of_speech() {
        assert_title_end(
            "Baca juga: Jalan Lintas Selatan Putus, Akses Warga Terganggu \"Kami berharap perbaikan cepat selesai,\" ujar warga.",
            "Jalan Lintas Selatan Putus, Akses Warga Terganggu",
            "\"Kami berharap perbaikan cepat selesai,\" ujar warga.",
        );
        assert_title_end(
            "Baca juga: Rapat Paripurna Sahkan Anggaran Baru \u{201c}Setuju,\u{201d} jawab para anggota dewan.",
            "Rapat Paripurna Sahkan Anggaran Baru",
            "\u{201c}Setuju,\u{201d} jawab para anggota dewan.",
        );
        // A quoted name inside the headline is part of it.
        assert_title_end(
            "Baca juga: Penipuan Lewat Aplikasi \"Pinjol\" Marak di Desa Warga diminta waspada terhadap pesan.",
            "Penipuan Lewat Aplikasi \"Pinjol\" Marak di Desa",
            "Warga diminta waspada terhadap pesan.",
        );
    }

    #[test]
    fn title_end_at_sentence_openers() {
        assert_title_end(
            "Baca juga: Harga Beras Stabil Jelang Lebaran Namun, pedagang mengeluhkan pembeli sepi.",
            "Harga Beras Stabil Jelang Lebaran",
            "Namun, pedagang mengeluhkan pembeli sepi.",
        );
        assert_title_end(
            "Baca juga: Stadion Baru Dibuka untuk Umum Budi mengatakan, tiket dijual mulai besok.",
            "Stadion Baru Dibuka untuk Umum",
            "Budi mengatakan, tiket dijual mulai besok.",
        );
        assert_title_end(
            "Baca juga: Gudang Terbakar di Cikarang Andi (45) mengatakan, api muncul pukul dua.",
            "Gudang Terbakar di Cikarang",
            "Andi (45) mengatakan, api muncul pukul dua.",
        );
        assert_title_end(
            "Baca juga: Kereta Cepat Tambah Jadwal Adapun untuk saat ini tiket masih tersedia.",
            "Kereta Cepat Tambah Jadwal",
            "Adapun untuk saat ini tiket masih tersedia.",
        );
        assert_title_end(
            "Baca juga: Pasar Murah Digelar di Alun-alun Menurut Pak Camat, stok cukup sampai Sabtu.",
            "Pasar Murah Digelar di Alun-alun",
            "Menurut Pak Camat, stok cukup sampai Sabtu.",
        );
    }

    #[test]
    fn title_end_never_splits_a_sentence_case_title_without_prose_after() {
        // Nothing after it reads like prose: the whole is the title.
        assert_title_end(
            "Baca juga: Warga Garut bangun jembatan darurat",
            "Warga Garut bangun jembatan darurat",
            "",
        );
        // Alone in a paragraph of flattened text, before the next one.
        let a = parse_str(
            "Isi.  Baca juga: Warga Garut bangun jembatan darurat dari bambu  Paragraf lain.",
            "x",
            ParseOptions {
                flattened: true,
                markdown: false,
            },
        );
        let link = a.links().next().unwrap().1;
        assert_eq!(
            link.target.as_deref(),
            Some("Warga Garut bangun jembatan darurat dari bambu")
        );
    }

    #[test]
    fn marker_glued_to_the_word_before() {
        let a =
            parse("Tim putri juara pertamaBaca juga: Atlet Muda Raih Emas di Kejuaraan Nasional");
        let texts: Vec<_> = a.blocks.iter().map(Block::text).collect();
        assert_eq!(
            texts,
            [
                "Tim putri juara pertama",
                "Baca juga: Atlet Muda Raih Emas di Kejuaraan Nasional"
            ]
        );
        // Without a capital or a colon it is just a word.
        assert_eq!(parse("Kata kebacaan: itu").links().count(), 0);
        assert_eq!(parse("Ia membacanya Baca juga").links().count(), 0);
    }

    #[test]
    fn no_break_space_beside_a_space_does_not_split_flattened_text() {
        let a = parse_str(
            "Kalimat satu\u{a0} lanjut di sini.  Paragraf dua.",
            "x",
            ParseOptions {
                flattened: true,
                markdown: false,
            },
        );
        let texts: Vec<_> = a.blocks.iter().map(Block::text).collect();
        assert_eq!(texts, ["Kalimat satu lanjut di sini.", "Paragraf dua."]);
    }

    #[test]
    fn native_escapes_in_every_mode_but_markdown() {
        let text = "Isi.\n## Mengapa Harga Naik?\n\\Penjaga perdamaian Rusia\n\\Baca juga: bukan  tautan\n\\\\x\n#tagar bukan judul.\n## \n\\";
        let want = [
            "Paragraph Isi.",
            "Heading Mengapa Harga Naik?",
            "Paragraph Penjaga perdamaian Rusia",
            "Paragraph Baca juga: bukan tautan",
            "Paragraph \\x",
            "Paragraph #tagar bukan judul.",
        ];
        for flattened in [false, true] {
            let a = parse_text(
                text,
                ParseOptions {
                    flattened,
                    markdown: false,
                },
            );
            let got: Vec<String> = a
                .blocks
                .iter()
                .map(|b| {
                    let kind = if matches!(b, Block::Heading { .. }) {
                        "Heading"
                    } else if b.as_link().is_some() {
                        "Link"
                    } else {
                        "Paragraph"
                    };
                    format!("{kind} {}", b.text())
                })
                .collect();
            assert_eq!(got, want, "flattened: {flattened}");
        }
        // In Markdown a backslash is Markdown's, not an escape of the line.
        let md = parse_text(
            "\\Baca juga: Judul Lain",
            ParseOptions {
                markdown: true,
                flattened: false,
            },
        );
        assert_eq!(md.blocks[0].text(), "\\Baca juga: Judul Lain");
    }

    #[test]
    fn markdown_closing_hashes_need_a_space() {
        assert_eq!(markdown_heading("## C# ##"), Some((2, "C#")));
        assert_eq!(markdown_heading("# Bahasa C#"), Some((1, "Bahasa C#")));
        assert_eq!(markdown_heading("### ###"), Some((3, "")));
        assert_eq!(markdown_heading("#tagar"), None);
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn is_clean_agrees_with_clean_spaces() {
        let cases = [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\u{a0}b",
            "a\u{3000}b",
            "a\u{2009}b",
            "a\u{85}b",
            "“kutipan” é ü",
            "a\u{2014}b",
            "x\u{200b}y",
        ];
        for s in cases {
            assert_eq!(is_clean(s), clean_spaces(s) == s, "{s:?}");
        }
    }

    #[test]
    fn marker_first_words_are_those_of_the_markers() {
        for m in MARKERS {
            assert!(MARKER_FIRST_WORDS.contains(&m.split(' ').next().unwrap_or(m)));
        }
        for w in MARKER_FIRST_WORDS {
            assert!(
                MARKERS.iter().any(|m| m.split(' ').next() == Some(w)),
                "{w}"
            );
        }
    }

    #[test]
    fn lines_split_like_the_standard_splits() {
        // LF, CRLF and lone CR end lines; a CR ending a piece between LFs
        // goes with its LF.
        let old = |t: &str| -> Vec<String> {
            t.split('\n')
                .flat_map(|l| l.strip_suffix('\r').unwrap_or(l).split('\r'))
                .map(str::to_owned)
                .collect()
        };
        let atoms = ["a", "bc", "\r", "\n", "\r\n", "\t", "\u{1}", "é"];
        for t in &crate::core::testing::strings_of(&atoms, 4) {
            let new: Vec<String> = split_lines(t).map(str::to_owned).collect();
            assert_eq!(new, old(t), "{t:?}");
        }
    }

    #[test]
    fn long_paragraph_is_no_heading() {
        let long = "Kata ".repeat(100);
        assert!(!is_heading_like(long.trim()));
        assert!(is_heading_like("Penjaga perdamaian Rusia"));
    }
}
