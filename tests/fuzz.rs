//! Fuzzing that keeps running (issue 16): proptest targets for every reader
//! of outside or stored bytes. cargo-fuzz needs a nightly toolchain, which
//! this project does not assume, so the targets are property tests; each
//! checks invariants, not only "no panic": nothing that acts on a terminal
//! in what an importer gives, the words of plain prose kept, and what baca
//! writes read back the same or refused, never misread.
//!
//! CI runs a few cases of each. A long run:
//! `FUZZ_CASES=20000 cargo test --release --test fuzz -- --nocapture`.

use baca::core::article::{Article, Block};
use baca::core::import::{self, Format};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, TestRunner};
use std::path::PathBuf;

/// Cases per target: `FUZZ_CASES`, else a short run for CI.
fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48)
}

fn runner() -> TestRunner {
    // CI's short run draws the same cases every time, so it passes or
    // fails for the code, not for the luck of the draw; a long run
    // (`FUZZ_CASES`) draws new ones each time.
    let rng_seed = if std::env::var_os("FUZZ_CASES").is_some() {
        proptest::test_runner::RngSeed::Random
    } else {
        proptest::test_runner::RngSeed::Fixed(0x00ba_ca10)
    };
    TestRunner::new(RunConfig {
        cases: cases(),
        failure_persistence: None,
        rng_seed,
        ..RunConfig::default()
    })
}

/// Runs `test` on values of `strategy` and says how many ran.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let start = std::time::Instant::now();
    let mut runner = runner();
    if let Err(e) = runner.run(&strategy, test) {
        panic!("fuzz target {name}: {e}");
    }
    eprintln!("fuzz {name}: {} cases in {:.1?}", cases(), start.elapsed());
}

/// A character that acts on a terminal or hides text: what no article
/// string may hold once read.
fn is_terminal_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{2028}' | '\u{2029}')
}

/// Every string of `a` a command or the reader shows, with where it is.
fn shown_strings(a: &Article) -> Vec<(&'static str, &str)> {
    let mut out = vec![("title", a.title.as_str())];
    for (k, v) in [
        ("date", &a.meta.date),
        ("source", &a.meta.source),
        ("url", &a.meta.url),
        ("author", &a.meta.author),
    ] {
        out.extend(v.as_deref().map(|v| (k, v)));
    }
    out.extend(a.meta.tags.iter().map(|t| ("tag", t.as_str())));
    out.extend(
        a.meta
            .extra
            .iter()
            .flat_map(|(k, v)| [("extra key", k.as_str()), ("extra", v.as_str())]),
    );
    for b in &a.blocks {
        match b {
            Block::Heading { text } => out.push(("heading", text)),
            Block::Paragraph { text } => out.push(("paragraph", text)),
            Block::Link(l) => {
                out.push(("link text", &l.text));
                out.push(("link marker", &l.marker));
                out.extend(l.target.as_deref().map(|t| ("link target", t)));
            }
        }
    }
    out
}

fn assert_clean(a: &Article) -> Result<(), TestCaseError> {
    for (what, s) in shown_strings(a) {
        prop_assert!(
            !s.chars().any(is_terminal_control),
            "{what} holds a control character: {s:?}"
        );
    }
    Ok(())
}

/// Words of prose, and the hostile pieces spliced between them.
const WORDS: &[&str] = &[
    "banjir",
    "warga",
    "pasar",
    "harga",
    "cabai",
    "naik",
    "jalan",
    "kota",
    "pemerintah",
    "sekolah",
    "murid",
    "hujan",
    "deras",
    "sungai",
    "meluap",
    "petani",
    "panen",
];
const HOSTILE: &[&str] = &[
    "\u{1b}]52;c;cHduZWQ=\u{7}",
    "\u{1b}[21t",
    "\u{1b}c",
    "\u{1b}P1;2|x\u{1b}\\",
    "\u{9b}6n",
    "\u{9d}8;;http://x\u{9c}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
    "\u{7f}",
    "\u{0}",
    "\u{2028}",
    "\u{85}",
    "\t",
    "\r",
    "<",
    "&amp;",
    "#",
    "*",
    "`",
    "[",
    "]",
    "(",
    "---",
    "Baca juga:",
];

/// Text of lines made of words and hostile pieces.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(WORDS).prop_map(str::to_owned),
        1 => proptest::sample::select(HOSTILE).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    let line = proptest::collection::vec(piece, 0..12).prop_map(|p| p.join(" "));
    proptest::collection::vec(line, 0..10).prop_map(|l| l.join("\n"))
}

/// Raw bytes, or hostile text as bytes.
fn input_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600),
        hostile_text().prop_map(String::into_bytes),
    ]
}

/// Plain prose: lines of lowercase words, each ending with a full stop so
/// none is read as a subheading or a title.
fn prose() -> impl Strategy<Value = Vec<Vec<&'static str>>> {
    let line = proptest::collection::vec(proptest::sample::select(WORDS), 4..12);
    proptest::collection::vec(line, 1..6)
}

/// Every word of `lines` is in the article, in order, line by line.
fn keeps_words(a: &Article, lines: &[Vec<&str>]) -> Result<(), TestCaseError> {
    let mut all = a.title.clone();
    for b in &a.blocks {
        all.push(' ');
        all.push_str(b.text());
    }
    let got: Vec<&str> = all
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let want: Vec<&str> = lines.iter().flatten().copied().collect();
    prop_assert_eq!(
        got.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>(),
        want
    );
    Ok(())
}

/// `blocks` as the native writer promises to give them back (see
/// `core::import::native`): `glued`, which says whether a title's end was
/// a guess, is not compared, and a title listed under an earlier marker
/// ("Baca Juga: - Satu - Dua", or headlines under a bare "Baca Juga") comes
/// back as a link of its own line, marker written out.
fn unglued(blocks: &[Block]) -> Vec<Block> {
    let mut out = blocks.to_vec();
    for b in &mut out {
        if let Block::Link(l) = b {
            l.glued = false;
            let item = !l.text.to_lowercase().starts_with(&l.marker.to_lowercase());
            if item {
                if let Some(t) = &l.target {
                    l.text = format!("{}: {t}", l.marker);
                }
            }
        }
    }
    out
}

fn parse(bytes: &[u8], name: &str, format: Format) -> Option<Article> {
    import::parse_bytes(bytes, name, format).ok()
}

#[test]
fn fuzz_native() {
    fuzz("native", input_bytes(), |bytes| {
        if let Some(a) = parse(&bytes, "a.txt", Format::Native) {
            assert_clean(&a)?;
            // What baca writes for an article (`baca add`) reads back as
            // the same article.
            let text = import::native::to_native_text(&a);
            let back = parse(text.as_bytes(), "a.txt", Format::Native)
                .ok_or_else(|| TestCaseError::fail("its own text refused"))?;
            prop_assert_eq!(&back.title, &a.title, "{:?}", text);
            prop_assert_eq!(&back.meta, &a.meta, "{:?}", text);
            prop_assert_eq!(&unglued(&back.blocks), &unglued(&a.blocks), "{:?}", text);
        }
        Ok(())
    });
    fuzz("native prose", prose(), |lines| {
        let text: Vec<String> = lines.iter().map(|l| format!("{}.", l.join(" "))).collect();
        let text = format!("Judul\n{}", text.join("\n"));
        let a = parse(text.as_bytes(), "a.txt", Format::Native)
            .ok_or_else(|| TestCaseError::fail("prose refused"))?;
        prop_assert_eq!(&a.title, "Judul");
        let body: Vec<Vec<&str>> = lines.clone();
        let mut with_title = vec![vec!["judul"]];
        with_title.extend(body);
        keeps_words(&a, &with_title)
    });
}

#[test]
fn fuzz_markdown() {
    fuzz("markdown", input_bytes(), |bytes| {
        if let Some(a) = parse(&bytes, "a.md", Format::Markdown) {
            assert_clean(&a)?;
        }
        Ok(())
    });
    fuzz("markdown prose", prose(), |lines| {
        let paras: Vec<String> = lines.iter().map(|l| format!("{}.", l.join(" "))).collect();
        let text = format!("# Judul\n\n{}\n", paras.join("\n\n"));
        let a = parse(text.as_bytes(), "a.md", Format::Markdown)
            .ok_or_else(|| TestCaseError::fail("prose refused"))?;
        prop_assert_eq!(&a.title, "Judul");
        let mut with_title = vec![vec!["judul"]];
        with_title.extend(lines.clone());
        keeps_words(&a, &with_title)
    });
}

#[test]
fn fuzz_html() {
    let tags = proptest::sample::select(
        &[
            "<p>",
            "</p>",
            "<div>",
            "</div>",
            "<h1>",
            "</h1>",
            "<script>",
            "</script>",
            "<a href=x>",
            "</a>",
            "<br>",
            "<title>",
            "</title>",
            "<!--",
            "-->",
            "<article>",
            "</article>",
        ][..],
    );
    let page = proptest::collection::vec(
        prop_oneof![tags.prop_map(str::to_owned), hostile_text()],
        0..30,
    )
    .prop_map(|p| p.concat().into_bytes());
    fuzz("html", prop_oneof![input_bytes(), page], |bytes| {
        if let Some(a) = parse(&bytes, "a.html", Format::Html) {
            assert_clean(&a)?;
        }
        Ok(())
    });
}

/// A small library on disk, its cache and its stored index, once per run.
struct Stored {
    _dir: tempfile::TempDir,
    roots: Vec<PathBuf>,
    cache: baca::core::cache::CachePaths,
    lib_bytes: Vec<u8>,
    idx_bytes: Vec<u8>,
    fingerprint: u64,
}

fn stored() -> Stored {
    use baca::core::cache;
    use baca::core::search::SearchIndex;
    let dir = tempfile::tempdir().expect("temp dir");
    let lib = dir.path().join("lib");
    std::fs::create_dir(&lib).expect("mkdir");
    for (name, text) in [
        (
            "a.txt",
            "Banjir Melanda Kota\n\nHujan deras sejak pagi.\nBaca juga: Harga Cabai Naik\n",
        ),
        ("b.txt", "Harga Cabai Naik\n\nPasar ramai pembeli.\n"),
        ("c.md", "# Petani Panen Raya\n\nSawah menguning.\n"),
    ] {
        std::fs::write(lib.join(name), text).expect("write");
    }
    let roots = vec![lib];
    let cache = cache::CachePaths::new(&dir.path().join("cache"), &roots);
    let opened = cache::open(&roots, Some(&cache));
    assert!(opened.cache_problem.is_none());
    let fingerprint = cache::fingerprint(&opened.lib);
    SearchIndex::build(&opened.lib)
        .save(&cache.index, fingerprint)
        .expect("save index");
    Stored {
        lib_bytes: std::fs::read(&cache.library).expect("read cache"),
        idx_bytes: std::fs::read(&cache.index).expect("read index"),
        _dir: dir,
        roots,
        cache,
        fingerprint,
    }
}

/// A change to stored bytes: bits flipped, bytes set, cut short or grown.
#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Set(usize, u8),
    Cut(usize),
    Grow(Vec<u8>),
}

fn damage() -> impl Strategy<Value = Vec<Damage>> {
    let one = prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Damage::Flip(at, bits)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Damage::Set(at, b)),
        any::<usize>().prop_map(Damage::Cut),
        proptest::collection::vec(any::<u8>(), 1..16).prop_map(Damage::Grow),
    ];
    proptest::collection::vec(one, 1..4)
}

fn apply(bytes: &[u8], damage: &[Damage]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for d in damage {
        match d {
            Damage::Flip(at, bits) if !b.is_empty() => {
                let i = at % b.len();
                b[i] ^= bits;
            }
            Damage::Set(at, v) if !b.is_empty() => {
                let i = at % b.len();
                b[i] = *v;
            }
            Damage::Cut(at) => b.truncate(at % (b.len() + 1)),
            Damage::Grow(more) => b.extend_from_slice(more),
            _ => {}
        }
    }
    b
}

#[test]
fn fuzz_cache_reader() {
    use baca::core::cache;
    let s = stored();
    let want = cache::load(&s.cache.library, &s.roots).expect("the cache loads");
    fuzz("cache", damage(), |d| {
        let bytes = apply(&s.lib_bytes, &d);
        std::fs::write(&s.cache.library, &bytes).expect("write");
        match cache::load(&s.cache.library, &s.roots) {
            // Refused is right; read, it must be the library written.
            Err(_) => {}
            Ok(got) => {
                prop_assert_eq!(&bytes, &s.lib_bytes, "damaged bytes were read");
                prop_assert_eq!(got.len(), want.len());
                for id in want.ids() {
                    prop_assert_eq!(&got.article(id).title, &want.article(id).title);
                    prop_assert_eq!(&got.article(id).origin, &want.article(id).origin);
                }
                prop_assert_eq!(&got.graph.outgoing, &want.graph.outgoing);
            }
        }
        Ok(())
    });
}

#[test]
fn fuzz_index_reader() {
    use baca::core::search::SearchIndex;
    let s = stored();
    fuzz("index", damage(), |d| {
        let bytes = apply(&s.idx_bytes, &d);
        std::fs::write(&s.cache.index, &bytes).expect("write");
        if SearchIndex::load(&s.cache.index, s.fingerprint).is_ok() {
            prop_assert_eq!(&bytes, &s.idx_bytes, "damaged bytes were read");
        }
        Ok(())
    });
}

/// One change a user makes to the reading state.
#[derive(Debug, Clone)]
enum Op {
    Read(u8, bool),
    Bookmark(u8, bool),
    Position(u8, usize),
    Open(u8),
}

#[test]
fn fuzz_state_reader() {
    use baca::core::state::{State, STATE_FILE};
    // Any bytes as state.json: loaded or moved aside, never a panic, and
    // a save afterwards succeeds and reads back.
    let garbage = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "[{}\\[\\]\"a-z0-9:,.\\- ]{0,200}"
            .prop_map(|s| format!("{{\"version\":1,{s}").into_bytes()),
    ];
    fuzz("state garbage", garbage, |bytes| {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(STATE_FILE), &bytes).expect("write");
        let (mut state, _warnings) = State::load(dir.path());
        state.set_read("kunci", true);
        prop_assert!(state.save().is_ok());
        let (back, warnings) = State::load(dir.path());
        prop_assert!(warnings.is_empty(), "{:?}", warnings);
        prop_assert!(back.is_read("kunci"));
        Ok(())
    });
    let op = prop_oneof![
        (0u8..6, any::<bool>()).prop_map(|(k, v)| Op::Read(k, v)),
        (0u8..6, any::<bool>()).prop_map(|(k, v)| Op::Bookmark(k, v)),
        (0u8..6, 0usize..1000).prop_map(|(k, p)| Op::Position(k, p)),
        (0u8..6).prop_map(Op::Open),
    ];
    fuzz(
        "state round trip",
        proptest::collection::vec(op, 0..30),
        |ops| {
            let dir = tempfile::tempdir().expect("temp dir");
            let (mut state, _) = State::load(dir.path());
            let key = |k: u8| format!("artikel-{k}\u{202e}\"\\");
            for op in &ops {
                match *op {
                    Op::Read(k, v) => state.set_read(&key(k), v),
                    Op::Bookmark(k, v) => state.set_bookmark(&key(k), v),
                    Op::Position(k, p) => state.set_position(&key(k), p),
                    Op::Open(k) => state.record_open(&key(k)),
                }
            }
            prop_assert!(state.save().is_ok());
            let (back, warnings) = State::load(dir.path());
            prop_assert!(warnings.is_empty());
            for k in 0..6 {
                let k = key(k);
                prop_assert_eq!(back.is_read(&k), state.is_read(&k));
                prop_assert_eq!(back.is_bookmarked(&k), state.is_bookmarked(&k));
                prop_assert_eq!(back.position(&k), state.position(&k));
            }
            prop_assert_eq!(back.history(), state.history());
            prop_assert_eq!(back.last_open(), state.last_open());
            Ok(())
        },
    );
}

/// TOML-ish text: keys, values and brackets of every kind.
fn toml_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        proptest::sample::select(
            &[
                "library",
                "theme",
                "text_width",
                "layout",
                "[keys]",
                "[colors]",
                "quit",
                "down",
                "open",
                " = ",
                "\"",
                "[",
                "]",
                ",",
                "\n",
                "dark",
                "two",
                "150",
                "-1",
                "ctrl-c",
                "q",
                "\"x\"",
                "accent",
                "#ff0000",
                "\u{1b}[2J",
                "~/",
                "..",
            ][..]
        )
        .prop_map(str::to_owned),
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

#[test]
fn fuzz_config_parser() {
    use baca::core::config::Config;
    fuzz("config", toml_text(), |text| {
        match Config::parse(&text, std::path::Path::new("/etc/baca/config.toml")) {
            Ok(c) => prop_assert!((40..=200).contains(&c.text_width)),
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(!msg.is_empty());
            }
        }
        Ok(())
    });
}

#[cfg(feature = "tui")]
#[test]
fn fuzz_keymap_parser() {
    use baca::tui::action::Action;
    use baca::tui::keymap::Keymap;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    fuzz("keymap", toml_text(), |text| {
        if let Ok(k) = Keymap::with_user(&text) {
            // Never a keymap that locks the user in.
            let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
            prop_assert_eq!(k.action(&ctrl_c), Some(Action::Quit));
            prop_assert!(!k.keys(Action::Quit).is_empty());
        }
        Ok(())
    });
}
