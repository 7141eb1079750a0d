//! The search index updated in place when the library changes
//! (`SearchIndex::update`): after files are added, changed or removed, it
//! finds what an index built from scratch on the new library finds, ranks
//! the same way where its statistics are exact (articles only added), never
//! returns a removed article, and survives being stored and read back.

use baca::core::cache::{self, Changes};
use baca::core::library::Library;
use baca::core::search::{Query, Results, SearchIndex};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Writes a native article; the time is moved on so that a rewrite is seen
/// as a change even within the file system's time step.
fn write(dir: &Path, name: &str, title: &str, date: &str, body: &str) {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!("---\ntitle: {title}\ndate: {date}\n---\n{body}\n"),
    )
    .expect("write fixture");
    touch(&path);
}

fn touch(path: &Path) {
    static STEP: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let step = STEP.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let when = SystemTime::now() + Duration::from_secs(step * 10);
    std::fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(when))
        .expect("set the modification time");
}

/// Six articles about a flood in five files (one a JSON Lines export of
/// two), with words shared between them so frequencies matter.
fn library() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("lib");
    std::fs::create_dir(&dir).expect("mkdir");
    write(
        &dir,
        "a.txt",
        "Banjir Rendam Jakarta Utara",
        "2024-01-05",
        "Banjir setinggi satu meter merendam rumah warga di Pluit.\n\
         Pompa air dinyalakan sejak pagi.",
    );
    write(
        &dir,
        "b.txt",
        "Harga Beras Naik Lagi",
        "2024-01-06",
        "Harga beras di pasar naik. Pedagang mengeluh kepada pemerintah.",
    );
    write(
        &dir,
        "c.txt",
        "Gempa Guncang Cianjur",
        "2024-01-07",
        "Warga mengungsi ke lapangan. Pemerintah mengirim tenda dan air bersih.",
    );
    write(
        &dir,
        "d.txt",
        "Pompa Air Pluit Diperbaiki",
        "2024-01-08",
        "Petugas memperbaiki pompa air di Pluit agar banjir cepat surut.",
    );
    std::fs::write(
        dir.join("e.jsonl"),
        "{\"title\": \"Sekolah Diliburkan Karena Banjir\", \"date\": \"2024-01-09\", \
         \"body\": \"Murid belajar di rumah selama banjir.\"}\n\
         {\"title\": \"Listrik Padam di Bekasi\", \"date\": \"2024-01-10\", \
         \"body\": \"Gardu terendam air banjir. Warga menunggu.\"}\n",
    )
    .expect("write fixture");
    (tmp, dir)
}

fn refresh(lib: &Library) -> (Library, Changes) {
    cache::refresh(lib).expect("the library changed")
}

/// Queries typed key by key, as the prompt searches them; last words
/// of three letters or less are left out, since which short prefixes are
/// read from a precomputed union depends on when the base was built.
const QUERIES: &[&str] = &[
    "banjir",
    "banjir ",
    "air ",
    "pompa air",
    "\"pompa air\"",
    "warga pluit",
    "pemerintah",
    "mengungsi",
    "kembali",
    "rumah warga",
    "mengungsj",
    "rendam",
    "harga beras",
    "gardu",
    "susulan gempa",
];

/// The library read again after its files changed, and the index updated
/// to it.
fn reloaded(lib: &Library, ix: &SearchIndex) -> (Library, SearchIndex) {
    let (lib, changes) = refresh(lib);
    let ix = ix
        .update(&lib, &changes)
        .expect("the changes fit the index");
    (lib, ix)
}

fn typed() -> Vec<&'static str> {
    let mut out = Vec::new();
    for q in QUERIES {
        for (i, c) in q.char_indices() {
            let p = &q[..i + c.len_utf8()];
            let last = p.rsplit([' ', '"']).next().unwrap_or("");
            if last.is_empty() || last.chars().count() >= 4 {
                out.push(p);
            }
        }
    }
    out
}

fn search(ix: &SearchIndex, lib: &Library, q: &str) -> Results {
    ix.search(lib, &Query::parse(q), 100)
}

fn ids(r: &Results) -> Vec<u32> {
    r.hits.iter().map(|h| h.id.0).collect()
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

/// The updated index finds what a fresh build finds; with `exact`, in the
/// same order, with the same scores and snippets.
fn assert_like_fresh(updated: &SearchIndex, lib: &Library, exact: bool) {
    let fresh = SearchIndex::build(lib);
    assert_eq!(updated.len(), lib.len());
    let mut found = 0;
    for q in typed() {
        let (want, got) = (search(&fresh, lib, q), search(updated, lib, q));
        found += usize::from(want.total > 0);
        assert_eq!(got.total, want.total, "{q:?}: how many match");
        if exact {
            assert_eq!(
                ids(&got),
                ids(&want),
                "{q:?}: the same hits in the same order"
            );
            for (g, w) in got.hits.iter().zip(&want.hits) {
                assert!(
                    (g.score - w.score).abs() <= 1e-4 * w.score.abs().max(1.0),
                    "{q:?}: score {} against {}",
                    g.score,
                    w.score
                );
                assert_eq!(g.title_match, w.title_match, "{q:?}");
                assert_eq!(g.snippet, w.snippet, "{q:?}");
                assert_eq!(g.snippet_highlights, w.snippet_highlights, "{q:?}");
            }
        } else {
            assert_eq!(
                sorted(ids(&got)),
                sorted(ids(&want)),
                "{q:?}: the same hits"
            );
        }
    }
    assert!(found > 10, "the queries find things ({found})");
}

fn titled(lib: &Library, title: &str) -> Option<u32> {
    lib.ids()
        .find(|&id| lib.article(id).title == title)
        .map(|id| id.0)
}

#[test]
fn added_articles_rank_exactly_as_a_fresh_build() {
    let (_tmp, dir) = library();
    let lib = cache::read_all(std::slice::from_ref(&dir));
    let ix = SearchIndex::build(&lib);

    write(
        &dir,
        "f.txt",
        "Warga Pluit Kembali ke Rumah",
        "2024-01-11",
        "Air surut dan warga kembali. Pompa air masih bekerja di Pluit.",
    );
    let (lib, changes) = refresh(&lib);
    assert_eq!(changes.added.len(), 1);
    let ix = ix
        .update(&lib, &changes)
        .expect("the changes fit the index");
    assert_eq!(ix.stats().delta_articles, 1);
    assert_like_fresh(&ix, &lib, true);
    let new = titled(&lib, "Warga Pluit Kembali ke Rumah").expect("added");
    assert_eq!(ids(&search(&ix, &lib, "kembali")), [new]);
    assert_eq!(
        ids(&search(&ix, &lib, "\"masih bekerja\"")),
        [new],
        "a phrase in the delta"
    );

    // A second one: the first is carried into the new delta.
    write(
        &dir,
        "a0.txt",
        "Bantuan Tiba di Pluit",
        "2024-01-12",
        "Relawan membawa air bersih dan selimut untuk warga yang kembali.",
    );
    let (lib, ix) = reloaded(&lib, &ix);
    assert_eq!(ix.stats().delta_articles, 2);
    assert_like_fresh(&ix, &lib, true);
    assert_eq!(search(&ix, &lib, "kembali").total, 2);
}

#[test]
fn changed_and_removed_articles_are_found_as_they_are_now() {
    let (_tmp, dir) = library();
    let lib = cache::read_all(std::slice::from_ref(&dir));
    let ix = SearchIndex::build(&lib);

    // Changed: the old text is not found, the new one is.
    write(
        &dir,
        "c.txt",
        "Gempa Susulan Guncang Cianjur",
        "2024-01-12",
        "Warga kembali mengungsi. Pemerintah menambah tenda, air bersih dan pompa air.",
    );
    let (lib, ix) = reloaded(&lib, &ix);
    assert_eq!(ix.stats().gone, 1);
    assert_like_fresh(&ix, &lib, false);
    assert_eq!(
        search(&ix, &lib, "lapangan").total,
        0,
        "the old text is gone"
    );
    let c = titled(&lib, "Gempa Susulan Guncang Cianjur").expect("changed");
    assert_eq!(ids(&search(&ix, &lib, "susulan")), [c]);

    // Removed: one file, then an export of two articles.
    std::fs::remove_file(dir.join("b.txt")).expect("remove");
    let (lib, ix) = reloaded(&lib, &ix);
    assert_like_fresh(&ix, &lib, false);
    assert_eq!(search(&ix, &lib, "pedagang").total, 0);
    std::fs::remove_file(dir.join("e.jsonl")).expect("remove");
    let (lib, ix) = reloaded(&lib, &ix);
    assert_like_fresh(&ix, &lib, false);
    assert_eq!(ix.len(), 3);
    for q in ["pedagang", "gardu", "sekolah", "lapangan", "bekasi"] {
        assert_eq!(search(&ix, &lib, q).total, 0, "{q:?} was removed");
    }
    // Every hit is an article of the library now, once.
    for q in typed() {
        let got = ids(&search(&ix, &lib, q));
        assert!(got.iter().all(|&id| (id as usize) < lib.len()), "{q:?}");
        let mut unique = got.clone();
        unique.dedup();
        assert_eq!(sorted(unique).len(), got.len(), "{q:?}: no article twice");
    }
}

/// An article in the delta changed again, then removed: the delta is made
/// anew from what survives of it.
#[test]
fn the_delta_drops_what_changes_again() {
    let (_tmp, dir) = library();
    let lib = cache::read_all(std::slice::from_ref(&dir));
    let mut ix = SearchIndex::build(&lib);
    let mut lib = lib;
    let bodies = [
        "Air surut pelan pelan di Pluit.",
        "Warga kembali membersihkan rumah dari lumpur banjir.",
        "Lumpur tebal menutup jalan, pompa air bekerja lagi.",
    ];
    for (i, body) in bodies.iter().enumerate() {
        write(&dir, "f.txt", "Kabar Pluit Hari Ini", "2024-01-11", body);
        write(
            &dir,
            &format!("g{i}.txt"),
            &format!("Catatan Relawan {i}"),
            "2024-01-12",
            "Relawan mencatat kebutuhan warga.",
        );
        (lib, ix) = reloaded(&lib, &ix);
        assert_like_fresh(&ix, &lib, false);
        assert_eq!(ix.stats().delta_articles, 2 + i, "one f, and each g");
    }
    assert_eq!(search(&ix, &lib, "lumpur").total, 1);
    assert_eq!(search(&ix, &lib, "pelan").total, 0, "an old version of f");
    std::fs::remove_file(dir.join("f.txt")).expect("remove");
    let (lib, ix) = reloaded(&lib, &ix);
    assert_like_fresh(&ix, &lib, false);
    assert_eq!(ix.stats().delta_articles, 3, "the three g");
    assert_eq!(search(&ix, &lib, "lumpur").total, 0);
    assert_eq!(search(&ix, &lib, "relawan").total, 3);
}

/// Two reloads missed by an index (it was busy) are applied at once.
#[test]
fn composed_changes_update_like_each_in_turn() {
    let (_tmp, dir) = library();
    let lib0 = cache::read_all(std::slice::from_ref(&dir));
    let ix = SearchIndex::build(&lib0);
    write(
        &dir,
        "f.txt",
        "Warga Pluit Kembali ke Rumah",
        "2024-01-11",
        "Air surut dan warga kembali.",
    );
    let (lib1, first) = refresh(&lib0);
    write(
        &dir,
        "f.txt",
        "Warga Pluit Kembali ke Rumah",
        "2024-01-11",
        "Air sudah surut dan warga kembali membersihkan rumah.",
    );
    write(
        &dir,
        "g.txt",
        "Gardu Baru",
        "2024-01-13",
        "Gardu listrik diganti.",
    );
    std::fs::remove_file(dir.join("b.txt")).expect("remove");
    let (lib2, next) = refresh(&lib1);
    let both = first.then(&next);
    assert_eq!(both.kept.len(), lib0.len());
    let at_once = ix.update(&lib2, &both).expect("the changes fit the index");
    let in_turn = ix
        .update(&lib1, &first)
        .and_then(|ix| ix.update(&lib2, &next))
        .expect("the changes fit the index");
    assert_like_fresh(&at_once, &lib2, false);
    for q in typed() {
        assert_eq!(
            search(&at_once, &lib2, q),
            search(&in_turn, &lib2, q),
            "{q:?}"
        );
    }
    // Changes that do not lead from the index's library are refused.
    assert_ne!(lib0.len(), lib1.len());
    assert!(ix.update(&lib2, &next).is_none());
}

#[test]
fn a_stored_updated_index_is_reused_and_damage_refused() {
    let (tmp, dir) = library();
    let lib = cache::read_all(std::slice::from_ref(&dir));
    let paths = cache::CachePaths::new(&tmp.path().join("cache"), std::slice::from_ref(&dir));
    let ix = SearchIndex::build(&lib);
    ix.save(&paths.index, cache::fingerprint(&lib))
        .expect("save");

    write(
        &dir,
        "f.txt",
        "Warga Pluit Kembali ke Rumah",
        "2024-01-11",
        "Air surut dan warga kembali.",
    );
    std::fs::remove_file(dir.join("b.txt")).expect("remove");
    let (lib, ix) = reloaded(&lib, &ix);
    let key = cache::fingerprint(&lib);
    ix.save(&paths.index, key).expect("save the update");
    let back = SearchIndex::load(&paths.index, key).expect("the update is read back");
    assert_eq!(back.len(), lib.len());
    for q in typed() {
        assert_eq!(search(&back, &lib, q), search(&ix, &lib, q), "{q:?}");
    }
    assert!(
        SearchIndex::load(&paths.index, key ^ 1).is_err(),
        "not for another library"
    );

    // Every file beside the base, damaged anywhere, is refused.
    let stored: Vec<PathBuf> = std::fs::read_dir(paths.index.parent().expect("a folder"))
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    assert_eq!(stored.len(), 2, "the base and its delta: {stored:?}");
    for file in &stored {
        let good = std::fs::read(file).expect("read");
        for at in [good.len() / 3, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x04;
            std::fs::write(file, &bad).expect("write");
            assert!(
                SearchIndex::load(&paths.index, key).is_err(),
                "{}: byte {at} flipped",
                file.display()
            );
        }
        std::fs::write(file, &good[..good.len() - 5]).expect("write");
        assert!(SearchIndex::load(&paths.index, key).is_err(), "truncated");
        std::fs::write(file, &good).expect("write");
        assert!(SearchIndex::load(&paths.index, key).is_ok());
    }
}
