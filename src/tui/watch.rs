//! Live library: watches the folders the library came from and, when files
//! are added, changed or removed, reloads it without moving the reader away
//! from what it shows. The watcher thread only says "something changed";
//! the event loop rereads the changed files on another thread
//! (`core::cache::refresh`) and the result is a message to `update`.

use super::app::{App, Level, Pane, Visit};
use super::update::Reload;
use crate::core::article::ArticleId;
use crate::core::state::article_key;
use notify::{RecursiveMode, Watcher};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

/// Changes closer together than this are one reload: saving a file is
/// often several events, and copying a folder is many.
const SETTLE: Duration = Duration::from_millis(100);

/// Starts watching `paths`; `changed` is called (from the watcher's
/// thread) once per burst of changes, with the paths that changed, or
/// `None` when the watcher cannot say (it missed events). The watcher lives
/// as long as the returned value.
pub fn start(
    paths: &[PathBuf],
    changed: impl Fn(Option<Vec<PathBuf>>) + Send + 'static,
) -> notify::Result<notify::RecommendedWatcher> {
    // `None`: events were lost, every path may have changed.
    let (tx, rx) = mpsc::channel::<Option<Vec<PathBuf>>>();
    let mut watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let _ = match ev {
            Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => return,
            Ok(e) if !e.need_rescan() => tx.send(Some(e.paths)),
            _ => tx.send(None),
        };
    })?;
    for p in paths {
        watcher.watch(p, RecursiveMode::Recursive)?;
    }
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // Gather the rest of the burst, then report once.
            let mut burst = first;
            while let Ok(more) = rx.recv_timeout(SETTLE) {
                match (&mut burst, more) {
                    (Some(all), Some(paths)) => all.extend(paths),
                    (all, _) => *all = None,
                }
            }
            if let Some(all) = &mut burst {
                all.sort_unstable();
                all.dedup();
            }
            changed(burst);
        }
    });
    Ok(watcher)
}

/// Shows the library read again after its files changed, keeping the open
/// article (with its scroll and selected link), the history, the headline
/// selection, the read marks and the focus. An article kept from the
/// library before is followed by its new id; one whose file changed is
/// new to the library and is found again by its stable key, or as the only
/// article of its file. Nothing here grows with the library but the list.
pub fn apply(app: &mut App, reload: &Reload) {
    let (lib, changes) = (&reload.lib, &reload.changes);
    let old = app.lib.clone();
    let added: HashMap<String, ArticleId> = changes
        .added
        .iter()
        .map(|&id| (article_key(lib.article(id)), id))
        .collect();
    // An article of a changed file is found by its key, or failing that
    // (its title changed) as the only article of the same file.
    let follow = |id: ArticleId| {
        changes
            .new_id(id)
            .or_else(|| added.get(&article_key(old.article(id))).copied())
            .or_else(|| old.sole_file(id).and_then(|path| lib.sole_article(path)))
    };
    let follow_all = |visits: &[Visit]| -> Vec<Visit> {
        visits
            .iter()
            .filter_map(|v| follow(v.id).map(|id| Visit { id, ..*v }))
            .collect()
    };
    let open = app.open.map(|v| (follow(v.id), v));
    let (back, forward) = (follow_all(&app.back), follow_all(&app.forward));
    let selected = app.selected_headline().and_then(follow);
    let mut read: HashSet<ArticleId> = app.read.iter().filter_map(|&id| follow(id)).collect();
    if let Some(state) = &app.state {
        read.extend(
            added
                .iter()
                .filter(|(key, _)| state.is_read(key))
                .map(|(_, &id)| id),
        );
    }
    let key_index = app.key_index.take().map(|mut index| {
        index.retain(|_, id| match changes.new_id(*id) {
            Some(new) => {
                *id = new;
                true
            }
            None => false,
        });
        for (key, &id) in &added {
            index.entry(key.clone()).or_insert(id);
        }
        index
    });
    let (focus, prompt, filter) = (app.focus, app.prompt.clone(), app.filter.clone());
    let before = app.lib.len();

    app.reset_to(lib.clone());
    app.read = read;
    app.key_index = key_index;
    app.back = back;
    app.forward = forward;
    if let Some((id, v)) = open {
        match id {
            Some(id) => app.open = Some(Visit { id, ..v }),
            None => app.flash("The open article was removed from the folder", Level::Warn),
        }
    }
    if !filter.is_empty() {
        super::results::filter(app, &filter);
    }
    if let Some(pos) = selected.and_then(|id| app.list.iter().position(|&x| x == id)) {
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
