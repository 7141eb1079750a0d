//! The inverted index kept in memory: per segment a sorted dictionary of
//! folded words, per word the articles whose text holds it (with counts and
//! positions, delta- and varint-coded) and the articles whose title holds
//! it; the query planner that expands each query word (prefix, affixes,
//! typos) to dictionary words; and BM25 ranking with title matches first.
//!
//! A library changes while it is read. An index is a large base segment,
//! built once and shared by every later version of the index, and a small
//! delta segment of the articles read since, searched together through a
//! map from each segment's documents to the library's articles: updating
//! it after a change costs what changed, not the library
//! ([`SearchIndex::update`]).

use super::query::{Query, QueryWord};
use super::snippet::snippet_with;
use super::stem;
use super::tokens::for_each_word;
use super::{date::date_key, Hit, Results};
use crate::core::article::{Article, ArticleId};
use crate::core::cache::Changes;
use crate::core::library::Library;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Positions skipped between blocks, so no phrase runs from one block
/// into the next.
const BLOCK_GAP: u32 = 1;
/// BM25 parameters, the usual ones.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A query word found in a title counts this many times its weight in
/// the text, so the best title matches lead the title matches too.
const TITLE_BOOST: f32 = 2.0;
/// How much a match counts against an exact one.
const AFFIX_WEIGHT: f32 = 0.7;
const TYPO_WEIGHT: f32 = 0.5;
/// A word still being typed expands to the words it begins. Prefixes of
/// up to this many letters whose words fill many lists ("p", "pe", "ber")
/// get the union of those lists precomputed as a bitset: one pass over
/// `docs / 64` words instead of millions of postings on every key.
const UNION_MAX_CHARS: usize = 3;
/// A prefix is worth a union when its words' lists hold more than
/// `docs / UNION_HEAVY` entries.
const UNION_HEAVY: usize = 2;
/// A longer prefix expands to its most frequent words, as other engines
/// do; the rest are still highlighted in the article once it is opened.
const MAX_PREFIX_TERMS: usize = 64;
const MAX_TYPO_TERMS: usize = 64;
/// A word matched through a prefix union counts like a word met once in
/// an article of average length, at this weight.
const UNION_WEIGHT: f32 = 0.6;
/// Scores equal to this step are a tie, and newer articles go first.
const TIE: f32 = 0.01;
/// A document of a segment whose article was changed or removed since.
pub(super) const GONE: u32 = u32::MAX;
/// A word that one segment's dictionary lacks.
const NO_TERM: u32 = u32::MAX;
/// A whole build is due once the articles added and gone since the base
/// was built pass this share of the base...
const DELTA_SHARE: usize = 10;
/// ... or this many, whichever is more: rebuilding a small library on
/// every change or two buys nothing.
const DELTA_MIN: usize = 16;

/// Statistics for the benchmark and the README.
#[derive(Clone, Debug, Default)]
pub struct IndexStats {
    pub articles: usize,
    /// Words in the dictionaries (a word in both segments counts twice).
    pub terms: usize,
    /// Body postings (article, count): one per word per article.
    pub postings: usize,
    /// Bytes the index holds (dictionary, postings, positions, per-article
    /// arrays); not counting the library it was built from.
    pub bytes: usize,
    /// How long the base segment took to build.
    pub build_time: Duration,
    /// Articles in the delta segment: read since the base was built.
    pub delta_articles: usize,
    /// Documents whose article was changed or removed since: searched
    /// past, and still counted in the ranking's document frequencies.
    pub gone: usize,
}

/// One run of documents, numbered from 0, with its own dictionary and
/// lists. Immutable once built.
#[derive(Debug, Default)]
pub(super) struct Seg {
    pub(super) docs: u32,
    pub(super) terms: Terms,
    /// Per term `t`: `body[body_at[t]..body_at[t+1]]` is a list of
    /// (document delta, count) varints; `pos` holds, in the same order,
    /// `count` position deltas per document.
    pub(super) body: Vec<u8>,
    pub(super) body_at: Vec<u64>,
    pub(super) pos: Vec<u8>,
    pub(super) pos_at: Vec<u64>,
    pub(super) df: Vec<u32>,
    /// Per term: the documents whose title holds it (document deltas).
    pub(super) title: Vec<u8>,
    pub(super) title_at: Vec<u64>,
    pub(super) title_df: Vec<u32>,
    /// Per document: words in its text, the BM25 length.
    pub(super) lens: Vec<u32>,
    pub(super) dates: Vec<u64>,
    /// Heavy short prefixes, sorted: the documents whose text holds any
    /// word starting with the prefix, as a bitset. A delta has a bitset
    /// for each of its base's prefixes, in the same order.
    pub(super) unions: Vec<(Box<str>, Vec<u64>)>,
    pub(super) build_time: Duration,
    /// The checksum of the file this segment was last stored in or read
    /// from as a base (0: none): an updated index on disk names its base
    /// by it, so the base is not written again with every change.
    pub(super) stored: AtomicU64,
}

/// The search index of one [`Library`]. It keeps no reference to the
/// library: pass the same library to [`SearchIndex::search`]. When the
/// library changes, [`SearchIndex::update`] gives the index of the new one.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub(super) base: Arc<Seg>,
    pub(super) delta: Option<Arc<Seg>>,
    /// By document, the base's then the delta's (the "space" searches
    /// accumulate in): its article in the library, or [`GONE`]. Empty
    /// when every document is the article of the same number (a whole
    /// build).
    pub(super) ids: Vec<u32>,
    /// Articles in the library.
    pub(super) live: u32,
    /// Per document: the BM25 length term `K1 * (1 - B + B * len / avg)`,
    /// `avg` over the library's articles.
    pub(super) norm: Vec<f32>,
    pub(super) stats: IndexStats,
}

#[derive(Debug, Default)]
pub(super) struct Terms {
    pub(super) text: String,
    pub(super) ends: Vec<u32>,
}

impl Terms {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    /// The first term not less than `key`.
    fn lower_bound(&self, key: &str) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid) < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    fn find(&self, key: &str) -> Option<usize> {
        let i = self.lower_bound(key);
        (i < self.len() && self.get(i) == key).then_some(i)
    }

    /// Terms that start with `prefix`: a contiguous range, since sorted.
    fn prefix_range(&self, prefix: &str) -> Range<usize> {
        let lo = self.lower_bound(prefix);
        let mut hi = lo;
        // Gallop, then bisect: most prefixes cover few terms.
        let mut step = 1;
        while hi + step <= self.len() && self.get(hi + step - 1).starts_with(prefix) {
            hi += step;
            step *= 2;
        }
        let mut end = (hi + step).min(self.len());
        while hi < end {
            let mid = (hi + end) / 2;
            if self.get(mid).starts_with(prefix) {
                hi = mid + 1;
            } else {
                end = mid;
            }
        }
        lo..hi
    }
}

// ---------------------------------------------------------------- build

/// FxHash: the index hashes every word of the library once, and SipHash's
/// protection against crafted keys buys nothing here.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint_len(v: u32) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0xfff_ffff => 4,
        _ => 5,
    }
}

#[inline]
fn get_varint(data: &[u8], at: &mut usize) -> u32 {
    // Most deltas and counts fit in one byte.
    if let Some(&b) = data.get(*at) {
        if b < 0x80 {
            *at += 1;
            return u32::from(b);
        }
    }
    let mut v = 0u32;
    let mut shift = 0;
    while let Some(&b) = data.get(*at) {
        *at += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 || shift >= 28 {
            break;
        }
        shift += 7;
    }
    v
}

/// One term's lists inside a segment. The first article of each list is
/// written as a delta from 0, and fixed when segments are joined.
#[derive(Default)]
struct SegTerm {
    body: Vec<u8>,
    pos: Vec<u8>,
    df: u32,
    last: u32,
    title: Vec<u8>,
    title_df: u32,
    title_last: u32,
    /// Positions in the article being read.
    cur: Vec<u32>,
}

/// The index of a run of consecutive articles, built on one thread.
#[derive(Default)]
struct Segment {
    /// Words of up to 15 bytes, packed into the key itself: looking one
    /// up reads no string elsewhere in memory (most words are short).
    short: FxMap<u128, u32>,
    long: FxMap<Box<str>, u32>,
    /// Each local term's text.
    names: Vec<Box<str>>,
    terms: Vec<SegTerm>,
    lens: Vec<u32>,
}

/// `word` and its length in one number, when it fits.
fn pack(word: &str) -> Option<u128> {
    let b = word.as_bytes();
    (b.len() < 16).then(|| {
        let mut k = [0u8; 16];
        k[..b.len()].copy_from_slice(b);
        k[15] = b.len() as u8;
        u128::from_le_bytes(k)
    })
}

impl Segment {
    fn term(&mut self, word: &str) -> u32 {
        let packed = pack(word);
        let found = match packed {
            Some(k) => self.short.get(&k),
            None => self.long.get(word),
        };
        if let Some(&t) = found {
            return t;
        }
        let t = self.terms.len() as u32;
        match packed {
            Some(k) => self.short.insert(k, t),
            None => self.long.insert(word.into(), t),
        };
        self.names.push(word.into());
        self.terms.push(SegTerm::default());
        t
    }

    fn add(&mut self, doc: u32, article: &Article, touched: &mut Vec<u32>) {
        let mut title_terms: Vec<u32> = Vec::new();
        for_each_word(&article.title, |w, _| title_terms.push(self.term(w)));
        title_terms.sort_unstable();
        title_terms.dedup();
        for t in title_terms {
            let st = &mut self.terms[t as usize];
            put_varint(&mut st.title, doc - st.title_last);
            st.title_last = doc;
            st.title_df += 1;
        }

        let mut block_start = 0u32;
        for block in &article.blocks {
            let mut pos = block_start;
            for_each_word(block.text(), |w, _| {
                let t = self.term(w);
                let st = &mut self.terms[t as usize];
                if st.cur.is_empty() {
                    touched.push(t);
                }
                st.cur.push(pos);
                pos += 1;
            });
            block_start = pos + BLOCK_GAP;
        }
        let mut len = 0;
        for &t in touched.iter() {
            let st = &mut self.terms[t as usize];
            put_varint(&mut st.body, doc - st.last);
            put_varint(&mut st.body, st.cur.len() as u32);
            let mut prev = 0;
            for &p in &st.cur {
                put_varint(&mut st.pos, p - prev);
                prev = p;
            }
            len += st.cur.len() as u32;
            st.last = doc;
            st.df += 1;
            st.cur.clear();
        }
        touched.clear();
        self.lens.push(len);
    }
}

fn build_segment(lib: &Library, ids: Range<u32>, progress: &AtomicUsize) -> Segment {
    let mut seg = Segment::default();
    let mut touched = Vec::new();
    let n = ids.len();
    for (i, d) in ids.enumerate() {
        // A library of heads reads each article back from its file here.
        let article = lib.full_uncached(ArticleId(d));
        seg.add(d, &article, &mut touched);
        if i % 256 == 255 {
            progress.fetch_add(256, Ordering::Relaxed);
        }
    }
    progress.fetch_add(n % 256, Ordering::Relaxed);
    for st in &mut seg.terms {
        st.cur = Vec::new();
    }
    seg
}

/// Appends `list` (first delta from 0) after a list whose last article is
/// `last`: rewrites the first delta, copies the rest. Returns the bytes
/// this adds, also when `out` is `None` (to size the buffers first).
fn join_list(list: &[u8], last: u32, out: Option<&mut Vec<u8>>) -> usize {
    let mut at = 0;
    let first = get_varint(list, &mut at);
    let delta = first - last;
    if let Some(out) = out {
        put_varint(out, delta);
        out.extend_from_slice(&list[at..]);
    }
    varint_len(delta) + list.len() - at
}

impl SearchIndex {
    /// Indexes the titles and text of every article of `lib`.
    pub fn build(lib: &Library) -> SearchIndex {
        SearchIndex::build_with_progress(lib, &AtomicUsize::new(0))
    }

    /// [`SearchIndex::build`], counting the articles done in `progress`,
    /// for a progress bar while it runs on another thread.
    pub fn build_with_progress(lib: &Library, progress: &AtomicUsize) -> SearchIndex {
        let started = Instant::now();
        let articles = &lib.articles;
        let n = articles.len();
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        let per = n.div_ceil(threads.max(1)).max(1024);
        let chunks: Vec<Range<u32>> = (0..n)
            .step_by(per)
            .map(|first| first as u32..(first + per).min(n) as u32)
            .collect();
        let segments: Vec<Segment> = if chunks.len() <= 1 {
            chunks
                .iter()
                .map(|ids| build_segment(lib, ids.clone(), progress))
                .collect()
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> = chunks
                    .iter()
                    .map(|ids| s.spawn(move || build_segment(lib, ids.clone(), progress)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        };
        let mut seg = join(segments, n);
        seg.unions = seg.prefix_unions();
        seg.dates = articles.iter().map(date_of).collect();
        seg.build_time = started.elapsed();
        SearchIndex::assemble(Arc::new(seg), None, Vec::new())
    }

    /// The index of segments `base` and `delta` whose documents are the
    /// articles `ids` names (see the field `ids`), which the caller
    /// has checked: one entry per document, each article once.
    pub(super) fn assemble(base: Arc<Seg>, delta: Option<Arc<Seg>>, ids: Vec<u32>) -> SearchIndex {
        let lens = || {
            base.lens
                .iter()
                .chain(delta.iter().flat_map(|d| d.lens.iter()))
        };
        let (mut total, mut live) = (0u64, 0usize);
        for (d, &l) in lens().enumerate() {
            if ids.get(d).is_none_or(|&c| c != GONE) {
                total += u64::from(l);
                live += 1;
            }
        }
        // As a whole build of the library would have it: the average over
        // its articles, gone ones left out.
        let avg = (total as f32 / live.max(1) as f32).max(1.0);
        let norm: Vec<f32> = lens()
            .map(|&l| K1 * (1.0 - B + B * l as f32 / avg))
            .collect();
        let segs = || std::iter::once(&*base).chain(delta.as_deref());
        let stats = IndexStats {
            articles: live,
            terms: segs().map(|s| s.terms.len()).sum(),
            postings: segs().flat_map(|s| s.df.iter()).map(|&d| d as usize).sum(),
            bytes: segs().map(Seg::bytes).sum::<usize>() + ids.capacity() * 4 + norm.capacity() * 4,
            build_time: base.build_time,
            delta_articles: delta.as_ref().map_or(0, |d| d.docs as usize),
            gone: norm.len() - live,
        };
        SearchIndex {
            base,
            delta,
            ids,
            live: live as u32,
            norm,
            stats,
        }
    }

    pub fn stats(&self) -> &IndexStats {
        &self.stats
    }

    /// How many articles the index covers.
    pub fn len(&self) -> usize {
        self.live as usize
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

fn date_of(a: &Article) -> u64 {
    a.meta.date.as_deref().map_or(0, date_key)
}

/// Joins the segments (in document order) into one sorted segment.
fn join(segments: Vec<Segment>, docs: usize) -> Seg {
    let mut all: Vec<&str> = segments
        .iter()
        .flat_map(|s| s.names.iter().map(|k| &**k))
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut terms = Terms {
        text: String::with_capacity(all.iter().map(|t| t.len()).sum()),
        ends: Vec::with_capacity(all.len()),
    };
    for t in &all {
        terms.text.push_str(t);
        terms.ends.push(terms.text.len() as u32);
    }
    let nt = all.len();
    // Local term -> global term, per segment.
    let maps: Vec<Vec<u32>> = segments
        .iter()
        .map(|s| {
            s.names
                .iter()
                .map(|k| all.binary_search(&&**k).unwrap_or(0) as u32)
                .collect()
        })
        .collect();
    drop(all);

    // First pass: sizes.
    let mut body_len = vec![0u64; nt];
    let mut pos_len = vec![0u64; nt];
    let mut title_len = vec![0u64; nt];
    let mut df = vec![0u32; nt];
    let mut title_df = vec![0u32; nt];
    let mut last = vec![0u32; nt];
    let mut title_last = vec![0u32; nt];
    for (seg, map) in segments.iter().zip(&maps) {
        for (st, &g) in seg.terms.iter().zip(map) {
            let g = g as usize;
            if st.df > 0 {
                body_len[g] += join_list(&st.body, last[g], None) as u64;
                pos_len[g] += st.pos.len() as u64;
                df[g] += st.df;
                last[g] = st.last;
            }
            if st.title_df > 0 {
                title_len[g] += join_list(&st.title, title_last[g], None) as u64;
                title_df[g] += st.title_df;
                title_last[g] = st.title_last;
            }
        }
    }
    let offsets = |lens: &[u64]| -> Vec<u64> {
        let mut at = Vec::with_capacity(lens.len() + 1);
        let mut sum = 0;
        at.push(0);
        for l in lens {
            sum += l;
            at.push(sum);
        }
        at
    };
    let body_at = offsets(&body_len);
    let pos_at = offsets(&pos_len);
    let title_at = offsets(&title_len);
    drop((body_len, pos_len, title_len));

    // Second pass: copy each term's lists into place, segment by
    // segment, freeing a segment once it is copied.
    let size = |at: &[u64]| at.last().copied().unwrap_or(0) as usize;
    let mut body = vec![0u8; size(&body_at)];
    let mut pos = vec![0u8; size(&pos_at)];
    let mut title = vec![0u8; size(&title_at)];
    let mut body_fill: Vec<u64> = body_at[..nt].to_vec();
    let mut pos_fill: Vec<u64> = pos_at[..nt].to_vec();
    let mut title_fill: Vec<u64> = title_at[..nt].to_vec();
    last.iter_mut().for_each(|l| *l = 0);
    title_last.iter_mut().for_each(|l| *l = 0);
    let mut lens = Vec::with_capacity(docs);
    let mut scratch = Vec::new();
    for (seg, map) in segments.into_iter().zip(&maps) {
        for (st, &g) in seg.terms.iter().zip(map) {
            let g = g as usize;
            if st.df > 0 {
                scratch.clear();
                join_list(&st.body, last[g], Some(&mut scratch));
                let at = body_fill[g] as usize;
                body[at..at + scratch.len()].copy_from_slice(&scratch);
                body_fill[g] += scratch.len() as u64;
                let at = pos_fill[g] as usize;
                pos[at..at + st.pos.len()].copy_from_slice(&st.pos);
                pos_fill[g] += st.pos.len() as u64;
                last[g] = st.last;
            }
            if st.title_df > 0 {
                scratch.clear();
                join_list(&st.title, title_last[g], Some(&mut scratch));
                let at = title_fill[g] as usize;
                title[at..at + scratch.len()].copy_from_slice(&scratch);
                title_fill[g] += scratch.len() as u64;
                title_last[g] = st.title_last;
            }
        }
        lens.extend_from_slice(&seg.lens);
    }
    Seg {
        docs: docs as u32,
        terms,
        body,
        body_at,
        pos,
        pos_at,
        df,
        title,
        title_at,
        title_df,
        lens,
        ..Seg::default()
    }
}

impl Seg {
    fn body_list(&self, t: usize) -> &[u8] {
        &self.body[self.body_at[t] as usize..self.body_at[t + 1] as usize]
    }

    fn pos_list(&self, t: usize) -> &[u8] {
        &self.pos[self.pos_at[t] as usize..self.pos_at[t + 1] as usize]
    }

    fn title_list(&self, t: usize) -> &[u8] {
        &self.title[self.title_at[t] as usize..self.title_at[t + 1] as usize]
    }

    fn postings_cost(&self, t: usize) -> u64 {
        (self.body_at[t + 1] - self.body_at[t]) + (self.title_at[t + 1] - self.title_at[t])
    }

    fn union_for(&self, prefix: &str) -> Option<usize> {
        self.unions
            .binary_search_by(|(k, _)| (**k).cmp(prefix))
            .ok()
    }

    /// The bitsets of heavy prefixes (see [`UNION_MAX_CHARS`]).
    fn prefix_unions(&self) -> Vec<(Box<str>, Vec<u64>)> {
        let n = self.docs as usize;
        let heavy = (n / UNION_HEAVY).max(1) as u64;
        let nt = self.terms.len();
        let mut groups: Vec<(Box<str>, Range<usize>)> = Vec::new();
        for len in 1..=UNION_MAX_CHARS {
            let mut i = 0;
            while i < nt {
                let t = self.terms.get(i);
                let Some((cut, _)) = t.char_indices().nth(len - 1) else {
                    i += 1;
                    continue;
                };
                let key = &t[..cut + t[cut..].chars().next().map_or(0, char::len_utf8)];
                let mut j = i;
                let mut sum = 0u64;
                while j < nt && self.terms.get(j).starts_with(key) {
                    sum += u64::from(self.df[j]);
                    j += 1;
                }
                if j - i >= 2 && sum >= heavy {
                    groups.push((key.into(), i..j));
                }
                i = j;
            }
        }
        let mut out: Vec<(Box<str>, Vec<u64>)> = groups
            .into_iter()
            .map(|(key, range)| (key, self.union_bits(range)))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// The documents whose text holds any of the terms `range`, as a
    /// bitset.
    fn union_bits(&self, range: Range<usize>) -> Vec<u64> {
        let mut bits = vec![0u64; (self.docs as usize).div_ceil(64)];
        for t in range {
            let data = self.body_list(t);
            let (mut at, mut doc) = (0, 0u32);
            while at < data.len() {
                doc = doc.wrapping_add(get_varint(data, &mut at));
                get_varint(data, &mut at);
                if let Some(w) = bits.get_mut(doc as usize / 64) {
                    *w |= 1 << (doc % 64);
                }
            }
        }
        bits
    }

    /// The lists of the documents `renum` keeps (those not [`GONE`]),
    /// renumbered as it says, ready to be joined again: what survives of
    /// a delta when the next one is made. `renum` keeps their order.
    fn compacted(&self, renum: &[u32]) -> Segment {
        let mut out = Segment::default();
        let keep = |doc: u32| renum.get(doc as usize).copied().filter(|&r| r != GONE);
        for t in 0..self.terms.len() {
            let mut st = SegTerm::default();
            let (data, pos) = (self.body_list(t), self.pos_list(t));
            let (mut at, mut pat, mut doc) = (0, 0, 0u32);
            while at < data.len() {
                doc = doc.wrapping_add(get_varint(data, &mut at));
                let tf = get_varint(data, &mut at);
                // Positions restart from 0 in each document: their bytes
                // move as they are.
                let from = pat;
                for _ in 0..tf {
                    get_varint(pos, &mut pat);
                }
                if let Some(r) = keep(doc) {
                    put_varint(&mut st.body, r.wrapping_sub(st.last));
                    put_varint(&mut st.body, tf);
                    st.pos.extend_from_slice(&pos[from..pat]);
                    st.last = r;
                    st.df += 1;
                }
            }
            let data = self.title_list(t);
            let (mut at, mut doc) = (0, 0u32);
            while at < data.len() {
                doc = doc.wrapping_add(get_varint(data, &mut at));
                if let Some(r) = keep(doc) {
                    put_varint(&mut st.title, r.wrapping_sub(st.title_last));
                    st.title_last = r;
                    st.title_df += 1;
                }
            }
            if st.df > 0 || st.title_df > 0 {
                out.names.push(self.terms.get(t).into());
                out.terms.push(st);
            }
        }
        out.lens = renum
            .iter()
            .zip(&self.lens)
            .filter(|(r, _)| **r != GONE)
            .map(|(_, &l)| l)
            .collect();
        out
    }

    fn bytes(&self) -> usize {
        self.terms.text.capacity()
            + self.terms.ends.capacity() * 4
            + self.body.capacity()
            + self.pos.capacity()
            + self.title.capacity()
            + (self.body_at.capacity() + self.pos_at.capacity() + self.title_at.capacity()) * 8
            + (self.df.capacity() + self.title_df.capacity() + self.lens.capacity()) * 4
            + self.dates.capacity() * 8
            + self
                .unions
                .iter()
                .map(|(k, b)| k.len() + b.capacity() * 8)
                .sum::<usize>()
    }
}

// --------------------------------------------------------------- update

impl SearchIndex {
    /// The index of `lib`, the library this index's library became by
    /// `changes` (see `core::cache::refresh`): the base segment is
    /// shared, the articles read from added or changed files are indexed
    /// into a new delta with what survives of the old one, and those of
    /// changed or removed files are left out. `None` when `changes` do not
    /// lead from this index's library to `lib`.
    ///
    /// What ranks exactly as a whole build of `lib` would: which articles
    /// match, the lengths BM25 normalises by, and, while articles were
    /// only added, the whole score. The documents of changed or removed
    /// files still count in the document frequencies (and the article
    /// count beside them) until the next whole build, as deleted
    /// documents do in Lucene and tantivy; and the short prefixes read
    /// from a bitset are those heavy when the base was built.
    pub fn update(&self, lib: &Library, changes: &Changes) -> Option<SearchIndex> {
        self.update_with_progress(lib, changes, &AtomicUsize::new(0))
    }

    /// [`SearchIndex::update`], counting the articles read in `progress`.
    pub fn update_with_progress(
        &self,
        lib: &Library,
        changes: &Changes,
        progress: &AtomicUsize,
    ) -> Option<SearchIndex> {
        if changes.kept.len() != self.live as usize {
            return None;
        }
        // Every article of `lib` is kept or added, once.
        let mut seen = vec![false; lib.len()];
        for id in changes.kept.iter().flatten().chain(&changes.added) {
            if std::mem::replace(seen.get_mut(id.index())?, true) {
                return None;
            }
        }
        if seen.contains(&false) {
            return None;
        }
        drop(seen);
        let now = |d: u32| {
            self.current(d)
                .and_then(|c| changes.kept.get(c as usize).copied().flatten())
                .map_or(GONE, |id| id.0)
        };
        let nb = self.base.docs;
        let mut ids: Vec<u32> = (0..nb).map(now).collect();
        let old = self.delta.as_deref();
        // The old delta's documents still in the library, renumbered.
        let mut moved: Vec<u32> = Vec::new();
        let renum: Vec<u32> = old.map_or(Vec::new(), |d| {
            (nb..nb + d.docs)
                .map(|x| match now(x) {
                    GONE => GONE,
                    id => {
                        moved.push(id);
                        moved.len() as u32 - 1
                    }
                })
                .collect()
        });
        let survivors = moved.len() as u32;
        let mut fresh = Segment::default();
        let mut touched = Vec::new();
        for (k, &id) in changes.added.iter().enumerate() {
            // A library of heads reads each article back from its file.
            let article = lib.full_uncached(id);
            fresh.add(survivors + k as u32, &article, &mut touched);
            progress.fetch_add(1, Ordering::Relaxed);
        }
        for st in &mut fresh.terms {
            st.cur = Vec::new();
        }
        let docs = survivors as usize + changes.added.len();
        let delta = (docs > 0).then(|| {
            let mut parts = Vec::with_capacity(2);
            if let Some(d) = old.filter(|_| survivors > 0) {
                parts.push(d.compacted(&renum));
            }
            parts.push(fresh);
            let mut seg = join(parts, docs);
            let unions = self
                .base
                .unions
                .iter()
                .map(|(k, _)| (k.clone(), seg.union_bits(seg.terms.prefix_range(k))))
                .collect();
            seg.unions = unions;
            if let Some(d) = old {
                seg.dates = renum
                    .iter()
                    .zip(&d.dates)
                    .filter(|(r, _)| **r != GONE)
                    .map(|(_, &x)| x)
                    .collect();
            }
            seg.dates.extend(
                changes
                    .added
                    .iter()
                    .map(|id| date_of(&lib.articles[id.index()])),
            );
            Arc::new(seg)
        });
        ids.extend(moved);
        ids.extend(changes.added.iter().map(|id| id.0));
        if delta.is_none() && ids.iter().enumerate().all(|(i, &c)| c == i as u32) {
            ids = Vec::new();
        }
        Some(SearchIndex::assemble(self.base.clone(), delta, ids))
    }

    /// Past this many articles added or gone since the base was built, a
    /// whole build is due.
    fn slack(&self) -> usize {
        (self.base.docs as usize / DELTA_SHARE).max(DELTA_MIN)
    }

    /// The delta and the gone documents have grown past a tenth of the
    /// base: searching costs more than it should, and the ranking's
    /// statistics drift. Build the index whole again (in the background:
    /// this one stays right meanwhile).
    pub fn wants_rebuild(&self) -> bool {
        self.stats.delta_articles + self.stats.gone > self.slack()
    }

    /// `changes` add so much that a whole build of the new library, on
    /// every core, is about as quick as indexing them on one.
    pub fn rebuild_is_cheaper(&self, changes: &Changes) -> bool {
        changes.added.len() > (self.live as usize / 2).max(DELTA_MIN)
    }

    /// Documents in the segments, gone ones included.
    fn space(&self) -> u32 {
        self.base.docs + self.delta.as_ref().map_or(0, |d| d.docs)
    }

    /// The article document `d` is, unless it is gone.
    fn current(&self, d: u32) -> Option<u32> {
        if self.ids.is_empty() {
            return (d < self.base.docs).then_some(d);
        }
        self.ids.get(d as usize).copied().filter(|&c| c != GONE)
    }

    fn date(&self, d: u32) -> u64 {
        let nb = self.base.docs;
        let dates = match &self.delta {
            Some(delta) if d >= nb => delta.dates.get((d - nb) as usize),
            _ => self.base.dates.get(d as usize),
        };
        dates.copied().unwrap_or(0)
    }

    /// The segments with their number and the offset of their documents
    /// in the space searches accumulate in.
    fn segs(&self) -> impl Iterator<Item = (usize, &Seg, u32)> {
        std::iter::once((0, &*self.base, 0))
            .chain(self.delta.as_deref().map(|d| (1, d, self.base.docs)))
    }
}

// --------------------------------------------------------------- search

/// What a search has gathered about one document.
#[derive(Clone, Copy, Default)]
struct Acc {
    /// Bit `i`: query word `i` found, in the title or the text.
    mask: u32,
    /// Bit `i`: query word `i` found in the title.
    tmask: u32,
    score: f32,
    /// The best match of the current word in the text and in the title.
    best: f32,
    tbest: f32,
    /// The document's BM25 length term.
    norm: f32,
}

/// What [`SearchIndex::rank`] found.
#[derive(Default)]
struct Ranked {
    total: usize,
    /// (article, score, title match), best first.
    top: Vec<(u32, f32, bool)>,
    plans: Vec<WordPlan>,
}

/// A word of the dictionaries: its number in each segment, [`NO_TERM`]
/// where a segment lacks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Term([u32; 2]);

/// A query word turned into dictionary words with the weight of each.
struct WordPlan {
    terms: Vec<(Term, f32)>,
    /// The idf of the query word itself when the library has it: other
    /// words it expands to count no rarer than that, or a rare typo or
    /// completion ("damim" for "damai") would outrank the word typed.
    idf_cap: f32,
    /// The word is a heavy prefix: its completions in titles are in
    /// `title_terms`, in the text in the union bitsets `unions[union]`.
    union: Option<usize>,
    title_terms: Vec<Term>,
    cost: u64,
}

fn idf(df: u32, n: u32) -> f32 {
    let (df, n) = (df as f32, n as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The words one edit away from `w` past its first letter: letters
/// dropped, swapped, changed or added (from a-z, 0-9 and the word's own
/// letters).
fn edits(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let mut alphabet: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    alphabet.extend(chars.iter().filter(|c| !c.is_ascii()));
    let mut out = Vec::new();
    let s = |v: &[char]| v.iter().collect::<String>();
    for i in 1..chars.len() {
        let mut v = chars.clone();
        v.remove(i);
        out.push(s(&v));
        if i + 1 < chars.len() {
            let mut v = chars.clone();
            v.swap(i, i + 1);
            out.push(s(&v));
        }
        for &c in &alphabet {
            if c != chars[i] {
                let mut v = chars.clone();
                v[i] = c;
                out.push(s(&v));
            }
        }
    }
    for i in 1..=chars.len() {
        for &c in &alphabet {
            let mut v = chars.clone();
            v.insert(i, c);
            out.push(s(&v));
        }
    }
    out
}

/// Adds `tw` for query word `bit` to each document of a title list.
#[inline]
#[allow(clippy::too_many_arguments)]
fn scan_title(
    data: &[u8],
    off: u32,
    acc: &mut [Acc],
    req: u32,
    bit: u32,
    tw: f32,
    touched: &mut Vec<u32>,
) {
    let (mut at, mut doc) = (0, 0u32);
    while at < data.len() {
        doc = doc.wrapping_add(get_varint(data, &mut at));
        let d = doc.wrapping_add(off);
        let Some(a) = acc.get_mut(d as usize) else {
            break;
        };
        if a.mask & req != req {
            continue;
        }
        if a.mask & bit == 0 {
            a.mask |= bit;
            touched.push(d);
        }
        a.tmask |= bit;
        a.tbest = a.tbest.max(tw);
    }
}

/// Adds the BM25 score (`bw` times the saturated count) of query word
/// `bit` to each document of a body list.
#[inline]
fn scan_body(
    data: &[u8],
    off: u32,
    acc: &mut [Acc],
    req: u32,
    bit: u32,
    bw: f32,
    touched: &mut Vec<u32>,
) {
    let (mut at, mut doc) = (0, 0u32);
    while at < data.len() {
        doc = doc.wrapping_add(get_varint(data, &mut at));
        let tf = get_varint(data, &mut at) as f32;
        let d = doc.wrapping_add(off);
        let Some(a) = acc.get_mut(d as usize) else {
            break;
        };
        if a.mask & req != req {
            continue;
        }
        if a.mask & bit == 0 {
            a.mask |= bit;
            touched.push(d);
        }
        a.best = a.best.max(bw * tf / (tf + a.norm));
    }
}

/// Adds `s` to each document of a union bitset.
fn scan_bits(
    bits: &[u64],
    off: u32,
    acc: &mut [Acc],
    req: u32,
    bit: u32,
    s: f32,
    touched: &mut Vec<u32>,
) {
    for (wi, &word) in bits.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            let d = (wi * 64 + word.trailing_zeros() as usize) as u32 + off;
            word &= word - 1;
            let Some(a) = acc.get_mut(d as usize) else {
                break;
            };
            if a.mask & req != req {
                continue;
            }
            if a.mask & bit == 0 {
                a.mask |= bit;
                touched.push(d);
            }
            a.best = a.best.max(s);
        }
    }
}

impl SearchIndex {
    /// The segments that have word `t`: (segment, its number for the
    /// word, offset of its documents).
    fn parts(&self, t: Term) -> impl Iterator<Item = (&Seg, usize, u32)> {
        self.segs().filter_map(move |(s, seg, off)| {
            let local = t.0[s];
            (local != NO_TERM).then_some((seg, local as usize, off))
        })
    }

    fn df(&self, t: Term) -> u32 {
        self.parts(t).map(|(s, l, _)| s.df[l]).sum()
    }

    fn title_df(&self, t: Term) -> u32 {
        self.parts(t).map(|(s, l, _)| s.title_df[l]).sum()
    }

    fn term_df(&self, t: Term) -> u32 {
        self.df(t) + self.title_df(t)
    }

    fn text(&self, t: Term) -> &str {
        self.parts(t).next().map_or("", |(s, l, _)| s.terms.get(l))
    }

    fn find(&self, word: &str) -> Option<Term> {
        let mut t = Term([NO_TERM; 2]);
        for (s, seg, _) in self.segs() {
            if let Some(local) = seg.terms.find(word) {
                t.0[s] = local as u32;
            }
        }
        (t.0 != [NO_TERM; 2]).then_some(t)
    }

    /// The words starting with `prefix`, in dictionary order, added to
    /// `out`.
    fn with_prefix(&self, prefix: &str, out: &mut Vec<Term>) {
        let base = self.base.terms.prefix_range(prefix);
        let Some(delta) = self.delta.as_deref() else {
            out.extend(base.map(|t| Term([t as u32, NO_TERM])));
            return;
        };
        let other = delta.terms.prefix_range(prefix);
        let (mut i, mut j) = (base.start, other.start);
        while i < base.end || j < other.end {
            let order = if i == base.end {
                std::cmp::Ordering::Greater
            } else if j == other.end {
                std::cmp::Ordering::Less
            } else {
                self.base.terms.get(i).cmp(delta.terms.get(j))
            };
            let (b, d) = match order {
                std::cmp::Ordering::Less => (i as u32, NO_TERM),
                std::cmp::Ordering::Greater => (NO_TERM, j as u32),
                std::cmp::Ordering::Equal => (i as u32, j as u32),
            };
            i += usize::from(b != NO_TERM);
            j += usize::from(d != NO_TERM);
            out.push(Term([b, d]));
        }
    }

    /// An upper bound on the words starting with `prefix`.
    fn prefix_count(&self, prefix: &str) -> usize {
        self.segs()
            .map(|(_, seg, _)| seg.terms.prefix_range(prefix).len())
            .sum()
    }

    /// Keeps the `max` words of `list` (in dictionary order) found in most
    /// articles; the first in the dictionary among equals, so that any
    /// two indexes of the same articles choose alike.
    fn most_frequent(&self, list: Vec<Term>, max: usize) -> Vec<Term> {
        if list.len() <= max {
            return list;
        }
        let df: Vec<u32> = list.iter().map(|&t| self.term_df(t)).collect();
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.select_nth_unstable_by(max - 1, |&a, &b| df[b].cmp(&df[a]).then(a.cmp(&b)));
        order.truncate(max);
        order.sort_unstable();
        order.into_iter().map(|i| list[i]).collect()
    }

    fn plan_word(&self, w: &QueryWord) -> WordPlan {
        let mut terms: FxMap<Term, f32> = FxMap::default();
        let mut add = |t: Term, weight: f32| {
            let e = terms.entry(t).or_insert(0.0);
            *e = e.max(weight);
        };
        let exact = self.find(&w.text);
        if let Some(t) = exact {
            add(t, 1.0);
        }
        let mut union = None;
        let mut title_terms = Vec::new();
        if w.prefix {
            let mut range = Vec::new();
            self.with_prefix(&w.text, &mut range);
            union = self.base.union_for(&w.text);
            if union.is_some() {
                title_terms = range;
            } else {
                let n = w.text.chars().count() as f32;
                for t in self.most_frequent(range, MAX_PREFIX_TERMS) {
                    let len = self.text(t).chars().count() as f32;
                    add(t, 0.5 + 0.4 * n / len);
                }
            }
        }
        for p in &w.affixed {
            // Either way, the words that are `p` and a suffix.
            if self.prefix_count(p) <= 32 {
                let mut range = Vec::new();
                self.with_prefix(p, &mut range);
                for t in range {
                    if stem::is_suffix(&self.text(t)[p.len()..]) {
                        add(t, AFFIX_WEIGHT);
                    }
                }
            } else {
                for suffix in stem::suffixes() {
                    if let Some(t) = self.find(&format!("{p}{suffix}")) {
                        add(t, AFFIX_WEIGHT);
                    }
                }
            }
        }
        if w.typo_allowed() {
            let mut typo = Vec::new();
            for v in edits(&w.text) {
                if w.prefix {
                    self.with_prefix(&v, &mut typo);
                } else if let Some(t) = self.find(&v) {
                    typo.push(t);
                }
            }
            if self.delta.is_none() {
                typo.sort_unstable_by_key(|t| t.0[0]);
            } else {
                typo.sort_unstable_by(|&a, &b| self.text(a).cmp(self.text(b)));
            }
            typo.dedup();
            for t in self.most_frequent(typo, MAX_TYPO_TERMS) {
                add(t, TYPO_WEIGHT);
            }
        }
        let terms: Vec<(Term, f32)> = terms.into_iter().collect();
        let mut cost: u64 = terms
            .iter()
            .flat_map(|&(t, _)| self.parts(t))
            .map(|(s, l, _)| s.postings_cost(l))
            .sum();
        if union.is_some() {
            cost += u64::from(self.space());
        }
        let idf_cap = exact.map_or(f32::INFINITY, |e| idf(self.term_df(e), self.space()));
        WordPlan {
            terms,
            idf_cap,
            union,
            title_terms,
            cost,
        }
    }

    /// Ranks the articles of `lib` (the library this index is for) that
    /// match `query`, and returns the best `limit` with snippets.
    pub fn search(&self, lib: &Library, query: &Query, limit: usize) -> Results {
        let Ranked { total, top, plans } = self.rank(lib, query, limit);
        // Which query words each dictionary word matched: the snippets
        // highlight exactly what was searched, without matching every
        // word of the text against the query again.
        let mut term_mask: FxMap<&str, u32> = FxMap::default();
        for (i, p) in plans.iter().enumerate() {
            for &(t, _) in &p.terms {
                *term_mask.entry(self.text(t)).or_insert(0) |= 1 << i;
            }
        }
        let prefixes: Vec<(usize, &str)> = query
            .words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.prefix)
            .map(|(i, w)| (i, w.text.as_str()))
            .collect();
        let mask_of = |w: &str| {
            let mut m = term_mask.get(w).copied().unwrap_or(0);
            for &(i, p) in &prefixes {
                if w.starts_with(p) {
                    m |= 1 << i;
                }
            }
            m
        };
        let hits = top
            .into_iter()
            .filter_map(|(d, score, title_match)| {
                if d as usize >= lib.len() {
                    return None;
                }
                // A library of heads reads the hit back from its file.
                let article = lib.full(ArticleId(d));
                let (snippet, snippet_highlights) = snippet_with(&article, query, &mask_of);
                Some(Hit {
                    id: ArticleId(d),
                    score,
                    title_match,
                    snippet,
                    snippet_highlights,
                })
            })
            .collect();
        Results { total, hits }
    }

    /// The matching articles: their count and the best `limit` as
    /// (article, score, title match), best first; and the plan used.
    fn rank(&self, lib: &Library, query: &Query, limit: usize) -> Ranked {
        let mut out = Ranked::default();
        if query.is_empty() || self.live == 0 || lib.articles.len() != self.live as usize {
            return out;
        }
        // Gone documents count in the document frequencies, so in the
        // number of documents beside them too.
        let n = self.space();
        let plans: Vec<WordPlan> = query.words.iter().map(|w| self.plan_word(w)).collect();
        if plans
            .iter()
            .any(|p| p.terms.is_empty() && p.union.is_none())
        {
            return out;
        }
        let mut order: Vec<usize> = (0..plans.len()).collect();
        order.sort_by_key(|&i| plans[i].cost);

        // One record per document, so each posting touches one cache line.
        let mut acc: Vec<Acc> = self
            .norm
            .iter()
            .map(|&norm| Acc {
                norm,
                ..Acc::default()
            })
            .collect();
        let mut touched: Vec<u32> = Vec::new();
        let mut req = 0u32;
        for &i in &order {
            let bit = 1u32 << i;
            touched.clear();
            let plan = &plans[i];
            // The word itself (weight 1) keeps its own idf.
            let cap = |weight: f32| {
                if weight >= 1.0 {
                    f32::INFINITY
                } else {
                    plan.idf_cap
                }
            };
            let title_terms = plan
                .terms
                .iter()
                .copied()
                .chain(plan.title_terms.iter().map(|&t| (t, UNION_WEIGHT)));
            for (t, weight) in title_terms {
                let tw = weight * TITLE_BOOST * idf(self.title_df(t), n).min(cap(weight));
                for (seg, l, off) in self.parts(t) {
                    scan_title(seg.title_list(l), off, &mut acc, req, bit, tw, &mut touched);
                }
            }
            for &(t, weight) in &plan.terms {
                let bw = weight * idf(self.df(t), n).min(cap(weight)) * (K1 + 1.0);
                for (seg, l, off) in self.parts(t) {
                    scan_body(seg.body_list(l), off, &mut acc, req, bit, bw, &mut touched);
                }
            }
            if let Some(u) = plan.union {
                let bitsets: Vec<(&[u64], u32)> = self
                    .segs()
                    .filter_map(|(_, seg, off)| seg.unions.get(u).map(|(_, b)| (&b[..], off)))
                    .collect();
                let count: u32 = bitsets
                    .iter()
                    .flat_map(|(b, _)| b.iter())
                    .map(|w| w.count_ones())
                    .sum();
                let s = UNION_WEIGHT * idf(count, n);
                for (bits, off) in bitsets {
                    scan_bits(bits, off, &mut acc, req, bit, s, &mut touched);
                }
            }
            for &d in &touched {
                let a = &mut acc[d as usize];
                a.score += a.best + a.tbest;
                a.best = 0.0;
                a.tbest = 0.0;
            }
            req |= bit;
        }
        // Docs that passed the last word passed every word before it.
        let mut cands: Vec<u32> = touched;
        if !query.phrases.is_empty() {
            cands = self.with_phrases(lib, query, &plans, cands, &acc);
        }
        let all = req;
        let title_match = |d: u32, id: u32| {
            acc[d as usize].tmask == all
                && (query.phrases.is_empty() || query.matches_all(&lib.articles[id as usize].title))
        };
        // (article, score, title match, date): gone documents leave here.
        let mut ranked: Vec<(u32, f32, bool, u64)> = cands
            .iter()
            .filter_map(|&d| {
                let id = self.current(d)?;
                Some((id, acc[d as usize].score, title_match(d, id), self.date(d)))
            })
            .collect();
        let total = ranked.len();
        // Scores are rounded to TIE so near-equal ones tie (a tolerance
        // compare would not be a total order).
        let tied = |s: f32| (s / TIE).round() as i64;
        let cmp = |a: &(u32, f32, bool, u64), b: &(u32, f32, bool, u64)| {
            b.2.cmp(&a.2)
                .then_with(|| tied(b.1).cmp(&tied(a.1)))
                .then_with(|| b.3.cmp(&a.3))
                .then_with(|| a.0.cmp(&b.0))
        };
        if limit < ranked.len() {
            if limit == 0 {
                ranked.clear();
            } else {
                ranked.select_nth_unstable_by(limit - 1, cmp);
                ranked.truncate(limit);
            }
        }
        ranked.sort_by(cmp);
        out.total = total;
        out.top = ranked.into_iter().map(|(d, s, t, _)| (d, s, t)).collect();
        out.plans = plans;
        out
    }

    /// Keeps the candidates where every phrase stands whole, in
    /// the text (by positions) or in the title.
    fn with_phrases(
        &self,
        lib: &Library,
        query: &Query,
        plans: &[WordPlan],
        cands: Vec<u32>,
        acc: &[Acc],
    ) -> Vec<u32> {
        let mut slot = vec![u32::MAX; self.space() as usize];
        for (i, &d) in cands.iter().enumerate() {
            slot[d as usize] = i as u32;
        }
        let mut ok = vec![true; cands.len()];
        for (p, phrase) in query.phrases.iter().enumerate() {
            let mut found = vec![false; cands.len()];
            // Per phrase word: (candidate, position - offset in phrase).
            let mut lists: Vec<Vec<u64>> = Vec::with_capacity(phrase.len());
            for (j, &w) in phrase.iter().enumerate() {
                // A short prefix still being typed is any word here: its
                // positions would cost millions of postings per key.
                if plans[w].union.is_some() {
                    continue;
                }
                let mut list = Vec::new();
                for &(t, _) in &plans[w].terms {
                    for (seg, l, off) in self.parts(t) {
                        positions(seg, l, off, &slot, |c, p| {
                            if p >= j as u32 {
                                list.push(u64::from(c) << 32 | u64::from(p - j as u32));
                            }
                        });
                    }
                }
                list.sort_unstable();
                list.dedup();
                lists.push(list);
            }
            if lists.len() <= 1 {
                found.iter_mut().for_each(|f| *f = true);
            } else if let Some((first, rest)) = lists.split_first() {
                for key in first {
                    if rest.iter().all(|l| l.binary_search(key).is_ok()) {
                        found[(key >> 32) as usize] = true;
                    }
                }
            }
            let phrase_mask = phrase.iter().fold(0u32, |m, &w| m | 1 << w);
            for (i, &d) in cands.iter().enumerate() {
                if !found[i] && acc[d as usize].tmask & phrase_mask == phrase_mask {
                    found[i] = self
                        .current(d)
                        .is_some_and(|id| query.has_phrase(&lib.articles[id as usize].title, p));
                }
                ok[i] &= found[i];
            }
        }
        cands
            .into_iter()
            .zip(ok)
            .filter_map(|(d, keep)| keep.then_some(d))
            .collect()
    }
}

/// Calls `f(slot, position)` for each position of term `t` of `seg` in
/// the documents that have a slot.
fn positions(seg: &Seg, t: usize, off: u32, slot: &[u32], mut f: impl FnMut(u32, u32)) {
    let (data, pos) = (seg.body_list(t), seg.pos_list(t));
    let (mut at, mut pat, mut doc) = (0, 0, 0u32);
    while at < data.len() {
        doc = doc.wrapping_add(get_varint(data, &mut at));
        let tf = get_varint(data, &mut at);
        let want = slot
            .get(doc.wrapping_add(off) as usize)
            .copied()
            .filter(|&c| c != u32::MAX);
        let mut p = 0u32;
        for _ in 0..tf {
            p = p.wrapping_add(get_varint(pos, &mut pat));
            if let Some(c) = want {
                f(c, p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::{parse_str, ParseOptions};

    fn lib(n: usize) -> Library {
        let articles = (0..n)
            .map(|i| {
                let text = format!("---\ntitle: Berita {i}\n---\nIsi berita nomor {i}.");
                parse_str(&text, "t.txt", ParseOptions::default())
            })
            .collect();
        Library::from_articles(articles, Vec::new())
    }

    fn added(from: usize, to: usize) -> Changes {
        Changes {
            kept: (0..from as u32).map(|i| Some(ArticleId(i))).collect(),
            added: (from as u32..to as u32).map(ArticleId).collect(),
        }
    }

    #[test]
    fn a_large_delta_asks_for_a_whole_build() {
        let ix = SearchIndex::build(&lib(40));
        let few = added(40, 45);
        assert!(!ix.rebuild_is_cheaper(&few));
        let up = ix.update(&lib(45), &few).expect("fits");
        assert!(!up.wants_rebuild());
        assert_eq!(up.stats().delta_articles, 5);
        let many = added(45, 45 + DELTA_MIN + 1);
        let up = up.update(&lib(45 + DELTA_MIN + 1), &many).expect("fits");
        assert!(up.wants_rebuild(), "past the slack");
        assert!(ix.rebuild_is_cheaper(&added(40, 40 + DELTA_MIN + 30)));
    }

    #[test]
    fn changes_that_do_not_fit_are_refused() {
        let ix = SearchIndex::build(&lib(4));
        // From another library.
        assert!(ix.update(&lib(6), &added(5, 6)).is_none());
        // An article both kept and added.
        let twice = Changes {
            kept: (0..4).map(|i| Some(ArticleId(i))).collect(),
            added: vec![ArticleId(3)],
        };
        assert!(ix.update(&lib(4), &twice).is_none());
        // An article neither kept nor added.
        assert!(ix.update(&lib(5), &added(4, 4)).is_none());
        assert!(ix.update(&lib(5), &added(4, 5)).is_some());
    }

    #[test]
    fn composing_changes_maps_through_both() {
        // 0 1 2 -> (1 removed, one added) 0 2 3 -> (first changed) 2 3 0'
        let first = Changes {
            kept: vec![Some(ArticleId(0)), None, Some(ArticleId(1))],
            added: vec![ArticleId(2)],
        };
        let next = Changes {
            kept: vec![None, Some(ArticleId(0)), Some(ArticleId(1))],
            added: vec![ArticleId(2)],
        };
        let both = first.then(&next);
        assert_eq!(both.kept, [None, None, Some(ArticleId(0))]);
        assert_eq!(both.added, [ArticleId(1), ArticleId(2)]);
    }
}
