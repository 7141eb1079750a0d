//! Turns the bytes of a stored article into an [`Article`]: decoding,
//! front matter, title inference, subheadings and "Baca juga" links, both on
//! their own line and glued inside a paragraph.

use super::article::{Article, Block, Link, LinkKind, Meta};
use super::sanitize::sanitize;
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
    "simak juga",
    "lihat juga",
    "baca juga",
    "baca",
];

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
    if looks_binary(bytes) {
        return Err(Skip::Binary);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    let mut article = parse_str(&text, name, opts);
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
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x1b | 0x0c))
        .count();
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
    for raw in &lines[body_start..] {
        let mut raw: &str = raw;
        let mut md_heading = false;
        if opts.markdown {
            if let Some((level, rest)) = markdown_heading(raw) {
                if level == 1 && md_title.is_none() && article.blocks.is_empty() {
                    md_title = Some(clean_spaces(rest));
                    continue;
                }
                raw = rest;
                md_heading = true;
            }
        }
        let line = sanitize(raw);
        if md_heading {
            let text = clean_spaces(&line);
            if !text.is_empty() {
                article.blocks.push(Block::Heading { text });
            }
            continue;
        }
        let segments: Vec<&str> = if opts.flattened {
            split_runs(&line)
        } else {
            vec![&line]
        };
        for seg in segments {
            parse_segment(seg, opts.flattened, &mut article.blocks);
        }
    }

    if article.title.is_empty() {
        article.title = md_title.unwrap_or_default();
    }
    article
}

/// Lines split on LF, CRLF and lone CR.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').flat_map(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l.split('\r')
    })
}

/// Reads a `---` front-matter block into `article`; returns the index of the
/// first body line. An unclosed block is not front matter: it stays text.
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
    for line in &lines[first + 1..first + 1 + len] {
        let line = sanitize(line);
        let Some((key, value)) = line.split_once(':') else {
            if !line.trim().is_empty() {
                article.problems.push(format!(
                    "front matter: line without 'key: value': {}",
                    line.trim()
                ));
            }
            continue;
        };
        let key = key.trim().to_lowercase();
        let value = unquote(value.trim());
        if value.is_empty() {
            continue;
        }
        let meta: &mut Meta = &mut article.meta;
        match key.as_str() {
            "title" => article.title = clean_spaces(value),
            "date" => meta.date = Some(value.to_owned()),
            "source" | "site" => meta.source = Some(value.to_owned()),
            "url" | "link" => meta.url = Some(value.to_owned()),
            "author" => meta.author = Some(value.to_owned()),
            "tags" => {
                meta.tags = value
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .split(',')
                    .map(|t| unquote(t.trim()).to_owned())
                    .filter(|t| !t.is_empty())
                    .collect()
            }
            _ => {
                meta.extra.insert(key, value.to_owned());
            }
        }
    }
    first + len + 2
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

fn markdown_heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&level) && t[level..].starts_with([' ', '\t']) {
        Some((level, t[level..].trim().trim_end_matches('#').trim()))
    } else {
        None
    }
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
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// One paragraph's worth of text (a line, or a run-separated piece of a
/// flattened line) → blocks. Links inside it are split out so each stands
/// as its own block, with the text around them as paragraphs.
fn parse_segment(seg: &str, flattened: bool, blocks: &mut Vec<Block>) {
    let seg = seg.trim();
    if seg.is_empty() {
        return;
    }
    // Markers are ASCII, so an ASCII-lowered copy keeps every byte offset.
    let lower = seg.to_ascii_lowercase();
    let mut text_start = 0;
    let mut found_link = false;
    while let Some(m) = find_marker(seg, &lower, text_start) {
        push_text(&seg[text_start..m.start], blocks, found_link);
        let (mut link, consumed) = read_link(seg, &lower, &m, flattened);
        link.glued = !seg[consumed..].trim().is_empty();
        blocks.push(Block::Link(link));
        found_link = true;
        text_start = consumed;
    }
    push_text(&seg[text_start..], blocks, found_link);
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
    let words = text.split_whitespace().count();
    let Some(first) = text.chars().next() else {
        return false;
    };
    let last = text.chars().last().unwrap_or(' ');
    (1..=HEADING_MAX_WORDS).contains(&words)
        && text.chars().count() <= HEADING_MAX_CHARS
        && (first.is_uppercase() || first.is_ascii_digit())
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
}

struct MarkerAt {
    /// Byte offset of the marker's first letter.
    start: usize,
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
    let mut pos = from;
    while pos < s.len() && !s.is_char_boundary(pos) {
        pos += 1;
    }
    while pos < s.len() {
        let start = pos + lower[pos..].find(['b', 's', 'l', 'a'])?;
        if let Some(m) = marker_at(s, lower, start) {
            return Some(m);
        }
        pos = start + 1;
    }
    None
}

fn marker_at(s: &str, lower: &str, start: usize) -> Option<MarkerAt> {
    let at_start = s[..start].trim().is_empty();
    if !at_start && !after_sentence_end(&s[..start]) {
        return None;
    }
    let hay = &lower[start..];
    let marker = MARKERS.iter().find(|m| starts_with_words(hay, m))?;
    let end = start + matched_len(hay, marker);
    let mut rest = s[end..].trim_start();
    let mut video = false;
    // "Simak juga Video: …" names a video.
    if rest.len() >= 5 && rest.is_char_boundary(5) && rest[..5].eq_ignore_ascii_case("video") {
        let r = rest[5..].trim_start();
        if r.starts_with(':') {
            video = true;
            rest = r;
        }
    }
    if let Some(after_colon) = rest.strip_prefix(':') {
        let after = s.len() - after_colon.trim_start().len();
        return Some(MarkerAt {
            start,
            end,
            after,
            video,
        });
    }
    // A marker alone on its line is a link whose title the scraper dropped;
    // a bare "Baca" alone is too common a word to count.
    if at_start && rest.is_empty() && *marker != "baca" {
        return Some(MarkerAt {
            start,
            end,
            after: s.len(),
            video,
        });
    }
    None
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
    let marker = clean_spaces(&s[m.start..m.end]);
    let kind = if m.video {
        LinkKind::Video
    } else {
        LinkKind::Article
    };
    let rest = &s[m.after..];
    // No title runs past a few dozen words, so only that much is examined:
    // a long line holding many links stays linear.
    let window = words_window(rest, LINK_MAX_WORDS + 2);
    // The title ends at a run of two spaces (scrapers join paragraphs so), at
    // the next marker, or where the heuristic says the next sentence starts.
    let mut end = rest[..window].find("  ").unwrap_or(window);
    let mut next_marker = None;
    if let Some(next) = find_marker(&s[..m.after + end], &lower[..m.after + end], m.after + 1) {
        end = next.start - m.after;
        next_marker = Some(next.start);
    }
    // A link that starts its line owns the whole line (the native format)
    // unless the line is too long for a title; a link glued inside a
    // paragraph needs the guess.
    let owns_line = s[..m.start].trim().is_empty() && !flattened && window == rest.len();
    let end = if owns_line {
        end
    } else {
        // Text after a cut must read like prose: it runs up to the next
        // marker (which follows a sentence end), or it ends the segment with
        // a full stop and has a few words. A sentence-case title alone at
        // the end ("Warga Armenia bakar rumah") is thus never split.
        let region_end = next_marker.unwrap_or(s.len());
        let prose_after = |cut: usize| {
            let tail = s[m.after + cut..region_end].trim();
            next_marker.is_some()
                || (tail.split(' ').filter(|w| !w.is_empty()).nth(3).is_some()
                    && ends_with_full_stop(tail))
        };
        heuristic_title_end(&rest[..end], &prose_after)
    };
    let target_raw = rest[..end].trim();
    let consumed = m.after + end;
    let text = clean_spaces(&s[m.start..consumed]);
    let target = (!target_raw.is_empty()).then(|| clean_spaces(target_raw));
    (
        Link {
            text,
            marker,
            target,
            kind,
            glued: false,
        },
        consumed,
    )
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

/// Ends with one full stop (not an ellipsis), maybe inside a closing quote
/// or bracket: the way a sentence of prose ends and a headline does not.
fn ends_with_full_stop(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\u{201d}', '\u{2019}', '\'', ')']);
    t.ends_with('.') && !t.ends_with("..")
}

/// Short words that Indonesian headlines often keep in lower case.
const CONNECTORS: &[&str] = &[
    "di", "ke", "dari", "dan", "yang", "untuk", "vs", "vs.", "&", "atau", "pada", "dengan", "ini",
    "itu", "jadi", "bagi", "oleh", "akan", "tak", "tidak", "soal", "hingga", "usai", "saat",
    "jelang", "sebagai", "karena", "ada", "the", "of", "and", "in", "a", "-", "\u{2013}",
    "\u{2014}", "juga", "ala", "per", "pun", "lagi", "lebih", "dalam", "atas", "agar", "bisa",
    "masih", "belum", "sudah", "telah", "kian", "makin", "para", "sang", "si", "hari", "baru",
];

/// Words that open a sentence, never a headline's middle, when a comma
/// follows them ("Namun, …", "Sementara itu, …").
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
];

/// A quote opened in a title closes within this many words ("Judi
/// "Online" Asal China"); a longer one is someone speaking.
const QUOTE_MAX_WORDS: usize = 6;

/// Where a link title glued to the next sentence probably ends, as a byte
/// offset into `rest`. Headlines are in Title Case, with lower-case words
/// only here and there ("Mundur lalu Hantam Warung"); prose is mostly lower
/// case. So the next sentence starts at a capitalised word followed by two
/// lower-case words, one of them more than a connector ("Hal ini
/// diungkapkan …"), at a quote that opens speech rather than a quoted name,
/// or at "Namun," and its kind; a sentence mark (. ! ?) ends the title too.
/// Commas do not: headlines are full of them. `prose_after(offset)` says
/// whether the text from a candidate cut on reads like prose; a cut where it
/// does not is not taken.
fn heuristic_title_end(rest: &str, prose_after: &dyn Fn(usize) -> bool) -> usize {
    let mut words: Vec<(usize, usize)> = Vec::new(); // byte spans
    let mut i = 0;
    for w in rest.split(' ') {
        if !w.is_empty() {
            words.push((i, i + w.len()));
        }
        i += w.len() + 1;
    }
    if words.is_empty() {
        return rest.len();
    }
    let word = |k: usize| &rest[words[k].0..words[k].1];
    let all: Vec<&str> = (0..words.len()).map(word).collect();
    for k in 0..words.len() {
        if k >= LINK_MAX_WORDS {
            return words[k - 1].1;
        }
        if k >= 1 && starts_sentence(&all, k) && prose_after(words[k].0) {
            return words[k - 1].1;
        }
        let w = all[k];
        if k + 1 < words.len() && w.ends_with(['.', '!', '?']) && k >= 1 && w.chars().count() > 3 {
            return words[k].1;
        }
    }
    rest.len()
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
    if SENTENCE_OPENERS.contains(&bare.as_str()) {
        // "Namun," or "Sementara itu," / "Oleh karena itu,": the comma comes
        // after at most two more lower-case words.
        let mut phrase = std::iter::once(w).chain(
            words[k + 1..]
                .iter()
                .take(2)
                .copied()
                .take_while(|n| is_lower_word(n)),
        );
        if phrase.any(|p| p.ends_with(',')) {
            return true;
        }
    }
    match (words.get(k + 1), words.get(k + 2)) {
        (Some(a), Some(b)) => {
            is_lower_word(a) && is_lower_word(b) && (!is_connector(a) || !is_connector(b))
        }
        _ => false,
    }
}

fn opens_quote(w: &str) -> bool {
    w.starts_with(['"', '\u{201c}', '\u{2018}', '\''])
}

/// A quote opened at `words[k]`: speech when it holds ordinary lower-case
/// words or does not close soon; a quoted name in a title otherwise.
fn opens_speech(words: &[&str], k: usize) -> bool {
    for (j, w) in words.iter().enumerate().skip(k).take(QUOTE_MAX_WORDS) {
        let inner = if j == k {
            w.trim_start_matches(['"', '\u{201c}', '\u{2018}', '\''])
        } else {
            w
        };
        if is_lower_word(inner) && !is_connector(inner) {
            return true;
        }
        let closed = inner
            .trim_end_matches([',', '.', '!', '?', ':', ';'])
            .ends_with(['"', '\u{201d}', '\u{2019}', '\'']);
        if closed && inner.chars().count() > 1 {
            return false;
        }
    }
    // Ran out of words before the quote closed: speech only when there was
    // room for it to close.
    words.len() >= k + QUOTE_MAX_WORDS
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
    let text = text.trim().trim_end_matches('.');
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
}
