//! `update(app, msg)`: the only place the reader's state changes. Keys are
//! turned into messages by `on_key`; the event loop draws after each one.

use super::action::{Action, Mouse};
use super::app::{App, Cursor, IndexState, Level, OutlineEntry, Pane, Popup, PromptKind, Visit};
use super::persist;
use super::prompt::{self, Edit};
use super::text::EN;
use crate::core::article::ArticleId;
use crate::core::library::Library;
use crate::core::links::Resolution;
use crate::core::search::SearchIndex;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::{Position, Rect};
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

/// Lines a mouse wheel notch scrolls.
const WHEEL_LINES: usize = 3;

pub enum Msg {
    Act(Action),
    Edit(Edit),
    Mouse(Mouse),
    Resize(u16, u16),
    /// The background build of the search index finished, for this library
    /// (it may have been replaced since).
    IndexReady(Arc<crate::core::library::Library>, Arc<SearchIndex>),
    /// The index build made progress: only a redraw.
    Progress,
    /// Files of the library's folders were added, changed or removed: these
    /// paths, or (`None`) ones the watcher cannot name.
    FilesChanged(Option<Vec<std::path::PathBuf>>),
    /// Look number `.0` at the library's files found nothing changed.
    Unchanged(u64),
    /// The library read again after a change.
    Reloaded(Reload),
}

/// A library read again after its files changed.
#[derive(Clone, Debug)]
pub struct Reload {
    pub lib: Arc<crate::core::library::Library>,
    /// How its articles relate to those of the library it replaces.
    pub changes: Arc<crate::core::cache::Changes>,
    /// The number of the refresh that read it (`App::refreshes`).
    pub generation: u64,
}

/// The message a key press means in the app's current state. While a
/// prompt is open, keys type into it (these editing keys are fixed, like a
/// shell's); otherwise the keymap decides.
pub fn on_key(app: &App, ev: &KeyEvent) -> Option<Msg> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    if app.prompt.is_some() {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        return match ev.code {
            KeyCode::Esc => Some(Msg::Edit(Edit::Cancel)),
            KeyCode::Enter => Some(Msg::Edit(Edit::Submit)),
            KeyCode::Backspace if ev.modifiers.contains(KeyModifiers::ALT) => {
                Some(Msg::Edit(Edit::DeleteWord))
            }
            KeyCode::Backspace => Some(Msg::Edit(Edit::Backspace)),
            KeyCode::Char('u') if ctrl => Some(Msg::Edit(Edit::Clear)),
            KeyCode::Char('w') if ctrl => Some(Msg::Edit(Edit::DeleteWord)),
            KeyCode::Char('p') if ctrl => Some(Msg::Act(Action::Up)),
            KeyCode::Char('n') if ctrl => Some(Msg::Act(Action::Down)),
            KeyCode::Char('c') if ctrl => Some(Msg::Act(Action::Quit)),
            KeyCode::Char('z') if ctrl => Some(Msg::Act(Action::Suspend)),
            KeyCode::Up => Some(Msg::Act(Action::Up)),
            KeyCode::Tab
                if app
                    .prompt
                    .as_ref()
                    .is_some_and(|p| p.kind == PromptKind::Open) =>
            {
                Some(Msg::Edit(Edit::Complete))
            }
            KeyCode::Down | KeyCode::Tab => Some(Msg::Act(Action::Down)),
            KeyCode::BackTab => Some(Msg::Act(Action::Up)),
            KeyCode::PageUp => Some(Msg::Act(Action::PageUp)),
            KeyCode::PageDown => Some(Msg::Act(Action::PageDown)),
            KeyCode::Char(c) if !ctrl && !ev.modifiers.contains(KeyModifiers::ALT) => {
                Some(Msg::Edit(Edit::Insert(c)))
            }
            _ => None,
        };
    }
    let action = app.keymap.action(ev)?;
    // Over help or a list, the quit key closes it, as in less and man;
    // Ctrl-C always quits.
    if action == Action::Quit
        && app.popup.is_some()
        && !ev.modifiers.contains(KeyModifiers::CONTROL)
    {
        return Some(Msg::Act(Action::Cancel));
    }
    Some(Msg::Act(action))
}

pub fn update(app: &mut App, msg: Msg) {
    match msg {
        Msg::Resize(w, h) => {
            app.size = Rect::new(0, 0, w, h);
            clamp_all(app);
        }
        Msg::Mouse(m) => mouse(app, m),
        Msg::IndexReady(lib, ix) => index_ready(app, lib, ix),
        Msg::Progress => {}
        Msg::FilesChanged(paths) => app.files_changed(paths),
        Msg::Unchanged(generation) => {
            // The files are as the library shown says: later looks need
            // only check what the watcher reports from now on.
            if generation == app.refreshes {
                app.changed = Some(Vec::new());
            }
        }
        Msg::Reloaded(reload) => {
            // Only the newest look at the files counts: an older one may
            // have missed the latest change.
            if reload.generation == app.refreshes {
                app.changed = Some(Vec::new());
                let had = std::mem::take(&mut app.index);
                let before = app.lib.clone();
                super::watch::apply(app, &reload);
                keep_index(app, had, &before, reload);
                clamp_all(app);
            }
        }
        Msg::Edit(e) => {
            app.status = None;
            prompt::edit(app, e);
            clamp_all(app);
        }
        Msg::Act(action) => {
            // A status message lasts until the next thing the user does,
            // and so does the offer to search a broken link's title.
            app.status = None;
            if action != Action::Search {
                app.offered_search = None;
            }
            act(app, action);
            clamp_all(app);
        }
    }
}

/// An index built, loaded or updated off the UI thread has landed: it is
/// used when it is for the library shown, and brought up to date when the
/// library was reloaded meanwhile; otherwise it is dropped.
fn index_ready(app: &mut App, lib: Arc<Library>, ix: Arc<SearchIndex>) {
    if Arc::ptr_eq(&lib, &app.lib) {
        let was_ready = matches!(app.index, IndexState::Ready(_));
        app.index = IndexState::Ready(ix);
        app.index_for = None;
        app.index_behind.clear();
        // A search typed while the index was being made runs now (one
        // shown already is right: a whole build replacing an updated index
        // finds the same articles).
        if !was_ready {
            if let Some(p) = app.prompt.as_ref().filter(|p| p.kind == PromptKind::Search) {
                let input = p.input.clone();
                super::results::refresh(app, &input);
            }
        }
        return;
    }
    let made_for = app.index_for.as_ref().is_some_and(|f| Arc::ptr_eq(f, &lib));
    let leads_here = app
        .index_behind
        .last()
        .is_some_and(|(l, _)| Arc::ptr_eq(l, &app.lib));
    if made_for && leads_here {
        let behind = std::mem::take(&mut app.index_behind);
        let changes = behind
            .iter()
            .skip(1)
            .fold(behind[0].1.as_ref().clone(), |all, (_, next)| {
                all.then(next)
            });
        app.index_update = Some((ix, Arc::new(changes)));
        app.reindex = true;
    }
}

/// After a reload: a ready index is updated with what changed (the event
/// loop starts it on another thread), one being made catches up when it
/// lands; otherwise the whole build `replace_library` asked for stands.
fn keep_index(app: &mut App, had: IndexState, before: &Arc<Library>, reload: Reload) {
    let changes = reload.changes;
    let fits = changes.kept.len() == before.len();
    let waiting = || Some(IndexState::Building(Arc::new(AtomicUsize::new(0))));
    let kept = match (had, app.index_update.take()) {
        // Not started yet: one update for both reloads.
        (_, Some((ix, earlier))) if fits => {
            app.index_update = Some((ix, Arc::new(earlier.then(&changes))));
            app.reindex = true;
            waiting()
        }
        (IndexState::Ready(ix), None) if fits => {
            app.index_update = Some((ix, changes));
            app.reindex = true;
            waiting()
        }
        (IndexState::Building(progress), None) if fits => {
            let from = match app.index_behind.last() {
                Some((l, _)) => Some(l),
                None => app.index_for.as_ref(),
            };
            if from.is_some_and(|l| Arc::ptr_eq(l, before)) {
                app.index_behind.push((reload.lib, changes));
                app.reindex = false;
                Some(IndexState::Building(progress))
            } else {
                None
            }
        }
        _ => None,
    };
    match kept {
        // Never `Missing` here: a search would build it on this thread.
        Some(state) => app.index = state,
        None => {
            app.index_for = None;
            app.index_behind.clear();
        }
    }
}

fn act(app: &mut App, action: Action) {
    if let Some(popup) = app.popup.clone() {
        if popup_act(app, popup, action) {
            return;
        }
    }
    if app.search.is_some() && move_results(app, action) {
        return;
    }
    if app.browser.is_some() && move_browser(app, action) {
        return;
    }
    match action {
        Action::Quit => {
            persist::remember_position(app);
            app.quit = true;
        }
        Action::Suspend => app.suspend = true,
        Action::Help => app.popup = Some(Popup::Help { scroll: 0 }),
        Action::Cancel => {
            app.offered_search = None;
            if app.find.take().is_none() && !app.filter.is_empty() {
                super::results::filter(app, "");
            }
        }
        Action::Up => move_by(app, -1),
        Action::Down => move_by(app, 1),
        Action::PageUp => move_by(app, -page(app)),
        Action::PageDown => move_by(app, page(app)),
        Action::Top => move_by(app, isize::MIN / 2),
        Action::Bottom => move_by(app, isize::MAX / 2),
        Action::FocusLeft => focus_step(app, -1),
        Action::FocusRight => focus_step(app, 1),
        Action::FocusHeadlines => set_focus(app, Pane::Headlines),
        Action::FocusOutline => set_focus(app, Pane::Outline),
        Action::FocusReader => set_focus(app, Pane::Reader),
        Action::NextLink => step_link(app, 1),
        Action::PrevLink => step_link(app, -1),
        Action::Open => open_selected(app),
        Action::Back => history(app, true),
        Action::Forward => history(app, false),
        Action::ToggleRead => toggle_read(app),
        Action::Bookmark => {
            let id = match (app.focus, app.open) {
                (Pane::Headlines, _) | (_, None) => app.selected_headline(),
                (_, Some(v)) => Some(v.id),
            };
            if let Some(id) = id {
                persist::toggle_bookmark(app, id);
            }
        }
        Action::Bookmarks => persist::show_bookmarks(app),
        Action::OpenPath => {
            let start = crate::cli::library_dir()
                .filter(|d| d.is_dir())
                .or_else(|| std::env::current_dir().ok())
                .map(|d| d.to_string_lossy().trim_end_matches('/').to_owned() + "/")
                .unwrap_or_default();
            prompt::open(app, PromptKind::Open, start);
        }
        Action::Recent => persist::show_recent(app),
        Action::Search => {
            if let Some(title) = app.offered_search.take() {
                prompt::open(app, PromptKind::Search, title);
            } else if app.focus == Pane::Reader && app.open.is_some() {
                prompt::open(app, PromptKind::Find, String::new());
            } else {
                prompt::open(app, PromptKind::Search, String::new());
            }
        }
        Action::Filter => {
            let current = app.filter.clone();
            prompt::open(app, PromptKind::Filter, current);
        }
        Action::NextMatch => prompt::step_match(app, 1),
        Action::PrevMatch => prompt::step_match(app, -1),
    }
}

/// Handles an action while a popup is shown; false lets it fall through.
fn popup_act(app: &mut App, popup: Popup, action: Action) -> bool {
    match (popup, action) {
        (_, Action::Quit | Action::Suspend) => false,
        (Popup::Help { .. }, Action::Help | Action::Cancel)
        | (Popup::Choose { .. }, Action::Cancel) => {
            app.popup = None;
            true
        }
        (Popup::Help { scroll }, a) => {
            let delta = match a {
                Action::Up => -1,
                Action::Down => 1,
                Action::PageUp => -10,
                Action::PageDown => 10,
                Action::Top => -10_000,
                Action::Bottom => 10_000,
                _ => 0,
            };
            let max = super::widgets::help::max_scroll(app);
            app.popup = Some(Popup::Help {
                scroll: add(scroll, delta).min(max),
            });
            true
        }
        (
            Popup::Choose {
                title,
                ids,
                selected,
            },
            a,
        ) => {
            let last = ids.len().saturating_sub(1);
            let selected = match a {
                Action::Up | Action::PrevLink => selected.saturating_sub(1),
                Action::Down | Action::NextLink => (selected + 1).min(last),
                Action::Top => 0,
                Action::Bottom => last,
                Action::Open => {
                    app.popup = None;
                    if let Some(&id) = ids.get(selected) {
                        open_article(app, id, true);
                    }
                    return true;
                }
                _ => selected,
            };
            app.popup = Some(Popup::Choose {
                title,
                ids,
                selected,
            });
            true
        }
    }
}

/// Up and down move through the file browser while it is shown.
fn move_browser(app: &mut App, action: Action) -> bool {
    let page = usize::from(app.size.height.saturating_sub(4)).max(1) as isize;
    let Some(b) = app.browser.as_mut() else {
        return false;
    };
    let delta = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -page,
        Action::PageDown => page,
        _ => return false,
    };
    b.cursor.selected = add(b.cursor.selected, delta).min(b.entries.len().saturating_sub(1));
    true
}

/// Up and down move through search results while they are shown.
fn move_results(app: &mut App, action: Action) -> bool {
    let height = (app.areas().reader.map_or(3, |r| usize::from(r.height)) / 3).max(1);
    let Some(view) = app.search.as_mut() else {
        return false;
    };
    let delta = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -(height as isize),
        Action::PageDown => height as isize,
        _ => return false,
    };
    view.cursor.selected = add(view.cursor.selected, delta);
    true
}

fn add(v: usize, delta: isize) -> usize {
    if delta < 0 {
        v.saturating_sub(delta.unsigned_abs())
    } else {
        v.saturating_add(delta as usize)
    }
}

fn page(app: &App) -> isize {
    let h = app.pane_height(app.focus);
    (h.saturating_sub(2).max(1)) as isize
}

fn move_by(app: &mut App, delta: isize) {
    match app.focus {
        Pane::Headlines => {
            let len = app.list.len();
            app.headlines.selected = add(app.headlines.selected, delta).min(len.saturating_sub(1));
        }
        Pane::Outline => move_outline(app, delta),
        Pane::Reader => {
            if let Some(v) = app.open.as_mut() {
                v.scroll = add(v.scroll, delta);
            }
        }
    }
}

/// Moves the outline selection over selectable entries only.
fn move_outline(app: &mut App, delta: isize) {
    let entries = app.outline_entries();
    let selectable: Vec<usize> = (0..entries.len())
        .filter(|&i| entries[i].selectable())
        .collect();
    if selectable.is_empty() {
        return;
    }
    let pos = selectable
        .iter()
        .position(|&i| i >= app.outline.selected)
        .unwrap_or(0);
    let next = add(pos, delta).min(selectable.len() - 1);
    app.outline.selected = selectable[next];
}

fn focus_step(app: &mut App, delta: isize) {
    let i = Pane::ORDER
        .iter()
        .position(|&p| p == app.focus)
        .unwrap_or(0);
    let next = add(i, delta).min(Pane::ORDER.len() - 1);
    set_focus(app, Pane::ORDER[next]);
}

fn set_focus(app: &mut App, pane: Pane) {
    app.focus = pane;
    if pane != Pane::Reader {
        app.side = pane;
    }
    if pane == Pane::Outline {
        move_outline(app, 0);
    }
}

/// Opens an article in the reader. With `remember`, the article shown now
/// goes on the back stack and the forward stack is dropped, as in a browser.
pub fn open_article(app: &mut App, id: ArticleId, remember: bool) {
    if id.index() >= app.lib.len() {
        return;
    }
    if remember {
        if let Some(cur) = app.open {
            if cur.id != id {
                app.back.push(cur);
                app.forward.clear();
            }
        }
    }
    show(
        app,
        Visit {
            id,
            scroll: 0,
            link: None,
        },
    );
    persist::opened(app, id, remember);
    if let Some(line) = persist::saved_scroll(app, id) {
        if let Some(v) = app.open.as_mut() {
            v.scroll = line;
        }
    }
}

fn show(app: &mut App, visit: Visit) {
    persist::remember_position(app);
    app.open = Some(visit);
    app.read.insert(visit.id);
    if let Some(pos) = app.list.iter().position(|&i| i == visit.id) {
        app.headlines.selected = pos;
    }
    app.outline = Cursor::default();
    move_outline(app, 0);
    app.focus = Pane::Reader;
    app.offered_search = None;
}

fn history(app: &mut App, back: bool) {
    let (from, to) = if back {
        (&mut app.back, &mut app.forward)
    } else {
        (&mut app.forward, &mut app.back)
    };
    let Some(visit) = from.pop() else {
        let msg = if back {
            EN.history_start
        } else {
            EN.history_end
        };
        app.flash(msg, Level::Info);
        return;
    };
    if let Some(cur) = app.open {
        to.push(cur);
    }
    show(app, visit);
}

fn open_selected(app: &mut App) {
    match app.focus {
        Pane::Headlines => {
            if let Some(id) = app.selected_headline() {
                open_article(app, id, true);
            }
        }
        Pane::Outline => {
            let entries = app.outline_entries();
            match entries.get(app.outline.selected) {
                Some(OutlineEntry::Heading(block)) => jump_to_block(app, *block),
                Some(OutlineEntry::Link(ordinal)) => {
                    if let Some(v) = app.open.as_mut() {
                        v.link = Some(*ordinal);
                    }
                    follow(app);
                }
                Some(OutlineEntry::Backlink(id)) => open_article(app, *id, true),
                _ => {}
            }
        }
        Pane::Reader => follow(app),
    }
}

fn jump_to_block(app: &mut App, block: usize) {
    let Some(doc) = app.document() else { return };
    if let (Some(v), Some(&line)) = (app.open.as_mut(), doc.block_line.get(block)) {
        v.scroll = line;
    }
    app.focus = Pane::Reader;
}

/// Follows the selected link: opens its article, lists the candidates of an
/// ambiguous one, or explains a broken one and offers to search its title.
fn follow(app: &mut App) {
    let Some(visit) = app.open else { return };
    let Some(ordinal) = visit.link else {
        app.flash(EN.no_link_selected, Level::Info);
        return;
    };
    let Some(out) = app.lib.graph.outgoing[visit.id.index()].get(ordinal) else {
        return;
    };
    match out.resolution.clone() {
        Resolution::Resolved(id) => open_article(app, id, true),
        Resolution::Ambiguous(ids) => {
            app.popup = Some(Popup::Choose {
                title: EN.candidates_title,
                ids,
                selected: 0,
            })
        }
        Resolution::Broken(why) => {
            let target = out.target.clone().unwrap_or_default();
            let key = app.keymap.label(Action::Search);
            app.flash(EN.broken_link(&target, why.reason(), &key), Level::Warn);
            app.offered_search = (!target.is_empty()).then_some(target);
        }
    }
}

/// Selects the next or previous link. With none selected, starts from the
/// first link in view, so Tab picks what the reader is looking at.
fn step_link(app: &mut App, delta: isize) {
    let height = app
        .reader_text_area()
        .map_or(1, |r| usize::from(r.height).max(1));
    let Some(doc) = app.document() else { return };
    let Some(visit) = app.open.as_mut() else {
        return;
    };
    let count = doc.link_line.len();
    if count == 0 {
        app.flash(EN.no_links, Level::Info);
        return;
    }
    let next = match visit.link {
        Some(i) => (i as isize + delta).rem_euclid(count as isize) as usize,
        // Tab takes the first link in view, Shift-Tab the last; with none
        // in view, the next one below or the one above.
        None => {
            let below = doc.link_line.iter().position(|&l| l >= visit.scroll);
            let above_end = doc
                .link_line
                .partition_point(|&l| l < visit.scroll + height);
            match (below, delta > 0) {
                (Some(i), true) => i,
                (_, false) => above_end.checked_sub(1).unwrap_or(count - 1),
                (None, true) => count - 1,
            }
        }
    };
    visit.link = Some(next);
    app.focus = Pane::Reader;
    reveal_link(app);
    // The outline's cursor goes along, so it shows which link this is.
    if let Some(i) = app
        .outline_entries()
        .iter()
        .position(|e| *e == OutlineEntry::Link(next))
    {
        app.outline.selected = i;
    }
}

/// Scrolls so the selected link is in view.
fn reveal_link(app: &mut App) {
    let height = app
        .reader_text_area()
        .map_or(1, |r| usize::from(r.height).max(1));
    let Some(doc) = app.document() else { return };
    let Some(v) = app.open.as_mut() else { return };
    let Some((start, end)) = v.link.and_then(|o| doc.link_span(o)) else {
        return;
    };
    if start < v.scroll {
        v.scroll = start;
    } else if end > v.scroll + height {
        v.scroll = end.saturating_sub(height);
    }
}

fn toggle_read(app: &mut App) {
    let id = match (app.focus, app.open) {
        (Pane::Headlines, _) | (_, None) => app.selected_headline(),
        (_, Some(v)) => Some(v.id),
    };
    let Some(id) = id else { return };
    let read = !app.read.remove(&id);
    if read {
        app.read.insert(id);
    }
    persist::set_read(app, id, read);
    app.flash(
        if read {
            EN.marked_read
        } else {
            EN.marked_unread
        },
        Level::Info,
    );
}

/// Keeps every cursor and scroll position inside what exists and shows.
fn clamp_all(app: &mut App) {
    // Help keeps its last row at the bottom, also after a resize.
    if let Some(Popup::Help { scroll }) = app.popup {
        let max = super::widgets::help::max_scroll(app);
        app.popup = Some(Popup::Help {
            scroll: scroll.min(max),
        });
    }
    let len = app.list.len();
    let h = app.pane_height(Pane::Headlines);
    app.headlines.clamp(len, h);
    let entries = app.outline_entries().len();
    let oh = app.pane_height(Pane::Outline);
    app.outline.clamp(entries, oh);
    // Only while the reader is on screen: in one pane, with the outline up,
    // there is no view to keep the scroll and the link in.
    let height = app.reader_text_area().map(|r| usize::from(r.height).max(1));
    if let (Some(height), Some(doc)) = (height, app.document()) {
        if let Some(v) = app.open.as_mut() {
            v.scroll = v.scroll.min(doc.len().saturating_sub(height));
            // A link scrolled out of sight is no longer selected: Tab then
            // starts from what is in view, and Enter never follows a link
            // the reader cannot see.
            let seen = v
                .link
                .and_then(|o| doc.link_span(o))
                .is_some_and(|(start, end)| start < v.scroll + height && end > v.scroll);
            if !seen {
                v.link = None;
            }
        }
    }
    let rows = usize::from(app.size.height.saturating_sub(4)).max(1);
    if let Some(b) = app.browser.as_mut() {
        b.cursor.clamp(b.entries.len(), rows);
    }
    let rows = super::widgets::results::rows_per_page(app);
    if let Some(view) = app.search.as_mut() {
        view.cursor.clamp(view.hits.len(), rows);
    }
    prompt::refresh_find(app);
}

fn mouse(app: &mut App, m: Mouse) {
    app.status = None;
    app.offered_search = None;
    let (column, row) = match m {
        Mouse::Click { column, row }
        | Mouse::ScrollUp { column, row }
        | Mouse::ScrollDown { column, row } => (column, row),
    };
    let pos = Position { x: column, y: row };
    // What covers the panes takes the mouse, as it takes the keys.
    if app.popup.is_some() {
        popup_mouse(app, m, pos);
        return clamp_all(app);
    }
    if app.search.is_some() || app.browser.is_some() {
        overlay_mouse(app, m, pos);
        return clamp_all(app);
    }
    let areas = app.areas();
    let Some(pane) = Pane::ORDER
        .into_iter()
        .find(|&p| areas.of(p).is_some_and(|r| r.contains(pos)))
    else {
        return;
    };
    match m {
        Mouse::ScrollUp { .. } | Mouse::ScrollDown { .. } => {
            let delta = if matches!(m, Mouse::ScrollUp { .. }) {
                -(WHEEL_LINES as isize)
            } else {
                WHEEL_LINES as isize
            };
            let focus = app.focus;
            app.focus = pane;
            move_by(app, delta);
            app.focus = focus;
        }
        Mouse::Click { .. } => click(app, pane, pos),
    }
    clamp_all(app);
}

fn click(app: &mut App, pane: Pane, pos: Position) {
    let areas = app.areas();
    set_focus(app, pane);
    match pane {
        Pane::Headlines | Pane::Outline => {
            let Some(r) = areas.of(pane) else { return };
            if pos.y <= r.y || pos.y >= r.y + r.height.saturating_sub(1) {
                return; // the border
            }
            let cursor = if pane == Pane::Headlines {
                &mut app.headlines
            } else {
                &mut app.outline
            };
            let row = cursor.offset + usize::from(pos.y - r.y - 1);
            if pane == Pane::Outline
                && !app
                    .outline_entries()
                    .get(row)
                    .is_some_and(OutlineEntry::selectable)
            {
                return;
            }
            let cursor = if pane == Pane::Headlines {
                &mut app.headlines
            } else {
                &mut app.outline
            };
            cursor.selected = row;
            if pane == Pane::Headlines && row >= app.list.len() {
                return;
            }
            open_selected(app);
        }
        Pane::Reader => {
            let Some(text) = app.reader_text_area() else {
                return;
            };
            if !text.contains(pos) {
                return;
            }
            let Some(doc) = app.document() else { return };
            let Some(v) = app.open.as_mut() else { return };
            let line = v.scroll + usize::from(pos.y - text.y);
            if let Some(ordinal) = doc.link_at(line) {
                v.link = Some(ordinal);
                follow(app);
            }
        }
    }
}

/// The wheel as the arrow keys would move the popup; a click on a
/// candidate opens it, a click beside the popup closes it.
fn popup_mouse(app: &mut App, m: Mouse, pos: Position) {
    let Some(area) = app.popup_area() else { return };
    match m {
        Mouse::ScrollUp { .. } | Mouse::ScrollDown { .. } => wheel_keys(app, m, WHEEL_LINES),
        Mouse::Click { .. } if !area.contains(pos) => app.popup = None,
        Mouse::Click { .. } => {
            if let Some(Popup::Choose { ids, selected, .. }) = app.popup.as_mut() {
                let row = usize::from(pos.y.saturating_sub(area.y));
                let rows = area.height.saturating_sub(2);
                let first = super::widgets::help::choice_offset(*selected, rows);
                // Row 0 is the border; the bottom border ends the list.
                let i = first + row.saturating_sub(1);
                if row >= 1 && row <= usize::from(rows) && i < ids.len() {
                    *selected = i;
                    act(app, Action::Open);
                }
            }
        }
    }
}

/// Search results and the file browser: the wheel moves the cursor, a
/// click opens what is under it, as Enter would.
fn overlay_mouse(app: &mut App, m: Mouse, pos: Position) {
    let area = app.overlay_area();
    let inner_top = area.y.saturating_add(1);
    match m {
        // A hit is three rows: one hit a notch.
        Mouse::ScrollUp { .. } | Mouse::ScrollDown { .. } if app.search.is_some() => {
            wheel_keys(app, m, 1)
        }
        Mouse::ScrollUp { .. } | Mouse::ScrollDown { .. } => wheel_keys(app, m, WHEEL_LINES),
        Mouse::Click { .. } => {
            if !area.contains(pos) || pos.y < inner_top || pos.y + 1 >= area.bottom() {
                return; // the border, or the status line
            }
            let row = usize::from(pos.y - inner_top);
            if let Some(b) = app.browser.as_mut() {
                let i = b.cursor.offset + row;
                if i < b.entries.len() && b.error.is_none() {
                    b.cursor.selected = i;
                    prompt::edit(app, Edit::Submit);
                }
            } else if let Some(view) = app.search.as_mut() {
                let i = view.cursor.offset + row / super::widgets::results::ROWS_PER_HIT;
                if i < view.hits.len() {
                    view.cursor.selected = i;
                    prompt::edit(app, Edit::Submit);
                }
            }
        }
    }
}

/// The wheel over what covers the panes does what the arrow keys do there,
/// `steps` times a notch.
fn wheel_keys(app: &mut App, m: Mouse, steps: usize) {
    let action = match m {
        Mouse::ScrollUp { .. } => Action::Up,
        _ => Action::Down,
    };
    for _ in 0..steps {
        act(app, action);
    }
}
