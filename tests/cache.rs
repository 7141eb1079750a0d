//! The start-up cache (`core::cache`) and the stored search index: a
//! library opened from the cache, or refreshed after its files changed, is
//! the library a full read gives; damaged or stale files are rebuilt,
//! never trusted.

use baca::core::article::ArticleId;
use baca::core::cache::{self, CachePaths};
use baca::core::library::Library;
use baca::core::links::Resolution;
use baca::core::search::{Query, SearchIndex, StoreError};
use std::path::{Path, PathBuf};

/// A small library of every shape: native articles linking each other, an
/// inline link glued into a paragraph, a JSON Lines export with a bad
/// line, a JSON array and a binary file.
fn write_library(dir: &Path) {
    let files: &[(&str, &str)] = &[
        (
            "a.txt",
            "---\ntitle: Gencatan Senjata Disepakati\ndate: 2020-11-10\n---\n\
             Kedua pihak sepakat berhenti menembak.\n\
             ## Isi kesepakatan\n\
             Pasukan penjaga ditempatkan di koridor.\n\
             Baca juga: Koridor Lachin Dijaga Ketat\n\
             Baca juga: Pengungsi Mulai Pulang ke Rumah",
        ),
        (
            "b.txt",
            "---\ntitle: Koridor Lachin Dijaga Ketat\ndate: 2020-11-12\n---\n\
             Jalan itu menjadi satu-satunya penghubung. Baca juga: Gencatan Senjata \
             Disepakati Warga menyambut kabar itu dengan hati-hati.",
        ),
        (
            "export.jsonl",
            "{\"title\": \"Harga Roti Naik di Stepanakert\", \"date\": \"2020-11-20\", \
             \"body\": \"Toko roti kehabisan tepung.\\nBaca juga: Koridor Lachin Dijaga Ketat\"}\n\
             this line is not JSON\n\
             {\"title\": \"Sekolah Dibuka Kembali\", \"date\": \"2020-11-25\", \
             \"body\": \"Murid kembali ke kelas.\"}\n",
        ),
        (
            "pair.json",
            "[{\"title\": \"Listrik Menyala Lagi\", \"body\": \"Gardu diperbaiki.\"}, \
             {\"title\": \"Air Bersih Mengalir\", \"body\": \"Pipa disambung.\"}]",
        ),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }
    std::fs::write(dir.join("gambar.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0").expect("write");
}

struct Fixture {
    _tmp: tempfile::TempDir,
    lib: PathBuf,
    cache: CachePaths,
}

fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lib = tmp.path().join("library");
    std::fs::create_dir(&lib).expect("mkdir");
    write_library(&lib);
    let cache = CachePaths::new(&tmp.path().join("cache"), std::slice::from_ref(&lib));
    Fixture {
        _tmp: tmp,
        lib,
        cache,
    }
}

/// `got` (a library of heads) holds what `want` (a full read) holds.
fn assert_same(got: &Library, want: &Library) {
    assert!(got.is_heads());
    assert_eq!(got.len(), want.len());
    for id in want.ids() {
        let (g, w) = (got.article(id), want.article(id));
        assert_eq!(g.title, w.title);
        assert_eq!(g.meta, w.meta);
        assert_eq!(g.origin, w.origin);
        assert!(g.blocks.is_empty(), "a head keeps no blocks");
        assert_eq!(got.full(id).blocks, w.blocks, "{} read back", w.title);
    }
    assert_eq!(got.graph.outgoing, want.graph.outgoing);
    assert_eq!(got.graph.backlinks, want.graph.backlinks);
    assert_eq!(got.problems, want.problems);
}

fn id_titled(lib: &Library, title: &str) -> ArticleId {
    lib.ids()
        .find(|&id| lib.article(id).title == title)
        .unwrap_or_else(|| panic!("no article titled {title}"))
}

#[test]
fn the_cache_gives_back_the_library_a_full_read_gives() {
    let f = fixture();
    let roots = [f.lib.clone()];
    let want = Library::load(&roots);
    assert_eq!(want.len(), 6, "two articles, two export lines, a pair");
    assert!(
        want.problems.iter().any(|p| p.message.contains("binary")),
        "{:?}",
        want.problems
    );
    // The glued inline link ends where the library's title ends.
    let b = id_titled(&want, "Koridor Lachin Dijaga Ketat");
    let to_a = Resolution::Resolved(id_titled(&want, "Gencatan Senjata Disepakati"));
    assert_eq!(want.graph.outgoing[b.index()][0].resolution, to_a);

    let first = cache::open(&roots, Some(&f.cache));
    assert!(!first.from_cache);
    assert!(first.cache_problem.is_none(), "{:?}", first.cache_problem);
    assert!(f.cache.library.is_file(), "the cache is written");
    assert_same(&first.lib, &want);

    let second = cache::open(&roots, Some(&f.cache));
    assert!(second.from_cache, "{:?}", second.cache_problem);
    assert_same(&second.lib, &want);
    assert!(cache::refresh(&second.lib).is_none(), "nothing changed");
}

#[test]
fn refresh_rereads_what_changed_and_resolves_links_again() {
    let f = fixture();
    let roots = [f.lib.clone()];
    let lib = cache::open(&roots, Some(&f.cache)).lib;
    let a = id_titled(&lib, "Gencatan Senjata Disepakati");
    assert_eq!(
        lib.graph.outgoing[a.index()][1].resolution.status(),
        "broken",
        "no article is titled like the second link yet"
    );

    // Added: the article the broken link names.
    std::fs::write(
        f.lib.join("c.md"),
        "---\ntitle: Pengungsi Mulai Pulang ke Rumah\n---\n\nBus pertama tiba.\n",
    )
    .expect("write");
    let before = lib;
    let (lib, changes) = cache::refresh(&before).expect("a file was added");
    let c = id_titled(&lib, "Pengungsi Mulai Pulang ke Rumah");
    assert_eq!(changes.added, vec![c], "only the new file was read");
    for old in before.ids() {
        let new = changes.new_id(old).expect("every old article was kept");
        assert_eq!(lib.article(new).title, before.article(old).title);
    }
    let want = Library::load(&roots);
    assert_same(&lib, &want);
    let a = id_titled(&lib, "Gencatan Senjata Disepakati");
    let c = id_titled(&lib, "Pengungsi Mulai Pulang ke Rumah");
    assert_eq!(
        lib.graph.outgoing[a.index()][1].resolution,
        Resolution::Resolved(c)
    );
    assert!(lib.graph.backlinks[c.index()].contains(&a));

    // A link resolved to an article titled exactly so keeps no copy of
    // the title; what it names is that article's title.
    let out = &lib.graph.outgoing[a.index()][0];
    assert_eq!(out.target, None);
    assert_eq!(lib.named(out), Some("Koridor Lachin Dijaga Ketat"));

    // Changed: a new title, so the link to the old one breaks.
    std::fs::write(
        f.lib.join("b.txt"),
        "---\ntitle: Jalan Koridor Dibuka untuk Umum\n---\nTruk pertama lewat.",
    )
    .expect("write");
    let before = lib;
    let (lib, changes) = cache::refresh(&before).expect("a file changed");
    let b_old = id_titled(&before, "Koridor Lachin Dijaga Ketat");
    assert_eq!(
        changes.new_id(b_old),
        None,
        "a changed file's articles are new"
    );
    assert_eq!(
        changes.added,
        vec![id_titled(&lib, "Jalan Koridor Dibuka untuk Umum")]
    );
    assert_same(&lib, &Library::load(&roots));
    let a = id_titled(&lib, "Gencatan Senjata Disepakati");
    let out = &lib.graph.outgoing[a.index()][0];
    assert_eq!(out.resolution.status(), "broken");
    assert_eq!(out.target.as_deref(), Some("Koridor Lachin Dijaga Ketat"));

    // Removed.
    std::fs::remove_file(f.lib.join("pair.json")).expect("remove");
    let (lib, _) = cache::refresh(&lib).expect("a file was removed");
    assert_same(&lib, &Library::load(&roots));
    assert!(!lib
        .ids()
        .any(|id| lib.article(id).title == "Air Bersih Mengalir"));
    assert!(cache::refresh(&lib).is_none());
}

/// A link carrying a URL keeps it through the cache, and an article saved
/// later with that URL is what it names after a refresh, whatever the
/// link's title says.
#[test]
fn a_link_by_url_survives_the_cache_and_meets_an_article_added_later() {
    let f = fixture();
    std::fs::write(
        f.lib.join("url.txt"),
        "---\ntitle: Tautan Dengan Alamat\n---\nIsi.\nBaca juga: [Judul Tidak Sama](https://www.contoh.test/a/1)\n",
    )
    .expect("write");
    let roots = [f.lib.clone()];
    let first = cache::open(&roots, Some(&f.cache)).lib;
    let lib = cache::open(&roots, Some(&f.cache)).lib;
    assert_same(&lib, &Library::load(&roots));
    drop(first);
    let from = id_titled(&lib, "Tautan Dengan Alamat");
    assert_eq!(
        lib.graph.outgoing[from.index()][0].resolution.status(),
        "broken"
    );

    std::fs::write(
        f.lib.join("target.txt"),
        "---\ntitle: Sesuatu yang Lain Sama Sekali\nurl: http://contoh.test/a/1/\n---\nIsi.\n",
    )
    .expect("write");
    let (lib, _) = cache::refresh(&lib).expect("a file was added");
    assert_same(&lib, &Library::load(&roots));
    let from = id_titled(&lib, "Tautan Dengan Alamat");
    assert_eq!(
        lib.graph.outgoing[from.index()][0].resolution,
        Resolution::Resolved(id_titled(&lib, "Sesuatu yang Lain Sama Sekali"))
    );
}

#[test]
fn a_damaged_cache_is_rebuilt_not_trusted() {
    let f = fixture();
    let roots = [f.lib.clone()];
    let want = Library::load(&roots);
    cache::open(&roots, Some(&f.cache));
    let good = std::fs::read(&f.cache.library).expect("cache written");
    let damaged: Vec<Vec<u8>> = vec![
        b"not a cache at all".to_vec(),
        good[..good.len() / 2].to_vec(),
        {
            let mut bytes = good.clone();
            // Past the magic: a count or a length.
            bytes[9] ^= 0xff;
            bytes
        },
        Vec::new(),
    ];
    for bytes in damaged {
        std::fs::write(&f.cache.library, &bytes).expect("damage");
        let opened = cache::open(&roots, Some(&f.cache));
        assert!(!opened.from_cache);
        assert_same(&opened.lib, &want);
        // Rewritten whole: the next start uses it.
        assert!(cache::open(&roots, Some(&f.cache)).from_cache);
    }
}

#[test]
fn every_single_bit_flip_in_the_cache_is_refused() {
    use baca::core::cache::CacheError;
    let f = fixture();
    let roots = [f.lib.clone()];
    cache::open(&roots, Some(&f.cache));
    let good = std::fs::read(&f.cache.library).expect("cache written");
    assert!(cache::load(&f.cache.library, &roots).is_ok());
    // The format word is checked by value (an old format is stale, not
    // damaged); past it, every byte is under a length or a checksum.
    for at in (0..good.len()).filter(|&i| !(8..16).contains(&i)) {
        // Each bit position in turn, one flip a byte: the whole sweep
        // would only double the time.
        let bit = 1u8 << (at % 8);
        let mut bytes = good.clone();
        bytes[at] ^= bit;
        std::fs::write(&f.cache.library, &bytes).expect("damage");
        match cache::load(&f.cache.library, &roots) {
            Err(CacheError::Corrupt(_)) => {}
            other => panic!("byte {at} bit {bit:#x}: {other:?}"),
        }
    }
    let mut old = good.clone();
    old[8] ^= 1;
    std::fs::write(&f.cache.library, &old).expect("another format");
    assert!(matches!(
        cache::load(&f.cache.library, &roots),
        Err(CacheError::Stale)
    ));
}

#[test]
fn an_article_whose_file_went_away_says_so_when_shown() {
    let f = fixture();
    let roots = [f.lib.clone()];
    cache::open(&roots, Some(&f.cache));
    let lib = cache::open(&roots, Some(&f.cache)).lib;
    std::fs::remove_file(f.lib.join("a.txt")).expect("remove");
    let a = id_titled(&lib, "Gencatan Senjata Disepakati");
    let shown = lib.full(a);
    assert_eq!(shown.title, "Gencatan Senjata Disepakati");
    assert!(
        shown.blocks[0].text().contains("could not be read"),
        "{:?}",
        shown.blocks
    );
}

#[test]
fn the_stored_index_answers_like_the_built_one_and_refuses_damage() {
    let f = fixture();
    let roots = [f.lib.clone()];
    let lib = cache::open(&roots, Some(&f.cache)).lib;
    let built = SearchIndex::build(&lib);
    let key = cache::fingerprint(&lib);
    built.save(&f.cache.index, key).expect("save");
    let loaded = SearchIndex::load(&f.cache.index, key).expect("load");
    for q in [
        "koridor",
        "roti tepung",
        "\"penjaga ditempatkan\"",
        "disep",
        "air",
    ] {
        let q = Query::parse(q);
        let (a, b) = (built.search(&lib, &q, 10), loaded.search(&lib, &q, 10));
        assert!(a.total > 0, "{q:?} finds something");
        assert_eq!(a, b, "{q:?}");
    }
    assert!(matches!(
        SearchIndex::load(&f.cache.index, key ^ 1),
        Err(StoreError::Stale)
    ));
    let good = std::fs::read(&f.cache.index).expect("read");
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x10;
    std::fs::write(&f.cache.index, &flipped).expect("write");
    assert!(matches!(
        SearchIndex::load(&f.cache.index, key),
        Err(StoreError::Corrupt(_))
    ));
    std::fs::write(&f.cache.index, &good[..good.len() - 3]).expect("write");
    assert!(SearchIndex::load(&f.cache.index, key).is_err());
    std::fs::remove_file(&f.cache.index).expect("remove");
    assert!(matches!(
        SearchIndex::load(&f.cache.index, key),
        Err(StoreError::Missing)
    ));
}

/// `baca links` reads through `Library::load_links_only`: the links, their
/// blocks and where they lead are those of a full read, while paragraphs
/// without an inline link keep no text.
#[test]
fn a_links_only_read_keeps_every_link_and_drops_the_text() {
    let f = fixture();
    let roots = [f.lib.clone()];
    let full = Library::load(&roots);
    let lean = Library::load_links_only(&roots);
    assert_eq!(lean.graph.outgoing, full.graph.outgoing);
    assert_eq!(lean.problems, full.problems);
    let mut dropped = 0;
    for id in full.ids() {
        let (a, b) = (full.article(id), lean.article(id));
        assert_eq!(a.title, b.title);
        assert_eq!(a.blocks.len(), b.blocks.len());
        let links = |x: &baca::core::article::Article| {
            x.links().map(|(i, l)| (i, l.clone())).collect::<Vec<_>>()
        };
        assert_eq!(links(a), links(b));
        dropped += b
            .blocks
            .iter()
            .filter(|blk| blk.as_link().is_none() && blk.text().is_empty())
            .count();
    }
    assert!(dropped > 0, "some text was let go");
}

/// A refresh told which paths changed (as the reader's watcher tells it)
/// reads only those and resolves again only the links a new or removed
/// title can move; whatever changed, it must give what a full read gives.
/// A generated library has links of every kind between its articles:
/// resolved, broken (to articles not written yet), ambiguous and inline.
#[test]
fn a_refresh_told_what_changed_gives_what_a_full_read_gives() {
    use baca::core::generate::article_text;
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("library");
    let n = 240;
    let path_of = |i: usize| {
        let (name, _) = article_text(5, i, n);
        root.join(format!("{:02}", i % 7)).join(name)
    };
    let write = |i: usize, text: &str| {
        let p = path_of(i);
        std::fs::create_dir_all(p.parent().expect("folder")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
        p
    };
    // Every third article is left out at first: links to it are broken.
    for i in (0..n).filter(|i| i % 3 != 0) {
        write(i, &article_text(5, i, n).1);
    }
    // An inline link glued to the sentence after it, to a title no article
    // has yet: where it ends is settled again once one has.
    std::fs::write(
        root.join("kampung.txt"),
        "---\ntitle: Kabar dari Kampung\n---\nWarga berkumpul di balai. Baca juga: \
         Pengungsi Mulai Pulang ke Rumah Warga Desa menyambut mereka.",
    )
    .expect("write");
    let roots = vec![root.clone()];
    let mut lib = cache::read_all(&roots);
    assert_same(&lib, &Library::load(&roots));
    let links = |lib: &Library, status: &str| {
        lib.graph
            .outgoing
            .iter()
            .flatten()
            .filter(|o| o.resolution.status() == status)
            .count()
    };
    assert!(links(&lib, "resolved") > 20 && links(&lib, "broken") > 20);

    let step = |lib: &mut Library, what: &str, changed: Vec<PathBuf>| {
        let (new, changes) =
            cache::refresh_changed(lib, Some(&changed)).unwrap_or_else(|| panic!("{what}"));
        assert_same(&new, &Library::load(&roots));
        for old in lib.ids() {
            if let Some(to) = changes.new_id(old) {
                assert_eq!(new.article(to).title, lib.article(old).title, "{what}");
            }
        }
        *lib = new;
    };
    let broken = links(&lib, "broken");
    let mut added: Vec<PathBuf> = (0..n)
        .step_by(9)
        .map(|i| write(i, &article_text(5, i, n).1))
        .collect();
    let home = root.join("pulang.txt");
    std::fs::write(
        &home,
        "---\ntitle: Pengungsi Mulai Pulang ke Rumah\n---\nBus tiba.",
    )
    .expect("write");
    added.push(home);
    step(&mut lib, "added", added);
    assert!(
        links(&lib, "broken") < broken,
        "links to added articles resolve"
    );
    let glued = &lib.graph.outgoing[id_titled(&lib, "Kabar dari Kampung").index()][0];
    assert_eq!(lib.named(glued), Some("Pengungsi Mulai Pulang ke Rumah"));

    let removed: Vec<PathBuf> = (1..n)
        .step_by(11)
        .map(path_of)
        .filter(|p| p.exists())
        .collect();
    assert!(removed.len() > 10);
    for p in &removed {
        std::fs::remove_file(p).expect("remove");
    }
    step(&mut lib, "removed", removed);

    // An article takes another's title: links to that title are ambiguous.
    let (i, j) = (2, 4);
    let other = article_text(5, j, n).1;
    let title = other.lines().nth(1).expect("title line");
    let text = article_text(5, i, n).1;
    let retitled = text.replacen(text.lines().nth(1).expect("title line"), title, 1);
    step(&mut lib, "retitled", vec![write(i, &retitled)]);
    assert!(links(&lib, "ambiguous") > 0);

    // Paths that are no articles, hidden or outside the library change
    // nothing; a new folder and a removed one are found by a walk.
    std::fs::write(root.join("catatan.bin"), "x").expect("write");
    std::fs::write(root.join(".tmp.txt"), "x").expect("write");
    let fresh = root.join("baru");
    std::fs::create_dir(&fresh).expect("mkdir");
    std::fs::write(fresh.join("a.txt"), "---\ntitle: Artikel Baru\n---\nIsi.").expect("write");
    step(
        &mut lib,
        "a new folder",
        vec![
            root.join("catatan.bin"),
            root.join(".tmp.txt"),
            fresh.clone(),
        ],
    );
    std::fs::remove_dir_all(root.join("03")).expect("rmdir");
    step(&mut lib, "a removed folder", vec![root.join("03")]);
    assert!(cache::refresh_changed(&lib, Some(&[tmp.path().join("elsewhere.txt")])).is_none());
}

/// With several roots, each root's files stay together in the order the
/// roots were given: a file added to the second root goes among its own.
#[test]
fn a_refresh_told_what_changed_keeps_each_roots_files_together() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    for (dir, names) in [(&a, ["m.txt", "z.txt"]), (&b, ["a.txt", "n.txt"])] {
        std::fs::create_dir(dir).expect("mkdir");
        for name in names {
            let title = format!("Berita {name} dari {}", dir.display());
            std::fs::write(dir.join(name), format!("---\ntitle: {title}\n---\nIsi."))
                .expect("write");
        }
    }
    std::fs::create_dir(&c).expect("mkdir");
    // b before a: the roots' order, not the paths', decides.
    let roots = vec![b.clone(), a.clone(), c.clone()];
    let mut lib = cache::read_all(&roots);
    for (dir, name) in [(&a, "b.txt"), (&b, "zz.txt"), (&c, "x.txt"), (&b, "0.txt")] {
        let path = dir.join(name);
        std::fs::write(&path, format!("---\ntitle: Tambahan {name}\n---\nIsi.")).expect("write");
        lib = cache::refresh_changed(&lib, Some(&[path]))
            .expect("a file was added")
            .0;
        assert_same(&lib, &Library::load(&roots));
    }
    assert_eq!(lib.len(), 8);
}

/// The caches of libraries nobody opened for a month are removed, each
/// library's files together; one opened recently stays, and so does its
/// index even when only the library file was touched.
#[test]
fn caches_of_libraries_not_opened_for_a_month_are_pruned() {
    use std::time::{Duration, SystemTime};
    let f = fixture();
    let cache_dir = f
        .cache
        .library
        .parent()
        .and_then(Path::parent)
        .expect("cache dir");
    let opened = cache::open(std::slice::from_ref(&f.lib), Some(&f.cache));
    assert!(!opened.from_cache);
    SearchIndex::build(&opened.lib)
        .save(&f.cache.index, cache::fingerprint(&opened.lib))
        .expect("save index");
    let libraries = cache_dir.join("libraries");
    let age = |p: &Path, days: u64| {
        let f = std::fs::File::options().write(true).open(p).expect("open");
        f.set_modified(SystemTime::now() - Duration::from_secs(days * 24 * 3600))
            .expect("set time");
    };
    // Another library's cache, unused for 40 days, and a temporary file a
    // crash left two days ago.
    let stale = [
        libraries.join("00000000deadbeef.lib"),
        libraries.join("00000000deadbeef.idx"),
    ];
    let temp = libraries.join("00000000deadbeef.lib.123-0.tmp");
    for p in stale.iter().chain([&temp]) {
        std::fs::write(p, "x").expect("write");
        age(p, 40);
    }
    age(&temp, 2);
    // This library's index is old, but its cache was opened just now.
    age(&f.cache.index, 40);
    age(&f.cache.library, 40);
    let again = cache::open(std::slice::from_ref(&f.lib), Some(&f.cache));
    assert!(again.from_cache, "opening it marks it used");
    // Its temporary files: one left two days ago, one being written now.
    let mut left = f.cache.library.clone().into_os_string();
    left.push(".77-0.tmp");
    let mut writing = f.cache.library.clone().into_os_string();
    writing.push(".78-0.tmp");
    let (left, writing) = (PathBuf::from(left), PathBuf::from(writing));
    std::fs::write(&left, "x").expect("write");
    std::fs::write(&writing, "x").expect("write");
    age(&left, 2);

    assert_eq!(cache::prune(cache_dir, cache::UNUSED_FOR), 4);
    for p in stale.iter().chain([&temp, &left]) {
        assert!(!p.exists(), "{} is pruned", p.display());
    }
    assert!(f.cache.library.exists() && f.cache.index.exists() && writing.exists());
    assert_eq!(cache::prune(cache_dir, cache::UNUSED_FOR), 0);
}

/// Tables: a CSV with a cell spanning lines, a `|`-delimited one and a
/// spreadsheet, each row an article read back alone from where it sits.
#[test]
fn table_rows_reopen_from_the_cache() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lib = tmp.path().join("tabel");
    std::fs::create_dir(&lib).expect("mkdir");
    std::fs::write(
        lib.join("a.csv"),
        "judul,isi,tanggal\n\
         Pasar Ikan Dibuka,\"Pedagang kembali berjualan.\nBaca juga: Harga Cabai Turun\",2021-03-01\n\
         Harga Cabai Turun,\"['Pasokan melimpah.', 'Petani mengeluh.']\",2021-03-02\n",
    )
    .expect("write csv");
    std::fs::write(
        lib.join("b.csv"),
        "title|content|datetime\nJembatan Baru Diresmikan|Warga antusias.||Arus lancar.|2021-04-01\n",
    )
    .expect("write csv");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, cells) in [
        ["title", "content"],
        [
            "Sekolah Kembali Ramai",
            "Murid datang pagi.||Guru menyambut.",
        ],
    ]
    .iter()
    .enumerate()
    {
        for (col, text) in cells.iter().enumerate() {
            sheet
                .write_string(row as u32, col as u16, *text)
                .expect("cell");
        }
    }
    sheet.write_string(0, 2, "tanggal").expect("cell");
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 9, 17).expect("date");
    let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    sheet
        .write_datetime_with_format(1, 2, &day, &format)
        .expect("date cell");
    book.save(lib.join("c.xlsx")).expect("save xlsx");

    let roots = [lib.clone()];
    let want = Library::load(&roots);
    assert_eq!(want.len(), 4, "{:?}", want.problems);
    assert!(want.problems.is_empty(), "{:?}", want.problems);
    let pasar = id_titled(&want, "Pasar Ikan Dibuka");
    let cabai = id_titled(&want, "Harga Cabai Turun");
    assert_eq!(
        want.graph.outgoing[pasar.index()][0].resolution,
        Resolution::Resolved(cabai)
    );
    assert_eq!(want.article(cabai).blocks.len(), 2, "a list as text");
    let sekolah = id_titled(&want, "Sekolah Kembali Ramai");
    assert_eq!(want.article(sekolah).blocks.len(), 2, "joined by ||");
    assert_eq!(
        want.article(sekolah).meta.date.as_deref(),
        Some("2019-09-17"),
        "a date cell is a date, not a day number"
    );

    let cache = CachePaths::new(&tmp.path().join("cache"), &roots);
    let first = cache::open(&roots, Some(&cache));
    assert_same(&first.lib, &want);
    let second = cache::open(&roots, Some(&cache));
    assert!(second.from_cache, "{:?}", second.cache_problem);
    assert_same(&second.lib, &want);
}

/// A JSON object with none of an article's fields is refused with its
/// keys, never read as an untitled article; the items after it in an
/// array still read back as themselves.
#[test]
fn json_objects_that_are_no_articles_are_refused_with_their_keys() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let lib = tmp.path().join("json");
    std::fs::create_dir(&lib).expect("mkdir");
    std::fs::write(lib.join("a.json"), r#"{"nama": "x", "umur": 3}"#).expect("write");
    std::fs::write(
        lib.join("b.json"),
        r#"[{"id": 1, "skor": 0.5},
            {"title": "Pasar Malam Dibuka", "body": "Ramai pengunjung."},
            {"title": "Hujan Reda", "body": "Jalan kering lagi."}]"#,
    )
    .expect("write");
    std::fs::write(
        lib.join("c.jsonl"),
        "{\"foo\": 1}\n{\"title\": \"Lampu Jalan Menyala\", \"body\": \"Terang.\"}\n",
    )
    .expect("write");
    let roots = [lib.clone()];
    let want = Library::load(&roots);
    let titles: Vec<&str> = want.articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Pasar Malam Dibuka", "Hujan Reda", "Lampu Jalan Menyala"]
    );
    let messages: Vec<String> = want.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].ends_with("a.json: no article fields (title, body, content, text, date, url, site, source, author) among its keys: \"nama\", \"umur\"; skipped"), "{messages:?}");
    assert!(
        messages[1].contains("b.json#1: ") && messages[1].contains("\"id\", \"skor\""),
        "{messages:?}"
    );
    assert!(
        messages[2].contains("c.jsonl:1: ") && messages[2].contains("\"foo\""),
        "{messages:?}"
    );
    let cache = CachePaths::new(&tmp.path().join("cache"), &roots);
    let _ = cache::open(&roots, Some(&cache));
    let again = cache::open(&roots, Some(&cache));
    assert!(again.from_cache, "{:?}", again.cache_problem);
    assert_same(&again.lib, &want);
}
