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
//! instruction, and a greedy window make a pass a few milliseconds; a key
//! that extends the pattern rescores only what the last key matched, and
//! only the words that changed.

use super::tokens::fold_char;
use crate::core::article::ArticleId;
use crate::core::library::Library;
use std::ops::{BitAnd, BitOr, Not, Shl, Shr};

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

/// A title's positions as the bits of a word: `u64` for titles of up to
/// 64 characters (about half of generated headlines), whose steps are single
/// instructions, `u128` for up to 128.
trait Positions:
    Copy
    + Eq
    + BitAnd<Output = Self>
    + BitOr<Output = Self>
    + Not<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
{
    const BITS: u32;
    const ZERO: Self;
    const ONES: Self;
    /// Bit `i` set where `win[i] == c`, for the first `BITS` bytes.
    fn equal(win: &[u8; MASK_CHARS], c: u8) -> Self;
    /// The low `BITS` bits of `x`.
    fn low(x: u128) -> Self;
    fn trailing_zeros(self) -> u32;
    fn leading_zeros(self) -> u32;
    /// `self` without its lowest set bit.
    fn clear_lowest(self) -> Self;
    /// Only the lowest set bit of `self`.
    fn lowest(self) -> Self;
}

macro_rules! positions {
    ($t:ty, $eq:expr) => {
        impl Positions for $t {
            const BITS: u32 = <$t>::BITS;
            const ZERO: $t = 0;
            const ONES: $t = <$t>::MAX;
            fn equal(win: &[u8; MASK_CHARS], c: u8) -> $t {
                $eq(win, c)
            }
            fn low(x: u128) -> $t {
                x as $t
            }
            fn trailing_zeros(self) -> u32 {
                <$t>::trailing_zeros(self)
            }
            fn leading_zeros(self) -> u32 {
                <$t>::leading_zeros(self)
            }
            fn clear_lowest(self) -> $t {
                self & self.wrapping_sub(1)
            }
            fn lowest(self) -> $t {
                self & self.wrapping_neg()
            }
        }
    };
}

positions!(u64, |win: &[u8; MASK_CHARS], c| eq64(&win[..64], c));
positions!(u128, |win: &[u8; MASK_CHARS], c| {
    u128::from(eq64(&win[..64], c)) | u128::from(eq64(&win[64..], c)) << 64
});

/// Bit `i` set where `w[i] == c`, for 64 bytes. A compare and a byte-mask
/// gather 16 bytes in two instructions: this runs for every letter of the
/// pattern on every title that may match, so it sets the pace of the
/// filter. Always four chunks, whatever the title's length: a loop that
/// stops at its end costs a mispredicted branch a title.
#[cfg(target_arch = "x86_64")]
fn eq64(w: &[u8], c: u8) -> u64 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let mut m = 0;
    for (k, chunk) in w.chunks_exact(16).take(4).enumerate() {
        // SAFETY: SSE2 is part of every x86_64 CPU, and the unaligned load
        // reads exactly the 16 bytes of `chunk`.
        let bits = unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr().cast());
            _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8))) as u16
        };
        m |= u64::from(bits) << (16 * k);
    }
    m
}

/// Elsewhere eight bytes at a time: the bytes equal to `c` become zero, an
/// exact zero-byte test marks them, a multiply gathers the eight marks.
#[cfg(not(target_arch = "x86_64"))]
fn eq64(w: &[u8], c: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let pat = u64::from(c) * 0x0101_0101_0101_0101;
    let mut m = 0;
    for (k, w) in w.chunks_exact(8).take(8).enumerate() {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let x = u64::from_le_bytes(b) ^ pat;
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        let mark = (zero >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        m |= mark << (8 * k);
    }
    m
}

/// Whether `c` is in `win` after `end` and before `len`: a quick test that
/// drops titles a grown word can no longer match (those it keeps are
/// scored in full, which checks again).
fn later(win: &[u8; MASK_CHARS], c: u8, end: u8, len: u32) -> bool {
    fn test<M: Positions>(win: &[u8; MASK_CHARS], c: u8, end: u8, len: u32) -> bool {
        let from = u32::from(end) + 1;
        let to = len.min(M::BITS);
        from < to && M::equal(win, c) & (M::ONES << from) & (M::ONES >> (M::BITS - to)) != M::ZERO
    }
    if len <= 64 {
        test::<u64>(win, c, end, len)
    } else {
        test::<u128>(win, c, end, len)
    }
}

/// The first set bit of `m` at or after `p`.
fn next_bit<M: Positions>(m: M, p: u32) -> Option<u32> {
    if p >= M::BITS {
        return None;
    }
    let x = m & (M::ONES << p);
    (x != M::ZERO).then(|| x.trailing_zeros())
}

/// The last set bit of `m` at or before `p`.
fn prev_bit<M: Positions>(m: M, p: u32) -> Option<u32> {
    let x = if p >= M::BITS - 1 {
        m
    } else {
        m & !(M::ONES << (p + 1))
    };
    (x != M::ZERO).then(|| M::BITS - 1 - x.leading_zeros())
}

/// [`match_atom`] with position masks, for titles of up to `M::BITS`
/// characters: each step jumps to the next occurrence instead of reading
/// every character. Scores exactly as `match_atom` does, and says where
/// the leftmost match ends. `win` holds the title from its first byte
/// (what follows its end is ignored), `m` is scratch space.
fn match_bits<M: Positions>(
    win: &[u8; MASK_CHARS],
    st: &Starts,
    a: &[u8],
    m: &mut [M; MASK_ATOM],
) -> Option<(i32, u8)> {
    let inside = match st.len {
        0 => M::ZERO,
        n => M::ONES >> (M::BITS - n.min(M::BITS)),
    };
    let m = &mut m[..a.len()];
    for k in 0..m.len() {
        // A letter seen before in the word ("perdamaian") is not looked
        // for again.
        m[k] = match a[..k].iter().position(|&d| d == a[k]) {
            Some(j) => m[j],
            None => M::equal(win, a[k]) & inside,
        };
    }
    let m = &m[..];
    let first = *m.first()?;
    if first == M::ZERO {
        return None;
    }
    // The leftmost match: whether there is one at all, and where a letter
    // typed next must follow.
    let leftmost = first.trailing_zeros();
    let mut end = leftmost;
    for &mk in &m[1..] {
        end = next_bit(mk, end + 1)?;
    }
    // The best a word can score: all its letters in a row from the start
    // of a word after a space. Typed words are mostly such prefixes, so
    // checking for that first often spares the search below.
    let top = best_score(a.len());
    let whole = m
        .iter()
        .enumerate()
        .fold(M::low(st.white_at), |w, (k, &mk)| w & (mk >> k as u32));
    if whole != M::ZERO {
        return Some((top, end as u8));
    }
    // The first occurrence and every word-start occurrence.
    let mut starts = first.lowest() | (first & M::low(st.word_at));
    let mut best: Option<i32> = None;
    while starts != M::ZERO {
        let s0 = starts.trailing_zeros();
        starts = starts.clear_lowest();
        let mut p = s0;
        if s0 == leftmost {
            p = end;
        } else {
            for &mk in &m[1..] {
                match next_bit(mk, p + 1) {
                    Some(q) => p = q,
                    // No window from here means none from anywhere later.
                    None => return best.map(|b| (b, end as u8)),
                }
            }
        }
        let mut q = p;
        for &mk in m[..m.len() - 1].iter().rev() {
            q = prev_bit(mk, q.checked_sub(1)?)?;
        }
        let score = bits_score(m, q, win)?;
        if !matches!(best, Some(b) if b >= score) {
            best = Some(score);
        }
        if score >= top {
            break;
        }
        // A start up to `q` finds this same window again: greedy ends
        // only move right as the start does, and none from `q` on is
        // earlier than `p`.
        starts = starts & !(M::ONES >> (M::BITS - 1 - q));
    }
    best.map(|b| (b, end as u8))
}

/// The score of a word of `len` letters (two or more) that no match can
/// beat: each letter scores at most `SCORE_MATCH` and a bonus of
/// `BONUS_WHITE` (twice for the first), gaps only take away.
fn best_score(len: usize) -> i32 {
    SCORE_MATCH + 2 * BONUS_WHITE + (len as i32 - 1) * (SCORE_MATCH + BONUS_WHITE)
}

/// fzf's score of the greedy match of `m` from `start`.
fn bits_score<M: Positions>(m: &[M], start: u32, win: &[u8]) -> Option<i32> {
    let mut score = 0;
    let mut run = 0;
    let mut first_bonus = 0;
    let mut prev = start;
    for (k, &mk) in m.iter().enumerate() {
        let p = if k == 0 {
            start
        } else {
            next_bit(mk, prev + 1)?
        };
        if k > 0 && p > prev + 1 {
            score += GAP_START + (p - prev - 2) as i32 * GAP_EXTENSION;
            run = 0;
            first_bonus = 0;
        }
        let b = run_bonus(bonus_in(win, p), run, &mut first_bonus);
        score += SCORE_MATCH + if k == 0 { 2 * b } else { b };
        run += 1;
        prev = p;
    }
    Some(score.max(1))
}

/// A pattern folded like the titles: its words, and the letters they need.
struct Pattern {
    atoms: Vec<Vec<u8>>,
    /// The words folded to characters: what tells two patterns' words
    /// apart when some letter has no ASCII form (they all fold to `OTHER`).
    chars: Vec<Vec<char>>,
    /// Some letter has no ASCII form: match by `chars`.
    wide: bool,
    mask: u64,
}

impl Pattern {
    fn new(p: &str) -> Pattern {
        let chars: Vec<Vec<char>> = p
            .split_whitespace()
            .map(|w| w.chars().map(fold_char).collect())
            .collect();
        let atoms: Vec<Vec<u8>> = p
            .split_whitespace()
            .map(|w| w.chars().map(fold_byte).collect())
            .collect();
        let mask = atoms.iter().flatten().fold(0, |m, &b| m | bit(b));
        Pattern {
            atoms,
            wide: !chars.iter().flatten().all(char::is_ascii),
            chars,
            mask,
        }
    }

    fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// The score of `title` (folded `bytes`), pushing matched character
    /// indices to `idx` when given: the way that reads every character,
    /// for the rows on screen.
    fn score(&self, title: &str, bytes: &[u8], mut idx: Option<&mut Vec<usize>>) -> Option<u32> {
        let mut total = 0;
        if self.wide {
            let t: Vec<char> = title.chars().map(fold_char).collect();
            for a in &self.chars {
                total += match_atom(&t, a, idx.as_deref_mut())?;
            }
        } else {
            for a in &self.atoms {
                total += match_atom(bytes, a, idx.as_deref_mut())?;
            }
        }
        Some(total.max(1) as u32)
    }

    /// The score of word `k` in a title of the filter, from its masks `st`
    /// and `all` the filter's folded bytes, with where the word's leftmost
    /// match ends ([`NO_END`] when not worked out): a one-letter word is
    /// scored without reading the title, a word of up to 32 letters in a
    /// title of up to 128 with position masks (`scratch` holds them).
    fn atom_score(
        &self,
        k: usize,
        title: &str,
        st: &Starts,
        all: &[u8],
        scratch: &mut Scratch,
    ) -> Option<(u32, u8)> {
        let a = self.atoms.get(k)?;
        let at = st.at as usize;
        let len = st.len as usize;
        let bytes = all.get(at..at + len)?;
        let (score, end) = if self.wide {
            let t: Vec<char> = title.chars().map(fold_char).collect();
            (match_atom(&t, self.chars.get(k)?, None)?, NO_END)
        } else {
            match (a.as_slice(), all.get(at..).and_then(<[u8]>::first_chunk)) {
                (&[c], _) if bit(c) != 0 => {
                    let b = bit(c);
                    let bonus = if st.white & b != 0 {
                        BONUS_WHITE
                    } else if st.punct & b != 0 {
                        BONUS_BOUNDARY
                    } else if st.any & b != 0 {
                        0
                    } else {
                        return None;
                    };
                    (SCORE_MATCH + 2 * bonus, NO_END)
                }
                (_, Some(win)) if a.len() <= MASK_ATOM && len <= 64 => {
                    match_bits(win, st, a, &mut scratch.short)?
                }
                (_, Some(win)) if a.len() <= MASK_ATOM && len <= MASK_CHARS => {
                    match_bits(win, st, a, &mut scratch.long)?
                }
                _ => (match_atom(bytes, a, None)?, NO_END),
            }
        };
        Some((score.max(1) as u32, end))
    }

    /// The highest score a title can get, when small enough to count
    /// titles by score.
    fn top(&self) -> Option<usize> {
        let top: usize = self
            .chars
            .iter()
            .map(|a| best_score(a.len()) as usize)
            .sum();
        (top <= 1 << 16).then_some(top)
    }

    /// How many words from the start `self` and `other` share.
    fn shared(&self, other: &Pattern) -> usize {
        self.chars
            .iter()
            .zip(&other.chars)
            .take_while(|(a, b)| a == b)
            .count()
    }
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.chars).finish()
    }
}

/// Scratch space for [`match_bits`], kept between titles.
struct Scratch {
    short: [u64; MASK_ATOM],
    long: [u128; MASK_ATOM],
}

impl Default for Scratch {
    fn default() -> Scratch {
        Scratch {
            short: [0; MASK_ATOM],
            long: [0; MASK_ATOM],
        }
    }
}

/// An end of a match that was not worked out.
const NO_END: u8 = u8::MAX;

/// A title that matched, as kept for the next key.
#[derive(Clone, Copy, Debug, Default)]
struct Kept {
    id: u32,
    score: u32,
    /// The score of all the pattern's words but the last.
    before: u32,
    /// Where the leftmost match of the last word ends, or [`NO_END`]: a
    /// letter typed after it must come later in the title.
    end: u8,
}

/// How a key's pattern builds on the last one's matches: each title that
/// still matches scores its `base` plus the scores of words `redo..`, the
/// words before those being the same as the last key's.
struct Step {
    redo: usize,
    base: Base,
    /// The last word only grew by this letter: a title whose last match
    /// of it ended with nothing of that letter after no longer matches.
    grew: Option<u8>,
}

impl Step {
    /// How pattern `new`, typed on from `old`, builds on `old`'s matches.
    fn between(old: &Pattern, new: &Pattern) -> Step {
        let n = old.atoms.len();
        let shared = new.shared(old);
        if shared == n {
            return Step {
                redo: n,
                base: Base::Score,
                grew: None,
            };
        }
        // Typed on, only the last word can have changed.
        let last = n.saturating_sub(1);
        if shared < last {
            return Step {
                redo: 0,
                base: Base::Zero,
                grew: None,
            };
        }
        let grew = match (old.atoms.get(last), new.atoms.get(last)) {
            (Some(a), Some(b)) if !new.wide && b.len() == a.len() + 1 && b.starts_with(a) => {
                b.last().copied()
            }
            _ => None,
        };
        Step {
            redo: last,
            base: Base::Before,
            grew,
        }
    }
}

/// Which score of a kept title a [`Step`] builds on.
#[derive(Clone, Copy)]
enum Base {
    Zero,
    Before,
    Score,
}

/// The titles of a library, folded once for filtering on every key.
#[derive(Debug)]
pub struct TitleFilter {
    titles: Vec<Box<str>>,
    /// Folded titles one after the other, one byte per character of the
    /// title (so a byte's index is the character's index), then
    /// `MASK_CHARS` zeros: the masks read that many bytes from a title's
    /// start whatever its length.
    bytes: Vec<u8>,
    /// The letters each title holds (read for every title when all are
    /// scanned, so kept apart from the rest).
    letters: Vec<u64>,
    /// The letters each title holds, and where; and where it lies in
    /// `bytes`.
    masks: Vec<Starts>,
    threads: usize,
    /// The last pattern; `memo` holds what it matched, in library order
    /// (one list a thread, one after the other): a pattern typed further
    /// only narrows, so only those are scored again.
    last: Option<(String, Pattern)>,
    memo: Vec<Part>,
    /// What each thread finds, and the places of the ranking: kept
    /// between keys, as on this kind of machine a fresh megabyte costs
    /// about half a millisecond of page faults, a tenth of what a key may
    /// take.
    found: Vec<Part>,
    places: Vec<usize>,
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
        }
        bytes.resize(bytes.len() + MASK_CHARS, 0);
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
            places: Vec::new(),
        }
    }

    fn folded(&self, i: usize) -> &[u8] {
        let m = &self.masks[i];
        &self.bytes[m.at as usize..][..m.len as usize]
    }

    /// The articles whose title matches `pat`, best first (library order on
    /// ties), with their scores. An empty pattern keeps every article.
    pub fn filter(&mut self, pat: &str) -> Vec<(ArticleId, u32)> {
        if !self.find(pat) {
            return (0..self.titles.len() as u32)
                .map(|i| (ArticleId(i), 0))
                .collect();
        }
        let total = self.memo.iter().map(|p| p.kept.len()).sum();
        let mut out = vec![(ArticleId(0), 0); total];
        rank(&self.memo, &mut self.places, |k, f| {
            out[k] = (ArticleId(f.id), f.score);
        });
        out
    }

    /// [`TitleFilter::filter`] without the scores, into `out` (whose
    /// memory is used again): what the headline list keeps.
    pub fn filter_into(&mut self, pat: &str, out: &mut Vec<ArticleId>) {
        out.clear();
        if !self.find(pat) {
            out.extend((0..self.titles.len() as u32).map(ArticleId));
            return;
        }
        out.resize(self.memo.iter().map(|p| p.kept.len()).sum(), ArticleId(0));
        rank(&self.memo, &mut self.places, |k, f| {
            out[k] = ArticleId(f.id)
        });
    }

    /// Puts the titles that match `pat` in `memo`, in library order (in
    /// parts); false for an empty pattern, which keeps every title.
    fn find(&mut self, pat: &str) -> bool {
        let p = Pattern::new(pat);
        if p.is_empty() {
            self.last = None;
            return false;
        }
        let step = match &self.last {
            Some((old, q)) if pat.starts_with(old.as_str()) => Some(Step::between(q, &p)),
            _ => None,
        };
        let n = match step {
            Some(Step { redo, .. }) if redo == p.atoms.len() => {
                // The same words: the same matches.
                self.last = Some((pat.to_owned(), p));
                return true;
            }
            Some(_) => self.memo.iter().map(|p| p.kept.len()).sum(),
            None => self.titles.len(),
        };
        let threads = if n < PARALLEL_FROM { 1 } else { self.threads };
        let mut found = std::mem::take(&mut self.found);
        if found.len() < threads {
            found.resize_with(threads, Part::default);
        }
        // Parts beyond this key's threads keep their memory, empty.
        for part in &mut found[threads..] {
            part.kept.clear();
        }
        let this = &*self;
        let step = step.as_ref();
        let top = p.top();
        let scan = |from: usize, to: usize, out: &mut Part| {
            out.kept.clear();
            out.counts.clear();
            out.counts.resize(top.map_or(0, |t| t + 1), 0);
            let mut push = |f: Kept| {
                if let Some(c) = out.counts.get_mut(f.score as usize) {
                    *c += 1;
                }
                out.kept.push(f);
            };
            let mut scratch = Scratch::default();
            match step {
                Some(s) => {
                    let kept = this.memo.iter().map(|p| p.kept.as_slice());
                    for ids in span(kept, from, to) {
                        for (k, kept) in ids.iter().enumerate() {
                            // Titles left from the last key lie apart: ask
                            // for the next ones' masks and bytes early.
                            if let Some(j) = ids.get(k + PREFETCH) {
                                prefetch(&this.masks[j.id as usize]);
                            }
                            if let Some(j) = ids.get(k + PREFETCH / 2) {
                                let at = this.masks[j.id as usize].at as usize;
                                if let Some(b) = this.bytes.get(at) {
                                    prefetch(b);
                                }
                            }
                            let base = match s.base {
                                Base::Zero => 0,
                                Base::Before => kept.before,
                                Base::Score => kept.score,
                            };
                            if let Some(f) = this.rescore(&p, s, kept, base, &mut scratch) {
                                push(f);
                            }
                        }
                    }
                }
                None => {
                    let fresh = Step {
                        redo: 0,
                        base: Base::Zero,
                        grew: None,
                    };
                    for (k, &l) in this.letters[from..to].iter().enumerate() {
                        if p.mask & !l == 0 {
                            let kept = Kept {
                                id: (from + k) as u32,
                                end: NO_END,
                                ..Kept::default()
                            };
                            if let Some(f) = this.rescore(&p, &fresh, &kept, 0, &mut scratch) {
                                push(f);
                            }
                        }
                    }
                }
            }
        };
        if threads == 1 {
            scan(0, n, &mut found[0]);
        } else {
            let per = n.div_ceil(threads);
            std::thread::scope(|s| {
                let (mine, others) = found.split_first_mut().unwrap_or_else(|| unreachable!());
                let scan = &scan;
                let handles: Vec<_> = others[..threads - 1]
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
        // This key's matches are the next key's memo; the old memo's
        // memory takes the next key's finds.
        self.found = std::mem::replace(&mut self.memo, found);
        self.last = Some((pat.to_owned(), p));
        true
    }

    /// `kept`'s title scored again for `p` as `s` says, `base` being the
    /// score of the words it keeps; `None` when it no longer matches.
    #[inline(always)]
    fn rescore(
        &self,
        p: &Pattern,
        s: &Step,
        kept: &Kept,
        base: u32,
        scratch: &mut Scratch,
    ) -> Option<Kept> {
        let t = kept.id as usize;
        let st = self.masks.get(t)?;
        if p.mask & !st.any != 0 {
            return None;
        }
        if let (Some(c), true) = (s.grew, kept.end != NO_END) {
            // An end is only kept for titles of up to 128 characters.
            let win = self.bytes.get(st.at as usize..)?.first_chunk()?;
            if !later(win, c, kept.end, st.len) {
                return None;
            }
        }
        let title = &self.titles[t];
        let mut f = Kept {
            id: kept.id,
            score: base,
            before: base,
            end: NO_END,
        };
        for k in s.redo..p.atoms.len() {
            f.before = f.score;
            let (score, end) = p.atom_score(k, title, st, &self.bytes, scratch)?;
            f.score += score;
            f.end = end;
        }
        Some(f)
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
            .score(title, self.folded(i), Some(&mut idx))
            .is_none()
        {
            return Vec::new();
        }
        idx.sort_unstable();
        idx.dedup();
        idx
    }
}

/// The entries `from..to` of `parts` taken as one list, as slices.
fn span<'a>(
    parts: impl Iterator<Item = &'a [Kept]>,
    from: usize,
    to: usize,
) -> impl Iterator<Item = &'a [Kept]> {
    let mut start = 0;
    parts.filter_map(move |p| {
        let (a, b) = (start, start + p.len());
        start = b;
        let (lo, hi) = (from.clamp(a, b) - a, to.clamp(a, b) - a);
        (lo < hi).then(|| &p[lo..hi])
    })
}

/// What one thread found: the titles that matched, in library order,
/// and how many have each score, for ranking them without another pass.
/// A cache line each: threads that push into parts side by side would
/// otherwise take the line from each other on every title (it cost a
/// fifth of the time on two threads).
#[derive(Debug, Default)]
#[repr(align(64))]
struct Part {
    kept: Vec<Kept>,
    /// Empty when scores could be too high to count.
    counts: Vec<u32>,
}

/// Puts the matches of `parts` (each in library order, one after the
/// other) in order, best score first and library order kept among equals,
/// calling `put` with each one's place: a counting sort, as scores are
/// small numbers and the list can hold every article. `places` is scratch
/// space.
fn rank(parts: &[Part], places: &mut Vec<usize>, mut put: impl FnMut(usize, &Kept)) {
    let all = || parts.iter().flat_map(|p| &p.kept);
    // Parts left empty may hold counts of an older pattern.
    let used = || parts.iter().filter(|p| !p.kept.is_empty());
    let size = used().map(|p| p.counts.len()).max().unwrap_or(0);
    // Every title counted, or else sorted.
    let counted = used()
        .all(|p| p.counts.len() == size && p.counts.iter().sum::<u32>() as usize == p.kept.len());
    if !counted {
        let mut out: Vec<&Kept> = all().collect();
        out.sort_by_key(|f| std::cmp::Reverse(f.score));
        for (k, f) in out.into_iter().enumerate() {
            put(k, f);
        }
        return;
    }
    // Where the first title of each score goes: after all better ones.
    places.clear();
    places.resize(size, 0);
    let mut before = 0;
    for s in (0..size).rev() {
        places[s] = before;
        before += used().map(|p| p.counts[s] as usize).sum::<usize>();
    }
    for f in all() {
        if let Some(at) = places.get_mut(f.score as usize) {
            put(*at, f);
            *at += 1;
        }
    }
}

/// [`rank`] of one list.
#[cfg(test)]
fn sort_by_score(found: Vec<(ArticleId, u32)>) -> Vec<(ArticleId, u32)> {
    let mut part = Part {
        counts: vec![0; 1 + found.iter().map(|f| f.1 as usize).max().unwrap_or(0)],
        ..Part::default()
    };
    for (id, score) in found {
        part.counts[score as usize] += 1;
        part.kept.push(Kept {
            id: id.0,
            score,
            ..Kept::default()
        });
    }
    let mut out = vec![(ArticleId(0), 0); part.kept.len()];
    rank(&[part], &mut Vec::new(), |k, f| {
        out[k] = (ArticleId(f.id), f.score)
    });
    out
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
    p.score(title, &bytes, Some(&mut idx))?;
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
        Pattern::new(pat).score(title, &bytes, None)
    }

    /// `pat`'s score of `title` from its masks, as the filter computes it.
    fn masked(title: &str, pat: &str) -> Option<u32> {
        let mut all: Vec<u8> = title.chars().map(fold_byte).collect();
        let st = Starts::of(&all);
        // What follows a title in the filter is the next one: a stray
        // letter there must not count.
        all.resize(all.len() + MASK_CHARS, b'a');
        let p = Pattern::new(pat);
        let mut total = 0;
        for k in 0..p.atoms.len() {
            total += p
                .atom_score(k, title, &st, &all, &mut Scratch::default())?
                .0;
        }
        Some(total)
    }

    #[test]
    fn eq_masks_mark_equal_bytes() {
        let mut t = [0u8; MASK_CHARS];
        t[..22].copy_from_slice(b"perdamaian pasukan ppp");
        t[100] = b'p';
        let want: u64 = [0, 11, 19, 20, 21].iter().map(|&i| 1u64 << i).sum();
        assert_eq!(u64::equal(&t, b'p'), want);
        assert_eq!(u128::equal(&t, b'p'), u128::from(want) | 1 << 100);
        assert_eq!(u128::equal(&t, b'z'), 0);
        assert_eq!(u128::equal(&[b'a'; MASK_CHARS], b'a'), u128::MAX);
    }

    #[test]
    fn position_masks_score_as_reading_the_title() {
        let long = "Pasukan Penjaga Perdamaian Rusia Tiba di Nagorno-Karabakh Setelah Enam Minggu Perang: Armenia Setuju";
        assert!(long.len() > 64 && long.len() <= MASK_CHARS);
        let titles = [
            "Pasukan Penjaga Perdamaian Rusia Tiba",
            "Konflik Armenia vs Azerbaijan: Iran Kritik Upaya Perdamaian Kelompok Minsk",
            "6 Minggu Perang, Armenia, Azerbaijan & Rusia Sepakat Damai",
            "Baca-juga (Rusia) mengirim 13 Jet MiG-29",
            "aaaa bbbb aaab abab",
            long,
            "",
            "a",
        ];
        let pats = [
            "pe", "prdm", "rusia", "ar az", "mig29", "ab", "aab", "zz", "kkk", "rs ia", "p t",
            "ta", "aa", "ga", "mig-29", "-",
        ];
        for t in titles {
            for pat in pats {
                assert_eq!(masked(t, pat), score(t, pat), "{t:?} {pat:?}");
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
            assert_eq!(masked(title, pat), score(title, pat), "{title} {pat}");
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

    /// Every title of `lib` read character by character and sorted: what
    /// the filter's masks, kept matches and threads must agree with.
    fn read_every_title(lib: &Library, pat: &str) -> Vec<(ArticleId, u32)> {
        let p = Pattern::new(pat);
        let mut found: Vec<(ArticleId, u32)> = (0..lib.len())
            .filter_map(|i| {
                let title = &lib.articles[i].title;
                let bytes: Vec<u8> = title.chars().map(fold_byte).collect();
                Some((ArticleId(i as u32), p.score(title, &bytes, None)?))
            })
            .collect();
        found.sort_by_key(|f| std::cmp::Reverse(f.1));
        found
    }

    #[test]
    fn typing_agrees_with_reading_every_title() {
        // Generated headlines (both mask widths), and titles for the other
        // ways: over 128 characters, punctuation, letters outside ASCII.
        // Enough that the matches of "p" are scanned again on two threads.
        let n = PARALLEL_FROM * 5 / 4;
        let mut titles: Vec<String> = (0..n).map(|i| crate::core::generate::title(5, i)).collect();
        titles.push("Perang ".repeat(30) + "Pasukan Rusia");
        titles.push("Harga-beras (naik) lagi: pres.banjir, \"gmp\"".into());
        titles.push("Presiden Москва bertemu Пресс".into());
        let mut lib = Library::default();
        lib.articles = titles
            .into_iter()
            .map(|title| crate::core::article::Article {
                title,
                ..Default::default()
            })
            .collect();
        // Letters added one by one, new words, a doubled space, words that
        // only grow the last, keys that start afresh, and a wide pattern.
        let typed = [
            "pres banjir",
            "per  ka",
            "gmp",
            "harga-b",
            "ru",
            "pasukan perang",
            "mo",
            "мо",
        ];
        let mut filters = [
            TitleFilter::with_threads(&lib, 1),
            TitleFilter::with_threads(&lib, 2),
        ];
        let mut list = Vec::new();
        let mut tried = 0;
        for pat in typed {
            for (i, c) in pat.char_indices() {
                let p = &pat[..i + c.len_utf8()];
                let want = read_every_title(&lib, p);
                for f in &mut filters {
                    assert_eq!(f.filter(p), want, "{p:?}");
                }
                filters[0].filter_into(p, &mut list);
                let ids: Vec<ArticleId> = want.iter().map(|w| w.0).collect();
                assert_eq!(list, ids, "{p:?}");
                tried += 1;
            }
        }
        assert!(tried > 40);
        // Both scans ran on two threads, and the long title matched a
        // pattern only the byte-by-byte way can take.
        assert!(filters[1].filter("p").len() > PARALLEL_FROM);
        let long = read_every_title(&lib, "pasukan perang");
        assert!(long.iter().any(|f| f.0 == ArticleId(n as u32)));
    }

    #[test]
    fn scores_too_high_to_count_are_sorted() {
        let part = Part {
            kept: [(0, 70_000), (1, 5), (2, 70_000), (3, 80_000)]
                .map(|(id, score)| Kept {
                    id,
                    score,
                    ..Kept::default()
                })
                .to_vec(),
            counts: Vec::new(),
        };
        let mut ids = Vec::new();
        rank(&[part], &mut Vec::new(), |k, f| ids.push((k, f.id)));
        assert_eq!(ids, [(0, 3), (1, 0), (2, 2), (3, 1)]);
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
