//! The reader's state: the library, which pane has focus, what each pane
//! shows and where, the history, popups and the status line. `update`
//! changes it; widgets only read it.

use super::document::{Document, DocumentCache};
use super::keymap::Keymap;
use crate::core::article::ArticleId;
use crate::core::library::Library;
use crate::core::search::{Hit, Query, SearchIndex, TitleFilter};
use ratatui::layout::Rect;
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Text wider than this is hard to read; wider panes centre it.
pub const DEFAULT_TEXT_WIDTH: u16 = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    Headlines,
    Outline,
    Reader,
}

impl Pane {
    pub const ORDER: [Pane; 3] = [Pane::Headlines, Pane::Outline, Pane::Reader];
}

/// A selection in a list and the first row shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Keeps the selection inside `len` items and visible in `height` rows.
    pub fn clamp(&mut self, len: usize, height: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// An article as it was shown: where to return to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Visit {
    pub id: ArticleId,
    pub scroll: usize,
    pub link: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Popup {
    Help {
        scroll: usize,
    },
    /// A list of articles to pick one from: the candidates of an ambiguous
    /// link, the bookmarks, the recently read.
    Choose {
        title: &'static str,
        ids: Vec<ArticleId>,
        selected: usize,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub level: Level,
}

/// What a prompt in the status line is typing into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PromptKind {
    /// Search across the library; results replace the panes while typing.
    Search,
    /// Narrow the headline list by title, fuzzily.
    Filter,
    /// Find in the open article.
    Find,
    /// A path to open, with the file browser under it.
    Open,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
    /// The reader's scroll when the prompt opened, to return to on Esc.
    pub scroll_before: Option<usize>,
}

/// What the reader highlights: the text typed into find, or the words of a
/// library search the article was opened from.
#[derive(Clone, Debug)]
pub enum Highlight {
    Text(String),
    Query(crate::core::search::Query),
}

/// Matches in the open article, as document lines and byte ranges in them.
#[derive(Clone, Debug)]
pub struct Find {
    pub highlight: Highlight,
    pub matches: Vec<(usize, std::ops::Range<usize>)>,
    /// The match `n`/`N` are at.
    pub current: Option<usize>,
    /// The article and width the matches were computed for.
    pub computed_for: Option<(ArticleId, u16)>,
}

/// A library search while its prompt is open: the ranked hits and the one
/// under the cursor.
#[derive(Clone, Debug)]
pub struct SearchView {
    pub query: Query,
    pub total: usize,
    pub hits: Vec<Hit>,
    pub cursor: Cursor,
}

/// The search index: built on another thread at start, so the first frame
/// never waits for it.
#[derive(Default)]
pub enum IndexState {
    #[default]
    Missing,
    Building(Arc<AtomicUsize>),
    Ready(Arc<SearchIndex>),
}

/// An entry of the outline pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlineEntry {
    Header(&'static str),
    Empty,
    Heading(usize),
    Link(usize),
    Backlink(ArticleId),
}

impl OutlineEntry {
    pub fn selectable(&self) -> bool {
        matches!(
            self,
            OutlineEntry::Heading(_) | OutlineEntry::Link(_) | OutlineEntry::Backlink(_)
        )
    }
}

/// Where each pane is on screen, derived from the terminal size and focus.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    pub headlines: Option<Rect>,
    pub outline: Option<Rect>,
    pub reader: Option<Rect>,
    pub status: Rect,
}

impl Areas {
    pub fn of(&self, pane: Pane) -> Option<Rect> {
        match pane {
            Pane::Headlines => self.headlines,
            Pane::Outline => self.outline,
            Pane::Reader => self.reader,
        }
    }
}

pub struct App {
    /// Shared with the thread that builds the search index.
    pub lib: Arc<Library>,
    pub keymap: Keymap,
    pub focus: Pane,
    /// Which of the list panes a medium-width layout shows beside the reader.
    pub side: Pane,
    /// The articles the headline list shows, in order: the whole library,
    /// or those the title filter keeps.
    pub list: Vec<ArticleId>,
    pub headlines: Cursor,
    pub outline: Cursor,
    /// The open article, its scroll (first line shown) and selected link.
    pub open: Option<Visit>,
    pub back: Vec<Visit>,
    pub forward: Vec<Visit>,
    pub read: HashSet<ArticleId>,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    /// A broken link's title, offered to the search prompt.
    pub offered_search: Option<String>,
    /// The reading state on disk; `None` in tests and when there is no
    /// data folder.
    pub state: Option<crate::core::state::State>,
    /// The state has changes the event loop should save.
    pub dirty: bool,
    /// This is the user's own library, opened by `baca` alone: the article
    /// open at the end is the one to reopen next time. A folder or file
    /// named on the command line, or opened with `o`, leaves that alone.
    pub own_session: bool,
    /// Article keys to ids, built the first time a stored key is looked up.
    pub key_index: Option<std::collections::HashMap<String, ArticleId>>,
    pub prompt: Option<Prompt>,
    pub find: Option<Find>,
    pub search: Option<SearchView>,
    pub browser: Option<super::browse::Browser>,
    /// The folders and files the library was loaded from, watched for
    /// changes; empty for the sample.
    pub sources: Vec<std::path::PathBuf>,
    /// The sources changed: the event loop starts a new watcher.
    pub rewatch: bool,
    /// The library changed: the event loop starts a new index build.
    pub reindex: bool,
    /// The library's files may have changed: the event loop has them looked
    /// at again on another thread; `refreshes` counts those looks.
    pub refresh: bool,
    pub refreshes: u64,
    /// The paths the watcher reported since the library shown was read, for
    /// the next look to check instead of walking every folder; `None` when
    /// that look must walk them all (the library came from the cache, or
    /// the watcher lost count).
    pub changed: Option<Vec<std::path::PathBuf>>,
    /// The library was read from its files: the event loop writes the
    /// start-up cache on another thread.
    pub save_cache: bool,
    pub index: IndexState,
    /// While an index is built or updated: the library it is for, and the
    /// reloads that came since (each new library with how it follows the
    /// one before), which it catches up with when it lands rather than
    /// being built again.
    pub index_for: Option<Arc<Library>>,
    pub index_behind: Vec<(Arc<Library>, Arc<crate::core::cache::Changes>)>,
    /// A ready index to update for the event loop to start, in place of a
    /// whole build: the index and how the library changed since.
    pub index_update: Option<(Arc<SearchIndex>, Arc<crate::core::cache::Changes>)>,
    /// The headline filter's prepared titles, made on first use.
    pub title_filter: Option<TitleFilter>,
    /// The pattern the headline list is narrowed by ("" for none).
    pub filter: String,
    pub size: Rect,
    pub text_width: u16,
    pub no_color: bool,
    pub palette: crate::core::config::Palette,
    pub layout: crate::core::config::Layout,
    pub quit: bool,
    pub suspend: bool,
    docs: DocumentCache,
}

impl App {
    pub fn new(lib: Library, keymap: Keymap) -> App {
        let list = lib.ids().collect();
        App {
            lib: Arc::new(lib),
            list,
            keymap,
            focus: Pane::Headlines,
            side: Pane::Headlines,
            headlines: Cursor::default(),
            outline: Cursor::default(),
            open: None,
            back: Vec::new(),
            forward: Vec::new(),
            read: HashSet::new(),
            popup: None,
            status: None,
            offered_search: None,
            state: None,
            dirty: false,
            own_session: false,
            key_index: None,
            prompt: None,
            find: None,
            search: None,
            browser: None,
            sources: Vec::new(),
            rewatch: false,
            reindex: false,
            refresh: false,
            refreshes: 0,
            changed: None,
            save_cache: false,
            index: IndexState::Missing,
            index_for: None,
            index_behind: Vec::new(),
            index_update: None,
            title_filter: None,
            filter: String::new(),
            size: Rect::new(0, 0, 80, 24),
            text_width: DEFAULT_TEXT_WIDTH,
            no_color: false,
            palette: crate::core::config::Palette::dark(),
            layout: crate::core::config::Layout::Auto,
            quit: false,
            suspend: false,
            docs: DocumentCache::default(),
        }
    }

    /// The panes' places for the current size and focus: three panes from
    /// 120 columns, two from 80, else only the focused one.
    pub fn areas(&self) -> Areas {
        let area = self.size;
        let main = Rect {
            height: area.height.saturating_sub(1),
            ..area
        };
        let status = Rect {
            y: area.y + main.height,
            height: area.height.min(1),
            ..area
        };
        let mut areas = Areas {
            status,
            ..Areas::default()
        };
        let w = main.width;
        use crate::core::config::Layout;
        // A chosen layout still gives way when the terminal is too narrow
        // for it.
        let panes = match self.layout {
            Layout::One => 1,
            Layout::Two if w >= 80 => 2,
            Layout::Three if w >= 90 => 3,
            _ if w >= 120 => 3,
            _ if w >= 80 => 2,
            _ => 1,
        };
        if panes == 3 {
            let hw = w * 30 / 100;
            let ow = w * 22 / 100;
            areas.headlines = Some(Rect { width: hw, ..main });
            areas.outline = Some(Rect {
                x: main.x + hw,
                width: ow,
                ..main
            });
            areas.reader = Some(Rect {
                x: main.x + hw + ow,
                width: w - hw - ow,
                ..main
            });
        } else if panes == 2 {
            let sw = w * 36 / 100;
            let side = if self.focus == Pane::Reader {
                self.side
            } else {
                self.focus
            };
            let left = Some(Rect { width: sw, ..main });
            match side {
                Pane::Outline => areas.outline = left,
                _ => areas.headlines = left,
            }
            areas.reader = Some(Rect {
                x: main.x + sw,
                width: w - sw,
                ..main
            });
        } else {
            match self.focus {
                Pane::Headlines => areas.headlines = Some(main),
                Pane::Outline => areas.outline = Some(main),
                Pane::Reader => areas.reader = Some(main),
            }
        }
        areas
    }

    /// The reader's inner text area: inside the border, at most
    /// `text_width` wide and centred.
    pub fn reader_text_area(&self) -> Option<Rect> {
        let r = self.areas().reader?;
        let inner = Rect {
            x: r.x + 1,
            y: r.y + 1,
            width: r.width.saturating_sub(2),
            height: r.height.saturating_sub(2),
        };
        let width = inner.width.saturating_sub(2).min(self.text_width).max(1);
        let x = inner.x + inner.width.saturating_sub(width) / 2;
        Some(Rect {
            x,
            width: width.min(inner.width),
            ..inner
        })
    }

    /// Where the popup shown is drawn, so clicks find it as the eye does.
    pub fn popup_area(&self) -> Option<Rect> {
        let (w, h) = match self.popup.as_ref()? {
            Popup::Help { .. } => (90, 40),
            Popup::Choose { ids, .. } => (80, (ids.len() as u16).saturating_add(2)),
        };
        // Above the status bar, which stays readable.
        Some(crate::tui::widgets::centered(self.overlay_area(), w, h))
    }

    /// The screen above the status bar, which search results and the file
    /// browser take whole.
    pub fn overlay_area(&self) -> Rect {
        Rect {
            height: self.areas().status.y.saturating_sub(self.size.y),
            ..self.size
        }
    }

    /// Rows inside a list pane's border.
    pub fn pane_height(&self, pane: Pane) -> usize {
        self.areas()
            .of(pane)
            .map_or(1, |r| usize::from(r.height.saturating_sub(2)).max(1))
    }

    /// The open article laid out for the reader's current width.
    pub fn document(&mut self) -> Option<Rc<Document>> {
        let visit = self.open?;
        let width = self.reader_text_area().map_or(self.text_width, |r| r.width);
        let lib = &self.lib;
        Some(self.docs.get(visit.id.0, width, || {
            Document::build(
                &lib.full(visit.id),
                &lib.graph.outgoing[visit.id.index()],
                width,
            )
        }))
    }

    /// Like [`App::document`] for drawing, when the layout is known to be
    /// current: widgets get the cached document without mutating the app.
    pub fn cached_document(&self) -> Option<Rc<Document>> {
        let visit = self.open?;
        let width = self.reader_text_area().map_or(self.text_width, |r| r.width);
        self.docs.peek(visit.id.0, width)
    }

    /// The outline of the open article: headings, links, backlinks.
    pub fn outline_entries(&self) -> Vec<OutlineEntry> {
        let Some(visit) = self.open else {
            return Vec::new();
        };
        let t = &super::text::EN;
        let article = self.lib.full(visit.id);
        let mut out = vec![OutlineEntry::Header(t.outline_headings)];
        let before = out.len();
        out.extend(article.headings().map(|(b, _)| OutlineEntry::Heading(b)));
        if out.len() == before {
            out.push(OutlineEntry::Empty);
        }
        out.push(OutlineEntry::Header(t.outline_links));
        let links = self.lib.graph.outgoing[visit.id.index()].len();
        if links == 0 {
            out.push(OutlineEntry::Empty);
        }
        out.extend((0..links).map(OutlineEntry::Link));
        out.push(OutlineEntry::Header(t.outline_backlinks));
        let backs = &self.lib.graph.backlinks[visit.id.index()];
        if backs.is_empty() {
            out.push(OutlineEntry::Empty);
        }
        out.extend(backs.iter().map(|&id| OutlineEntry::Backlink(id)));
        out
    }

    /// Shows another library: everything that pointed into the old one
    /// (selections, history, search, find) starts afresh.
    pub fn replace_library(&mut self, lib: impl Into<Arc<Library>>) {
        self.own_session = false;
        self.reset_to(lib.into());
        self.key_index = None;
        self.read = super::persist::read_marks(self);
    }

    /// [`App::replace_library`] but for the read marks and the articles by
    /// key, which a caller that can carry them over sets itself.
    pub fn reset_to(&mut self, lib: Arc<Library>) {
        self.list = lib.ids().collect();
        self.lib = lib;
        self.headlines = Cursor::default();
        self.outline = Cursor::default();
        self.open = None;
        self.back.clear();
        self.forward.clear();
        self.popup = None;
        self.search = None;
        self.find = None;
        self.filter.clear();
        self.title_filter = None;
        self.index = IndexState::Missing;
        self.reindex = true;
        self.docs = DocumentCache::default();
        self.focus = Pane::Headlines;
    }

    /// Marks the library just installed as opened from `sources`, read from
    /// the cache (to be checked against its files) or from its files: looks
    /// at the files still under way are for the library before, and are
    /// dropped when they report.
    pub fn opened_from(&mut self, sources: Vec<std::path::PathBuf>, from_cache: bool) {
        self.sources = sources;
        self.refresh = from_cache;
        self.refreshes += 1;
        self.changed = (!from_cache).then(Vec::new);
    }

    /// The watcher reported `paths` changed (`None`: it cannot say which).
    pub fn files_changed(&mut self, paths: Option<Vec<std::path::PathBuf>>) {
        match (&mut self.changed, paths) {
            (Some(seen), Some(paths)) => seen.extend(paths),
            (changed, _) => *changed = None,
        }
        self.refresh = true;
    }

    /// The article under the headline cursor.
    pub fn selected_headline(&self) -> Option<ArticleId> {
        self.list.get(self.headlines.selected).copied()
    }

    /// How far the index build has come, in percent, while it runs.
    pub fn index_progress(&self) -> Option<usize> {
        match &self.index {
            IndexState::Building(done) => {
                Some(done.load(Ordering::Relaxed) * 100 / self.lib.len().max(1))
            }
            _ => None,
        }
    }

    pub fn flash(&mut self, text: impl Into<String>, level: Level) {
        self.status = Some(Status {
            text: text.into(),
            level,
        });
    }
}
