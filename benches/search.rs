//! Search latency on a generated library (100,000 articles by default,
//! `BACA_BENCH_ARTICLES=N` to change): index build time and size, then
//! p50/p99 for every keystroke of typed queries, for the fuzzy headline
//! filter, and for highlighting an opened article.
//!
//! `cargo bench --bench search` (a plain binary: prints a table);
//! `BACA_BENCH_ONLY=filter` times the headline filter alone (no index) and
//! `BACA_BENCH_VERBOSE=1` prints its time for each key. Each line
//! gives wall-clock time and the CPU time of the calling thread: on a busy
//! machine the first includes waiting for a core, the second is what the
//! work costs (for the 2-thread filter it leaves out the helper thread).

use baca::core::article::ArticleId;
use baca::core::generate::article_text;
use baca::core::library::Library;
use baca::core::par;
use baca::core::parse::{parse_str, ParseOptions};
use baca::core::search::{find_in_article, matches_in, Query, SearchIndex, TitleFilter};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Queries typed key by key: every prefix is searched, as the prompt does.
const QUERIES: &[&str] = &[
    "perdamaian rusia",
    "pemerintah banjir",
    "presiden mengumumkan kebijakan",
    "\"penjaga perdamaian\"",
    "damai",
    "pemerintak",
    "harga beras naik",
    "kebakaran hutan kalimantan",
];

/// Headline filters typed key by key.
const FILTERS: &[&str] = &["perdamaian", "pres banjir", "gmp", "harga beras", "kota"];

const ROUNDS: usize = 3;
const LIMIT: usize = 50;

/// Nanoseconds of CPU this thread has used.
fn cpu_ns() -> Option<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a valid pointer.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    (rc == 0).then(|| ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64)
}

#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl Samples {
    fn time<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let c = cpu_ns();
        let t = Instant::now();
        let r = black_box(f());
        self.wall.push(t.elapsed());
        if let (Some(a), Some(b)) = (c, cpu_ns()) {
            self.cpu.push(Duration::from_nanos(b.saturating_sub(a)));
        }
        r
    }

    fn report(mut self, name: &str) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let pct = |v: &mut Vec<Duration>, p: f64| -> f64 {
            v.sort();
            if v.is_empty() {
                return f64::NAN;
            }
            ms(v[(((v.len() - 1) as f64) * p).round() as usize])
        };
        println!(
            "{name:<36} n={:<4} wall p50 {:>7.2} p99 {:>7.2} ms | cpu p50 {:>6.2} p99 {:>6.2} max {:>6.2} ms",
            self.wall.len(),
            pct(&mut self.wall, 0.5),
            pct(&mut self.wall, 0.99),
            pct(&mut self.cpu, 0.5),
            pct(&mut self.cpu, 0.99),
            pct(&mut self.cpu, 1.0),
        );
    }
}

fn prefixes(q: &str) -> impl Iterator<Item = &str> {
    q.char_indices().map(|(i, c)| &q[..i + c.len_utf8()])
}

fn main() {
    let n: usize = std::env::var("BACA_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let ids: Vec<usize> = (0..n).collect();
    let articles = par::map(&ids, |&i| {
        let (name, text) = article_text(42, i, n);
        let mut a = parse_str(&text, &name, ParseOptions::default());
        a.origin = name;
        a
    });
    // Search needs no link graph: skip resolving links.
    let mut lib = Library::default();
    lib.articles = articles;
    let text_bytes: usize = lib
        .articles
        .iter()
        .map(|a| a.title.len() + a.blocks.iter().map(|b| b.text().len()).sum::<usize>())
        .sum();
    println!(
        "library: {n} articles, {:.1} MB of title and text (generated and parsed in {:.1} s)",
        text_bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    let only_filter = std::env::var("BACA_BENCH_ONLY").is_ok_and(|v| v == "filter");
    if !only_filter {
        let index = SearchIndex::build(&lib);
        let s = index.stats();
        println!(
        "index: built in {:.2} s on {} threads, {:.1} MB ({:.0}% of the text), {} terms, {} postings",
        s.build_time.as_secs_f64(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        s.bytes as f64 / 1e6,
        100.0 * s.bytes as f64 / text_bytes.max(1) as f64,
        s.terms,
        s.postings
    );
        // The index as the reader stores it in the cache folder, and reads
        // it back at the next start instead of building it.
        let stored = std::env::temp_dir().join(format!("baca-bench-{}.idx", std::process::id()));
        let t = Instant::now();
        index.save(&stored, 1).expect("writing the index");
        let wrote = t.elapsed();
        let t = Instant::now();
        let back = SearchIndex::load(&stored, 1).expect("reading the index back");
        let read = t.elapsed();
        let size = std::fs::metadata(&stored).map_or(0, |m| m.len());
        let _ = std::fs::remove_file(&stored);
        drop(back);
        println!(
            "stored index: {:.1} MB, written in {:.2} s, read back (checked) in {:.2} s",
            size as f64 / 1e6,
            wrote.as_secs_f64(),
            read.as_secs_f64()
        );
        println!();
        for q in QUERIES {
            let r = index.search(&lib, &Query::parse(q), LIMIT);
            let top = r
                .hits
                .first()
                .map_or("-", |h| lib.article(h.id).title.as_str());
            println!("  {q:<32} {:>6} hits; top: {top}", r.total);
        }
        println!();

        let mut per_key = Samples::default();
        let mut parse = Samples::default();
        let mut rank = Samples::default();
        for _ in 0..ROUNDS {
            for q in QUERIES {
                for p in prefixes(q) {
                    per_key.time(|| index.search(&lib, &Query::parse(p), LIMIT));
                    let query = parse.time(|| Query::parse(p));
                    rank.time(|| index.search(&lib, &query, 0));
                }
            }
        }
        per_key.report("search, each keystroke (top 50)");
        parse.report("  of which: parse the query");
        rank.report("  of which: rank, no snippets");
        let q = Query::parse("perdamaian pemerintah");
        let hits = index.search(&lib, &q, LIMIT).hits;
        let mut highlight = Samples::default();
        let mut find = Samples::default();
        for h in &hits {
            let a = lib.article(h.id);
            highlight.time(|| matches_in(a, &q));
            find.time(|| find_in_article(a, "perdamaian"));
        }
        highlight.report("matches_in (open a hit)");
        find.report("find_in_article");
        live_updates(&mut lib, index);
    }

    let verbose = std::env::var("BACA_BENCH_VERBOSE").is_ok();
    for threads in [1, 2] {
        let mut filter = TitleFilter::with_threads(&lib, threads);
        // The headline list, kept from key to key as the reader keeps it.
        let mut list: Vec<ArticleId> = Vec::new();
        let mut typed = Samples::default();
        let mut fresh = Samples::default();
        for _ in 0..ROUNDS {
            for f in FILTERS {
                for p in prefixes(f) {
                    // What the user waits for, as the headline list does
                    // it: every match ranked into the list of ids it keeps,
                    // and the highlights of the rows on screen.
                    let n = typed.time(|| {
                        filter.filter_into(p, &mut list);
                        for &id in list.iter().take(LIMIT) {
                            black_box(filter.indices(id, p));
                        }
                        list.len()
                    });
                    if verbose {
                        println!(
                            "    {p:<16} {:>7} matches {:>6.2} ms wall {:>6.2} ms cpu",
                            n,
                            typed.wall.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
                            typed.cpu.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
                        );
                    }
                }
                for p in prefixes(f) {
                    let mut cold = TitleFilter::with_threads(&lib, threads);
                    fresh.time(|| cold.filter(p).len());
                }
            }
        }
        typed.report(&format!("headline filter, each key, {threads} thr"));
        fresh.report(&format!("headline filter, cold, {threads} thr"));
    }
}

// ------------------------------------------------------------ live updates

/// A new article for the live-update section: generated text another seed
/// gives, so its words are new mixes of the library's.
fn fresh_article(i: usize, n: usize) -> baca::core::article::Article {
    let (name, text) = article_text(43, i, n);
    let mut a = parse_str(&text, &name, ParseOptions::default());
    a.origin = name;
    a
}

/// Issue 5's live library, for search: the index updated after one
/// article is added, changed or removed (`SearchIndex::update`) instead of
/// built again, the updated index stored and read back, and typed queries
/// with a delta against none. The library is changed in memory (the
/// article is at hand, not read from a file) and put back as it was after.
fn live_updates(lib: &mut Library, whole: SearchIndex) {
    use baca::core::cache::Changes;
    let same = |m: usize| {
        (0..m as u32)
            .map(|i| Some(ArticleId(i)))
            .collect::<Vec<_>>()
    };
    let typed = |ix: &SearchIndex, lib: &Library, samples: &mut Samples| {
        for _ in 0..ROUNDS {
            for q in QUERIES {
                for p in prefixes(q) {
                    samples.time(|| ix.search(lib, &Query::parse(p), LIMIT));
                }
            }
        }
    };
    println!();
    let mut no_delta = Samples::default();
    typed(&whole, lib, &mut no_delta);

    let n = lib.len();
    let (mut add, mut change, mut remove) =
        (Samples::default(), Samples::default(), Samples::default());
    // (changed position, its article) and (removed position, its article),
    // to put the library back.
    let mut undo: Vec<(
        usize,
        baca::core::article::Article,
        usize,
        baca::core::article::Article,
    )> = Vec::new();
    let mut ix = whole
        .update(
            lib,
            &Changes {
                kept: same(n),
                added: Vec::new(),
            },
        )
        .expect("no change fits");
    for r in 0..5 {
        let m = lib.len();
        lib.articles.push(fresh_article(r, n));
        let changes = Changes {
            kept: same(m),
            added: vec![ArticleId(m as u32)],
        };
        ix = add
            .time(|| ix.update(lib, &changes))
            .expect("an addition fits");

        let k = (r * 7919 + 13) % n;
        let was = std::mem::replace(&mut lib.articles[k], fresh_article(100 + r, n));
        let mut kept = same(m + 1);
        kept[k] = None;
        let changes = Changes {
            kept,
            added: vec![ArticleId(k as u32)],
        };
        ix = change
            .time(|| ix.update(lib, &changes))
            .expect("a change fits");

        let p = (r * 4001 + 29) % n;
        let gone = lib.articles.remove(p);
        let kept = (0..m + 1)
            .map(|i| match i.cmp(&p) {
                std::cmp::Ordering::Less => Some(ArticleId(i as u32)),
                std::cmp::Ordering::Equal => None,
                std::cmp::Ordering::Greater => Some(ArticleId(i as u32 - 1)),
            })
            .collect();
        let changes = Changes {
            kept,
            added: Vec::new(),
        };
        ix = remove
            .time(|| ix.update(lib, &changes))
            .expect("a removal fits");
        undo.push((k, was, p, gone));
    }
    add.report("index update: one article added");
    change.report("index update: one article changed");
    remove.report("index update: one article removed");

    // Stored as the reader does: the base once, then each update as a
    // delta beside it.
    let stored = std::env::temp_dir().join(format!("baca-bench-{}-live.idx", std::process::id()));
    whole.save(&stored, 1).expect("writing the index");
    let t = Instant::now();
    ix.save(&stored, 2).expect("writing the update");
    let wrote = t.elapsed();
    let delta = PathBuf::from(format!("{}-delta", stored.display()));
    let size = std::fs::metadata(&delta).map_or(0, |m| m.len());
    let t = Instant::now();
    let back = SearchIndex::load(&stored, 2).expect("reading the update back");
    let read = t.elapsed();
    drop(back);
    let _ = std::fs::remove_file(&stored);
    let _ = std::fs::remove_file(&delta);
    println!(
        "updated index stored: delta {:.1} kB written in {:.1} ms; read back with its base (checked) in {:.2} s",
        size as f64 / 1e3,
        wrote.as_secs_f64() * 1e3,
        read.as_secs_f64()
    );

    let mut small = Samples::default();
    typed(&ix, lib, &mut small);
    let s = ix.stats();
    println!(
        "queries with a delta of {} articles and {} gone:",
        s.delta_articles, s.gone
    );
    no_delta.report("  search, each keystroke, no delta");
    small.report("  search, each keystroke, small delta");

    // The largest delta before a whole build is due: a tenth of the base.
    let m = lib.len();
    let more = n / 10 - s.delta_articles - s.gone;
    let ids: Vec<usize> = (0..more).collect();
    lib.articles
        .extend(par::map(&ids, |&i| fresh_article(1000 + i, n)));
    let changes = Changes {
        kept: same(m),
        added: (m..m + more).map(|i| ArticleId(i as u32)).collect(),
    };
    let t = Instant::now();
    let big = ix.update(lib, &changes).expect("additions fit");
    println!(
        "index update: {more} articles added at once in {:.2} s (a whole build is due after: {})",
        t.elapsed().as_secs_f64(),
        big.wants_rebuild()
    );
    drop(ix);
    let mut large = Samples::default();
    typed(&big, lib, &mut large);
    large.report(&format!(
        "  search, each keystroke, delta {}",
        big.stats().delta_articles
    ));
    drop(big);

    lib.articles.truncate(m);
    for (k, was, p, gone) in undo.into_iter().rev() {
        lib.articles.insert(p, gone);
        lib.articles[k] = was;
        lib.articles.pop();
    }
    assert_eq!(lib.len(), n);
}
