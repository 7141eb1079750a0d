//! The built binary on hostile input and faults (issue 16): devices, FIFOs,
//! damaged caches, escapes in titles, failing saves. Every run gets fresh
//! XDG folders and a deadline, so a read that blocks fails the test instead
//! of hanging it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

struct Env {
    dir: TempDir,
}

struct Run {
    args: Vec<String>,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn expect_code(&self, want: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(want),
            "baca {:?}\nstdout:\n{}\nstderr:\n{}",
            self.args,
            self.stdout,
            self.stderr
        );
        self
    }
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["data", "config", "cache", "home"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("xdg dir");
        }
        Env { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        p
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_baca"));
        cmd.args(args)
            .env("HOME", self.path("home"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs baca, killing it after ten seconds: a blocked read is a failure.
    fn run(&self, args: &[&str]) -> Run {
        let mut child = self.command(args).spawn().expect("run baca");
        let start = Instant::now();
        loop {
            if child.try_wait().expect("wait").is_some() {
                break;
            }
            if start.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("baca {args:?} did not end in 10 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().expect("output");
        Run {
            args: args.iter().map(|s| s.to_string()).collect(),
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn mkfifo(p: &Path) {
    let ok = Command::new("mkfifo").arg(p).status().expect("mkfifo");
    assert!(ok.success());
}

#[test]
fn parse_refuses_devices_and_fifos_with_exit_2() {
    let env = Env::new();
    let fifo = env.path("pipa.txt");
    mkfifo(&fifo);
    for (path, what) in [
        ("/dev/zero", "a device"),
        ("/dev/urandom", "a device"),
        (s(&fifo), "a FIFO"),
    ] {
        let run = env.run(&["parse", path]);
        run.expect_code(2);
        assert!(
            run.stderr.contains(path) && run.stderr.contains(what),
            "{path}: {}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn list_links_and_search_on_a_fifo_or_device_fail_instead_of_finding_nothing() {
    let env = Env::new();
    let fifo = env.path("pipa");
    mkfifo(&fifo);
    for args in [
        vec!["list", s(&fifo)],
        vec!["links", s(&fifo)],
        vec!["search", "banjir", s(&fifo)],
        vec!["list", "/dev/null"],
    ] {
        let run = env.run(&args);
        run.expect_code(2);
        assert!(
            run.stderr.contains("not a file or folder"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_fifo_in_a_folder_is_passed_over_and_the_rest_is_read() {
    let env = Env::new();
    env.write("lib/satu.txt", "Judul Satu\n\nIsi pertama.\n");
    mkfifo(&env.path("lib/pipa.txt"));
    let run = env.run(&["list", s(&env.path("lib"))]);
    run.expect_code(0);
    assert!(run.stdout.contains("Judul Satu"), "{}", run.stdout);
    assert!(run.stdout.contains("1 article\n"), "{}", run.stdout);
}

#[test]
fn a_fifo_as_config_is_reported_and_the_defaults_are_used() {
    let env = Env::new();
    let fifo = env.path("config.toml");
    mkfifo(&fifo);
    let lib = env.write("lib/satu.txt", "Judul Satu\n\nIsi.\n");
    let run = env.run(&["--config", s(&fifo), "list", s(&lib)]);
    run.expect_code(0);
    assert!(run.stderr.contains("a FIFO"), "{}", run.stderr);
}

/// The one start-up cache file the runs so far wrote.
fn lib_cache(env: &Env) -> PathBuf {
    let dir = env.path("cache/baca/libraries");
    let mut libs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cache folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "lib"))
        .collect();
    assert_eq!(libs.len(), 1, "{libs:?}");
    libs.remove(0)
}

#[test]
fn a_cache_with_a_changed_title_is_rebuilt_with_a_warning_not_trusted() {
    let env = Env::new();
    env.write(
        "lib/jet.txt",
        "Rusia Mengirim Tiga Jet ke Perbatasan\n\nPesawat jet tiba pagi ini.\n",
    );
    env.write(
        "lib/kapal.txt",
        "Kapal Baru Diluncurkan\n\nKapal itu besar.\n",
    );
    let lib = env.path("lib");
    let first = env.run(&["search", "jet", s(&lib)]);
    first.expect_code(0);
    assert!(first.stdout.contains("Rusia Mengirim"), "{}", first.stdout);
    // The repro of issue 16: the same length, so only a checksum tells.
    let cache = lib_cache(&env);
    let bytes = std::fs::read(&cache).expect("read cache");
    let at = bytes
        .windows(5)
        .position(|w| w == b"Rusia")
        .expect("the title is in the cache");
    let mut damaged = bytes.clone();
    damaged[at..at + 5].copy_from_slice(b"PALSU");
    std::fs::write(&cache, &damaged).expect("damage the cache");

    let second = env.run(&["search", "jet", s(&lib)]);
    second.expect_code(0);
    assert!(
        second.stdout.contains("Rusia Mengirim"),
        "{}",
        second.stdout
    );
    assert!(!second.stdout.contains("PALSU"), "{}", second.stdout);
    assert!(
        second.stderr.contains("damaged") && second.stderr.contains("rebuilt"),
        "{}",
        second.stderr
    );
    let third = env.run(&["search", "jet", s(&lib)]);
    third.expect_code(0);
    assert_eq!(third.stdout, second.stdout);
    assert!(third.stderr.is_empty(), "rebuilt once: {}", third.stderr);
    assert_eq!(std::fs::read(&cache).expect("read cache"), bytes);
}

#[test]
fn a_damaged_search_index_is_rebuilt_with_a_warning() {
    let env = Env::new();
    env.write(
        "lib/a.txt",
        "Harga Cabai Naik\n\nCabai merah mahal di pasar.\n",
    );
    env.write("lib/b.txt", "Panen Padi Melimpah\n\nPetani senang.\n");
    let lib = env.path("lib");
    let first = env.run(&["search", "cabai", s(&lib)]);
    first.expect_code(0);
    let idx = lib_cache(&env).with_extension("idx");
    let mut bytes = std::fs::read(&idx).expect("read index");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x10;
    std::fs::write(&idx, &bytes).expect("damage the index");
    let second = env.run(&["search", "cabai", s(&lib)]);
    second.expect_code(0);
    assert_eq!(second.stdout, first.stdout);
    assert!(
        second.stderr.contains("index is damaged") && second.stderr.contains("rebuilt"),
        "{}",
        second.stderr
    );
    let third = env.run(&["search", "cabai", s(&lib)]);
    assert!(third.stderr.is_empty(), "{}", third.stderr);
}

#[test]
fn a_configured_library_that_is_missing_or_not_a_folder_is_named() {
    let env = Env::new();
    let missing = env.path("tidak-ada");
    let file = env.write("berkas.txt", "Judul\n\nIsi.\n");
    for (dir, why) in [(&missing, "does not exist"), (&file, "is not a folder")] {
        env.write(
            "config/baca/config.toml",
            format!("library = \"{}\"\n", s(dir)),
        );
        let run = env.run(&["list"]);
        run.expect_code(0);
        assert!(
            run.stdout.contains("(the sample library)"),
            "{}",
            run.stdout
        );
        assert!(
            run.stderr.contains(s(dir)) && run.stderr.contains(why),
            "{}",
            run.stderr
        );
        let paths = env.run(&["paths"]);
        paths.expect_code(0);
        assert!(
            paths.stdout.starts_with(&format!("library  {}\n", s(dir))),
            "baca paths names the configured library: {}",
            paths.stdout
        );
    }
}

#[test]
fn strict_links_with_broken_links_and_an_unreadable_path_exits_2_and_lists_them() {
    let env = Env::new();
    let lib = env.write(
        "lib/satu.txt",
        "Judul Satu\n\nIsi pertama.\nBaca juga: Berita Yang Tidak Ada\n",
    );
    let lib = lib.parent().expect("folder").to_path_buf();
    let missing = env.path("hilang");
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec!["links", s(&lib), s(&missing), "--strict"];
        args.extend_from_slice(extra);
        let run = env.run(&args);
        run.expect_code(2);
        assert!(
            run.stdout.contains("Berita Yang Tidak Ada"),
            "{}",
            run.stdout
        );
        assert!(run.stderr.contains("hilang"), "{}", run.stderr);
    }
    env.run(&["links", s(&lib), "--strict"]).expect_code(1);
}

/// Whether `out` holds anything that acts on a terminal: C0 controls but
/// the line break and tab, DEL, C1 controls, bidi overrides and isolates.
fn has_terminal_controls(out: &str) -> bool {
    out.chars().any(|c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

#[test]
fn escapes_in_a_markdown_title_reach_no_output() {
    let env = Env::new();
    // The repro of issue 16, with 8-bit CSI and a bidi override besides.
    env.write(
        "x/a.md",
        "# Judul \u{1b}]52;c;cHduZWQ=\u{7} \u{1b}[21t\u{9b}6n \u{202e}Terbalik\n\nTeks.\n\nBaca juga: Judul\n",
    );
    let dir = env.path("x");
    let file = env.path("x/a.md");
    for args in [
        vec!["list", s(&dir)],
        vec!["list", s(&dir), "--json"],
        vec!["links", s(&dir)],
        vec!["links", s(&dir), "--json"],
        vec!["search", "teks", s(&dir)],
        vec!["search", "teks", s(&dir), "--json"],
        vec!["parse", s(&file)],
        vec!["parse", s(&file), "--json"],
    ] {
        let run = env.run(&args);
        run.expect_code(0);
        assert!(run.stdout.contains("Judul"), "{args:?}: {}", run.stdout);
        assert!(
            !has_terminal_controls(&run.stdout) && !has_terminal_controls(&run.stderr),
            "{args:?}: {:?} {:?}",
            run.stdout,
            run.stderr
        );
    }
    let run = env.run(&["parse", s(&file), "--json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["title"], "Judul Terbalik");
}

#[test]
fn json_shows_c1_and_bidi_in_paths_escaped_and_keeps_the_name() {
    let env = Env::new();
    let name = "a\u{9b}6n\u{202e}b.txt";
    let file = env.write(&format!("lib/{name}"), "Judul Satu\n\nIsi.\n");
    let run = env.run(&["list", s(&env.path("lib")), "--json"]);
    run.expect_code(0);
    assert!(!has_terminal_controls(&run.stdout), "{:?}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["articles"][0]["path"], s(&file), "the name, exactly");
}

#[test]
fn adding_a_markdown_file_with_escapes_twice_adds_it_once() {
    let env = Env::new();
    let src = env.write(
        "masuk/a.md",
        "# Banjir \u{1b}[31mBesar\u{1b}[0m Melanda\n\nAir naik setinggi lutut.\n",
    );
    let lib = env.path("perpus");
    let first = env.run(&["add", s(&src), "--library", s(&lib)]);
    first.expect_code(0);
    assert!(first.stdout.contains("1 added"), "{}", first.stdout);
    let second = env.run(&["add", s(&src), "--library", s(&lib)]);
    second.expect_code(0);
    assert!(
        second.stdout.contains("0 added") && second.stdout.contains("1 duplicate"),
        "{}",
        second.stdout
    );
    for e in std::fs::read_dir(&lib).expect("library") {
        let text = std::fs::read_to_string(e.expect("entry").path()).expect("read");
        assert!(!has_terminal_controls(&text), "{text:?}");
        assert!(text.contains("Banjir Besar Melanda"), "{text}");
    }
}
