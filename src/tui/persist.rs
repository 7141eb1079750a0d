//! The reader's side of the reading state (`core::state`): read marks,
//! bookmarks, scroll positions, the link history and the last open article,
//! kept under each article's stable key. Part of `update`; the event loop
//! saves after any message that changed something, on a thread of its own
//! ([`Saver`]).

use super::app::{App, Level, Popup, Visit};
use super::text::EN;
use crate::core::article::ArticleId;
use crate::core::state::{article_key, Pending, State, StateError, Warning, Written};
use std::collections::{HashMap, HashSet};
use std::thread::JoinHandle;

/// How many entries of the saved link history come back as the back stack.
const HISTORY_RESTORED: usize = 50;
/// How many recently read articles the recent list offers.
const RECENT_SHOWN: usize = 30;

pub fn key(app: &App, id: ArticleId) -> String {
    article_key(app.lib.article(id))
}

/// The article stored under `key`, if this library has it.
fn id_of(app: &mut App, key: &str) -> Option<ArticleId> {
    key_index(app).get(key).copied()
}

/// Every article by its key, made on first use: the keys of a large
/// library take a moment, and a new user's empty state needs none.
fn key_index(app: &mut App) -> &HashMap<String, ArticleId> {
    let lib = &app.lib;
    app.key_index.get_or_insert_with(|| {
        let ids: Vec<ArticleId> = lib.ids().collect();
        let keys = crate::core::par::map(&ids, |&id| article_key(lib.article(id)));
        keys.into_iter().zip(ids).collect()
    })
}

/// The articles the state marks read: the state's read keys looked up,
/// rather than every article keyed.
pub fn read_marks(app: &mut App) -> HashSet<ArticleId> {
    let Some(state) = app.state.take() else {
        return HashSet::new();
    };
    let mut read = HashSet::new();
    {
        let mut keys = state.read_keys().peekable();
        if keys.peek().is_some() {
            let index = key_index(app);
            read = keys.filter_map(|k| index.get(k).copied()).collect();
        }
    }
    app.state = Some(state);
    read
}

/// Takes a loaded state: its read marks show in the list, and the last
/// article read and the link history come back.
pub fn attach(app: &mut App, state: State, restore_session: bool) {
    let last = state.last_open().map(str::to_owned);
    let history: Vec<String> = state
        .history()
        .iter()
        .rev()
        .take(HISTORY_RESTORED)
        .map(|k| k.to_string())
        .collect();
    app.state = Some(state);
    app.read = read_marks(app);
    if !restore_session || app.open.is_some() {
        return;
    }
    let Some(id) = last.and_then(|k| id_of(app, &k)) else {
        return;
    };
    let mut back: Vec<Visit> = history
        .iter()
        .rev()
        .filter_map(|k| id_of(app, k))
        .filter(|&h| h != id)
        .map(|h| Visit {
            id: h,
            scroll: 0,
            link: None,
        })
        .collect();
    back.dedup_by_key(|v| v.id);
    super::update::open_article(app, id, false);
    app.back = back;
}

/// Notes that `id` was opened: read, last open, and a history entry when
/// it was reached by a link.
pub fn opened(app: &mut App, id: ArticleId, by_link: bool) {
    let k = key(app, id);
    let Some(state) = app.state.as_mut() else {
        return;
    };
    if app.own_session {
        state.record_open(&k);
    } else {
        state.mark_opened(&k);
        state.set_read(&k, true);
    }
    if by_link {
        state.push_history(&k);
    }
    app.dirty = true;
}

/// The block the reader shows at its top, stored as the article's position
/// because it survives a change of width.
pub fn remember_position(app: &mut App) {
    let Some(visit) = app.open else { return };
    let Some(doc) = app.document() else { return };
    let block = doc
        .block_line
        .partition_point(|&l| l <= visit.scroll)
        .saturating_sub(1);
    let k = key(app, visit.id);
    if let Some(state) = app.state.as_mut() {
        let before = state.position(&k);
        if before != Some(block) && !(before.is_none() && block == 0) {
            state.set_position(&k, block);
            app.dirty = true;
        }
    }
}

/// The scroll line where the article was left last time.
pub fn saved_scroll(app: &mut App, id: ArticleId) -> Option<usize> {
    let block = app.state.as_ref()?.position(&key(app, id))?;
    let doc = app.document()?;
    doc.block_line.get(block).copied()
}

pub fn set_read(app: &mut App, id: ArticleId, read: bool) {
    let k = key(app, id);
    if let Some(state) = app.state.as_mut() {
        state.set_read(&k, read);
        app.dirty = true;
    }
}

pub fn toggle_bookmark(app: &mut App, id: ArticleId) {
    let k = key(app, id);
    let Some(state) = app.state.as_mut() else {
        app.flash(EN.no_state, Level::Warn);
        return;
    };
    let on = state.toggle_bookmark(&k);
    app.dirty = true;
    app.flash(
        if on { EN.bookmarked } else { EN.unbookmarked },
        Level::Info,
    );
}

/// The bookmarks of this library, newest first, to pick from.
pub fn show_bookmarks(app: &mut App) {
    // The state lists them newest first.
    let keys: Vec<String> = match &app.state {
        Some(s) => s
            .bookmarks()
            .into_iter()
            .map(|(k, _)| k.to_owned())
            .collect(),
        None => Vec::new(),
    };
    choose(app, EN.bookmarks_title, EN.no_bookmarks, keys);
}

/// The articles read lately, newest first.
pub fn show_recent(app: &mut App) {
    let keys: Vec<String> = match &app.state {
        Some(s) => s
            .recent(RECENT_SHOWN)
            .into_iter()
            .map(|(k, _)| k.to_owned())
            .collect(),
        None => Vec::new(),
    };
    choose(app, EN.recent_title, EN.no_recent, keys);
}

fn choose(app: &mut App, title: &'static str, empty: &'static str, keys: Vec<String>) {
    let ids: Vec<ArticleId> = keys.iter().filter_map(|k| id_of(app, k)).collect();
    if ids.is_empty() {
        app.flash(empty, Level::Info);
        return;
    }
    app.popup = Some(Popup::Choose {
        title,
        ids,
        selected: 0,
    });
}

/// The one write of the reading state under way. A write reads, merges,
/// writes and syncs the whole file, milliseconds for every thousand
/// articles read, so it runs on its own thread and the frame after opening
/// an article never waits for the disk.
#[derive(Default)]
pub struct Saver {
    /// The write under way and its number.
    writing: Option<(u64, JoinHandle<(Pending, Written)>)>,
    writes: u64,
}

impl Saver {
    /// Starts writing what changed, unless a write is under way: the
    /// changes wait for [`Saver::finish`] to start the next. `wake` tells
    /// the event loop that the write is done.
    pub fn start(&mut self, app: &mut App, wake: impl FnOnce(u64) + Send + 'static) {
        if self.writing.is_some() || !app.dirty {
            return;
        }
        app.dirty = false;
        let Some(pending) = app.state.as_mut().and_then(State::take_pending) else {
            return;
        };
        self.writes += 1;
        let write = self.writes;
        let handle = std::thread::spawn(move || {
            let written = pending.write();
            wake(write);
            (pending, written)
        });
        self.writing = Some((write, handle));
    }

    /// Write number `write` said it is done. Its word can come after a
    /// flush took it back and the next write began: that one is not waited
    /// for here.
    pub fn finished(&mut self, app: &mut App, write: u64) {
        if self.writing.as_ref().is_some_and(|(w, _)| *w == write) {
            self.finish(app);
        }
    }

    /// Takes back the write under way, waiting for it if needed, and shows
    /// what went wrong. Changes it could not write are kept for the next.
    pub fn finish(&mut self, app: &mut App) {
        let Some((_, writing)) = self.writing.take() else {
            return;
        };
        let outcome = match writing.join() {
            Ok((pending, written)) => match app.state.as_mut() {
                Some(state) => state.finish(pending, written),
                None => Ok(Vec::new()),
            },
            Err(_) => {
                app.flash(EN.state_not_saved, Level::Warn);
                return;
            }
        };
        report(app, outcome);
    }

    /// Everything saved before baca stops or suspends: the write under way,
    /// then what changed since, on this thread. Returns why changes are
    /// still unsaved, if they are: at exit that must reach the user.
    pub fn flush(&mut self, app: &mut App) -> Option<String> {
        self.finish(app);
        app.dirty = false;
        // The state, not `dirty`, knows of changes a failed write gave back.
        let state = app.state.as_mut().filter(|s| s.has_changes())?;
        let outcome = state.save();
        report(app, outcome)
    }
}

/// A failed save is shown, not fatal; its message is returned.
fn report(app: &mut App, outcome: Result<Vec<Warning>, StateError>) -> Option<String> {
    match outcome {
        Ok(warnings) => {
            if let Some(w) = warnings.first() {
                app.flash(w.to_string(), Level::Warn);
            }
            None
        }
        Err(e) => {
            let message = format!("{}: {e}", EN.state_not_saved);
            app.flash(message.clone(), Level::Warn);
            Some(message)
        }
    }
}
