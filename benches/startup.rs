//! Launch → first full frame of the real `baca` binary in a pseudo-terminal
//! (issues 3 and 5, "Fast start however large the library"), and its memory
//! once that frame is up. A measuring tool, not a test: it prints a table.
//!
//! ```text
//! cargo bench --bench startup -- [--runs 9] [--articles 10000,100000]
//!                                [--bin PATH] [--libs DIR] [--skip-sample]
//! ```
//!
//! For the embedded sample library, then a generated library of each size
//! (written once by the hidden `baca generate` into `<target>/startup-libs/N`
//! and reused), it launches baca `--runs` times in a 120×40 pty with fresh
//! XDG folders ("first run": empty cache folder) and `--runs` times more
//! keeping the cache folder of the run before ("warm"). Each run is timed
//! from spawn to the output chunk that completed the first frame showing
//! the headline title "Articles (N)" and N in the status bar; CPU time,
//! VmRSS and VmHWM are read from /proc right then, and `q` ends the run.
//! The table gives median, min and max times and the medians of the rest.
//!
//! The terminal emulation (vt100, answering cursor-position queries) is the
//! one tests/e2e.rs uses.

use anyhow::{bail, ensure, Context, Result};
use clap::Parser;
use portable_pty::{native_pty_system, Child, CommandBuilder, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

#[path = "../tests/support/replies.rs"]
mod replies;
use replies::Replies;

const COLS: u16 = 120;
const ROWS: u16 = 40;
/// ratatui writes a frame in many small writes (stdout is line-buffered
/// and a frame has no newlines), microseconds apart; a longer gap means
/// the frame is done and whatever follows is a later redraw (the search
/// index reporting progress, say), which must not count.
const BURST_GAP: Duration = Duration::from_millis(5);
const POLL: Duration = Duration::from_millis(1);
/// How long baca may take to quit after `q`.
const EXIT_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Parser)]
#[command(about = "Time from launch to the first full frame of baca in a pty")]
struct Args {
    /// Runs per library, for first runs and again for warm runs.
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// Sizes of the generated libraries; `--articles` alone for none.
    #[arg(long, value_delimiter = ',', num_args = 0.., default_values_t = [10_000, 100_000])]
    articles: Vec<usize>,
    /// Seed for `baca generate`.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The baca to launch: by default the release build next to this bench.
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Where generated libraries live (default `<target>/startup-libs`).
    #[arg(long)]
    libs: Option<PathBuf>,
    /// Measure only the generated libraries.
    #[arg(long)]
    skip_sample: bool,
    /// Seconds to wait for one first frame before giving up.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
    /// A name filter, as `cargo bench -- NAME` gives every bench: this one
    /// runs only when NAME is part of "startup".
    #[arg(hide = true)]
    filter: Option<String>,
}

/// One library to measure.
struct Library {
    name: String,
    /// Passed to baca; none for the sample, which opens when the user's
    /// library is missing.
    path: Option<PathBuf>,
    /// The count the first frame must show; unknown for the sample, whose
    /// size is whatever the binary embeds.
    expect: Option<usize>,
    bytes: u64,
}

/// What one launch measured.
struct Run {
    frame: Duration,
    /// baca's user and system time up to the frame, all threads: what the
    /// start costs whatever else the machine runs (10 ms granularity).
    cpu: Duration,
    articles: usize,
    rss_kb: u64,
    hwm_kb: u64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args
        .filter
        .as_deref()
        .is_some_and(|f| !"startup".contains(f))
    {
        return Ok(());
    }
    ensure!(args.runs > 0, "--runs must be at least 1");
    // This bench lives in <target>/release/deps/ and the release baca in
    // <target>/release/ (`cargo bench` builds it too), so the binary found
    // from here matches whatever CARGO_TARGET_DIR says.
    let exe = std::env::current_exe().context("locating this bench binary")?;
    let release = exe
        .parent()
        .and_then(Path::parent)
        .context("the bench binary is not in <target>/<profile>/deps")?;
    let bin = args.bin.clone().unwrap_or_else(|| release.join("baca"));
    if !bin.is_file() {
        bail!(
            "{} is missing: run `cargo build --release` first (or pass --bin PATH)",
            bin.display()
        );
    }
    let bin = bin
        .canonicalize()
        .with_context(|| format!("resolving {}", bin.display()))?;
    warn_if_stale(&bin);
    let libs_dir = match &args.libs {
        Some(d) => d.clone(),
        None => release
            .parent()
            .context("the release folder has no parent")?
            .join("startup-libs"),
    };

    let mut libraries = Vec::new();
    if !args.skip_sample {
        libraries.push(Library {
            name: "sample (embedded)".into(),
            path: None,
            expect: None,
            // What the binary embeds: the sources in assets/library.
            bytes: disk_size(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/library"))?,
        });
    }
    for &n in &args.articles {
        let dir = generated(&bin, &libs_dir, n, args.seed)?;
        libraries.push(Library {
            name: format!("generated {n}"),
            bytes: disk_size(&dir)?,
            path: Some(dir),
            expect: Some(n),
        });
    }

    let load_before = loadavg();
    eprintln!(
        "baca: {}\n{} runs per library and mode, {COLS}x{ROWS} pty, {} cores, load average {load_before}",
        bin.display(),
        args.runs,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    let timeout = Duration::from_secs(args.timeout);
    let mut rows = Vec::new();
    for lib in &libraries {
        // A generated library read for the first time would time the disk,
        // not baca; every mode reads it from the page cache.
        if let Some(dir) = &lib.path {
            disk_size_reading(dir)?;
        }
        let cache = tempfile::tempdir().context("creating a cache folder")?;
        let mut first = Vec::new();
        for i in 0..args.runs {
            // Each first run gets an empty cache; the last one's stays
            // behind for the warm runs.
            let dir = cache.path().join(format!("first-{i}"));
            std::fs::create_dir(&dir).context("creating a cache folder")?;
            let run = launch(&bin, lib, &dir, timeout)
                .with_context(|| format!("{}: first run {}", lib.name, i + 1))?;
            progress(lib, "first", i, args.runs, &run);
            first.push(run);
        }
        let kept = cache.path().join(format!("first-{}", args.runs - 1));
        let mut warm = Vec::new();
        for i in 0..args.runs {
            let run = launch(&bin, lib, &kept, timeout)
                .with_context(|| format!("{}: warm run {}", lib.name, i + 1))?;
            progress(lib, "warm", i, args.runs, &run);
            warm.push(run);
        }
        rows.push(row(lib, "first", &first));
        rows.push(row(lib, "warm", &warm));
    }

    println!();
    println!(
        "{:<18} {:>8} {:>9}  {:<5} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "library",
        "articles",
        "on disk",
        "run",
        "median ms",
        "min ms",
        "max ms",
        "CPU ms",
        "RSS MB",
        "peak MB"
    );
    for r in &rows {
        println!("{r}");
    }
    println!();
    println!(
        "Time from spawn to the first full frame ({COLS}x{ROWS} pty), median of {} runs; \
         CPU (user + system, all threads), RSS (VmRSS) and peak RSS (VmHWM) \
         right after that frame, medians.",
        args.runs
    );
    println!(
        "first = empty XDG_CACHE_HOME; warm = the cache folder of the previous run kept. \
         Library files in the page cache in both."
    );
    println!(
        "load average before {load_before}, after {}; {} cores.",
        loadavg(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    Ok(())
}

fn progress(lib: &Library, mode: &str, i: usize, runs: usize, run: &Run) {
    eprintln!(
        "  {:<18} {mode:<5} {:>2}/{runs}  {:>9.1} ms  cpu {:>7.0} ms  {:>7.1} MB",
        lib.name,
        i + 1,
        ms(run.frame),
        ms(run.cpu),
        mb(run.rss_kb)
    );
}

/// One line of the table: the medians, and the spread of the times.
fn row(lib: &Library, mode: &str, runs: &[Run]) -> String {
    let mut times: Vec<f64> = runs.iter().map(|r| ms(r.frame)).collect();
    times.sort_by(f64::total_cmp);
    let cpu = median(runs.iter().map(|r| ms(r.cpu)).collect());
    let rss = median(runs.iter().map(|r| mb(r.rss_kb)).collect());
    let hwm = median(runs.iter().map(|r| mb(r.hwm_kb)).collect());
    let articles = runs.first().map_or(0, |r| r.articles);
    format!(
        "{:<18} {:>8} {:>9}  {:<5} {:>9.1} {:>9.1} {:>9.1} {:>8.0} {:>8.1} {:>8.1}",
        lib.name,
        articles,
        size(lib.bytes),
        mode,
        median(times.clone()),
        times.first().copied().unwrap_or(0.0),
        times.last().copied().unwrap_or(0.0),
        cpu,
        rss,
        hwm,
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

/// Bytes in kB or MB (decimal, as `du --si` prints them).
fn size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// /proc's kB are KiB; MB here are decimal, like the disk sizes, and so a
/// little stricter against a target given in MB.
fn mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

/// The generated library of `n` articles, written by `baca generate` the
/// first time. A marker beside the folder (not in it, where baca would
/// read it) says the generation finished, so an interrupted one is redone.
fn generated(bin: &Path, libs: &Path, n: usize, seed: u64) -> Result<PathBuf> {
    let dir = libs.join(format!("{n}-seed{seed}"));
    let done = libs.join(format!("{n}-seed{seed}.complete"));
    if done.is_file() && dir.is_dir() {
        return Ok(dir);
    }
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .with_context(|| format!("removing the unfinished {}", dir.display()))?;
    }
    std::fs::create_dir_all(libs).with_context(|| format!("creating {}", libs.display()))?;
    eprintln!("generating {n} articles into {}...", dir.display());
    let status = std::process::Command::new(bin)
        .arg("generate")
        .arg(&dir)
        .args(["--articles", &n.to_string(), "--seed", &seed.to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .with_context(|| format!("running {} generate", bin.display()))?;
    ensure!(
        status.success(),
        "`baca generate` failed ({status}); does this baca have it?"
    );
    std::fs::write(&done, b"").with_context(|| format!("writing {}", done.display()))?;
    Ok(dir)
}

/// Apparent size of the files under `path`.
fn disk_size(path: &Path) -> Result<u64> {
    walk(path, &mut |_, len| len)
}

/// Like `disk_size`, reading every file so that it is in the page cache.
fn disk_size_reading(path: &Path) -> Result<u64> {
    walk(path, &mut |p, len| {
        std::fs::read(p).map_or(len, |b| b.len() as u64)
    })
}

fn walk(path: &Path, visit: &mut dyn FnMut(&Path, u64) -> u64) -> Result<u64> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if meta.is_file() {
        return Ok(visit(path, meta.len()));
    }
    let mut total = 0;
    for entry in std::fs::read_dir(path).with_context(|| format!("listing {}", path.display()))? {
        let entry = entry.with_context(|| format!("listing {}", path.display()))?;
        total += walk(&entry.path(), visit)?;
    }
    Ok(total)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Cargo rebuilds the bench, not the release binary a user passes or
/// built by hand: a binary older than the sources measures old code.
fn warn_if_stale(bin: &Path) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(built) = std::fs::metadata(bin).and_then(|m| m.modified()) else {
        return;
    };
    let mut newest = None;
    for dir in ["src", "assets"] {
        newest_mtime(&root.join(dir), &mut newest);
    }
    if newest.is_some_and(|t| t > built) {
        eprintln!(
            "warning: {} is older than some file in src/ or assets/: it may not measure \
             the code as it is now (`cargo build --release`, or another `cargo bench`, rebuilds it)",
            bin.display()
        );
    }
}

fn newest_mtime(path: &Path, newest: &mut Option<std::time::SystemTime>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_dir() {
        for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
            newest_mtime(&entry.path(), newest);
        }
    } else if let Ok(t) = meta.modified() {
        *newest = Some(newest.map_or(t, |n: std::time::SystemTime| n.max(t)));
    }
}

/// What the reader thread shares with the measuring one.
struct Shared {
    parser: vt100::Parser<Replies>,
    /// When the latest chunk of output arrived.
    last_chunk: Instant,
    frame: Option<Frame>,
    eof: bool,
}

/// The first complete frame as the output built it.
struct Frame {
    articles: usize,
    /// The arrival of the last chunk of the burst that completed it.
    end: Instant,
    /// A gap longer than BURST_GAP has followed: `end` is final.
    closed: bool,
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

/// The article count if `screen` is a complete first frame: the headline
/// pane titled "Articles (N)" and the status bar (the last row, drawn last)
/// showing N, as "N articles" or, with an article open, "i/N ·".
fn complete_frame(screen: &vt100::Screen, expect: Option<usize>) -> Option<usize> {
    let rows: Vec<String> = screen.rows(0, COLS).collect();
    let top = rows.first()?;
    let start = top.find("Articles (")? + "Articles (".len();
    let digits: String = top[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if !top[start + digits.len()..].starts_with(')') {
        return None;
    }
    let n: usize = digits.parse().ok()?;
    if expect.is_some_and(|e| e != n) {
        return None;
    }
    let status = rows.last()?;
    let shown =
        status.contains(&format!("{n} articles")) || status.contains(&format!("/{n} \u{b7}"));
    shown.then_some(n)
}

/// Launches baca on `lib` with `cache` as its cache folder and fresh data
/// and config folders, measures its first frame, and quits it.
fn launch(bin: &Path, lib: &Library, cache: &Path, timeout: Duration) -> Result<Run> {
    let home = tempfile::tempdir().context("creating a home folder")?;
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })
        .context("opening a pty")?;
    let mut cmd = CommandBuilder::new(bin);
    if let Some(p) = &lib.path {
        cmd.arg(p);
    }
    // Nothing from the developer's environment (a real library, a config,
    // NO_COLOR) may change what is measured.
    cmd.env_clear();
    for dir in ["data", "config"] {
        let path = home.path().join(dir);
        std::fs::create_dir(&path).context("creating an XDG folder")?;
        cmd.env(format!("XDG_{}_HOME", dir.to_uppercase()), path);
    }
    cmd.env("XDG_CACHE_HOME", cache);
    cmd.env("HOME", home.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    // Allocator options (`MIMALLOC_PURGE_DELAY=0`, say) pass through, to
    // see what they change.
    for (k, v) in std::env::vars().filter(|(k, _)| k.starts_with("MIMALLOC_")) {
        cmd.env(k, v);
    }
    cmd.cwd(home.path());

    let mut reader = pair
        .master
        .try_clone_reader()
        .context("cloning the pty reader")?;
    let writer = Arc::new(Mutex::new(
        pair.master.take_writer().context("taking the pty writer")?,
    ));
    let nonzero = |n: u16| std::num::NonZeroU16::new(n).expect("the pty size is not zero");
    let shared = Arc::new(Mutex::new(Shared {
        parser: vt100::Parser::new_with_callbacks(
            nonzero(ROWS),
            nonzero(COLS),
            0,
            Replies::default(),
        ),
        last_chunk: Instant::now(),
        frame: None,
        eof: false,
    }));

    let started = Instant::now();
    let child = pair
        .slave
        .spawn_command(cmd)
        .context("spawning baca in the pty")?;
    // Only the child may hold the slave side, so that its exit ends the
    // output.
    drop(pair.slave);
    let mut child = Killer(child);
    let pid = child.0.process_id().context("baca has no pid")?;

    let (feed, answer) = (Arc::clone(&shared), Arc::clone(&writer));
    let expect = lib.expect;
    let reader_thread = std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        // Linux reports the end of a pty's output as EIO, not 0.
        while let Ok(n @ 1..) = reader.read(&mut buf) {
            // Stamped before parsing: the emulator's time is ours, not baca's.
            let now = Instant::now();
            let reply = {
                let mut s = lock(&feed);
                s.parser.process(&buf[..n]);
                let gap = now.duration_since(s.last_chunk);
                s.last_chunk = now;
                match &mut s.frame {
                    Some(f) if !f.closed => {
                        if gap <= BURST_GAP {
                            f.end = now;
                        } else {
                            f.closed = true;
                        }
                    }
                    Some(_) => {}
                    None => {
                        if let Some(articles) = complete_frame(s.parser.screen(), expect) {
                            s.frame = Some(Frame {
                                articles,
                                end: now,
                                closed: false,
                            });
                        }
                    }
                }
                std::mem::take(&mut s.parser.callbacks_mut().0)
            };
            if !reply.is_empty() {
                let mut w = answer.lock().unwrap_or_else(|e| e.into_inner());
                let _ = w.write_all(&reply).and_then(|()| w.flush());
            }
        }
        lock(&feed).eof = true;
    });

    // Wait for the first frame and the end of its burst.
    let (frame, articles) = loop {
        {
            let mut s = lock(&shared);
            let quiet = s.last_chunk.elapsed() > BURST_GAP;
            if let Some(f) = &mut s.frame {
                if f.closed || quiet {
                    f.closed = true;
                    break (f.end.duration_since(started), f.articles);
                }
            }
            if s.eof {
                bail!(
                    "baca ended before its first frame; the screen:\n{}",
                    s.parser.screen().contents()
                );
            }
        }
        if started.elapsed() > timeout {
            bail!(
                "no complete first frame after {timeout:?}; the screen:\n{}",
                lock(&shared).parser.screen().contents()
            );
        }
        std::thread::sleep(POLL);
    };
    let (rss_kb, hwm_kb) = memory(pid)?;
    let cpu = cpu_time(pid)?;

    {
        let mut w = writer.lock().unwrap_or_else(|e| e.into_inner());
        w.write_all(b"q")
            .and_then(|()| w.flush())
            .context("sending q to baca")?;
    }
    let quit = Instant::now();
    loop {
        if let Some(status) = child.0.try_wait().context("waiting for baca")? {
            ensure!(status.success(), "baca exited with {status:?} after q");
            break;
        }
        if quit.elapsed() > EXIT_TIMEOUT {
            bail!("baca did not quit within {EXIT_TIMEOUT:?} of q");
        }
        std::thread::sleep(POLL);
    }
    // The output ends with the child; the thread holds nothing else.
    reader_thread
        .join()
        .map_err(|_| anyhow::anyhow!("the pty reader thread panicked"))?;
    Ok(Run {
        frame,
        cpu,
        articles,
        rss_kb,
        hwm_kb,
    })
}

/// VmRSS and VmHWM of process `pid`, in kB.
fn memory(pid: u32) -> Result<(u64, u64)> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let field = |name: &str| -> Result<u64> {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .with_context(|| format!("no {name} in {path}"))
    };
    Ok((field("VmRSS:")?, field("VmHWM:")?))
}

/// User plus system time of process `pid`, its ended threads included.
fn cpu_time(pid: u32) -> Result<Duration> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    // The command name, in parentheses, may hold spaces: count fields
    // after it. utime and stime are fields 14 and 15 of proc(5).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| -> Result<u64> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .with_context(|| format!("no field {} in {path}", i + 3))
    };
    // USER_HZ: 100 on every Linux that /proc reports in.
    Ok(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}

/// A failed run must not leave baca running.
struct Killer(Box<dyn Child + Send + Sync>);

impl Drop for Killer {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}
