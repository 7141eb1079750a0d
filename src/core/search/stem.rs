//! A light model of Indonesian affixes, so "damai" finds "perdamaian" and
//! "berdamai". Instead of stemming every word of the library (which needs a
//! root dictionary to be right and a stem table to be fast), it works from
//! the query: [`forms`] writes out the affixed forms of a root with the
//! nasal rules of meN-/peN- (me+pukul → memukul, me+tulis → menulis,
//! me+sapu → menyapu, me+kirim → mengirim), and the search looks those forms
//! up in its dictionary. [`roots`] undoes the affixes of a word the user
//! typed already affixed ("perdamaian" → "damai"), keeping only readings
//! that [`forms`] would write back the same way.

/// Shorter roots would drag in unrelated words ("di" + "a" = "dia").
const MIN_ROOT: usize = 3;
/// A root read off an affixed word must be a little longer: "makan" minus
/// "-an" is "mak", another word.
const MIN_STRIPPED_ROOT: usize = 4;

const DERIVATIONAL: [&str; 4] = ["", "kan", "an", "i"];
const POSSESSIVE: [&str; 2] = ["", "nya"];
const PARTICLE: [&str; 3] = ["", "lah", "kah"];

/// Every suffix chain: derivational, then possessive, then particle
/// ("-kannya", "-anlah", …).
pub(crate) fn suffixes() -> impl Iterator<Item = String> {
    DERIVATIONAL.iter().flat_map(|d| {
        POSSESSIVE
            .iter()
            .flat_map(move |p| PARTICLE.iter().map(move |q| format!("{d}{p}{q}")))
    })
}

/// Whether `s` is a chain of suffixes ("kannya"), or empty.
pub(crate) fn is_suffix(s: &str) -> bool {
    let mut rest = s;
    for set in [&PARTICLE[1..], &POSSESSIVE[1..], &DERIVATIONAL[1..]] {
        if let Some(x) = set.iter().find(|x| rest.ends_with(*x)) {
            rest = &rest[..rest.len() - x.len()];
        }
    }
    rest.is_empty()
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// meN- or peN- (`base` is "me" or "pe") before `root`, with the nasal the
/// first letter calls for. Where usage varies (loan words keep their k, p,
/// t or s: "mengkritik", "mempunyai") both spellings are given.
fn nasal(base: &str, root: &str, out: &mut Vec<String>) {
    let mut chars = root.chars();
    let Some(first) = chars.next() else { return };
    let rest = chars.as_str();
    match first {
        c if is_vowel(c) => out.push(format!("{base}ng{root}")),
        'k' => {
            out.push(format!("{base}ng{rest}"));
            out.push(format!("{base}ng{root}"));
        }
        'g' | 'h' | 'q' | 'x' => out.push(format!("{base}ng{root}")),
        'p' => {
            out.push(format!("{base}m{rest}"));
            out.push(format!("{base}m{root}"));
        }
        'b' | 'f' | 'v' => out.push(format!("{base}m{root}")),
        't' => {
            out.push(format!("{base}n{rest}"));
            out.push(format!("{base}n{root}"));
        }
        'd' | 'c' | 'j' | 'z' => out.push(format!("{base}n{root}")),
        's' => {
            out.push(format!("{base}ny{rest}"));
            out.push(format!("{base}n{root}"));
        }
        _ => out.push(format!("{base}{root}")),
    }
    // One-syllable roots take "menge-"/"penge-" ("mengebom"); so does
    // "mengetahui".
    out.push(format!("{base}nge{root}"));
}

/// `root` with each prefix (or prefix pair) it can take, itself included.
/// A word is an affixed form of `root` when it is one of these followed
/// by a suffix chain ([`is_suffix`]).
pub(crate) fn prefixed(root: &str) -> Vec<String> {
    if !is_stemmable(root) {
        return Vec::new();
    }
    let mut out = vec![root.to_owned()];
    for p in ["di", "ke", "se", "pe"] {
        out.push(format!("{p}{root}"));
    }
    // ber-, per-, ter- lose their r before a root that starts with r
    // ("berantai"), and before a first syllable in -er ("bekerja").
    let r_start = root.starts_with('r');
    let er_syllable = root.chars().nth(1) == Some('e') && root.chars().nth(2) == Some('r');
    for p in ["ber", "per", "ter"] {
        if r_start || er_syllable {
            out.push(format!("{}{root}", &p[..2]));
        }
        if !r_start {
            out.push(format!("{p}{root}"));
        }
    }
    if root == "ajar" {
        out.push("belajar".into());
        out.push("pelajar".into());
    }
    nasal("me", root, &mut out);
    nasal("pe", root, &mut out);
    for p in ["memper", "diper", "keber", "berke"] {
        out.push(format!("{p}{root}"));
    }
    let mut ke_pen = Vec::new();
    nasal("pe", root, &mut ke_pen);
    out.extend(ke_pen.into_iter().map(|f| format!("ke{f}")));
    out.sort_unstable();
    out.dedup();
    out
}

fn is_stemmable(word: &str) -> bool {
    word.chars().count() >= MIN_ROOT && word.chars().all(|c| c.is_alphabetic())
}

/// The affixed forms of `root` (the root itself first): prefixes, suffix
/// chains and the two together ("perdamaiannya"). Empty for words too
/// short or with digits, which affixes do not apply to. Written out for
/// tests and for reading; the search matches [`prefixed`] + [`is_suffix`].
#[cfg(test)]
pub fn forms(root: &str) -> Vec<String> {
    if !is_stemmable(root) {
        return Vec::new();
    }
    let suffixes: Vec<String> = suffixes().collect();
    let mut out = vec![root.to_owned()];
    for p in prefixed(root) {
        for s in &suffixes {
            let f = format!("{p}{s}");
            if f != root {
                out.push(f);
            }
        }
    }
    out
}

/// Literal prefixes [`prefixed`] can write, to try taking off a word.
const PREFIXES: &[&str] = &[
    "di", "ke", "se", "pe", "be", "te", "ber", "per", "ter", "bel", "pel", "me", "mem", "men",
    "meng", "meny", "menge", "pem", "pen", "peng", "peny", "penge", "memper", "diper", "keber",
    "berke", "kepe", "kepem", "kepen", "kepeng", "kepeny", "kepenge",
];

/// Roots `word` may be an affixed form of, longest first, `word` itself
/// not included. A reading counts only when [`forms`] of that root would
/// write `word` back, so "perdamaian" gives "damai" but "makan" gives
/// nothing ("mak" is too short to trust).
pub fn roots(word: &str) -> Vec<String> {
    if !is_stemmable(word) {
        return Vec::new();
    }
    let mut candidates: Vec<String> = Vec::new();
    for suffix in suffixes() {
        let Some(base) = word.strip_suffix(suffix.as_str()) else {
            continue;
        };
        for p in PREFIXES.iter().copied().chain([""]) {
            // Many roots end in -i ("damai", "polisi"): a bare -i is read
            // as a suffix only together with a prefix ("mendamaii" is no
            // word, "menyakiti" is).
            if p.is_empty() && suffix.starts_with('i') {
                continue;
            }
            let Some(rest) = base.strip_prefix(p) else {
                continue;
            };
            candidates.push(rest.to_owned());
            // The nasal swallowed the root's first letter: restore it.
            let swallowed = match p.strip_prefix("ke").unwrap_or(p) {
                "meng" | "peng" => Some('k'),
                "mem" | "pem" => Some('p'),
                "men" | "pen" => Some('t'),
                "meny" | "peny" => Some('s'),
                _ => None,
            };
            if let Some(c) = swallowed.filter(|_| rest.starts_with(is_vowel)) {
                candidates.push(format!("{c}{rest}"));
            }
        }
    }
    candidates.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    candidates.dedup();
    candidates.retain(|r| {
        r != word
            && r.chars().count() >= MIN_STRIPPED_ROOT
            && is_stemmable(r)
            && writes_back(r, word)
    });
    candidates
}

/// Whether some prefixed form of `root` plus a suffix chain spells `word`.
pub(crate) fn writes_back(root: &str, word: &str) -> bool {
    prefixed(root).iter().any(|p| {
        word.strip_prefix(p.as_str())
            .is_some_and(|s| s.is_empty() || is_suffix(s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(root: &str, form: &str) -> bool {
        forms(root).iter().any(|f| f == form)
    }

    #[test]
    fn forms_follow_the_nasal_rules() {
        assert!(has("damai", "perdamaian"));
        assert!(has("damai", "berdamai"));
        assert!(has("damai", "mendamaikan"));
        assert!(has("damai", "kedamaiannya"));
        assert!(has("pukul", "memukul"));
        assert!(has("tulis", "menulis"));
        assert!(has("tulis", "penulis"));
        assert!(has("sapu", "menyapu"));
        assert!(has("kirim", "mengirim"));
        assert!(has("kirim", "pengiriman"));
        assert!(has("ambil", "mengambil"));
        assert!(has("baca", "membaca"));
        assert!(has("lihat", "melihat"));
        assert!(has("kerja", "bekerja"));
        assert!(has("ajar", "belajar"));
        assert!(has("pimpin", "kepemimpinan"));
        assert!(has("bom", "mengebom"));
        assert!(!has("damai", "tulis"));
        assert!(forms("di").is_empty());
        assert!(forms("covid19").is_empty());
    }

    #[test]
    fn roots_undo_affixes() {
        assert!(roots("perdamaian").contains(&"damai".to_owned()));
        assert!(roots("menulis").contains(&"tulis".to_owned()));
        assert!(roots("pengiriman").contains(&"kirim".to_owned()));
        assert!(roots("memukul").contains(&"pukul".to_owned()));
        assert!(roots("makan").is_empty(), "{:?}", roots("makan"));
        assert!(roots("damai").is_empty(), "{:?}", roots("damai"));
    }

    #[test]
    fn suffix_chains() {
        assert!(is_suffix("kannya"));
        assert!(is_suffix("anlah"));
        assert!(is_suffix("nyakah"));
        assert!(!is_suffix("kanan"));
        assert!(!is_suffix("x"));
    }
}
