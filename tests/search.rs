//! Search: matching (typo, prefix, phrase, diacritics, affixes, all words),
//! ranking (title first, BM25, newer first on ties), snippets and their
//! highlights, the headline filter, find-in-article and `baca search`.

use baca::core::article::{Article, ArticleId};
use baca::core::library::Library;
use baca::core::parse::{parse_str, ParseOptions};
use baca::core::search::{
    filter_titles, find_in_article, matches_in, Query, Results, SearchIndex, TitleFilter,
};
use std::path::Path;

fn article(title: &str, date: &str, body: &str) -> Article {
    let text = format!("---\ntitle: {title}\ndate: {date}\n---\n{body}");
    let mut a = parse_str(&text, "fixture.txt", ParseOptions::default());
    a.origin = format!("{title}.txt");
    a
}

/// A small library about a war and a peace, with words chosen so each
/// test has one right answer.
fn library() -> Library {
    Library::from_articles(
        vec![
            // 0
            article(
                "Pasukan Penjaga Perdamaian Rusia Tiba",
                "2020-11-16",
                "Sekira 2.000 tentara akan menjaga kota Susha.\n\
                 Misi itu dijaga pasukan dari Moskwa selama lima tahun.",
            ),
            // 1
            article(
                "Warga Armenia Bakar Rumah",
                "2020-11-15",
                "Banyak warga membakar rumah sebelum pergi.\n\
                 Keberadaan Nagarno-Karabakh terjamin karena dijaga penjaga perdamaian Rusia.",
            ),
            // 2
            article(
                "Kedua Negara Berdamai",
                "Kompas.com - 05/12/2024, 19:34 WIB",
                "Armenia dan Azerbaijan akhirnya berdamai setelah enam minggu.\n\
                 Kafe di Baku kembali ramai.",
            ),
            // 3
            article(
                "Harga Beras Naik",
                "2019-01-08",
                "Harga beras di pasar naik. Pedagang menulis surat kepada menteri.\n\
                 Tidak ada kaitan dengan perang.",
            ),
            // 4
            article(
                "Café Baru di Jakarta",
                "2021-03-01",
                "Sebuah café dibuka. Penjaga toko dan perdamaian tidak disebut bersama di sini: \
                 penjaga pintu, lalu soal lain, lalu perdamaian.",
            ),
        ],
        Vec::new(),
    )
}

fn search(lib: &Library, index: &SearchIndex, q: &str) -> Results {
    index.search(lib, &Query::parse(q), 100)
}

fn ids(r: &Results) -> Vec<u32> {
    r.hits.iter().map(|h| h.id.0).collect()
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v
}

#[test]
fn one_typo_in_a_long_word_is_forgiven() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    // The user spells it right; the article has "Nagarno".
    assert_eq!(ids(&search(&lib, &index, "Nagorno ")), [1]);
    // Two typos are too many.
    assert!(ids(&search(&lib, &index, "Nogorna ")).is_empty());
    // Short words get no such slack: "beras" must not find "keras"-likes,
    // and "naek" (four letters) finds nothing.
    assert!(ids(&search(&lib, &index, "naek ")).is_empty());
}

#[test]
fn the_last_word_is_a_prefix_while_typing() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    assert_eq!(sorted(ids(&search(&lib, &index, "perdam"))), [0, 1, 4]);
    assert_eq!(ids(&search(&lib, &index, "armenia baka")), [1]);
    // Once a space ends the word it must match whole.
    assert!(ids(&search(&lib, &index, "perdam ")).is_empty());
}

#[test]
fn quoted_phrase_means_the_words_together() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    // Article 4 has both words, apart; 0 has them in its title, 1 in text.
    let r = search(&lib, &index, "\"penjaga perdamaian\"");
    assert_eq!(sorted(ids(&r)), [0, 1]);
    // Unquoted, article 4 matches too.
    assert_eq!(
        sorted(ids(&search(&lib, &index, "penjaga perdamaian "))),
        [0, 1, 4]
    );
    // An open quote while typing: the phrase with its last word a prefix.
    assert_eq!(sorted(ids(&search(&lib, &index, "\"penjaga perd"))), [0, 1]);
    // The phrase in the title, another word in the text.
    let r = search(&lib, &index, "\"penjaga perdamaian\" moskwa ");
    assert_eq!(ids(&r), [0]);
    assert!(!r.hits[0].title_match);
}

#[test]
fn case_and_diacritics_do_not_matter() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    assert_eq!(ids(&search(&lib, &index, "cafe ")), [4]);
    assert_eq!(ids(&search(&lib, &index, "CAFÉ ")), [4]);
    assert_eq!(ids(&search(&lib, &index, "SUSHA")), [0]);
}

#[test]
fn indonesian_affixes_do_not_defeat_the_user() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    // damai -> perdamaian (0, 1, 4), berdamai (2).
    assert_eq!(sorted(ids(&search(&lib, &index, "damai "))), [0, 1, 2, 4]);
    // An affixed word finds its root's other forms: perdamaian -> berdamai.
    assert!(ids(&search(&lib, &index, "perdamaian ")).contains(&2));
    // Nasal assimilation: tulis -> menulis, bakar -> membakar.
    assert_eq!(ids(&search(&lib, &index, "tulis ")), [3]);
    assert!(ids(&search(&lib, &index, "bakar ")).contains(&1));
    // jaga -> menjaga (0), dijaga (0, 1), penjaga (0, 1, 4).
    assert_eq!(sorted(ids(&search(&lib, &index, "jaga "))), [0, 1, 4]);
}

#[test]
fn exact_words_rank_above_affixed_ones() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "berdamai ");
    assert_eq!(r.hits.first().map(|h| h.id.0), Some(2));
}

#[test]
fn the_word_typed_beats_a_rare_look_alike() {
    // "damal" is one letter off "damai" and rarer: rarity must not lift a
    // typo above the word itself.
    let lib = Library::from_articles(
        vec![
            article("Damal Baru", "2024-01-01", "Isi berita."),
            article("Damai di Kota", "2019-01-01", "Isi berita."),
            article("Damai di Desa", "2019-01-02", "Isi berita."),
            article("Damai Lagi", "2019-01-03", "Isi berita."),
        ],
        Vec::new(),
    );
    let index = SearchIndex::build(&lib);
    assert_eq!(ids(&search(&lib, &index, "damai ")), [3, 2, 1, 0]);
}

#[test]
fn several_words_mean_all_of_them() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    assert_eq!(sorted(ids(&search(&lib, &index, "armenia "))), [1, 2]);
    assert_eq!(ids(&search(&lib, &index, "armenia azerbaijan ")), [2]);
    assert!(ids(&search(&lib, &index, "armenia beras ")).is_empty());
}

#[test]
fn title_matches_come_first() {
    let lib = Library::from_articles(
        vec![
            article(
                "Banjir di Kota",
                "2020-01-01",
                "Gempa gempa gempa gempa melanda. Gempa lagi, gempa terus.",
            ),
            article("Gempa Melanda Kota", "2019-01-01", "Warga panik."),
        ],
        Vec::new(),
    );
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "gempa ");
    assert_eq!(ids(&r), [1, 0]);
    assert!(r.hits[0].title_match && !r.hits[1].title_match);
}

#[test]
fn body_matches_rank_by_bm25() {
    let lib = Library::from_articles(
        vec![
            article("Satu", "2020-01-01", "Kota itu tenang. Tidak ada yang terjadi di sana hari ini, kata warga, sebuah berita biasa saja."),
            article("Dua", "2019-01-01", "Banjir besar. Banjir datang lagi, banjir merendam kota."),
        ],
        Vec::new(),
    );
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "kota ");
    assert_eq!(r.total, 2);
    // One "kota" each: the shorter article wins under BM25's length
    // normalisation.
    assert_eq!(ids(&r), [1, 0]);
    assert!(r.hits[0].score > r.hits[1].score);
}

#[test]
fn newer_articles_first_on_ties() {
    let body = "Rapat dewan membahas anggaran.";
    let lib = Library::from_articles(
        vec![
            article("Rapat A", "2019-05-01", body),
            article("Rapat B", "Kompas.com - 05/12/2024, 19:34 WIB", body),
            article("Rapat C", "21+January+2021", body),
            article("Rapat D", "tanpa tanggal", body),
        ],
        Vec::new(),
    );
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "anggaran ");
    assert_eq!(ids(&r), [1, 2, 0, 3]);
}

#[test]
fn no_match_and_empty_queries() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "zzqx kapal");
    assert_eq!(r.total, 0);
    assert!(r.hits.is_empty());
    assert_eq!(search(&lib, &index, "").total, 0);
    assert_eq!(search(&lib, &index, " \"\" ... ").total, 0);
    let empty = Library::from_articles(Vec::new(), Vec::new());
    let none = SearchIndex::build(&empty);
    assert_eq!(search(&empty, &none, "rusia").total, 0);
}

#[test]
fn total_counts_beyond_the_limit() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    let r = index.search(&lib, &Query::parse("damai "), 2);
    assert_eq!(r.total, 4);
    assert_eq!(r.hits.len(), 2);
    // The two shown are the two best of the full ranking.
    let full = search(&lib, &index, "damai ");
    assert_eq!(ids(&r), ids(&full)[..2]);
}

#[test]
fn snippet_highlights_land_on_the_matched_words() {
    let lib = library();
    let index = SearchIndex::build(&lib);
    for q in [
        "perdamaian rusia",
        "nagorno ",
        "\"penjaga perdamaian\"",
        "damai ",
        "cafe ",
    ] {
        let query = Query::parse(q);
        let r = index.search(&lib, &query, 10);
        assert!(!r.hits.is_empty(), "{q}");
        for h in &r.hits {
            for range in &h.snippet_highlights {
                let text = h
                    .snippet
                    .get(range.clone())
                    .unwrap_or_else(|| panic!("{q}: {range:?} not in {:?}", h.snippet));
                // What the index highlighted, the query matches on its own.
                assert!(
                    !query.matches_in_text(text).is_empty(),
                    "{q}: highlighted {text:?} in {:?}",
                    h.snippet
                );
            }
        }
    }
    // The snippet of the Nagarno article shows that word, highlighted.
    let r = search(&lib, &index, "nagorno ");
    let h = &r.hits[0];
    let lit: Vec<&str> = h
        .snippet_highlights
        .iter()
        .map(|r| &h.snippet[r.clone()])
        .collect();
    assert_eq!(lit, ["Nagarno"]);
}

#[test]
fn long_snippets_are_cut_around_the_match() {
    let filler = "Kalimat pengisi yang panjang sekali tanpa arti. ".repeat(10);
    let body = format!("{filler}Di tengah ada kata kunci gencatan senjata. {filler}");
    let lib = Library::from_articles(vec![article("Judul", "2020-01-01", &body)], Vec::new());
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "gencatan ");
    let h = &r.hits[0];
    assert!(
        h.snippet.starts_with('…') && h.snippet.ends_with('…'),
        "{}",
        h.snippet
    );
    assert!(h.snippet.chars().count() < 200);
    assert_eq!(&h.snippet[h.snippet_highlights[0].clone()], "gencatan");
}

#[test]
fn matches_in_gives_block_ranges_for_the_reader() {
    let lib = library();
    let a = lib.article(ArticleId(1));
    let q = Query::parse("penjaga rusia");
    let m = matches_in(a, &q);
    let texts: Vec<&str> = m
        .iter()
        .map(|(b, r)| &a.blocks[*b].text()[r.clone()])
        .collect();
    // "dijaga" shares the root of "penjaga".
    assert_eq!(texts, ["dijaga", "penjaga", "Rusia"]);
    assert!(m
        .windows(2)
        .all(|w| (w[0].0, w[0].1.start) <= (w[1].0, w[1].1.start)));
    let phrase = matches_in(a, &Query::parse("\"penjaga perdamaian rusia\""));
    let texts: Vec<&str> = phrase
        .iter()
        .map(|(b, r)| &a.blocks[*b].text()[r.clone()])
        .collect();
    assert_eq!(texts, ["penjaga perdamaian Rusia"]);
}

#[test]
fn find_in_article_is_plain_and_forgiving_of_case() {
    let lib = library();
    let a = lib.article(ArticleId(4));
    let found = find_in_article(a, "CAFE");
    assert_eq!(found.len(), 1);
    let (b, r) = &found[0];
    assert_eq!(&a.blocks[*b].text()[r.clone()], "café");
    // Substrings, not words: "damai" inside both "perdamaian".
    assert_eq!(find_in_article(a, "damai").len(), 2);
}

#[test]
fn headline_filter_is_fuzzy() {
    let lib = library();
    let found = filter_titles(&lib, "pjg prdm");
    assert_eq!(found.first().map(|f| f.0), Some(ArticleId(0)));
    let title: Vec<char> = lib.article(ArticleId(0)).title.chars().collect();
    let lit: String = found[0].2.iter().map(|&i| title[i]).collect();
    assert_eq!(lit.to_lowercase(), "pjgprdm");
    // Diacritics fold; order of letters matters.
    assert_eq!(
        filter_titles(&lib, "cafe")
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        [ArticleId(4)]
    );
    assert!(filter_titles(&lib, "zzq").is_empty());
    // Word starts beat the same letters inside a word: "ar" is in
    // "Warga" and "Harga" too, but starts "Armenia".
    let mut f = TitleFilter::new(&lib);
    let ranked = f.filter("ar");
    assert_eq!(ranked.first().map(|r| r.0), Some(ArticleId(1)));
    let title: Vec<char> = lib.article(ArticleId(1)).title.chars().collect();
    let lit: String = f
        .indices(ArticleId(1), "ar")
        .iter()
        .map(|&i| title[i])
        .collect();
    assert_eq!(lit, "Ar");
    assert_eq!(f.filter("").len(), lib.len());
}

#[test]
fn headline_filter_narrows_as_typed() {
    let lib = library();
    let mut f = TitleFilter::new(&lib);
    let mut last = f.filter("r").len();
    for p in ["ru", "rus", "rusi", "rusia"] {
        let now = f.filter(p);
        assert!(now.len() <= last);
        last = now.len();
        // The same as a fresh filter would give.
        let fresh = TitleFilter::new(&lib).filter(p);
        assert_eq!(now, fresh, "{p}");
    }
    assert_eq!(f.filter("rusia").first().map(|x| x.0), Some(ArticleId(0)));
    // Backspace widens again.
    assert_eq!(f.filter("ru"), TitleFilter::new(&lib).filter("ru"));
}

#[test]
fn the_seed_article_finds_nagorno() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/000_9ff7c574857253cd.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not present", path.display());
        return;
    };
    let lib = Library::from_articles(
        vec![parse_str(
            &text,
            "000_9ff7c574857253cd.txt",
            ParseOptions::default(),
        )],
        Vec::new(),
    );
    let index = SearchIndex::build(&lib);
    let r = search(&lib, &index, "Nagorno");
    assert_eq!(r.total, 1);
    assert!(search(&lib, &index, "damai").total == 1);
    assert!(search(&lib, &index, "\"penjaga perdamaian rusia\"").total == 1);
}

/// `baca search` with its own XDG folders, so the cache it keeps is the
/// test's.
fn cli_search(
    home: &std::path::Path,
    args: &[&str],
    lib: &std::path::Path,
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_baca"))
        .arg("search")
        .args(args)
        .arg(lib)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .output()
        .expect("run baca")
}

#[test]
fn cli_search_prints_json() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("a.txt"),
        "---\ntitle: Pasukan Perdamaian Tiba\ndate: 2020-11-16\n---\nPasukan penjaga perdamaian tiba di kota.",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("b.txt"),
        "---\ntitle: Harga Beras\n---\nHarga beras naik lagi.",
    )
    .expect("write");
    let out = cli_search(
        home.path(),
        &["damai", "--json", "--limit", "5"],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["query"], "damai");
    assert_eq!(v["total"], 1);
    let hit = &v["hits"][0];
    assert_eq!(hit["title"], "Pasukan Perdamaian Tiba");
    assert!(hit["path"].as_str().is_some_and(|p| p.ends_with("a.txt")));
    assert!(hit["score"].as_f64().is_some_and(|s| s > 0.0));
    assert!(hit["snippet"]
        .as_str()
        .is_some_and(|s| s.contains("perdamaian")));

    let text = cli_search(home.path(), &["beras"], dir.path());
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("Harga Beras"), "{stdout}");
    assert!(!stdout.contains("Pasukan"), "{stdout}");
}

/// `baca search` keeps the library and its index in the cache folder, as
/// the reader does, and what changed in the files since is what it finds.
#[test]
fn cli_search_reuses_the_cache_and_sees_what_changed() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, title: &str, body: &str| {
        std::fs::write(
            dir.path().join(name),
            format!("---\ntitle: {title}\n---\n{body}"),
        )
        .expect("write");
    };
    write(
        "a.txt",
        "Harga Beras Naik",
        "Pedagang menaikkan harga beras.",
    );
    write("b.txt", "Banjir di Pluit", "Air setinggi lutut.");
    let titles = |query: &str| -> Vec<String> {
        let out = cli_search(home.path(), &[query, "--json"], dir.path());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let hits = v["hits"].as_array().expect("hits").iter();
        hits.map(|h| h["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    assert_eq!(titles("beras"), ["Harga Beras Naik"]);
    let cached: Vec<_> = std::fs::read_dir(home.path().join("cache/baca/libraries"))
        .expect("a cache folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(cached.iter().any(|n| n.ends_with(".lib")), "{cached:?}");
    assert!(cached.iter().any(|n| n.ends_with(".idx")), "{cached:?}");
    assert_eq!(titles("lutut"), ["Banjir di Pluit"]);

    // Added, changed and removed since the last search.
    write("c.txt", "Pompa Air Dikerahkan", "Lima pompa menyedot air.");
    write(
        "a.txt",
        "Harga Cabai Naik",
        "Pedagang menaikkan harga cabai.",
    );
    std::fs::remove_file(dir.path().join("b.txt")).expect("remove");
    assert_eq!(titles("pompa"), ["Pompa Air Dikerahkan"]);
    assert!(titles("beras").is_empty(), "the old text is gone");
    assert_eq!(titles("cabai"), ["Harga Cabai Naik"]);
    assert!(titles("lutut").is_empty(), "the removed file is gone");
}
