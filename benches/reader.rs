//! Reader benchmarks (issue 3) on a generated library of 100,000 articles
//! read as the reader reads it (titles and links kept, text read back from
//! its file when shown), plus one article of about 100 KB:
//! - laying out and drawing the 100 KB article at 200×50;
//! - opening an article for the first time: its file read and parsed, laid
//!   out, and the frame drawn;
//! - following a link to an article not opened before, frame included.
//!
//! Run: `cargo bench --bench reader`. The library is the startup bench's
//! (`<target>/startup-libs/100000-seed1`, written here if missing).

#[path = "support/generated.rs"]
mod support;

use baca::core::article::ArticleId;
use baca::core::library::Library;
use baca::core::links::Resolution;
use baca::tui::action::Action;
use baca::tui::app::App;
use baca::tui::document::Document;
use baca::tui::keymap::Keymap;
use baca::tui::update::{open_article, update, Msg};
use baca::tui::widgets::view;
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ARTICLES: usize = 100_000;
const BIG_TITLE: &str = "Laporan Panjang Seratus Kilobita tentang Banjir";
/// More than the reader keeps read (256): opening this many others first
/// makes the next opening of an article read its file again.
const EVICT: usize = 300;

/// A folder beside the generated library holding one article of about
/// 100 KB: the bodies of generated articles one after another, with their
/// subheadings and links to the library's titles.
fn big_article(libs: &Path) -> PathBuf {
    let dir = libs.join("reader-bench-big");
    std::fs::create_dir_all(&dir).expect("bench folder");
    let mut text = format!("---\ntitle: {BIG_TITLE}\ndate: 2024-05-01\n---\n");
    let mut i = 0;
    while text.len() < 100_000 {
        let (_, article) = baca::core::generate::article_text(1, i, ARTICLES);
        let body = article.splitn(3, "---\n").nth(2).unwrap_or_default();
        text.push_str(body);
        i += 1;
    }
    std::fs::write(dir.join("laporan-panjang.txt"), text).expect("big article");
    dir
}

fn library() -> Library {
    let libs = support::target_dir()
        .expect("target dir")
        .join("startup-libs");
    let generated = support::generated(&libs, ARTICLES).expect("generated library");
    let t = Instant::now();
    let lib = baca::core::cache::read_all(&[generated, big_article(&libs)]);
    eprintln!("{} articles read in {:.1?}", lib.len(), t.elapsed());
    assert!(
        lib.is_heads(),
        "text is read back from files, as in the reader"
    );
    lib
}

/// Articles whose first link resolves, with that link's target.
fn linked(lib: &Library) -> Vec<(ArticleId, ArticleId)> {
    lib.ids()
        .filter_map(
            |id| match &lib.graph.outgoing[id.index()].first()?.resolution {
                Resolution::Resolved(to) => Some((id, *to)),
                _ => None,
            },
        )
        .collect()
}

fn benches(c: &mut Criterion) {
    let lib = library();
    let big = lib
        .ids()
        .find(|&i| lib.article(i).title == BIG_TITLE)
        .expect("the big article");
    let pairs = linked(&lib);
    let article = (*lib.full(big)).clone();
    let out = &lib.graph.outgoing[big.index()];
    c.bench_function("layout 100 KB article at width 100", |b| {
        b.iter(|| black_box(Document::build(&article, out, 100)))
    });

    let mut app = App::new(lib, Keymap::defaults());
    update(&mut app, Msg::Resize(200, 50));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    let mut draw = |app: &App| term.draw(|f| view(f, app)).map(|_| ()).expect("draw");
    open_article(&mut app, big, false);
    update(&mut app, Msg::Resize(200, 50));
    c.bench_function("draw a frame of a 100 KB article at 200x50", |b| {
        b.iter(|| draw(&app))
    });
    c.bench_function("scroll a page and draw", |b| {
        b.iter(|| {
            update(&mut app, Msg::Act(Action::PageDown));
            draw(&app);
        })
    });

    // Each opening is a first one: the next article of the library, not
    // among those the reader keeps, its file read, parsed and laid out.
    let mut next = 0usize;
    c.bench_function("open an article not opened before, and draw", |b| {
        b.iter(|| {
            next = (next + 7919) % ARTICLES;
            open_article(&mut app, ArticleId(next as u32), true);
            update(&mut app, Msg::Resize(200, 50));
            draw(&app);
        })
    });

    c.bench_function("open the 100 KB article from its file, and draw", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..EVICT {
                    next = (next + 7919) % ARTICLES;
                    open_article(&mut app, ArticleId(next as u32), false);
                    black_box(app.document());
                }
                let t = Instant::now();
                open_article(&mut app, big, true);
                update(&mut app, Msg::Resize(200, 50));
                draw(&app);
                total += t.elapsed();
            }
            total
        })
    });

    let mut k = 0usize;
    c.bench_function(
        "follow a link to an article not opened before, and draw",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    k = (k + 7919) % pairs.len();
                    let (from, to) = pairs[k];
                    open_article(&mut app, from, false);
                    update(&mut app, Msg::Resize(200, 50));
                    let t = Instant::now();
                    update(&mut app, Msg::Act(Action::NextLink));
                    update(&mut app, Msg::Act(Action::Open));
                    draw(&app);
                    total += t.elapsed();
                    assert_eq!(app.open.map(|v| v.id), Some(to), "the link was followed");
                }
                total
            })
        },
    );
}

criterion_group!(reader, benches);
criterion_main!(reader);
