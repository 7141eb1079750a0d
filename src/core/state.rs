//! Reading state kept across sessions: read marks, bookmarks, scroll
//! positions, opening times, the link history and the last open article,
//! stored as `state.json` in the data folder.
//!
//! The file is only ever replaced whole (temporary file, fsync, rename,
//! fsync of the folder), so a crash leaves either the old or the new state.
//! A [`State`] remembers the *changes* made since it was loaded; saving takes
//! an exclusive lock, re-reads the file, merges the changes into it (the
//! newer stamp wins, field by field) and writes the result, so two baca
//! processes running at once lose none of each other's changes.

use crate::core::article::Article;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The state file's name inside the data folder.
pub const STATE_FILE: &str = "state.json";
/// Held (flock / LockFileEx) while a process reads, merges and writes. Never
/// deleted: removing a lock file lets two processes lock different files.
const LOCK_FILE: &str = "state.json.lock";
/// The one temporary file. Only the lock holder writes it, so one name is
/// enough, and any copy found while holding the lock is a crash's leftover.
const TEMP_FILE: &str = "state.json.tmp";
/// How many link-history entries are kept across sessions.
pub const HISTORY_LEN: usize = 200;
const VERSION: u32 = 1;

/// The key an article's state is stored under, stable across restarts,
/// reloads and the way the folder was named on the command line: the URL
/// when there is one, else the date and title (how `baca add` recognises the
/// same article), else the origin and title.
pub fn article_key(article: &Article) -> String {
    let non_empty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(url) = non_empty(&article.meta.url) {
        return url;
    }
    let title = article.title.trim();
    match non_empty(&article.meta.date) {
        Some(date) => format!("{date} {title}"),
        None => format!("{}#{title}", article.origin),
    }
}

/// Something the user should be told about the state file; baca goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// The file did not parse. It was renamed to `moved_to` and the state
    /// started empty.
    Corrupt {
        path: PathBuf,
        moved_to: PathBuf,
        reason: String,
    },
    /// The file could not be read (or a corrupt one could not be moved
    /// aside). The state started empty and saving will fail until the file
    /// is readable again, so nothing in it is overwritten.
    Unreadable { path: PathBuf, reason: String },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Corrupt {
                path,
                moved_to,
                reason,
            } => write!(
                f,
                "reading state {} was damaged ({reason}); kept it as {} and started afresh",
                path.display(),
                moved_to.display()
            ),
            Warning::Unreadable { path, reason } => write!(
                f,
                "reading state {} could not be read ({reason}); marks and bookmarks will not be saved",
                path.display()
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("{action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_err(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StateError {
    let path = path.to_path_buf();
    move |source| StateError::Io {
        action,
        path,
        source,
    }
}

/// A value with the time (milliseconds since the epoch) it was set: the
/// newer one wins when two processes' changes meet. Stored as
/// `[value, at]` to keep the file small.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamped<T> {
    value: T,
    at: u64,
}

impl<T: Serialize> Serialize for Stamped<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.value, self.at).serialize(s)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Stamped<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (value, at) = <(T, u64)>::deserialize(d)?;
        Ok(Stamped { value, at })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    read: Option<Stamped<bool>>,
    /// `false` is kept (not removed) so that removing a bookmark wins over
    /// an older one set by another process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bookmark: Option<Stamped<bool>>,
    /// The index of the first block on screen: unlike a line number it
    /// survives a change of width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Stamped<usize>>,
    /// When the article was last opened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opened: Option<u64>,
}

impl Record {
    fn merge(&mut self, newer: &Record) {
        take_newer(&mut self.read, &newer.read);
        take_newer(&mut self.bookmark, &newer.bookmark);
        take_newer(&mut self.position, &newer.position);
        self.opened = self.opened.max(newer.opened);
    }
}

/// Last writer wins; on a tie the change being merged (the later save) wins.
fn take_newer<T: Clone>(mine: &mut Option<Stamped<T>>, theirs: &Option<Stamped<T>>) {
    if let Some(t) = theirs {
        if mine.as_ref().is_none_or(|m| t.at >= m.at) {
            *mine = Some(t.clone());
        }
    }
}

/// One link-history entry: an article key and when it was visited.
type Visit = Stamped<String>;

/// The file's content, and also the shape of a set of changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Data {
    #[serde(default)]
    version: u32,
    #[serde(default)]
    articles: BTreeMap<String, Record>,
    /// Oldest first.
    #[serde(default)]
    history: Vec<Visit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_open: Option<Stamped<Option<String>>>,
}

impl Data {
    fn is_empty(&self) -> bool {
        self.articles.is_empty() && self.history.is_empty() && self.last_open.is_none()
    }

    /// The newest stamp in the data. Changes made after seeing it are
    /// stamped later still, so they win even over a clock that ran ahead.
    fn max_stamp(&self) -> u64 {
        let records = self.articles.values().flat_map(|r| {
            [
                r.read.as_ref().map(|s| s.at),
                r.bookmark.as_ref().map(|s| s.at),
                r.position.as_ref().map(|s| s.at),
                r.opened,
            ]
        });
        records
            .flatten()
            .chain(self.history.iter().map(|v| v.at))
            .chain(self.last_open.as_ref().map(|s| s.at))
            .max()
            .unwrap_or(0)
    }

    fn record(&mut self, key: &str) -> &mut Record {
        self.articles.entry(key.to_string()).or_default()
    }

    fn merge(&mut self, changes: &Data) {
        for (key, rec) in &changes.articles {
            self.record(key).merge(rec);
        }
        if !changes.history.is_empty() {
            self.history.extend(changes.history.iter().cloned());
            // Stable: visits with equal stamps keep disk-then-ours order.
            self.history.sort_by_key(|v| v.at);
            let excess = self.history.len().saturating_sub(HISTORY_LEN);
            self.history.drain(..excess);
        }
        take_newer(&mut self.last_open, &changes.last_open);
    }
}

fn to_time(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(ms)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The reading state of one baca process. Reads see the file as loaded
/// (or as last saved) with this process's changes on top.
#[derive(Debug)]
pub struct State {
    dir: PathBuf,
    view: Data,
    changes: Data,
    last_stamp: u64,
}

impl State {
    /// Loads `dir/state.json`. A missing folder or file is an empty state; a
    /// damaged file is moved aside and reported. Never fails: problems are
    /// returned as warnings to show the user.
    pub fn load(dir: &Path) -> (State, Vec<Warning>) {
        let path = dir.join(STATE_FILE);
        let mut warnings = Vec::new();
        if dir.join(TEMP_FILE).exists() {
            // A crash between write and rename; only safe to remove while
            // holding the lock, since a live writer holds it while its
            // temporary file exists.
            if let Ok(_lock) = Lock::acquire(dir) {
                let _ = fs::remove_file(dir.join(TEMP_FILE));
            }
        }
        let view = match read_disk(&path) {
            Ok(Disk::Missing) => Data::default(),
            Ok(Disk::Parsed(data)) => data,
            Ok(Disk::Corrupt(_)) => match recover_corrupt(dir, &path) {
                Ok((data, warning)) => {
                    warnings.extend(warning);
                    data
                }
                Err(e) => {
                    warnings.push(Warning::Unreadable {
                        path: path.clone(),
                        reason: e.to_string(),
                    });
                    Data::default()
                }
            },
            Err(e) => {
                warnings.push(Warning::Unreadable {
                    path: path.clone(),
                    reason: e.to_string(),
                });
                Data::default()
            }
        };
        let last_stamp = view.max_stamp();
        let state = State {
            dir: dir.to_path_buf(),
            view,
            changes: Data::default(),
            last_stamp,
        };
        (state, warnings)
    }

    /// Where the state is stored.
    pub fn path(&self) -> PathBuf {
        self.dir.join(STATE_FILE)
    }

    /// True when there are changes that [`State::save`] would write.
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty()
    }

    /// A fresh stamp, strictly after every stamp this process has made or
    /// seen, so its changes keep their order within one millisecond and a
    /// change made after seeing another process's wins over it.
    fn stamp(&mut self) -> u64 {
        // Saturating: a stamp of u64::MAX read from a file would wrap to 0
        // and lose every change after it; a tie goes to the change.
        self.last_stamp = now_ms().max(self.last_stamp.saturating_add(1));
        self.last_stamp
    }

    /// Applies one change to what this process sees and to what it will save.
    fn change(&mut self, apply: impl Fn(&mut Data)) {
        apply(&mut self.view);
        apply(&mut self.changes);
    }

    fn get(&self, key: &str) -> Option<&Record> {
        self.view.articles.get(key)
    }

    pub fn is_read(&self, key: &str) -> bool {
        self.get(key)
            .and_then(|r| r.read.as_ref())
            .is_some_and(|s| s.value)
    }

    /// The keys of every article marked read: lets a large library look up
    /// only these instead of keying every article at start.
    pub fn read_keys(&self) -> impl Iterator<Item = &str> {
        self.view
            .articles
            .iter()
            .filter(|(_, r)| r.read.as_ref().is_some_and(|s| s.value))
            .map(|(k, _)| k.as_str())
    }

    pub fn set_read(&mut self, key: &str, read: bool) {
        if self.is_read(key) == read && self.get(key).is_some_and(|r| r.read.is_some()) {
            return;
        }
        let at = self.stamp();
        self.change(|d| d.record(key).read = Some(Stamped { value: read, at }));
    }

    /// Flips the read mark; returns the new value.
    pub fn toggle_read(&mut self, key: &str) -> bool {
        let read = !self.is_read(key);
        self.set_read(key, read);
        read
    }

    pub fn is_bookmarked(&self, key: &str) -> bool {
        self.get(key)
            .and_then(|r| r.bookmark.as_ref())
            .is_some_and(|s| s.value)
    }

    pub fn set_bookmark(&mut self, key: &str, on: bool) {
        if self.is_bookmarked(key) == on {
            return;
        }
        let at = self.stamp();
        self.change(|d| d.record(key).bookmark = Some(Stamped { value: on, at }));
    }

    /// Flips the bookmark; returns true when the article is now bookmarked.
    pub fn toggle_bookmark(&mut self, key: &str) -> bool {
        let on = !self.is_bookmarked(key);
        self.set_bookmark(key, on);
        on
    }

    /// Bookmarked articles with the time each was bookmarked, newest first.
    pub fn bookmarks(&self) -> Vec<(&str, SystemTime)> {
        let mut out: Vec<(&str, u64)> = self
            .view
            .articles
            .iter()
            .filter_map(|(k, r)| match &r.bookmark {
                Some(s) if s.value => Some((k.as_str(), s.at)),
                _ => None,
            })
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.into_iter().map(|(k, at)| (k, to_time(at))).collect()
    }

    /// The block index of the first block on screen when the article was
    /// last left.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.get(key)
            .and_then(|r| r.position.as_ref())
            .map(|s| s.value)
    }

    pub fn set_position(&mut self, key: &str, block: usize) {
        if self.position(key) == Some(block) {
            return;
        }
        let at = self.stamp();
        self.change(|d| {
            d.record(key).position = Some(Stamped { value: block, at });
        });
    }

    /// When the article was last opened.
    pub fn opened(&self, key: &str) -> Option<SystemTime> {
        self.get(key).and_then(|r| r.opened).map(to_time)
    }

    /// Stamps the article as opened now (for the "recent" list).
    pub fn mark_opened(&mut self, key: &str) {
        let at = self.stamp();
        self.change(|d| d.record(key).opened = Some(at));
    }

    /// What opening an article records: the opening time, the read mark
    /// and the last open article.
    pub fn record_open(&mut self, key: &str) {
        self.mark_opened(key);
        self.set_read(key, true);
        self.set_last_open(Some(key));
    }

    /// The `n` most recently opened articles with their opening times,
    /// newest first.
    pub fn recent(&self, n: usize) -> Vec<(&str, SystemTime)> {
        let mut out: Vec<(&str, u64)> = self
            .view
            .articles
            .iter()
            .filter_map(|(k, r)| r.opened.map(|at| (k.as_str(), at)))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.truncate(n);
        out.into_iter().map(|(k, at)| (k, to_time(at))).collect()
    }

    /// Appends an article to the link history kept across sessions (the
    /// last [`HISTORY_LEN`] entries are kept).
    pub fn push_history(&mut self, key: &str) {
        let at = self.stamp();
        self.change(|d| {
            d.history.push(Visit {
                value: key.to_string(),
                at,
            });
            let excess = d.history.len().saturating_sub(HISTORY_LEN);
            d.history.drain(..excess);
        });
    }

    /// The link history, oldest first.
    pub fn history(&self) -> Vec<&str> {
        self.view.history.iter().map(|v| v.value.as_str()).collect()
    }

    /// The article to reopen on start.
    pub fn last_open(&self) -> Option<&str> {
        self.view
            .last_open
            .as_ref()
            .and_then(|s| s.value.as_deref())
    }

    /// Sets (or with `None` clears) the article to reopen on start.
    pub fn set_last_open(&mut self, key: Option<&str>) {
        if self.last_open() == key && self.view.last_open.is_some() {
            return;
        }
        let at = self.stamp();
        let value = key.map(str::to_string);
        self.change(|d| {
            d.last_open = Some(Stamped {
                value: value.clone(),
                at,
            });
        });
    }

    /// Writes this process's changes: under the lock, re-reads the file,
    /// merges the changes in (newer stamp wins per field), writes it
    /// atomically, and from then on shows the merged state (which includes
    /// other processes' saved changes). Does nothing without changes.
    ///
    /// Returns warnings (a file damaged since it was loaded is moved aside).
    /// On error the changes are kept, so a later save can retry.
    pub fn save(&mut self) -> Result<Vec<Warning>, StateError> {
        match self.take_pending() {
            Some(pending) => {
                let written = pending.write();
                self.finish(pending, written)
            }
            None => Ok(Vec::new()),
        }
    }

    /// Takes the changes to save, for [`Pending::write`] on another thread:
    /// a save reads, merges and syncs the whole file, milliseconds for every
    /// thousand articles read, which the reader must not wait for. Changes
    /// made meanwhile are kept for the next save; [`State::finish`] takes
    /// the result back.
    pub fn take_pending(&mut self) -> Option<Pending> {
        if !self.has_changes() {
            return None;
        }
        Some(Pending {
            dir: self.dir.clone(),
            changes: std::mem::take(&mut self.changes),
        })
    }

    /// Takes back what writing `pending` did. When the file was replaced,
    /// what this process sees becomes the file (with the other processes'
    /// changes) plus the changes made since; when it was not, the changes
    /// are kept to be saved again.
    pub fn finish(
        &mut self,
        pending: Pending,
        written: Written,
    ) -> Result<Vec<Warning>, StateError> {
        match written.disk {
            Some(mut disk) => {
                self.last_stamp = self.last_stamp.max(disk.max_stamp());
                disk.merge(&self.changes);
                self.view = disk;
            }
            None => {
                let mut changes = pending.changes;
                changes.merge(&self.changes);
                self.changes = changes;
            }
        }
        match written.error {
            Some(e) => Err(e),
            None => Ok(written.warnings),
        }
    }
}

/// Changes taken from a [`State`] to be written, on any thread.
#[derive(Debug)]
pub struct Pending {
    dir: PathBuf,
    changes: Data,
}

/// What writing [`Pending`] changes did, for [`State::finish`].
#[derive(Debug)]
pub struct Written {
    /// The file as written, when it was replaced.
    disk: Option<Data>,
    /// Why the file was not replaced, or, with `disk`, why the replacement
    /// may not survive a crash.
    error: Option<StateError>,
    warnings: Vec<Warning>,
}

impl Pending {
    /// Locks the file, merges the changes into what it holds now and
    /// replaces it.
    pub fn write(&self) -> Written {
        let mut warnings = Vec::new();
        let failed = |error, warnings| Written {
            disk: None,
            error: Some(error),
            warnings,
        };
        // Locked from reading the file to renaming the new one over it, so
        // no other process's write falls in between.
        let (_lock, disk) = match self.merged(&mut warnings) {
            Ok(locked) => locked,
            Err(e) => return failed(e, warnings),
        };
        if let Err(e) = write_and_rename(&self.dir, &disk) {
            return failed(e, warnings);
        }
        // The rename is done: the changes are on disk even if the folder's
        // fsync fails, so they must not be merged a second time.
        Written {
            error: sync_dir(&self.dir).err(),
            disk: Some(disk),
            warnings,
        }
    }

    /// The file as it is now with the changes merged in, and the lock that
    /// must be held until it is written.
    fn merged(&self, warnings: &mut Vec<Warning>) -> Result<(Lock, Data), StateError> {
        fs::create_dir_all(&self.dir).map_err(io_err("create", &self.dir))?;
        let lock = Lock::acquire(&self.dir)?;
        let path = self.dir.join(STATE_FILE);
        let mut disk = match read_disk(&path).map_err(io_err("read", &path))? {
            Disk::Missing => Data::default(),
            Disk::Parsed(data) => data,
            Disk::Corrupt(reason) => {
                let moved_to = move_aside(&path)?;
                warnings.push(Warning::Corrupt {
                    path: path.clone(),
                    moved_to,
                    reason,
                });
                Data::default()
            }
        };
        disk.merge(&self.changes);
        disk.version = VERSION;
        Ok((lock, disk))
    }
}

enum Disk {
    Missing,
    Parsed(Data),
    Corrupt(String),
}

fn read_disk(path: &Path) -> io::Result<Disk> {
    let bytes = match super::files::read(path, super::files::MAX_BYTES) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(Disk::Missing),
        Err(e) => return Err(e.into()),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        // Holds nothing that could be lost.
        return Ok(Disk::Missing);
    }
    Ok(match serde_json::from_slice::<Data>(&bytes) {
        Ok(data) => Disk::Parsed(data),
        Err(e) => Disk::Corrupt(e.to_string()),
    })
}

/// Under the lock, checks again (another process may have just replaced
/// the file) and moves a still damaged file aside.
fn recover_corrupt(dir: &Path, path: &Path) -> Result<(Data, Option<Warning>), StateError> {
    let _lock = Lock::acquire(dir)?;
    match read_disk(path).map_err(io_err("read", path))? {
        Disk::Missing => Ok((Data::default(), None)),
        Disk::Parsed(data) => Ok((data, None)),
        Disk::Corrupt(reason) => {
            let moved_to = move_aside(path)?;
            let warning = Warning::Corrupt {
                path: path.to_path_buf(),
                moved_to,
                reason,
            };
            Ok((Data::default(), Some(warning)))
        }
    }
}

/// Renames a damaged file to `state.json.corrupt-<seconds>[-n]`, never over
/// an earlier one.
fn move_aside(path: &Path) -> Result<PathBuf, StateError> {
    let secs = now_ms() / 1000;
    let base = format!("{}.corrupt-{secs}", path.display());
    let mut target = PathBuf::from(&base);
    let mut n = 1;
    while target.exists() {
        target = PathBuf::from(format!("{base}-{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(io_err("move aside", path))?;
    Ok(target)
}

fn write_and_rename(dir: &Path, data: &Data) -> Result<(), StateError> {
    let tmp = dir.join(TEMP_FILE);
    let written = write_temp_and_rename(dir, &tmp, data);
    if written.is_err() {
        // A full disk leaves half a file: nothing to keep, and the lock is
        // still held, so no other writer's file is removed.
        let _ = fs::remove_file(&tmp);
    }
    written
}

fn write_temp_and_rename(dir: &Path, tmp: &Path, data: &Data) -> Result<(), StateError> {
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(tmp)
        .map_err(io_err("create", tmp))?;
    let mut out = BufWriter::new(file);
    write_json(&mut out, data).map_err(io_err("write", tmp))?;
    let file = out
        .into_inner()
        .map_err(|e| e.into_error())
        .map_err(io_err("write", tmp))?;
    file.sync_all().map_err(io_err("sync", tmp))?;
    drop(file);
    let path = dir.join(STATE_FILE);
    fs::rename(tmp, &path).map_err(io_err("replace", &path))
}

/// Compact JSON with one article or history entry per line: small and
/// quick to parse, yet readable and greppable.
fn write_json(out: &mut impl Write, data: &Data) -> io::Result<()> {
    write!(out, "{{\"version\":{}", data.version)?;
    if let Some(last) = &data.last_open {
        out.write_all(b",\n\"last_open\":")?;
        serde_json::to_writer(&mut *out, last)?;
    }
    out.write_all(b",\n\"history\":[")?;
    for (i, visit) in data.history.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, visit)?;
    }
    out.write_all(b"],\n\"articles\":{")?;
    for (i, (key, record)) in data.articles.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, key)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, record)?;
    }
    out.write_all(b"}}\n")
}

/// Makes the rename itself durable.
fn sync_dir(dir: &Path) -> Result<(), StateError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_err("sync", dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// An exclusive lock on `state.json.lock`, released when dropped (and by
/// the kernel if the process dies).
struct Lock {
    _file: File,
}

impl Lock {
    fn acquire(dir: &Path) -> Result<Lock, StateError> {
        let path = dir.join(LOCK_FILE);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err("open", &path))?;
        file.lock().map_err(io_err("lock", &path))?;
        Ok(Lock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_that_fails_after_the_temporary_file_leaves_none() {
        let dir = tempfile::tempdir().unwrap();
        // Renaming a file over a folder that holds something fails, after
        // the temporary file was written in full.
        fs::create_dir_all(dir.path().join(STATE_FILE).join("x")).unwrap();
        let e = write_and_rename(dir.path(), &Data::default()).unwrap_err();
        assert!(e.to_string().contains("replace"), "{e}");
        assert!(!dir.path().join(TEMP_FILE).exists());
    }
}
