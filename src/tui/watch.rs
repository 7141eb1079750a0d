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
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

/// Changes closer together than this are one reload: saving a file is
/// often several events, and copying a folder is many.
const SETTLE: Duration = Duration::from_millis(100);

/// A running watch: watching stops when it is dropped.
pub struct Watch {
    _watcher: Arc<Mutex<notify::RecommendedWatcher>>,
}

/// What the watcher's callback passes on.
enum Seen {
    Paths(Vec<PathBuf>),
    /// Events were lost: every path may have changed.
    Lost,
    /// A watched folder itself was created or moved into place again: its
    /// watch died with the folder it was on.
    Root(PathBuf),
}

/// Starts watching `paths`; `changed` is called (from the watcher's
/// thread) once per burst of changes, with the paths that changed, or
/// `None` when the watcher cannot say (it missed events). Each path's
/// parent is watched too, so that a folder deleted or moved away and then
/// made again is watched again (and read whole). The watch lives as long
/// as the returned value.
pub fn start(
    paths: &[PathBuf],
    changed: impl Fn(Option<Vec<PathBuf>>) + Send + 'static,
) -> notify::Result<Watch> {
    let (tx, rx) = mpsc::channel::<Seen>();
    // Absolute, as the parents' events name them.
    let roots: Vec<(PathBuf, PathBuf)> = paths
        .iter()
        .map(|p| {
            (
                p.clone(),
                std::path::absolute(p).unwrap_or_else(|_| p.clone()),
            )
        })
        .collect();
    let absolute: Vec<PathBuf> = roots.iter().map(|(_, a)| a.clone()).collect();
    let watcher = notify::recommended_watcher(move |ev: notify::Result<notify::Event>| {
        let e = match ev {
            Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => return,
            Ok(e) if !e.need_rescan() => e,
            _ => {
                let _ = tx.send(Seen::Lost);
                return;
            }
        };
        if let Some(root) = absolute.iter().find(|r| e.paths.contains(r)) {
            // Made, or moved into place; not a change of its metadata.
            if matches!(
                e.kind,
                notify::EventKind::Create(_)
                    | notify::EventKind::Modify(notify::event::ModifyKind::Name(_))
            ) {
                let _ = tx.send(Seen::Root(root.clone()));
            }
        }
        // A parent's events about the folder's neighbours are no news.
        let mine: Vec<PathBuf> = e
            .paths
            .into_iter()
            .filter(|p| !p.is_absolute() || absolute.iter().any(|r| p.starts_with(r)))
            .collect();
        if !mine.is_empty() {
            let _ = tx.send(Seen::Paths(mine));
        }
    })?;
    let watcher = Arc::new(Mutex::new(watcher));
    {
        let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
        for (given, absolute) in &roots {
            let parent = absolute.parent().filter(|p| p.is_dir());
            // A folder that is gone now may come back: the parent says so.
            if let Some(parent) = parent {
                let _ = w.watch(parent, RecursiveMode::NonRecursive);
            }
            match w.watch(given, RecursiveMode::Recursive) {
                Err(_) if parent.is_some() && !given.exists() => {}
                other => other?,
            }
        }
    }
    let weak = Arc::downgrade(&watcher);
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            // Gather the rest of the burst, then report once.
            let mut burst = Some(Vec::new());
            let mut seen = Some(first);
            while let Some(s) = seen.take() {
                match s {
                    Seen::Paths(paths) => {
                        if let Some(all) = &mut burst {
                            all.extend(paths);
                        }
                    }
                    Seen::Lost => burst = None,
                    Seen::Root(root) => {
                        // Watched again before the folder is read whole, so
                        // no file written in between is missed.
                        if let Some(w) = weak.upgrade() {
                            let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
                            let given = roots
                                .iter()
                                .find(|(_, a)| *a == root)
                                .map_or(&root, |(g, _)| g);
                            let _ = w.unwatch(given);
                            let _ = w.watch(given, RecursiveMode::Recursive);
                        }
                        burst = None;
                    }
                }
                seen = rx.recv_timeout(SETTLE).ok();
            }
            if let Some(all) = &mut burst {
                all.sort_unstable();
                all.dedup();
            }
            changed(burst);
        }
    });
    Ok(Watch { _watcher: watcher })
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
