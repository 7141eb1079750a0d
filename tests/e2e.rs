//! End-to-end tests: the real `baca` binary in a pseudo-terminal, its output
//! parsed by a terminal emulator (vt100) into a screen that the tests read,
//! as a user would. No tmux needed; the XDG folders are fresh temp folders,
//! so the embedded sample library is what opens.
#![cfg(all(feature = "tui", unix))]

use portable_pty::{native_pty_system, Child, CommandBuilder, ExitStatus, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tempfile::TempDir;

#[path = "support/replies.rs"]
mod replies;
use replies::Replies;

/// Generous: CI machines are slow and share their cores.
const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);
/// baca redraws only after events, so output that has been quiet this long
/// is a whole frame rather than the first chunks of one.
const SETTLE: Duration = Duration::from_millis(60);

const SEED_TITLE: &str = "Warga Armenia Bakar Rumah Sebelum Wilayahnya Diserahkan ke Azerbaijan";
const TARGET_TITLE: &str = "6 Minggu Perang, Armenia, Azerbaijan dan Rusia Sepakat Damai";

const ENTER: &[u8] = b"\r";
const TAB: &[u8] = b"\t";
const BACKSPACE: &[u8] = b"\x7f";

/// The emulated terminal, fed by the reader thread.
struct Term {
    parser: vt100::Parser<Replies>,
    last_output: Instant,
}

type Writer = Arc<Mutex<Box<dyn Write + Send>>>;

/// A running `baca` (or a shell that runs it) in a pseudo-terminal.
struct Baca {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Writer,
    term: Arc<Mutex<Term>>,
    /// Says when the reader thread has seen the end of the output.
    eof: mpsc::Receiver<()>,
    status: Option<ExitStatus>,
    started: Instant,
    _home: TempDir,
}

impl Baca {
    /// Starts `baca ARGS` in a `cols`×`rows` terminal with fresh XDG folders.
    fn start(args: &[&str], cols: u16, rows: u16) -> Baca {
        Baca::spawn(env!("CARGO_BIN_EXE_baca"), args, &[], cols, rows)
    }

    /// Starts `program ARGS` with `env` added to a clean environment.
    fn spawn(program: &str, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Baca {
        let home = tempfile::tempdir().expect("temp dir");
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system().openpty(size).expect("open a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        // Nothing from the developer's environment (NO_COLOR, a real
        // library, a keymap) may change what the tests see.
        cmd.env_clear();
        for dir in ["data", "config", "cache"] {
            let path = home.path().join(dir);
            std::fs::create_dir(&path).expect("xdg dir");
            cmd.env(format!("XDG_{}_HOME", dir.to_uppercase()), path);
        }
        cmd.env("HOME", home.path());
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.env("RUST_BACKTRACE", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(home.path());
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn in the pty");
        // Only the child may hold the slave side, so that its exit ends
        // the output.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer: Writer = Arc::new(Mutex::new(pair.master.take_writer().expect("pty writer")));
        let nonzero = |n: u16| std::num::NonZeroU16::new(n).expect("terminal size is not zero");
        let term = Arc::new(Mutex::new(Term {
            parser: vt100::Parser::new_with_callbacks(
                nonzero(rows),
                nonzero(cols),
                0,
                Replies::default(),
            ),
            last_output: Instant::now(),
        }));
        let (eof_tx, eof) = mpsc::channel();
        let (feed, answer) = (Arc::clone(&term), Arc::clone(&writer));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Linux reports the end of a pty's output as EIO, not 0.
            while let Ok(n @ 1..) = reader.read(&mut buf) {
                let reply = {
                    let mut t = feed.lock().unwrap_or_else(|e| e.into_inner());
                    t.parser.process(&buf[..n]);
                    t.last_output = Instant::now();
                    std::mem::take(&mut t.parser.callbacks_mut().0)
                };
                if !reply.is_empty() {
                    let mut w = answer.lock().unwrap_or_else(|e| e.into_inner());
                    let _ = w.write_all(&reply).and_then(|()| w.flush());
                }
            }
            let _ = eof_tx.send(());
        });
        Baca {
            child,
            master: pair.master,
            writer,
            term,
            eof,
            status: None,
            started,
            _home: home,
        }
    }

    fn term(&self) -> MutexGuard<'_, Term> {
        self.term.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn screen(&self) -> vt100::Screen {
        self.term().parser.screen().clone()
    }

    fn send(&mut self, keys: &[u8]) {
        let mut w = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(keys).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    /// Waits until `ready` holds on a settled screen and returns that
    /// screen; fails with the whole screen after `timeout`.
    fn wait_for(
        &mut self,
        what: &str,
        ready: impl Fn(&vt100::Screen) -> bool,
        timeout: Duration,
    ) -> vt100::Screen {
        let start = Instant::now();
        loop {
            {
                let t = self.term();
                if t.last_output.elapsed() >= SETTLE && ready(t.parser.screen()) {
                    return t.parser.screen().clone();
                }
            }
            if start.elapsed() > timeout {
                let exited = match self.child.try_wait() {
                    Ok(Some(s)) => format!("the program has exited: {s:?}"),
                    _ => "the program is still running".to_string(),
                };
                panic!(
                    "timed out after {timeout:?} waiting for {what}; {exited}; the screen:\n{}",
                    show(&self.screen())
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Resizes the pty (which sends SIGWINCH) and the emulated screen.
    fn resize(&mut self, cols: u16, rows: u16) {
        {
            let mut t = self.term();
            let nonzero = |n: u16| std::num::NonZeroU16::new(n).expect("terminal size is not zero");
            t.parser.set_size(nonzero(rows), nonzero(cols));
        }
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
    }

    fn pid(&self) -> i32 {
        let pid = self.child.process_id().expect("baca's pid");
        i32::try_from(pid).expect("pid fits in i32")
    }

    fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for baca to exit and for all of its output to be parsed.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "baca did not exit within {TIMEOUT:?}; the screen:\n{}",
                    show(&self.screen())
                );
            }
            std::thread::sleep(POLL);
        };
        self.status = Some(status.clone());
        if self.eof.recv_timeout(TIMEOUT).is_err() {
            panic!("the pty's output did not end after baca exited");
        }
        status
    }

    /// Canonical mode and echo: off while the reader runs, on once the
    /// terminal is restored.
    fn cooked(&self) -> bool {
        use nix::sys::termios::LocalFlags;
        let termios = self.master.get_termios().expect("read the pty's termios");
        termios
            .local_flags
            .contains(LocalFlags::ICANON | LocalFlags::ECHO)
    }
}

impl Drop for Baca {
    /// A failed test must not leave baca running.
    fn drop(&mut self) {
        if self.status.is_none() && self.is_running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The screen as text, framed, for failure messages.
fn show(screen: &vt100::Screen) -> String {
    let (_, cols) = size(screen);
    let rule = "-".repeat(usize::from(cols));
    let rows: Vec<String> = screen.rows(0, cols).map(|r| format!("|{r}")).collect();
    format!("{rule}\n{}\n{rule}", rows.join("\n"))
}

/// The screen's rows and columns.
fn size(screen: &vt100::Screen) -> (u16, u16) {
    let (rows, cols) = screen.size();
    (rows.get(), cols.get())
}

fn row_text(screen: &vt100::Screen, row: u16) -> String {
    let (_, cols) = size(screen);
    screen
        .rows(0, cols)
        .nth(usize::from(row))
        .unwrap_or_default()
}

fn cell_is(screen: &vt100::Screen, row: u16, col: u16, s: &str) -> bool {
    screen.cell(row, col).is_some_and(|c| c.contents() == s)
}

/// How many panes are side by side: the boxes whose corners are on the
/// top row.
fn pane_count(screen: &vt100::Screen) -> usize {
    row_text(screen, 0).matches('┌').count()
}

/// The rightmost pane, which is the reader whenever it is shown: its
/// border title and its rows inside the border.
struct Pane {
    title: String,
    rows: Vec<String>,
}

impl Pane {
    /// The pane's text as one line, each row trimmed: wrapped titles and
    /// paragraphs can be searched for whole.
    fn text(&self) -> String {
        let words: Vec<&str> = self
            .rows
            .iter()
            .flat_map(|r| r.split_whitespace())
            .collect();
        words.join(" ")
    }
}

fn rightmost_pane(screen: &vt100::Screen) -> Option<Pane> {
    let (rows, cols) = size(screen);
    let left = (0..cols).rev().find(|&c| cell_is(screen, 0, c, "┌"))?;
    let right = (left + 1..cols).find(|&c| cell_is(screen, 0, c, "┐"))?;
    let bottom = (1..rows).find(|&r| cell_is(screen, r, left, "└"))?;
    let width = right - left - 1;
    let title = screen.rows(left + 1, width).next()?;
    let rows = screen
        .rows(left + 1, width)
        .skip(1)
        .take(usize::from(bottom - 1))
        .collect();
    Some(Pane { title, rows })
}

fn reader_text(screen: &vt100::Screen) -> String {
    rightmost_pane(screen).map(|p| p.text()).unwrap_or_default()
}

fn reader_rows(screen: &vt100::Screen) -> Vec<String> {
    rightmost_pane(screen).map(|p| p.rows).unwrap_or_default()
}

/// Whether the link whose text starts with `text` is drawn selected
/// (reversed) in the reader.
fn link_selected(screen: &vt100::Screen, text: &str) -> bool {
    let (rows, cols) = size(screen);
    let Some(left) = (0..cols).rev().find(|&c| cell_is(screen, 0, c, "┌")) else {
        return false;
    };
    (1..rows).any(|r| {
        let row: String = screen
            .rows(left, cols - left)
            .nth(usize::from(r))
            .unwrap_or_default();
        let Some(at) = row.find(text) else {
            return false;
        };
        // Columns, not bytes: count the characters before the match (the
        // pane's text here is single-width).
        let col = left + u16::try_from(row[..at].chars().count()).unwrap_or(u16::MAX);
        screen.cell(r, col).is_some_and(|c| c.inverse())
    })
}

/// The terminal as baca found it: main screen, cursor shown, no mouse
/// reporting, canonical mode and echo back on.
fn assert_restored(baca: &Baca) {
    let screen = baca.screen();
    assert!(
        !screen.alternate_screen(),
        "still on the alternate screen:\n{}",
        show(&screen)
    );
    assert!(!screen.hide_cursor(), "the cursor is still hidden");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is still on"
    );
    assert!(baca.cooked(), "the terminal was left in raw mode");
}

fn wait_for_list(baca: &mut Baca) -> vt100::Screen {
    baca.wait_for(
        "the headline list",
        |s| s.contents().contains("Articles (12)"),
        TIMEOUT,
    )
}

#[test]
fn follow_a_link_and_come_back_then_quit() {
    let mut baca = Baca::start(&[], 120, 40);
    let screen = wait_for_list(&mut baca);
    // Launch to first full frame (plus SETTLE), in a debug build.
    eprintln!("first frame after {:?}", baca.started.elapsed());
    assert!(
        screen.alternate_screen(),
        "the reader runs on the alternate screen"
    );
    assert!(screen.hide_cursor(), "the cursor is hidden while reading");
    assert_ne!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting is on"
    );
    assert!(!baca.cooked(), "the terminal is in raw mode while reading");
    assert_eq!(
        pane_count(&screen),
        3,
        "three panes at 120 columns:\n{}",
        show(&screen)
    );

    baca.send(ENTER);
    let screen = baca.wait_for(
        "the seed article",
        |s| reader_text(s).starts_with(SEED_TITLE),
        TIMEOUT,
    );
    let top = reader_rows(&screen);
    assert!(
        rightmost_pane(&screen).is_some_and(|p| p.title.contains('◆')),
        "the reader has focus after Enter:\n{}",
        show(&screen)
    );

    // One line per `j`: after k presses the pane shows the top rows moved
    // up by k.
    let mut before_link = top.clone();
    for k in 1..=3 {
        baca.send(b"j");
        let screen = baca.wait_for(
            &format!("the reader scrolled by {k}"),
            |s| {
                let rows = reader_rows(s);
                rows.len() == top.len() && rows[..rows.len() - k] == top[k..]
            },
            TIMEOUT,
        );
        before_link = reader_rows(&screen);
    }

    baca.send(TAB);
    let link = "▸ Baca juga: 6 Minggu Perang";
    let screen = baca.wait_for(
        "the first link selected",
        |s| link_selected(s, link),
        TIMEOUT,
    );
    assert_eq!(
        reader_rows(&screen),
        before_link,
        "selecting a link in view does not scroll"
    );

    baca.send(ENTER);
    let screen = baca.wait_for(
        "the link's target",
        |s| reader_text(s).starts_with(TARGET_TITLE),
        TIMEOUT,
    );
    let pane = rightmost_pane(&screen).expect("a reader pane");
    assert!(
        pane.title.starts_with(" 6 Minggu Perang"),
        "the pane's title is the target's: {:?}",
        pane.title
    );

    baca.send(BACKSPACE);
    let screen = baca.wait_for(
        "the seed article at the same scroll position",
        |s| reader_rows(s) == before_link,
        TIMEOUT,
    );
    assert!(rightmost_pane(&screen).is_some_and(|p| p.title.starts_with(" Warga Armenia")));

    baca.send(b"q");
    let status = baca.wait_exit();
    assert!(status.success(), "q exits with status 0, got {status:?}");
    assert_restored(&baca);
}

#[test]
fn a_save_that_fails_at_exit_is_printed_and_exits_2() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);
    // A folder where the state file goes: no save can replace it, even as
    // root, where a read-only folder would not stop the write.
    let state = baca._home.path().join("data/baca/state.json");
    std::fs::create_dir_all(state.join("x")).expect("block the state file");
    baca.send(ENTER);
    baca.wait_for(
        "the article opened",
        |s| reader_text(s).starts_with(SEED_TITLE),
        TIMEOUT,
    );
    baca.send(b"q");
    let status = baca.wait_exit();
    assert_eq!(status.exit_code(), 2, "a lost session is a failure");
    assert_restored(&baca);
    let screen = baca.screen().contents();
    assert!(
        screen.contains("baca: error: Reading state not saved"),
        "{screen}"
    );
    assert!(!baca._home.path().join("data/baca/state.json.tmp").exists());
}

#[test]
fn a_huge_terminal_is_drawn_capped_without_aborting() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);
    // The pty alone: the emulator here keeps its 120×40 and shows the
    // corner of what is drawn.
    baca.master
        .resize(PtySize {
            rows: 10000,
            cols: 10000,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("resize the pty");
    baca.send(b"j");
    std::thread::sleep(Duration::from_millis(500));
    assert!(baca.is_running(), "baca ended on a 10000×10000 screen");
    let status = std::fs::read_to_string(format!("/proc/{}/status", baca.pid()))
        .expect("the process's status");
    let rss_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    assert!(rss_kb < 400 * 1024, "{rss_kb} kB for a capped screen");
    baca.send(b"q");
    let status = baca.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&baca);
}

#[test]
fn an_abort_restores_the_terminal_and_still_ends_the_process() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);
    let pid = nix::unistd::Pid::from_raw(baca.pid());
    // What an allocation failure or a panic while panicking ends in, and
    // what skips the panic hook.
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGABRT).expect("send SIGABRT");
    let status = baca.wait_exit();
    assert!(!status.success(), "an abort is no clean exit: {status:?}");
    assert_restored(&baca);
}

#[test]
fn sigterm_restores_the_terminal() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);
    let pid = nix::unistd::Pid::from_raw(baca.pid());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("send SIGTERM");
    let status = baca.wait_exit();
    // baca answers 128 + 15, as a shell would report it; what matters is
    // that it exited by itself, after restoring the terminal.
    assert!(
        !status.success(),
        "SIGTERM is not a clean exit, got {status:?}"
    );
    assert_restored(&baca);
}

#[test]
fn resize_reflows_and_a_tiny_terminal_does_not_crash() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);

    baca.resize(100, 30);
    baca.wait_for(
        "two panes at 100×30",
        |s| pane_count(s) == 2 && row_text(s, 0).contains("Articles (12)"),
        TIMEOUT,
    );

    baca.resize(60, 20);
    let screen = baca.wait_for(
        "one pane at 60×20",
        |s| {
            pane_count(s) == 1
                && cell_is(s, 0, 0, "┌")
                && cell_is(s, 0, 59, "┐")
                && row_text(s, 0).contains("Articles (12)")
        },
        TIMEOUT,
    );
    assert!(
        screen.contents().contains("Warga Armenia"),
        "the list fills the pane:\n{}",
        show(&screen)
    );

    baca.resize(20, 5);
    // Whatever fits, framed by the pane's corners, and baca still running.
    let screen = baca.wait_for(
        "a frame at 20×5",
        |s| cell_is(s, 0, 0, "┌") && cell_is(s, 0, 19, "┐") && cell_is(s, 3, 0, "└"),
        TIMEOUT,
    );
    assert!(baca.is_running(), "baca died at 20×5:\n{}", show(&screen));

    // Nothing fits in 1×1, so there is nothing to wait for: a panic here
    // shows as the three panes never coming back.
    baca.resize(1, 1);
    baca.wait_for("quiet output at 1×1", |_| true, TIMEOUT);
    baca.resize(120, 40);
    baca.wait_for(
        "three panes again at 120×40",
        |s| pane_count(s) == 3,
        TIMEOUT,
    );

    baca.send(b"q");
    let status = baca.wait_exit();
    assert!(
        status.success(),
        "q exits with status 0 after resizing, got {status:?}"
    );
    assert_restored(&baca);
}

const A_TITLE: &str = "Kucing Oren Juara Lomba Tidur Siang";
const B_TITLE: &str = "Anjing Hitam Belajar Berenang di Kolam Desa";

fn write_two_articles(dir: &Path) {
    let a = format!(
        "---\ntitle: {A_TITLE}\ndate: 2024-01-02\nsource: Warta Uji\n---\n\
         Seekor kucing oren memenangi lomba tidur siang di balai desa.\n\n\
         Baca juga: {B_TITLE}\n\n\
         Panitia berjanji mengadakan lomba lagi tahun depan.\n"
    );
    let b = format!(
        "---\ntitle: {B_TITLE}\ndate: 2024-01-03\nsource: Warta Uji\n---\n\
         Anjing hitam milik pak lurah kini pandai berenang.\n"
    );
    std::fs::write(dir.join("a.txt"), a).expect("write a.txt");
    std::fs::write(dir.join("b.txt"), b).expect("write b.txt");
}

#[test]
fn a_file_on_the_command_line_opens_in_the_reader() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_two_articles(dir.path());
    let a = dir.path().join("a.txt");
    let mut baca = Baca::start(&[a.to_str().expect("utf-8 temp path")], 120, 40);

    let screen = baca.wait_for(
        "a.txt in the reader",
        |s| reader_text(s).starts_with(A_TITLE),
        TIMEOUT,
    );
    let pane = rightmost_pane(&screen).expect("a reader pane");
    assert!(
        pane.title.contains('◆'),
        "the reader has focus: {:?}",
        pane.title
    );
    assert!(
        screen.contents().contains("Articles (2)"),
        "a.txt opens inside the library of its folder:\n{}",
        show(&screen)
    );

    baca.send(TAB);
    baca.wait_for(
        "the link selected",
        |s| link_selected(s, "▸ Baca juga: Anjing Hitam"),
        TIMEOUT,
    );
    baca.send(ENTER);
    baca.wait_for(
        "b.txt in the reader",
        |s| reader_text(s).starts_with(B_TITLE),
        TIMEOUT,
    );

    baca.send(b"q");
    let status = baca.wait_exit();
    assert!(status.success(), "q exits with status 0, got {status:?}");
    assert_restored(&baca);
}

/// A file saved in the user's library opens among all of the library's
/// articles, so a link to one filed in another folder works.
#[test]
fn a_file_in_the_library_opens_inside_the_whole_library() {
    let shared = tempfile::tempdir().expect("temp dir");
    let data = shared.path().join("data");
    let library = data.join("baca").join("library");
    for sub in ["2024-01", "2024-02"] {
        std::fs::create_dir_all(library.join(sub)).expect("library folders");
    }
    write_two_articles(&library.join("2024-01"));
    std::fs::rename(
        library.join("2024-01").join("b.txt"),
        library.join("2024-02").join("b.txt"),
    )
    .expect("move b.txt");
    let a = library.join("2024-01").join("a.txt");
    let env = [("XDG_DATA_HOME", data.to_str().expect("utf-8 path"))];
    let args = [a.to_str().expect("utf-8 path")];
    let mut baca = Baca::spawn(env!("CARGO_BIN_EXE_baca"), &args, &env, 120, 40);
    let screen = baca.wait_for(
        "a.txt in the reader",
        |s| reader_text(s).starts_with(A_TITLE),
        TIMEOUT,
    );
    assert!(
        screen.contents().contains("Articles (2)"),
        "the whole library, not a.txt's folder alone:\n{}",
        show(&screen)
    );
    baca.send(TAB);
    baca.send(ENTER);
    baca.wait_for(
        "b.txt, filed in another folder",
        |s| reader_text(s).starts_with(B_TITLE),
        TIMEOUT,
    );
    baca.send(b"q");
    assert!(baca.wait_exit().success());
    assert_restored(&baca);
}

/// baca on the sample, started from an interactive bash (job control is
/// what Ctrl-Z and `fg` need), its list on screen.
fn baca_in_a_shell() -> Baca {
    let prompt = "e2e$ ";
    let path = std::env::var("PATH").unwrap_or_default();
    let env = [("PS1", prompt), ("PATH", path.as_str())];
    let mut sh = Baca::spawn("bash", &["--norc", "--noprofile", "-i"], &env, 120, 40);
    sh.wait_for(
        "the shell's prompt",
        |s| s.contents().contains(prompt.trim_end()),
        TIMEOUT,
    );
    let command = format!("'{}'\r", env!("CARGO_BIN_EXE_baca"));
    sh.send(command.as_bytes());
    wait_for_list(&mut sh);
    sh
}

/// Ctrl-Z needs job control, so a shell runs baca here, as a user's does.
#[test]
fn ctrl_z_suspends_and_fg_redraws() {
    let mut sh = baca_in_a_shell();

    sh.send(b"\x1a");
    let screen = sh.wait_for(
        "the shell's job report",
        |s| !s.alternate_screen() && s.contents().contains("Stopped"),
        TIMEOUT,
    );
    assert!(
        !screen.hide_cursor(),
        "the cursor is shown while baca is stopped"
    );
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "no mouse reporting while stopped"
    );

    sh.send(b"fg\r");
    sh.wait_for(
        "baca redrawn after fg",
        |s| {
            s.alternate_screen()
                && s.contents().contains("Articles (12)")
                && s.contents().contains("Resumed")
        },
        TIMEOUT,
    );

    sh.send(b"q");
    let screen = sh.wait_for(
        "the prompt after quitting",
        |s| !s.alternate_screen(),
        TIMEOUT,
    );
    assert!(!screen.hide_cursor(), "the cursor is shown after quitting");
    sh.send(b"exit\r");
    sh.wait_exit();
}

/// A stop baca did not ask for (`kill -TSTP` from elsewhere), and a
/// terminal resized while it is stopped: after `fg` the screen is whole and
/// laid out for the new size.
#[test]
fn a_stop_from_outside_and_a_resize_meanwhile_come_back_whole() {
    let mut sh = baca_in_a_shell();
    let children = format!("/proc/{0}/task/{0}/children", sh.pid());
    let baca: i32 = std::fs::read_to_string(&children)
        .expect("the shell's children")
        .split_whitespace()
        .next()
        .and_then(|p| p.parse().ok())
        .expect("baca's pid");
    let baca = nix::unistd::Pid::from_raw(baca);
    nix::sys::signal::kill(baca, nix::sys::signal::Signal::SIGTSTP).expect("send SIGTSTP");
    let screen = sh.wait_for(
        "the shell's job report",
        |s| !s.alternate_screen() && s.contents().contains("Stopped"),
        TIMEOUT,
    );
    assert!(!screen.hide_cursor(), "the cursor is shown while stopped");

    sh.resize(70, 24);
    sh.send(b"fg\r");
    let screen = sh.wait_for(
        "baca redrawn for 70 columns after fg",
        |s| {
            s.alternate_screen()
                && s.contents().contains("Articles (12)")
                && s.contents().contains("Resumed")
                && pane_count(s) == 1
        },
        TIMEOUT,
    );
    let _ = screen;
    assert!(!sh.cooked(), "raw mode again");
    sh.send(b"q");
    sh.wait_for(
        "the prompt after quitting",
        |s| !s.alternate_screen(),
        TIMEOUT,
    );
    sh.send(b"exit\r");
    sh.wait_exit();
}

/// Issue 4's scenario: type a query into the real binary, open a result,
/// and find the match highlighted in the reader.
#[test]
fn search_opens_a_result_with_the_match_highlighted() {
    let mut baca = Baca::start(&[], 120, 40);
    wait_for_list(&mut baca);
    baca.send(b"/");
    for c in "koridor lachin".bytes() {
        baca.send(&[c]);
    }
    baca.wait_for(
        "ranked results for the typed query",
        |s| {
            let text = s.contents();
            text.contains("Search: koridor lachin") && text.contains("found")
        },
        TIMEOUT,
    );
    baca.send(ENTER);
    let screen = baca.wait_for(
        "the first result open in the reader",
        |s| reader_text(s).starts_with("Koridor Lachin"),
        TIMEOUT,
    );
    // A highlighted cell: a letter of "Lachin" drawn on a coloured
    // background somewhere in the reader's body (the title row aside).
    let (rows, cols) = size(&screen);
    let left = (0..cols)
        .rev()
        .find(|&c| cell_is(&screen, 0, c, "┌"))
        .unwrap_or(0);
    let highlighted = (2..rows.saturating_sub(2)).any(|r| {
        (left..cols).any(|c| {
            screen.cell(r, c).is_some_and(|cell| {
                cell.bgcolor() != vt100::Color::Default && cell.contents().eq_ignore_ascii_case("l")
            })
        })
    });
    assert!(highlighted, "a match is highlighted:\n{}", show(&screen));
    let status = row_text(&screen, rows - 1);
    assert!(
        status.contains("match "),
        "the status bar counts matches: {status}"
    );
    baca.send(b"q");
    assert!(baca.wait_exit().success());
}

/// Issue 5's scenario: bookmark an article, quit, start again, and find the
/// bookmark, the article reopened and its scroll position kept.
#[test]
fn bookmark_and_position_survive_a_restart() {
    let shared = tempfile::tempdir().expect("temp dir");
    let data = shared.path().join("data");
    let data = data.to_str().expect("utf-8 path");
    let env = [("XDG_DATA_HOME", data)];
    let bin = env!("CARGO_BIN_EXE_baca");

    let mut baca = Baca::spawn(bin, &[], &env, 120, 40);
    wait_for_list(&mut baca);
    baca.send(ENTER);
    baca.wait_for(
        "the seed article",
        |s| reader_text(s).starts_with(SEED_TITLE),
        TIMEOUT,
    );
    for _ in 0..20 {
        baca.send(b"j");
    }
    baca.send(b"s");
    let screen = baca.wait_for(
        "the bookmark confirmed",
        |s| s.contents().contains("Bookmarked"),
        TIMEOUT,
    );
    let rows = reader_rows(&screen);
    baca.send(b"q");
    assert!(baca.wait_exit().success());

    let mut again = Baca::spawn(bin, &[], &env, 120, 40);
    let screen = again.wait_for(
        "the seed article reopened where it was left",
        |s| s.contents().contains("Articles (12)") && !reader_text(s).starts_with(SEED_TITLE),
        TIMEOUT,
    );
    let now = reader_rows(&screen);
    // Positions are kept per block (they survive a change of width), so the
    // view starts at the first line of the block that was at the top: the
    // old top line is within its first few rows.
    let old_top = rows
        .iter()
        .find(|r| !r.trim().is_empty())
        .expect("text was shown");
    assert!(
        now.iter().take(8).any(|r| r.trim() == old_top.trim()),
        "restored near the old position ({old_top:?}):\n{}",
        show(&screen)
    );
    again.send(b"B");
    let screen = again.wait_for(
        "the bookmarks list",
        |s| s.contents().contains("Bookmarks"),
        TIMEOUT,
    );
    assert!(
        screen.contents().contains("Warga Armenia Bakar Rumah"),
        "{}",
        show(&screen)
    );
    // The first q closes the list, as in less; the second quits.
    again.send(b"q");
    again.wait_for(
        "the list closed",
        |s| !s.contents().contains("Bookmarks"),
        TIMEOUT,
    );
    again.send(b"q");
    assert!(again.wait_exit().success());
}

/// Issue 5's live library: a file added to the open folder appears in the
/// headlines, and the reader stays on the article it shows.
#[test]
fn a_file_added_to_the_folder_appears_while_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, title: &str, body: &str| {
        std::fs::write(
            dir.path().join(name),
            format!("---\ntitle: {title}\n---\n{body}\n"),
        )
        .expect("write");
    };
    write(
        "a.txt",
        "Artikel Pertama Yang Dibaca",
        "Isi pertama.\nBaca juga: Artikel Ketiga Datang Belakangan",
    );
    write("b.txt", "Artikel Kedua Sebagai Teman", "Isi kedua.");
    let path = dir.path().to_str().expect("utf-8 path").to_owned();
    let mut baca = Baca::start(&[&path], 120, 40);
    baca.wait_for(
        "two articles",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );
    baca.send(ENTER);
    baca.wait_for(
        "the first article",
        |s| reader_text(s).starts_with("Artikel Pertama"),
        TIMEOUT,
    );
    write("c.txt", "Artikel Ketiga Datang Belakangan", "Isi ketiga.");
    baca.wait_for(
        "the new article in the list, the reader unmoved",
        |s| s.contents().contains("Articles (3)") && reader_text(s).starts_with("Artikel Pertama"),
        TIMEOUT,
    );
    // The link to the new article resolves now.
    baca.send(TAB);
    baca.send(ENTER);
    baca.wait_for(
        "the new article opened by its link",
        |s| reader_text(s).starts_with("Artikel Ketiga"),
        TIMEOUT,
    );
    baca.send(b"q");
    assert!(baca.wait_exit().success());
}

/// Issues 4 and 5: a search left open while a file is added to the folder
/// finds the new article by itself, once the index is updated with it,
/// and a file removed leaves the results.
#[test]
fn a_search_left_open_finds_a_file_added_meanwhile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).expect("mkdir");
    write_two_articles(&lib);
    let cache = dir.path().join("cache");
    let env = [("XDG_CACHE_HOME", cache.to_str().expect("utf-8 path"))];
    let path = lib.to_str().expect("utf-8 path").to_owned();
    let mut baca = Baca::spawn(env!("CARGO_BIN_EXE_baca"), &[&path], &env, 120, 40);
    baca.wait_for(
        "two articles",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );
    baca.send(b"/");
    for c in "zamrud".bytes() {
        baca.send(&[c]);
    }
    baca.wait_for(
        "no match yet",
        |s| s.contents().contains("No article matches"),
        TIMEOUT,
    );
    let title = "Cincin Zamrud Ditemukan Nelayan";
    std::fs::write(
        lib.join("c.txt"),
        format!("---\ntitle: {title}\n---\nSebuah cincin zamrud tersangkut di jaring.\n"),
    )
    .expect("write c.txt");
    baca.wait_for(
        "the new article found by the open search",
        |s| s.contents().contains("1 found") && s.contents().contains(title),
        TIMEOUT,
    );
    // Updated, not built again: what changed is stored beside the index.
    let deltas = || {
        std::fs::read_dir(cache.join("baca/libraries"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .filter(|e| e.path().to_string_lossy().ends_with(".idx-delta"))
                    .count()
            })
            .unwrap_or(0)
    };
    assert_eq!(deltas(), 1, "the update is stored as a delta");
    std::fs::remove_file(lib.join("c.txt")).expect("remove c.txt");
    baca.wait_for(
        "the removed article gone from the results",
        |s| s.contents().contains("No article matches") && !s.contents().contains(title),
        TIMEOUT,
    );
    baca.send(b"\x1b");
    baca.wait_for(
        "the search closed",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );
    baca.send(b"q");
    assert!(baca.wait_exit().success());
}

/// Issue 5's fast start: the second start shows the library from the
/// cache, then notices a file changed while baca was closed and shows the
/// change, and a search finds the new text (the stored index is not
/// reused for a changed library).
#[test]
fn a_change_made_while_closed_shows_after_a_start_from_the_cache() {
    let shared = tempfile::tempdir().expect("temp dir");
    let lib = shared.path().join("lib");
    std::fs::create_dir(&lib).expect("mkdir");
    write_two_articles(&lib);
    let cache = shared.path().join("cache");
    let env = [("XDG_CACHE_HOME", cache.to_str().expect("utf-8 path"))];
    let bin = env!("CARGO_BIN_EXE_baca");
    let path = lib.to_str().expect("utf-8 path");

    let mut first = Baca::spawn(bin, &[path], &env, 120, 40);
    first.wait_for(
        "the library",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );
    // The cache is written after the first frame, on another thread.
    let deadline = Instant::now() + TIMEOUT;
    let written = || {
        std::fs::read_dir(cache.join("baca/libraries"))
            .map(|d| {
                d.filter_map(Result::ok)
                    .any(|e| e.path().extension() == Some("lib".as_ref()))
            })
            .unwrap_or(false)
    };
    while !written() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(written(), "the start-up cache was written");
    first.send(b"q");
    assert!(first.wait_exit().success());

    let renamed = "Anjing Juara Renang";
    std::fs::write(
        lib.join("b.txt"),
        format!("---\ntitle: {renamed}\n---\nPiala dibawa pulang oleh pemiliknya.\n"),
    )
    .expect("rewrite b.txt");
    let mut again = Baca::spawn(bin, &[path], &env, 120, 40);
    again.wait_for(
        "the changed title, found after the start",
        |s| s.contents().contains(renamed) && !s.contents().contains("Anjing Hitam"),
        TIMEOUT,
    );
    again.send(b"/");
    for c in "piala".bytes() {
        again.send(&[c]);
    }
    again.wait_for(
        "the new text found by search",
        |s| s.contents().contains("1 found") && s.contents().contains(renamed),
        TIMEOUT,
    );
    again.send(b"\x1b");
    // Alone, so it is not read as Alt and the next key.
    again.wait_for(
        "the search closed",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );
    // The first q closes the list, as in less; the second quits.
    again.send(b"q");
    again.wait_for(
        "the list closed",
        |s| !s.contents().contains("Bookmarks"),
        TIMEOUT,
    );
    again.send(b"q");
    assert!(again.wait_exit().success());
}

/// Issue 16: the open folder deleted and made again, or moved away and
/// made again, is watched again: files written into the new one appear.
#[test]
fn a_folder_deleted_or_moved_and_made_again_is_watched_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).expect("mkdir");
    let write = |name: &str, title: &str| {
        std::fs::write(lib.join(name), format!("{title}\n\nIsi berita {name}.\n")).expect("write");
    };
    write("a.txt", "Berita Awal Di Folder");
    let path = lib.to_str().expect("utf-8 path").to_owned();
    let mut baca = Baca::start(&[&path], 120, 40);
    baca.wait_for(
        "one article",
        |s| s.contents().contains("Articles (1)"),
        TIMEOUT,
    );

    std::fs::remove_dir_all(&lib).expect("rm -rf");
    baca.wait_for(
        "the folder gone",
        |s| s.contents().contains("Articles (0)"),
        TIMEOUT,
    );
    std::fs::create_dir(&lib).expect("mkdir again");
    write("b.txt", "Berita Setelah Dibuat Lagi");
    baca.wait_for(
        "the file in the new folder",
        |s| s.contents().contains("Articles (1)") && s.contents().contains("Berita Setelah"),
        TIMEOUT,
    );
    write("c.txt", "Berita Kedua Setelahnya");
    baca.wait_for(
        "a later file too: the new folder is watched",
        |s| s.contents().contains("Articles (2)"),
        TIMEOUT,
    );

    std::fs::rename(&lib, dir.path().join("lib.old")).expect("mv away");
    baca.wait_for(
        "the folder moved away",
        |s| s.contents().contains("Articles (0)"),
        TIMEOUT,
    );
    std::fs::create_dir(&lib).expect("mkdir once more");
    std::thread::sleep(Duration::from_millis(300));
    write("d.txt", "Berita Di Folder Ketiga");
    baca.wait_for(
        "the file in the third folder",
        |s| s.contents().contains("Articles (1)") && s.contents().contains("Berita Di Folder"),
        TIMEOUT,
    );
    baca.send(b"q");
    assert!(baca.wait_exit().success());
}
