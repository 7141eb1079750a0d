//! A library: every article found under the paths the user gave (folders,
//! files, JSON Lines exports) or the sample compiled into the binary, with
//! the link graph between them and the problems met on the way.

use super::article::{Article, ArticleId};
use super::import::{self, Format};
use super::links::{resplit_inline, Resolution, TitleIndex};
use super::par;
use super::parse::{self, clean_spaces, ParseOptions};
use super::sanitize::sanitize;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Files larger than this are not articles; reading them would only cost
/// memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Something that went wrong while loading, tied to the path it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    /// An I/O failure (missing, unreadable) rather than content we chose to
    /// skip; the command line exits 2 on these.
    pub io: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// One outgoing link of an article: its block and where it leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutLink {
    pub block: usize,
    pub resolution: Resolution,
}

#[derive(Debug, Default)]
pub struct LinkGraph {
    /// By article: its links in reading order.
    pub outgoing: Vec<Vec<OutLink>>,
    /// By article: the articles that link to it, each once, in library order.
    pub backlinks: Vec<Vec<ArticleId>>,
}

#[derive(Debug, Default)]
pub struct Library {
    pub articles: Vec<Article>,
    pub index: TitleIndex,
    pub graph: LinkGraph,
    pub problems: Vec<Problem>,
    /// True when this is the sample compiled into the binary.
    pub is_sample: bool,
}

/// The sample library in `assets/library`, compiled in so a new user sees
/// real content. `tests/sample.rs` checks this list against the folder.
pub const SAMPLE: &[(&str, &str)] = &[
    (
        "00-warga-armenia-bakar-rumah.txt",
        include_str!("../../assets/library/00-warga-armenia-bakar-rumah.txt"),
    ),
    (
        "01-armenia-azerbaijan-rusia-sepakat-damai.txt",
        include_str!("../../assets/library/01-armenia-azerbaijan-rusia-sepakat-damai.txt"),
    ),
    (
        "02-azerbaijan-hancurkan-gudang-amunisi.txt",
        include_str!("../../assets/library/02-azerbaijan-hancurkan-gudang-amunisi.txt"),
    ),
    (
        "03-iran-kritik-kelompok-minsk.txt",
        include_str!("../../assets/library/03-iran-kritik-kelompok-minsk.txt"),
    ),
    (
        "04-rusia-kirim-jet-mig-29.txt",
        include_str!("../../assets/library/04-rusia-kirim-jet-mig-29.txt"),
    ),
    (
        "05-pm-armenia-akui-banyak-korban.txt",
        include_str!("../../assets/library/05-pm-armenia-akui-banyak-korban.txt"),
    ),
    (
        "06-istri-pm-armenia-pelatihan-militer.txt",
        include_str!("../../assets/library/06-istri-pm-armenia-pelatihan-militer.txt"),
    ),
    (
        "07-pasukan-azerbaijan-rebut-shusha.txt",
        include_str!("../../assets/library/07-pasukan-azerbaijan-rebut-shusha.txt"),
    ),
    (
        "08-isi-lengkap-pernyataan-gencatan-senjata.txt",
        include_str!("../../assets/library/08-isi-lengkap-pernyataan-gencatan-senjata.txt"),
    ),
    (
        "09-drone-penentu-perang-44-hari.txt",
        include_str!("../../assets/library/09-drone-penentu-perang-44-hari.txt"),
    ),
    (
        "10-azerbaijan-ambil-alih-kalbajar.txt",
        include_str!("../../assets/library/10-azerbaijan-ambil-alih-kalbajar.txt"),
    ),
    (
        "11-koridor-lachin-dijaga-pasukan-rusia.txt",
        include_str!("../../assets/library/11-koridor-lachin-dijaga-pasukan-rusia.txt"),
    ),
];

impl Library {
    /// Builds the library from parsed articles: indexes titles, settles the
    /// end of inline link titles against them, resolves every link.
    pub fn from_articles(mut articles: Vec<Article>, problems: Vec<Problem>) -> Library {
        let index = TitleIndex::new(articles.iter().map(|a| a.title.as_str()));
        if articles.iter().any(|a| a.links().any(|(_, l)| l.glued)) {
            par::for_each_mut(&mut articles, |i, a| {
                resplit_inline(a, ArticleId(i as u32), &index)
            });
        }
        let outgoing: Vec<Vec<OutLink>> = par::map(&articles_with_ids(&articles), |&(id, a)| {
            a.links()
                .map(|(block, link)| OutLink {
                    block,
                    resolution: resolve_link(&index, link, id),
                })
                .collect()
        });
        let mut backlinks: Vec<Vec<ArticleId>> = vec![Vec::new(); articles.len()];
        for (from, outs) in outgoing.iter().enumerate() {
            for out in outs {
                if let Resolution::Resolved(to) = out.resolution {
                    let list = &mut backlinks[to.index()];
                    if list.last() != Some(&ArticleId(from as u32)) {
                        list.push(ArticleId(from as u32));
                    }
                }
            }
        }
        Library {
            articles,
            index,
            graph: LinkGraph {
                outgoing,
                backlinks,
            },
            problems,
            is_sample: false,
        }
    }

    /// The sample library compiled into the binary.
    pub fn sample() -> Library {
        let articles = SAMPLE
            .iter()
            .map(|(name, text)| {
                let mut a = parse::parse_str(text, name, ParseOptions::default());
                a.origin = format!("sample:{name}");
                a
            })
            .collect();
        let mut lib = Library::from_articles(articles, Vec::new());
        lib.is_sample = true;
        lib
    }

    /// Loads every article under `paths` (folders recursively, files, JSON
    /// Lines exports). Problems are collected; the rest still loads.
    pub fn load(paths: &[PathBuf]) -> Library {
        let mut problems = Vec::new();
        let mut files = Vec::new();
        for path in paths {
            collect_files(path, true, &mut files, &mut HashSet::new(), &mut problems);
        }
        let loaded = par::map(&files, |f| {
            let mut result = load_file(f);
            if let Ok((articles, _)) = &mut result {
                // Block lists grow by doubling while parsing; a library
                // keeps them for its whole life, so give the slack back.
                articles.iter_mut().for_each(|a| a.blocks.shrink_to_fit());
            }
            result
        });
        let mut articles = Vec::with_capacity(files.len());
        for result in loaded {
            match result {
                Ok((arts, probs)) => {
                    articles.extend(arts);
                    problems.extend(probs);
                }
                Err(p) => problems.push(p),
            }
        }
        Library::from_articles(articles, problems)
    }

    /// The user's library folder, or the sample when it is missing or holds
    /// no article.
    pub fn load_default(library_dir: Option<&Path>) -> Library {
        if let Some(dir) = library_dir.filter(|d| d.is_dir()) {
            let lib = Library::load(&[dir.to_path_buf()]);
            if !lib.articles.is_empty() {
                return lib;
            }
        }
        Library::sample()
    }

    pub fn article(&self, id: ArticleId) -> &Article {
        &self.articles[id.index()]
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = ArticleId> {
        (0..self.articles.len() as u32).map(ArticleId)
    }

    /// The article loaded from `path`, for opening a single file.
    pub fn find_origin(&self, path: &Path) -> Option<ArticleId> {
        let want = path.canonicalize().ok()?;
        self.ids().find(|&id| {
            Path::new(&self.article(id).origin)
                .canonicalize()
                .ok()
                .as_deref()
                == Some(want.as_path())
        })
    }
}

fn articles_with_ids(articles: &[Article]) -> Vec<(ArticleId, &Article)> {
    articles
        .iter()
        .enumerate()
        .map(|(i, a)| (ArticleId(i as u32), a))
        .collect()
}

fn resolve_link(index: &TitleIndex, link: &super::article::Link, from: ArticleId) -> Resolution {
    use super::article::LinkKind;
    use super::links::Broken;
    match (&link.target, link.kind) {
        (_, LinkKind::Video) => Resolution::Broken(Broken::Video),
        (None, _) => Resolution::Broken(Broken::NoTarget),
        (Some(t), _) => index.resolve(t, Some(from)),
    }
}

fn is_article_file(path: &Path) -> bool {
    match Format::of(path) {
        // A page saved "complete" keeps its frames and ads as pages in a
        // `<name>_files` folder beside it: those are no articles.
        Some(Format::Html) => !path.ancestors().skip(1).any(|d| {
            d.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_files"))
        }),
        Some(_) => true,
        None => false,
    }
}

/// Walks `path`; a folder is read recursively (hidden entries skipped,
/// every real folder once, so a symlink back up the tree ends the walk).
fn collect_files(
    path: &Path,
    top: bool,
    files: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
    problems: &mut Vec<Problem>,
) {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            problems.push(io_problem(path, &e));
            return;
        }
    };
    if meta.is_file() {
        // A file named on the command line is read whatever its extension.
        if top || is_article_file(path) {
            files.push(path.to_path_buf());
        }
        return;
    }
    if !meta.is_dir() {
        return;
    }
    let real = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if !seen.insert(real) {
        problems.push(Problem {
            path: path.display().to_string(),
            message: "folder already read (a link loops back); skipped".into(),
            io: false,
        });
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => {
            problems.push(io_problem(path, &e));
            return;
        }
    };
    // The entry's own type needs no system call: only folders and links
    // are looked at again, not each of many thousand files.
    let mut children: Vec<(std::ffi::OsString, Option<std::fs::FileType>)> = entries
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().as_encoded_bytes().starts_with(b"."))
        .map(|e| (e.file_name(), e.file_type().ok()))
        .collect();
    // Siblings differ in their last component only: sorting by name is
    // sorting by path.
    children.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in children {
        let child = path.join(name);
        if kind.is_some_and(|k| k.is_file()) {
            if is_article_file(&child) {
                files.push(child);
            }
        } else {
            collect_files(&child, false, files, seen, problems);
        }
    }
}

fn io_problem(path: &Path, e: &std::io::Error) -> Problem {
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    };
    Problem {
        path: path.display().to_string(),
        message,
        io: true,
    }
}

type Loaded = Result<(Vec<Article>, Vec<Problem>), Problem>;

/// Reads and parses one file: an article, or many for an export.
pub fn load_file(path: &Path) -> Loaded {
    use std::io::Read;
    let shown = path.display().to_string();
    let mut file = std::fs::File::open(path).map_err(|e| io_problem(path, &e))?;
    let size = file.metadata().map_err(|e| io_problem(path, &e))?.len();
    if size > MAX_FILE_BYTES {
        return Err(Problem {
            path: shown,
            message: format!(
                "{} MB is too large for an article; skipped",
                size / (1024 * 1024)
            ),
            io: false,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.read_to_end(&mut bytes)
        .map_err(|e| io_problem(path, &e))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match ext.as_str() {
        "jsonl" | "ndjson" => Ok(load_jsonl(&bytes, &shown)),
        "json" => load_json(&bytes, &shown),
        // Any other file named on the command line is read as native text.
        _ => {
            let format = Format::of(path).unwrap_or(Format::Native);
            import::load_one(&bytes, name, &shown, format)
        }
    }
}

/// One article of a JSON export, as scrapers write them.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Record {
    title: Option<String>,
    date: Option<serde_json::Value>,
    url: Option<String>,
    body: Option<String>,
    content: Option<String>,
    text: Option<String>,
    site: Option<String>,
    source: Option<String>,
    author: Option<String>,
}

fn field(s: Option<String>) -> Option<String> {
    s.map(|v| clean_spaces(&sanitize(&v)))
        .filter(|v| !v.is_empty())
}

impl Record {
    fn into_article(self, origin: String) -> Article {
        let body = self.body.or(self.content).or(self.text).unwrap_or_default();
        let mut a = parse::parse_text(
            &body,
            ParseOptions {
                flattened: true,
                markdown: false,
            },
        );
        a.title = field(self.title).unwrap_or_default();
        a.meta.date = field(self.date.map(|d| match d {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }));
        a.meta.url = field(self.url);
        a.meta.source = field(self.site.or(self.source));
        a.meta.author = field(self.author);
        parse::ensure_title(&mut a, "");
        a.origin = origin;
        a
    }
}

/// A JSON Lines export: one article a line. A bad line is a problem naming
/// its line number; the others still load.
fn load_jsonl(bytes: &[u8], shown: &str) -> (Vec<Article>, Vec<Problem>) {
    let text = String::from_utf8_lossy(bytes);
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let origin = format!("{shown}:{}", i + 1);
        match serde_json::from_str::<Record>(line) {
            Ok(r) => articles.push(r.into_article(origin)),
            Err(e) => problems.push(Problem {
                path: origin,
                message: format!("not a JSON article: {e}"),
                io: false,
            }),
        }
    }
    (articles, problems)
}

/// A `.json` file: one article object or an array of them.
fn load_json(bytes: &[u8], shown: &str) -> Loaded {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<Record>),
        One(Record),
    }
    match serde_json::from_slice::<OneOrMany>(bytes) {
        Ok(OneOrMany::One(r)) => Ok((vec![r.into_article(shown.to_owned())], Vec::new())),
        Ok(OneOrMany::Many(rs)) => Ok((
            rs.into_iter()
                .enumerate()
                .map(|(i, r)| r.into_article(format!("{shown}#{}", i + 1)))
                .collect(),
            Vec::new(),
        )),
        Err(e) => Err(Problem {
            path: shown.to_owned(),
            message: format!("not a JSON article export: {e}"),
            io: false,
        }),
    }
}
