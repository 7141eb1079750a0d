//! The fuzzy headline filter: narrows the article list as the user types,
//! fzf-style. Each space-separated word of the pattern must occur in the
//! title as a subsequence (letters in order, gaps allowed), case and
//! diacritics ignored; matches score higher at word starts and for runs of
//! letters, lower for gaps (fzf's v1 algorithm and constants).
//!
//! Ours rather than nucleo-matcher: nucleo scores more finely (optimal
//! alignment), but took 8–43 ms of CPU for one pass over 100,000 titles
//! here, far over the 5 ms a keystroke may take. Titles folded once to one
//! byte a character, a 64-bit letter mask that rejects most titles in one
//! instruction, and a greedy window make a pass a few milliseconds.

use super::tokens::fold_char;
use crate::core::article::ArticleId;
use crate::core::library::Library;

const SCORE_MATCH: i32 = 16;
const GAP_START: i32 = -3;
const GAP_EXTENSION: i32 = -1;
/// After a space, or the very start.
const BONUS_WHITE: i32 = 10;
/// After punctuation ("-Karabakh", "(Rusia").
const BONUS_BOUNDARY: i32 = 8;
const BONUS_CONSECUTIVE: i32 = 4;
/// Below this many titles one thread is quicker than starting others.
const PARALLEL_FROM: usize = 8192;
/// A folded letter with no ASCII form (Arabic, Cyrillic…): a word
/// character that no ASCII pattern letter matches.
const OTHER: u8 = 0xFF;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    White,
    Punct,
}

trait Letter: Copy + PartialEq {
    fn class(self) -> Class;
}

impl Letter for u8 {
    fn class(self) -> Class {
        match self {
            b'a'..=b'z' | b'0'..=b'9' | OTHER => Class::Word,
            b' ' => Class::White,
            _ => Class::Punct,
        }
    }
}

impl Letter for char {
    fn class(self) -> Class {
        if self.is_alphanumeric() {
            Class::Word
        } else if self.is_whitespace() {
            Class::White
        } else {
            Class::Punct
        }
    }
}

/// One character of a title folded to one byte.
fn fold_byte(c: char) -> u8 {
    let f = fold_char(c);
    match f {
        'a'..='z' | '0'..='9' => f as u8,
        _ if f.is_alphanumeric() => OTHER,
        _ if f.is_whitespace() => b' ',
        _ if f.is_ascii() => f as u8,
        // Curly quotes, dashes and other punctuation.
        _ => b'-',
    }
}

fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        _ => 0,
    }
}

fn bonus<T: Letter>(t: &[T], i: usize) -> i32 {
    match i.checked_sub(1).map(|p| t[p].class()) {
        None | Some(Class::White) => BONUS_WHITE,
        Some(Class::Punct) => BONUS_BOUNDARY,
        Some(Class::Word) => 0,
    }
}

/// fzf v1, tried from a few starts: the window of `t` that holds `a` in
/// order from the first place `a[0]` occurs, and from each word start
/// where it occurs, each shrunk from the right; the best scores. Pushes the
/// matched positions to `idx` when given.
fn match_atom<T: Letter>(t: &[T], a: &[T], idx: Option<&mut Vec<usize>>) -> Option<i32> {
    let (&first, _) = a.split_first()?;
    if a.len() == 1 {
        // One letter: its best place, not merely its first.
        let best = (0..t.len())
            .filter(|&i| t[i] == first)
            .max_by_key(|&i| (bonus(t, i), std::cmp::Reverse(i)))?;
        if let Some(idx) = idx {
            idx.push(best);
        }
        return Some(SCORE_MATCH + 2 * bonus(t, best));
    }
    let mut best: Option<(i32, usize, usize)> = None;
    let mut tried_first = false;
    for s0 in 0..t.len() {
        if t[s0] != first || (tried_first && bonus(t, s0) == 0) {
            continue;
        }
        tried_first = true;
        // No window from here means none from anywhere later.
        let Some(end) = window_end(t, a, s0) else {
            break;
        };
        let start = window_start(t, a, end);
        let score = window_score(t, a, start, end, None);
        if !matches!(best, Some(b) if b.0 >= score) {
            best = Some((score, start, end));
        }
    }
    let (score, start, end) = best?;
    if let Some(idx) = idx {
        window_score(t, a, start, end, Some(idx));
    }
    Some(score)
}

/// Where the first run of `a` as a subsequence of `t[from..]` ends.
fn window_end<T: Letter>(t: &[T], a: &[T], from: usize) -> Option<usize> {
    let mut j = 0;
    for (i, &c) in t.iter().enumerate().skip(from) {
        if c == a[j] {
            j += 1;
            if j == a.len() {
                return Some(i);
            }
        }
    }
    None
}

/// The latest start of `a` as a subsequence of `t[..=end]`.
fn window_start<T: Letter>(t: &[T], a: &[T], end: usize) -> usize {
    let mut j = a.len();
    for i in (0..=end).rev() {
        if t[i] == a[j - 1] {
            j -= 1;
            if j == 0 {
                return i;
            }
        }
    }
    0
}

/// fzf's score of `a` matched greedily in `t[start..=end]`.
fn window_score<T: Letter>(
    t: &[T],
    a: &[T],
    start: usize,
    end: usize,
    mut idx: Option<&mut Vec<usize>>,
) -> i32 {
    let mut score = 0;
    let mut in_gap = false;
    let mut run = 0;
    let mut first_bonus = 0;
    let mut j = 0;
    for i in start..=end {
        if t[i] == a[j] {
            let b = run_bonus(bonus(t, i), run, &mut first_bonus);
            score += SCORE_MATCH + if j == 0 { 2 * b } else { b };
            in_gap = false;
            run += 1;
            if let Some(p) = idx.as_deref_mut() {
                p.push(i);
            }
            j += 1;
            if j == a.len() {
                break;
            }
        } else {
            score += if in_gap { GAP_EXTENSION } else { GAP_START };
            in_gap = true;
            run = 0;
            first_bonus = 0;
        }
    }
    score.max(1)
}

/// What a title holds, as masks: its letters, those that start a word
/// after a space (or the start) and after punctuation; and for titles of
/// up to 128 characters, the positions that start a word after a space
/// and after either.
///
/// With them, where the title lies in [`TitleFilter`]'s bytes and its
/// length: one cache line holds all a title's matching reads first.
#[derive(Clone, Copy, Debug, Default)]
#[repr(C, align(64))]
struct Starts {
    any: u64,
    white: u64,
    punct: u64,
    at: u32,
    len: u32,
    white_at: u128,
    word_at: u128,
}

impl Starts {
    fn of(t: &[u8]) -> Starts {
        let mut s = Starts {
            len: t.len() as u32,
            ..Starts::default()
        };
        for (i, &c) in t.iter().enumerate() {
            let b = bit(c);
            s.any |= b;
            let at = if i < 128 { 1u128 << i } else { 0 };
            match bonus(t, i) {
                BONUS_WHITE => {
                    s.white |= b;
                    s.white_at |= at;
                    s.word_at |= at;
                }
                BONUS_BOUNDARY => {
                    s.punct |= b;
                    s.word_at |= at;
                }
                _ => {}
            }
        }
        s
    }
}

/// [`bonus`] of a character from the folded byte before it: one load
/// where the masks would take two 128-bit shifts.
const BONUS_AFTER: [i8; 256] = {
    let mut t = [BONUS_BOUNDARY as i8; 256];
    let mut c = b'a';
    while c <= b'z' {
        t[c as usize] = 0;
        c += 1;
    }
    let mut c = b'0';
    while c <= b'9' {
        t[c as usize] = 0;
        c += 1;
    }
    t[OTHER as usize] = 0;
    t[b' ' as usize] = BONUS_WHITE as i8;
    t
};

/// [`bonus`] at `p` of a folded title.
fn bonus_in(t: &[u8], p: u32) -> i32 {
    match (p as usize).checked_sub(1).and_then(|q| t.get(q)) {
        Some(&c) => i32::from(BONUS_AFTER[c as usize]),
        None => BONUS_WHITE,
    }
}

/// How many titles ahead the scan of a narrowed list asks for memory.
const PREFETCH: usize = 16;

/// Asks the CPU to bring `x` into the cache; a hint with no other effect.
#[cfg(target_arch = "x86_64")]
fn prefetch<T>(x: &T) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    // SAFETY: a prefetch reads nothing and cannot fault; `x` is valid.
    unsafe { _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast()) }
}

#[cfg(not(target_arch = "x86_64"))]
fn prefetch<T>(_: &T) {}

/// Titles up to this long are matched with position masks.
const MASK_CHARS: usize = 128;
/// Longer pattern words take the byte-by-byte way.
const MASK_ATOM: usize = 32;

/// Bit `i` set where `chunks[i] == c`; `chunks` is a title padded with
/// zeros to whole 16-byte chunks (at most eight are read). A compare and a
/// byte-mask gather a chunk in two instructions: this runs for every
/// letter of the pattern on every title that may match, so it sets the
/// pace of the filter.
#[cfg(target_arch = "x86_64")]
fn eq_mask(chunks: &[u8], c: u8) -> u128 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let mut w = [0u16; MASK_CHARS / 16];
    for (bits, chunk) in w.iter_mut().zip(chunks.chunks_exact(16)) {
        // SAFETY: SSE2 is part of every x86_64 CPU, and the unaligned load
        // reads exactly the 16 bytes of `chunk`.
        *bits = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8))) as u16
        };
    }
    let half = |w: &[u16]| {
        u64::from(w[0]) | u64::from(w[1]) << 16 | u64::from(w[2]) << 32 | u64::from(w[3]) << 48
    };
    u128::from(half(&w[4..])) << 64 | u128::from(half(&w[..4]))
}

/// Elsewhere eight bytes at a time: the bytes equal to `c` become zero, an
/// exact zero-byte test marks them, a multiply gathers the eight marks.
#[cfg(not(target_arch = "x86_64"))]
fn eq_mask(chunks: &[u8], c: u8) -> u128 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let pat = u64::from(c) * 0x0101_0101_0101_0101;
    let mut m = 0u128;
    for (k, w) in chunks.chunks_exact(8).take(MASK_CHARS / 8).enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b) ^ pat;
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        let mark = (zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        m |= u128::from(mark) << (8 * k);
    }
    m
}

/// The first set bit of `m` at or after `p`.
fn next_bit(m: u128, p: u32) -> Option<u32> {
    if p >= 128 {
        return None;
    }
    let x = m & (u128::MAX << p);
    (x != 0).then(|| x.trailing_zeros())
}

/// The last set bit of `m` at or before `p`.
fn prev_bit(m: u128, p: u32) -> Option<u32> {
    let x = if p >= 127 {
        m
    } else {
        m & ((1u128 << (p + 1)) - 1)
    };
    (x != 0).then(|| 127 - x.leading_zeros())
}

/// [`match_atom`] with position masks, for titles of up to 128
/// characters: each step jumps to the next occurrence instead of reading
/// every character. Scores exactly as `match_atom` does.
fn match_bits(chunks: &[u8], st: &Starts, a: &[u8], m: &mut Vec<u128>) -> Option<i32> {
    m.clear();
    for (k, &c) in a.iter().enumerate() {
        // A letter seen before in the word ("perdamaian") is not looked
        // for again.
        let known = a[..k].iter().position(|&d| d == c);
        let mk = match known {
            Some(j) => m[j],
            None => eq_mask(chunks, c),
        };
        m.push(mk);
    }
    let m = &m[..];
    // The best a word can score: all its letters in a row from the start
    // of a word after a space. Typed words are mostly such prefixes, so
    // checking for that first often spares the search below.
    let top = best_score(a.len());
    let whole = m
        .iter()
        .enumerate()
        .fold(st.white_at, |w, (k, mk)| w & (mk >> k));
    if whole != 0 {
        return Some(top);
    }
    let first = m[0];
    // The first occurrence and every word-start occurrence.
    let mut starts = (first & first.wrapping_neg()) | (first & st.word_at);
    let mut best: Option<i32> = None;
    while starts != 0 {
        let s0 = starts.trailing_zeros();
        starts &= starts - 1;
        let mut p = s0;
        let mut complete = true;
        for mk in &m[1..] {
            match next_bit(*mk, p + 1) {
                Some(q) => p = q,
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if !complete {
            break;
        }
        let mut q = p;
        for mk in m[..m.len() - 1].iter().rev() {
            q = prev_bit(*mk, q.checked_sub(1)?)?;
        }
        let score = bits_score(m, q, chunks)?;
        if !matches!(best, Some(b) if b >= score) {
            best = Some(score);
        }
        if score >= top {
            break;
        }
        // A start up to `q` finds this same window again: greedy ends
        // only move right as the start does, and none from `q` on is
        // earlier than `p`.
        starts &= !(u128::MAX >> (127 - q));
    }
    best
}

/// The score of a word of `len` letters (two or more) that no match can
/// beat: each letter scores at most `SCORE_MATCH` and a bonus of
/// `BONUS_WHITE` (twice for the first), gaps only take away.
fn best_score(len: usize) -> i32 {
    SCORE_MATCH + 2 * BONUS_WHITE + (len as i32 - 1) * (SCORE_MATCH + BONUS_WHITE)
}

/// fzf's score of the greedy match of `m` from `start`.
fn bits_score(m: &[u128], start: u32, chunks: &[u8]) -> Option<i32> {
    let mut score = 0;
    let mut run = 0;
    let mut first_bonus = 0;
    let mut prev = start;
    for (k, mk) in m.iter().enumerate() {
        let p = if k == 0 {
            start
        } else {
            next_bit(*mk, prev + 1)?
        };
        if k > 0 && p > prev + 1 {
            score += GAP_START + (p - prev - 2) as i32 * GAP_EXTENSION;
            run = 0;
            first_bonus = 0;
        }
        let b = run_bonus(bonus_in(chunks, p), run, &mut first_bonus);
        score += SCORE_MATCH + if k == 0 { 2 * b } else { b };
        run += 1;
        prev = p;
    }
    Some(score.max(1))
}

/// A pattern folded like the titles: its words, and the letters they need.
struct Pattern {
    atoms: Vec<Vec<u8>>,
    /// Words folded to characters when some letter has no ASCII form.
    wide: Option<Vec<Vec<char>>>,
    mask: u64,
}

impl Pattern {
    fn new(p: &str) -> Pattern {
        let words: Vec<&str> = p.split_whitespace().collect();
        let chars: Vec<Vec<char>> = words
            .iter()
            .map(|w| w.chars().map(fold_char).collect())
            .collect();
        let ascii = chars.iter().flatten().all(char::is_ascii);
        let atoms: Vec<Vec<u8>> = words
            .iter()
            .map(|w| w.chars().map(fold_byte).collect())
            .collect();
        let mask = atoms.iter().flatten().fold(0, |m, &b| m | bit(b));
        Pattern {
            atoms,
            wide: (!ascii).then_some(chars),
            mask,
        }
    }

    fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// The score of `title` (folded `bytes`), pushing matched character
    /// indices to `idx` when given. `starts`, when known, are the title's
    /// letter and word-start masks and its padded chunks: with them the
    /// title is matched by [`Pattern::score_masked`].
    fn score(
        &self,
        title: &str,
        bytes: &[u8],
        starts: Option<(Starts, &[u8])>,
        mut idx: Option<&mut Vec<usize>>,
    ) -> Option<u32> {
        if let (Some((st, chunks)), None) = (starts, &idx) {
            return self.score_masked(title, bytes, &st, chunks, &mut Vec::new());
        }
        let mut total = 0;
        if let Some(wide) = &self.wide {
            let t: Vec<char> = title.chars().map(fold_char).collect();
            for a in wide {
                total += match_atom(&t, a, idx.as_deref_mut())?;
            }
        } else {
            for a in &self.atoms {
                total += match_atom(bytes, a, idx.as_deref_mut())?;
            }
        }
        Some(total.max(1) as u32)
    }

    /// [`Pattern::score`] from a title's masks `st` and padded `chunks`:
    /// a one-letter word is scored without reading the title, a word of up
    /// to 32 letters in a title of up to 128 with position masks (`m` is
    /// scratch space for them, kept between titles).
    fn score_masked(
        &self,
        title: &str,
        bytes: &[u8],
        st: &Starts,
        chunks: &[u8],
        m: &mut Vec<u128>,
    ) -> Option<u32> {
        if self.wide.is_some() {
            return self.score(title, bytes, None, None);
        }
        let masked = bytes.len() <= MASK_CHARS;
        let mut total = 0;
        for a in &self.atoms {
            total += match a.as_slice() {
                &[c] if bit(c) != 0 => {
                    let b = bit(c);
                    if st.white & b != 0 {
                        SCORE_MATCH + 2 * BONUS_WHITE
                    } else if st.punct & b != 0 {
                        SCORE_MATCH + 2 * BONUS_BOUNDARY
                    } else if st.any & b != 0 {
                        SCORE_MATCH
                    } else {
                        return None;
                    }
                }
                _ if masked && a.len() <= MASK_ATOM => match_bits(chunks, st, a, m)?,
                _ => match_atom(bytes, a, None)?,
            };
        }
        Some(total.max(1) as u32)
    }
}

/// The titles of a library, folded once for filtering on every key.
#[derive(Debug)]
pub struct TitleFilter {
    titles: Vec<Box<str>>,
    /// Folded titles, one byte per character of the title (so a byte's
    /// index is the character's index), each padded with zeros to whole
    /// 16-byte chunks.
    bytes: Vec<u8>,
    /// The letters each title holds (read for every title when all are
    /// scanned, so kept apart from the rest).
    letters: Vec<u64>,
    /// The letters each title holds, and where; and where it lies in
    /// `bytes`.
    masks: Vec<Starts>,
    threads: usize,
    /// The last pattern; `memo` holds what it matched (in library order):
    /// a pattern typed further only narrows, so only those are scored
    /// again.
    last: Option<String>,
    memo: Vec<u32>,
    /// What each thread found (title, score), kept between keys with the
    /// counts of the ranking: on this kind of machine a fresh megabyte
    /// costs about half a millisecond of page faults, a tenth of what a
    /// key may take.
    found: Vec<Vec<(u32, u32)>>,
    counts: Vec<usize>,
}

impl TitleFilter {
    pub fn new(lib: &Library) -> TitleFilter {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        TitleFilter::with_threads(lib, cores)
    }

    /// A filter that scores long lists on `threads` threads (at least one).
    pub fn with_threads(lib: &Library, threads: usize) -> TitleFilter {
        let mut bytes = Vec::new();
        let mut masks = Vec::with_capacity(lib.len());
        for a in &lib.articles {
            let start = bytes.len();
            bytes.extend(a.title.chars().map(fold_byte));
            masks.push(Starts {
                at: start as u32,
                ..Starts::of(&bytes[start..])
            });
            bytes.resize(start + (bytes.len() - start).div_ceil(16) * 16, 0);
        }
        TitleFilter {
            titles: lib
                .articles
                .iter()
                .map(|a| a.title.as_str().into())
                .collect(),
            bytes,
            letters: masks.iter().map(|m| m.any).collect(),
            masks,
            threads: threads.max(1),
            last: None,
            memo: Vec::new(),
            found: Vec::new(),
            counts: Vec::new(),
        }
    }

    fn folded(&self, i: usize) -> &[u8] {
        let m = &self.masks[i];
        &self.bytes[m.at as usize..][..m.len as usize]
    }

    /// The folded title with its padding, in whole 16-byte chunks.
    fn chunks(&self, m: &Starts) -> &[u8] {
        &self.bytes[m.at as usize..][..(m.len as usize).div_ceil(16) * 16]
    }

    /// The articles whose title matches `pat`, best first (library order on
    /// ties), with their scores. An empty pattern keeps every article.
    pub fn filter(&mut self, pat: &str) -> Vec<(ArticleId, u32)> {
        let p = Pattern::new(pat);
        if p.is_empty() {
            self.last = None;
            return (0..self.titles.len() as u32)
                .map(|i| (ArticleId(i), 0))
                .collect();
        }
        let narrowing = matches!(&self.last, Some(old) if pat.starts_with(old.as_str()));
        let n = if narrowing {
            self.memo.len()
        } else {
            self.titles.len()
        };
        let threads = if n < PARALLEL_FROM { 1 } else { self.threads };
        let mut found = std::mem::take(&mut self.found);
        if found.len() < threads {
            found.resize_with(threads, Vec::new);
        }
        let parts = &mut found[..threads];
        let memo = narrowing.then_some(self.memo.as_slice());
        let this = &*self;
        let scan = |from: usize, to: usize, out: &mut Vec<(u32, u32)>| {
            out.clear();
            let mut m = Vec::with_capacity(MASK_ATOM);
            let mut push = |i: u32| {
                let t = i as usize;
                let st = &this.masks[t];
                if p.mask & !st.any != 0 {
                    return;
                }
                let chunks = this.chunks(st);
                let folded = &chunks[..st.len as usize];
                if let Some(s) = p.score_masked(&this.titles[t], folded, st, chunks, &mut m) {
                    out.push((i, s));
                }
            };
            match memo {
                Some(ids) => {
                    let ids = &ids[from..to];
                    for (k, &i) in ids.iter().enumerate() {
                        // Titles left from the last key lie apart: ask
                        // for the next ones' masks and bytes early.
                        if let Some(&j) = ids.get(k + PREFETCH) {
                            prefetch(&this.masks[j as usize]);
                        }
                        if let Some(&j) = ids.get(k + PREFETCH / 2) {
                            let at = this.masks[j as usize].at as usize;
                            if let Some(b) = this.bytes.get(at) {
                                prefetch(b);
                            }
                        }
                        push(i);
                    }
                }
                None => {
                    for (k, &l) in this.letters[from..to].iter().enumerate() {
                        if p.mask & !l == 0 {
                            push((from + k) as u32);
                        }
                    }
                }
            }
        };
        if let [only] = parts {
            scan(0, n, only);
        } else {
            let per = n.div_ceil(threads);
            std::thread::scope(|s| {
                let (mine, others) = parts.split_first_mut().unwrap_or_else(|| unreachable!());
                let scan = &scan;
                let handles: Vec<_> = others
                    .iter_mut()
                    .enumerate()
                    .map(|(k, out)| {
                        let from = (per * (k + 1)).min(n);
                        let to = (from + per).min(n);
                        s.spawn(move || scan(from, to, out))
                    })
                    .collect();
                scan(0, per.min(n), mine);
                for h in handles {
                    if let Err(e) = h.join() {
                        std::panic::resume_unwind(e);
                    }
                }
            });
        }
        self.memo.clear();
        for part in &found[..threads] {
            self.memo.extend(part.iter().map(|f| f.0));
        }
        self.last = Some(pat.to_owned());
        let ranked = rank(&found[..threads], &mut self.counts);
        self.found = found;
        ranked
    }

    /// The character indices of `id`'s title that `pat` matched, sorted,
    /// for highlighting a visible row.
    pub fn indices(&self, id: ArticleId, pat: &str) -> Vec<usize> {
        let i = id.index();
        let Some(title) = self.titles.get(i) else {
            return Vec::new();
        };
        let mut idx = Vec::new();
        if Pattern::new(pat)
            .score(title, self.folded(i), None, Some(&mut idx))
            .is_none()
        {
            return Vec::new();
        }
        idx.sort_unstable();
        idx.dedup();
        idx
    }
}

/// The matches of `parts` (each in library order, one after the other),
/// best score first and library order kept among equals: a counting sort,
/// as scores are small numbers and the list can hold every article.
/// `counts` is scratch space.
fn rank(parts: &[Vec<(u32, u32)>], counts: &mut Vec<usize>) -> Vec<(ArticleId, u32)> {
    let all = || parts.iter().flatten();
    let total: usize = parts.iter().map(Vec::len).sum();
    let max = all().map(|f| f.1).max().unwrap_or(0) as usize;
    if max > 1 << 16 {
        let mut out: Vec<(ArticleId, u32)> = all().map(|&(i, s)| (ArticleId(i), s)).collect();
        out.sort_by_key(|f| std::cmp::Reverse(f.1));
        return out;
    }
    counts.clear();
    counts.resize(max + 2, 0);
    for f in all() {
        counts[max - f.1 as usize + 1] += 1;
    }
    for k in 1..counts.len() {
        counts[k] += counts[k - 1];
    }
    let mut out = vec![(ArticleId(0), 0); total];
    for &(i, s) in all() {
        let k = max - s as usize;
        out[counts[k]] = (ArticleId(i), s);
        counts[k] += 1;
    }
    out
}

/// [`rank`] of one list.
#[cfg(test)]
fn sort_by_score(found: Vec<(ArticleId, u32)>) -> Vec<(ArticleId, u32)> {
    let part: Vec<(u32, u32)> = found.into_iter().map(|(id, s)| (id.0, s)).collect();
    rank(&[part], &mut Vec::new())
}

/// Every article whose title matches `pattern` fuzzily, best first, with
/// the score and the matched character indices of its title. For a long
/// list on every key prefer [`TitleFilter`], which folds the titles once
/// and computes indices only for the rows shown.
pub fn filter_titles(lib: &Library, pattern: &str) -> Vec<(ArticleId, u32, Vec<usize>)> {
    let mut f = TitleFilter::new(lib);
    let found = f.filter(pattern);
    found
        .into_iter()
        .map(|(id, score)| (id, score, f.indices(id, pattern)))
        .collect()
}

/// The character indices of `title` that `pattern` matches, or `None`.
pub fn title_indices(title: &str, pattern: &str) -> Option<Vec<usize>> {
    let p = Pattern::new(pattern);
    let bytes: Vec<u8> = title.chars().map(fold_byte).collect();
    let mut idx = Vec::new();
    p.score(title, &bytes, None, Some(&mut idx))?;
    idx.sort_unstable();
    idx.dedup();
    Some(idx)
}

/// The bonus a matched letter earns inside a run of matches (fzf's rule):
/// the first letter sets the run's bonus, a later word boundary may raise
/// it, and every letter of the run earns at least that and the bonus for
/// being consecutive.
fn run_bonus(b: i32, run: usize, first_bonus: &mut i32) -> i32 {
    if run == 0 {
        *first_bonus = b;
        return b;
    }
    if b >= BONUS_BOUNDARY && b > *first_bonus {
        *first_bonus = b;
    }
    b.max(*first_bonus).max(BONUS_CONSECUTIVE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(title: &str, pat: &str) -> Option<u32> {
        let bytes: Vec<u8> = title.chars().map(fold_byte).collect();
        Pattern::new(pat).score(title, &bytes, None, None)
    }

    #[test]
    fn eq_mask_marks_equal_bytes() {
        let mut t: Vec<u8> = b"perdamaian pasukan ppp".to_vec();
        t.resize(32, 0);
        let m = eq_mask(&t, b'p');
        let want: u128 = [0, 11, 19, 20, 21].iter().map(|&i| 1u128 << i).sum();
        assert_eq!(m, want);
        assert_eq!(eq_mask(&t, b'z'), 0);
        let all = vec![b'a'; 128];
        assert_eq!(eq_mask(&all, b'a'), u128::MAX);
    }

    #[test]
    fn position_masks_score_as_reading_the_title() {
        let titles = [
            "Pasukan Penjaga Perdamaian Rusia Tiba",
            "Konflik Armenia vs Azerbaijan: Iran Kritik Upaya Perdamaian Kelompok Minsk",
            "6 Minggu Perang, Armenia, Azerbaijan & Rusia Sepakat Damai",
            "Baca-juga (Rusia) mengirim 13 Jet MiG-29",
            "aaaa bbbb aaab abab",
        ];
        let pats = [
            "pe", "prdm", "rusia", "ar az", "mig29", "ab", "aab", "zz", "kkk", "rs ia", "p t",
        ];
        for t in titles {
            let bytes: Vec<u8> = t.chars().map(fold_byte).collect();
            let mut chunks = bytes.clone();
            chunks.resize(bytes.len().div_ceil(16) * 16, 0);
            let st = Starts::of(&bytes);
            for pat in pats {
                let p = Pattern::new(pat);
                assert_eq!(
                    p.score(t, &bytes, Some((st, &chunks)), None),
                    p.score(t, &bytes, None, None),
                    "{t:?} {pat:?}"
                );
            }
        }
    }

    #[test]
    fn one_letter_from_masks_equals_reading_the_title() {
        for (title, pat) in [
            ("Rusia Kirim Jet", "k"),
            ("Nagarno-Karabakh", "k"),
            ("Harga naik", "a"),
            ("Harga", "z"),
            ("Harga naik", "a n"),
        ] {
            let bytes: Vec<u8> = title.chars().map(fold_byte).collect();
            let mut chunks = bytes.clone();
            chunks.resize(bytes.len().div_ceil(16) * 16, 0);
            let p = Pattern::new(pat);
            assert_eq!(
                p.score(title, &bytes, Some((Starts::of(&bytes), &chunks)), None),
                p.score(title, &bytes, None, None),
                "{title} {pat}"
            );
        }
    }

    #[test]
    fn word_starts_and_runs_score_higher() {
        let a = score("Rusia Kirim Jet", "rkj").unwrap_or(0);
        let b = score("Perusahaan Kecil Jaya", "rkj").unwrap_or(0);
        assert!(a > b, "{a} {b}");
        let run = score("Perdamaian", "perda").unwrap_or(0);
        let gaps = score("Pasukan Eropa Rusia Darat Amerika", "perda").unwrap_or(0);
        assert!(run > gaps, "{run} {gaps}");
        assert_eq!(score("Rusia", "xyz"), None);
        assert_eq!(score("Rusia", "aisur"), None);
    }

    #[test]
    fn indices_point_at_characters() {
        let idx = title_indices("Café “Ñandú”", "nandu").unwrap_or_default();
        assert_eq!(idx, [6, 7, 8, 9, 10]);
        let chars: Vec<char> = "Armenia Rusia".chars().collect();
        let idx = title_indices("Armenia Rusia", "rusia").unwrap_or_default();
        let s: String = idx.iter().map(|&i| chars[i]).collect();
        assert_eq!(s, "Rusia");
        assert_eq!(
            title_indices("Москва сегодня", "моск"),
            Some(vec![0, 1, 2, 3])
        );
        // A later start that fails does not undo an earlier match.
        let idx = title_indices("Pasukan Penjaga Perdamaian", "pjg").unwrap_or_default();
        assert_eq!(idx, [8, 11, 13]);
    }

    #[test]
    fn threads_and_narrowing_agree_with_one_fresh_pass() {
        // Enough titles for the scans of all of them and of those left
        // after the first key to split between threads.
        let articles = (0..2 * PARALLEL_FROM)
            .map(|i| crate::core::article::Article {
                title: crate::core::generate::title(3, i),
                ..Default::default()
            })
            .collect();
        let mut lib = Library::default();
        lib.articles = articles;
        let mut two = TitleFilter::with_threads(&lib, 2);
        let mut sizes = Vec::new();
        for pat in ["p", "pe", "per", "pers", "pers ", "pers b", "pe", "pem"] {
            let typed = two.filter(pat);
            let fresh = TitleFilter::with_threads(&lib, 1).filter(pat);
            assert_eq!(typed, fresh, "{pat:?}");
            sizes.push(typed.len());
        }
        // Both ways of scanning ran, on two threads and on one.
        assert!(sizes[0] >= PARALLEL_FROM, "{sizes:?}");
        assert!(sizes[5] > 0 && sizes[5] < sizes[2], "{sizes:?}");
    }

    #[test]
    fn a_whole_word_at_a_word_start_scores_best() {
        assert_eq!(
            score("Harga Beras Naik", "beras"),
            Some(best_score(5) as u32)
        );
        // The same letters inside a word, or after punctuation, score less.
        assert!(score("Harga-beras Naik", "beras") < Some(best_score(5) as u32));
        assert!(score("Harga Seberas Naik", "beras") < Some(best_score(5) as u32));
    }

    #[test]
    fn counting_sort_is_stable_and_descending() {
        let v = vec![
            (ArticleId(0), 3),
            (ArticleId(1), 9),
            (ArticleId(2), 3),
            (ArticleId(3), 9),
        ];
        let ids: Vec<u32> = sort_by_score(v).into_iter().map(|x| x.0 .0).collect();
        assert_eq!(ids, [1, 3, 0, 2]);
    }
}
