//! Adding articles to a library folder (`baca add`): every article found
//! under the given paths is written there as one native text file, unless
//! the folder — or the same batch — already holds it.
//!
//! The same article is one with the same URL (scheme, `www.`, fragment,
//! trailing slash and tracking parameters aside), or the same title
//! (folded as for link resolution), the same day of publication and the
//! same whole text: two articles that share a title, a day or an opening
//! sentence but not all of their text are both kept. Files
//! are named after the title (ASCII, lower case, hyphens, at most about 80
//! characters, `-2`, `-3` … when taken) and written atomically: a hidden
//! temporary file, flushed to disk, then linked to its name, which fails
//! rather than replace a file another process wrote meanwhile.

use super::super::article::Article;
use super::super::library::{Library, Problem};
use super::super::normalize::normalize;
use super::super::par;
use super::super::search::date_key;
use super::native::to_native_text;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What happened to one article or input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Added {
        origin: String,
        title: String,
        file: PathBuf,
    },
    /// Already in the library, or earlier in the same batch: `of` names it,
    /// `rule` says how it was recognised.
    Duplicate {
        origin: String,
        title: String,
        of: String,
        rule: Same,
    },
    /// Not read as an article; `io` when the path could not be read at all.
    Skipped {
        origin: String,
        reason: String,
        io: bool,
    },
}

/// Why two articles are the same one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Same {
    Url,
    TitleDateText,
}

impl std::fmt::Display for Same {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Same::Url => "same URL",
            Same::TitleDateText => "same title, date and text",
        })
    }
}

#[derive(Debug, Default)]
pub struct Report {
    pub outcomes: Vec<Outcome>,
    /// Problems of articles that were read all the same (bad bytes, odd
    /// front matter).
    pub warnings: Vec<Problem>,
}

impl Report {
    pub fn added(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Added { .. }))
    }

    pub fn duplicates(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Duplicate { .. }))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped { .. }))
    }

    /// Whether an input path could not be read (the command exits 2).
    pub fn io_failed(&self) -> bool {
        self.outcomes
            .iter()
            .any(|o| matches!(o, Outcome::Skipped { io: true, .. }))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.outcomes.iter().filter(|o| f(o)).count()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("cannot create the library folder {}", .path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write to the library folder {}", .path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Imports every article under `inputs` (files, folders, exports) into the
/// folder `library`, creating it when needed.
pub fn add(inputs: &[PathBuf], library: &Path) -> Result<Report, AddError> {
    let write_error = |source| AddError::Write {
        path: library.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(library).map_err(|source| AddError::CreateDir {
        path: library.to_path_buf(),
        source,
    })?;
    let existing = Library::load(&[library.to_path_buf()]);
    let mut seen = Seen::default();
    for a in &existing.articles {
        seen.insert(a, Known::File(display_name(&a.origin, library)));
    }
    remove_leftovers(library);
    let mut taken = taken_names(library).map_err(write_error)?;

    let batch = Library::load(inputs);
    let mut report = Report::default();
    let origins: HashSet<&str> = batch.articles.iter().map(|a| a.origin.as_str()).collect();
    for p in &batch.problems {
        if origins.contains(p.path.as_str()) {
            report.warnings.push(p.clone());
        } else {
            report.outcomes.push(Outcome::Skipped {
                origin: p.path.clone(),
                reason: p.message.trim_end_matches("; skipped").to_owned(),
                io: p.io,
            });
        }
    }
    // Decide first, then write: the new articles in order, each with the
    // slot of its outcome; duplicates of one of them get its file name once
    // that is known.
    let mut new: Vec<(&Article, usize)> = Vec::new();
    let mut dups_of_new: Vec<(usize, usize)> = Vec::new();
    for a in &batch.articles {
        let slot = report.outcomes.len();
        if a.blocks.is_empty() {
            report.outcomes.push(Outcome::Skipped {
                origin: a.origin.clone(),
                reason: "no text".into(),
                io: false,
            });
            continue;
        }
        if let Some((known, rule)) = seen.find(a) {
            let of = match known {
                Known::File(name) => name.clone(),
                Known::New(n) => {
                    dups_of_new.push((slot, *n));
                    String::new()
                }
            };
            report.outcomes.push(Outcome::Duplicate {
                origin: a.origin.clone(),
                title: a.title.clone(),
                of,
                rule,
            });
            continue;
        }
        seen.insert(a, Known::New(new.len()));
        new.push((a, slot));
        report.outcomes.push(Outcome::Added {
            origin: a.origin.clone(),
            title: a.title.clone(),
            file: PathBuf::new(),
        });
    }

    let texts = par::map(&new, |(a, _)| to_native_text(a));
    let temps = write_temps(library, &texts).map_err(write_error)?;
    let mut files = Vec::with_capacity(new.len());
    for (i, ((a, slot), tmp)) in new.iter().zip(&temps).enumerate() {
        match link_free(library, tmp, &slug(&a.title), &mut taken) {
            Ok(file) => {
                if let Outcome::Added { file: f, .. } = &mut report.outcomes[*slot] {
                    f.clone_from(&file);
                }
                files.push(file);
            }
            Err(e) => {
                for t in &temps[i..] {
                    let _ = std::fs::remove_file(t);
                }
                return Err(write_error(e));
            }
        }
    }
    for (slot, n) in dups_of_new {
        if let (Outcome::Duplicate { of, .. }, Some(file)) =
            (&mut report.outcomes[slot], files.get(n))
        {
            *of = display_name(&file.display().to_string(), library);
        }
    }
    if !files.is_empty() {
        // Makes the new names themselves durable.
        if let Ok(d) = std::fs::File::open(library) {
            let _ = d.sync_all();
        }
    }
    Ok(report)
}

/// A library file named relative to the library folder.
fn display_name(origin: &str, library: &Path) -> String {
    Path::new(origin)
        .strip_prefix(library)
        .map_or_else(|_| origin.to_owned(), |p| p.display().to_string())
}

/// Where an article met before is: a file of the library, or the n-th new
/// article of this batch.
#[derive(Clone, Debug)]
enum Known {
    File(String),
    New(usize),
}

/// The articles met so far, by their identities.
#[derive(Default)]
struct Seen {
    by_url: HashMap<String, Known>,
    by_content: HashMap<Content, Known>,
}

/// Title (folded), day and whole text.
type Content = (String, String, String);

impl Seen {
    fn find(&self, a: &Article) -> Option<(&Known, Same)> {
        let (url, content) = identities(a);
        url.and_then(|u| self.by_url.get(&u))
            .map(|k| (k, Same::Url))
            .or_else(|| {
                self.by_content
                    .get(&content)
                    .map(|k| (k, Same::TitleDateText))
            })
    }

    fn insert(&mut self, a: &Article, known: Known) {
        let (url, content) = identities(a);
        if let Some(u) = url {
            self.by_url.entry(u).or_insert_with(|| known.clone());
        }
        self.by_content.entry(content).or_insert(known);
    }
}

/// An article's URL key and its content key.
fn identities(a: &Article) -> (Option<String>, Content) {
    let url = a.meta.url.as_deref().and_then(url_key);
    let text: Vec<&str> = a.blocks.iter().map(|b| b.text()).collect();
    let content = (
        normalize(&a.title),
        day_key(a.meta.date.as_deref()),
        text.join(" "),
    );
    (url, content)
}

/// The day a free-form date names ("Kompas.com - 05/12/2024, 19:34 WIB"
/// and "2024-12-05" are the same day); a date baca cannot read is compared
/// as folded text.
fn day_key(date: Option<&str>) -> String {
    let Some(d) = date.map(str::trim).filter(|d| !d.is_empty()) else {
        return String::new();
    };
    match date_key(d) / 10_000 {
        0 => normalize(d),
        day => day.to_string(),
    }
}

/// A URL folded so the same page compares equal: no scheme, no `www.`, a
/// lower-case host, no fragment, no trailing slash, no tracking parameters.
pub fn url_key(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = path.split_once('/').unwrap_or((path, ""));
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    if host.is_empty() {
        return None;
    }
    let mut out = format!("{host}/{}", path.trim_end_matches('/'));
    let params: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("").to_ascii_lowercase();
            !(p.is_empty()
                || name.starts_with("utm_")
                || matches!(name.as_str(), "fbclid" | "gclid" | "ref" | "source" | "amp"))
        })
        .collect();
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    Some(out.trim_end_matches('/').to_owned())
}

/// Longest file name stem written, in bytes (ASCII).
const SLUG_MAX: usize = 80;

/// A file name stem from a title: ASCII letters and digits, lower case,
/// words joined by hyphens, cut at a word end near [`SLUG_MAX`].
pub fn slug(title: &str) -> String {
    let folded = normalize(title);
    let mut out = String::new();
    for word in folded.split(' ') {
        let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
        if word.is_empty() {
            continue;
        }
        let extra = usize::from(!out.is_empty()) + word.len();
        if out.len() + extra > SLUG_MAX {
            if out.is_empty() {
                out.push_str(&word[..SLUG_MAX]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    if out.is_empty() {
        "artikel".to_owned()
    } else {
        out
    }
}

/// The names in the library folder, lower case (names are compared so on
/// every platform, as some file systems ignore case).
fn taken_names(dir: &Path) -> std::io::Result<HashSet<String>> {
    Ok(std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_lowercase())
        .collect())
}

/// Removes the temporary files of an `add` that was killed before it
/// named them: those of a process that is gone (its id is in the name),
/// or a day old where running processes cannot be told.
fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let day = std::time::Duration::from_secs(24 * 3600);
    let proc_fs = Path::new("/proc/self").exists();
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(".baca-add-"))
            .filter(|n| n.ends_with(".tmp"))
            .and_then(|n| n.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let dead = proc_fs
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists();
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > day);
        if dead || old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Files written at once: flushing each to disk waits on the device, and
/// the waits overlap.
const WRITERS: usize = 8;

/// Writes each text to a hidden temporary file in `dir`, flushed to disk;
/// on failure none is left behind.
fn write_temps(dir: &Path, texts: &[String]) -> std::io::Result<Vec<PathBuf>> {
    let temps: Vec<PathBuf> = (0..texts.len())
        .map(|i| dir.join(format!(".baca-add-{}-{i}.tmp", std::process::id())))
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let write = |i: usize| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&temps[i])?;
        f.write_all(texts[i].as_bytes())?;
        f.sync_all()
    };
    let failed: Vec<std::io::Error> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..WRITERS.min(texts.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut errors = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= texts.len() {
                            break errors;
                        }
                        if let Err(e) = write(i) {
                            errors.push(e);
                            // The others stop at their next file.
                            next.store(texts.len(), std::sync::atomic::Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    match failed.into_iter().next() {
        None => Ok(temps),
        Some(e) => {
            for t in &temps {
                let _ = std::fs::remove_file(t);
            }
            Err(e)
        }
    }
}

/// Gives the temporary file `tmp` its name: `stem.txt`, or `stem-2.txt` …
/// when taken. A hard link fails rather than replace a file another process
/// wrote meanwhile; the file appears whole or not at all.
fn link_free(
    dir: &Path,
    tmp: &Path,
    stem: &str,
    taken: &mut HashSet<String>,
) -> std::io::Result<PathBuf> {
    for n in 1usize.. {
        let name = if n == 1 {
            format!("{stem}.txt")
        } else {
            format!("{stem}-{n}.txt")
        };
        if !taken.insert(name.to_lowercase()) {
            continue;
        }
        let dest = dir.join(&name);
        match std::fs::hard_link(tmp, &dest) {
            Ok(()) => {
                std::fs::remove_file(tmp)?;
                return Ok(dest);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // No hard links on this file system (FAT, some network shares):
            // the name was free a moment ago; rename is the best left.
            Err(_) if !dest.exists() => {
                std::fs::rename(tmp, &dest)?;
                return Ok(dest);
            }
            Err(_) => continue,
        }
    }
    Err(std::io::Error::other("no free file name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Bilang \"Rakyat Jelata\", Jubir Minta Maaf!"),
            "bilang-rakyat-jelata-jubir-minta-maaf"
        );
        assert_eq!(slug("Kafé & Résto: 100% Halal"), "kafe-dan-resto-100-halal");
        assert_eq!(slug("..."), "artikel");
        assert_eq!(slug("Ωμέγα"), "artikel");
        let long = slug(&"kata ".repeat(40));
        assert!(long.len() <= SLUG_MAX && long.ends_with("kata"), "{long}");
        assert_eq!(slug(&"x".repeat(200)).len(), SLUG_MAX);
    }

    #[test]
    fn url_keys_fold_the_same_page() {
        let k = url_key("https://www.Kompas.com/read/2024/12/05/a/?utm_source=x#top");
        assert_eq!(k.as_deref(), Some("kompas.com/read/2024/12/05/a"));
        assert_eq!(k, url_key("http://kompas.com/read/2024/12/05/a"));
        assert_ne!(
            url_key("http://x.test/a?id=1"),
            url_key("http://x.test/a?id=2")
        );
        assert_eq!(url_key("https:///"), None);
    }

    #[test]
    fn days_compare_across_date_styles() {
        assert_eq!(
            day_key(Some("Kompas.com - 05/12/2024, 19:34 WIB")),
            day_key(Some("2024-12-05"))
        );
        assert_ne!(day_key(Some("2024-12-05")), day_key(Some("2024-12-06")));
        assert_eq!(day_key(None), "");
        assert_eq!(day_key(Some("kemarin sore")), "kemarin sore");
    }

    #[test]
    fn names_are_unique_and_writes_leave_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("judul.txt"), "lama").unwrap();
        let mut taken = taken_names(dir.path()).unwrap();
        let temps = write_temps(dir.path(), &["baru".to_owned(), "lagi".to_owned()]).unwrap();
        let a = link_free(dir.path(), &temps[0], "judul", &mut taken).unwrap();
        let b = link_free(dir.path(), &temps[1], "judul", &mut taken).unwrap();
        assert_eq!(a.file_name().unwrap(), "judul-2.txt");
        assert_eq!(b.file_name().unwrap(), "judul-3.txt");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("judul.txt")).unwrap(),
            "lama"
        );
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "lagi");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn a_name_taken_by_someone_else_meanwhile_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut taken = taken_names(dir.path()).unwrap();
        // Written by another process after the names were read.
        std::fs::write(dir.path().join("judul.txt"), "milik orang lain").unwrap();
        let temps = write_temps(dir.path(), &["baru".to_owned()]).unwrap();
        let a = link_free(dir.path(), &temps[0], "judul", &mut taken).unwrap();
        assert_eq!(a.file_name().unwrap(), "judul-2.txt");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("judul.txt")).unwrap(),
            "milik orang lain"
        );
    }

    #[test]
    fn leftovers_of_a_killed_add_go_and_a_running_ones_stay() {
        let dir = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        std::fs::write(src.path().join("a.txt"), "Judul Baru\n\nIsi baru.\n").unwrap();
        // No process has this id (above the kernel's limit).
        let dead = dir.path().join(".baca-add-4294967000-0.tmp");
        let live = dir
            .path()
            .join(format!(".baca-add-{}-9.tmp", std::process::id()));
        let other = dir.path().join(".baca-add-catatan.tmp");
        for p in [&dead, &live, &other] {
            std::fs::write(p, "setengah").unwrap();
        }
        let report = add(&[src.path().to_path_buf()], dir.path()).unwrap();
        assert_eq!(report.added(), 1);
        assert!(!dead.exists());
        assert!(live.exists(), "this process may still be writing it");
        assert!(other.exists(), "not a name add writes");
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("hilang");
        assert!(write_temps(&gone, &["a".to_owned(), "b".to_owned()]).is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
