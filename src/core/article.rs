//! The article model every other part shares: an article's metadata, its
//! blocks (paragraphs, headings, "Baca juga" links) and the problems met
//! while reading it.

use serde::Serialize;
use std::collections::BTreeMap;

/// Index of an article inside a [`crate::core::library::Library`]. A newtype
/// so an article index is never confused with a block or link index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ArticleId(pub u32);

impl ArticleId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Metadata from front matter or an export. `extra` keeps keys we do not
/// know so nothing a user wrote is dropped.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

/// What a link points at. "Simak juga Video: …" names a video, which no
/// library of articles can hold, so it never resolves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    #[default]
    Article,
    Video,
}

impl LinkKind {
    fn is_article(&self) -> bool {
        *self == LinkKind::Article
    }
}

/// A "Baca juga: <title>" reference as written in the article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Link {
    /// The whole link as written, marker included.
    pub text: String,
    /// The marker as written, e.g. "Baca juga" or "BACA JUGA".
    pub marker: String,
    /// The title the link names; `None` when the marker stands alone.
    pub target: Option<String>,
    #[serde(skip_serializing_if = "LinkKind::is_article")]
    pub kind: LinkKind,
    /// Where the link points, when the source says (a saved page's "Baca
    /// juga" box, `Baca juga: [Judul](https://…)`): it names its article
    /// before the title does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Where the title ends was a guess that the library's titles may
    /// correct (see `links::resplit_inline`): the link sat inside a
    /// paragraph and the following paragraph block is the rest of that same
    /// line, or its title ran on to the end of the line past where a
    /// headline would end.
    #[serde(skip)]
    pub glued: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Block {
    Heading { text: String },
    Paragraph { text: String },
    Link(Link),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Heading { text } | Block::Paragraph { text } => text,
            Block::Link(link) => &link.text,
        }
    }

    pub fn as_link(&self) -> Option<&Link> {
        match self {
            Block::Link(link) => Some(link),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Article {
    pub title: String,
    pub meta: Meta,
    pub blocks: Vec<Block>,
    pub problems: Vec<String>,
    /// Where the article came from, for messages and for reopening it: a
    /// file path, `export.jsonl:12` for an export line, or `sample:name`.
    #[serde(skip)]
    pub origin: String,
}

impl Article {
    /// The links of the article in reading order, with their block index.
    pub fn links(&self) -> impl Iterator<Item = (usize, &Link)> {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.as_link().map(|l| (i, l)))
    }

    /// Headings with their block index, for the outline.
    pub fn headings(&self) -> impl Iterator<Item = (usize, &str)> {
        self.blocks.iter().enumerate().filter_map(|(i, b)| match b {
            Block::Heading { text } => Some((i, text.as_str())),
            _ => None,
        })
    }

    /// Date if known, else source: the short line the headline list shows.
    pub fn byline(&self) -> Option<&str> {
        self.meta.date.as_deref().or(self.meta.source.as_deref())
    }
}
