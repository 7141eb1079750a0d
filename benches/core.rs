//! Criterion benchmarks of the core on generated libraries: parsing one
//! article (3 KB, 100 KB, and a 5 MB single line), loading a folder of
//! files, and building the title index and resolving every link. The
//! whole-process targets (10,000 articles in 0.3 s) are timed by
//! `benches/measure.sh`; `load/10000_files` is the same work in-process.

use baca::core::article::Article;
use baca::core::generate::{article_text, write_library};
use baca::core::library::Library;
use baca::core::links::TitleIndex;
use baca::core::parse::{parse_bytes, parse_str, ParseOptions};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

const SEED: u64 = 42;

/// The body of a generated article: its text after the front matter.
fn body(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).unwrap_or(text)
}

/// One article of about `bytes`: a generated article followed by the
/// bodies of the next ones.
fn long_article(bytes: usize) -> String {
    let mut text = article_text(SEED, 0, 1000).1;
    let mut i = 1;
    while text.len() < bytes {
        text.push_str(body(&article_text(SEED, i, 1000).1));
        i += 1;
    }
    text
}

/// About `bytes` of paragraphs, subheadings and inline links on one line,
/// as a careless HTML flattener leaves them.
fn single_line(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 4096);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&body(&article_text(SEED, i, 1000).1).replace('\n', " "));
        i += 1;
    }
    text
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    let inputs = [
        ("article_3k", article_text(SEED, 7, 1000).1, 100),
        ("article_100k", long_article(100 * 1024), 50),
        ("single_line_5mb", single_line(5 * 1024 * 1024), 10),
    ];
    for (name, text, samples) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.sample_size(*samples);
        g.bench_function(*name, |b| {
            b.iter(|| parse_bytes(black_box(text.as_bytes()), "x.txt", ParseOptions::default()))
        });
    }
    g.finish();
}

/// A generated library on disk, removed when dropped.
struct OnDisk {
    dir: tempfile::TempDir,
}

impl OnDisk {
    fn new(n: usize) -> OnDisk {
        let dir = tempfile::tempdir().expect("temporary folder");
        write_library(dir.path(), n, SEED).expect("write the generated library");
        OnDisk { dir }
    }

    fn paths(&self) -> Vec<PathBuf> {
        vec![self.dir.path().to_path_buf()]
    }
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(4));
    for n in [1000usize, 10_000] {
        let lib = OnDisk::new(n);
        let paths = lib.paths();
        // Warm the page cache: the target is about parsing, not the disk.
        assert_eq!(Library::load(&paths).len(), n);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("{n}_files"), |b| {
            b.iter(|| Library::load(black_box(&paths)))
        });
    }
    g.finish();
}

fn resolve(c: &mut Criterion) {
    let n = 10_000;
    let articles: Vec<Article> = (0..n)
        .map(|i| {
            let (name, text) = article_text(SEED, i, n);
            parse_str(&text, &name, ParseOptions::default())
        })
        .collect();
    let links: usize = articles.iter().map(|a| a.links().count()).sum();
    let mut g = c.benchmark_group("resolve");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("index_10000_titles", |b| {
        b.iter(|| TitleIndex::new(articles.iter().map(|a| a.title.as_str())))
    });
    g.throughput(Throughput::Elements(links as u64));
    g.bench_function("library_10000_articles", |b| {
        b.iter_batched(
            || articles.clone(),
            |a| Library::from_articles(a, Vec::new()),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

/// The checksum the start-up cache is checked with as it is read, over
/// the size of a 100,000-article library's cache (48 MB).
fn checksum(c: &mut Criterion) {
    let bytes: Vec<u8> = (0..48u64 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let mut g = c.benchmark_group("cache");
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(20);
    g.bench_function("checksum_48MB", |b| {
        b.iter(|| {
            let mut sum = baca::core::cache::Sum::default();
            // In blobs, as the cache holds them.
            for blob in bytes.chunks(20_000) {
                sum.add(blob);
            }
            sum.0
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1));
    targets = parse, load, resolve, checksum
}
criterion_main!(benches);
