//! The interactive reader: terminal setup and restore (on quit, error,
//! panic, SIGTERM/SIGHUP and around Ctrl-Z; the kitty keyboard flags too,
//! where the terminal has them), the start-up problems, and the event loop
//! that turns input into messages, updates the app and redraws, only after
//! events.

mod abort;
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
use crate::core::sanitize;
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
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Stop,
    /// SIGCONT: the process ran on after a stop it may not have seen
    /// coming (SIGSTOP), and the shell may have reset the terminal.
    Continued,
    IndexProgress,
    FilesChanged(Option<Vec<PathBuf>>),
    Unchanged(u64),
    Reloaded(Reload),
    IndexReady(
        std::sync::Arc<Library>,
        std::sync::Arc<crate::core::search::SearchIndex>,
    ),
    /// The write of the reading state with this number is done.
    StateSaved(u64),
    /// Something a helper thread met that the user should know of.
    Warning(String),
}

/// Runs the reader on `paths` (or the user's library) until the user quits.
pub fn run(paths: Vec<PathBuf>, config_problem: Option<String>) -> Result<ExitCode> {
    use std::io::IsTerminal;
    // Nothing to show at all is a mistyped path, not an empty library: say
    // so here rather than on a blank screen. A missing path among others
    // is a warning in the reader.
    if let Some(first) = paths.first().filter(|_| paths.iter().all(|p| !p.exists())) {
        anyhow::bail!(
            "{}: no such file or folder",
            sanitize::visible(&first.to_string_lossy())
        );
    }
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "the reader needs a terminal; in scripts use `baca list`, `baca links` or `baca search`"
        );
    }
    // The size first: a restored article scrolls to where it was left in a
    // layout of this width.
    let (w, h) = capped(terminal::size().unwrap_or((80, 24)));
    let (mut app, problems) = build_app(
        &paths,
        crate::cli::config(),
        ratatui::layout::Rect::new(0, 0, w, h),
        config_problem.as_deref(),
    );
    let (tx, rx) = mpsc::channel();
    spawn_signal_thread(tx.clone())?;
    let guard = TerminalGuard::enter(problems)?;
    // A fixed viewport, kept the size of the screen by `fit`: ratatui's
    // own would follow the screen to any size.
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(std::io::stdout()),
        ratatui::TerminalOptions {
            viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, w, h)),
        },
    )?;
    let (w, h) = fit(&mut terminal)?;
    update(&mut app, Msg::Resize(w, h));
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
        move |write| {
            let _ = tx.send(Input::StateSaved(write));
        }
    };
    // The loop ends on quit, a signal or an error; what the user did is
    // saved in every case.
    let mut signalled = false;
    let mut run_loop = || -> Result<ExitCode> {
        while let Ok(input) = rx.recv() {
            let msg = match input {
                Input::Term(Event::Key(k)) => on_key(&app, &k),
                Input::Term(Event::Mouse(m)) => mouse_msg(&m),
                Input::Term(Event::Resize(..)) => {
                    // The event's size may be stale by now: the screen's.
                    let (w, h) = fit(&mut terminal)?;
                    Some(Msg::Resize(w, h))
                }
                Input::Term(_) => None,
                Input::IndexProgress => Some(Msg::Progress),
                Input::FilesChanged(paths) => Some(Msg::FilesChanged(paths)),
                Input::Unchanged(generation) => Some(Msg::Unchanged(generation)),
                Input::Reloaded(r) => Some(Msg::Reloaded(r)),
                Input::IndexReady(lib, ix) => Some(Msg::IndexReady(lib, ix)),
                Input::Failed(e) => return Err(e).context("reading the terminal"),
                Input::Warning(text) => {
                    app.flash(text, Level::Warn);
                    None
                }
                Input::StateSaved(write) => {
                    saver.finished(&mut app, write);
                    None
                }
                Input::Stop => Some(Msg::Act(action::Action::Suspend)),
                Input::Continued => {
                    // Raw mode again even if crossterm believes it is on: the
                    // shell may have reset it while we were stopped. The
                    // alternate screen and the flags are kept, so after our
                    // own Ctrl-Z (already taken back) nothing flickers.
                    let _ = terminal::disable_raw_mode();
                    let (w, h) = resume(&mut terminal)?;
                    Some(Msg::Resize(w, h))
                }
                Input::Signal(sig) => {
                    signalled = true;
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
                // A failure shows in the status line, and is tried again.
                let _ = saver.flush(&mut app);
                // The terminal may have been resized while we were stopped,
                // when no resize event could reach us.
                let (w, h) = suspend(&mut terminal)?;
                update(&mut app, Msg::Resize(w, h));
                app.flash(text::EN.suspended, Level::Info);
            }
            terminal.draw(|f| widgets::view(f, &app))?;
            saver.start(&mut app, wake());
        }
        Ok(ExitCode::SUCCESS)
    };
    let mut exit = run_loop();
    // Also when the loop ended on an error (the terminal went away).
    persist::remember_position(&mut app);
    let unsaved = saver.flush(&mut app);
    for w in writers {
        let _ = w.join();
    }
    // Said after the terminal is back, where it stays readable: the
    // session's changes are lost, which the exit code says too.
    drop(guard);
    if let Some(why) = unsaved {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "baca: error: {}",
            sanitize::visible(&why)
        );
        if !signalled {
            exit = exit.map(|_| ExitCode::from(crate::cli::EXIT_ERROR));
        }
    }
    // Freeing a large library takes a noticeable moment after `q`, and the
    // process ends right after: leave that to the system.
    std::mem::forget(app);
    exit
}

/// The app for the given paths: a single article file opens inside the
/// library of its folder, so its links to its neighbours work. Also the
/// start-up problems (`config_problem` among them), all in the status line
/// and returned to be printed again after quitting.
pub fn build_app(
    paths: &[PathBuf],
    config: &Config,
    size: ratatui::layout::Rect,
    config_problem: Option<&str>,
) -> (App, Vec<String>) {
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
    let library_problem = if paths.is_empty() {
        crate::cli::library_problem()
    } else {
        None
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
    // The article open last time belongs to the user's own library; a
    // path on the command line opens what it names.
    app.own_session = paths.is_empty();
    let mut state_warning = None;
    if let Some(paths) = Paths::discover() {
        let (state, warnings) = crate::core::state::State::load(&paths.data);
        state_warning = warnings.first().map(ToString::to_string);
        let restore = app.own_session;
        persist::attach(&mut app, state, restore);
    }
    if let Some(id) = single_file.as_deref().and_then(|f| app.lib.find_origin(f)) {
        update::open_article(&mut app, id, false);
    }
    let mut problems = startup_problems(
        config_problem,
        state_warning.as_deref(),
        cache_problem.as_deref(),
        keymap_problem.as_deref(),
        &app.lib.problems,
    );
    // Right after the config's own problems: it is the config's too.
    if let Some(p) = library_problem {
        problems.insert(usize::from(config_problem.is_some()), p);
    }
    // One status line for all of them: a chain that showed the first alone
    // hid a broken keymap behind a damaged state file.
    if !problems.is_empty() {
        app.flash(problems.join(" \u{b7} "), Level::Warn);
    } else if app.lib.is_sample {
        app.flash(text::EN.sample_note, Level::Info);
    }
    (app, problems)
}

/// Every problem met while starting, one message each, in the order they
/// were met: the config file, the reading state, the start-up cache, the
/// keymap, then the library's files (the first one and how many more).
pub fn startup_problems(
    config: Option<&str>,
    state: Option<&str>,
    cache: Option<&str>,
    keymap: Option<&str>,
    library: &[crate::core::library::Problem],
) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(config.map(|p| format!("{p}; running on the defaults")));
    out.extend(state.map(str::to_owned));
    out.extend(cache.map(str::to_owned));
    out.extend(keymap.map(|p| text::EN.keymap_problem(p)));
    if let Some(first) = library.first() {
        let more = match library.len() {
            1 => String::new(),
            n => format!(" (and {} more; see `baca list`)", n - 1),
        };
        out.push(format!("{first}{more}"));
    }
    out
}

/// The default keymap patched by `keymap.toml` in the config folder, then
/// by `[keys]` in config.toml; a bad patch is reported and the defaults are
/// used.
fn load_keymap(config: &Config) -> (Keymap, Option<String>) {
    let mut patch = String::new();
    if let Some(path) = Paths::discover().map(|p| p.config.join("keymap.toml")) {
        match crate::core::files::read_string(&path, crate::core::files::MAX_BYTES) {
            Ok(text) => patch = text,
            Err(e) if e.is_not_found() => {}
            Err(e) => return (Keymap::defaults(), Some(format!("{}: {e}", path.display()))),
        }
    }
    patch_keymap(&patch, config.keys_toml().as_deref())
}

/// The default keymap patched by the text of `keymap.toml` (empty when
/// there is none), then by config.toml's `[keys]`; on a problem, the
/// defaults and the problem, prefixed with the file it is in.
pub fn patch_keymap(keymap_toml: &str, config_keys: Option<&str>) -> (Keymap, Option<String>) {
    let mut keymap = Keymap::defaults();
    if !keymap_toml.is_empty() {
        match Keymap::with_user(keymap_toml) {
            Ok(k) => keymap = k,
            Err(e) => return (keymap, Some(format!("keymap.toml: {e}"))),
        }
    }
    if let Some(keys) = config_keys {
        match keymap.patched(keys) {
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
fn start_watcher(app: &App, tx: &mpsc::Sender<Input>) -> Option<watch::Watch> {
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
        let loaded = stored.as_ref().and_then(|(path, key)| {
            SearchIndex::load(path, *key)
                .map_err(|e| {
                    if e.is_damage() {
                        let shown = sanitize::visible(&path.display().to_string()).into_owned();
                        let _ = tx.send(Input::Warning(format!("{shown}: {e}; rebuilt")));
                    }
                })
                .ok()
        });
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
    use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])
            .context("installing signal handlers")?;
    std::thread::spawn(move || {
        for sig in signals.forever() {
            let input = match sig {
                SIGTSTP => Input::Stop,
                SIGCONT => Input::Continued,
                sig => Input::Signal(sig),
            };
            let last = matches!(input, Input::Signal(_));
            if tx.send(input).is_err() || last {
                break;
            }
        }
    });
    Ok(())
}

type Screen = Terminal<CrosstermBackend<std::io::Stdout>>;

/// The largest screen drawn. Each frame is two buffers of cells: a
/// terminal claiming 10000×10000 would have ratatui ask for gigabytes and
/// abort. Beyond this the screen stays blank; no real terminal is this big.
const MAX_COLS: u16 = 1000;
const MAX_ROWS: u16 = 500;

fn capped((w, h): (u16, u16)) -> (u16, u16) {
    (w.min(MAX_COLS), h.min(MAX_ROWS))
}

/// Sizes the viewport to the screen as it is now, capped; the size drawn.
/// A new size clears the screen, so the next frame is drawn whole.
fn fit(terminal: &mut Screen) -> Result<(u16, u16)> {
    let (w, h) = capped(terminal::size()?);
    let area = ratatui::layout::Rect::new(0, 0, w, h);
    if terminal.get_frame().area() != area {
        terminal.resize(area)?;
    }
    Ok((w, h))
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`; the
/// size to draw then.
fn suspend(terminal: &mut Screen) -> Result<(u16, u16)> {
    restore_terminal();
    // Stops the process as an unhandled SIGTSTP would: ours is handled, to
    // catch `kill -TSTP`, so raising it would only come back to us.
    signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
    resume(terminal)
}

/// Takes the terminal again after a stop, and draws the next frame whole;
/// the size to draw.
fn resume(terminal: &mut Screen) -> Result<(u16, u16)> {
    setup_terminal()?;
    // `clear` would ask the terminal where the cursor is, and the input
    // thread holds the reader that the answer needs: resizing to the
    // current size clears and forces a full redraw without asking.
    let (w, h) = capped(terminal::size()?);
    terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?;
    Ok((w, h))
}

/// Whether the terminal speaks the kitty keyboard protocol, asked once at
/// start: only then can Shift-Backspace be told from Backspace. Global, as
/// the panic hook and `suspend` restore the terminal without the guard.
static KITTY_KEYS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// Whether our keyboard flags are on the terminal's stack right now, so
/// that each push is popped exactly once: a pop too many would take flags
/// that the shell pushed.
static KEYS_PUSHED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn setup_terminal() -> Result<()> {
    terminal::enable_raw_mode().context("the reader needs a terminal (is stdin a TTY?)")?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        cursor::Hide
    )?;
    // After entering the alternate screen: it has its own stack of flags.
    if KITTY_KEYS.load(std::sync::atomic::Ordering::Relaxed) {
        push_key_flags();
    }
    Ok(())
}

/// Asks for modified keys as CSI u sequences (Shift-Backspace among them).
/// Only DISAMBIGUATE: no release events, and text keys arrive as before.
fn push_key_flags() {
    if KEYS_PUSHED.load(std::sync::atomic::Ordering::Relaxed) {
        return; // pushed once, popped once
    }
    let flags = event::PushKeyboardEnhancementFlags(
        event::KeyboardEnhancementFlags::DISAMBIGUATE_ESCAPE_CODES,
    );
    if execute!(std::io::stdout(), flags).is_ok() {
        KEYS_PUSHED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Puts the terminal back as we found it. Safe to call more than once and
/// from the panic hook: every step ignores errors.
pub fn restore_terminal() {
    // Before leaving the alternate screen, whose stack the flags are on.
    if KEYS_PUSHED.swap(false, std::sync::atomic::Ordering::Relaxed) {
        let _ = execute!(std::io::stdout(), event::PopKeyboardEnhancementFlags);
    }
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
/// Holds the start-up problems, printed once the terminal is restored: the
/// status line that showed them may have been missed or overwritten.
struct TerminalGuard {
    problems: Vec<String>,
}

impl TerminalGuard {
    /// Must run before the input thread starts: the keyboard query reads
    /// the terminal's answer from the same input.
    fn enter(problems: Vec<String>) -> Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
            // A helper thread's panic would leave the reader drawing on a
            // terminal given back to the shell: end it, as a panic on the
            // main thread does.
            if std::thread::current().name() != Some("main") {
                std::process::exit(101);
            }
        }));
        abort::install();
        if let Err(e) = setup_terminal() {
            restore_terminal();
            return Err(e);
        }
        // The query also asks for the device attributes, which every
        // terminal answers, so one without the protocol answers at once;
        // one that answers nothing costs crossterm's timeout (2 s), once.
        if matches!(terminal::supports_keyboard_enhancement(), Ok(true)) {
            KITTY_KEYS.store(true, std::sync::atomic::Ordering::Relaxed);
            push_key_flags();
        }
        Ok(TerminalGuard { problems })
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
        // Escaped: a problem can name a file, and a file name can hold
        // anything. Written, not printed: stderr may be gone (SIGHUP).
        use std::io::Write;
        let mut err = std::io::stderr();
        for p in &self.problems {
            let _ = writeln!(err, "baca: warning: {}", sanitize::visible(p));
        }
    }
}
