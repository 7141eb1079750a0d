//! Whole-process load of large tables and exports (issue 11's targets):
//! `baca list` on a generated CSV of 100,000 rows (about 300 MB; under 3 s
//! and a peak RSS under twice its size) and on the corpus export
//! `../shared/corpus/v2/articles.jsonl` when it is there (under 1 s), and
//! a saved page of 20,000 nested `<div>`s (issue 16; was 12.5 s).
//!
//!   cargo bench --bench formats            # 100,000 rows
//!   ROWS=20000 RUNS=1 cargo bench --bench formats
//!
//! The CSV is generated once into ${TMPDIR:-/tmp}/baca-bench, keyed by its
//! row count, and reused. Times and peak RSS are the child process's own
//! (wall clock, `getrusage`).

use baca::core::generate::article_text;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const SEED: u64 = 1;

fn env_num(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A CSV of `rows` generated articles, in a scraper's shape: a header of
/// Indonesian names, the body one paragraph a line.
fn table(rows: usize) -> PathBuf {
    let dir = std::env::temp_dir().join("baca-bench");
    let path = dir.join(format!("table-{rows}-seed{SEED}.csv"));
    if path.is_file() {
        return path;
    }
    std::fs::create_dir_all(&dir).expect("bench dir");
    eprintln!("generating {rows} rows into {}...", path.display());
    let tmp = path.with_extension("csv.tmp");
    let mut w = csv::Writer::from_path(&tmp).expect("create csv");
    w.write_record(["judul", "tanggal", "tautan", "isi_berita"])
        .expect("header");
    for i in 0..rows {
        let (_, text) = article_text(SEED, i, rows);
        let mut front = text.splitn(3, "---\n");
        let (_, meta, body) = (front.next(), front.next().unwrap_or(""), front.next());
        let field = |key: &str| {
            meta.lines()
                .find_map(|l| l.strip_prefix(key))
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        let url = format!("https://contoh.test/berita/{i}");
        w.write_record([
            field("title:"),
            field("date:"),
            url,
            body.unwrap_or("").to_owned(),
        ])
        .expect("row");
    }
    w.flush().expect("flush");
    drop(w);
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

/// Wall time and peak RSS (bytes) of `baca list PATH`, best of `runs`.
// The child is reaped by `wait4`, which also gives its own peak RSS.
#[allow(clippy::zombie_processes)]
fn measure(path: &Path, runs: usize) -> (f64, u64, usize) {
    let baca = env!("CARGO_BIN_EXE_baca");
    let data = tempfile::tempdir().expect("xdg");
    let mut best = (f64::MAX, 0, 0);
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let mut child = Command::new(baca)
            .arg("list")
            .arg(path)
            .env("XDG_DATA_HOME", data.path())
            .env("XDG_CONFIG_HOME", data.path())
            .env("XDG_CACHE_HOME", data.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run baca");
        let out = {
            use std::io::Read;
            let mut s = String::new();
            child
                .stdout
                .take()
                .expect("stdout")
                .read_to_string(&mut s)
                .expect("read");
            s
        };
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: waits for our own child and fills `usage`, which we own.
        let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        assert_eq!(pid, child.id() as i32, "wait4");
        let secs = start.elapsed().as_secs_f64();
        let articles = out
            .lines()
            .last()
            .and_then(|l| l.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if secs < best.0 {
            best = (secs, usage.ru_maxrss as u64 * 1024, articles);
        }
    }
    best
}

fn report(what: &str, path: &Path, runs: usize, limit_s: f64, rss_ratio: Option<f64>) {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let (secs, rss, articles) = measure(path, runs);
    let ratio = rss as f64 / size.max(1) as f64;
    println!(
        "{what:<28} {articles:>7} articles {:>8.1} MB  {secs:>6.2} s (target {limit_s} s)  peak RSS {:>7.1} MB = {ratio:.2}x size{}",
        size as f64 / 1e6,
        rss as f64 / 1e6,
        rss_ratio.map_or(String::new(), |r| format!(" (target {r}x)")),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken.
    let rows = env_num("ROWS", 100_000);
    let runs = env_num("RUNS", 3);
    let csv = table(rows);
    report(&format!("csv, {rows} rows"), &csv, runs, 3.0, Some(2.0));
    // A page of 20,000 nested elements (issue 16): read as text, at once.
    let page = std::env::temp_dir().join("baca-bench/nested-20000.html");
    let mut html = String::from("<title>Halaman Bersarang</title><body>");
    for i in 0..20_000 {
        html.push_str(&format!("<div>Teks di tingkat {i} yang cukup panjang."));
    }
    html.push_str(&"</div>".repeat(20_000));
    std::fs::write(&page, html).expect("write page");
    report("page, 20,000 nested divs", &page, runs, 0.5, None);
    let export = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/v2/articles.jsonl");
    if export.is_file() {
        report("corpus v2 articles.jsonl", &export, runs, 1.0, None);
    } else {
        println!("(no {}: the export is not measured)", export.display());
    }
}
