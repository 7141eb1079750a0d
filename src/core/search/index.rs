//! The inverted index kept in memory: a sorted dictionary of folded words,
//! per word the articles whose text holds it (with counts and positions,
//! delta- and varint-coded) and the articles whose title holds it; the
//! query planner that expands each query word (prefix, affixes, typos) to
//! dictionary words; and BM25 ranking with title matches first.

use super::query::{Query, QueryWord};
use super::snippet::snippet_with;
use super::stem;
use super::tokens::for_each_word;
use super::{date::date_key, Hit, Results};
use crate::core::article::{Article, ArticleId};
use crate::core::library::Library;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Statistics for the benchmark and the README.
#[derive(Clone, Debug, Default)]
pub struct IndexStats {
    pub articles: usize,
    pub terms: usize,
    /// Body postings (article, count): one per word per article.
    pub postings: usize,
    /// Bytes the index holds (dictionary, postings, positions, per-article
    /// arrays); not counting the library it was built from.
    pub bytes: usize,
    pub build_time: Duration,
}

/// The search index of one [`Library`]. It keeps no reference to the
/// library: pass the same library to [`SearchIndex::search`]. Rebuild it
/// when the library changes.
#[derive(Debug, Default)]
pub struct SearchIndex {
    pub(super) docs: u32,
    pub(super) terms: Terms,
    /// Per term `t`: `body[body_at[t]..body_at[t+1]]` is a list of
    /// (article delta, count) varints; `pos` holds, in the same order,
    /// `count` position deltas per article.
    pub(super) body: Vec<u8>,
    pub(super) body_at: Vec<u64>,
    pub(super) pos: Vec<u8>,
    pub(super) pos_at: Vec<u64>,
    pub(super) df: Vec<u32>,
    /// Per term: the articles whose title holds it (article deltas).
    pub(super) title: Vec<u8>,
    pub(super) title_at: Vec<u64>,
    pub(super) title_df: Vec<u32>,
    /// Per article: the BM25 length term `K1 * (1 - B + B * len / avg)`.
    pub(super) norm: Vec<f32>,
    pub(super) dates: Vec<u64>,
    /// Heavy short prefixes, sorted: the articles whose text holds any word
    /// starting with the prefix, as a bitset.
    pub(super) unions: Vec<(Box<str>, Vec<u64>)>,
    pub(super) stats: IndexStats,
}

/// The sorted dictionary: term `i` is `text[ends[i-1]..ends[i]]`.
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
        let mut index = SearchIndex::join(segments, n);
        index.unions = index.prefix_unions();
        index.dates = articles
            .iter()
            .map(|a| a.meta.date.as_deref().map_or(0, date_key))
            .collect();
        index.stats.build_time = started.elapsed();
        index.stats.bytes = index.bytes();
        index
    }

    /// Joins the segments (in article order) into one sorted index.
    fn join(segments: Vec<Segment>, docs: usize) -> SearchIndex {
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
        let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
        let avg = (total as f32 / docs.max(1) as f32).max(1.0);
        let norm = lens
            .iter()
            .map(|&l| K1 * (1.0 - B + B * l as f32 / avg))
            .collect();
        let postings = df.iter().map(|&d| d as usize).sum();
        SearchIndex {
            docs: docs as u32,
            stats: IndexStats {
                articles: docs,
                terms: nt,
                postings,
                ..IndexStats::default()
            },
            terms,
            body,
            body_at,
            pos,
            pos_at,
            df,
            title,
            title_at,
            title_df,
            norm,
            dates: Vec::new(),
            unions: Vec::new(),
        }
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
        let words = n.div_ceil(64);
        let mut out: Vec<(Box<str>, Vec<u64>)> = groups
            .into_iter()
            .map(|(key, range)| {
                let mut bits = vec![0u64; words];
                for t in range {
                    let data = &self.body[self.body_at[t] as usize..self.body_at[t + 1] as usize];
                    let (mut at, mut doc) = (0, 0u32);
                    while at < data.len() {
                        doc += get_varint(data, &mut at);
                        get_varint(data, &mut at);
                        if let Some(w) = bits.get_mut(doc as usize / 64) {
                            *w |= 1 << (doc % 64);
                        }
                    }
                }
                (key, bits)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn bytes(&self) -> usize {
        self.terms.text.capacity()
            + self.terms.ends.capacity() * 4
            + self.body.capacity()
            + self.pos.capacity()
            + self.title.capacity()
            + (self.body_at.capacity() + self.pos_at.capacity() + self.title_at.capacity()) * 8
            + (self.df.capacity() + self.title_df.capacity() + self.norm.capacity()) * 4
            + self.dates.capacity() * 8
            + self
                .unions
                .iter()
                .map(|(k, b)| k.len() + b.capacity() * 8)
                .sum::<usize>()
    }

    pub fn stats(&self) -> &IndexStats {
        &self.stats
    }

    /// How many articles the index covers.
    pub fn len(&self) -> usize {
        self.docs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }
}

// --------------------------------------------------------------- search

/// What a search has gathered about one article.
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
    /// The article's BM25 length term.
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

/// A query word turned into dictionary terms with the weight of each.
struct WordPlan {
    terms: Vec<(u32, f32)>,
    /// The idf of the query word itself when the library has it: other
    /// words it expands to count no rarer than that, or a rare typo or
    /// completion ("damim" for "damai") would outrank the word typed.
    idf_cap: f32,
    /// The word is a heavy prefix: its completions in titles are in
    /// `title_range`, in the text in the union bitset `unions[union]`.
    union: Option<usize>,
    title_range: Range<usize>,
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

impl SearchIndex {
    fn postings_cost(&self, t: u32) -> u64 {
        let t = t as usize;
        (self.body_at[t + 1] - self.body_at[t]) + (self.title_at[t + 1] - self.title_at[t])
    }

    fn term_df(&self, t: usize) -> u32 {
        self.df[t] + self.title_df[t]
    }

    /// Keeps the `max` terms of `range` found in most articles.
    fn most_frequent(&self, range: Range<usize>, max: usize) -> Vec<usize> {
        let mut ts: Vec<usize> = range.collect();
        if ts.len() > max {
            ts.select_nth_unstable_by(max - 1, |&a, &b| self.term_df(b).cmp(&self.term_df(a)));
            ts.truncate(max);
        }
        ts
    }

    fn union_for(&self, prefix: &str) -> Option<usize> {
        self.unions
            .binary_search_by(|(k, _)| (**k).cmp(prefix))
            .ok()
    }

    fn plan_word(&self, w: &QueryWord) -> WordPlan {
        let mut terms: FxMap<u32, f32> = FxMap::default();
        let mut add = |t: usize, weight: f32| {
            let e = terms.entry(t as u32).or_insert(0.0);
            *e = e.max(weight);
        };
        let exact = self.terms.find(&w.text);
        if let Some(t) = exact {
            add(t, 1.0);
        }
        let mut union = None;
        let mut title_range = 0..0;
        if w.prefix {
            let range = self.terms.prefix_range(&w.text);
            union = self.union_for(&w.text);
            if union.is_some() {
                title_range = range;
            } else {
                let n = w.text.chars().count() as f32;
                for t in self.most_frequent(range, MAX_PREFIX_TERMS) {
                    let len = self.terms.get(t).chars().count() as f32;
                    add(t, 0.5 + 0.4 * n / len);
                }
            }
        }
        for p in &w.affixed {
            let range = self.terms.prefix_range(p);
            if range.len() <= 32 {
                for t in range {
                    if stem::is_suffix(&self.terms.get(t)[p.len()..]) {
                        add(t, AFFIX_WEIGHT);
                    }
                }
            } else {
                for suffix in stem::suffixes() {
                    if let Some(t) = self.terms.find(&format!("{p}{suffix}")) {
                        add(t, AFFIX_WEIGHT);
                    }
                }
            }
        }
        if w.typo_allowed() {
            let mut typo = Vec::new();
            for v in edits(&w.text) {
                if w.prefix {
                    typo.extend(self.terms.prefix_range(&v));
                } else if let Some(t) = self.terms.find(&v) {
                    typo.push(t);
                }
            }
            typo.sort_unstable();
            typo.dedup();
            if typo.len() > MAX_TYPO_TERMS {
                typo.select_nth_unstable_by(MAX_TYPO_TERMS - 1, |&a, &b| {
                    self.term_df(b).cmp(&self.term_df(a))
                });
                typo.truncate(MAX_TYPO_TERMS);
            }
            for t in typo {
                add(t, TYPO_WEIGHT);
            }
        }
        let terms: Vec<(u32, f32)> = terms.into_iter().collect();
        let mut cost: u64 = terms.iter().map(|&(t, _)| self.postings_cost(t)).sum();
        if union.is_some() {
            cost += u64::from(self.docs);
        }
        let idf_cap = exact.map_or(f32::INFINITY, |e| idf(self.term_df(e), self.docs));
        WordPlan {
            terms,
            idf_cap,
            union,
            title_range,
            cost,
        }
    }

    /// Ranks the articles of `lib` (the library this index was built from)
    /// that match `query`, and returns the best `limit` with snippets.
    pub fn search(&self, lib: &Library, query: &Query, limit: usize) -> Results {
        let Ranked { total, top, plans } = self.rank(lib, query, limit);
        // Which query words each dictionary word matched: the snippets
        // highlight exactly what was searched, without matching every
        // word of the text against the query again.
        let mut term_mask: FxMap<&str, u32> = FxMap::default();
        for (i, p) in plans.iter().enumerate() {
            for &(t, _) in &p.terms {
                *term_mask.entry(self.terms.get(t as usize)).or_insert(0) |= 1 << i;
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
        let n = self.docs as usize;
        if query.is_empty() || n == 0 || lib.articles.len() != n {
            return out;
        }
        let plans: Vec<WordPlan> = query.words.iter().map(|w| self.plan_word(w)).collect();
        if plans
            .iter()
            .any(|p| p.terms.is_empty() && p.union.is_none())
        {
            return out;
        }
        let mut order: Vec<usize> = (0..plans.len()).collect();
        order.sort_by_key(|&i| plans[i].cost);

        // One record per article, so each posting touches one cache line.
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
                .chain(plan.title_range.clone().map(|t| (t as u32, UNION_WEIGHT)));
            for (t, weight) in title_terms {
                let t = t as usize;
                let tw = weight * TITLE_BOOST * idf(self.title_df[t], self.docs).min(cap(weight));
                let data = &self.title[self.title_at[t] as usize..self.title_at[t + 1] as usize];
                let (mut at, mut doc) = (0, 0u32);
                while at < data.len() {
                    doc += get_varint(data, &mut at);
                    let Some(a) = acc.get_mut(doc as usize) else {
                        break;
                    };
                    if a.mask & req != req {
                        continue;
                    }
                    if a.mask & bit == 0 {
                        a.mask |= bit;
                        touched.push(doc);
                    }
                    a.tmask |= bit;
                    a.tbest = a.tbest.max(tw);
                }
            }
            for &(t, weight) in &plan.terms {
                let t = t as usize;
                let bw = weight * idf(self.df[t], self.docs).min(cap(weight)) * (K1 + 1.0);
                let data = &self.body[self.body_at[t] as usize..self.body_at[t + 1] as usize];
                let (mut at, mut doc) = (0, 0u32);
                while at < data.len() {
                    doc += get_varint(data, &mut at);
                    let tf = get_varint(data, &mut at) as f32;
                    let Some(a) = acc.get_mut(doc as usize) else {
                        break;
                    };
                    if a.mask & req != req {
                        continue;
                    }
                    if a.mask & bit == 0 {
                        a.mask |= bit;
                        touched.push(doc);
                    }
                    a.best = a.best.max(bw * tf / (tf + a.norm));
                }
            }
            if let Some((_, bits)) = plan.union.and_then(|u| self.unions.get(u)) {
                let count: u32 = bits.iter().map(|w| w.count_ones()).sum();
                let s = UNION_WEIGHT * idf(count, self.docs);
                for (wi, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        let d = wi * 64 + word.trailing_zeros() as usize;
                        word &= word - 1;
                        let Some(a) = acc.get_mut(d) else {
                            break;
                        };
                        if a.mask & req != req {
                            continue;
                        }
                        if a.mask & bit == 0 {
                            a.mask |= bit;
                            touched.push(d as u32);
                        }
                        a.best = a.best.max(s);
                    }
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
        let title_match = |d: u32| {
            acc[d as usize].tmask == all
                && (query.phrases.is_empty() || query.matches_all(&lib.articles[d as usize].title))
        };
        let mut ranked: Vec<(u32, f32, bool)> = cands
            .iter()
            .map(|&d| (d, acc[d as usize].score, title_match(d)))
            .collect();
        let total = ranked.len();
        // Scores are rounded to TIE so near-equal ones tie (a tolerance
        // compare would not be a total order).
        let tied = |s: f32| (s / TIE).round() as i64;
        let cmp = |a: &(u32, f32, bool), b: &(u32, f32, bool)| {
            b.2.cmp(&a.2)
                .then_with(|| tied(b.1).cmp(&tied(a.1)))
                .then_with(|| self.dates[b.0 as usize].cmp(&self.dates[a.0 as usize]))
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
        out.top = ranked;
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
        let mut slot = vec![u32::MAX; self.docs as usize];
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
                    self.positions(t as usize, &slot, |c, p| {
                        if p >= j as u32 {
                            list.push(u64::from(c) << 32 | u64::from(p - j as u32));
                        }
                    });
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
                    found[i] = query.has_phrase(&lib.articles[d as usize].title, p);
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

    /// Calls `f(slot, position)` for each position of term `t` in the
    /// articles that have a slot.
    fn positions(&self, t: usize, slot: &[u32], mut f: impl FnMut(u32, u32)) {
        let data = &self.body[self.body_at[t] as usize..self.body_at[t + 1] as usize];
        let pos = &self.pos[self.pos_at[t] as usize..self.pos_at[t + 1] as usize];
        let (mut at, mut pat, mut doc) = (0, 0, 0u32);
        while at < data.len() {
            doc += get_varint(data, &mut at);
            let tf = get_varint(data, &mut at);
            let want = slot.get(doc as usize).copied().filter(|&c| c != u32::MAX);
            let mut p = 0u32;
            for _ in 0..tf {
                p += get_varint(pos, &mut pat);
                if let Some(c) = want {
                    f(c, p);
                }
            }
        }
    }
}
