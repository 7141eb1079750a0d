//! Live library: watches the folders the library came from and, when files
//! are added, changed or removed, reloads it without moving the reader away
//! from what it shows. The watcher thread only says "something changed";
//! the event loop rereads the changed files on another thread
//! (`core::cache::refresh`) and the result is a message to `update`.

use super::app::{App, Level, Pane, Visit};
use crate::core::library::Library;
use crate::core::state::article_key;
use notify::{RecursiveMode, Watcher};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Changes closer together than this are one reload: saving a file is
/// often several events, and copying a folder is many.
const SETTLE: Duration = Duration::from_millis(250);

/// Starts watching `paths`; `changed` is called (from the watcher's
/// thread) once per burst of changes. The watcher lives as long as the
/// returned value.
pub fn start(
    paths: &[PathBuf],
    changed: impl Fn() + Send + 'static,
) -> notify::Result<notify::RecommendedWatcher> {
    let (tx, rx) = mpsc::channel::<()>();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        if ev.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
            let _ = tx.send(());
        }
    })?;
    for p in paths {
        watcher.watch(p, RecursiveMode::Recursive)?;
    }
    std::thread::spawn(move || {
        while rx.recv().is_ok() {
            // Swallow the rest of the burst, then report once.
            while rx.recv_timeout(SETTLE).is_ok() {}
            changed();
        }
    });
    Ok(watcher)
}

/// Shows `lib`, the library read again after its files changed, keeping
/// the open article (with its scroll and selected link), the history, the
/// headline selection and the focus, matched by each article's stable key.
pub fn apply(app: &mut App, lib: std::sync::Arc<Library>) {
    let key_of = |app: &App, v: &Visit| article_key(app.lib.article(v.id));
    let open = app.open.map(|v| (key_of(app, &v), v));
    let back: Vec<(String, Visit)> = app.back.iter().map(|v| (key_of(app, v), *v)).collect();
    let forward: Vec<(String, Visit)> = app.forward.iter().map(|v| (key_of(app, v), *v)).collect();
    let selected = app
        .selected_headline()
        .map(|id| article_key(app.lib.article(id)));
    let (focus, prompt, filter) = (app.focus, app.prompt.clone(), app.filter.clone());
    let before = app.lib.len();

    app.replace_library(lib);
    let mut index = std::collections::HashMap::new();
    for id in app.lib.ids() {
        index.entry(article_key(app.lib.article(id))).or_insert(id);
    }
    let remap = |list: Vec<(String, Visit)>| -> Vec<Visit> {
        list.into_iter()
            .filter_map(|(k, v)| index.get(&k).map(|&id| Visit { id, ..v }))
            .collect()
    };
    app.back = remap(back);
    app.forward = remap(forward);
    if let Some((k, v)) = open {
        match index.get(&k) {
            Some(&id) => app.open = Some(Visit { id, ..v }),
            None => app.flash("The open article was removed from the folder", Level::Warn),
        }
    }
    if !filter.is_empty() {
        super::results::filter(app, &filter);
    }
    if let Some(pos) = selected
        .and_then(|k| index.get(&k))
        .and_then(|id| app.list.iter().position(|x| x == id))
    {
        app.headlines.selected = pos;
    }
    app.prompt = prompt;
    app.focus = if app.open.is_none() && focus == Pane::Reader {
        Pane::Headlines
    } else {
        focus
    };
    let after = app.lib.len();
    if after != before && app.status.is_none() {
        app.flash(
            format!("Library updated: {after} articles (was {before})"),
            Level::Info,
        );
    }
}
