//! The search index on disk, in the cache folder: its arrays written as
//! they are in memory (little-endian), behind a header naming the library
//! they index and a checksum, so loading is a few large reads and a damaged
//! or stale file is noticed and rebuilt, never trusted.

use super::index::{IndexStats, SearchIndex, Terms};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::time::Duration;

const MAGIC: &[u8; 8] = b"bacaidx\n";
/// Bump when the index's arrays change meaning.
const FORMAT: u32 = 1;

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

/// A checksum over everything written, eight bytes at a time: fast enough
/// for a hundred megabytes, and any flipped or missing byte shows.
#[derive(Default)]
struct Sum(u64);

impl Sum {
    fn add(&mut self, bytes: &[u8]) {
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

impl SearchIndex {
    /// Writes the index for the library identified by `library` (see
    /// `core::cache::fingerprint`), replacing `to` atomically.
    pub fn save(&self, to: &Path, library: u64) -> std::io::Result<()> {
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = crate::core::cache::temp_beside(to);
        let written = self
            .write(&tmp, library)
            .and_then(|()| std::fs::rename(&tmp, to));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }

    fn write(&self, path: &Path, library: u64) -> std::io::Result<()> {
        let mut out = Out {
            w: BufWriter::new(std::fs::File::create(path)?),
            sum: Sum::default(),
        };
        out.w.write_all(MAGIC)?;
        out.u64(u64::from(FORMAT))?;
        out.u64(library)?;
        out.u64(u64::from(self.docs))?;
        out.blob(self.terms.text.as_bytes())?;
        out.array(&self.terms.ends, u32::to_le_bytes)?;
        out.blob(&self.body)?;
        out.array(&self.body_at, u64::to_le_bytes)?;
        out.blob(&self.pos)?;
        out.array(&self.pos_at, u64::to_le_bytes)?;
        out.array(&self.df, u32::to_le_bytes)?;
        out.blob(&self.title)?;
        out.array(&self.title_at, u64::to_le_bytes)?;
        out.array(&self.title_df, u32::to_le_bytes)?;
        out.array(&self.norm, f32::to_le_bytes)?;
        out.array(&self.dates, u64::to_le_bytes)?;
        out.u64(self.unions.len() as u64)?;
        for (prefix, bits) in &self.unions {
            out.blob(prefix.as_bytes())?;
            out.array(bits, u64::to_le_bytes)?;
        }
        let s = &self.stats;
        for v in [s.articles, s.terms, s.postings, s.bytes] {
            out.u64(v as u64)?;
        }
        out.u64(s.build_time.as_micros() as u64)?;
        let sum = out.sum.0;
        out.w.write_all(&sum.to_le_bytes())?;
        out.w.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }

    /// The index stored in `from`, when it was written for the library
    /// identified by `library`, whole and consistent.
    pub fn load(from: &Path, library: u64) -> Result<SearchIndex, StoreError> {
        let file = match std::fs::File::open(from) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::Missing),
            Err(e) => return Err(e.into()),
        };
        let size = file.metadata()?.len();
        let mut r = BufReader::with_capacity(1 << 16, file);
        let mut magic = [0u8; 8];
        r.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(StoreError::Corrupt("not a baca index"));
        }
        let mut inp = In {
            r,
            sum: Sum::default(),
            // Less the magic and the checksum at the end.
            left: size.saturating_sub(16),
        };
        if inp.u64()? != u64::from(FORMAT) || inp.u64()? != library {
            return Err(StoreError::Stale);
        }
        let docs = u32::try_from(inp.u64()?).map_err(|_| StoreError::Corrupt("docs"))?;
        let text = String::from_utf8(inp.blob()?).map_err(|_| StoreError::Corrupt("terms"))?;
        let mut ix = SearchIndex {
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
            norm: inp.array(f32::from_le_bytes)?,
            dates: inp.array(u64::from_le_bytes)?,
            ..SearchIndex::default()
        };
        let unions = inp.u64()?;
        for _ in 0..unions {
            let prefix =
                String::from_utf8(inp.blob()?).map_err(|_| StoreError::Corrupt("prefix"))?;
            let bits = inp.array(u64::from_le_bytes)?;
            ix.unions.push((prefix.into(), bits));
        }
        let mut stat = || inp.u64().map(|v| v as usize);
        ix.stats = IndexStats {
            articles: stat()?,
            terms: stat()?,
            postings: stat()?,
            bytes: stat()?,
            build_time: Duration::from_micros(stat()? as u64),
        };
        let expected = inp.sum.0;
        let mut end = [0u8; 8];
        inp.r.read_exact(&mut end)?;
        if u64::from_le_bytes(end) != expected || inp.left != 0 {
            return Err(StoreError::Corrupt("checksum"));
        }
        ix.check()?;
        Ok(ix)
    }

    /// The invariants searching relies on to index without bounds errors.
    fn check(&self) -> Result<(), StoreError> {
        let bad = StoreError::Corrupt;
        let nt = self.terms.ends.len();
        let docs = self.docs as usize;
        let mut prev = 0u32;
        for &e in &self.terms.ends {
            if e < prev
                || e as usize > self.terms.text.len()
                || !self.terms.text.is_char_boundary(e as usize)
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
        if !offsets(&self.body_at, self.body.len())
            || !offsets(&self.pos_at, self.pos.len())
            || !offsets(&self.title_at, self.title.len())
        {
            return Err(bad("postings offsets"));
        }
        if self.df.len() != nt
            || self.title_df.len() != nt
            || self.norm.len() != docs
            || self.dates.len() != docs
            || self
                .unions
                .iter()
                .any(|(_, bits)| bits.len() != docs.div_ceil(64))
        {
            return Err(bad("array lengths"));
        }
        Ok(())
    }
}
