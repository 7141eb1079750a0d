//! The reader keeps its search index across live reloads: a ready index
//! is handed to an update (not thrown away), one still being made catches
//! up with the reloads when it lands, and a search left open reruns when
//! the updated index arrives. The event loop's threads are played by the
//! test: it runs the update the app asks for and delivers the result.
#![cfg(feature = "tui")]

use baca::core::cache::{self, Changes};
use baca::core::library::Library;
use baca::core::search::SearchIndex;
use baca::tui::action::Action;
use baca::tui::app::{App, IndexState};
use baca::tui::keymap::Keymap;
use baca::tui::prompt::Edit;
use baca::tui::update::{update, Msg, Reload};
use std::path::Path;
use std::sync::Arc;

fn write(dir: &Path, name: &str, title: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(&path, format!("---\ntitle: {title}\n---\n{body}\n")).expect("write");
    // Seen as a change even within the file system's time step.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .and_then(|f| f.set_modified(later))
        .expect("set the modification time");
}

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "a.txt",
        "Banjir di Pluit",
        "Air naik setinggi lutut.",
    );
    write(
        dir.path(),
        "b.txt",
        "Harga Beras Naik",
        "Pedagang mengeluh.",
    );
    dir
}

fn app_for(dir: &Path) -> App {
    let lib = cache::read_all(&[dir.to_path_buf()]);
    let mut app = App::new(lib, Keymap::defaults());
    update(&mut app, Msg::Resize(100, 30));
    app
}

/// A reload of the app's library after its files changed.
fn reload(app: &mut App) -> Reload {
    let (lib, changes) = cache::refresh(&app.lib).expect("the files changed");
    app.refreshes += 1;
    Reload {
        lib: Arc::new(lib),
        changes: Arc::new(changes),
        generation: app.refreshes,
    }
}

/// What the event loop does with an update the app asks for: runs it and
/// delivers the index for the app's library.
fn run_update(app: &mut App) {
    assert!(std::mem::take(&mut app.reindex), "the loop is asked to act");
    let (ix, changes): (Arc<SearchIndex>, Arc<Changes>) = app
        .index_update
        .take()
        .expect("an update, not a whole build");
    let lib = app.lib.clone();
    let updated = ix
        .update(&lib, &changes)
        .expect("the changes fit the index");
    update(app, Msg::IndexReady(lib, Arc::new(updated)));
}

fn search_open(app: &mut App, text: &str) {
    update(app, Msg::Act(Action::Search));
    for c in text.chars() {
        update(app, Msg::Edit(Edit::Insert(c)));
    }
}

fn found(app: &App) -> Vec<String> {
    app.search
        .as_ref()
        .map(|s| {
            s.hits
                .iter()
                .map(|h| app.lib.article(h.id).title.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_ready_index_is_updated_and_an_open_search_reruns() {
    let dir = folder();
    let mut app = app_for(dir.path());
    let ix = Arc::new(SearchIndex::build(&app.lib));
    app.index = IndexState::Ready(ix.clone());
    search_open(&mut app, "zamrud");
    assert!(found(&app).is_empty());

    write(
        dir.path(),
        "c.txt",
        "Cincin Zamrud",
        "Tersangkut di jaring nelayan.",
    );
    let r = reload(&mut app);
    update(&mut app, Msg::Reloaded(r));
    // Never `Missing` meanwhile: a search would build it on the UI thread.
    assert!(matches!(app.index, IndexState::Building(_)));
    let (old, changes) = app.index_update.as_ref().expect("an update is asked for");
    assert!(Arc::ptr_eq(old, &ix), "the ready index itself is updated");
    assert_eq!(changes.added.len(), 1);
    run_update(&mut app);
    assert!(matches!(app.index, IndexState::Ready(_)));
    assert_eq!(found(&app), ["Cincin Zamrud"], "the open search ran again");
}

#[test]
fn an_index_being_made_catches_up_with_the_reloads() {
    let dir = folder();
    let mut app = app_for(dir.path());
    // What spawning a whole build leaves: building, for this library.
    let lib0 = app.lib.clone();
    app.index = IndexState::Building(Default::default());
    app.index_for = Some(lib0.clone());

    write(
        dir.path(),
        "c.txt",
        "Cincin Zamrud",
        "Tersangkut di jaring nelayan.",
    );
    let r = reload(&mut app);
    update(&mut app, Msg::Reloaded(r));
    assert!(!app.reindex, "no second whole build");
    assert!(matches!(app.index, IndexState::Building(_)));
    std::fs::remove_file(dir.path().join("b.txt")).expect("remove");
    write(
        dir.path(),
        "a.txt",
        "Banjir di Pluit",
        "Air surut, warga pulang.",
    );
    let r = reload(&mut app);
    update(&mut app, Msg::Reloaded(r));
    assert!(!app.reindex);
    assert_eq!(app.index_behind.len(), 2);
    search_open(&mut app, "pulang");
    assert!(found(&app).is_empty(), "nothing until the index lands");

    // The build lands, for the library of two reloads ago.
    update(
        &mut app,
        Msg::IndexReady(lib0.clone(), Arc::new(SearchIndex::build(&lib0))),
    );
    assert!(matches!(app.index, IndexState::Building(_)));
    run_update(&mut app);
    assert_eq!(found(&app), ["Banjir di Pluit"]);
    let IndexState::Ready(ix) = &app.index else {
        panic!("the updated index is ready");
    };
    assert_eq!(ix.len(), 2);
    // What a whole build finds (its scores differ: a removed and a
    // changed article still count in the word frequencies).
    let fresh = SearchIndex::build(&app.lib);
    let ids =
        |r: baca::core::search::Results| -> Vec<u32> { r.hits.iter().map(|h| h.id.0).collect() };
    for q in ["zamrud", "pedagang", "air", "lutut", "pulang", "banjir"] {
        let q = baca::core::search::Query::parse(q);
        assert_eq!(
            ids(ix.search(&app.lib, &q, 10)),
            ids(fresh.search(&app.lib, &q, 10)),
            "{q:?}"
        );
    }
}

#[test]
fn an_index_for_another_library_is_dropped() {
    let dir = folder();
    let mut app = app_for(dir.path());
    let other = Arc::new(Library::sample());
    update(
        &mut app,
        Msg::IndexReady(other.clone(), Arc::new(SearchIndex::build(&other))),
    );
    assert!(matches!(app.index, IndexState::Missing));
    assert!(app.index_update.is_none());
}
