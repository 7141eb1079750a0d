//! Synthetic libraries for benchmarks and load tests: deterministic from a
//! seed, news-like Indonesian text of about 3 KB an article, with
//! subheadings and "Baca juga" links to other generated articles (some
//! broken, some with a typo, a few glued inside a paragraph).

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// Files per subfolder, so no folder grows unwieldy.
const FILES_PER_FOLDER: usize = 1000;
/// How many made-up words the syllable generator can yield; with the real
/// words below this gives a vocabulary as wide as real news.
const SYNTHETIC_WORDS: u64 = 60_000;
/// Seed offset for titles that name no article, kept apart from real ones.
const BROKEN_SALT: u64 = 0xB0_0C_EA_5E;

/// SplitMix64: tiny, fast and good enough to make text, not cryptography.
struct Rng(u64);

impl Rng {
    /// Streams start at hashed states: SplitMix states only a few steps
    /// apart would give articles that repeat each other's words.
    fn new(seed: u64, stream: u64) -> Rng {
        Rng(mix(seed ^ mix(stream)))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 32) * n) >> 32
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below((hi - lo + 1) as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Everyday words of Indonesian prose, the bulk of any real article.
const COMMON: &[&str] = &[
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "dengan", "untuk", "pada", "dalam", "tidak",
    "akan", "juga", "sudah", "telah", "oleh", "karena", "saat", "bisa", "ada", "lebih", "masih",
    "para", "tersebut", "sebagai", "kata", "menurut", "namun", "setelah", "hingga", "sejak",
    "bahwa", "mereka", "kami", "kita", "dia", "ia", "secara", "agar", "atau", "tetapi", "belum",
    "sangat", "hanya", "semua", "banyak", "beberapa", "setiap", "antara", "tahun", "hari", "bulan",
    "pekan", "waktu", "kemarin", "besok", "pagi", "siang", "malam", "sore", "baru", "lama",
    "besar", "kecil", "tinggi", "rendah", "jauh", "dekat", "pertama", "kedua", "ketiga",
    "terakhir", "sendiri", "bersama", "tentang", "terhadap", "melalui", "tanpa", "selama",
    "sekitar", "kembali", "lagi", "pun", "sehingga", "meski", "walaupun", "apabila", "jika",
];

/// News nouns, verbs and adjectives: what articles are about.
const NEWS: &[&str] = &[
    "pemerintah",
    "presiden",
    "menteri",
    "gubernur",
    "bupati",
    "walikota",
    "warga",
    "masyarakat",
    "polisi",
    "tentara",
    "pasukan",
    "rakyat",
    "negara",
    "daerah",
    "wilayah",
    "kota",
    "desa",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "ibu",
    "bapak",
    "anak",
    "keluarga",
    "sekolah",
    "siswa",
    "guru",
    "mahasiswa",
    "kampus",
    "rumah",
    "sakit",
    "dokter",
    "pasien",
    "harga",
    "beras",
    "cabai",
    "minyak",
    "bensin",
    "listrik",
    "air",
    "banjir",
    "gempa",
    "longsor",
    "kebakaran",
    "hujan",
    "cuaca",
    "jalan",
    "tol",
    "kereta",
    "bandara",
    "pelabuhan",
    "kapal",
    "pesawat",
    "mobil",
    "motor",
    "pasar",
    "pedagang",
    "petani",
    "nelayan",
    "buruh",
    "pekerja",
    "perusahaan",
    "bank",
    "saham",
    "rupiah",
    "ekonomi",
    "anggaran",
    "pajak",
    "utang",
    "investasi",
    "ekspor",
    "impor",
    "produksi",
    "industri",
    "pabrik",
    "tambang",
    "hutan",
    "laut",
    "pantai",
    "gunung",
    "sungai",
    "danau",
    "pulau",
    "perbatasan",
    "perang",
    "damai",
    "konflik",
    "gencatan",
    "senjata",
    "serangan",
    "korban",
    "pengungsi",
    "bantuan",
    "pemilu",
    "partai",
    "calon",
    "suara",
    "kampanye",
    "sidang",
    "hakim",
    "jaksa",
    "pengadilan",
    "hukum",
    "undang",
    "peraturan",
    "kebijakan",
    "program",
    "proyek",
    "pembangunan",
    "kesehatan",
    "pendidikan",
    "olahraga",
    "sepak",
    "bola",
    "pemain",
    "pelatih",
    "pertandingan",
    "juara",
    "turnamen",
    "film",
    "musik",
    "budaya",
    "agama",
    "masjid",
    "gereja",
    "festival",
    "wisata",
    "hotel",
    "makanan",
    "minuman",
    "teknologi",
    "internet",
    "aplikasi",
    "data",
    "digital",
    "ponsel",
    "mengatakan",
    "menyatakan",
    "menjelaskan",
    "mengungkapkan",
    "menambahkan",
    "meminta",
    "menolak",
    "menerima",
    "membangun",
    "membuka",
    "menutup",
    "menunda",
    "menyerahkan",
    "mengirim",
    "menyerang",
    "bertahan",
    "melarikan",
    "membakar",
    "menghancurkan",
    "menangkap",
    "memeriksa",
    "mengumumkan",
    "memutuskan",
    "membahas",
    "menyetujui",
    "menandatangani",
    "meningkat",
    "menurun",
    "naik",
    "turun",
    "melonjak",
    "anjlok",
    "stabil",
    "tumbuh",
    "berkembang",
    "berhasil",
    "gagal",
    "selesai",
    "dimulai",
    "ditunda",
    "dibuka",
    "ditutup",
    "penting",
    "mendesak",
    "serius",
    "aman",
    "rawan",
    "parah",
    "ringan",
    "resmi",
    "nasional",
    "internasional",
    "lokal",
    "umum",
    "khusus",
    "utama",
    "terbesar",
    "terbaru",
    "sementara",
    "penjaga",
    "perdamaian",
    "pertempuran",
    "solusi",
    "abadi",
    "sulit",
    "dipahami",
    "bakar",
    "persediaan",
    "pelayanan",
    "keamanan",
    "ketertiban",
    "kerusuhan",
    "demonstrasi",
    "unjuk",
    "rasa",
    "aksi",
    "tuntutan",
    "kenaikan",
    "penurunan",
    "subsidi",
    "bansos",
    "vaksin",
    "pandemi",
    "virus",
    "klinik",
    "puskesmas",
    "obat",
    "rencana",
    "target",
    "laporan",
    "penelitian",
    "survei",
    "hasil",
    "angka",
    "jumlah",
    "persen",
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kilometer",
    "meter",
    "ton",
    "liter",
    "jam",
    "menit",
    "detik",
    "tengah",
    "utara",
    "selatan",
    "timur",
    "barat",
    "pusat",
    "ibukota",
    "istana",
    "parlemen",
    "dewan",
    "komisi",
    "lembaga",
    "badan",
    "dinas",
    "kantor",
    "petugas",
    "pejabat",
    "tokoh",
    "ketua",
    "wakil",
    "anggota",
    "juru",
    "bicara",
    "pengamat",
    "ahli",
    "saksi",
    "tersangka",
    "pelaku",
];

/// Words headlines keep in lower case.
const CONNECTORS: &[&str] = &["di", "dan", "yang", "untuk", "dari", "ke", "pada", "dengan"];

const SOURCES: &[&str] = &[
    "Warta Nusantara",
    "Kabar Kita",
    "Harian Pagi",
    "Suara Daerah",
    "Berita Satu Kota",
    "Jurnal Bangsa",
];

const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bu", "da", "di", "du", "ga", "gi", "gu", "ja", "ju", "ka", "ke", "ki", "ku",
    "la", "li", "lu", "ma", "me", "mi", "mu", "na", "ni", "nu", "pa", "pe", "pi", "ra", "ri", "ru",
    "sa", "se", "si", "su", "ta", "ti", "tu", "wa",
];
const CODAS: &[&str] = &["", "", "", "n", "ng", "r", "k", "t", "s", "l", "h", "m"];

/// The made-up word numbered `id`: two to four syllables and a closing
/// consonant, pronounceable and (nearly always) distinct for distinct ids.
fn synthetic_word(id: u64, out: &mut String) {
    // Hashed, so every syllable varies: the plain digits of a small id
    // would end most words in the first syllables ("…baba").
    let mut id = mix(id.wrapping_add(0x9E37_79B9_7F4A_7C15));
    let s = SYLLABLES.len() as u64;
    let coda = CODAS[(id % CODAS.len() as u64) as usize];
    id /= CODAS.len() as u64;
    let syllables = 2 + (id % 3);
    id /= 3;
    for _ in 0..syllables {
        out.push_str(SYLLABLES[(id % s) as usize]);
        id /= s;
    }
    out.push_str(coda);
}

/// Appends one word of body text. Real words dominate; made-up words come
/// from a long tail where low ids are far more frequent (Zipf-like).
fn push_word(rng: &mut Rng, out: &mut String) {
    match rng.below(100) {
        0..=39 => out.push_str(rng.pick(COMMON)),
        40..=71 => out.push_str(rng.pick(NEWS)),
        _ => {
            // Log-uniform ids (id ≈ N^u) follow Zipf's law as real words
            // do: a few frequent, a long tail of rare ones.
            let u = rng.below(1 << 20) as f64 / (1u64 << 20) as f64;
            let rank = (SYNTHETIC_WORDS as f64).powf(u) as u64 - 1;
            synthetic_word(rank, out);
        }
    }
}

fn push_capitalised(word: &str, out: &mut String) {
    let mut chars = word.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// A headline in Title Case, 6 to 12 words: news words and a couple of
/// rarer made-up names (so titles are unique-ish), connectors in lower case.
fn headline(rng: &mut Rng) -> String {
    let n = rng.range(6, 12);
    let mut out = String::new();
    let mut word = String::new();
    for k in 0..n {
        if k > 0 {
            out.push(' ');
        }
        word.clear();
        match rng.below(100) {
            _ if k == 0 => word.push_str(rng.pick(NEWS)),
            0..=11 if k + 1 < n => {
                out.push_str(rng.pick(CONNECTORS));
                continue;
            }
            12..=54 => word.push_str(rng.pick(NEWS)),
            55..=57 => {
                let _ = write!(word, "{}", 2 + rng.below(30));
            }
            _ => synthetic_word(rng.below(SYNTHETIC_WORDS), &mut word),
        }
        push_capitalised(&word, &mut out);
    }
    out
}

/// The title of generated article `i`: a function of the seed and `i`
/// alone, so any article can name any other.
pub fn title(seed: u64, i: usize) -> String {
    headline(&mut Rng::new(seed, i as u64 * 2 + 1))
}

fn sentence(rng: &mut Rng, out: &mut String) {
    let n = rng.range(7, 20);
    let quoted = rng.chance(8);
    if quoted {
        out.push('\u{201c}');
    }
    let mut word = String::new();
    for k in 0..n {
        word.clear();
        push_word(rng, &mut word);
        if k == 0 {
            push_capitalised(&word, out);
        } else {
            out.push(' ');
            out.push_str(&word);
            if k + 1 < n && rng.chance(6) {
                out.push(',');
            }
        }
    }
    out.push('.');
    if quoted {
        out.push('\u{201d}');
    }
}

fn paragraph(rng: &mut Rng, out: &mut String) {
    for k in 0..rng.range(2, 4) {
        if k > 0 {
            out.push(' ');
        }
        sentence(rng, out);
    }
}

/// A short unpunctuated line in sentence case: read as a subheading.
fn subheading(rng: &mut Rng, out: &mut String) {
    let mut word = String::new();
    for k in 0..rng.range(2, 6) {
        word.clear();
        if k % 2 == 0 {
            word.push_str(rng.pick(NEWS));
        } else {
            push_word(rng, &mut word);
        }
        if k == 0 {
            push_capitalised(&word, out);
        } else {
            out.push(' ');
            out.push_str(&word);
        }
    }
    out.push('\n');
}

/// `title` with one letter of one long word changed, as a hurried editor
/// would type it; unchanged when no word has six letters or more.
fn with_typo(rng: &mut Rng, title: &str) -> String {
    let long: Vec<(usize, &str)> = title
        .split(' ')
        .scan(0, |pos, w| {
            let at = *pos;
            *pos += w.len() + 1;
            Some((at, w))
        })
        .filter(|(_, w)| w.len() >= 6 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .collect();
    if long.is_empty() {
        return title.to_owned();
    }
    let (at, w) = long[rng.below(long.len() as u64) as usize];
    let k = at + 1 + rng.below(w.len() as u64 - 1) as usize;
    let old = title.as_bytes()[k];
    let mut new = b'a' + rng.below(26) as u8;
    if new == old.to_ascii_lowercase() {
        new = if new == b'z' { b'a' } else { new + 1 };
    }
    let mut out = title.to_owned();
    out.replace_range(k..k + 1, char::from(new).encode_utf8(&mut [0; 4]));
    out
}

/// What a link of article `i` names: another article's title, now and then
/// with a typo, or (about one in twenty) a title no article has.
fn link_target(rng: &mut Rng, seed: u64, i: usize, n: usize) -> String {
    let roll = rng.below(100);
    if roll < 5 || n < 2 {
        return headline(&mut Rng::new(seed ^ BROKEN_SALT, rng.next()));
    }
    let mut j = rng.below(n as u64) as usize;
    if j == i {
        j = (j + 1) % n;
    }
    let t = title(seed, j);
    if roll < 10 {
        with_typo(rng, &t)
    } else {
        t
    }
}

fn marker(rng: &mut Rng) -> &'static str {
    match rng.below(100) {
        0..=79 => "Baca juga: ",
        80..=89 => "Baca Juga: ",
        90..=94 => "BACA JUGA:",
        _ => "Lihat juga : ",
    }
}

/// Article `i` of a library of `n` generated from `seed`: its file name and
/// its text (front matter, paragraphs, subheadings, "Baca juga" links).
pub fn article_text(seed: u64, i: usize, n: usize) -> (String, String) {
    let title = title(seed, i);
    let mut rng = Rng::new(seed, i as u64 * 2 + 2);
    let mut text = String::with_capacity(3600);
    let _ = writeln!(text, "---\ntitle: {title}");
    let _ = writeln!(
        text,
        "date: {}-{:02}-{:02}",
        2018 + rng.below(7),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let _ = writeln!(text, "source: {}\n---", rng.pick(SOURCES));

    let size = rng.range(2300, 3100);
    let mut headings = rng.range(1, 3);
    let mut links = rng.range(1, 4);
    // Where the subheadings and links go, spread over the body.
    let body_paragraphs = 8usize;
    let mut para = 0usize;
    let glued = rng.chance(4);
    while text.len() < size || links > 0 {
        if para > 1 && headings > 0 && rng.below(body_paragraphs as u64) < 2 {
            subheading(&mut rng, &mut text);
            headings -= 1;
        }
        paragraph(&mut rng, &mut text);
        if glued && links > 0 && para == 1 {
            // A link flattened into its paragraph, the next sentence glued
            // on: with the two spaces scrapers leave, or with just one.
            let gap = if rng.chance(50) { "  " } else { " " };
            text.push(' ');
            text.push_str("Baca juga: ");
            text.push_str(&link_target(&mut rng, seed, i, n));
            text.push_str(gap);
            sentence(&mut rng, &mut text);
            links -= 1;
        }
        text.push('\n');
        para += 1;
        if links > 0 && para >= 2 && (text.len() * 2 > size || rng.chance(25)) {
            text.push_str(marker(&mut rng));
            text.push_str(&link_target(&mut rng, seed, i, n));
            text.push('\n');
            links -= 1;
        }
    }
    while headings > 0 {
        subheading(&mut rng, &mut text);
        paragraph(&mut rng, &mut text);
        text.push('\n');
        headings -= 1;
    }
    (file_name(&title, i), text)
}

/// `000123-presiden-warga-banjir.txt`: a number for order, a few title
/// words so a listing reads like a real folder.
fn file_name(title: &str, i: usize) -> String {
    let mut name = format!("{i:06}");
    for w in title.split(' ').take(4) {
        name.push('-');
        name.extend(
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    name.push_str(".txt");
    name
}

/// Writes a library of `n` articles into `dir`, 1000 files a subfolder
/// (`dir/0000/…`, `dir/0001/…`). Returns the bytes written.
pub fn write_library(dir: &Path, n: usize, seed: u64) -> io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let folders: Vec<usize> = (0..n.div_ceil(FILES_PER_FOLDER)).collect();
    let written = super::par::map(&folders, |&f| -> io::Result<u64> {
        let sub = dir.join(format!("{f:04}"));
        std::fs::create_dir_all(&sub)?;
        let mut bytes = 0;
        for i in f * FILES_PER_FOLDER..((f + 1) * FILES_PER_FOLDER).min(n) {
            let (name, text) = article_text(seed, i, n);
            std::fs::write(sub.join(name), &text)?;
            bytes += text.len() as u64;
        }
        Ok(bytes)
    });
    written.into_iter().sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::library::Library;
    use crate::core::links::Resolution;
    use crate::core::parse::{parse_str, ParseOptions};
    use std::collections::HashSet;

    #[test]
    fn deterministic_and_seed_dependent() {
        assert_eq!(article_text(7, 3, 100), article_text(7, 3, 100));
        assert_ne!(article_text(7, 3, 100).1, article_text(8, 3, 100).1);
        assert_ne!(title(7, 3), title(7, 4));
    }

    #[test]
    fn articles_look_like_news() {
        let mut words = HashSet::new();
        let mut sizes = 0;
        for i in 0..200 {
            let (name, text) = article_text(1, i, 200);
            assert!(name.ends_with(".txt") && name.starts_with(&format!("{i:06}")));
            sizes += text.len();
            let a = parse_str(&text, &name, ParseOptions::default());
            assert_eq!(a.title, title(1, i));
            let t = a.title.split(' ').count();
            assert!((6..=12).contains(&t), "{}", a.title);
            let h = a.headings().count();
            assert!((1..=3).contains(&h), "{h} headings in {text}");
            let l = a.links().count();
            assert!((1..=4).contains(&l), "{l} links in {text}");
            words.extend(text.split_whitespace().map(str::to_lowercase));
        }
        let avg = sizes / 200;
        assert!((2500..=3800).contains(&avg), "average size {avg}");
        assert!(words.len() > 3000, "only {} distinct words", words.len());
    }

    #[test]
    fn links_mostly_resolve_some_broken_some_typos() {
        let n = 1000;
        let articles: Vec<_> = (0..n)
            .map(|i| {
                let (name, text) = article_text(5, i, n);
                parse_str(&text, &name, ParseOptions::default())
            })
            .collect();
        let titles: HashSet<String> = articles.iter().map(|a| a.title.clone()).collect();
        assert!(titles.len() >= n - 2, "titles repeat: {}", titles.len());
        let typos = articles
            .iter()
            .flat_map(|a| a.links())
            .filter(|(_, l)| l.target.as_ref().is_some_and(|t| !titles.contains(t)))
            .count();
        let lib = Library::from_articles(articles, Vec::new());
        let all: Vec<&Resolution> = lib
            .graph
            .outgoing
            .iter()
            .flatten()
            .map(|o| &o.resolution)
            .collect();
        let broken = all
            .iter()
            .filter(|r| matches!(r, Resolution::Broken(_)))
            .count();
        let total = all.len();
        let pct = |x: usize| x * 100 / total;
        assert!((3..=8).contains(&pct(broken)), "{broken} of {total} broken");
        // Typo'd and broken titles are both absent from the title set.
        assert!((7..=14).contains(&pct(typos)), "{typos} of {total} inexact");
        let glued = lib
            .articles
            .iter()
            .filter(|a| a.blocks.iter().any(|b| matches!(b, crate::core::article::Block::Paragraph { text } if text.contains("Baca juga"))))
            .count();
        assert_eq!(glued, 0, "a glued link was left inside its paragraph");
    }

    #[test]
    fn typo_changes_one_letter() {
        let mut rng = Rng::new(1, 1);
        for _ in 0..100 {
            let t = headline(&mut rng);
            let typo = with_typo(&mut rng, &t);
            assert_eq!(t.len(), typo.len());
            let diff = t.bytes().zip(typo.bytes()).filter(|(a, b)| a != b).count();
            assert!(diff <= 1, "{t} / {typo}");
        }
    }

    #[test]
    fn writes_folders_of_a_thousand() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = write_library(dir.path(), 1005, 3).unwrap();
        assert!(bytes > 1005 * 2000);
        let count = |d: &str| std::fs::read_dir(dir.path().join(d)).unwrap().count();
        assert_eq!(count("0000"), 1000);
        assert_eq!(count("0001"), 5);
    }
}
