//! Live reload of a large library (issue 5, "Live library"): once the
//! watcher has reported which files changed, how long until the reader
//! shows the library read again. A measuring tool, not a test: it prints a
//! table.
//!
//! ```text
//! cargo bench --bench reload -- [--runs 9] [--articles 100000] [--libs DIR]
//! ```
//!
//! The generated library is the startup bench's (`<target>/startup-libs/
//! N-seed1`, written here if missing). It is read once and shown in an
//! `App` with an article open and a thousand read marks; then each run adds
//! a file, changes one and removes it, timing for each:
//! - `refresh`: `core::cache::refresh_changed` told the path, on its own
//!   thread in the reader (reads what changed, resolves again the links a
//!   new or removed title can move, updates the title index);
//! - `apply`: `tui::watch::apply` on the UI thread (follows the open
//!   article, history and marks to their new ids).
//!
//! A refresh that walks every folder (what the start from the cache does,
//! and what the watcher falls back to when it loses count) is timed too.
//! The watcher's 250 ms wait for a burst of changes to settle comes on top;
//! the search index update is timed by the search bench.

#[path = "support/generated.rs"]
mod support;

use anyhow::{ensure, Context, Result};
use baca::core::cache::{self, Changes};
use baca::core::library::Library;
use baca::tui::app::App;
use baca::tui::keymap::Keymap;
use baca::tui::update::Reload;
use clap::Parser;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

// As in the binary: loading is millions of small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(about = "Time a live reload of a large library")]
struct Args {
    /// Runs; each adds, changes and removes a file.
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// Articles in the generated library.
    #[arg(long, default_value_t = 100_000)]
    articles: usize,
    /// Where generated libraries live (default `<target>/startup-libs`).
    #[arg(long)]
    libs: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
    /// A name filter, as `cargo bench -- NAME` gives every bench: this one
    /// runs only when NAME is part of "reload".
    #[arg(hide = true)]
    filter: Option<String>,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args
        .filter
        .as_deref()
        .is_some_and(|f| !"reload".contains(f))
    {
        return Ok(());
    }
    let libs = match &args.libs {
        Some(l) => l.clone(),
        None => support::target_dir()?.join("startup-libs"),
    };
    let dir = support::generated(&libs, args.articles)?;
    let roots = vec![dir.clone()];
    let t = Instant::now();
    let lib = cache::read_all(&roots);
    println!(
        "{}: {} articles read in {:.1} s",
        dir.display(),
        lib.len(),
        t.elapsed().as_secs_f64()
    );
    let state_dir = tempfile::tempdir()?;
    let mut app = reader(lib, state_dir.path());

    let file = dir.join("0000").join("zz-reload-bench.txt");
    // The new article links to one of the library, so it has a link to
    // resolve and a backlink to give.
    let target = app
        .lib
        .article(baca::core::article::ArticleId(7))
        .title
        .clone();
    let text = |v: usize| {
        format!(
            "---\ntitle: Warga Menyambut Muat Ulang Langsung {v}\ndate: 2026-11-25\n---\n\
             Isi percobaan.\nBaca juga: {target}\n"
        )
    };
    let (mut refresh, mut apply, mut walk) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..args.runs {
        for (what, change) in [
            ("added", Some(text(run))),
            ("changed", Some(text(run + 1000))),
            ("removed", None),
        ] {
            match change {
                Some(t) => std::fs::write(&file, t)?,
                None => std::fs::remove_file(&file)?,
            }
            let t = Instant::now();
            let (lib, changes) =
                cache::refresh_changed(&app.lib, Some(std::slice::from_ref(&file)))
                    .with_context(|| format!("a file was {what}"))?;
            refresh.push((what, t.elapsed()));
            ensure!(changes.added.len() == usize::from(what != "removed"));
            apply.push((what, show(&mut app, lib, changes)));
        }
        // Nothing changed since: a walk finds that out.
        let t = Instant::now();
        ensure!(cache::refresh(&app.lib).is_none());
        walk.push(t.elapsed());
    }
    println!(
        "{} runs; median (min–max) in ms\n{:<10} {:>22} {:>22}",
        args.runs, "change", "refresh", "apply (UI thread)"
    );
    for what in ["added", "changed", "removed"] {
        let pick = |v: &[(&str, Duration)]| -> Vec<Duration> {
            v.iter()
                .filter(|(w, _)| *w == what)
                .map(|(_, d)| *d)
                .collect()
        };
        println!(
            "{what:<10} {:>22} {:>22}",
            figures(pick(&refresh)),
            figures(pick(&apply))
        );
    }
    println!("{:<10} {:>22}", "walk all", figures(walk));
    Ok(())
}

/// The reader on `lib` as a user has it: a thousand articles read, one
/// open, and its link followed.
fn reader(lib: Library, state_dir: &Path) -> App {
    let mut app = App::new(lib, Keymap::defaults());
    let (mut state, _) = baca::core::state::State::load(state_dir);
    for id in app.lib.ids().step_by(app.lib.len().div_ceil(1000).max(1)) {
        state.set_read(&baca::core::state::article_key(app.lib.article(id)), true);
    }
    app.state = Some(state);
    app.read = baca::tui::persist::read_marks(&mut app);
    let linked = app
        .lib
        .ids()
        .find(|&id| !app.lib.graph.outgoing[id.index()].is_empty())
        .unwrap_or(baca::core::article::ArticleId(0));
    baca::tui::update::open_article(&mut app, linked, true);
    app
}

/// Shows a refreshed library as the reader does; the time it took.
fn show(app: &mut App, lib: Library, changes: Changes) -> Duration {
    let open = app.open.map(|v| app.lib.article(v.id).title.clone());
    let reload = Reload {
        lib: Arc::new(lib),
        changes: Arc::new(changes),
        generation: app.refreshes,
    };
    let t = Instant::now();
    baca::tui::watch::apply(app, &reload);
    let took = t.elapsed();
    let now = app.open.map(|v| app.lib.article(v.id).title.clone());
    assert_eq!(open, now, "the open article stays open");
    took
}

fn figures(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1e3;
    match (v.first(), v.get(v.len() / 2), v.last()) {
        (Some(lo), Some(mid), Some(hi)) => {
            format!("{:.1} ({:.1}–{:.1})", ms(mid), ms(lo), ms(hi))
        }
        _ => "-".into(),
    }
}
