//! The start-up cache: what showing a library needs (titles, metadata,
//! where each article's text sits, the link graph), kept per set of opened
//! paths in one file of the cache folder with each file's size and
//! modification time. An unchanged library then opens without reading a
//! single article, and [`refresh`] rereads only the files that changed.

use super::article::{Article, ArticleId, LinkKind, Meta};
use super::library::{
    kept_target, mtime_ns, read_file, resolve_link, walk, FileRead, FileStamp, Library, OutLink,
    Part, Problem, UrlIndex,
};
use super::links::{canonical_url, resplit_inline, Broken, Resolution, TitleIndex};
use super::normalize::normalize;
use super::par;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Bump when what a cached article holds changes meaning (the parser, link
/// resolution, this layout): caches of another format are rebuilt.
const FORMAT: u32 = 3;
const MAGIC: &[u8; 8] = b"bacalib\n";

/// Why a cache file could not be used. Never fatal: the library is then
/// read from its files.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("no cache yet")]
    Missing,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("cache written by another version of baca")]
    Stale,
    #[error("cache is damaged: {0}")]
    Corrupt(String),
}

/// Where the cache of a set of paths lives: `<cache>/libraries/<key>.lib`
/// and `.idx`, the key a hash of the paths made absolute. The paths as
/// given are checked when it is read, since problems and origins name them
/// so: another spelling of the same folder rewrites the file.
#[derive(Clone, Debug)]
pub struct CachePaths {
    pub library: PathBuf,
    pub index: PathBuf,
}

impl CachePaths {
    pub fn new(cache_dir: &Path, roots: &[PathBuf]) -> CachePaths {
        let mut key = Fnv::default();
        for r in roots {
            let r = r.canonicalize().unwrap_or_else(|_| r.clone());
            key.write(r.as_os_str().as_encoded_bytes());
            key.write(&[0]);
        }
        let dir = cache_dir.join("libraries");
        let name = format!("{:016x}", key.0);
        CachePaths {
            library: dir.join(format!("{name}.lib")),
            index: dir.join(format!("{name}.idx")),
        }
    }
}

/// How long the cache of a library nobody opens is kept.
pub const UNUSED_FOR: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

impl CachePaths {
    /// Marks the cache as in use, so [`prune`] keeps it: a cache only read
    /// is never written, and would look unused.
    pub fn touch(&self) {
        if let Ok(f) = std::fs::File::options().write(true).open(&self.library) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
    }
}

/// Removes from `cache_dir` the caches of libraries not opened for
/// `unused` (each library's files go together), and temporary files a
/// crash left behind. A cache is only ever a copy: losing one costs the
/// next start of that library its speed. Returns how many files went.
pub fn prune(cache_dir: &Path, unused: std::time::Duration) -> usize {
    let Ok(entries) = std::fs::read_dir(cache_dir.join("libraries")) else {
        return 0;
    };
    let now = std::time::SystemTime::now();
    let old = |p: &Path| older_than(p, unused, now);
    // By library key (the name up to its first dot): its files.
    let mut groups: HashMap<String, Vec<PathBuf>> = HashMap::new();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let key = name.split('.').next().unwrap_or_default().to_owned();
        groups.entry(key).or_default().push(e.path());
    }
    let mut removed = 0;
    for files in groups.values() {
        let is_temp = |p: &PathBuf| p.extension().is_some_and(|x| x == "tmp");
        // Another baca may be writing a temporary file now: a day's age
        // says it was left behind.
        let day = std::time::Duration::from_secs(24 * 3600);
        let leftovers = files
            .iter()
            .filter(|p| is_temp(p) && older_than(p, day, now));
        let gone: Vec<&PathBuf> = if files.iter().filter(|p| !is_temp(p)).all(|p| old(p)) {
            files
                .iter()
                .filter(|p| !is_temp(p))
                .chain(leftovers)
                .collect()
        } else {
            leftovers.collect()
        };
        removed += gone
            .into_iter()
            .filter(|p| std::fs::remove_file(p).is_ok())
            .count();
    }
    removed
}

/// Whether `p` was last modified more than `age` before `now`.
fn older_than(p: &Path, age: std::time::Duration, now: std::time::SystemTime) -> bool {
    std::fs::metadata(p)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| now.duration_since(t).ok())
        .is_some_and(|a| a > age)
}

/// A checksum eight bytes at a time: fast enough for a hundred megabytes,
/// and any flipped or missing byte shows. The cache and the stored search
/// index both end their data with it.
#[derive(Default)]
pub struct Sum(pub u64);

impl Sum {
    pub fn add(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.word(u64::from(b) | 0x100);
        }
    }

    fn word(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// FNV-1a: a stable hash (the standard one may change between Rust
/// releases) for cache names and fingerprints.
pub(crate) struct Fnv(pub u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Identifies the files a library was read from, with their stamps: the
/// search index cached for a library is valid only for the same one.
pub fn fingerprint(lib: &Library) -> u64 {
    let mut h = Fnv::default();
    h.write(&(FORMAT as u64).to_le_bytes());
    h.write(&(lib.len() as u64).to_le_bytes());
    for f in &lib.files {
        h.write(f.path.as_os_str().as_encoded_bytes());
        h.write(&f.size.to_le_bytes());
        h.write(&f.mtime.to_le_bytes());
    }
    h.0
}

/// The file: `MAGIC` and [`FORMAT`] (eight bytes), then postcard blobs,
/// each behind its length and its checksum ([`Sum`]): the [`Snapshot`],
/// then the articles in chunks of [`CHUNK`], which are decoded on every
/// core at once. A flipped bit anywhere is noticed before anything in the
/// file is used.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    format: u32,
    version: String,
    roots: Vec<String>,
    walk_problems: Vec<ProblemRec>,
    files: Vec<FileRec>,
    /// Articles in each chunk that follows.
    chunks: Vec<u32>,
}

/// Small enough that even ten thousand articles make enough chunks for
/// `par::map` to spread them.
const CHUNK: usize = 128;

#[derive(Serialize, Deserialize)]
struct ProblemRec {
    path: String,
    message: String,
    io: bool,
}

#[derive(Serialize, Deserialize)]
struct FileRec {
    path: String,
    size: u64,
    mtime: i128,
    count: u32,
    problems: Vec<ProblemRec>,
}

/// An article as the cache keeps it; `L` is [`LinkRec`] when written and
/// [`LinkIn`] when read, so links are read straight into the library's own
/// type without a second list of them per article.
#[derive(Serialize, Deserialize)]
struct HeadRec<L> {
    title: String,
    date: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    tags: Vec<String>,
    extra: Vec<(String, String)>,
    /// `None` when it is the file's path, as for most.
    origin: Option<String>,
    problems: Vec<String>,
    part: PartRec,
    links: Vec<L>,
}

#[derive(Serialize, Deserialize)]
enum PartRec {
    Whole,
    Line {
        offset: u64,
        len: u32,
        number: u32,
    },
    Item(u32),
    Row {
        at: u64,
        len: u32,
        number: u32,
        columns: [u16; 7],
        delimiter: u8,
        month_first: bool,
    },
}

#[derive(Serialize, Deserialize)]
struct LinkRec {
    block: u32,
    url: Option<String>,
    target: Option<String>,
    video: bool,
    glued: bool,
    to: ResRec,
}

/// A link read from the cache, already the library's [`OutLink`]; its
/// article numbers are checked against the library's size afterwards.
#[derive(Deserialize)]
#[serde(from = "LinkRec")]
struct LinkIn(OutLink);

impl From<LinkRec> for LinkIn {
    fn from(l: LinkRec) -> LinkIn {
        LinkIn(OutLink {
            block: l.block as usize,
            url: l.url.map(Into::into),
            target: l.target,
            kind: if l.video {
                LinkKind::Video
            } else {
                LinkKind::Article
            },
            glued: l.glued,
            resolution: match l.to {
                ResRec::Resolved(i) => Resolution::Resolved(ArticleId(i)),
                ResRec::Ambiguous(ids) => {
                    Resolution::Ambiguous(ids.into_iter().map(ArticleId).collect())
                }
                ResRec::NoTarget => Resolution::Broken(Broken::NoTarget),
                ResRec::Video => Resolution::Broken(Broken::Video),
                ResRec::NotFound => Resolution::Broken(Broken::NotFound),
            },
        })
    }
}

#[derive(Serialize, Deserialize)]
enum ResRec {
    Resolved(u32),
    Ambiguous(Vec<u32>),
    NoTarget,
    Video,
    NotFound,
}

impl From<&Problem> for ProblemRec {
    fn from(p: &Problem) -> ProblemRec {
        ProblemRec {
            path: p.path.clone(),
            message: p.message.clone(),
            io: p.io,
        }
    }
}

impl From<ProblemRec> for Problem {
    fn from(p: ProblemRec) -> Problem {
        Problem {
            path: p.path,
            message: p.message,
            io: p.io,
        }
    }
}

fn head_rec(a: &Article, part: Part, links: &[OutLink], path: &Path) -> HeadRec<LinkRec> {
    HeadRec {
        title: a.title.clone(),
        date: a.meta.date.clone(),
        source: a.meta.source.clone(),
        url: a.meta.url.clone(),
        author: a.meta.author.clone(),
        tags: a.meta.tags.clone(),
        extra: a
            .meta
            .extra
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        origin: (a.origin != path.display().to_string()).then(|| a.origin.clone()),
        problems: a.problems.clone(),
        part: match part {
            Part::Whole => PartRec::Whole,
            Part::Line {
                offset,
                len,
                number,
            } => PartRec::Line {
                offset,
                len,
                number,
            },
            Part::Item(i) => PartRec::Item(i),
            Part::Row {
                at,
                len,
                number,
                columns,
            } => PartRec::Row {
                at,
                len,
                number,
                columns: columns.of,
                delimiter: columns.delimiter,
                month_first: columns.month_first,
            },
        },
        links: links
            .iter()
            .map(|o| LinkRec {
                block: o.block as u32,
                url: o.url.as_deref().map(str::to_owned),
                target: o.target.clone(),
                video: o.kind == LinkKind::Video,
                glued: o.glued,
                to: match &o.resolution {
                    Resolution::Resolved(id) => ResRec::Resolved(id.0),
                    Resolution::Ambiguous(ids) => {
                        ResRec::Ambiguous(ids.iter().map(|i| i.0).collect())
                    }
                    Resolution::Broken(Broken::NoTarget) => ResRec::NoTarget,
                    Resolution::Broken(Broken::Video) => ResRec::Video,
                    Resolution::Broken(Broken::NotFound) => ResRec::NotFound,
                },
            })
            .collect(),
    }
}

/// Writes what `lib` needs to open again without reading its files. The
/// file is replaced atomically (a temporary file renamed over it); it is
/// not synced to disk, because a cache lost in a crash is only rebuilt.
pub fn save(lib: &Library, to: &Path) -> Result<(), CacheError> {
    let text = |p: &Path| p.to_str().map(str::to_owned);
    let (Some(roots), Some(files)) = (
        lib.roots
            .iter()
            .map(|r| text(r))
            .collect::<Option<Vec<_>>>(),
        lib.files
            .iter()
            .map(|f| {
                Some(FileRec {
                    path: text(&f.path)?,
                    size: f.size,
                    mtime: f.mtime,
                    count: f.count,
                    problems: f.problems.iter().map(ProblemRec::from).collect(),
                })
            })
            .collect::<Option<Vec<_>>>(),
    ) else {
        // A path that is not UTF-8 cannot be kept; such a library is read
        // from its files each time.
        return Ok(());
    };
    if lib.parts.len() != lib.len() {
        return Ok(());
    }
    let heads: Vec<(usize, usize)> = (0..lib.len())
        .step_by(CHUNK)
        .map(|start| (start, (start + CHUNK).min(lib.len())))
        .collect();
    let snapshot = Snapshot {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_owned(),
        roots,
        walk_problems: lib.walk_problems.iter().map(ProblemRec::from).collect(),
        files,
        chunks: heads.iter().map(|&(a, b)| (b - a) as u32).collect(),
    };
    let encode = |value: &dyn erased::Encode| value.encode();
    let mut blobs = vec![encode(&snapshot)?];
    let chunks = par::map(&heads, |&(start, end)| {
        let recs: Vec<HeadRec<LinkRec>> = (start..end)
            .map(|i| {
                let (file, part) = lib.parts[i];
                let path = lib
                    .files
                    .get(file as usize)
                    .map_or(Path::new(""), |f| f.path.as_path());
                head_rec(&lib.articles[i], part, &lib.graph.outgoing[i], path)
            })
            .collect();
        encode(&recs)
    });
    for c in chunks {
        blobs.push(c?);
    }
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&u64::from(FORMAT).to_le_bytes());
    for b in &blobs {
        let mut sum = Sum::default();
        sum.add(b);
        bytes.extend_from_slice(&(b.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&sum.0.to_le_bytes());
        bytes.extend_from_slice(b);
    }
    write_replacing(to, &bytes)?;
    Ok(())
}

/// Postcard encoding behind one signature, for the snapshot and chunks.
mod erased {
    use super::CacheError;

    pub trait Encode {
        fn encode(&self) -> Result<Vec<u8>, CacheError>;
    }

    impl<T: serde::Serialize> Encode for T {
        fn encode(&self) -> Result<Vec<u8>, CacheError> {
            postcard::to_allocvec(self).map_err(|e| CacheError::Corrupt(format!("encoding: {e}")))
        }
    }
}

/// Writes `bytes` to a temporary file beside `to` and renames it over `to`,
/// so a reader sees the old file or the new one, never half of one.
pub(crate) fn write_replacing(to: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = temp_beside(to);
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, to));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A temporary name beside `to` that no other writer uses: the library
/// cache and the index are written at once by different threads, and two
/// processes may write the same file.
pub(crate) fn temp_beside(to: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = to.as_os_str().to_owned();
    name.push(format!(".{}-{n}.tmp", std::process::id()));
    PathBuf::from(name)
}

/// Reads the cache file one length-prefixed blob at a time, so the whole
/// file is never in memory at once.
struct Blobs {
    r: std::io::BufReader<std::fs::File>,
    /// Bytes left in the file: no length read from it may ask for more.
    left: u64,
}

impl Blobs {
    fn next(&mut self) -> Result<Vec<u8>, CacheError> {
        use std::io::Read;
        let short = || CacheError::Corrupt("the file is cut short".into());
        let mut head = [0u8; 16];
        self.r.read_exact(&mut head).map_err(|_| short())?;
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&head[at..at + 8]);
            u64::from_le_bytes(w)
        };
        let (len, stored) = (word(0), word(8));
        self.left = self
            .left
            .checked_sub(16)
            .and_then(|l| l.checked_sub(len))
            .ok_or_else(short)?;
        let mut blob = vec![0u8; len as usize];
        self.r.read_exact(&mut blob).map_err(|_| short())?;
        let mut sum = Sum::default();
        sum.add(&blob);
        if sum.0 != stored {
            return Err(CacheError::Corrupt("checksum mismatch".into()));
        }
        Ok(blob)
    }
}

/// Opens the library cached in `from` for `roots`, reading none of its
/// files: a library of heads whose stamps [`refresh`] checks afterwards.
pub fn load(from: &Path, roots: &[PathBuf]) -> Result<Library, CacheError> {
    use std::io::Read;
    let (file, meta) = match super::files::open(from) {
        Ok(f) => f,
        Err(e) if e.is_not_found() => return Err(CacheError::Missing),
        Err(e) => return Err(std::io::Error::from(e).into()),
    };
    let size = meta.len();
    let mut r = std::io::BufReader::with_capacity(1 << 16, file);
    let mut magic = [0u8; 8];
    if r.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return Err(CacheError::Corrupt("not a baca cache".into()));
    }
    let mut format = [0u8; 8];
    if r.read_exact(&mut format).is_err() {
        return Err(CacheError::Corrupt("the file is cut short".into()));
    }
    // Before format 3 the snapshot's length stood here: such a cache is
    // old, not damaged.
    if u64::from_le_bytes(format) != u64::from(FORMAT) {
        return Err(CacheError::Stale);
    }
    let mut blobs = Blobs {
        r,
        left: size.saturating_sub(16),
    };
    let snapshot: Snapshot =
        postcard::from_bytes(&blobs.next()?).map_err(|e| CacheError::Corrupt(e.to_string()))?;
    if snapshot.format != FORMAT || snapshot.version != env!("CARGO_PKG_VERSION") {
        return Err(CacheError::Stale);
    }
    let given: Vec<&str> = roots.iter().filter_map(|r| r.to_str()).collect();
    if snapshot.roots != given {
        // Another spelling of the same folders: still the same files, but
        // problems and origins name paths as given, so read them anew.
        return Err(CacheError::Stale);
    }
    // The files first: every article names its file.
    let corrupt = |what: &str| CacheError::Corrupt(what.to_owned());
    let mut files = Vec::with_capacity(snapshot.files.len());
    let mut file_of = Vec::new();
    let mut n = 0u32;
    for (i, f) in snapshot.files.into_iter().enumerate() {
        files.push(FileStamp {
            path: PathBuf::from(f.path),
            size: f.size,
            mtime: f.mtime,
            first: n,
            count: f.count,
            problems: f.problems.into_iter().map(Problem::from).collect(),
        });
        n = n
            .checked_add(f.count)
            .filter(|&n| u64::from(n) <= size)
            .ok_or_else(|| corrupt("article counts overflow"))?;
        file_of.extend(std::iter::repeat_n(i as u32, f.count as usize));
    }
    let mut starts = Vec::with_capacity(snapshot.chunks.len());
    let mut at = 0u32;
    for &count in &snapshot.chunks {
        starts.push(at);
        at = at.saturating_add(count);
    }
    if at != n {
        return Err(corrupt("article counts do not add up"));
    }
    // This thread reads the chunks and the others decode them into heads
    // as they come.
    let decode = |i: usize, bytes: &[u8]| -> Result<Vec<Head>, CacheError> {
        let recs: Vec<HeadRec<LinkIn>> =
            postcard::from_bytes(bytes).map_err(|e| CacheError::Corrupt(e.to_string()))?;
        if recs.len() != snapshot.chunks[i] as usize {
            return Err(corrupt("a chunk's count is wrong"));
        }
        let start = starts[i] as usize;
        recs.into_iter()
            .enumerate()
            .map(|(j, h)| {
                let file = file_of[start + j];
                head(h, file, &files[file as usize].path, n)
            })
            .collect()
    };
    let workers = std::thread::available_parallelism().map_or(1, |t| t.get());
    let (jobs, queue) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(workers * 2);
    let queue = std::sync::Mutex::new(queue);
    let (done, results) = std::sync::mpsc::channel();
    let mut decoded: Vec<(usize, Result<Vec<Head>, CacheError>)> = std::thread::scope(|s| {
        for _ in 0..workers {
            let (queue, done, decode) = (&queue, done.clone(), &decode);
            s.spawn(move || loop {
                let job = queue.lock().map(|q| q.recv());
                let Ok(Ok((i, bytes))) = job else { break };
                if done.send((i, decode(i, &bytes))).is_err() {
                    break;
                }
            });
        }
        drop(done);
        for i in 0..snapshot.chunks.len() {
            let blob = match blobs.next() {
                Ok(b) => b,
                Err(e) => {
                    drop(jobs);
                    return vec![(i, Err(e))];
                }
            };
            if jobs.send((i, blob)).is_err() {
                break;
            }
        }
        drop(jobs);
        results.iter().collect()
    });
    if blobs.left != 0 {
        return Err(corrupt("data after the last chunk"));
    }
    if decoded.len() != snapshot.chunks.len() {
        return Err(decoded
            .into_iter()
            .find_map(|(_, r)| r.err())
            .unwrap_or_else(|| corrupt("chunks missing")));
    }
    decoded.sort_unstable_by_key(|(i, _)| *i);
    let mut articles = Vec::with_capacity(n as usize);
    let mut outgoing = Vec::with_capacity(n as usize);
    let mut placed = Vec::with_capacity(n as usize);
    for (_, chunk) in decoded {
        for (a, links, part) in chunk? {
            articles.push(a);
            outgoing.push(links);
            placed.push(part);
        }
    }
    Ok(Library::from_heads(
        articles,
        outgoing,
        files,
        placed,
        roots.to_vec(),
        snapshot
            .walk_problems
            .into_iter()
            .map(Problem::from)
            .collect(),
    ))
}

/// An article without its blocks, its links, and its file and place in it.
type Head = (Article, Vec<OutLink>, (u32, Part));

/// One cached article back as a head, its links and where it sits; `n`
/// articles in all, which no link may point past.
fn head(h: HeadRec<LinkIn>, file: u32, path: &Path, n: u32) -> Result<Head, CacheError> {
    // Same layout in and out: collected in place.
    let links: Vec<OutLink> = h.links.into_iter().map(|l| l.0).collect();
    let inside = |id: &ArticleId| id.0 < n;
    for l in &links {
        let fits = match &l.resolution {
            Resolution::Resolved(id) => inside(id),
            Resolution::Ambiguous(ids) => ids.iter().all(inside),
            Resolution::Broken(_) => true,
        };
        if !fits {
            return Err(CacheError::Corrupt(
                "a link points past the last article".into(),
            ));
        }
    }
    let part = match h.part {
        PartRec::Whole => Part::Whole,
        PartRec::Line {
            offset,
            len,
            number,
        } => Part::Line {
            offset,
            len,
            number,
        },
        PartRec::Item(i) => Part::Item(i),
        PartRec::Row {
            at,
            len,
            number,
            columns,
            delimiter,
            month_first,
        } => Part::Row {
            at,
            len,
            number,
            columns: crate::core::import::table::Columns {
                of: columns,
                delimiter,
                month_first,
            },
        },
    };
    let article = Article {
        title: h.title,
        meta: Meta {
            date: h.date,
            source: h.source,
            url: h.url,
            author: h.author,
            tags: h.tags,
            extra: h.extra.into_iter().collect(),
        },
        blocks: Vec::new(),
        problems: h.problems,
        // Most articles are a file of their own, named by its path: the
        // cache keeps that path once.
        origin: h.origin.unwrap_or_else(|| path.display().to_string()),
    };
    Ok((article, links, (file, part)))
}

/// How a library was opened.
#[derive(Debug)]
pub struct Opened {
    pub lib: Library,
    /// True when it came from the cache: [`refresh`] should look at the
    /// files next.
    pub from_cache: bool,
    /// True when it was read from its files and the cache is still to be
    /// written (see [`open_unsaved`]).
    pub unsaved: bool,
    /// Why the cache was not used or not written, when that is news.
    pub cache_problem: Option<String>,
}

/// Opens `roots` as a library of heads: from the cache when it has them,
/// else by reading every file and writing the cache for next time.
pub fn open(roots: &[PathBuf], cache: Option<&CachePaths>) -> Opened {
    let mut opened = open_unsaved(roots, cache);
    if let (true, Some(c)) = (opened.unsaved, cache) {
        opened.unsaved = false;
        if let Err(e) = save(&opened.lib, &c.library) {
            opened.cache_problem = Some(format!("{}: {e}", c.library.display()));
        }
    }
    opened
}

/// [`open`] without writing the cache: the reader shows the library first
/// and writes it afterwards, on another thread.
pub fn open_unsaved(roots: &[PathBuf], cache: Option<&CachePaths>) -> Opened {
    let mut cache_problem = None;
    if let Some(cache) = cache {
        match load(&cache.library, roots) {
            Ok(lib) => {
                cache.touch();
                return Opened {
                    lib,
                    from_cache: true,
                    unsaved: false,
                    cache_problem: None,
                };
            }
            Err(CacheError::Missing | CacheError::Stale) => {}
            Err(e) => cache_problem = Some(format!("{}: {e}; rebuilt", cache.library.display())),
        }
    }
    Opened {
        lib: read_all(roots),
        from_cache: false,
        unsaved: cache.is_some(),
        cache_problem,
    }
}

/// Every file under `roots` read as a library of heads: a refresh of a
/// library that has no file yet.
pub fn read_all(roots: &[PathBuf]) -> Library {
    let empty = || {
        Library::from_heads(
            Vec::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
            roots.to_vec(),
            Vec::new(),
        )
    };
    refresh(&empty()).map_or_else(empty, |(lib, _)| lib)
}

/// How the articles of a refreshed library relate to those of the library
/// it replaces: what a view or an index of the old one needs to follow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// By old article id: its id in the new library, `None` when its file
    /// was changed or removed. Kept articles keep their order.
    pub kept: Vec<Option<ArticleId>>,
    /// The new ids of the articles read from added or changed files, in
    /// order.
    pub added: Vec<ArticleId>,
}

impl Changes {
    /// The new id of old article `id`, if it was kept.
    pub fn new_id(&self, id: ArticleId) -> Option<ArticleId> {
        self.kept.get(id.index()).copied().flatten()
    }

    /// These changes, then `next`: how the articles of the library before
    /// these relate to those after `next` (for what missed a reload).
    pub fn then(&self, next: &Changes) -> Changes {
        let kept: Vec<Option<ArticleId>> = self
            .kept
            .iter()
            .map(|k| k.and_then(|mid| next.new_id(mid)))
            .collect();
        let n = next.kept.iter().flatten().count() + next.added.len();
        let mut from_before = vec![false; n];
        for id in kept.iter().flatten() {
            if let Some(f) = from_before.get_mut(id.index()) {
                *f = true;
            }
        }
        let added = (0..n as u32)
            .map(ArticleId)
            .filter(|id| !from_before[id.index()])
            .collect();
        Changes { kept, added }
    }
}

/// Looks at every file of `lib` again. When one was added, changed or
/// removed, returns the library with those files read again and the rest
/// kept from `lib`, every link resolved again against the new titles, and
/// how its articles map to those of `lib`; `None` when nothing changed.
/// The result is a library of heads.
pub fn refresh(lib: &Library) -> Option<(Library, Changes)> {
    refresh_changed(lib, None)
}

/// [`refresh`] when only the paths in `changed` can have changed (a file
/// watcher said so): those are looked at, not the whole tree. A change it
/// cannot place without a walk (a folder added or removed, a path under no
/// root) makes it walk everything, as does `None`.
pub fn refresh_changed(lib: &Library, changed: Option<&[PathBuf]>) -> Option<(Library, Changes)> {
    let (paths, metas, walk_problems) = match changed.and_then(|c| files_after(lib, c)) {
        Some((paths, metas)) => (paths, metas, lib.walk_problems.clone()),
        None => {
            let (paths, walk_problems) = walk(&lib.roots);
            let metas = par::map(&paths, stat);
            (paths, metas, walk_problems)
        }
    };
    let unchanged =
        |old: &FileStamp, meta: &Option<(u64, i128)>| *meta == Some((old.size, old.mtime));
    let same = paths.len() == lib.files.len()
        && walk_problems == lib.walk_problems
        && paths
            .iter()
            .zip(&lib.files)
            .zip(&metas)
            .all(|((p, old), m)| *p == old.path && unchanged(old, m));
    if same {
        return None;
    }
    // Per file: kept from `lib`, or read again. Both lists are in walk
    // order, so a file is almost always where the one before it left off;
    // when it is not, it is searched for, and only with several roots is a
    // table of every old file made. (One that is missed is read again.)
    let mut before: Option<HashMap<&Path, usize>> = None;
    let mut next = 0;
    let kept: Vec<Option<&FileStamp>> = paths
        .iter()
        .zip(&metas)
        .map(|(p, m)| {
            let at = if lib.files.get(next).is_some_and(|f| f.path == *p) {
                Some(next)
            } else if lib.roots.len() == 1 {
                // One root's walk is in path order: a search finds it.
                lib.files.binary_search_by(|f| f.path.cmp(p)).ok()
            } else {
                before
                    .get_or_insert_with(|| {
                        lib.files
                            .iter()
                            .enumerate()
                            .map(|(i, f)| (f.path.as_path(), i))
                            .collect()
                    })
                    .get(p.as_path())
                    .copied()
            };
            let old = at.map(|i| {
                next = i + 1;
                &lib.files[i]
            });
            old.filter(|old| unchanged(old, m))
        })
        .collect();
    let to_read: Vec<&PathBuf> = paths
        .iter()
        .zip(&kept)
        .filter(|(_, k)| k.is_none())
        .map(|(p, _)| p)
        .collect();
    // Read on every core; an article's blocks are dropped as soon as its
    // links are taken, so a large first read never holds every text at
    // once. Those with inline links keep them until the titles are known.
    let mut fresh = par::map(&to_read, |p| {
        let mut read = read_file(p);
        let links: Vec<Option<Vec<OutLink>>> =
            read.articles.iter_mut().map(|(a, _)| strip(a)).collect();
        (read, links)
    })
    .into_iter();

    let mut articles: Vec<Article> = Vec::new();
    let mut parts: Vec<(u32, Part)> = Vec::new();
    let mut links: Vec<Links> = Vec::new();
    let mut files = Vec::with_capacity(paths.len());
    for (path, keep) in paths.into_iter().zip(kept) {
        let file = files.len() as u32;
        let first = articles.len() as u32;
        let (size, mtime, problems) = match keep {
            Some(old) => {
                for i in old.first..old.first + old.count {
                    let i = i as usize;
                    articles.push(lib.articles[i].clone());
                    parts.push((file, lib.parts[i].1));
                    links.push(Links::Kept(ArticleId(i as u32)));
                }
                (old.size, old.mtime, old.problems.clone())
            }
            None => {
                let (
                    FileRead {
                        size,
                        mtime,
                        articles: read,
                        problems,
                    },
                    outs,
                ) = fresh.next().unwrap_or_default();
                for ((a, part), outs) in read.into_iter().zip(outs) {
                    articles.push(a);
                    parts.push((file, part));
                    links.push(outs.map_or(Links::Glued, Links::Read));
                }
                (size, mtime, problems)
            }
        };
        files.push(FileStamp {
            path,
            size,
            mtime,
            first,
            count: articles.len() as u32 - first,
            problems,
        });
    }

    let mut changes = Changes {
        kept: vec![None; lib.len()],
        added: Vec::new(),
    };
    for (new, links) in links.iter().enumerate() {
        let new = ArticleId(new as u32);
        match links {
            Links::Kept(old) => changes.kept[old.index()] = Some(new),
            Links::Read(_) | Links::Glued => changes.added.push(new),
        }
    }
    // The old library's title index, when it has one, is updated: only
    // the new titles are folded.
    let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    let index = match lib.built_title_index() {
        Some(old) => old.updated(&titles, &changes.kept, &changes.added),
        None => TitleIndex::new(titles.iter().copied()),
    };
    let titles_changed = articles.len() != lib.len()
        || articles
            .iter()
            .zip(&lib.articles)
            .any(|(a, b)| a.title != b.title);
    let affects = Affects::new(lib, &articles, &changes, titles_changed);
    // Links resolved on every core against the new titles; what a kept
    // link names comes from the old library (its target, or the title of
    // the article it led to).
    let title = |to: ArticleId| articles[to.index()].title.as_str();
    let urls = UrlIndex::new(&articles);
    let jobs: Vec<(usize, Links)> = links.into_iter().enumerate().collect();
    let outgoing: Vec<Vec<OutLink>> = par::map(&jobs, |(i, links)| {
        let id = ArticleId(*i as u32);
        let a = &articles[*i];
        let resolve = |o: &OutLink| {
            let named = lib.named(o);
            let resolution = resolve_link(&index, &urls, o.url.as_deref(), named, o.kind, id);
            OutLink {
                target: kept_target(named, &resolution, title),
                resolution,
                ..o.clone()
            }
        };
        match links {
            Links::Kept(old) => {
                let outs = &lib.graph.outgoing[old.index()];
                // An inline link's end was settled against the old titles:
                // when a new or removed title could move it, its article is
                // read back and settled again.
                if outs.iter().any(|o| o.glued && affects.glued(lib, o)) {
                    let mut whole = a.clone();
                    whole.blocks = lib.full(*old).blocks.clone();
                    return settle(&mut whole, id, (&index, &urls), title);
                }
                outs.iter()
                    .map(|o| {
                        // A link none of whose words is in a title added or
                        // removed meets the same candidates as before, so it
                        // resolves as before, to the same articles' new ids
                        // (whose titles, and so its target, are as before).
                        // One with a URL is always asked again: an article
                        // with that URL may have come or gone.
                        let same = (!affects.out(lib, o) && o.url.is_none())
                            .then(|| o.resolution.remapped(|to| changes.new_id(to)))
                            .flatten();
                        match same {
                            Some(resolution) => OutLink {
                                resolution,
                                ..o.clone()
                            },
                            None => resolve(o),
                        }
                    })
                    .collect()
            }
            Links::Read(outs) => outs.iter().map(resolve).collect(),
            Links::Glued => settle(&mut a.clone(), id, (&index, &urls), title),
        }
    });
    for a in &mut articles {
        a.blocks = Vec::new();
    }
    let mut lib = Library::from_heads(
        articles,
        outgoing,
        files,
        parts,
        lib.roots.clone(),
        walk_problems,
    );
    lib.set_title_index(index);
    Some((lib, changes))
}

/// Where an article's links come from in a refresh.
enum Links {
    /// Those of the article with this id in the old library.
    Kept(ArticleId),
    /// Those of a file just read, still to be resolved.
    Read(Vec<OutLink>),
    /// A file just read whose inline links must be settled first: its
    /// article still has its blocks.
    Glued,
}

/// Only size and time are kept of each file's metadata: a hundred
/// thousand `Metadata` would weigh more than the library's titles.
fn stat(path: &PathBuf) -> Option<(u64, i128)> {
    std::fs::metadata(path)
        .ok()
        .map(|m| (m.len(), mtime_ns(&m)))
}

/// The files of `lib`, and their sizes and times, once the paths in
/// `changed` are looked at again: what a walk of its folders would give
/// when nothing else changed. `None` when a walk is needed to know: a
/// changed folder, a removed path that held files, a path under no root
/// or under two, or a library whose walk met problems.
#[allow(clippy::type_complexity)]
fn files_after(
    lib: &Library,
    changed: &[PathBuf],
) -> Option<(Vec<PathBuf>, Vec<Option<(u64, i128)>>)> {
    if !lib.walk_problems.is_empty() {
        return None;
    }
    let roots = &lib.roots;
    let nested = roots.iter().enumerate().any(|(i, a)| {
        roots
            .iter()
            .enumerate()
            .any(|(j, b)| i != j && a.starts_with(b))
    });
    if nested {
        return None;
    }
    let mut paths: Vec<PathBuf> = lib.files.iter().map(|f| f.path.clone()).collect();
    let mut metas: Vec<Option<(u64, i128)>> =
        lib.files.iter().map(|f| Some((f.size, f.mtime))).collect();
    for path in changed {
        let root = roots.iter().find(|r| path.starts_with(r))?;
        let hidden = path
            .strip_prefix(root)
            .ok()?
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
        if hidden {
            continue;
        }
        // A walk lists a root's files together, in path order (a folder's
        // entries sorted by name, each folder's files where its name sorts),
        // after those of the roots before it. With one root, that is all.
        let block = if roots.len() == 1 {
            0..paths.len()
        } else {
            root_block(&paths, roots, root)?
        };
        let found = paths[block.clone()].binary_search(path);
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => return None,
            Ok(m) if m.is_file() && (path == root || super::library::is_article_file(path)) => {
                let meta = Some((m.len(), mtime_ns(&m)));
                match found {
                    Ok(i) => metas[block.start + i] = meta,
                    Err(i) => {
                        paths.insert(block.start + i, path.clone());
                        metas.insert(block.start + i, meta);
                    }
                }
            }
            Ok(_) => {}
            Err(_) => match found {
                Ok(i) => {
                    paths.remove(block.start + i);
                    metas.remove(block.start + i);
                }
                // A folder that held files went away.
                Err(_) if paths[block].iter().any(|p| p.starts_with(path)) => return None,
                Err(_) => {}
            },
        }
    }
    Some((paths, metas))
}

/// Where the files of `root`, one of `roots`, are in `paths`, a walk's
/// list: together, after those of the roots before it.
fn root_block(paths: &[PathBuf], roots: &[PathBuf], root: &Path) -> Option<Range<usize>> {
    let under = |p: &PathBuf| p.starts_with(root);
    let start = match paths.iter().position(under) {
        Some(start) => start,
        None => {
            let before = &roots[..roots.iter().position(|r| r == root)?];
            paths
                .iter()
                .filter(|p| before.iter().any(|r| p.starts_with(r)))
                .count()
        }
    };
    Some(start..start + paths[start..].iter().take_while(|p| under(p)).count())
}

/// Which links of kept articles a refresh must resolve again. Resolving
/// a link looks only at the titles sharing one of its folded words (see
/// `TitleIndex::resolve`), and settling where an inline link ends only at
/// those sharing one of the first three words after its marker (see
/// `TitleIndex::longest_title_prefix`): a link with no word in a title
/// added or removed comes out as before.
struct Affects {
    /// The folded words of every title added or removed; `None` when no
    /// title changed.
    words: Option<HashSet<String>>,
    /// By old article id: whether its title holds one of those words, so
    /// a link resolved to exactly that title is known without reading it;
    /// `None` when the old library had no title index to say.
    titled: Option<Vec<bool>>,
}

impl Affects {
    fn new(old: &Library, articles: &[Article], changes: &Changes, titles_changed: bool) -> Self {
        // With no article kept (the first read) there is no old link to ask
        // about.
        if !titles_changed || changes.kept.iter().all(Option::is_none) {
            return Affects {
                words: None,
                titled: None,
            };
        }
        let gone = old
            .ids()
            .filter(|&id| changes.new_id(id).is_none())
            .map(|id| old.article(id));
        let came = changes.added.iter().map(|id| &articles[id.index()]);
        let words: HashSet<String> = gone
            .chain(came)
            .flat_map(|a| {
                normalize(&a.title)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        let titled = old.built_title_index().map(|index| {
            let mut titled = vec![false; old.len()];
            for w in &words {
                for id in index.titles_with(w) {
                    titled[id.index()] = true;
                }
            }
            titled
        });
        Affects {
            words: Some(words),
            titled,
        }
    }

    /// Whether link `out` of the old library `lib` may resolve differently
    /// now.
    fn out(&self, lib: &Library, out: &OutLink) -> bool {
        match (&out.target, &out.resolution, &self.titled) {
            (None, Resolution::Resolved(to), Some(titled)) => {
                titled.get(to.index()).copied().unwrap_or(true)
            }
            _ => self.link(lib.named(out)),
        }
    }

    /// Whether a link naming `named` may resolve differently now.
    fn link(&self, named: Option<&str>) -> bool {
        let (Some(words), Some(named)) = (&self.words, named) else {
            return false;
        };
        // Folding ASCII text with no apostrophe and no "&" only lowers it
        // and splits it at every other character: most links are read so,
        // without making a string.
        let plain = named
            .bytes()
            .all(|b| b.is_ascii() && !matches!(b, b'\'' | b'`' | b'&'));
        if plain {
            let mut lower = [0u8; 32];
            return named
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .any(|w| match lower.get_mut(..w.len()) {
                    Some(buf) => {
                        buf.copy_from_slice(w.as_bytes());
                        buf.make_ascii_lowercase();
                        std::str::from_utf8(buf).is_ok_and(|w| words.contains(w))
                    }
                    None => words.contains(w.to_ascii_lowercase().as_str()),
                });
        }
        normalize(named).split(' ').any(|w| words.contains(w))
    }

    /// Whether an inline link's end may move: any of the first three words
    /// of the text after its marker in a changed title. Its target holds
    /// those words when it has three; otherwise the paragraph after it
    /// does, which is not at hand, so it counts as affected.
    fn glued(&self, lib: &Library, out: &OutLink) -> bool {
        let Some(words) = &self.words else {
            return false;
        };
        let Some(named) = lib.named(out) else {
            return true;
        };
        let first: Vec<&str> = named.split(' ').filter(|w| !w.is_empty()).take(3).collect();
        first.len() < 3 || first.iter().any(|w| words.contains(normalize(w).as_str()))
    }
}

/// An article's links before resolving, its blocks dropped; `None`, and
/// the blocks kept, when an inline link's end still has to be settled
/// against the library's titles.
fn strip(a: &mut Article) -> Option<Vec<OutLink>> {
    use super::links::Broken;
    if a.links().any(|(_, l)| l.glued) {
        return None;
    }
    let outs = a
        .links()
        .map(|(block, l)| OutLink {
            block,
            url: l.url.as_deref().map(|u| canonical_url(u).into()),
            target: l.target.clone(),
            kind: l.kind,
            glued: false,
            resolution: Resolution::Broken(Broken::NotFound),
        })
        .collect();
    a.blocks = Vec::new();
    Some(outs)
}

/// Settles the inline links of a freshly read article and resolves them.
fn settle<'a>(
    a: &mut Article,
    id: ArticleId,
    (index, urls): (&TitleIndex, &UrlIndex),
    title: impl Fn(ArticleId) -> &'a str,
) -> Vec<OutLink> {
    if a.links().any(|(_, l)| l.glued) {
        resplit_inline(a, id, index);
    }
    a.links()
        .map(|(block, l)| {
            let named = l.target.as_deref();
            let url = l.url.as_deref().map(canonical_url);
            let resolution = resolve_link(index, urls, url.as_deref(), named, l.kind, id);
            OutLink {
                block,
                url: url.map(Into::into),
                target: kept_target(named, &resolution, &title),
                kind: l.kind,
                glued: l.glued,
                resolution,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick reading of plain ASCII links agrees with folding them.
    #[test]
    fn a_link_is_affected_when_a_folded_word_of_it_is_in_a_changed_title() {
        let words: HashSet<String> = ["covid", "19", "jakarta", "perdamaian", "jumat", "dan"]
            .into_iter()
            .map(String::from)
            .collect();
        let affects = Affects {
            words: Some(words.clone()),
            titled: None,
        };
        for named in [
            "Kasus COVID-19 Naik",
            "Hujan di JAKARTA",
            "Jalan Menuju Perdamaian.",
            "Salat Jum'at Ditiadakan",
            "Roti & Susu",
            "Harga Cabai Turun",
            "Dua Kota: Bandung, Bogor",
            "Perdamaiannya Rapuh",
            "Pérdamaian di Kaukasus",
            "",
        ] {
            let folded = normalize(named).split(' ').any(|w| words.contains(w));
            assert_eq!(affects.link(Some(named)), folded, "{named}");
        }
        assert!(!affects.link(None));
    }

    /// The start-up cache and the stored index are written at the same
    /// time by two threads: a shared temporary name lost one of them.
    #[test]
    fn no_two_writers_share_a_temporary_file() {
        let c = CachePaths::new(Path::new("/cache"), &[PathBuf::from("/library")]);
        let (lib, idx, lib2) = (
            temp_beside(&c.library),
            temp_beside(&c.index),
            temp_beside(&c.library),
        );
        assert_ne!(lib, idx);
        assert_ne!(lib, lib2);
        assert_eq!(lib.parent(), c.library.parent());
    }
}
