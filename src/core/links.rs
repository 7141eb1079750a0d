//! Link resolution: which article a "Baca juga" title names. Titles are
//! folded (see `normalize`), looked up exactly, and otherwise matched word by
//! word with typo tolerance among the few candidates an inverted index of
//! title words yields, so resolving stays linear in the number of links.

use super::article::{Article, ArticleId, Block, LinkKind};
use super::normalize::normalize;
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The end of a `same_hash` chain.
const NO_ID: u32 = u32::MAX;
/// The id of a word no library title holds.
const NO_WORD: u32 = u32::MAX;
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

    /// The same resolution with every article id passed through `map`;
    /// `None` when one of them has no new id.
    pub fn remapped(&self, map: impl Fn(ArticleId) -> Option<ArticleId>) -> Option<Resolution> {
        Some(match self {
            Resolution::Resolved(id) => Resolution::Resolved(map(*id)?),
            Resolution::Ambiguous(ids) => {
                Resolution::Ambiguous(ids.iter().map(|&id| map(id)).collect::<Option<_>>()?)
            }
            Resolution::Broken(why) => Resolution::Broken(*why),
        })
    }
}

/// The multiply-rotate hash rustc uses for its own tables (FxHash): words
/// and word-id sequences are short, and SipHash's protection against
/// chosen collisions buys nothing for titles the user saved.
#[derive(Clone, Copy, Debug, Default)]
struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in chunks.by_ref() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// The table takes its bucket from the low bits and its tag from the
    /// top seven: the rotation spreads the last multiplication's entropy,
    /// which gathers in the high bits, over both (as rustc-hash does).
    #[inline]
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;

/// The hash of a title as its sequence of word ids.
fn hash_ids(ids: &[u32]) -> u64 {
    let mut h = FxHasher::default();
    h.write_usize(ids.len());
    for &id in ids {
        h.write_u32(id);
    }
    h.finish()
}

/// The end of a title, for glued text: checked against thousands of
/// candidate titles without touching their words.
#[derive(Clone, Copy, Debug)]
struct TitleEnd {
    /// The last word's figures; `words` holds the title's word count.
    key: WordKey,
    /// The last word's id.
    last: u32,
}

/// Filler for a partly used batch of [`TitleEnd`]s.
const NO_END: TitleEnd = TitleEnd {
    key: WordKey {
        letters: 0,
        bytes: 0,
        chars: 0,
        digit: false,
        words: 0,
    },
    last: NO_WORD,
};

/// Looks titles up: exact folded titles, and an inverted index from title
/// word to the articles whose title holds it.
///
/// Every distinct word of the folded titles gets an id, and a title is the
/// list of its word ids: comparing words is comparing numbers, and only
/// words that are not equal are ever compared letter by letter (after their
/// [`WordKey`]s say a typo could explain the difference).
#[derive(Debug, Default)]
pub struct TitleIndex {
    /// The words of all folded titles, one after the other; `word_spans`
    /// holds where each word id's text is.
    word_text: String,
    word_spans: Vec<(u32, u32)>,
    /// By word id.
    word_keys: Vec<WordKey>,
    vocabulary: HashMap<Box<str>, u32, FxBuild>,
    /// By word id: the articles whose title holds the word, in order.
    postings: Vec<Vec<ArticleId>>,
    /// The word ids of every title, one after the other: title `i` is
    /// `title_words[title_starts[i]..title_starts[i + 1]]`.
    title_words: Vec<u32>,
    title_starts: Vec<u32>,
    /// By `ArticleId`.
    ends: Vec<TitleEnd>,
    /// Exact lookup: the hash of a title's word ids → the first and last
    /// article with that hash; `same_hash` chains the others in library
    /// order.
    exact: HashMap<u64, (u32, u32), FxBuild>,
    same_hash: Vec<u32>,
}

/// A word of a query: its text, id (`NO_WORD` when no title holds it) and
/// figures.
struct QueryWord<'a> {
    text: &'a str,
    id: u32,
    key: WordKey,
}

thread_local! {
    /// By article: how many of a query's rare-word lists hold it. Zero
    /// between queries; one table per thread, as resolving runs on all.
    static SHARED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl TitleIndex {
    pub fn new<'a>(titles: impl Iterator<Item = &'a str>) -> Self {
        let titles: Vec<&str> = titles.collect();
        let added: Vec<ArticleId> = (0..titles.len() as u32).map(ArticleId).collect();
        TitleIndex::default().updated(&titles, &[], &added)
    }

    /// The index of a library whose titles are `titles`, made from this
    /// one, the index of the library it replaces: the articles of `kept`
    /// (by old id, the new id if it was kept) keep their folded words, and
    /// only the titles of `added` (new ids, in order) are folded. What it
    /// answers is what [`TitleIndex::new`] of `titles` would answer; a word
    /// only removed titles had keeps its id, with no title under it.
    pub fn updated(
        &self,
        titles: &[&str],
        kept: &[Option<ArticleId>],
        added: &[ArticleId],
    ) -> Self {
        // Folding is most of the work and needs no shared state.
        let folded_titles = super::par::map(added, |id| normalize(titles[id.index()]));
        let mut old_of = vec![NO_ID; titles.len()];
        for (old, new) in kept.iter().enumerate() {
            if let Some(new) = new {
                old_of[new.index()] = old as u32;
            }
        }
        let mut index = TitleIndex {
            word_text: self.word_text.clone(),
            word_spans: self.word_spans.clone(),
            word_keys: self.word_keys.clone(),
            vocabulary: self.vocabulary.clone(),
            // Kept articles keep their order, so each list stays in order.
            postings: self
                .postings
                .iter()
                .map(|list| {
                    list.iter()
                        .filter_map(|id| kept.get(id.index()).copied().flatten())
                        .collect()
                })
                .collect(),
            title_words: Vec::with_capacity(self.title_words.len()),
            title_starts: Vec::with_capacity(titles.len() + 1),
            ends: Vec::with_capacity(titles.len()),
            exact: HashMap::default(),
            same_hash: Vec::with_capacity(titles.len()),
        };
        index.title_starts.push(0);
        let mut folded_titles = folded_titles.iter();
        let mut seen: Vec<u32> = Vec::new();
        for (i, &old) in old_of.iter().enumerate() {
            let id = ArticleId(i as u32);
            let start = index.title_words.len();
            if old != NO_ID {
                let old = ArticleId(old);
                index.title_words.extend_from_slice(self.title(old));
                index.ends.push(self.ends[old.index()]);
            } else {
                let folded = folded_titles.next().map_or("", String::as_str);
                seen.clear();
                for word in folded.split(' ') {
                    let w = index.intern(word);
                    index.title_words.push(w);
                    // Each article once in a word's list, and never under "".
                    if !word.is_empty() && !seen.contains(&w) {
                        seen.push(w);
                        let list = &mut index.postings[w as usize];
                        match list.last() {
                            Some(&last) if last > id => {
                                let at = list.partition_point(|&x| x < id);
                                list.insert(at, id);
                            }
                            _ => list.push(id),
                        }
                    }
                }
                let words = &index.title_words[start..];
                // `split` yields a word even for an empty title.
                let (last, mut key) = match words.last() {
                    Some(&w) => (w, index.word_keys[w as usize]),
                    None => (NO_WORD, WordKey::of("")),
                };
                key.words = clamp(words.len());
                index.ends.push(TitleEnd { key, last });
            }
            let hash = hash_ids(&index.title_words[start..]);
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
            index.title_starts.push(index.title_words.len() as u32);
        }
        // The index lives as long as the library: no growth slack.
        index.postings.iter_mut().for_each(Vec::shrink_to_fit);
        index.postings.shrink_to_fit();
        index.title_words.shrink_to_fit();
        index.word_text.shrink_to_fit();
        index
    }

    /// The id of `word`, given one if it is new.
    fn intern(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.vocabulary.get(word) {
            return id;
        }
        let id = self.word_spans.len() as u32;
        let start = self.word_text.len() as u32;
        self.word_text.push_str(word);
        self.word_spans.push((start, self.word_text.len() as u32));
        self.word_keys.push(WordKey::of(word));
        self.postings.push(Vec::new());
        self.vocabulary.insert(word.into(), id);
        id
    }

    fn word(&self, id: u32) -> &str {
        let (start, end) = self.word_spans[id as usize];
        &self.word_text[start as usize..end as usize]
    }

    fn title(&self, id: ArticleId) -> &[u32] {
        let i = id.index();
        &self.title_words[self.title_starts[i] as usize..self.title_starts[i + 1] as usize]
    }

    fn query_word<'q>(&self, text: &'q str) -> QueryWord<'q> {
        QueryWord {
            text,
            id: self.vocabulary.get(text).copied().unwrap_or(NO_WORD),
            key: WordKey::of(text),
        }
    }

    /// [`words_match`] of a query word and a title word: equal ids, or a
    /// typo the words' figures allow and their letters confirm.
    #[inline]
    fn word_matches(&self, q: &QueryWord, w: u32) -> bool {
        q.id == w
            || (q.key.may_match(&self.word_keys[w as usize]) && words_match(q.text, self.word(w)))
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The articles whose folded title holds the folded word `word`, in
    /// order.
    pub fn titles_with(&self, word: &str) -> &[ArticleId] {
        self.vocabulary
            .get(word)
            .map_or(&[], |&w| self.postings[w as usize].as_slice())
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Resolves a link target written in article `from`. An article never
    /// resolves a link to itself.
    pub fn resolve(&self, target: &str, from: Option<ArticleId>) -> Resolution {
        let folded = normalize(target);
        if folded.is_empty() {
            return Resolution::Broken(Broken::NotFound);
        }
        let ids: Vec<u32> = folded
            .split(' ')
            .map(|w| self.vocabulary.get(w).copied().unwrap_or(NO_WORD))
            .collect();
        // A word no title holds rules out an exact match.
        if !ids.contains(&NO_WORD) {
            if let Some(&(first, _)) = self.exact.get(&hash_ids(&ids)) {
                let mut found: Vec<ArticleId> = Vec::new();
                let mut at = first;
                while at != NO_ID {
                    let id = ArticleId(at);
                    if Some(id) != from && self.title(id) == ids.as_slice() {
                        found.push(id);
                    }
                    at = self.same_hash[id.index()];
                }
                match found.len() {
                    0 => {}
                    1 => return Resolution::Resolved(found[0]),
                    _ => return Resolution::Ambiguous(found),
                }
            }
        }
        // Most links name a title exactly; the letters of the others' words
        // are looked at now.
        let query: Vec<QueryWord> = folded
            .split(' ')
            .zip(ids)
            .map(|(text, id)| QueryWord {
                text,
                id,
                key: WordKey::of(text),
            })
            .collect();
        let candidates = self.candidates(&query, from);
        let mut scored: Vec<(f32, ArticleId)> = candidates
            .iter()
            .filter_map(|&id| {
                self.score_at_least(&query, self.title(id), MIN_SCORE)
                    .map(|s| (s, id))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        match scored.as_slice() {
            [] => self.same_letters(&folded, &candidates),
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

    /// The one candidate whose title has the letters of `folded` in the
    /// same order, spaces aside: the same title written with words joined
    /// or apart, as Indonesian spelling varies ("ke depan" / "kedepan",
    /// "Rp 7 miliar" / "Rp7 miliar", "di Jakarta" / "diJakarta").
    fn same_letters(&self, folded: &str, candidates: &[ArticleId]) -> Resolution {
        let squeezed: String = folded.split(' ').collect();
        let same: Vec<ArticleId> = candidates
            .iter()
            .copied()
            .filter(|&id| {
                let mut rest = squeezed.as_str();
                self.title(id).iter().all(|&w| {
                    let word = self.word(w);
                    rest.strip_prefix(word).map(|r| rest = r).is_some()
                }) && rest.is_empty()
            })
            .collect();
        match same.len() {
            0 => Resolution::Broken(Broken::NotFound),
            1 => Resolution::Resolved(same[0]),
            _ => Resolution::Ambiguous(same),
        }
    }

    /// Articles sharing the rarest words of the query, most shared first.
    /// Only the rare words are looked up: a word in every title ("dan")
    /// would make the candidate set the whole library.
    fn candidates(&self, query: &[QueryWord], from: Option<ArticleId>) -> Vec<ArticleId> {
        let mut lists: Vec<&Vec<ArticleId>> = Vec::with_capacity(query.len());
        for (i, q) in query.iter().enumerate() {
            // A word only removed titles had (see `updated`) is one no
            // title holds, like a word never seen.
            if q.id != NO_WORD
                && !query[..i].iter().any(|p| p.id == q.id)
                && !self.postings[q.id as usize].is_empty()
            {
                lists.push(&self.postings[q.id as usize]);
            }
        }
        lists.sort_by_key(|l| l.len());
        let mut chosen: Vec<&[ArticleId]> = Vec::with_capacity(4);
        for list in lists {
            // After a few rare words, longer lists add cost but no news.
            if chosen.len() >= 4 || (chosen.len() >= 2 && list.len() > 2000) {
                break;
            }
            chosen.push(&list[..list.len().min(20_000)]);
        }
        // The best are the articles most lists share, then library order.
        // How many lists hold each article is counted in a table by article
        // rather than by merging the lists: those of common words run to
        // thousands in a large library, and every broken or mistyped link
        // comes here. Articles in one list only are wanted just to fill up
        // the few places left, and then only the first of them.
        let mut shared_by_many: Vec<(u32, ArticleId)> = Vec::new();
        let mut alone: Vec<ArticleId> = Vec::new();
        SHARED.with_borrow_mut(|count| {
            if count.len() < self.len() {
                count.resize(self.len(), 0);
            }
            for list in &chosen {
                for id in list.iter() {
                    count[id.index()] += 1;
                }
            }
            for list in &chosen {
                for &id in list.iter() {
                    let n = count[id.index()];
                    if n >= 2 {
                        // Taken once, from the first list that holds it.
                        count[id.index()] = 0;
                        if Some(id) != from {
                            shared_by_many.push((u32::from(n), id));
                        }
                    }
                }
            }
            let wanted = MAX_SCORED.saturating_sub(shared_by_many.len());
            // Every count goes back to zero for the next query.
            for list in &chosen {
                let mut taken = 0;
                for &id in list.iter() {
                    if std::mem::take(&mut count[id.index()]) == 1
                        && taken < wanted
                        && Some(id) != from
                    {
                        alone.push(id);
                        taken += 1;
                    }
                }
            }
        });
        let order = |a: &(u32, ArticleId), b: &(u32, ArticleId)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        if shared_by_many.len() > MAX_SCORED {
            shared_by_many.select_nth_unstable_by(MAX_SCORED - 1, order);
            shared_by_many.truncate(MAX_SCORED);
        }
        shared_by_many.sort_unstable_by(order);
        // Each list gave its first few, so the first of all are among them.
        alone.sort_unstable();
        alone.truncate(MAX_SCORED - shared_by_many.len());
        shared_by_many
            .into_iter()
            .map(|(_, id)| id)
            .chain(alone)
            .collect()
    }

    /// For text that starts with a title glued to the following sentence:
    /// the number of leading words of `words` that form the longest library
    /// title, if any title matches closely enough, and whether it matches
    /// word for word.
    pub fn longest_title_prefix(
        &self,
        words: &[&str],
        from: Option<ArticleId>,
    ) -> Option<(usize, bool)> {
        let head: Vec<QueryWord> = words
            .iter()
            .take(PREFIX_WORDS)
            .map(|w| self.query_word(w))
            .collect();
        let mut best: Option<usize> = None;
        // A title met word for word beats one met only with a typo or a
        // word lost or gained, however long: the paragraph after a title
        // may open with a word one letter away from its last.
        let mut best_exact = false;
        // A title holding two of the first words is met twice; checking it
        // again changes nothing, and is cheaper than removing repeats.
        let lists = head
            .iter()
            .take(3)
            .filter(|q| q.id != NO_WORD)
            .map(|q| &self.postings[q.id as usize])
            .filter(|list| list.len() <= 5000);
        for list in lists {
            // The end of each candidate is a load from a table too large for
            // the cache: load a few at once so the misses overlap, then
            // look at them.
            for ids in list.chunks(16) {
                let mut ends = [NO_END; 16];
                for (end, id) in ends.iter_mut().zip(ids) {
                    *end = self.ends[id.index()];
                }
                for (&end, &id) in ends.iter().zip(ids) {
                    if Some(id) == from {
                        continue;
                    }
                    let n = end.key.words as usize;
                    if n < 2 || n > head.len() + 1 {
                        continue;
                    }
                    // The title may have lost or gained a word in the copy.
                    for len in [n, n - 1, n + 1] {
                        let longer = best.is_none_or(|b| b < len);
                        if len > head.len() || (!longer && (best_exact || len != n)) {
                            continue;
                        }
                        if best_exact && len != n {
                            continue;
                        }
                        // The last words must agree, so a prefix match did
                        // not stop mid-title. This cheap test turns away
                        // almost every candidate before its words are
                        // scored; the last word's figures are at hand.
                        let q = &head[len - 1];
                        if q.id != end.last
                            && !(q.key.may_match(&end.key)
                                && words_match(q.text, self.word(end.last)))
                        {
                            continue;
                        }
                        // Word for word is a comparison of word ids.
                        let title = self.title(id);
                        if len == n && head[..len].iter().map(|q| q.id).eq(title.iter().copied()) {
                            if longer || !best_exact {
                                best = Some(len);
                                best_exact = true;
                            }
                            continue;
                        }
                        if !longer || best_exact {
                            continue;
                        }
                        if self.score_at_least(&head[..len], title, 0.85).is_some() {
                            best = Some(len);
                        }
                    }
                }
            }
        }
        best.map(|n| (n, best_exact))
    }

    /// [`score_at_least`] of query words and a title's word ids.
    fn score_at_least(&self, a: &[QueryWord], b: &[u32], min: f32) -> Option<f32> {
        let digit = |w: &u32| self.word_keys[*w as usize].digit;
        score_words(
            a,
            b,
            min,
            Words {
                same: |q: &QueryWord, w: &u32| q.id == *w,
                near: |q: &QueryWord, w: &u32| self.word_matches(q, *w),
                digit_a: |q: &QueryWord| q.key.digit,
                digit_b: digit,
            },
        )
    }
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
    score_words(
        a,
        b,
        min,
        Words {
            same: |x: &&str, y: &&str| x == y,
            near: |x: &&str, y: &&str| words_match(x, y),
            digit_a: |x: &&str| has_digit(x),
            digit_b: |y: &&str| has_digit(y),
        },
    )
}

/// How two kinds of words compare: as text, or as a title index's ids.
struct Words<S, N, DA, DB> {
    same: S,
    near: N,
    digit_a: DA,
    digit_b: DB,
}

/// The score of words `a` against words `b`: each word of `a` takes the
/// first unused word of `b` equal to it (1) or else near it (0.9), over the
/// longer count; a number left unmatched on either side sinks it to 0.
/// `None` as soon as `min` is out of reach.
fn score_words<A, B>(
    a: &[A],
    b: &[B],
    min: f32,
    words: Words<
        impl Fn(&A, &B) -> bool,
        impl Fn(&A, &B) -> bool,
        impl Fn(&A) -> bool,
        impl Fn(&B) -> bool,
    >,
) -> Option<f32> {
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
            .position(|(j, wb)| !used[j] && (words.same)(wa, wb));
        let hit = exact.or_else(|| {
            b.iter()
                .enumerate()
                .position(|(j, wb)| !used[j] && (words.near)(wa, wb))
        });
        match hit {
            Some(j) => {
                used[j] = true;
                matched += if exact.is_some() { 1.0 } else { 0.9 };
            }
            None if (words.digit_a)(wa) => return (min <= 0.0).then_some(0.0),
            None => {}
        }
    }
    if b.iter()
        .zip(used.iter())
        .any(|(wb, u)| !u && (words.digit_b)(wb))
    {
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

/// A URL folded so the addresses of one article compare equal: no scheme,
/// the host in lower case without `www.`, `m.` or `amp.`, no AMP view, no
/// fragment, no tracking or view parameters (`utm_*`, `fbclid`, `page`…)
/// and no trailing slash.
pub fn canonical_url(url: &str) -> String {
    let url = url.trim();
    let rest = url
        .split_once("://")
        .map_or_else(|| url.strip_prefix("//").unwrap_or(url), |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or("");
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    // The default ports say nothing.
    let mut host = host
        .strip_suffix(":443")
        .or_else(|| host.strip_suffix(":80"))
        .unwrap_or(&host)
        .to_owned();
    while let Some(h) = ["www.", "m.", "amp.", "mobile."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
    {
        host = h.to_owned();
    }
    let mut path = path.trim_end_matches('/');
    path = path.strip_suffix("/amp").unwrap_or(path);
    path = path.strip_prefix("amp/").unwrap_or(path);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| {
            let key = kv.split('=').next().unwrap_or("").to_ascii_lowercase();
            !key.is_empty()
                && !key.starts_with("utm_")
                && !matches!(
                    key.as_str(),
                    "fbclid"
                        | "gclid"
                        | "igshid"
                        | "ref"
                        | "amp"
                        | "output"
                        | "page"
                        | "mc_cid"
                        | "mc_eid"
                )
        })
        .collect();
    let mut out = format!("{host}/{path}");
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    out
}

/// Moves the end of each glued inline link so its title is the longest
/// library title the text after the marker starts with. The words taken
/// from, or given back to, the paragraph that follows keep their order:
/// nothing is lost. A glued link with no paragraph after it (its guessed
/// title ran to the end of its line) gives the words past the title back
/// as a new paragraph.
pub fn resplit_inline(article: &mut Article, id: ArticleId, index: &TitleIndex) {
    let mut i = 0;
    while i < article.blocks.len() {
        let (head, tail) = article.blocks.split_at_mut(i + 1);
        let Block::Link(link) = &mut head[i] else {
            i += 1;
            continue;
        };
        if !link.glued || link.kind == LinkKind::Video {
            i += 1;
            continue;
        }
        let next = match tail.first_mut() {
            Some(Block::Paragraph { text }) => Some(text),
            _ => None,
        };
        let old_target = link.target.clone().unwrap_or_default();
        // The link's text is its marker, its title, and what the title
        // leaves out at its end (a join's comma): that goes with the words
        // after the title.
        let at = link
            .text
            .rfind(old_target.as_str())
            .unwrap_or(link.text.len());
        let prefix_len = at.min(link.text.len());
        let suffix = link
            .text
            .get(at + old_target.len()..)
            .unwrap_or("")
            .to_owned();
        let head = format!("{old_target}{suffix}");
        let combined = match (&next, head.trim().is_empty()) {
            (Some(next), true) => next.to_string(),
            (Some(next), false) => format!("{head} {next}"),
            (None, _) => head,
        };
        // Words as written; failing that, with words a scraper glued
        // ("HargaPetugas") taken apart.
        // A title met word for word beats one met loosely, then the longer
        // wins: a title glued to the next word is met whole only taken
        // apart, while a shorter one may be met as written.
        let found = [false, true]
            .into_iter()
            .filter_map(|apart| {
                let spans = word_spans(&combined, apart);
                if apart && spans.len() == word_spans(&combined, false).len() {
                    return None;
                }
                let (n, exact) = title_prefix(&combined, &spans, index, id)?;
                let cut = spans[n - 1].1;
                // Taken apart, only a cut where two words were glued is news.
                let glue = combined[cut..].starts_with(|c: char| c != ' ');
                (!apart || glue).then_some((exact, cut))
            })
            .max()
            .map(|(_, cut)| cut);
        let Some(cut) = found else {
            i += 1;
            continue;
        };
        let taken = combined[..cut].trim();
        let new_target = taken.trim_end_matches([',', ';']).trim_end().to_owned();
        let rest = combined[cut..].trim().to_owned();
        if new_target != old_target {
            link.text = format!("{}{}", &link.text[..prefix_len], taken);
            if prefix_len > 0 && !link.text[..prefix_len].ends_with([' ', ':']) {
                link.text.insert(prefix_len, ' ');
            }
            link.target = Some(new_target);
            match next {
                Some(_) if rest.is_empty() => {
                    link.glued = false;
                    article.blocks.remove(i + 1);
                }
                Some(next) => *next = rest,
                None if rest.is_empty() => link.glued = false,
                None => article
                    .blocks
                    .insert(i + 1, Block::Paragraph { text: rest }),
            }
        }
        i += 1;
    }
}

/// How many of the words at `spans` of `text` form the longest library
/// title `text` starts with, and whether word for word.
fn title_prefix(
    text: &str,
    spans: &[(usize, usize)],
    index: &TitleIndex,
    id: ArticleId,
) -> Option<(usize, bool)> {
    // Only the leading words can hold the title; the rest of a long
    // paragraph need not be folded.
    let folded: Vec<String> = spans
        .iter()
        .take(PREFIX_WORDS)
        .map(|&(s, e)| normalize(&text[s..e]))
        .collect();
    // Words that fold to nothing ("–") would shift the count; keep them
    // but let them match only each other.
    let words: Vec<&str> = folded
        .iter()
        .map(|w| if w.is_empty() { "\u{0}" } else { w.as_str() })
        .collect();
    index.longest_title_prefix(&words, Some(id))
}

/// The words of `s` between spaces; with `apart`, a word is also split
/// where a lower-case letter meets a capital ("HargaPetugas").
fn word_spans(s: &str, apart: bool) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        let glued = apart && prev.is_lowercase() && c.is_uppercase();
        prev = c;
        match (c == ' ', start) {
            (true, Some(st)) => {
                spans.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            (false, Some(st)) if glued => {
                spans.push((st, i));
                start = Some(i);
            }
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
    use super::canonical_url;

    #[test]
    fn urls_of_one_article_fold_alike() {
        let one = "contoh.test/berita/2024/12/05/banjir";
        for url in [
            "https://www.contoh.test/berita/2024/12/05/banjir",
            "http://m.contoh.test/berita/2024/12/05/banjir/",
            "https://amp.contoh.test/berita/2024/12/05/banjir?utm_source=x&utm_medium=y",
            "https://Contoh.TEST/berita/2024/12/05/banjir/amp#komentar",
            "https://contoh.test/berita/2024/12/05/banjir?page=all&fbclid=abc",
            "https://contoh.test:443/berita/2024/12/05/banjir?output=amp",
            "//contoh.test/berita/2024/12/05/banjir",
        ] {
            assert_eq!(canonical_url(url), one, "{url}");
        }
        // What tells articles apart stays.
        assert_ne!(
            canonical_url("https://contoh.test/read?id=1"),
            canonical_url("https://contoh.test/read?id=2")
        );
        assert_ne!(
            canonical_url("https://contoh.test/berita/1"),
            canonical_url("https://lain.test/berita/1")
        );
    }

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

    /// Titles and queries from a small vocabulary with near-misses, so
    /// exact, mistyped, numeric and unknown words all meet.
    fn random_words(pick: &mut impl FnMut(usize) -> usize, n: usize) -> Vec<&'static str> {
        let vocab = [
            "nagorno", "nagarno", "karabakh", "karabah", "armenia", "rusia", "damai", "5", "6",
            "perang", "hari", "ke", "sepakat", "sepakaat", "dan", "gencatan", "senjata",
            "senjataa", "ke5", "baru",
        ];
        (0..n).map(|_| vocab[pick(vocab.len())]).collect()
    }

    fn rng() -> impl FnMut(usize) -> usize {
        let mut state = 3u64;
        move |n: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        }
    }

    #[test]
    fn scores_by_word_id_agree_with_scores_by_text() {
        let mut pick = rng();
        let titles: Vec<String> = (0..300)
            .map(|_| {
                let n = 1 + pick(8);
                random_words(&mut pick, n).join(" ")
            })
            .collect();
        let ix = index(&titles.iter().map(String::as_str).collect::<Vec<_>>());
        for _ in 0..300 {
            let n = 1 + pick(8);
            let words = random_words(&mut pick, n);
            let query: Vec<QueryWord> = words.iter().map(|w| ix.query_word(w)).collect();
            for (i, t) in titles.iter().enumerate() {
                let b: Vec<&str> = t.split(' ').collect();
                for min in [0.0, 0.8, 0.85] {
                    assert_eq!(
                        ix.score_at_least(&query, ix.title(ArticleId(i as u32)), min),
                        score_at_least(&words, &b, min),
                        "{words:?} {b:?} {min}"
                    );
                }
            }
        }
    }

    #[test]
    fn candidates_are_the_most_shared_then_the_first() {
        let mut pick = rng();
        let titles: Vec<String> = (0..400)
            .map(|_| {
                let n = 1 + pick(6);
                random_words(&mut pick, n).join(" ")
            })
            .collect();
        let ix = index(&titles.iter().map(String::as_str).collect::<Vec<_>>());
        for round in 0..200 {
            let n = 1 + pick(7);
            let words = random_words(&mut pick, n);
            let query: Vec<QueryWord> = words.iter().map(|w| ix.query_word(w)).collect();
            let from = (round % 3 == 0).then(|| ArticleId(pick(400) as u32));
            // The same choice of lists, then every article ranked in full.
            let mut lists: Vec<&Vec<ArticleId>> = Vec::new();
            for (i, q) in query.iter().enumerate() {
                if q.id != NO_WORD && !query[..i].iter().any(|p| p.id == q.id) {
                    lists.push(&ix.postings[q.id as usize]);
                }
            }
            lists.sort_by_key(|l| l.len());
            let mut chosen: Vec<&Vec<ArticleId>> = Vec::new();
            for list in lists {
                if chosen.len() >= 4 || (chosen.len() >= 2 && list.len() > 2000) {
                    break;
                }
                chosen.push(list);
            }
            let mut ranked: Vec<(usize, ArticleId)> = (0..400u32)
                .map(ArticleId)
                .filter(|&id| Some(id) != from)
                .map(|id| (chosen.iter().filter(|l| l.contains(&id)).count(), id))
                .filter(|&(n, _)| n > 0)
                .collect();
            ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let want: Vec<ArticleId> = ranked.iter().take(MAX_SCORED).map(|&(_, id)| id).collect();
            assert_eq!(ix.candidates(&query, from), want, "{words:?}");
        }
    }

    #[test]
    fn match_score_bounds() {
        assert_eq!(match_score(&["a", "b"], &["a", "b"]), 1.0);
        assert_eq!(match_score(&[], &["a"]), 0.0);
        assert!(match_score(&["nagarno", "karabakh"], &["nagorno", "karabakh"]) > 0.9);
    }
}
