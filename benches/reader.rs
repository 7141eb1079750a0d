//! Reader benchmarks: laying out and drawing a 100 KB article at 200×50,
//! and opening an article or following a link in a 100,000-article library.
//! Run: `cargo bench --bench reader`.

use baca::core::article::{Article, Block, Link, LinkKind, Meta};
use baca::core::library::Library;
use baca::tui::app::App;
use baca::tui::document::Document;
use baca::tui::keymap::Keymap;
use baca::tui::update::{update, Msg};
use baca::tui::widgets::view;
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::hint::black_box;

const WORDS: &[&str] = &[
    "pemerintah",
    "warga",
    "kota",
    "perdamaian",
    "pasukan",
    "wilayah",
    "menurut",
    "presiden",
    "akan",
    "dan",
    "yang",
    "di",
    "dalam",
    "tahun",
    "setelah",
    "konflik",
    "bantuan",
    "ekonomi",
    "sejak",
    "para",
];

fn sentence(seed: usize, words: usize) -> String {
    let mut s: String = (0..words)
        .map(|i| WORDS[(seed * 7 + i * 13) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ");
    s.push('.');
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn link(title: String) -> Block {
    Block::Link(Link {
        text: format!("Baca juga: {title}"),
        marker: "Baca juga".into(),
        target: Some(title),
        kind: LinkKind::Article,
        glued: false,
    })
}

fn title(i: usize) -> String {
    format!("Artikel Nomor {i} tentang {}", WORDS[i % WORDS.len()])
}

/// A library of `n` small articles, each linking to the next, whose first
/// article is about 100 KB with a link every few paragraphs.
fn library(n: usize) -> Library {
    let mut articles: Vec<Article> = (0..n)
        .map(|i| Article {
            title: title(i),
            meta: Meta {
                date: Some("2020-11-16".into()),
                ..Meta::default()
            },
            blocks: vec![
                Block::Paragraph {
                    text: sentence(i, 30),
                },
                link(title((i + 1) % n)),
            ],
            problems: Vec::new(),
            origin: format!("gen/{i}.txt"),
        })
        .collect();
    let mut big = Vec::new();
    let mut size = 0;
    let mut i = 0;
    while size < 100_000 {
        let text = (0..4)
            .map(|k| sentence(i + k, 18))
            .collect::<Vec<_>>()
            .join(" ");
        size += text.len();
        big.push(Block::Paragraph { text });
        if i % 6 == 0 {
            big.push(Block::Heading {
                text: format!("Bagian {i}"),
            });
            big.push(link(title(i + 1)));
        }
        i += 1;
    }
    articles[0].blocks = big;
    Library::from_articles(articles, Vec::new())
}

fn benches(c: &mut Criterion) {
    let lib = library(100_000);
    let article = lib.article(baca::core::article::ArticleId(0));
    let out = &lib.graph.outgoing[0];
    c.bench_function("layout 100 KB article at width 100", |b| {
        b.iter(|| black_box(Document::build(article, out, 100)))
    });

    let mut app = App::new(lib, Keymap::defaults());
    update(&mut app, Msg::Resize(200, 50));
    baca::tui::update::open_article(&mut app, baca::core::article::ArticleId(0), false);
    update(&mut app, Msg::Resize(200, 50));
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("terminal");
    c.bench_function("draw a frame of a 100 KB article at 200x50", |b| {
        b.iter(|| term.draw(|f| view(f, &app)).map(|_| ()).expect("draw"))
    });

    c.bench_function("scroll a page and draw", |b| {
        b.iter(|| {
            update(&mut app, Msg::Act(baca::tui::action::Action::PageDown));
            term.draw(|f| view(f, &app)).map(|_| ()).expect("draw");
        })
    });

    // Opening: a fresh layout each time (a new text width defeats the
    // cache), as when an article is opened for the first time.
    let mut width = 60u16;
    c.bench_function("open the 100 KB article (100,000 articles)", |b| {
        b.iter(|| {
            width = if width >= 100 { 60 } else { width + 1 };
            app.text_width = width;
            baca::tui::update::open_article(&mut app, baca::core::article::ArticleId(0), true);
            black_box(app.document());
        })
    });
    app.text_width = 100;

    c.bench_function("follow a link (100,000 articles)", |b| {
        b.iter(|| {
            baca::tui::update::open_article(&mut app, baca::core::article::ArticleId(5), false);
            update(&mut app, Msg::Act(baca::tui::action::Action::NextLink));
            update(&mut app, Msg::Act(baca::tui::action::Action::Open));
            black_box(app.open)
        })
    });
}

criterion_group!(reader, benches);
criterion_main!(reader);
