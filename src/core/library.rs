//! A library: every article found under the paths the user gave (folders,
//! files, JSON Lines exports) or the sample compiled into the binary, with
//! the link graph between them and the problems met on the way.

use super::article::{Article, ArticleId, Block, LinkKind};
use super::files::{self, ReadError};
use super::import::{self, Format};
use super::links::{canonical_url, resplit_inline, Resolution, TitleIndex};
use super::par;
use super::parse::{self, clean_spaces, ParseOptions};
use super::sanitize::sanitize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// A CSV table holds many articles and is read as it is parsed, so it may
/// be larger than an article file (`files::MAX_BYTES`).
const MAX_TABLE_BYTES: u64 = 1024 * 1024 * 1024;

/// Something that went wrong while loading, tied to the path it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
    /// An I/O failure (missing, unreadable), or a file the user must say
    /// more about to be read (a table with no body column), rather than
    /// content we chose to skip; the command line exits 2 on these.
    pub io: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// One outgoing link of an article: its block, what it names and where it
/// leads. What it names is kept here, not only in the block, so links can be
/// resolved again (a file added, a title changed) without reading bodies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutLink {
    pub block: usize,
    /// The link's URL, folded by [`canonical_url`]: it resolves first.
    pub url: Option<Box<str>>,
    /// The title the link names, as settled against the library's titles;
    /// `None` for a marker that names nothing, and for a link resolved to an
    /// article titled exactly so (most of them: the title is not kept
    /// twice). [`Library::named`] gives it in every case.
    pub target: Option<String>,
    pub kind: LinkKind,
    /// An inline link whose end was settled against the library's titles:
    /// when the titles change, its article must be read again.
    pub glued: bool,
    pub resolution: Resolution,
}

/// A file the library was read from, with what tells whether it changed
/// since: its size and modification time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStamp {
    pub path: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch (0 unknown).
    pub mtime: i128,
    /// The articles read from it are `first .. first + count`.
    pub first: u32,
    pub count: u32,
    /// What reading it reported (a skipped binary file, bad export lines).
    pub problems: Vec<Problem>,
}

/// Nanoseconds since the Unix epoch, negative before it, 0 when unknown.
pub fn mtime_ns(meta: &std::fs::Metadata) -> i128 {
    match meta.modified() {
        Ok(t) => match t.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        },
        Err(_) => 0,
    }
}

/// Where an article's text is inside its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The file is the article (native text, Markdown, a page, one JSON
    /// object).
    Whole,
    /// One line of a JSON Lines export: its bytes and its 1-based number.
    Line { offset: u64, len: u32, number: u32 },
    /// One element of a JSON array, 0-based.
    Item(u32),
    /// One row of a table: for CSV its bytes (`at`, `len`), for a
    /// spreadsheet none; its 1-based number after the header; and the
    /// columns it was read with, so it reads back the same on its own.
    Row {
        at: u64,
        len: u32,
        number: u32,
        columns: import::table::Columns,
    },
}

/// An article with its blocks: borrowed from a library that keeps them, or
/// read back from its file for a library that keeps titles only.
pub enum Full<'a> {
    Here(&'a Article),
    Read(Arc<Article>),
}

impl std::ops::Deref for Full<'_> {
    type Target = Article;
    fn deref(&self) -> &Article {
        match self {
            Full::Here(a) => a,
            Full::Read(a) => a,
        }
    }
}

/// Bodies read back lately, newest last: the open article, the history
/// around it and the search hits on screen are asked for on every frame.
const RECENT_BODIES: usize = 256;

#[derive(Debug, Default)]
pub struct LinkGraph {
    /// By article: its links in reading order.
    pub outgoing: Vec<Vec<OutLink>>,
    /// By article: the articles that link to it, each once, in library order.
    pub backlinks: Vec<Vec<ArticleId>>,
}

#[derive(Debug, Default)]
pub struct Library {
    /// By `ArticleId`. In a library of heads (see [`Library::is_heads`])
    /// these hold title, metadata and origin but no blocks: use
    /// [`Library::full`] for the text.
    pub articles: Vec<Article>,
    /// Built on first use: a library opened from the cache needs it only to
    /// settle inline links of an article read back, or to resolve again.
    index: OnceLock<TitleIndex>,
    pub graph: LinkGraph,
    pub problems: Vec<Problem>,
    /// True when this is the sample compiled into the binary.
    pub is_sample: bool,
    /// The paths it was opened from, as given.
    pub roots: Vec<PathBuf>,
    /// The files read, in library order, and problems met walking the
    /// folders (those tied to one file are in its stamp too).
    pub files: Vec<FileStamp>,
    pub walk_problems: Vec<Problem>,
    /// By article: its file (index into `files`) and where in it.
    pub parts: Vec<(u32, Part)>,
    /// Set when the articles hold no blocks: bodies read back on demand.
    heads: Option<Recent>,
}

/// Bodies read back lately, newest last.
type Recent = Mutex<VecDeque<(ArticleId, Arc<Article>)>>;

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
        let title = |to: ArticleId| articles[to.index()].title.as_str();
        let urls = UrlIndex::new(&articles);
        let outgoing: Vec<Vec<OutLink>> = par::map(&articles_with_ids(&articles), |&(id, a)| {
            a.links()
                .map(|(block, link)| {
                    let named = link.target.as_deref();
                    let url = link.url.as_deref().map(canonical_url);
                    let resolution =
                        resolve_link(&index, &urls, url.as_deref(), named, link.kind, id);
                    OutLink {
                        block,
                        url: url.map(Into::into),
                        target: kept_target(named, &resolution, title),
                        kind: link.kind,
                        glued: link.glued,
                        resolution,
                    }
                })
                .collect()
        });
        let backlinks = backlinks(&outgoing);
        Library {
            articles,
            index: OnceLock::from(index),
            graph: LinkGraph {
                outgoing,
                backlinks,
            },
            problems,
            ..Library::default()
        }
    }

    /// A library of heads from what the cache kept: no file is read. The
    /// links keep the resolutions they had.
    pub(crate) fn from_heads(
        articles: Vec<Article>,
        outgoing: Vec<Vec<OutLink>>,
        files: Vec<FileStamp>,
        parts: Vec<(u32, Part)>,
        roots: Vec<PathBuf>,
        walk_problems: Vec<Problem>,
    ) -> Library {
        let backlinks = backlinks(&outgoing);
        let mut problems = walk_problems.clone();
        problems.extend(files.iter().flat_map(|f| f.problems.iter().cloned()));
        Library {
            articles,
            graph: LinkGraph {
                outgoing,
                backlinks,
            },
            problems,
            roots,
            files,
            walk_problems,
            parts,
            heads: Some(Mutex::default()),
            ..Library::default()
        }
    }

    /// True for a library whose articles hold no blocks.
    pub fn is_heads(&self) -> bool {
        self.heads.is_some()
    }

    /// Gives the library the title index it was resolved against.
    /// The file article `id` came from, when it is that file's only
    /// article; `None` too for a library not read from files.
    pub fn sole_file(&self, id: ArticleId) -> Option<&Path> {
        let (file, _) = self.parts.get(id.index())?;
        let stamp = self.files.get(*file as usize)?;
        (stamp.count == 1).then_some(stamp.path.as_path())
    }

    /// The article of file `path`, when it is that file's only one.
    pub fn sole_article(&self, path: &Path) -> Option<ArticleId> {
        let stamp = match self.files.binary_search_by(|f| f.path.as_path().cmp(path)) {
            Ok(i) => &self.files[i],
            // Several roots' files are not in one order.
            Err(_) => self.files.iter().find(|f| f.path == path)?,
        };
        (stamp.count == 1).then_some(ArticleId(stamp.first))
    }

    /// The title index, if something has needed it yet.
    pub(crate) fn built_title_index(&self) -> Option<&TitleIndex> {
        self.index.get()
    }

    pub(crate) fn set_title_index(&mut self, index: TitleIndex) {
        self.index = OnceLock::from(index);
    }

    /// The title `out` names, kept in the link or, for one resolved to an
    /// article of exactly that title, that article's.
    pub fn named<'a>(&'a self, out: &'a OutLink) -> Option<&'a str> {
        match (&out.target, &out.resolution) {
            (Some(t), _) => Some(t),
            (None, Resolution::Resolved(to)) => {
                self.articles.get(to.index()).map(|a| a.title.as_str())
            }
            (None, _) => None,
        }
    }

    /// The title index, built on first use.
    pub fn title_index(&self) -> &TitleIndex {
        self.index
            .get_or_init(|| TitleIndex::new(self.articles.iter().map(|a| a.title.as_str())))
    }

    /// The article with its blocks. For a library of heads the text is read
    /// back from its file (and kept among the recent few); when that fails,
    /// the article says why in place of its text.
    pub fn full(&self, id: ArticleId) -> Full<'_> {
        let head = &self.articles[id.index()];
        let Some(recent) = &self.heads else {
            return Full::Here(head);
        };
        // A poisoned lock only means a reader panicked mid-push: the list
        // is still a valid list.
        let cached = recent
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, a)| a.clone());
        if let Some(a) = cached {
            return Full::Read(a);
        }
        let body = Arc::new(self.read_back(id));
        let mut r = recent.lock().unwrap_or_else(|p| p.into_inner());
        if r.len() >= RECENT_BODIES {
            r.pop_front();
        }
        r.push_back((id, body.clone()));
        Full::Read(body)
    }

    /// [`Library::full`] without keeping what it reads: for a pass over
    /// every article (building the search index), which would only push
    /// the articles on screen out of the recent few.
    pub fn full_uncached(&self, id: ArticleId) -> std::borrow::Cow<'_, Article> {
        match &self.heads {
            None => std::borrow::Cow::Borrowed(&self.articles[id.index()]),
            Some(_) => std::borrow::Cow::Owned(self.read_back(id)),
        }
    }

    /// Reads article `id` again from its file, as loading read it.
    fn read_back(&self, id: ArticleId) -> Article {
        let head = &self.articles[id.index()];
        let read = self.parts.get(id.index()).and_then(|&(file, part)| {
            let stamp = self.files.get(file as usize)?;
            Some(read_part(&stamp.path, part))
        });
        match read {
            Some(Ok(mut a)) => {
                if a.links().any(|(_, l)| l.glued) {
                    resplit_inline(&mut a, id, self.title_index());
                }
                // What lists and history know the article by stays as it was
                // loaded; a changed file is picked up by the next reload.
                a.title.clone_from(&head.title);
                a.meta = head.meta.clone();
                a.origin.clone_from(&head.origin);
                a
            }
            Some(Err(message)) => unreadable(head, &message),
            None => unreadable(head, "where it came from is not known"),
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
        let (files, walk_problems) = walk(paths);
        let reads = par::map(&files, |f| read_file(f));
        Library::assemble(files, reads, walk_problems, paths)
    }

    /// [`Library::load`] keeping what a report of links needs: paragraphs
    /// and headings lose their text as soon as a file is read (the blocks
    /// stay, so links keep their block numbers), except in articles whose
    /// inline links are still to be settled against the titles. A large
    /// library then never holds all its text at once.
    pub fn load_links_only(paths: &[PathBuf]) -> Library {
        let (files, walk_problems) = walk(paths);
        let reads = par::map(&files, |f| {
            let mut read = read_file(f);
            for (a, _) in &mut read.articles {
                if !a.links().any(|(_, l)| l.glued) {
                    for b in &mut a.blocks {
                        if let Block::Heading { text } | Block::Paragraph { text } = b {
                            *text = String::new();
                        }
                    }
                }
            }
            read
        });
        Library::assemble(files, reads, walk_problems, paths)
    }

    /// The library of files read, in order: their articles, stamps and
    /// problems.
    pub(crate) fn assemble(
        files: Vec<PathBuf>,
        reads: Vec<FileRead>,
        walk_problems: Vec<Problem>,
        roots: &[PathBuf],
    ) -> Library {
        // Sized once: one export of 100,000 rows would otherwise grow these
        // by doubling beside the rows it is moved from.
        let n: usize = reads.iter().map(|r| r.articles.len()).sum();
        let mut articles = Vec::with_capacity(n);
        let mut parts = Vec::with_capacity(n);
        let mut stamps = Vec::with_capacity(files.len());
        let mut problems = walk_problems.clone();
        for (path, read) in files.into_iter().zip(reads) {
            let file = stamps.len() as u32;
            let first = articles.len() as u32;
            for (a, part) in read.articles {
                articles.push(a);
                parts.push((file, part));
            }
            problems.extend(read.problems.iter().cloned());
            stamps.push(FileStamp {
                path,
                size: read.size,
                mtime: read.mtime,
                first,
                count: articles.len() as u32 - first,
                problems: read.problems,
            });
        }
        let mut lib = Library::from_articles(articles, problems);
        lib.files = stamps;
        lib.parts = parts;
        lib.roots = roots.to_vec();
        lib.walk_problems = walk_problems;
        lib
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
        // Only files named like the one asked for (or like what it links
        // to) are asked for their real path: a large folder would
        // otherwise cost a system call per article.
        let names = [path.file_name(), want.file_name()];
        self.ids().find(|&id| {
            let origin = Path::new(&self.article(id).origin);
            origin.file_name().is_some_and(|n| names.contains(&Some(n)))
                && origin.canonicalize().ok().as_deref() == Some(want.as_path())
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

pub(crate) fn resolve_link(
    index: &TitleIndex,
    urls: &UrlIndex,
    url: Option<&str>,
    target: Option<&str>,
    kind: LinkKind,
    from: ArticleId,
) -> Resolution {
    use super::links::Broken;
    // An article saved with the link's URL is the one it names, whatever
    // the title says.
    if let Some(to) = url.and_then(|u| urls.get(u)).filter(|&to| to != from) {
        return Resolution::Resolved(to);
    }
    match (target, kind) {
        (_, LinkKind::Video) => Resolution::Broken(Broken::Video),
        (None, _) => Resolution::Broken(Broken::NoTarget),
        (Some(t), _) => index.resolve(t, Some(from)),
    }
}

/// The articles of a library by their URL, folded by [`canonical_url`]:
/// the first article saved with a URL has it.
#[derive(Debug, Default)]
pub struct UrlIndex(HashMap<Box<str>, ArticleId>);

impl UrlIndex {
    pub fn new(articles: &[Article]) -> UrlIndex {
        let mut map = HashMap::new();
        for (i, a) in articles.iter().enumerate() {
            if let Some(url) = a.meta.url.as_deref() {
                map.entry(canonical_url(url).into())
                    .or_insert(ArticleId(i as u32));
            }
        }
        UrlIndex(map)
    }

    pub fn get(&self, url: &str) -> Option<ArticleId> {
        self.0.get(url).copied()
    }
}

/// What [`OutLink::target`] keeps of the title a link names: nothing when
/// the link resolves to an article of exactly that title.
pub(crate) fn kept_target<'a>(
    named: Option<&str>,
    resolution: &Resolution,
    title: impl Fn(ArticleId) -> &'a str,
) -> Option<String> {
    match (named, resolution) {
        (Some(n), Resolution::Resolved(to)) if title(*to) == n => None,
        _ => named.map(str::to_owned),
    }
}

/// By article: the articles that link to it, each once, in library order.
fn backlinks(outgoing: &[Vec<OutLink>]) -> Vec<Vec<ArticleId>> {
    let mut backlinks: Vec<Vec<ArticleId>> = vec![Vec::new(); outgoing.len()];
    for (from, outs) in outgoing.iter().enumerate() {
        for out in outs {
            if let Resolution::Resolved(to) = out.resolution {
                if let Some(list) = backlinks.get_mut(to.index()) {
                    if list.last() != Some(&ArticleId(from as u32)) {
                        list.push(ArticleId(from as u32));
                    }
                }
            }
        }
    }
    backlinks
}

/// Stands in for an article whose file can no longer be read.
fn unreadable(head: &Article, why: &str) -> Article {
    let message = format!("This article could not be read again from its file: {why}.");
    Article {
        title: head.title.clone(),
        meta: head.meta.clone(),
        blocks: vec![Block::Paragraph {
            text: message.clone(),
        }],
        problems: vec![message],
        origin: head.origin.clone(),
    }
}

pub(crate) fn is_article_file(path: &Path) -> bool {
    match Format::of(path) {
        // A page saved "complete" keeps its frames and ads as pages in a
        // `<name>_files` folder beside it: those are no articles.
        Some(Format::Html) => !path.ancestors().skip(1).any(|d| {
            d.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with("_files"))
        }),
        // Many `.xml` files are no feeds: one is read when named, not
        // when met in a folder.
        Some(Format::Feed) => !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml")),
        Some(_) => true,
        None => false,
    }
}

/// The article files under `paths`, in library order, and the problems met
/// finding them.
pub(crate) fn walk(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        collect_files(path, true, &mut files, &mut HashSet::new(), &mut problems);
    }
    (files, problems)
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
        // Named on the command line, a FIFO or a device is an error, not
        // an empty library; met in a walk, it is no article file.
        if top {
            problems.push(Problem {
                path: path.display().to_string(),
                message: format!(
                    "not a file or folder ({}); skipped",
                    super::files::kind(&meta.file_type())
                ),
                io: true,
            });
        }
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

/// What reading one file gave: its size and modification time when they
/// could be read, its articles with where each sits in it, and problems.
#[derive(Debug, Default)]
pub(crate) struct FileRead {
    pub size: u64,
    pub mtime: i128,
    pub articles: Vec<(Article, Part)>,
    pub problems: Vec<Problem>,
}

/// Reads and parses one file: an article, or many for an export.
pub(crate) fn read_file(path: &Path) -> FileRead {
    let mut out = FileRead::default();
    let shown = path.display().to_string();
    let fail = |mut out: FileRead, e: &std::io::Error| {
        // A file that cannot be read keeps the stamp it has, so it is not
        // taken for changed every time the folder is looked at.
        if let Ok(meta) = std::fs::metadata(path) {
            out.size = meta.len();
            out.mtime = mtime_ns(&meta);
        }
        out.problems.push(io_problem(path, e));
        out
    };
    // A file passed over, with the reason: `io` when it could not be read.
    let skip = |mut out: FileRead, message: String, io: bool| {
        out.problems.push(Problem {
            path: shown.clone(),
            message,
            io,
        });
        out
    };
    let (file, meta) = match files::open(path) {
        Ok(f) => f,
        Err(ReadError::Io(e)) => return fail(out, &e),
        Err(e) => return skip(out, format!("{e}; skipped"), true),
    };
    out.size = meta.len();
    out.mtime = mtime_ns(&meta);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let csv = matches!(ext.as_str(), "csv" | "tsv");
    let mut file = file;
    if csv && out.size <= MAX_TABLE_BYTES {
        let mut head = Vec::new();
        if let Err(e) = (&mut file)
            .take(import::table::SNIFF_BYTES as u64)
            .read_to_end(&mut head)
        {
            return fail(out, &e);
        }
        if is_blank(&head) {
            return skip(out, "empty file; skipped".into(), false);
        }
        let result = import::table::load_csv_stream(&head, &mut file, &shown, ext == "tsv");
        return with_articles(out, result);
    }
    let limit = if csv {
        MAX_TABLE_BYTES
    } else {
        files::MAX_BYTES
    };
    let bytes = match files::read_opened(file, &meta, limit) {
        Ok(b) => b,
        Err(ReadError::Io(e)) => return fail(out, &e),
        Err(ReadError::TooLarge { size, .. }) => {
            let mb = size / (1024 * 1024);
            return skip(
                out,
                format!("{mb} MB is too large for an article; skipped"),
                false,
            );
        }
        Err(e) => return skip(out, format!("{e}; skipped"), true),
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let result = match ext.as_str() {
        "jsonl" | "ndjson" => Ok(load_jsonl(&bytes, &shown)),
        "json" => load_json(&bytes, &shown),
        _ if import::table::is_sheet(path) => import::table::load_sheet(&bytes, &shown),
        "rss" | "atom" | "xml" => import::feed::load(&bytes, &shown),
        // A feed saved as a page.
        "html" | "htm" | "xhtml" if import::feed::is_feed(&bytes) => {
            import::feed::load(&bytes, &shown)
        }
        // Nothing to read is no article: listed, it would be a blank row.
        // A lone marker or front matter is content, and stays.
        _ if is_blank(&bytes) => Err(Problem {
            path: shown,
            message: "empty file; skipped".into(),
            io: false,
        }),
        // Any other file named on the command line is read as native text.
        _ => {
            let format = Format::of(path).unwrap_or(Format::Native);
            import::load_one(&bytes, name, &shown, format).map(|(articles, problems)| {
                let articles = articles.into_iter().map(|a| (a, Part::Whole)).collect();
                (articles, problems)
            })
        }
    };
    with_articles(out, result)
}

/// `out` with the articles (or the problem) a file gave.
fn with_articles(mut out: FileRead, result: Loaded) -> FileRead {
    match result {
        Ok((mut articles, problems)) => {
            // Block lists grow by doubling while parsing; a library keeps
            // them for its whole life, so give the slack back.
            for (a, _) in &mut articles {
                a.blocks.shrink_to_fit();
            }
            out.articles = articles;
            out.problems = problems;
        }
        Err(p) => out.problems.push(p),
    }
    out
}

/// Whether `bytes` hold only white space (after a byte-order mark). Any
/// real article has a letter in its first few bytes, so this costs nothing.
fn is_blank(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// One article read back from where loading found it.
fn read_part(path: &Path, part: Part) -> Result<Article, String> {
    // Found by its part: items that are no articles are left out.
    let find = |part: Part| {
        let read = read_file(path);
        let why = read.problems.first().map(|p| p.message.clone());
        read.articles
            .into_iter()
            .find(|(_, p)| *p == part)
            .map(|(a, _)| a)
            .ok_or_else(|| why.unwrap_or_else(|| "the article is no longer in it".into()))
    };
    match part {
        Part::Whole | Part::Item(_) => find(part),
        Part::Line {
            offset,
            len,
            number,
        } => {
            use std::io::{Read, Seek};
            // The place comes from the cache: it must fit what an article
            // file may hold before memory is set aside for it.
            if u64::from(len) > files::MAX_BYTES {
                return Err("the cache names a line longer than a file may be".into());
            }
            let (mut file, _) = files::open(path).map_err(|e| e.to_string())?;
            file.seek(std::io::SeekFrom::Start(offset))
                .map_err(|e| e.to_string())?;
            let mut bytes = vec![0; len as usize];
            file.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            let line = String::from_utf8_lossy(&bytes);
            let line = line.strip_suffix('\r').unwrap_or(&line);
            let origin = format!("{}:{number}", path.display());
            serde_json::from_str::<Record>(line)
                .map(|r| r.into_article(origin))
                .map_err(|e| format!("not a JSON article: {e}"))
        }
        Part::Row {
            at,
            len,
            number,
            columns,
        } => {
            let origin = format!("{}#{number}", path.display());
            if import::table::is_sheet(path) {
                let bytes = std::fs::read(path).map_err(|e| io_problem(path, &e).message)?;
                return import::table::read_sheet_row(&bytes, number, columns, origin);
            }
            use std::io::{Read, Seek};
            let mut file = std::fs::File::open(path).map_err(|e| io_problem(path, &e).message)?;
            file.seek(std::io::SeekFrom::Start(at))
                .map_err(|e| e.to_string())?;
            let mut bytes = vec![0; len as usize];
            file.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            import::table::read_csv_row(&bytes, columns, origin)
        }
    }
}

type Loaded = Result<(Vec<(Article, Part)>, Vec<Problem>), Problem>;

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

/// Why a JSON object is no article: it has none of the fields [`Record`]
/// reads, and these are the keys it has.
fn no_fields(object: Option<&serde_json::Map<String, serde_json::Value>>) -> String {
    let keys: Vec<String> = object
        .map(|o| {
            o.keys()
                .take(20)
                .map(|k| format!("\"{}\"", clean_spaces(&sanitize(k))))
                .collect()
        })
        .unwrap_or_default();
    let keys = if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.join(", ")
    };
    format!(
        "no article fields (title, body, content, text, date, url, site, source, author) among its keys: {keys}; skipped"
    )
}

impl Record {
    /// Whether any field an article is made of is there: an object
    /// without one is something else than an article, not an untitled one.
    fn known(&self) -> bool {
        self.title.is_some()
            || self.body.is_some()
            || self.content.is_some()
            || self.text.is_some()
            || self.date.as_ref().is_some_and(|d| !d.is_null())
            || self.url.is_some()
            || self.site.is_some()
            || self.source.is_some()
            || self.author.is_some()
    }

    fn into_article(self, origin: String) -> Article {
        let body = self.body.or(self.content).or(self.text).unwrap_or_default();
        let (body, body_fixed) = import::mojibake::repair(&body);
        // U+2028/U+2029/U+0085 end lines, as the native parser reads them.
        let body = super::sanitize::unicode_breaks(&body);
        let mut a = if import::body::is_html(&body) {
            parse::parse_text(
                &import::html::fragment_lines(&body),
                ParseOptions::default(),
            )
        } else {
            parse::parse_text(
                &import::body::paragraphs(&body),
                ParseOptions {
                    flattened: true,
                    markdown: false,
                },
            )
        };
        let title = self.title.map(|t| {
            let (t, n) = import::mojibake::repair(&t);
            (t.into_owned(), n)
        });
        let fixed = body_fixed + title.as_ref().map_or(0, |t| t.1);
        if fixed > 0 {
            a.problems.push(import::mojibake::problem(fixed));
        }
        a.title = field(title.map(|t| t.0)).unwrap_or_default();
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
fn load_jsonl(bytes: &[u8], shown: &str) -> (Vec<(Article, Part)>, Vec<Problem>) {
    let mut articles = Vec::new();
    let mut problems = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let at = offset;
        offset += raw.len() + 1;
        let line = String::from_utf8_lossy(raw);
        let line = line.strip_suffix('\r').unwrap_or(&line);
        if line.trim().is_empty() {
            continue;
        }
        let number = i + 1;
        let origin = format!("{shown}:{number}");
        match serde_json::from_str::<Record>(line) {
            Ok(r) if !r.known() => problems.push(Problem {
                path: origin,
                message: no_fields(serde_json::from_str(line).ok().as_ref()),
                io: false,
            }),
            Ok(r) => articles.push((
                r.into_article(origin),
                Part::Line {
                    offset: at as u64,
                    len: raw.len() as u32,
                    number: number as u32,
                },
            )),
            Err(e) => problems.push(Problem {
                path: origin,
                message: format!("not a JSON article: {e}"),
                io: false,
            }),
        }
    }
    settle_dates(&mut articles);
    (articles, problems)
}

/// Normalises the dates of an export's articles (see
/// [`crate::core::date::settle_by_source`]). An article read back alone
/// keeps the head's, so it needs no settling.
fn settle_dates(articles: &mut [(Article, Part)]) {
    crate::core::date::settle_by_source(articles.iter_mut().map(|(a, _)| &mut a.meta).collect());
}

/// A `.json` file: one article object or an array of them.
fn load_json(bytes: &[u8], shown: &str) -> Loaded {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        Many(Vec<Record>),
        One(Record),
    }
    let mut problems = Vec::new();
    let mut articles = match serde_json::from_slice::<OneOrMany>(bytes) {
        Ok(OneOrMany::One(r)) if !r.known() => {
            return Err(Problem {
                path: shown.to_owned(),
                message: no_fields(serde_json::from_slice(bytes).ok().as_ref()),
                io: false,
            })
        }
        Ok(OneOrMany::One(r)) => vec![(r.into_article(shown.to_owned()), Part::Whole)],
        Ok(OneOrMany::Many(rs)) => {
            // The keys of the items that are no articles, read again only
            // when there are some.
            let items: Vec<serde_json::Value> = if rs.iter().all(Record::known) {
                Vec::new()
            } else {
                serde_json::from_slice(bytes).unwrap_or_default()
            };
            let mut articles = Vec::new();
            for (i, r) in rs.into_iter().enumerate() {
                let origin = format!("{shown}#{}", i + 1);
                if r.known() {
                    articles.push((r.into_article(origin), Part::Item(i as u32)));
                } else {
                    let object = items.get(i).and_then(serde_json::Value::as_object);
                    problems.push(Problem {
                        path: origin,
                        message: no_fields(object),
                        io: false,
                    });
                }
            }
            articles
        }
        Err(e) => {
            return Err(Problem {
                path: shown.to_owned(),
                message: format!("not a JSON article export: {e}"),
                io: false,
            })
        }
    };
    settle_dates(&mut articles);
    Ok((articles, problems))
}
