//! An article laid out for the reader at one width: wrapped lines that know
//! which block and which link they belong to. Built once per article and
//! width and cached, so scrolling and drawing only slice it.

use crate::core::article::{Article, Block};
use crate::core::library::OutLink;
use crate::core::links::Resolution;
use std::collections::HashMap;
use std::rc::Rc;
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

/// How a link looks: the glyph in front says its state even without colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkState {
    Resolved,
    Ambiguous,
    Broken,
}

impl LinkState {
    pub fn of(r: &Resolution) -> LinkState {
        match r {
            Resolution::Resolved(_) => LinkState::Resolved,
            Resolution::Ambiguous(_) => LinkState::Ambiguous,
            Resolution::Broken(_) => LinkState::Broken,
        }
    }

    pub fn glyph(self) -> &'static str {
        match self {
            LinkState::Resolved => "\u{25b8} ",  // ▸
            LinkState::Ambiguous => "\u{2047} ", // ⁇
            LinkState::Broken => "\u{2717} ",    // ✗
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    Blank,
    Heading,
    Body,
    /// A line of the link with this ordinal (its index among the article's
    /// links); `first` marks the line that carries the glyph.
    Link {
        ordinal: usize,
        state: LinkState,
        first: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub kind: LineKind,
}

#[derive(Debug, Default)]
pub struct Document {
    pub lines: Vec<Line>,
    /// The first line of each block.
    pub block_line: Vec<usize>,
    /// The first line of each link, by ordinal.
    pub link_line: Vec<usize>,
}

impl Document {
    pub fn build(article: &Article, links: &[OutLink], width: u16) -> Document {
        let width = usize::from(width.max(8));
        let mut doc = Document::default();
        // Greedy wrapping at spaces, as terminal readers do: the optimal-fit
        // algorithm and Unicode line breaking cost several times more on a
        // long article and change little in a ragged-right column.
        let opts = Options::new(width)
            .break_words(true)
            .wrap_algorithm(WrapAlgorithm::FirstFit)
            .word_separator(WordSeparator::AsciiSpace)
            .word_splitter(WordSplitter::NoHyphenation);
        for l in textwrap::wrap(&article.title, &opts) {
            doc.push(l.into_owned(), LineKind::Title);
        }
        let meta: Vec<&str> = [
            &article.meta.date,
            &article.meta.source,
            &article.meta.author,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
        if !meta.is_empty() {
            for l in textwrap::wrap(&meta.join(" \u{b7} "), &opts) {
                doc.push(l.into_owned(), LineKind::Meta);
            }
        }
        let states: HashMap<usize, (usize, LinkState)> = links
            .iter()
            .enumerate()
            .map(|(ordinal, l)| (l.block, (ordinal, LinkState::of(&l.resolution))))
            .collect();
        let mut prev_link = false;
        for (bi, block) in article.blocks.iter().enumerate() {
            let is_link = matches!(block, Block::Link(_));
            // Consecutive links read as one "related" box: no blank between.
            if !(is_link && prev_link) {
                doc.push(String::new(), LineKind::Blank);
            }
            prev_link = is_link;
            doc.block_line.push(doc.lines.len());
            match block {
                Block::Heading { text } => {
                    for l in textwrap::wrap(&text.to_uppercase(), &opts) {
                        doc.push(l.into_owned(), LineKind::Heading);
                    }
                }
                Block::Paragraph { text } => {
                    for l in textwrap::wrap(text, &opts) {
                        doc.push(l.into_owned(), LineKind::Body);
                    }
                }
                Block::Link(link) => {
                    let (ordinal, state) =
                        states.get(&bi).copied().unwrap_or((0, LinkState::Broken));
                    doc.link_line.push(doc.lines.len());
                    let text = match &link.target {
                        Some(_) => link.text.clone(),
                        None => format!("{} \u{2014}", link.text),
                    };
                    let glyph = state.glyph();
                    let link_opts = opts.clone().initial_indent(glyph).subsequent_indent("  ");
                    for (i, l) in textwrap::wrap(&text, &link_opts).into_iter().enumerate() {
                        doc.push(
                            l.into_owned(),
                            LineKind::Link {
                                ordinal,
                                state,
                                first: i == 0,
                            },
                        );
                    }
                }
            }
        }
        doc
    }

    fn push(&mut self, text: String, kind: LineKind) {
        self.lines.push(Line { text, kind });
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The link ordinal shown on `line`, if any.
    pub fn link_at(&self, line: usize) -> Option<usize> {
        match self.lines.get(line)?.kind {
            LineKind::Link { ordinal, .. } => Some(ordinal),
            _ => None,
        }
    }

    /// The lines of the link with this ordinal.
    pub fn link_span(&self, ordinal: usize) -> Option<(usize, usize)> {
        let start = *self.link_line.get(ordinal)?;
        let end = self.lines[start..]
            .iter()
            .position(|l| !matches!(l.kind, LineKind::Link { ordinal: o, .. } if o == ordinal))
            .map_or(self.lines.len(), |n| start + n);
        Some((start, end))
    }
}

/// Laid-out documents by article and width. Small: a reader revisits a
/// handful of articles, and a resize makes the old widths useless.
#[derive(Default)]
pub struct DocumentCache {
    map: HashMap<(u32, u16), Rc<Document>>,
}

impl DocumentCache {
    const MAX: usize = 32;

    pub fn get(&mut self, id: u32, width: u16, build: impl FnOnce() -> Document) -> Rc<Document> {
        if self.map.len() >= Self::MAX && !self.map.contains_key(&(id, width)) {
            self.map.clear();
        }
        self.map
            .entry((id, width))
            .or_insert_with(|| Rc::new(build()))
            .clone()
    }

    pub fn peek(&self, id: u32, width: u16) -> Option<Rc<Document>> {
        self.map.get(&(id, width)).cloned()
    }
}
