//! Importers (saved pages, Markdown, JSON exports), the native writer's
//! round trip, and `baca add` run as the real binary against a temporary
//! data folder.

use baca::core::article::{Article, Block, Link, LinkKind, Meta};
use baca::core::import::native::{parse, to_native_text};
use baca::core::import::{self, Format};
use baca::core::library::Library;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    p.is_dir().then_some(p)
}

// ---------------------------------------------------------------- writer

/// `glued` says the title's end was a guess the library's titles may
/// settle; a line written for a link can read back as more or less of a
/// guess than the text it came from (a title cut at a run of spaces is
/// certain, the same title owning its line and holding a "?" is not), so
/// it is not compared. Which blocks come back, and their text, is.
fn settled(blocks: &[Block]) -> Vec<Block> {
    let mut out = blocks.to_vec();
    for b in &mut out {
        if let Block::Link(l) = b {
            l.glued = false;
        }
    }
    out
}

/// Writes `a` and reads it back: the title, meta and blocks must survive.
fn round_trip(a: &Article) -> Result<String, String> {
    let text = to_native_text(a);
    let b = parse(&text, "x.txt");
    let (want, got) = (settled(&a.blocks), settled(&b.blocks));
    if a.title != b.title || a.meta != b.meta || want != got {
        let first = (0..want.len().max(got.len())).find(|&i| want.get(i) != got.get(i));
        return Err(format!(
            "{}\n--- written:\n{text}--- first different block {first:?}:\n want {:?}\n  got {:?}\n title {:?} / {:?}\n meta {:?} / {:?}",
            a.origin,
            first.and_then(|i| want.get(i)),
            first.and_then(|i| got.get(i)),
            a.title,
            b.title,
            a.meta,
            b.meta
        ));
    }
    Ok(text)
}

fn p(t: &str) -> Block {
    Block::Paragraph { text: t.into() }
}
fn h(t: &str) -> Block {
    Block::Heading { text: t.into() }
}
fn link(marker: &str, target: Option<&str>, kind: LinkKind, glued: bool) -> Block {
    let video = if kind == LinkKind::Video {
        " Video"
    } else {
        ""
    };
    let text = match target {
        Some(t) => format!("{marker}{video}: {t}"),
        None => marker.to_owned(),
    };
    Block::Link(Link {
        text,
        marker: marker.into(),
        target: target.map(Into::into),
        kind,
        url: None,
        glued,
    })
}

fn article(title: &str, meta: Meta, blocks: Vec<Block>) -> Article {
    Article {
        title: title.into(),
        meta,
        blocks,
        ..Article::default()
    }
}

/// A capitalised marker is a link wherever it stands, so a paragraph that
/// opens with one cannot follow a glued link on its line: it is written on
/// a line of its own, escaped, and reads back as the same paragraph (the
/// link reads back unglued, which only changes how the library may settle
/// its end).
#[test]
fn a_glued_rest_opening_with_a_marker_gets_its_own_line() {
    let a = article(
        "J",
        Meta::default(),
        vec![
            link("Baca juga", Some("Satu"), LinkKind::Article, true),
            p("Baca juga: bukan tautan."),
        ],
    );
    let text = to_native_text(&a);
    let b = parse(&text, "x.txt");
    assert_eq!(
        settled(&b.blocks),
        vec![
            link("Baca juga", Some("Satu"), LinkKind::Article, false),
            p("Baca juga: bukan tautan.")
        ],
        "{text}"
    );
}

#[test]
fn tricky_articles_round_trip() {
    use LinkKind::{Article as A, Video as V};
    let meta = Meta {
        date: Some("Kompas.com - 05/12/2024, 19:34 WIB".into()),
        source: Some("'Warta' Pagi".into()),
        url: Some("https://x.test/a?b=c:d#e".into()),
        author: Some("\"Ani\"".into()),
        tags: vec!["perang".into(), "damai".into()],
        extra: [("published_at".to_owned(), "kemarin: sore".to_owned())].into(),
    };
    let cases: Vec<(&str, Article)> = vec![
        (
            "colon and quotes in the title",
            article(
                "\"Rakyat Jelata\": Jubir Minta Maaf",
                meta.clone(),
                vec![p("Isi.")],
            ),
        ),
        (
            "title wholly quoted",
            article("\"Kita Bisa\"", Meta::default(), vec![p("Isi.")]),
        ),
        (
            "title with single quotes",
            article("'Merdeka' Kata Mereka'", Meta::default(), vec![p("Isi.")]),
        ),
        (
            "heading-like paragraph",
            article(
                "J",
                Meta::default(),
                vec![p("Isi pertama."), p("Penjaga perdamaian Rusia"), p("Isi.")],
            ),
        ),
        (
            "paragraph that starts with a marker",
            article(
                "J",
                Meta::default(),
                vec![p("Baca juga: ini hanya kalimat biasa."), p("BACA JUGA")],
            ),
        ),
        (
            "paragraph with escape characters",
            article(
                "J",
                Meta::default(),
                vec![p("\\ garis miring"), p("# tagar di depan"), p("## dua")],
            ),
        ),
        (
            "heading with punctuation",
            article(
                "J",
                Meta::default(),
                vec![
                    h("Mengapa Harga Naik?"),
                    p("Karena pasokan turun."),
                    h("iPhone dan Kita"),
                    p("Isi."),
                ],
            ),
        ),
        (
            "heading-like heading",
            article(
                "J",
                Meta::default(),
                vec![h("Penjaga Perdamaian"), p("Isi.")],
            ),
        ),
        (
            "links with and without targets",
            article(
                "J",
                Meta::default(),
                vec![
                    p("Isi."),
                    link("Baca juga", Some("Harga Cabai: Naik \"Lagi\""), A, false),
                    link("Baca Juga", None, A, false),
                    link("Lihat juga", Some("Banjir di Kota"), A, false),
                    link("Simak juga", Some("Detik-detik Banjir"), V, false),
                    link("Berita terkait", Some("Satu Dua"), A, false),
                ],
            ),
        ),
        (
            "glued link and a heading-like rest",
            article(
                "J",
                Meta::default(),
                vec![
                    p("Kalimat pertama."),
                    link("Baca juga", Some("Harga Cabai Naik Tajam"), A, true),
                    p("Pedagang Pasar Resah"),
                    link("Baca juga", Some("Akhir"), A, true),
                ],
            ),
        ),
        (
            "front-matter-like body lines",
            article(
                "J",
                Meta::default(),
                vec![p("---"), p("title: bukan judul"), p("...")],
            ),
        ),
        ("empty article", article("Kosong", Meta::default(), vec![])),
    ];
    let mut failed = Vec::new();
    for (what, a) in &cases {
        if let Err(e) = round_trip(a) {
            failed.push(format!("{what}: {e}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

#[test]
fn plain_lines_are_used_where_they_read_back_right() {
    let a = article(
        "J",
        Meta::default(),
        vec![
            p("Isi."),
            h("Subjudul Biasa"),
            p("Pendek Sekali"),
            h("Kenapa?"),
        ],
    );
    let text = to_native_text(&a);
    let body: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(
        body,
        ["Isi.", "Subjudul Biasa", "\\Pendek Sekali", "## Kenapa?"]
    );
}

#[test]
fn sample_library_and_seed_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = Library::load(&[root.join("assets/library")]);
    assert!(lib.len() >= 10);
    for a in &lib.articles {
        round_trip(a).unwrap_or_else(|e| panic!("{e}"));
    }
    let seed = root.join("../shared/seed/000_9ff7c574857253cd.txt");
    if seed.exists() {
        let lib = Library::load(&[seed]);
        round_trip(&lib.articles[0]).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn corpus_round_trips_through_the_native_writer() {
    let Some(dir) = corpus() else {
        eprintln!("corpus absent; skipped");
        return;
    };
    let lib = Library::load(&[dir.join("articles.jsonl")]);
    assert!(lib.len() > 1000);
    let failures: Vec<String> = lib
        .articles
        .iter()
        .filter_map(|a| round_trip(a).err())
        .collect();
    for f in failures.iter().take(3) {
        eprintln!("{f}\n");
    }
    assert!(
        failures.is_empty(),
        "{} of {} articles changed",
        failures.len(),
        lib.len()
    );
}

// ------------------------------------------------------------ importers

fn html_fixture(name: &str) -> Article {
    let bytes = std::fs::read(fixtures().join(name)).unwrap();
    import::parse_bytes(&bytes, name, Format::Html).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn paragraphs(a: &Article) -> Vec<&str> {
    a.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn headings(a: &Article) -> Vec<&str> {
    a.headings().map(|(_, t)| t).collect()
}

fn targets(a: &Article) -> Vec<&str> {
    a.links().filter_map(|(_, l)| l.target.as_deref()).collect()
}

/// Everything the reader would show, to look for junk in.
fn all_text(a: &Article) -> String {
    let mut s = a.title.clone();
    for b in &a.blocks {
        s.push('\n');
        s.push_str(b.text());
    }
    s
}

fn assert_no_junk(a: &Article, junk: &[&str]) {
    let text = all_text(a);
    for j in junk {
        assert!(!text.contains(j), "{:?} left in:\n{text}", j);
    }
}

#[test]
fn html_like_kompas_br_body_side_box_and_date_under_the_headline() {
    let a = html_fixture("kompas-like.html");
    assert_eq!(a.title, "Warga Desa Tanam Seribu Pohon Bakau");
    assert_eq!(a.meta.date.as_deref(), Some("2015-11-04T21:04+07:00"));
    assert_eq!(
        a.meta.extra.get("date_raw").map(String::as_str),
        Some("Rabu, 4 November 2015 | 21:04 WIB")
    );
    assert_eq!(a.meta.source.as_deref(), Some("WARTA.com"));
    assert_eq!(
        a.meta.url.as_deref(),
        Some("http://regional.warta.com/read/2015/11/04/101/Warga.Desa.Tanam.Seribu.Pohon.Bakau")
    );
    assert_eq!(a.meta.author, None, "the publisher is no author");
    assert_eq!(
        paragraphs(&a),
        [
            "PEKALONGAN, WARTA.com \u{2013} Ratusan warga Desa Pesisir menanam seribu bibit bakau di pantai yang terkikis abrasi, Rabu (4/11/2015).",
            "Kepala desa mengatakan penanaman dilakukan bersama pelajar dan nelayan setempat.",
            "\u{201c}Kami ingin pantai ini kembali hijau dalam lima tahun,\u{201d} ujarnya.",
            "Bibit bakau diperoleh dari dinas kelautan secara gratis.",
        ]
    );
    assert_eq!(
        targets(&a),
        [
            "Abrasi Pantai Utara Makin Parah",
            "Nelayan Keluhkan Hasil Tangkapan Menurun"
        ]
    );
    assert_no_junk(
        &a,
        &[
            "googletag",
            "Bagikan",
            "Tweet",
            "Copyright",
            "Penulis",
            "Home",
            "WARTA.COM/ANI",
        ],
    );
}

#[test]
fn html_like_liputan6_box_inside_the_body_and_bold_subheading() {
    let a = html_fixture("liputan6-like.html");
    assert_eq!(a.title, "Operator Seluler Perluas Jaringan 4G");
    assert_eq!(a.meta.date.as_deref(), Some("2016-02-16T09:10:56"));
    assert_eq!(a.meta.source.as_deref(), Some("kabar6.com"));
    assert_eq!(a.meta.author.as_deref(), Some("Rina Lestari"));
    let kinds: Vec<String> = a
        .blocks
        .iter()
        .map(|b| match b {
            Block::Heading { text } => format!("H {text}"),
            Block::Paragraph { text } => format!("P {}", text.chars().take(24).collect::<String>()),
            Block::Link(l) => format!("L {}", l.target.as_deref().unwrap_or("-")),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "P Kabar6.com, Jakarta - Op",
            "P Hal ini disampaikan dire",
            "P \"Pelanggan data kami tum",
            "L Harga Ponsel 4G Turun Tajam",
            "L Sinyal di Pelosok Masih Lemah",
            "P Ia menambahkan, pembangu",
            "H Tantangan di Daerah",
            "P Pembangunan di pulau ter",
            "P (Ras/Isk)",
        ]
    );
    assert_no_junk(
        &a,
        &[
            "Facebook",
            "Twitter",
            "Beranda",
            "Daftar untuk",
            "Semua hak",
            "By ",
        ],
    );
}

#[test]
fn html_like_detik_dateline_labelled_boxes_and_other_boxes_ignored() {
    let a = html_fixture("detik-like.html");
    assert_eq!(a.title, "Ponsel Lipat Punya Celah Keamanan");
    assert_eq!(a.meta.date.as_deref(), Some("2015-11-05T10:08:58Z"));
    assert_eq!(a.meta.source.as_deref(), Some("detaknet"));
    assert_eq!(a.meta.author, None, "a Facebook URL is no author");
    let paras = paragraphs(&a);
    assert_eq!(paras.len(), 4, "{paras:#?}");
    assert!(
        paras[0].starts_with("Jakarta - Ponsel lipat terbaru"),
        "{}",
        paras[0]
    );
    assert_eq!(paras[3], "(bud/ani)");
    assert_eq!(
        targets(&a),
        [
            "Pembaruan Keamanan Tiap Bulan",
            "Ponsel Lama Rentan Diretas"
        ],
        "the Forum and photo boxes are no 'Baca juga' boxes"
    );
    assert_no_junk(
        &a,
        &[
            "OA_show",
            "Bagikan",
            "Forum",
            "Diskusi",
            "Gambar",
            "Iklan",
            "detakNews",
        ],
    );
}

#[test]
fn html_like_okezone_class_named_box_hidden_text_and_duplicate_links() {
    let a = html_fixture("okezone-like.html");
    assert_eq!(a.title, "Kurang Tidur Picu Darah Tinggi");
    assert_eq!(a.meta.date.as_deref(), Some("2015-11-05T15:56+07:00"));
    assert_eq!(a.meta.source.as_deref(), Some("lifestyle.okezon.test"));
    assert_eq!(paragraphs(&a).len(), 3, "{:#?}", a.blocks);
    assert!(paragraphs(&a)[0].starts_with("KURANG tidur ternyata"));
    assert_eq!(
        targets(&a),
        ["Tidur Siang Baik untuk Jantung", "Garam dan Darah Tinggi"],
        "hidden text dropped, the floating box's repeat once"
    );
    assert_no_junk(
        &a,
        &[
            "read-1244264",
            "Share on",
            "Komentar",
            "komentar",
            "Hipertensi",
            "Copyright",
            "Experience",
            "OA_show",
            "Jurnalis",
        ],
    );
}

#[test]
fn html_without_an_article_is_refused() {
    let page = b"<html><head><title>Beranda</title></head><body><nav><a href='/'>Home</a></nav><p>Hai.</p></body></html>";
    assert_eq!(
        import::parse_bytes(page, "x.html", Format::Html),
        Err(import::ImportError::NoArticle)
    );
}

#[test]
fn html_escapes_and_hostile_markup_never_reach_the_text() {
    let page = "<html><head><title>Judul \u{1b}]0;x\u{7}Bersih</title></head><body><article><p>Paragraf pertama yang cukup panjang untuk dihitung \u{1b}[2Jsebagai isi.</p><p># bukan judul, tetapi kalimat yang cukup panjang.</p><p>\\ garis miring di depan kalimat yang panjang ini.</p></article></body></html>";
    let a = import::parse_bytes(page.as_bytes(), "x.html", Format::Html).unwrap();
    assert_eq!(a.title, "Judul Bersih");
    for b in &a.blocks {
        assert!(!b.text().chars().any(char::is_control), "{b:?}");
    }
    assert_eq!(
        paragraphs(&a)[1],
        "# bukan judul, tetapi kalimat yang cukup panjang."
    );
    assert_eq!(
        paragraphs(&a)[2],
        "\\ garis miring di depan kalimat yang panjang ini."
    );
    let deep = format!(
        "<html><body><article>{}<p>Isi yang dalam sekali namun tetap terbaca oleh pengimpor.</p>{}</article></body></html>",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    // Must not overflow the stack; what is read that deep does not matter.
    let _ = import::parse_bytes(deep.as_bytes(), "x.html", Format::Html);
}

#[test]
fn markdown_fixture() {
    let bytes = std::fs::read(fixtures().join("artikel.md")).unwrap();
    let a = import::parse_bytes(&bytes, "artikel.md", Format::Markdown).unwrap();
    assert_eq!(a.title, "Pasar Terapung Kembali Ramai");
    assert_eq!(a.meta.date.as_deref(), Some("2024-12-05"));
    assert_eq!(
        a.meta.url.as_deref(),
        Some("https://catatan.test/pasar-terapung")
    );
    assert_eq!(headings(&a), ["Mengapa Pengunjung Kembali?"]);
    assert_eq!(targets(&a), ["Dermaga Baru Diresmikan Wali Kota"]);
    assert_eq!(
        paragraphs(&a),
        [
            "Pedagang sayur dan buah kembali memadati sungai sejak subuh, setelah dua tahun sepi pengunjung.",
            "Pemerintah kota memperbaiki dermaga dan menambah perahu wisata. Tiket masuk tetap gratis.",
            "Pedagang buah mendapat tempat khusus.",
            "Perahu wisata berangkat tiap jam.",
        ]
    );
}

#[test]
fn fixture_folder_loads_every_format() {
    let lib = Library::load(&[fixtures()]);
    let mut titles: Vec<&str> = lib.articles.iter().map(|a| a.title.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(
        titles,
        [
            "\"Rapat Warga\": Jalan Desa Diperbaiki",
            "Festival Layang-Layang di Pantai Selatan",
            "Harga Beras Turun Menjelang Panen Raya",
            "Harga Beras Turun Menjelang Panen Raya",
            "Harga Beras Turun Menjelang Panen Raya",
            "Judul Berbeda di Ekspor Lain",
            "Kafé Tepi Sungai Jadi Tujuan Baru",
            "Kurang Tidur Picu Darah Tinggi",
            "Operator Seluler Perluas Jaringan 4G",
            "Pasar Terapung Kembali Ramai",
            "Petani Sambut Panen Raya",
            "Ponsel Lipat Punya Celah Keamanan",
            "Warga Desa Tanam Seribu Pohon Bakau",
        ]
    );
    // The bad export line is a problem naming its line, not a failure.
    assert!(
        lib.problems
            .iter()
            .any(|p| p.path.ends_with("ekspor.jsonl:6") && !p.io),
        "{:?}",
        lib.problems
    );
    // The inline link of the export resolves to the other article in it.
    let beras = lib
        .articles
        .iter()
        .position(|a| a.origin.ends_with("ekspor.jsonl:1"))
        .unwrap();
    let resolved = lib.graph.outgoing[beras]
        .iter()
        .filter(|o| o.resolution.status() == "resolved")
        .count();
    assert_eq!(resolved, 1);
}

#[test]
fn saved_page_folders_are_not_articles() {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read(fixtures().join("okezone-like.html")).unwrap();
    std::fs::write(dir.path().join("halaman.html"), &page).unwrap();
    std::fs::create_dir(dir.path().join("halaman_files")).unwrap();
    std::fs::write(dir.path().join("halaman_files/iklan.htm"), &page).unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert_eq!(lib.len(), 1);
}

#[test]
fn the_four_corpus_pages() {
    let Some(dir) = corpus() else {
        eprintln!("corpus absent; skipped");
        return;
    };
    // (file, title, date, source, at least paragraphs, links)
    let expect = [
        (
            "kompas-singlepage.html",
            "Polres Lhokseumawe Serahkan Anggota Di Minimi ke Kejaksaan",
            "2015-11-04T21:04+07:00",
            "KOMPAS.com",
            10,
            5,
        ),
        (
            "liputan6-singlepage.html",
            "Tri Indonesia: Broadband Dorong Ekosistem Digital Dalam Negeri",
            "2016-02-16T09:10:56",
            "liputan6.com",
            10,
            12,
        ),
        (
            "detik-singlepage.html",
            "Google Umbar Kelemahan Galaxy S6 Edge",
            "2015-11-05T10:08:58Z",
            "detikinet",
            6,
            2,
        ),
        (
            "okezone-singlepage.html",
            "Sering Depresi Berat, Hati-Hati Diabetes!",
            "2015-11-05T15:56+07:00",
            "lifestyle.okezone.com",
            5,
            9,
        ),
    ];
    for (file, title, date, source, min_paragraphs, links) in expect {
        let lib = Library::load(&[dir.join("html").join(file)]);
        assert_eq!(lib.len(), 1, "{file}: {:?}", lib.problems);
        let a = &lib.articles[0];
        assert_eq!(a.title, title, "{file}");
        assert_eq!(a.meta.date.as_deref(), Some(date), "{file}");
        assert_eq!(a.meta.source.as_deref(), Some(source), "{file}");
        assert!(
            a.meta
                .url
                .as_deref()
                .is_some_and(|u| u.starts_with("http://")),
            "{file}"
        );
        assert!(
            paragraphs(a).len() >= min_paragraphs,
            "{file}: {:#?}",
            a.blocks
        );
        assert_eq!(a.links().count(), links, "{file}: {:?}", targets(a));
        assert_no_junk(
            a,
            &[
                "googletag",
                "OA_show",
                "function(",
                "Share on",
                "Tweet",
                "Copyright",
                "Forum",
                "Komentar",
                "$(",
                "Iklan Baris",
            ],
        );
    }
}

// ------------------------------------------------------------- baca add

struct Env {
    data: tempfile::TempDir,
    config: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            data: tempfile::tempdir().unwrap(),
            config: tempfile::tempdir().unwrap(),
        }
    }

    fn library(&self) -> PathBuf {
        self.data.path().join("baca/library")
    }

    fn baca(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_baca"))
            .args(args)
            .env("XDG_DATA_HOME", self.data.path())
            .env("XDG_CONFIG_HOME", self.config.path())
            .env("XDG_CACHE_HOME", self.config.path().join("cache"))
            .env("HOME", self.config.path())
            .output()
            .unwrap();
        out
    }

    fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.library())
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn lines_starting<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines().filter(|l| l.starts_with(prefix)).collect()
}

#[test]
fn add_imports_each_format_once_and_list_shows_them() {
    let env = Env::new();
    let fx = fixtures();
    let out = env.baca(&["add", fx.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let files = env.files();
    assert_eq!(
        files,
        [
            "festival-layang-layang-di-pantai-selatan.txt",
            "harga-beras-turun-menjelang-panen-raya-2.txt",
            "harga-beras-turun-menjelang-panen-raya-3.txt",
            "harga-beras-turun-menjelang-panen-raya.txt",
            "kafe-tepi-sungai-jadi-tujuan-baru.txt",
            "kurang-tidur-picu-darah-tinggi.txt",
            "operator-seluler-perluas-jaringan-4g.txt",
            "pasar-terapung-kembali-ramai.txt",
            "petani-sambut-panen-raya.txt",
            "ponsel-lipat-punya-celah-keamanan.txt",
            "rapat-warga-jalan-desa-diperbaiki.txt",
            "warga-desa-tanam-seribu-pohon-bakau.txt",
        ],
        "{text}"
    );
    assert_eq!(lines_starting(&text, "added ").len(), 12, "{text}");
    // Same title and day in another date style but other text: another
    // article, kept. Same URL with tracking: the same one.
    let dups = lines_starting(&text, "skipped");
    assert!(
        lines_starting(&text, "added ")
            .iter()
            .any(|l| l.contains("ekspor.jsonl:3)")),
        "{text}"
    );
    let first = "duplicate of harga-beras-turun-menjelang-panen-raya.txt, same URL";
    assert!(
        dups.iter()
            .any(|l| l.contains("ekspor.jsonl:4: ") && l.contains(first)),
        "{text}"
    );
    assert!(
        dups.iter()
            .any(|l| l.contains("ekspor.jsonl:6") && l.contains("not a JSON article")),
        "{text}"
    );
    assert!(text.contains("12 added, 2 skipped (1 duplicate)"), "{text}");

    // Each file is native text that reads back as the article imported.
    let src = Library::load(&[fx.join("liputan6-like.html")]);
    let written = Library::load(&[env
        .library()
        .join("operator-seluler-perluas-jaringan-4g.txt")]);
    let (a, b) = (&src.articles[0], &written.articles[0]);
    assert_eq!(
        (&a.title, &a.meta, &a.blocks),
        (&b.title, &b.meta, &b.blocks)
    );
    let raw = std::fs::read_to_string(env.library().join("rapat-warga-jalan-desa-diperbaiki.txt"))
        .unwrap();
    assert!(
        raw.starts_with("---\ntitle: \"Rapat Warga\": Jalan Desa Diperbaiki\ndate: 2024-08-17\n"),
        "{raw}"
    );

    // `baca list` reads the library folder from the data directory.
    let list = env.baca(&["list"]);
    let listed = stdout(&list);
    assert_eq!(list.status.code(), Some(0));
    assert!(listed.contains("12 articles"), "{listed}");
    assert!(!listed.contains("sample"), "{listed}");
    assert!(
        listed.contains("Ponsel Lipat Punya Celah Keamanan"),
        "{listed}"
    );

    // Adding again adds nothing.
    let again = env.baca(&["add", fx.to_str().unwrap()]);
    let text = stdout(&again);
    assert_eq!(again.status.code(), Some(0));
    assert!(text.contains("0 added"), "{text}");
    assert_eq!(lines_starting(&text, "skipped").len(), 14, "{text}");
    assert!(
        text.contains("ekspor.jsonl:3: duplicate of harga-beras-turun-menjelang-panen-raya-2.txt, same title, date and text"),
        "{text}"
    );
    assert_eq!(env.files().len(), 12);
}

#[test]
fn add_reports_unreadable_and_binary_inputs_and_exits_2() {
    let env = Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("gambar.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10").unwrap();
    let missing = tmp.path().join("tidak-ada.txt");
    let md = fixtures().join("artikel.md");
    let out = env.baca(&[
        "add",
        png.to_str().unwrap(),
        missing.to_str().unwrap(),
        md.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("gambar.png: binary file, not an article"),
        "{text}"
    );
    assert!(
        text.contains("tidak-ada.txt: no such file or folder"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("tidak-ada.txt"));
    assert_eq!(env.files(), ["pasar-terapung-kembali-ramai.txt"]);
}

#[test]
fn add_to_a_library_given_on_the_command_line() {
    let env = Env::new();
    let lib = tempfile::tempdir().unwrap();
    let target = lib.path().join("koleksi");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(
        target.join("lama.txt"),
        "---\ntitle: Petani Sambut Panen Raya\ndate: 4 Desember 2024\n---\n\
         Petani di lumbung padi menyambut panen raya dengan syukuran.\n\
         Hasil panen tahun ini lebih baik dari tahun lalu.\n",
    )
    .unwrap();
    let out = env.baca(&[
        "add",
        "--library",
        target.to_str().unwrap(),
        fixtures().join("ekspor.jsonl").to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("duplicate of lama.txt, same title, date and text"),
        "{text}"
    );
    assert!(!env.library().exists(), "the default library is left alone");
    let mut names: Vec<String> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "harga-beras-turun-menjelang-panen-raya-2.txt",
            "harga-beras-turun-menjelang-panen-raya-3.txt",
            "harga-beras-turun-menjelang-panen-raya.txt",
            "lama.txt"
        ]
    );
}

// ---------------------------------------------------------------- bodies

/// The text of each block of article `i`.
fn block_texts(lib: &Library, i: usize) -> Vec<String> {
    lib.articles[i]
        .blocks
        .iter()
        .map(|b| b.text().to_owned())
        .collect()
}

/// JSON bodies in the shapes scrapers leave them go through the same
/// decoding as table cells: a list written as text, `||` joins.
#[test]
fn json_bodies_written_as_lists_or_joined_become_paragraphs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("daftar.jsonl");
    std::fs::write(
        &path,
        "{\"title\": \"Satu\", \"body\": \"['Paragraf pertama.', 'Paragraf kedua.']\"}\n\
         {\"title\": \"Dua\", \"content\": \"Awal.||Tengah.||Akhir.\"}\n\
         {\"title\": \"Tiga\", \"text\": \"Glued.Baca juga: Satu\"}\n",
    )
    .unwrap();
    let lib = Library::load(&[path]);
    let texts = |i: usize| block_texts(&lib, i);
    assert_eq!(texts(0), ["Paragraf pertama.", "Paragraf kedua."]);
    assert_eq!(texts(1), ["Awal.", "Tengah.", "Akhir."]);
    assert_eq!(
        lib.articles[2].blocks.len(),
        2,
        "glued text is kept for the parser"
    );
}

/// Two articles that share a title (inferred from the same first sentence)
/// and a day but not their whole text are both kept; a copy of one, its
/// date written another way, is skipped and says why.
#[test]
fn add_keeps_articles_sharing_a_first_sentence_and_names_each_copy() {
    let env = Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("ekspor.jsonl");
    let opening = "Hujan deras mengguyur kota sejak pagi.";
    std::fs::write(
        &export,
        format!(
            "{{\"date\": \"2024-03-01\", \"body\": \"{opening}\\nJalan utama tergenang.\"}}\n\
             {{\"date\": \"2024-03-01\", \"body\": \"{opening}\\nSekolah meliburkan murid.\"}}\n\
             {{\"date\": \"1 Maret 2024\", \"body\": \"{opening}\\nJalan utama tergenang.\"}}\n"
        ),
    )
    .unwrap();
    let out = env.baca(&["add", export.to_str().unwrap()]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("2 added, 1 skipped (1 duplicate)"), "{text}");
    assert!(
        text.contains("ekspor.jsonl:3: duplicate of ")
            && text.contains(", same title, date and text"),
        "{text}"
    );
    assert_eq!(env.files().len(), 2);
}

/// A page nested 20,000 elements deep (issue 16) is read as plain text,
/// every level's text kept, with a problem that says why.
#[test]
fn a_page_nested_thousands_deep_is_read_as_text() {
    let mut html = String::from("<title>Halaman Bersarang</title><body>");
    for i in 0..20_000 {
        html.push_str(&format!("<div>Teks di tingkat {i} yang cukup panjang."));
    }
    html.push_str(&"</div>".repeat(20_000));
    let a = import::parse_bytes(html.as_bytes(), "x.html", Format::Html).unwrap();
    assert_eq!(a.title, "Halaman Bersarang");
    assert_eq!(a.blocks.len(), 20_000);
    assert_eq!(
        a.blocks[19_999].text(),
        "Teks di tingkat 19999 yang cukup panjang."
    );
    assert!(
        a.problems[0].contains("nested more than 1000 deep"),
        "{:?}",
        a.problems
    );
    // Nested as deep as real pages go, it is built as a tree as before.
    let mut html = String::from("<title>Dangkal</title><body>");
    html.push_str(&"<div>".repeat(300));
    html.push_str(
        &"<p>Paragraf yang cukup panjang untuk menjadi isi sebuah artikel berita. </p>".repeat(3),
    );
    html.push_str(&"</div>".repeat(300));
    let a = import::parse_bytes(html.as_bytes(), "y.html", Format::Html).unwrap();
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert!(!a.blocks.is_empty());
}

/// Read-later exports keep `content` as HTML: it becomes paragraphs and
/// links, never tags shown as text.
#[test]
fn json_bodies_written_in_html_become_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("simpan.json");
    let long = "<div class=\"konten\"><p>Pemerintah kota membuka taman baru di tepi sungai pada Sabtu pagi, disambut ratusan warga.</p>\
                <p>Taman itu dilengkapi jalur sepeda dan tempat bermain anak yang aman.</p>\
                <p>Baca juga: Sungai Kota Dibersihkan Relawan</p></div>";
    let records = serde_json::json!([
        {"title": "Taman Baru Dibuka", "content": long},
        {"title": "Singkat", "content": "Satu baris.<br>Dua <b>tebal</b> baris.<script>x()</script>"},
    ]);
    std::fs::write(&path, records.to_string()).unwrap();
    let lib = Library::load(&[path]);
    assert!(lib.problems.is_empty(), "{:?}", lib.problems);
    let texts = |i: usize| block_texts(&lib, i);
    let taman = texts(0);
    assert_eq!(taman.len(), 3, "{taman:?}");
    assert!(taman[1].starts_with("Taman itu dilengkapi"), "{taman:?}");
    assert!(
        matches!(&lib.articles[0].blocks[2], Block::Link(l) if l.target.as_deref() == Some("Sungai Kota Dibersihkan Relawan")),
        "{:?}",
        lib.articles[0].blocks
    );
    assert_eq!(texts(1), ["Satu baris.", "Dua tebal baris."]);
    assert!(taman.iter().chain(&texts(1)).all(|t| !t.contains('<')));
}

// ---------------------------------------------------------------- feeds

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Kabar Kampung</title>
  <link>https://kabar.test/</link>
  <item>
    <title>Jembatan Gantung Selesai Dibangun</title>
    <link>https://kabar.test/jembatan</link>
    <pubDate>Sat, 06 Jun 2020 14:23:00 +0700</pubDate>
    <author>redaksi@kabar.test (Rina)</author>
    <category>Daerah</category>
    <description>Ringkasan saja.</description>
    <content:encoded><![CDATA[<p>Warga kini bisa menyeberang sungai tanpa perahu.</p><p>Baca juga: Sungai Meluap Lagi</p>]]></content:encoded>
  </item>
  <item>
    <title>Sungai Meluap Lagi</title>
    <link>https://kabar.test/sungai</link>
    <description>Air naik setinggi lutut di tepi desa.</description>
  </item>
</channel>
</rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Warta Pagi</title>
  <entry>
    <title>Pasar Pagi Kembali Dibuka</title>
    <link rel="alternate" href="https://warta.test/pasar"/>
    <updated>2021-02-03T04:05:06Z</updated>
    <author><name>Budi</name></author>
    <content type="html">&lt;p&gt;Pedagang menata lapak sejak subuh.&lt;/p&gt;&lt;p&gt;Pembeli datang berombongan.&lt;/p&gt;</content>
  </entry>
</feed>"#;

#[test]
fn rss_and_atom_items_are_articles() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kabar.rss"), RSS).unwrap();
    std::fs::write(dir.path().join("warta.atom"), ATOM).unwrap();
    // A feed saved under a page's name is still a feed.
    std::fs::write(dir.path().join("disimpan.html"), RSS).unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    assert!(lib.problems.is_empty(), "{:?}", lib.problems);
    assert_eq!(lib.len(), 5);
    let jembatan = &lib.articles[0];
    assert!(
        jembatan.origin.ends_with("disimpan.html#1"),
        "{}",
        jembatan.origin
    );
    assert_eq!(jembatan.title, "Jembatan Gantung Selesai Dibangun");
    assert_eq!(
        jembatan.meta.url.as_deref(),
        Some("https://kabar.test/jembatan")
    );
    assert_eq!(jembatan.meta.date.as_deref(), Some("2020-06-06T07:23:00Z"));
    assert_eq!(jembatan.meta.source.as_deref(), Some("Kabar Kampung"));
    assert_eq!(jembatan.meta.tags, ["Daerah"]);
    assert_eq!(jembatan.meta.author.as_deref(), Some("Rina"));
    assert_eq!(jembatan.blocks.len(), 2, "{:?}", jembatan.blocks);
    assert!(
        matches!(&jembatan.blocks[1], Block::Link(l) if l.target.as_deref() == Some("Sungai Meluap Lagi"))
    );
    let sungai = &lib.articles[1];
    assert_eq!(
        sungai.blocks[0].text(),
        "Air naik setinggi lutut di tepi desa."
    );
    let pasar = lib
        .articles
        .iter()
        .find(|a| a.origin.ends_with("warta.atom#1"))
        .unwrap();
    assert_eq!(pasar.title, "Pasar Pagi Kembali Dibuka");
    assert_eq!(pasar.meta.author.as_deref(), Some("Budi"));
    assert_eq!(pasar.meta.date.as_deref(), Some("2021-02-03T04:05:06Z"));
    let texts: Vec<&str> = pasar.blocks.iter().map(|b| b.text()).collect();
    assert_eq!(
        texts,
        [
            "Pedagang menata lapak sejak subuh.",
            "Pembeli datang berombongan."
        ]
    );

    // A broken feed is a problem, not an empty article.
    std::fs::write(dir.path().join("rusak.rss"), "<rss><channel><item><title>x").unwrap();
    let lib = Library::load(&[dir.path().join("rusak.rss")]);
    assert_eq!(lib.len(), 0);
    assert!(
        lib.problems[0].message.starts_with("not a feed"),
        "{:?}",
        lib.problems
    );
}

#[test]
fn unicode_line_breaks_end_lines_in_every_text_format() {
    for sep in ["\u{2028}", "\u{2029}", "\u{85}"] {
        for (format, text) in [
            (
                Format::Native,
                format!("Judul Berita{sep}Paragraf pertama di sini."),
            ),
            (
                Format::Markdown,
                format!("# Judul Berita{sep}{sep}Paragraf pertama di sini."),
            ),
        ] {
            let a =
                baca::core::import::parse_bytes(text.as_bytes(), "a.txt", format).expect("parsed");
            assert_eq!(a.title, "Judul Berita", "{format:?} {sep:?}");
            assert_eq!(
                a.blocks,
                vec![Block::Paragraph {
                    text: "Paragraf pertama di sini.".into()
                }],
                "{format:?} {sep:?}"
            );
        }
    }
}

/// A "Baca juga" box of a saved page gives each link its address, and the
/// link names the article saved with that address, whatever its text says.
#[test]
fn a_saved_pages_box_links_by_url() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tujuan.txt"),
        "---\ntitle: Jadwal Kereta Berubah Mulai Senin Depan\nurl: https://contoh.test/read/jadwal-kereta\n---\nIsi.\n",
    )
    .unwrap();
    let para = "<p>Pemerintah kota mengumumkan perubahan jadwal kereta komuter mulai pekan depan, dan warga diminta menyesuaikan perjalanan.</p>";
    std::fs::write(
        dir.path().join("halaman.html"),
        format!(
            "<html><head><title>Stasiun Baru Dibuka</title></head><body><article><h1>Stasiun Baru Dibuka</h1>{para}{para}{para}\
             <p>Baca juga: <a href=\"https://www.contoh.test/read/jadwal-kereta/?utm_source=x\">Jadwal KRL Diubah</a></p>{para}</article></body></html>"
        ),
    )
    .unwrap();
    let lib = Library::load(&[dir.path().to_path_buf()]);
    let page = lib
        .ids()
        .find(|&id| lib.article(id).title == "Stasiun Baru Dibuka")
        .expect("the page");
    let link = lib
        .article(page)
        .links()
        .next()
        .map(|(_, l)| l.clone())
        .expect("a link");
    assert_eq!(link.target.as_deref(), Some("Jadwal KRL Diubah"));
    assert_eq!(
        link.url.as_deref(),
        Some("https://www.contoh.test/read/jadwal-kereta/?utm_source=x")
    );
    let out = &lib.graph.outgoing[page.index()][0];
    match &out.resolution {
        baca::core::links::Resolution::Resolved(to) => {
            assert_eq!(
                lib.article(*to).title,
                "Jadwal Kereta Berubah Mulai Senin Depan"
            )
        }
        other => panic!("{other:?}"),
    }
}
