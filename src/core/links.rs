//! Link resolution: which article a "Baca juga" title names. Titles are
//! folded (see `normalize`), looked up exactly, and otherwise matched word by
//! word with typo tolerance among the few candidates an inverted index of
//! title words yields, so resolving stays linear in the number of links.

use super::article::{Article, ArticleId, Block, LinkKind};
use super::normalize::normalize;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// The end of a `same_hash` chain.
const NO_ID: u32 = u32::MAX;
/// Glued text is searched for a title among this many leading words.
const PREFIX_WORDS: usize = 40;
/// The fraction of a title's words that must match for a fuzzy match.
const MIN_SCORE: f32 = 0.8;
/// Two candidates closer than this are an honest tie: ambiguous.
const TIE: f32 = 0.03;
/// How many candidates (by shared rare words) are scored in full.
const MAX_SCORED: usize = 24;

/// Why a link goes nowhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    /// The marker names no title ("Baca Juga" alone).
    NoTarget,
    /// "Simak juga Video: …": a video, not an article.
    Video,
    /// No article in the library has that title.
    NotFound,
}

impl Broken {
    pub fn reason(self) -> &'static str {
        match self {
            Broken::NoTarget => "the marker names no title",
            Broken::Video => "it names a video, not an article",
            Broken::NotFound => "no article in the library has this title",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    Resolved(ArticleId),
    /// Several articles fit equally well; best first.
    Ambiguous(Vec<ArticleId>),
    Broken(Broken),
}

impl Resolution {
    pub fn status(&self) -> &'static str {
        match self {
            Resolution::Resolved(_) => "resolved",
            Resolution::Ambiguous(_) => "ambiguous",
            Resolution::Broken(_) => "broken",
        }
    }
}

/// Looks titles up: exact folded titles, and an inverted index from title
/// word to the articles whose title holds it.
#[derive(Debug, Default)]
pub struct TitleIndex {
    /// Folded title of each article, by `ArticleId`.
    folded: Vec<String>,
    /// By `ArticleId`: the folded title's word count and its last word's
    /// figures, so glued text is checked against the end of thousands of
    /// candidate titles without touching their text. Eight bytes a title
    /// keep the table in cache.
    ends: Vec<WordKey>,
    /// Exact lookup without a second copy of every folded title: the hash
    /// of a folded title → the first and last article with that hash;
    /// `same_hash` chains the others in library order.
    exact: HashMap<u64, (u32, u32)>,
    same_hash: Vec<u32>,
    hasher: std::collections::hash_map::RandomState,
    postings: HashMap<String, Vec<ArticleId>>,
}

impl TitleIndex {
    pub fn new<'a>(titles: impl Iterator<Item = &'a str>) -> Self {
        // Folding is most of the work and needs no shared state.
        let titles: Vec<&str> = titles.collect();
        let folded_titles = super::par::map(&titles, |t| {
            let mut folded = normalize(t);
            folded.shrink_to_fit();
            folded
        });
        let mut index = TitleIndex {
            folded: Vec::with_capacity(titles.len()),
            ends: Vec::with_capacity(titles.len()),
            ..TitleIndex::default()
        };
        for (i, folded) in folded_titles.into_iter().enumerate() {
            let id = ArticleId(i as u32);
            for word in unique_words(&folded) {
                // A key is allocated only for a word met the first time.
                match index.postings.get_mut(word) {
                    Some(list) => list.push(id),
                    None => {
                        index.postings.insert(word.to_owned(), vec![id]);
                    }
                }
            }
            let hash = index.hasher.hash_one(folded.as_str());
            index.same_hash.push(NO_ID);
            match index.exact.entry(hash) {
                Entry::Occupied(mut e) => {
                    let (_, last) = e.get_mut();
                    index.same_hash[*last as usize] = id.0;
                    *last = id.0;
                }
                Entry::Vacant(e) => {
                    e.insert((id.0, id.0));
                }
            }
            let last = folded.rsplit(' ').next().unwrap_or("");
            let mut end = WordKey::of(last);
            end.words = clamp(folded.split(' ').count());
            index.ends.push(end);
            index.folded.push(folded);
        }
        // The index lives as long as the library: no growth slack.
        index.postings.values_mut().for_each(Vec::shrink_to_fit);
        index
    }

    pub fn len(&self) -> usize {
        self.folded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Resolves a link target written in article `from`. An article never
    /// resolves a link to itself.
    pub fn resolve(&self, target: &str, from: Option<ArticleId>) -> Resolution {
        let folded = normalize(target);
        if folded.is_empty() {
            return Resolution::Broken(Broken::NotFound);
        }
        if let Some(&(first, _)) = self.exact.get(&self.hasher.hash_one(folded.as_str())) {
            let mut ids: Vec<ArticleId> = Vec::new();
            let mut at = first;
            while at != NO_ID {
                let id = ArticleId(at);
                if Some(id) != from && self.folded[id.index()] == folded {
                    ids.push(id);
                }
                at = self.same_hash[id.index()];
            }
            match ids.len() {
                0 => {}
                1 => return Resolution::Resolved(ids[0]),
                _ => return Resolution::Ambiguous(ids),
            }
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let mut title: Vec<&str> = Vec::new();
        let mut scored: Vec<(f32, ArticleId)> = self
            .candidates(&words, from)
            .into_iter()
            .filter_map(|id| {
                title.clear();
                title.extend(self.folded[id.index()].split(' '));
                score_at_least(&words, &title, MIN_SCORE).map(|s| (s, id))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        match scored.as_slice() {
            [] => Resolution::Broken(Broken::NotFound),
            [(_, id)] => Resolution::Resolved(*id),
            [(best, id), (second, _), ..] if best - second >= TIE => Resolution::Resolved(*id),
            [(best, _), ..] => Resolution::Ambiguous(
                scored
                    .iter()
                    .take_while(|(s, _)| best - s < TIE)
                    .map(|&(_, id)| id)
                    .collect(),
            ),
        }
    }

    /// Articles sharing the rarest words of the query, most shared first.
    /// Only the rare words are looked up: a word in every title ("dan")
    /// would make the candidate set the whole library.
    fn candidates(&self, words: &[&str], from: Option<ArticleId>) -> Vec<ArticleId> {
        let mut lists: Vec<&Vec<ArticleId>> = unique_words_slice(words)
            .filter_map(|w| self.postings.get(w))
            .collect();
        lists.sort_by_key(|l| l.len());
        let mut chosen: Vec<&[ArticleId]> = Vec::with_capacity(4);
        for list in lists {
            // After a few rare words, longer lists add cost but no news.
            if chosen.len() >= 4 || (chosen.len() >= 2 && list.len() > 2000) {
                break;
            }
            chosen.push(&list[..list.len().min(20_000)]);
        }
        // Posting lists are sorted by id: a merge counts how many of them
        // hold each article, with no hashing.
        let mut ranked: Vec<(u32, ArticleId)> = Vec::new();
        while let Some(id) = chosen.iter().filter_map(|l| l.first()).min().copied() {
            let mut n = 0;
            for list in chosen.iter_mut() {
                if list.first() == Some(&id) {
                    *list = &list[1..];
                    n += 1;
                }
            }
            if Some(id) != from {
                ranked.push((n, id));
            }
        }
        // Most shared first, then library order; only the best few are
        // scored, and only they need sorting.
        let order = |a: &(u32, ArticleId), b: &(u32, ArticleId)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if ranked.len() > MAX_SCORED {
            ranked.select_nth_unstable_by(MAX_SCORED - 1, order);
            ranked.truncate(MAX_SCORED);
        }
        ranked.sort_unstable_by(order);
        ranked.into_iter().map(|(_, id)| id).collect()
    }

    /// For text that starts with a title glued to the following sentence:
    /// the number of leading words of `words` that form the longest library
    /// title, if any title matches closely enough.
    pub fn longest_title_prefix(&self, words: &[&str], from: Option<ArticleId>) -> Option<usize> {
        let head = &words[..words.len().min(PREFIX_WORDS)];
        let keys: Vec<WordKey> = head.iter().map(|w| WordKey::of(w)).collect();
        let mut best: Option<usize> = None;
        let mut title: Vec<&str> = Vec::new();
        // A title holding two of the first words is met twice; checking it
        // again changes nothing, and is cheaper than removing repeats.
        let lists = head
            .iter()
            .take(3)
            .filter_map(|w| self.postings.get(*w))
            .filter(|list| list.len() <= 5000);
        for &id in lists.flatten() {
            if Some(id) == from {
                continue;
            }
            let end = self.ends[id.index()];
            let n = end.words as usize;
            if n < 2 || n > head.len() + 1 {
                continue;
            }
            // The title may have lost or gained a word in the copy.
            for len in [n, n - 1, n + 1] {
                if len > head.len() || best.is_some_and(|b| b >= len) {
                    continue;
                }
                // The last words must agree, so a prefix match did not stop
                // mid-title. This cheap test turns away almost every
                // candidate before its words are split and scored.
                if !keys[len - 1].may_match(&end) {
                    continue;
                }
                let folded = &self.folded[id.index()];
                let last = folded.rsplit(' ').next().unwrap_or("");
                if !words_match(head[len - 1], last) {
                    continue;
                }
                title.clear();
                title.extend(folded.split(' '));
                if score_at_least(&head[..len], &title, 0.85).is_some() {
                    best = Some(len);
                }
            }
        }
        best
    }
}

fn unique_words(folded: &str) -> impl Iterator<Item = &str> {
    let mut seen: Vec<&str> = Vec::new();
    folded.split(' ').filter(move |w| {
        if w.is_empty() || seen.contains(w) {
            false
        } else {
            seen.push(w);
            true
        }
    })
}

fn unique_words_slice<'a>(words: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    words
        .iter()
        .enumerate()
        .filter(|(i, w)| !words[..*i].contains(w))
        .map(|(_, w)| *w)
}

/// Figures of a word that rule out most non-matching pairs without
/// comparing their letters.
#[derive(Clone, Copy, Debug)]
struct WordKey {
    /// One bit per letter present (other characters share a few bits).
    letters: u32,
    /// Lengths, capped at 255: capping never makes two lengths look
    /// further apart, so no match is turned away.
    bytes: u8,
    chars: u8,
    digit: bool,
    /// For a title's key: its number of words (capped).
    words: u8,
}

fn clamp(n: usize) -> u8 {
    n.min(255) as u8
}

impl WordKey {
    fn of(w: &str) -> WordKey {
        let letters = w.chars().fold(0u32, |m, c| {
            m | 1
                << match c {
                    'a'..='z' => c as u32 - 'a' as u32,
                    _ => 26 + c as u32 % 6,
                }
        });
        WordKey {
            letters,
            bytes: clamp(w.len()),
            chars: clamp(w.chars().count()),
            digit: has_digit(w),
            words: 1,
        }
    }

    /// False only when [`words_match`] is sure to be false. One edit
    /// changes the letters present by at most two, so words `k` edits
    /// apart differ in at most `2k` letters.
    fn may_match(&self, other: &WordKey) -> bool {
        if self.bytes == other.bytes && self.letters == other.letters {
            return true; // maybe equal
        }
        let shorter = self.chars.min(other.chars);
        if shorter < 5 || self.chars.abs_diff(other.chars) > 2 || self.digit {
            return false;
        }
        let allowed = if shorter >= 8 { 2 } else { 1 };
        (self.letters ^ other.letters).count_ones() <= 2 * allowed
    }
}

/// How well two folded word lists agree, from 0 to 1: the share of words
/// matched (each at most once, typos tolerated) over the longer list. A
/// number that does not match exactly sinks the score: "Hari ke-5" and
/// "Hari ke-6" are different articles.
pub fn match_score(a: &[&str], b: &[&str]) -> f32 {
    score_at_least(a, b, 0.0).unwrap_or(0.0)
}

/// [`match_score`] when it is at least `min`, else `None`, found out as
/// soon as the words left cannot lift the score that high: most candidates
/// fail after a word or two, before the costly typo comparisons.
fn score_at_least(a: &[&str], b: &[&str], min: f32) -> Option<f32> {
    if a.is_empty() || b.is_empty() {
        return (min <= 0.0).then_some(0.0);
    }
    let longer = a.len().max(b.len()) as f32;
    // Below this many matched words (allowing for rounding) `min` is out
    // of reach; every word left can add at most 1.
    let needed = min * longer - 1e-4;
    if (a.len().min(b.len()) as f32) < needed {
        return None;
    }
    // Titles are short: keep the marks on the stack.
    let mut small = [false; 32];
    let mut large = Vec::new();
    let used: &mut [bool] = if b.len() <= small.len() {
        &mut small[..b.len()]
    } else {
        large.resize(b.len(), false);
        &mut large
    };
    let mut matched = 0.0f32;
    for (i, wa) in a.iter().enumerate() {
        if matched + ((a.len() - i) as f32) < needed {
            return None;
        }
        let exact = b
            .iter()
            .enumerate()
            .position(|(j, wb)| !used[j] && wa == wb);
        let hit = exact.or_else(|| {
            b.iter()
                .enumerate()
                .position(|(j, wb)| !used[j] && words_match(wa, wb))
        });
        match hit {
            Some(j) => {
                used[j] = true;
                matched += if exact.is_some() { 1.0 } else { 0.9 };
            }
            None if has_digit(wa) => return (min <= 0.0).then_some(0.0),
            None => {}
        }
    }
    if b.iter().zip(used.iter()).any(|(wb, u)| !u && has_digit(wb)) {
        return (min <= 0.0).then_some(0.0);
    }
    let score = matched / longer;
    (score >= min).then_some(score)
}

/// Equal, or one typo apart for words long enough that a typo cannot turn
/// one real word into another (two typos from eight letters on).
fn words_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let ascii = a.is_ascii() && b.is_ascii();
    let (la, lb) = if ascii {
        (a.len(), b.len())
    } else {
        (a.chars().count(), b.chars().count())
    };
    let shorter = la.min(lb);
    if shorter < 5 || la.abs_diff(lb) > 2 || has_digit(a) {
        return false;
    }
    let allowed = if shorter >= 8 { 2 } else { 1 };
    if ascii {
        within_edits(a.as_bytes(), b.as_bytes(), allowed)
    } else {
        strsim::levenshtein(a, b) <= allowed
    }
}

/// Digits are ASCII, so a byte scan finds them in any UTF-8 text.
fn has_digit(w: &str) -> bool {
    w.bytes().any(|b| b.is_ascii_digit())
}

/// Levenshtein distance of `a` and `b` is at most `k`. Matching runs many of
/// these on short words, so: no allocation for words up to 63 bytes, the
/// shared prefix and suffix skipped, and an early stop once every cell of a
/// row exceeds `k`.
fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[pre..], &b[pre..]);
    let suf = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[..a.len() - suf], &b[..b.len() - suf]);
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if a.is_empty() || b.is_empty() {
        return a.len().max(b.len()) <= k;
    }
    let mut small = [0usize; 64];
    let mut large = Vec::new();
    let row: &mut [usize] = if b.len() < small.len() {
        &mut small[..=b.len()]
    } else {
        large.resize(b.len() + 1, 0);
        &mut large
    };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        let mut lowest = row[0];
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            let cost = usize::from(ca != cb);
            row[j + 1] = (diag + cost).min(up + 1).min(row[j] + 1);
            diag = up;
            lowest = lowest.min(row[j + 1]);
        }
        if lowest > k {
            return false;
        }
    }
    row[b.len()] <= k
}

/// Moves the end of each glued inline link so its title is the longest
/// library title the text after the marker starts with. The words taken
/// from, or given back to, the paragraph that follows keep their order:
/// nothing is lost.
pub fn resplit_inline(article: &mut Article, id: ArticleId, index: &TitleIndex) {
    let mut i = 0;
    while i + 1 < article.blocks.len() {
        let (head, tail) = article.blocks.split_at_mut(i + 1);
        let (Block::Link(link), Block::Paragraph { text: next }) = (&mut head[i], &mut tail[0])
        else {
            i += 1;
            continue;
        };
        if !link.glued || link.kind == LinkKind::Video {
            i += 1;
            continue;
        }
        let old_target = link.target.clone().unwrap_or_default();
        let combined = if old_target.is_empty() {
            next.clone()
        } else {
            format!("{old_target} {next}")
        };
        let mut spans = word_spans(&combined);
        // Only the leading words can hold the title; the rest of a long
        // paragraph need not be folded.
        spans.truncate(PREFIX_WORDS);
        let folded: Vec<String> = spans
            .iter()
            .map(|&(s, e)| normalize(&combined[s..e]))
            .collect();
        // Words that fold to nothing ("–") would shift the count; keep them
        // but let them match only each other.
        let words: Vec<&str> = folded
            .iter()
            .map(|w| if w.is_empty() { "\u{0}" } else { w.as_str() })
            .collect();
        if let Some(n) = index.longest_title_prefix(&words, Some(id)) {
            let cut = spans[n - 1].1;
            let new_target = combined[..cut].trim().to_owned();
            let rest = combined[cut..].trim().to_owned();
            if new_target != old_target {
                let prefix_len = link.text.len() - old_target.len();
                link.text = format!("{}{}", &link.text[..prefix_len], new_target);
                if prefix_len > 0 && !link.text[..prefix_len].ends_with([' ', ':']) {
                    link.text.insert(prefix_len, ' ');
                }
                link.target = Some(new_target);
                if rest.is_empty() {
                    link.glued = false;
                    article.blocks.remove(i + 1);
                } else {
                    *next = rest;
                }
            }
        }
        i += 1;
    }
}

fn word_spans(s: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c == ' ', start) {
            (true, Some(st)) => {
                spans.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        spans.push((st, s.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::{parse_str, ParseOptions};

    fn index(titles: &[&str]) -> TitleIndex {
        TitleIndex::new(titles.iter().copied())
    }

    #[test]
    fn exact_after_folding() {
        let ix = index(&["Armenia & Azerbaijan Sepakat Damai", "Lain Sekali"]);
        assert_eq!(
            ix.resolve("armenia dan azerbaijan sepakat damai!", None),
            Resolution::Resolved(ArticleId(0))
        );
    }

    #[test]
    fn typo_tolerated_but_not_numbers() {
        let ix = index(&[
            "Konflik Nagorno-Karabakh Memanas Lagi",
            "Hari ke-5 Operasi Militer Berlanjut",
        ]);
        assert_eq!(
            ix.resolve("Konflik Nagarno-Karabakh Memanas Lagi", None),
            Resolution::Resolved(ArticleId(0))
        );
        assert_eq!(
            ix.resolve("Hari ke-6 Operasi Militer Berlanjut", None),
            Resolution::Broken(Broken::NotFound)
        );
    }

    #[test]
    fn short_words_need_exact_match() {
        let ix = index(&["Harga Beras Naik"]);
        assert_eq!(
            ix.resolve("Harga Beras Turun", None),
            Resolution::Broken(Broken::NotFound)
        );
    }

    #[test]
    fn duplicate_titles_are_ambiguous() {
        let ix = index(&["Banjir Jakarta", "Banjir Jakarta", "Lain"]);
        assert_eq!(
            ix.resolve("Banjir Jakarta", None),
            Resolution::Ambiguous(vec![ArticleId(0), ArticleId(1)])
        );
        assert_eq!(
            ix.resolve("Banjir Jakarta", Some(ArticleId(0))),
            Resolution::Resolved(ArticleId(1))
        );
    }

    #[test]
    fn no_self_links() {
        let ix = index(&["Satu Dua Tiga"]);
        assert_eq!(
            ix.resolve("Satu Dua Tiga", Some(ArticleId(0))),
            Resolution::Broken(Broken::NotFound)
        );
    }

    #[test]
    fn inline_title_taken_from_library() {
        let ix = index(&["Profil Menteri Baru Asal Jawa Timur", "Sesuatu"]);
        let mut a = parse_str(
            "Ia menolak. Baca juga: Profil Menteri Baru Asal Jawa Timur Presiden Joko Widodo menunjuknya kemarin.",
            "x",
            ParseOptions::default(),
        );
        resplit_inline(&mut a, ArticleId(1), &ix);
        let link = a.links().next().unwrap().1;
        assert_eq!(
            link.target.as_deref(),
            Some("Profil Menteri Baru Asal Jawa Timur")
        );
        assert_eq!(link.text, "Baca juga: Profil Menteri Baru Asal Jawa Timur");
        assert_eq!(
            a.blocks.last().unwrap().text(),
            "Presiden Joko Widodo menunjuknya kemarin."
        );
    }

    #[test]
    fn bounded_edits_agree_with_levenshtein() {
        let words = [
            "nagorno",
            "nagarno",
            "nagorn",
            "agorno",
            "nagornoo",
            "karabakh",
            "karabah",
            "krabakh",
            "karabakhh",
            "armenia",
            "armenai",
            "armeniya",
            "ab",
            "",
            "abcdefgh",
            "hgfedcba",
        ];
        for a in words {
            for b in words {
                let d = strsim::levenshtein(a, b);
                for k in 0..4 {
                    assert_eq!(
                        within_edits(a.as_bytes(), b.as_bytes(), k),
                        d <= k,
                        "{a} {b} {k}"
                    );
                }
            }
        }
        for a in words
            .iter()
            .chain(&["café", "cafè", "ke-5", "ke-6", "nagorno5"])
        {
            for b in words.iter().chain(&["café", "cafe", "ke-5", "nagorno6"]) {
                if words_match(a, b) {
                    assert!(WordKey::of(a).may_match(&WordKey::of(b)), "{a} {b}");
                }
            }
        }
        let long_a = "x".repeat(100) + "abc";
        let long_b = "x".repeat(100) + "abd";
        assert!(within_edits(long_a.as_bytes(), long_b.as_bytes(), 1));
        assert!(!within_edits(long_a.as_bytes(), b"xyz", 2));
    }

    #[test]
    fn early_exit_changes_no_score() {
        let vocab = [
            "nagorno", "nagarno", "karabakh", "karabah", "armenia", "rusia", "damai", "5", "6",
            "perang", "hari", "ke", "sepakat", "sepakaat",
        ];
        let mut state = 7u64;
        let mut pick = |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for _ in 0..5000 {
            let a: Vec<&str> = (0..1 + pick(7)).map(|_| vocab[pick(vocab.len())]).collect();
            let b: Vec<&str> = (0..1 + pick(7)).map(|_| vocab[pick(vocab.len())]).collect();
            let full = match_score(&a, &b);
            for min in [0.5, 0.8, 0.85, 1.0] {
                let want = (full >= min).then_some(full);
                assert_eq!(score_at_least(&a, &b, min), want, "{a:?} {b:?} {min}");
            }
        }
    }

    #[test]
    fn match_score_bounds() {
        assert_eq!(match_score(&["a", "b"], &["a", "b"]), 1.0);
        assert_eq!(match_score(&[], &["a"]), 0.0);
        assert!(match_score(&["nagarno", "karabakh"], &["nagorno", "karabakh"]) > 0.9);
    }
}
