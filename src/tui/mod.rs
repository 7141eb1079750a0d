//! The interactive reader: terminal setup and restore (on quit, error,
//! panic, SIGTERM/SIGHUP and around Ctrl-Z), and the event loop that turns
//! input into messages, updates the app and redraws, only after events.

pub mod action;
pub mod app;
pub mod browse;
pub mod document;
pub mod keymap;
pub mod persist;
pub mod prompt;
pub mod results;
pub mod text;
pub mod update;
pub mod watch;
pub mod widgets;

use crate::core::config::Config;
use crate::core::library::Library;
use crate::core::paths::Paths;
use action::Mouse;
use anyhow::{Context, Result};
use app::{App, Level};
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use keymap::Keymap;
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use update::{on_key, update, Msg, Reload};

/// What the event loop waits on: terminal input, or a signal asking us to
/// stop.
enum Input {
    Term(Event),
    Failed(std::io::Error),
    Signal(i32),
    IndexProgress,
    FilesChanged(Option<Vec<PathBuf>>),
    Unchanged(u64),
    Reloaded(Reload),
    IndexReady(
        std::sync::Arc<Library>,
        std::sync::Arc<crate::core::search::SearchIndex>,
    ),
    StateSaved,
}

/// Runs the reader on `paths` (or the user's library) until the user quits.
pub fn run(paths: Vec<PathBuf>, config_problem: Option<String>) -> Result<ExitCode> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; in scripts use `baca list`, `baca links` or `baca search`"
        );
    }
    // The size first: a restored article scrolls to where it was left in a
    // layout of this width.
    let (w, h) = terminal::size().unwrap_or((80, 24));
    let mut app = build_app(
        &paths,
        crate::cli::config(),
        ratatui::layout::Rect::new(0, 0, w, h),
    );
    if let Some(p) = config_problem {
        app.flash(format!("{p}; running on the defaults"), Level::Warn);
    }
    let (tx, rx) = mpsc::channel();
    spawn_signal_thread(tx.clone())?;
    let _guard = TerminalGuard::enter()?;
    let mut terminal = Terminal::new(CrosstermBackend::new(std::io::stdout()))?;
    let size = terminal.size()?;
    update(&mut app, Msg::Resize(size.width, size.height));
    let index_tx = tx.clone();
    let watch_tx = tx.clone();
    let saved_tx = tx.clone();
    spawn_input_thread(tx.clone());
    terminal.draw(|f| widgets::view(f, &app))?;
    // After the first frame: watching the folders (which walks them), the
    // library opened from the cache checked against its files, and the
    // search index loaded or built. Kept alive for as long as the loop
    // runs: dropping the watcher stops watching.
    let mut _watcher = start_watcher(&app, &watch_tx);
    if std::mem::take(&mut app.refresh) {
        spawn_refresh_thread(&mut app, watch_tx.clone());
    }
    // A cache being written when the user quits is finished first: the
    // next start depends on it.
    let mut writers = Vec::new();
    if std::mem::take(&mut app.save_cache) {
        writers.push(spawn_cache_writer(&app));
    }
    spawn_index_thread(&mut app, tx);
    // Caches of libraries not opened for a month go, now and then.
    if let Some(p) = Paths::discover() {
        std::thread::spawn(move || {
            crate::core::cache::prune(&p.cache, crate::core::cache::UNUSED_FOR)
        });
    }
    let mut saver = persist::Saver::default();
    let wake = move || {
        let tx = saved_tx.clone();
        move || {
            let _ = tx.send(Input::StateSaved);
        }
    };
    // The loop ends on quit, a signal or an error; what the user did is
    // saved in every case.
    let mut run_loop = || -> Result<ExitCode> {
        while let Ok(input) = rx.recv() {
            let msg = match input {
                Input::Term(Event::Key(k)) => on_key(&app, &k),
                Input::Term(Event::Mouse(m)) => mouse_msg(&m),
                Input::Term(Event::Resize(w, h)) => Some(Msg::Resize(w, h)),
                Input::Term(_) => None,
                Input::IndexProgress => Some(Msg::Progress),
                Input::FilesChanged(paths) => Some(Msg::FilesChanged(paths)),
                Input::Unchanged(generation) => Some(Msg::Unchanged(generation)),
                Input::Reloaded(r) => Some(Msg::Reloaded(r)),
                Input::IndexReady(lib, ix) => Some(Msg::IndexReady(lib, ix)),
                Input::Failed(e) => return Err(e).context("reading the terminal"),
                Input::StateSaved => {
                    saver.finish(&mut app);
                    None
                }
                Input::Signal(sig) => {
                    persist::remember_position(&mut app);
                    return Ok(ExitCode::from(128u8.saturating_add(sig as u8)));
                }
            };
            if let Some(msg) = msg {
                update(&mut app, msg);
            }
            if std::mem::take(&mut app.reindex) {
                spawn_index_thread(&mut app, index_tx.clone());
            }
            if std::mem::take(&mut app.rewatch) {
                _watcher = start_watcher(&app, &watch_tx);
            }
            if std::mem::take(&mut app.refresh) {
                spawn_refresh_thread(&mut app, watch_tx.clone());
            }
            if std::mem::take(&mut app.save_cache) {
                writers.push(spawn_cache_writer(&app));
            }
            if app.quit {
                return Ok(ExitCode::SUCCESS);
            }
            if app.suspend {
                app.suspend = false;
                persist::remember_position(&mut app);
                saver.flush(&mut app);
                suspend(&mut terminal)?;
                app.flash(text::EN.suspended, Level::Info);
            }
            terminal.draw(|f| widgets::view(f, &app))?;
            saver.start(&mut app, wake());
        }
        Ok(ExitCode::SUCCESS)
    };
    let exit = run_loop();
    saver.flush(&mut app);
    for w in writers {
        let _ = w.join();
    }
    // Freeing a large library takes a noticeable moment after `q`, and the
    // process ends right after: leave that to the system.
    std::mem::forget(app);
    exit
}

/// The app for the given paths: a single article file opens inside the
/// library of its folder, so its links to its neighbours work.
pub fn build_app(paths: &[PathBuf], config: &Config, size: ratatui::layout::Rect) -> App {
    let (keymap, keymap_problem) = load_keymap(config);
    let opening = if paths.is_empty() {
        // The user's library, or the sample when it is missing or empty.
        crate::cli::library_dir()
            .filter(|d| d.is_dir())
            .map(|d| browse::opening(&[d]))
            .filter(|o| !o.lib.is_empty())
            .unwrap_or_else(|| browse::Opening {
                lib: Library::sample(),
                sources: Vec::new(),
                file: None,
                from_cache: false,
                unsaved: false,
                cache_problem: None,
            })
    } else {
        browse::opening(paths)
    };
    let single_file = if paths.is_empty() { None } else { opening.file };
    let mut app = App::new(opening.lib, keymap);
    app.opened_from(opening.sources, opening.from_cache);
    app.save_cache = opening.unsaved;
    let cache_problem = opening.cache_problem;
    app.size = size;
    app.no_color = !crate::core::config::color_enabled(std::env::var_os("NO_COLOR").as_deref());
    app.palette = config.colors.clone();
    app.layout = config.layout;
    app.text_width = config.text_width;
    let mut state_warning = None;
    if let Some(paths) = Paths::discover() {
        let (state, warnings) = crate::core::state::State::load(&paths.data);
        state_warning = warnings.first().map(ToString::to_string);
        // A single file asked for on the command line wins over the
        // article that was open last time.
        persist::attach(&mut app, state, single_file.is_none());
    }
    if let Some(id) = single_file.as_deref().and_then(|f| app.lib.find_origin(f)) {
        update::open_article(&mut app, id, false);
    }
    if let Some(w) = state_warning {
        app.flash(w, Level::Warn);
    } else if let Some(p) = cache_problem {
        app.flash(p, Level::Warn);
    } else if let Some(p) = keymap_problem {
        app.flash(text::EN.keymap_problem(&p), Level::Warn);
    } else if let Some(first) = app.lib.problems.first() {
        let n = app.lib.problems.len();
        let more = if n > 1 {
            format!(" (and {} more; see `baca list`)", n - 1)
        } else {
            String::new()
        };
        app.flash(format!("{first}{more}"), Level::Warn);
    } else if app.lib.is_sample {
        app.flash(text::EN.sample_note, Level::Info);
    }
    app
}

/// The default keymap patched by `keymap.toml` in the config folder, then
/// by `[keys]` in config.toml; a bad patch is reported and the defaults are
/// used.
fn load_keymap(config: &Config) -> (Keymap, Option<String>) {
    let mut patch = String::new();
    if let Some(path) = Paths::discover().map(|p| p.config.join("keymap.toml")) {
        match std::fs::read_to_string(&path) {
            Ok(text) => patch = text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return (Keymap::defaults(), Some(format!("{}: {e}", path.display()))),
        }
    }
    let mut keymap = Keymap::defaults();
    if !patch.is_empty() {
        match Keymap::with_user(&patch) {
            Ok(k) => keymap = k,
            Err(e) => return (keymap, Some(format!("keymap.toml: {e}"))),
        }
    }
    if let Some(keys) = config.keys_toml() {
        match keymap.patched(&keys) {
            Ok(k) => keymap = k,
            Err(e) => return (Keymap::defaults(), Some(format!("config.toml [keys]: {e}"))),
        }
    }
    (keymap, None)
}

fn mouse_msg(m: &event::MouseEvent) -> Option<Msg> {
    let (column, row) = (m.column, m.row);
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Msg::Mouse(Mouse::Click { column, row })),
        MouseEventKind::ScrollUp => Some(Msg::Mouse(Mouse::ScrollUp { column, row })),
        MouseEventKind::ScrollDown => Some(Msg::Mouse(Mouse::ScrollDown { column, row })),
        _ => None,
    }
}

/// Watches the library's folders; a failure to watch only costs the live
/// updates, and says so.
fn start_watcher(app: &App, tx: &mpsc::Sender<Input>) -> Option<notify::RecommendedWatcher> {
    if app.sources.is_empty() {
        return None;
    }
    let tx = tx.clone();
    watch::start(&app.sources, move |paths| {
        let _ = tx.send(Input::FilesChanged(paths));
    })
    .ok()
}

/// Looks at the library's files again off the UI thread; a library read
/// again comes back as a message, and is written to the cache for the next
/// start.
fn spawn_refresh_thread(app: &mut App, tx: mpsc::Sender<Input>) {
    app.refreshes += 1;
    let generation = app.refreshes;
    let lib = app.lib.clone();
    let cache = cache_paths(&lib);
    let changed = app.changed.clone();
    std::thread::spawn(move || {
        let Some((new, changes)) = crate::core::cache::refresh_changed(&lib, changed.as_deref())
        else {
            // The next refresh updates the title index rather than build
            // one: a library from the cache has none until something needs
            // it, and building it now keeps that off the first live change.
            let _ = lib.title_index();
            let _ = tx.send(Input::Unchanged(generation));
            return;
        };
        let new = std::sync::Arc::new(new);
        // Shown first, written to the cache after.
        let _ = tx.send(Input::Reloaded(Reload {
            lib: new.clone(),
            changes: std::sync::Arc::new(changes),
            generation,
        }));
        if let Some(c) = &cache {
            // Failing to write only costs the next start its speed.
            let _ = crate::core::cache::save(&new, &c.library);
        }
    });
}

/// Writes the start-up cache of a library just read from its files.
fn spawn_cache_writer(app: &App) -> std::thread::JoinHandle<()> {
    let lib = app.lib.clone();
    std::thread::spawn(move || {
        if let Some(c) = cache_paths(&lib) {
            // Failing to write only costs the next start its speed.
            let _ = crate::core::cache::save(&lib, &c.library);
        }
    })
}

/// Where the cache of `lib` lives; none for the sample.
pub fn cache_paths(lib: &Library) -> Option<crate::core::cache::CachePaths> {
    if lib.roots.is_empty() {
        return None;
    }
    Paths::discover().map(|p| crate::core::cache::CachePaths::new(&p.cache, &lib.roots))
}

/// Index jobs started: a job saves its index only while it is the newest,
/// since a newer one is for a newer library.
static INDEX_JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
/// A whole build in the background, after an update left a large delta:
/// one at a time.
static REBUILDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Makes the search index off the UI thread: updates the ready index with
/// what changed when the event loop was given one to update
/// (`App::index_update`), else reads the one stored for this very library
/// or builds it whole. While it runs, a progress message now and then lets
/// an open search show how far it is; idle otherwise.
fn spawn_index_thread(app: &mut App, tx: mpsc::Sender<Input>) {
    use crate::core::search::SearchIndex;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let progress = Arc::new(AtomicUsize::new(0));
    app.index = app::IndexState::Building(progress.clone());
    let lib = app.lib.clone();
    app.index_for = Some(lib.clone());
    app.index_behind.clear();
    let update = app.index_update.take();
    let job = INDEX_JOBS.fetch_add(1, Ordering::Relaxed) + 1;
    let done = Arc::new(AtomicBool::new(false));
    let ticker_done = done.clone();
    let ticker_tx = tx.clone();
    std::thread::spawn(move || {
        while !ticker_done.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(250));
            if ticker_done.load(Ordering::Relaxed) || ticker_tx.send(Input::IndexProgress).is_err()
            {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let stored = cache_paths(&lib).map(|c| (c.index, crate::core::cache::fingerprint(&lib)));
        let ready = |ix: &Arc<SearchIndex>| {
            done.store(true, Ordering::Relaxed);
            let _ = tx.send(Input::IndexReady(lib.clone(), ix.clone()));
        };
        // Reads what changed, not the library; unless so much changed that
        // a whole build on every core is quicker.
        let update = update.filter(|(old, changes)| !old.rebuild_is_cheaper(changes));
        if let Some((old, changes)) = update {
            let kept = lib.len().saturating_sub(changes.added.len());
            progress.store(kept, Ordering::Relaxed);
            if let Some(ix) = old.update_with_progress(&lib, &changes, &progress) {
                drop(old);
                let ix = Arc::new(ix);
                // Stored before it is shown, as below: an index the user
                // has searched with is there at the next start.
                save_index(stored.as_ref(), &ix, job);
                ready(&ix);
                // The updated index serves while the whole one is built.
                if ix.wants_rebuild() && !REBUILDING.swap(true, Ordering::AcqRel) {
                    let whole = Arc::new(SearchIndex::build(&lib));
                    REBUILDING.store(false, Ordering::Release);
                    save_index(stored.as_ref(), &whole, job);
                    ready(&whole);
                }
                return;
            }
            progress.store(0, Ordering::Relaxed);
        }
        let loaded = stored
            .as_ref()
            .and_then(|(path, key)| SearchIndex::load(path, *key).ok());
        match loaded {
            Some(ix) => ready(&Arc::new(ix)),
            None => {
                let ix = Arc::new(SearchIndex::build_with_progress(&lib, &progress));
                save_index(stored.as_ref(), &ix, job);
                ready(&ix);
            }
        }
    });
}

/// Stores `ix` for the next start, unless a newer index job has begun
/// (its library is newer); one save at a time. Failing to write only
/// costs the next start a rebuild.
fn save_index(stored: Option<&(PathBuf, u64)>, ix: &crate::core::search::SearchIndex, job: u64) {
    static SAVING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let Some((path, key)) = stored else { return };
    let _one = SAVING.lock().unwrap_or_else(|p| p.into_inner());
    if INDEX_JOBS.load(std::sync::atomic::Ordering::Relaxed) == job {
        let _ = ix.save(path, *key);
    }
}

fn spawn_input_thread(tx: mpsc::Sender<Input>) {
    std::thread::spawn(move || loop {
        let input = match event::read() {
            Ok(ev) => Input::Term(ev),
            Err(e) => Input::Failed(e),
        };
        let failed = matches!(input, Input::Failed(_));
        if tx.send(input).is_err() || failed {
            break;
        }
    });
}

fn spawn_signal_thread(tx: mpsc::Sender<Input>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .context("installing signal handlers")?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = tx.send(Input::Signal(sig));
        }
    });
    Ok(())
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>) -> Result<()> {
    restore_terminal();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    setup_terminal()?;
    // `clear` would ask the terminal where the cursor is, and the input
    // thread holds the reader that the answer needs: resizing to the
    // current size clears and forces a full redraw without asking.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

fn setup_terminal() -> Result<()> {
    terminal::enable_raw_mode().context("the reader needs a terminal (is stdin a TTY?)")?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )?;
    Ok(())
}

/// Puts the terminal back as we found it. Safe to call more than once and
/// from the panic hook: every step ignores errors.
pub fn restore_terminal() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = terminal::disable_raw_mode();
}

/// Raw mode and the alternate screen for as long as it lives, and a panic
/// hook that restores the terminal before the panic message is printed.
struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
        if let Err(e) = setup_terminal() {
            restore_terminal();
            return Err(e);
        }
        Ok(TerminalGuard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}
