//! The search index on disk, in the cache folder: its arrays written as
//! they are in memory (little-endian), behind a header naming the library
//! they index and a checksum, so loading is a few large reads and a damaged
//! or stale file is noticed and rebuilt, never trusted.
//!
//! An index updated after the library changed is stored as a small delta
//! file beside the base it was updated from: the delta segment and where
//! each document went, naming the base by its checksum. Saving after a
//! change then writes what changed, not the library's whole index.

use super::index::{Seg, Terms, GONE};
use super::SearchIndex;
use crate::core::cache::Sum;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

const MAGIC: &[u8; 8] = b"bacaidx\n";
const DELTA_MAGIC: &[u8; 8] = b"bacaidd\n";
/// Bump when the index's arrays change meaning.
const FORMAT: u32 = 2;
/// The library a base written only for a delta file indexes: none.
const NO_LIBRARY: u64 = 0;

/// Why a stored index was not used; it is then built again.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no stored index")]
    Missing,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("stored index is for another library or version")]
    Stale,
    #[error("stored index is damaged: {0}")]
    Corrupt(&'static str),
}

impl StoreError {
    /// Whether the file was there and damaged: news for the user, where a
    /// missing or outdated index is only rebuilt.
    pub fn is_damage(&self) -> bool {
        matches!(self, StoreError::Corrupt(_) | StoreError::Io(_))
    }
}

struct Out<W: Write> {
    w: W,
    sum: Sum,
}

impl<W: Write> Out<W> {
    fn bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.sum.add(b);
        self.w.write_all(b)
    }

    fn u64(&mut self, v: u64) -> std::io::Result<()> {
        self.bytes(&v.to_le_bytes())
    }

    fn blob(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.u64(b.len() as u64)?;
        self.bytes(b)
    }

    fn array<T: Copy, const N: usize>(
        &mut self,
        items: &[T],
        le: impl Fn(T) -> [u8; N],
    ) -> std::io::Result<()> {
        self.u64(items.len() as u64)?;
        let mut buf = Vec::with_capacity(items.len() * N);
        for &i in items {
            buf.extend_from_slice(&le(i));
        }
        self.bytes(&buf)
    }
}

struct In<R: Read> {
    r: R,
    sum: Sum,
    /// Bytes left in the file: no length read from it may ask for more.
    left: u64,
}

impl<R: Read> In<R> {
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, StoreError> {
        if n > self.left {
            return Err(StoreError::Corrupt("a length runs past the end"));
        }
        self.left -= n;
        let mut b = vec![0u8; n as usize];
        self.r.read_exact(&mut b)?;
        self.sum.add(&b);
        Ok(b)
    }

    fn u64(&mut self) -> Result<u64, StoreError> {
        let b = self.bytes(8)?;
        let mut w = [0u8; 8];
        w.copy_from_slice(&b);
        Ok(u64::from_le_bytes(w))
    }

    fn blob(&mut self) -> Result<Vec<u8>, StoreError> {
        let n = self.u64()?;
        self.bytes(n)
    }

    fn array<T, const N: usize>(
        &mut self,
        from_le: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<T>, StoreError> {
        let n = self.u64()?;
        let raw = self.bytes(
            n.checked_mul(N as u64)
                .ok_or(StoreError::Corrupt("length"))?,
        )?;
        Ok(raw
            .chunks_exact(N)
            .map(|c| {
                let mut w = [0u8; N];
                w.copy_from_slice(c);
                from_le(w)
            })
            .collect())
    }
}

impl<R: Read> In<R> {
    /// Reads the checksum at the end and compares it with what was read.
    fn finish(mut self) -> Result<u64, StoreError> {
        let expected = self.sum.0;
        let mut end = [0u8; 8];
        self.r.read_exact(&mut end)?;
        if u64::from_le_bytes(end) != expected || self.left != 0 {
            return Err(StoreError::Corrupt("checksum"));
        }
        Ok(expected)
    }
}

/// Where the delta of the index stored in `index` lives.
pub(super) fn delta_path(index: &Path) -> PathBuf {
    let mut name = index.as_os_str().to_owned();
    name.push("-delta");
    PathBuf::from(name)
}

/// Writes a new file at `to` through a temporary one; returns the
/// checksum it ends with.
fn write_atomic(
    to: &Path,
    magic: &[u8; 8],
    body: impl FnOnce(&mut Out<BufWriter<std::fs::File>>) -> std::io::Result<()>,
) -> std::io::Result<u64> {
    if let Some(dir) = to.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = crate::core::cache::temp_beside(to);
    let written = (|| {
        let mut out = Out {
            w: BufWriter::new(std::fs::File::create(&tmp)?),
            sum: Sum::default(),
        };
        out.w.write_all(magic)?;
        body(&mut out)?;
        let sum = out.sum.0;
        out.w.write_all(&sum.to_le_bytes())?;
        out.w.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, to)?;
        Ok(sum)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Opens a stored file and checks its magic: the reader past it, with
/// the bytes left before the checksum.
fn open(path: &Path, magic: &[u8; 8]) -> Result<In<BufReader<std::fs::File>>, StoreError> {
    let (file, meta) = match crate::core::files::open(path) {
        Ok(f) => f,
        Err(e) if e.is_not_found() => return Err(StoreError::Missing),
        Err(e) => return Err(std::io::Error::from(e).into()),
    };
    let size = meta.len();
    let mut r = BufReader::with_capacity(1 << 16, file);
    let mut head = [0u8; 8];
    r.read_exact(&mut head)
        .map_err(|_| StoreError::Corrupt("truncated"))?;
    if &head != magic {
        return Err(StoreError::Corrupt("not a baca index"));
    }
    Ok(In {
        r,
        sum: Sum::default(),
        // Less the magic and the checksum at the end.
        left: size.saturating_sub(16),
    })
}

/// The checksum a stored file ends with, if it is there.
fn stored_sum(path: &Path) -> Option<u64> {
    let (mut f, _) = crate::core::files::open(path).ok()?;
    f.seek(SeekFrom::End(-8)).ok()?;
    let mut end = [0u8; 8];
    f.read_exact(&mut end).ok()?;
    Some(u64::from_le_bytes(end))
}

fn put_seg<W: Write>(out: &mut Out<W>, s: &Seg) -> std::io::Result<()> {
    out.u64(u64::from(s.docs))?;
    out.blob(s.terms.text.as_bytes())?;
    out.array(&s.terms.ends, u32::to_le_bytes)?;
    out.blob(&s.body)?;
    out.array(&s.body_at, u64::to_le_bytes)?;
    out.blob(&s.pos)?;
    out.array(&s.pos_at, u64::to_le_bytes)?;
    out.array(&s.df, u32::to_le_bytes)?;
    out.blob(&s.title)?;
    out.array(&s.title_at, u64::to_le_bytes)?;
    out.array(&s.title_df, u32::to_le_bytes)?;
    out.array(&s.lens, u32::to_le_bytes)?;
    out.array(&s.dates, u64::to_le_bytes)?;
    out.u64(s.unions.len() as u64)?;
    for (prefix, bits) in &s.unions {
        out.blob(prefix.as_bytes())?;
        out.array(bits, u64::to_le_bytes)?;
    }
    out.u64(s.build_time.as_micros() as u64)
}

fn get_seg<R: Read>(inp: &mut In<R>) -> Result<Seg, StoreError> {
    let docs = u32::try_from(inp.u64()?).map_err(|_| StoreError::Corrupt("docs"))?;
    let text = String::from_utf8(inp.blob()?).map_err(|_| StoreError::Corrupt("terms"))?;
    let mut s = Seg {
        docs,
        terms: Terms {
            text,
            ends: inp.array(u32::from_le_bytes)?,
        },
        body: inp.blob()?,
        body_at: inp.array(u64::from_le_bytes)?,
        pos: inp.blob()?,
        pos_at: inp.array(u64::from_le_bytes)?,
        df: inp.array(u32::from_le_bytes)?,
        title: inp.blob()?,
        title_at: inp.array(u64::from_le_bytes)?,
        title_df: inp.array(u32::from_le_bytes)?,
        lens: inp.array(u32::from_le_bytes)?,
        dates: inp.array(u64::from_le_bytes)?,
        ..Seg::default()
    };
    let unions = inp.u64()?;
    for _ in 0..unions {
        let prefix = String::from_utf8(inp.blob()?).map_err(|_| StoreError::Corrupt("prefix"))?;
        let bits = inp.array(u64::from_le_bytes)?;
        s.unions.push((prefix.into(), bits));
    }
    s.build_time = Duration::from_micros(inp.u64()?);
    check(&s)?;
    Ok(s)
}

/// The invariants searching relies on to index without bounds errors.
fn check(s: &Seg) -> Result<(), StoreError> {
    let bad = StoreError::Corrupt;
    let nt = s.terms.ends.len();
    let docs = s.docs as usize;
    let mut prev = 0u32;
    for &e in &s.terms.ends {
        if e < prev || e as usize > s.terms.text.len() || !s.terms.text.is_char_boundary(e as usize)
        {
            return Err(bad("dictionary"));
        }
        prev = e;
    }
    let offsets = |at: &[u64], len: usize| {
        at.len() == nt + 1
            && at.windows(2).all(|w| w[0] <= w[1])
            && at.last().is_some_and(|&l| l as usize == len)
    };
    if !offsets(&s.body_at, s.body.len())
        || !offsets(&s.pos_at, s.pos.len())
        || !offsets(&s.title_at, s.title.len())
    {
        return Err(bad("postings offsets"));
    }
    if s.df.len() != nt
        || s.title_df.len() != nt
        || s.lens.len() != docs
        || s.dates.len() != docs
        || s.unions
            .iter()
            .any(|(_, bits)| bits.len() != docs.div_ceil(64))
    {
        return Err(bad("array lengths"));
    }
    Ok(())
}

/// Reads the base stored in `from`: for the library `want` names, or
/// (`None`) for whatever library, as the base of a delta.
fn read_base(from: &Path, want: Option<u64>) -> Result<Seg, StoreError> {
    let mut inp = open(from, MAGIC)?;
    if inp.u64()? != u64::from(FORMAT) {
        return Err(StoreError::Stale);
    }
    let library = inp.u64()?;
    if want.is_some_and(|w| w != library) {
        return Err(StoreError::Stale);
    }
    let seg = get_seg(&mut inp)?;
    let sum = inp.finish()?;
    seg.stored.store(sum, Ordering::Relaxed);
    Ok(seg)
}

/// The index stored as a delta for `library` beside its base.
fn load_updated(from: &Path, library: u64) -> Result<SearchIndex, StoreError> {
    let mut inp = open(&delta_path(from), DELTA_MAGIC)?;
    if inp.u64()? != u64::from(FORMAT) || inp.u64()? != library {
        return Err(StoreError::Stale);
    }
    let base_sum = inp.u64()?;
    let delta = match inp.u64()? {
        0 => None,
        1 => Some(get_seg(&mut inp)?),
        _ => return Err(StoreError::Corrupt("delta")),
    };
    let ids = inp.array(u32::from_le_bytes)?;
    inp.finish()?;
    let base = read_base(from, None)?;
    // The base was written again since (a whole build, another baca).
    if base.stored.load(Ordering::Relaxed) != base_sum {
        return Err(StoreError::Stale);
    }
    let space = base.docs as usize + delta.as_ref().map_or(0, |d| d.docs as usize);
    if ids.len() != space {
        return Err(StoreError::Corrupt("document map"));
    }
    // Each article of the library once, numbered from 0.
    let live = ids.iter().filter(|&&c| c != GONE).count();
    let mut seen = vec![false; live];
    for &c in ids.iter().filter(|&&c| c != GONE) {
        match seen.get_mut(c as usize) {
            Some(s) if !*s => *s = true,
            _ => return Err(StoreError::Corrupt("document map")),
        }
    }
    if let Some(d) = &delta {
        let keys = |s: &Seg| s.unions.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        if keys(d) != keys(&base) {
            return Err(StoreError::Corrupt("prefix unions"));
        }
    }
    Ok(SearchIndex::assemble(
        Arc::new(base),
        delta.map(Arc::new),
        ids,
    ))
}

impl SearchIndex {
    /// Writes the index for the library identified by `library` (see
    /// `core::cache::fingerprint`) at `to`, replacing what was there
    /// atomically. An updated index writes only its delta (to a file
    /// beside `to`) when its base is already there.
    pub fn save(&self, to: &Path, library: u64) -> std::io::Result<()> {
        let delta_file = delta_path(to);
        if self.delta.is_none() && self.ids.is_empty() {
            let sum = write_atomic(to, MAGIC, |out| {
                out.u64(u64::from(FORMAT))?;
                out.u64(library)?;
                put_seg(out, &self.base)
            })?;
            self.base.stored.store(sum, Ordering::Relaxed);
            // What a delta there said is stale now.
            return match std::fs::remove_file(&delta_file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let known = self.base.stored.load(Ordering::Relaxed);
        let base_sum = if known != 0 && stored_sum(to) == Some(known) {
            known
        } else {
            let sum = write_atomic(to, MAGIC, |out| {
                out.u64(u64::from(FORMAT))?;
                out.u64(NO_LIBRARY)?;
                put_seg(out, &self.base)
            })?;
            self.base.stored.store(sum, Ordering::Relaxed);
            sum
        };
        write_atomic(&delta_file, DELTA_MAGIC, |out| {
            out.u64(u64::from(FORMAT))?;
            out.u64(library)?;
            out.u64(base_sum)?;
            match &self.delta {
                Some(d) => {
                    out.u64(1)?;
                    put_seg(out, d)?;
                }
                None => out.u64(0)?,
            }
            out.array(&self.ids, u32::to_le_bytes)
        })?;
        Ok(())
    }

    /// The index stored in `from` (and the delta beside it), when it was
    /// written for the library identified by `library`, whole and
    /// consistent.
    pub fn load(from: &Path, library: u64) -> Result<SearchIndex, StoreError> {
        match load_updated(from, library) {
            Ok(ix) => Ok(ix),
            Err(StoreError::Missing) => Self::load_whole(from, library),
            // A damaged or stale delta: the base may still be this
            // library's whole index; if not, the delta's trouble is news.
            Err(e) => Self::load_whole(from, library).map_err(|whole| match whole {
                StoreError::Missing | StoreError::Stale => e,
                other => other,
            }),
        }
    }

    fn load_whole(from: &Path, library: u64) -> Result<SearchIndex, StoreError> {
        if library == NO_LIBRARY {
            return Err(StoreError::Stale);
        }
        let base = read_base(from, Some(library))?;
        Ok(SearchIndex::assemble(Arc::new(base), None, Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::ArticleId;
    use crate::core::cache::Changes;
    use crate::core::library::Library;
    use crate::core::parse::{parse_str, ParseOptions};
    use crate::core::search::Query;

    fn lib(texts: &[(&str, &str)]) -> Library {
        let articles = texts
            .iter()
            .map(|(title, body)| {
                let text = format!("---\ntitle: {title}\n---\n{body}");
                parse_str(&text, "t.txt", ParseOptions::default())
            })
            .collect();
        Library::from_articles(articles, Vec::new())
    }

    /// An updated index: article 1 of three removed, one added.
    fn updated() -> (Library, SearchIndex) {
        let old = lib(&[
            ("Banjir Jakarta", "Air naik di Pluit."),
            ("Harga Beras", "Beras naik lagi."),
            ("Gempa Cianjur", "Warga mengungsi."),
        ]);
        let new = lib(&[
            ("Banjir Jakarta", "Air naik di Pluit."),
            ("Gempa Cianjur", "Warga mengungsi."),
            ("Pompa Air Rusak", "Pompa di Pluit rusak."),
        ]);
        let changes = Changes {
            kept: vec![Some(ArticleId(0)), None, Some(ArticleId(1))],
            added: vec![ArticleId(2)],
        };
        let ix = SearchIndex::build(&old)
            .update(&new, &changes)
            .expect("the changes fit");
        (new, ix)
    }

    fn ids(ix: &SearchIndex, lib: &Library, q: &str) -> Vec<u32> {
        ix.search(lib, &Query::parse(q), 10)
            .hits
            .iter()
            .map(|h| h.id.0)
            .collect()
    }

    #[test]
    fn an_updated_index_round_trips_and_writes_only_its_delta() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.idx");
        let (new, ix) = updated();
        ix.save(&path, 7).expect("save");
        assert!(delta_path(&path).exists(), "a delta file beside the base");
        let base_written = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let back = SearchIndex::load(&path, 7).expect("load");
        assert_eq!(ids(&back, &new, "pluit"), ids(&ix, &new, "pluit"));
        assert_eq!(ids(&back, &new, "pluit"), [0, 2]);
        assert!(ids(&back, &new, "beras").is_empty());
        assert_eq!(back.len(), 3);
        // Saved again (the next change): the base is not rewritten.
        std::thread::sleep(std::time::Duration::from_millis(20));
        back.save(&path, 8).expect("save again");
        let again = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        assert_eq!(base_written, again, "the base file was left alone");
        assert!(matches!(
            SearchIndex::load(&path, 7),
            Err(StoreError::Stale)
        ));
        assert!(SearchIndex::load(&path, 8).is_ok());
    }

    #[test]
    fn a_damaged_delta_or_base_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.idx");
        let (_, ix) = updated();
        ix.save(&path, 7).expect("save");
        let delta = delta_path(&path);
        let good = std::fs::read(&delta).expect("read");
        for at in [good.len() / 2, good.len() - 3] {
            let mut bad = good.clone();
            bad[at] ^= 0x10;
            std::fs::write(&delta, &bad).expect("write");
            assert!(
                matches!(SearchIndex::load(&path, 7), Err(StoreError::Corrupt(_))),
                "byte {at} flipped in the delta"
            );
        }
        let mut bad = good.clone();
        bad[9] ^= 0x10;
        std::fs::write(&delta, &bad).expect("write");
        assert!(SearchIndex::load(&path, 7).is_err(), "its format changed");
        std::fs::write(&delta, &good[..good.len() - 1]).expect("write");
        assert!(SearchIndex::load(&path, 7).is_err(), "a truncated delta");
        std::fs::write(&delta, &good).expect("write");
        assert!(SearchIndex::load(&path, 7).is_ok());
        let base = std::fs::read(&path).expect("read");
        let mut bad = base.clone();
        let at = base.len() / 2;
        bad[at] ^= 0x01;
        std::fs::write(&path, &bad).expect("write");
        assert!(matches!(
            SearchIndex::load(&path, 7),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn a_whole_save_makes_the_old_delta_go() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.idx");
        let (new, ix) = updated();
        ix.save(&path, 7).expect("save");
        SearchIndex::build(&new).save(&path, 9).expect("save whole");
        assert!(!delta_path(&path).exists());
        assert!(SearchIndex::load(&path, 9).is_ok());
        assert!(matches!(
            SearchIndex::load(&path, 7),
            Err(StoreError::Stale)
        ));
    }

    /// A delta naming a base that was written again since is not used
    /// with the new base.
    #[test]
    fn a_delta_of_another_base_is_stale() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("x.idx");
        let (new, ix) = updated();
        ix.save(&path, 7).expect("save");
        let delta = std::fs::read(delta_path(&path)).expect("read");
        SearchIndex::build(&new).save(&path, 9).expect("save whole");
        std::fs::write(delta_path(&path), delta).expect("put the old delta back");
        assert!(matches!(
            SearchIndex::load(&path, 7),
            Err(StoreError::Stale)
        ));
    }
}
